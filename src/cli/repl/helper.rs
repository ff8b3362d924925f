//! Line editing for the REPL: completion of commands, options, IDs, reasons,
//! indexes and action types from the loaded log; hints from history; more
//! lines while a JSON bracket or a quote is open.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use actionlog::text::Symbol;
use actionlog::{Entry, Log, Order};
use clap::CommandFactory;
use colored::Colorize;
use rustyline::completion::{Completer, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::{Hinter, HistoryHinter};
use rustyline::history::DefaultHistory;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{CompletionType, Config, Context, Editor, Helper};

use super::line::Line;
use super::words::{self, Word};
use crate::cli::session::Session;
use crate::cli::terminal;

/// Options whose value is an action ID, a reason, an index, an action
/// type, a node ID, a user.
const ID_OPTIONS: [&str; 4] = ["--id", "--ids", "--older-than", "--younger-than"];
const REASON_OPTIONS: [&str; 4] = ["--reason", "-r", "--keep-last", "--kept-for"];
const INDEX_OPTIONS: [&str; 3] = ["--index", "-i", "--except-index"];
const TYPE_OPTIONS: [&str; 2] = ["--type", "-t"];
const NODE_OPTIONS: [&str; 2] = ["--node", "--node-id"];
const USER_OPTIONS: [&str; 1] = ["--user"];

/// How many candidates completion offers at most.
const MAX_CANDIDATES: usize = 200;

pub struct ReplHelper {
    session: Rc<RefCell<Session>>,
    hinter: HistoryHinter,
}

pub fn editor(
    session: Rc<RefCell<Session>>,
) -> rustyline::Result<Editor<ReplHelper, DefaultHistory>> {
    let config = Config::builder()
        .completion_type(CompletionType::List)
        .auto_add_history(false)
        .history_ignore_dups(true)?
        .max_history_size(10_000)?
        .build();
    let mut editor = Editor::with_config(config)?;
    editor.set_helper(Some(ReplHelper {
        session,
        hinter: HistoryHinter::new(),
    }));
    Ok(editor)
}

/// What the word under the cursor is.
enum Slot {
    Command,
    Option(String),
    Id,
    Reason,
    Index,
    Type,
    /// An action type as an option's value, or a prefix of types that
    /// ends in `/`.
    TypeName,
    Node,
    User,
    /// One of the values an option of a command takes.
    Value(String, String),
    Nothing,
}

impl ReplHelper {
    fn slot(&self, words: &[Word], current: Option<&Word>) -> Slot {
        let Some(first) = words.first() else {
            return Slot::Command;
        };
        if current.is_some_and(|w| std::ptr::eq(w, first)) {
            return Slot::Command;
        }
        let command = first.text.as_str();
        if let Some(word) = current {
            if word.text.starts_with('-') {
                return Slot::Option(command.to_owned());
            }
            if word.text.starts_with('{') && type_prefix(&word.text).is_some() {
                return Slot::Type;
            }
        }
        // The words before the cursor, after the command.
        let before: Vec<&str> = words[1..]
            .iter()
            .take_while(|w| current.is_none_or(|c| !std::ptr::eq(*w, c)))
            .map(|w| w.text.as_str())
            .collect();
        if let Some(previous) = before.last() {
            if ID_OPTIONS.contains(previous) {
                return Slot::Id;
            }
            if REASON_OPTIONS.contains(previous) {
                return Slot::Reason;
            }
            if INDEX_OPTIONS.contains(previous) {
                return Slot::Index;
            }
            if TYPE_OPTIONS.contains(previous) {
                return Slot::TypeName;
            }
            if NODE_OPTIONS.contains(previous) {
                return Slot::Node;
            }
            if USER_OPTIONS.contains(previous) {
                return Slot::User;
            }
            if let Some(option) = previous.strip_prefix("--") {
                return Slot::Value(command.to_owned(), option.to_owned());
            }
        }
        let positionals = before.iter().filter(|w| !w.starts_with('-')).count();
        match (command, positionals) {
            ("get" | "order" | "is-older", _) | ("change-meta", 0) => Slot::Id,
            ("remove-reason", 0) | ("add-reason", _) => Slot::Reason,
            ("help", 0) => Slot::Command,
            _ => Slot::Nothing,
        }
    }

    fn candidates(&self, slot: &Slot, prefix: &str) -> Vec<Pair> {
        let session = self.session.borrow();
        let log = session.log();
        let names = match slot {
            // Typed inside JSON: offered quoted, not as words.
            Slot::Type => return type_candidates(log, prefix),
            Slot::Command => command_names(),
            Slot::Option(command) => option_names(command),
            Slot::Id => id_words(log, prefix),
            Slot::Reason => symbol_words(log, Entry::reasons),
            Slot::Index => symbol_words(log, Entry::indexes),
            Slot::TypeName | Slot::Node | Slot::User => entry_name_words(log, slot),
            Slot::Value(command, option) => possible_values(command, option),
            Slot::Nothing => Vec::new(),
        };
        let mut pairs: Vec<Pair> = names
            .into_iter()
            .filter(|name| name.starts_with(prefix) || unquote(name).starts_with(&unquote(prefix)))
            // A word has no escapes: a name that would steer the terminal
            // cannot be typed, so it is not offered.
            .filter(|name| !terminal::needs_escape(name))
            .map(|name| Pair {
                display: name.clone(),
                replacement: name,
            })
            .collect();
        pairs.sort_by(|a, b| a.replacement.cmp(&b.replacement));
        pairs.dedup_by(|a, b| a.replacement == b.replacement);
        pairs
    }
}

/// The REPL's commands and their aliases.
fn command_names() -> Vec<String> {
    Line::command()
        .get_subcommands()
        .flat_map(|sub| {
            std::iter::once(sub.get_name().to_owned())
                .chain(sub.get_all_aliases().map(str::to_owned))
        })
        .collect()
}

/// The long options of `command`.
fn option_names(command: &str) -> Vec<String> {
    let line = Line::command();
    let Some(sub) = line.find_subcommand(command) else {
        return Vec::new();
    };
    sub.get_arguments()
        .filter_map(|arg| arg.get_long().map(|long| format!("--{long}")))
        .chain(["--help".to_owned()])
        .collect()
}

/// The values clap knows for `--option` of `command`.
fn possible_values(command: &str, option: &str) -> Vec<String> {
    let line = Line::command();
    let values = line
        .find_subcommand(command)
        .and_then(|sub| {
            sub.get_arguments()
                .find(|arg| arg.get_long() == Some(option))
        })
        .map(|arg| arg.get_possible_values());
    values
        .unwrap_or_default()
        .iter()
        .map(|value| value.get_name().to_owned())
        .collect()
}

/// The first IDs of the log, in created order, that begin as typed.
fn id_words(log: &Log, prefix: &str) -> Vec<String> {
    let typed = unquote(prefix);
    log.entries(Order::Created, None)
        .map(|entry| entry.id())
        .filter(|id| id.starts_with(&typed))
        .take(MAX_CANDIDATES)
        .map(words::quote)
        .collect()
}

/// Every reason, or every index, of the log's entries.
fn symbol_words(log: &Log, of: fn(&Entry) -> &[Symbol]) -> Vec<String> {
    let mut names = BTreeSet::new();
    for entry in log.entries(Order::Added, None) {
        for &symbol in of(entry) {
            names.insert(log.symbols().name(symbol));
        }
    }
    names.into_iter().map(words::quote).collect()
}

/// The types and their `prefix/`es, the node IDs, or the user IDs of the
/// log's entries.
fn entry_name_words(log: &Log, slot: &Slot) -> Vec<String> {
    let mut names = BTreeSet::new();
    for entry in log.entries(Order::Added, None) {
        match slot {
            Slot::TypeName => {
                let kind = entry.action_type();
                for (at, _) in kind.match_indices('/') {
                    names.insert(kind[..=at].to_owned());
                }
                names.insert(kind);
            }
            Slot::Node => {
                names.insert(entry.node().to_owned());
            }
            _ => {
                if let Some(user) = actionlog::id::parse_id(entry.node()).user_id {
                    names.insert(user.to_owned());
                }
            }
        }
    }
    names.into_iter().map(|name| words::quote(&name)).collect()
}

/// Action types for a `"type":` being typed inside JSON, quoted as JSON.
fn type_candidates(log: &Log, prefix: &str) -> Vec<Pair> {
    let Some((head, typed)) = type_prefix(prefix) else {
        return Vec::new();
    };
    let types: BTreeSet<String> = log
        .entries(Order::Added, None)
        .map(|entry| entry.action_type())
        .filter(|t| t.starts_with(typed))
        .collect();
    types
        .into_iter()
        .take(MAX_CANDIDATES)
        .map(|t| {
            // Inside JSON, what would steer the terminal is typed as an
            // escape, and means the same.
            let quoted = terminal::for_screen(&actionlog::json::quote(&t)).into_owned();
            Pair {
                display: terminal::sanitize(&t),
                replacement: format!("{head}{quoted}"),
            }
        })
        .collect()
}

/// The text of a possibly quoted, possibly unfinished word.
fn unquote(word: &str) -> String {
    match words::split(word).first() {
        Some(w) if word.starts_with(['"', '\'']) => w.text.clone(),
        _ => word.to_owned(),
    }
}

/// In a JSON word being typed that ends inside `"type":"…`, the text up to
/// the value and the value typed so far.
fn type_prefix(word: &str) -> Option<(&str, &str)> {
    let key = word.rfind("\"type\"")?;
    let rest = &word[key + 6..];
    let colon = rest.find(':')?;
    if !rest[..colon].trim().is_empty() {
        return None;
    }
    let value = rest[colon + 1..].trim_start();
    let typed = value.strip_prefix('"')?;
    if typed.contains('"') {
        return None;
    }
    let head_len = word.len() - value.len();
    Some((&word[..head_len], typed))
}

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let before = &line[..pos];
        let words = words::split(before);
        let ends_in_space = before.ends_with(|c: char| c.is_ascii_whitespace());
        let current = if ends_in_space { None } else { words.last() };
        let slot = self.slot(&words, current);
        let (start, prefix) = match current {
            Some(word) => (word.start, &before[word.start..]),
            None => (pos, ""),
        };
        Ok((start, self.candidates(&slot, prefix)))
    }
}

impl Hinter for ReplHelper {
    type Hint = String;

    fn hint(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Option<String> {
        self.hinter.hint(line, pos, ctx)
    }
}

impl Highlighter for ReplHelper {
    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if colored::control::SHOULD_COLORIZE.should_colorize() {
            Cow::Owned(hint.dimmed().to_string())
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, _kind: CmdKind) -> bool {
        true
    }
}

impl Validator for ReplHelper {
    /// An open bracket or quote asks for another line.
    fn validate(&self, ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        let open = words::split(ctx.input()).last().is_some_and(|w| w.open);
        Ok(if open {
            ValidationResult::Incomplete
        } else {
            ValidationResult::Valid(None)
        })
    }
}

impl Helper for ReplHelper {}

#[cfg(test)]
mod tests {
    use super::type_prefix;

    #[test]
    fn finds_the_type_being_typed() {
        assert_eq!(type_prefix(r#"{"type":"us"#), Some((r#"{"type":"#, "us")));
        assert_eq!(
            type_prefix(r#"{"a":1, "type" : "x"#),
            Some((r#"{"a":1, "type" : "#, "x"))
        );
        assert_eq!(type_prefix(r#"{"type":"done","#), None);
        assert_eq!(type_prefix(r#"{"name":"x"#), None);
    }
}
