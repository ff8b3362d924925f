//! `actionlog repl`: an interactive session on one log, loaded once.
//!
//! On a terminal it edits lines with rustyline (history, completion, hints);
//! with stdin not a terminal it reads commands line by line and prints
//! exactly what the same commands print when run one per process, so a
//! script of commands can be piped in.

mod helper;
mod line;
pub mod words;

use std::cell::RefCell;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::rc::Rc;

use actionlog::Log;
use clap::{CommandFactory, Parser};
use colored::Colorize;
use rustyline::error::ReadlineError;

use super::config::Config;
use super::exit::{Status, UsageError, describe, is_broken_pipe};
use super::session::Session;
use super::{ColorChoice, Format};
use super::{Command, execute, terminal};
use clap::ValueEnum;
use line::Line;

/// How many changes `undo` can take back.
const UNDO_DEPTH: usize = 32;

const EXAMPLES: &str = r#"Examples:
  actionlog repl
  actionlog --log chat.jsonl repl --no-save
  printf '%s\n' 'add {"type":"a"} --reason r' 'order' | actionlog repl"#;

/// Work on a log interactively.
///
/// Loads the log once and takes the same commands as the command line,
/// without the program name, plus save, reload, undo, status, set, help
/// and exit. Any command takes --format, --color, --archive and
/// --local-time for itself; `set` changes them for the session. Before a
/// command, it says when another program changed the file; `reload
/// --keep` then reads it again and redoes the unsaved changes on it. A word that starts with { or [ runs to its matching bracket, so
/// JSON needs no quotes; "…" holds an ID with spaces. Tab completes
/// commands, options, IDs, reasons and action types. The log is saved on
/// save and on exit. With stdin not a terminal, reads commands line by
/// line and prints what they would print run one by one.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Leave without saving unsaved changes.
    #[arg(long)]
    no_save: bool,
}

/// A log as it was before a command changed it.
struct Snapshot {
    log: Log,
    state: u64,
    command: String,
}

/// What to do after a line.
enum Flow {
    Continue,
    Exit,
}

struct Repl {
    session: Rc<RefCell<Session>>,
    interactive: bool,
    no_save: bool,
    undo: Vec<Snapshot>,
    /// Names each version of the log in memory; `saved_state` is the one
    /// the file holds.
    state: u64,
    next_state: u64,
    saved_state: u64,
    /// The commands that made the unsaved changes, in order, for `reload
    /// --keep`.
    unsaved_commands: Vec<String>,
    /// The file changed on disk, and the user was told.
    told_of_change: bool,
    /// The line a batch is at, for its errors.
    batch_line: Option<usize>,
}

/// What any REPL command takes for itself, as the command line's global
/// options: taken off its words before the command is parsed.
#[derive(Debug, Default)]
struct LineOptions {
    format: Option<Format>,
    color: Option<ColorChoice>,
    archive: Option<Option<PathBuf>>,
    local_time: Option<bool>,
}

impl LineOptions {
    fn is_empty(&self) -> bool {
        self.format.is_none()
            && self.color.is_none()
            && self.archive.is_none()
            && self.local_time.is_none()
    }

    /// Takes the options out of `words`.
    fn take(words: &mut Vec<words::Word>) -> Result<LineOptions, UsageError> {
        let mut options = LineOptions::default();
        let mut kept = Vec::with_capacity(words.len());
        let mut rest = std::mem::take(words).into_iter();
        while let Some(word) = rest.next() {
            let (name, inline) = match word.text.split_once('=') {
                Some((name, value)) if name.starts_with("--") => {
                    (name.to_owned(), Some(value.to_owned()))
                }
                _ => (word.text.clone(), None),
            };
            let mut value = |name: &str| -> Result<String, UsageError> {
                match inline.clone() {
                    Some(value) => Ok(value),
                    None => rest
                        .next()
                        .map(|w| w.text)
                        .ok_or_else(|| UsageError(format!("{name} needs a value"))),
                }
            };
            match name.as_str() {
                "--format" | "-o" => options.format = Some(parse_value(&name, &value(&name)?)?),
                "--color" => options.color = Some(parse_value(&name, &value(&name)?)?),
                "--archive" => options.archive = Some(Some(PathBuf::from(value(&name)?))),
                "--local-time" if inline.is_none() => options.local_time = Some(true),
                _ => kept.push(word),
            }
        }
        *words = kept;
        Ok(options)
    }
}

/// A value of a `ValueEnum` option, with clap's own error.
fn parse_value<T: ValueEnum>(name: &str, value: &str) -> Result<T, UsageError> {
    T::from_str(value, false).map_err(|_| {
        let possible: Vec<String> = T::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_owned()))
            .collect();
        UsageError(format!(
            "invalid value {} for {name} (possible values: {})",
            terminal::sanitize(&format!("'{value}'")),
            possible.join(", ")
        ))
    })
}

/// What a command ran with before its own options, to put back.
struct Restore {
    format: Format,
    look: crate::cli::table::Look,
    archive: Option<PathBuf>,
}

pub fn run(config: Config, args: &Args) -> anyhow::Result<Status> {
    if config.log.is_stream() {
        return Err(UsageError(
            "the REPL reads commands from stdin, so the log cannot come from there (--log -)"
                .into(),
        )
        .into());
    }
    let interactive = terminal::stdin_is_terminal();
    let session = Session::open_for_repl(config)?;
    crate::cli::signals::catch_interrupt();
    let mut repl = Repl {
        session: Rc::new(RefCell::new(session)),
        interactive,
        no_save: args.no_save,
        undo: Vec::new(),
        state: 0,
        next_state: 1,
        saved_state: 0,
        unsaved_commands: Vec::new(),
        told_of_change: false,
        batch_line: None,
    };
    if interactive {
        repl.interactive()
    } else {
        repl.batch()
    }
}

impl Repl {
    /// Commands from a pipe or file: no prompt, no banner; errors on stderr;
    /// the status of the first failing line.
    fn batch(&mut self) -> anyhow::Result<Status> {
        let mut status = Status::Success;
        let stdin = std::io::stdin();
        let mut lines = stdin.lock().lines().enumerate();
        while let Some((number, line)) = lines.next() {
            // Ctrl-C ends the script; what was done is saved on leaving.
            if crate::cli::signals::take() {
                break;
            }
            self.batch_line = Some(number + 1);
            // A line that is not text fails like a bad command: the rest go
            // on, and what was done is saved on leaving.
            let line = line
                .map_err(|e| anyhow::Error::new(actionlog::Error::input(format!("not text: {e}"))));
            // JSON over several lines, as typed on a terminal: a word
            // open at the end of the line goes on on the next.
            let line = line.map(|mut text| {
                while words::split(&text).iter().any(|w| w.open) {
                    match lines.next() {
                        Some((_, Ok(more))) => {
                            text.push('\n');
                            text.push_str(&more);
                        }
                        _ => break,
                    }
                }
                text
            });
            match line.and_then(|line| self.line(&line)) {
                Ok((Flow::Continue, line_status)) => {
                    if status == Status::Success {
                        status = line_status;
                    }
                }
                Ok((Flow::Exit, _)) => break,
                // The reader of the output went away, as `| head` does: the
                // script ends, as a command would.
                Err(error) if is_broken_pipe(&error) => break,
                Err(error) => {
                    if status == Status::Success {
                        status = Status::of(&error);
                    }
                    self.report(&error);
                }
            }
        }
        match self.leave() {
            Ok(()) => Ok(status),
            Err(error) if status == Status::Success => Err(error),
            Err(error) => {
                self.report(&error);
                Ok(status)
            }
        }
    }

    fn interactive(&mut self) -> anyhow::Result<Status> {
        let mut editor = helper::editor(Rc::clone(&self.session)).map_err(terminal_failed)?;
        let history = history_path();
        if let Some(path) = &history {
            let _ = editor.load_history(path);
        }
        {
            let session = self.session.borrow();
            say!(
                "actionlog {} on {} ({} entries). Type help for commands, exit or Ctrl-D to leave.",
                env!("CARGO_PKG_VERSION"),
                terminal::sanitize(&session.location().display_path().display().to_string()),
                session.log().len()
            );
        }
        loop {
            let prompt = self.prompt();
            match editor.readline(&prompt) {
                Ok(line) => {
                    if !line.trim().is_empty() {
                        let _ = editor.add_history_entry(line.as_str());
                    }
                    // Ctrl-C while a command runs (it waits on a pipe, say)
                    // stops that command, not the session.
                    crate::cli::signals::take();
                    match self.line(&line) {
                        Ok((Flow::Continue, _)) => {}
                        Ok((Flow::Exit, _)) => break,
                        Err(error) => self.report(&error),
                    }
                    crate::cli::signals::take();
                }
                Err(ReadlineError::Interrupted) => continue,
                Err(ReadlineError::Eof) => break,
                Err(error) => return Err(terminal_failed(error)),
            }
        }
        if let Some(path) = &history {
            if let Some(dir) = path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            let _ = editor.save_history(path);
        }
        self.leave()?;
        Ok(Status::Success)
    }

    fn prompt(&self) -> String {
        let session = self.session.borrow();
        let name = session
            .location()
            .display_path()
            .file_name()
            .map_or_else(|| "log".to_string(), |n| n.to_string_lossy().into_owned());
        let mark = if self.unsaved() { "*" } else { "" };
        terminal::sanitize(&format!("{name}{mark}> "))
    }

    fn report(&self, error: &anyhow::Error) {
        let _ = self.session.borrow_mut().print_events();
        let at = self
            .batch_line
            .map(|line| format!("line {line}: "))
            .unwrap_or_default();
        let hint = match error.downcast_ref::<actionlog::Error>() {
            Some(actionlog::Error::Conflict(_)) => {
                "; `reload --keep` reads it again and redoes the unsaved changes on it"
            }
            _ => "",
        };
        say!("actionlog: {at}{}{hint}", describe(error));
    }

    fn unsaved(&self) -> bool {
        self.state != self.saved_state || self.session.borrow().has_unsaved_changes()
    }

    /// Runs one line; the status is that of a command that answers with one
    /// (`get` of a missing ID fails with an error instead).
    fn line(&mut self, text: &str) -> anyhow::Result<(Flow, Status)> {
        let mut words = words::split(text);
        if words.is_empty() || words[0].text.starts_with('#') {
            return Ok((Flow::Continue, Status::Success));
        }
        if let Some(open) = words.iter().find(|w| w.open) {
            // Its first line: the error stays one line.
            let shown = match open.text.split_once('\n') {
                Some((first, _)) => format!("{first}…"),
                None => open.text.clone(),
            };
            return Err(
                UsageError(format!("unfinished word: {}", terminal::sanitize(&shown))).into(),
            );
        }
        self.tell_of_change_on_disk();
        let options = LineOptions::take(&mut words)?;
        let parsed = Line::try_parse_from(words.iter().map(|w| w.text.as_str()));
        let parsed = match parsed {
            Ok(parsed) => parsed,
            Err(error) if !error.use_stderr() => {
                print_out(format_args!("{error}"))?;
                return Ok((Flow::Continue, Status::Success));
            }
            Err(error) => {
                // clap's message, on one line with its tips.
                let message = error.render().to_string();
                let first = message
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .trim_start_matches("error: ");
                let tips: Vec<&str> = message
                    .lines()
                    .filter_map(|line| line.trim().strip_prefix("tip: "))
                    .collect();
                let text = if tips.is_empty() {
                    first.to_owned()
                } else {
                    format!("{first} (tip: {})", tips.join("; "))
                };
                return Err(UsageError(text).into());
            }
        };
        match parsed {
            Line::Log(Command::Repl(_)) => Err(UsageError("already in the REPL".into()).into()),
            Line::Log(command) => {
                let restore = self.apply(&options)?;
                let ran = self.command(&command, text.trim());
                self.restore(restore);
                ran.map(|s| (Flow::Continue, s))
            }
            _ if !options.is_empty() => Err(UsageError(
                "--format, --color, --archive and --local-time go with a command of the log; `set` changes them for the session".into(),
            )
            .into()),
            Line::Save => {
                self.save()?;
                Ok((Flow::Continue, Status::Success))
            }
            Line::Reload { keep } => {
                self.reload(keep)?;
                Ok((Flow::Continue, Status::Success))
            }
            Line::Set { name, value } => {
                self.set(name.as_deref(), value.as_deref())?;
                Ok((Flow::Continue, Status::Success))
            }
            Line::Undo => {
                self.undo()?;
                Ok((Flow::Continue, Status::Success))
            }
            Line::Status => {
                self.status()?;
                Ok((Flow::Continue, Status::Success))
            }
            Line::Help { command } => {
                help(command.as_deref())?;
                Ok((Flow::Continue, Status::Success))
            }
            Line::Exit => Ok((Flow::Exit, Status::Success)),
        }
    }

    fn command(&mut self, command: &Command, text: &str) -> anyhow::Result<Status> {
        let mut session = self.session.borrow_mut();
        let before = command.changes_log().then(|| session.log().clone());
        let revision = session.log().revision();
        if self.interactive && command.changes_log() {
            session.start_summary();
        }
        let executed = if command.generates_ids() {
            session.with_ids_recorded(|session| execute(command, session))
        } else {
            execute(command, &mut session)
        };
        match executed {
            Ok(status) => {
                if let Some(log) = before
                    && session.log().revision() != revision
                {
                    self.undo.push(Snapshot {
                        log,
                        state: self.state,
                        command: text.to_owned(),
                    });
                    if self.undo.len() > UNDO_DEPTH {
                        self.undo.remove(0);
                    }
                    self.state = self.next_state;
                    self.next_state += 1;
                    self.unsaved_commands.push(text.to_owned());
                }
                session.print_events()?;
                if let Some(line) = session.take_summary() {
                    say!("{}", line.dimmed());
                }
                if self.interactive && matches!(command, Command::IsOlder(_)) {
                    let older = if status == Status::Success {
                        "older"
                    } else {
                        "not older"
                    };
                    print_out(format_args!("{older}\n"))?;
                }
                Ok(status)
            }
            Err(error) => {
                // A command that fails changes nothing, even halfway.
                if let Some(log) = before {
                    session.replace_log(log);
                }
                session.drop_events();
                session.take_summary();
                Err(error)
            }
        }
    }

    fn save(&mut self) -> anyhow::Result<()> {
        let changed = self.unsaved();
        self.session.borrow_mut().save_for_repl()?;
        self.saved_state = self.state;
        self.unsaved_commands.clear();
        self.told_of_change = false;
        if self.interactive {
            let session = self.session.borrow();
            let path = terminal::sanitize(&session.location().display_path().display().to_string());
            if changed {
                say!("saved {path}");
            } else {
                say!("no changes to save in {path}");
            }
        }
        Ok(())
    }

    fn reload(&mut self, keep: bool) -> anyhow::Result<()> {
        let dropped = self.unsaved();
        let replay = std::mem::take(&mut self.unsaved_commands);
        self.session.borrow_mut().reload()?;
        self.undo.clear();
        self.state = self.next_state;
        self.next_state += 1;
        self.saved_state = self.state;
        self.told_of_change = false;
        let mut replayed = 0;
        if keep {
            // Each as typed, on the new log; one that fails now is said
            // and left out, as a rebase stops at a conflict.
            for text in &replay {
                match self.line(text) {
                    Ok(_) => replayed += 1,
                    Err(error) => say!(
                        "actionlog: not redone: {}: {}",
                        terminal::sanitize(text),
                        describe(&error)
                    ),
                }
            }
        }
        if self.interactive {
            let session = self.session.borrow();
            let note = match (dropped, keep) {
                (false, _) => String::new(),
                (true, false) => ", unsaved changes dropped".to_owned(),
                (true, true) => format!(", {replayed} of {} changes redone", replay.len()),
            };
            say!("reloaded: {} entries{note}", session.log().len());
        }
        Ok(())
    }

    /// Says, once, that another program changed the file since it was
    /// read.
    fn tell_of_change_on_disk(&mut self) {
        if self.told_of_change || !self.session.borrow().changed_on_disk() {
            return;
        }
        self.told_of_change = true;
        let session = self.session.borrow();
        let name = terminal::sanitize(&session.location().display_path().display().to_string());
        let what = if self.unsaved() {
            "`reload --keep` reads it again and redoes your unsaved changes on it, `reload` drops them"
        } else {
            "`reload` reads it again"
        };
        say!(
            "{}",
            format!("{name} changed on disk since it was read: {what}").yellow()
        );
    }

    /// Puts a command's own options in place; what to put back after.
    fn apply(&mut self, options: &LineOptions) -> anyhow::Result<Restore> {
        let mut session = self.session.borrow_mut();
        let restore = Restore {
            format: session.out.format(),
            look: session.out.look(),
            archive: session.config.archive.clone(),
        };
        let mut look = restore.look;
        if let Some(choice) = options.color {
            look.color = crate::cli::config::color_for(choice);
        }
        if let Some(local) = options.local_time {
            look.local_time = local;
        }
        if let Some(archive) = &options.archive {
            if let Some(path) = archive {
                crate::cli::config::check_archive(path, session.location())?;
            }
            session.config.archive = archive.clone();
        }
        colored::control::set_override(look.color);
        let format = options.format.unwrap_or(restore.format);
        session.out.restyle(format, look);
        Ok(restore)
    }

    fn restore(&mut self, restore: Restore) {
        let mut session = self.session.borrow_mut();
        colored::control::set_override(restore.look.color);
        session.out.restyle(restore.format, restore.look);
        session.config.archive = restore.archive;
    }

    /// `set`: shows the session's defaults, or changes one.
    fn set(&mut self, name: Option<&str>, value: Option<&str>) -> anyhow::Result<()> {
        let mut options = LineOptions::default();
        match (name, value) {
            (None, _) => {
                let session = self.session.borrow();
                let look = session.out.look();
                let format = session.out.format().to_possible_value();
                print_out(format_args!(
                    "format: {}\ncolor: {}\narchive: {}\nlocal-time: {}\n",
                    format.map_or_else(String::new, |v| v.get_name().to_owned()),
                    if look.color { "on" } else { "off" },
                    session.config.archive.as_ref().map_or_else(
                        || "none".to_owned(),
                        |a| terminal::sanitize(&a.display().to_string())
                    ),
                    if look.local_time { "on" } else { "off" },
                ))?;
                return Ok(());
            }
            (Some(name), None) => {
                return Err(UsageError(format!("set {name} needs a value")).into());
            }
            (Some("format"), Some(value)) => options.format = Some(parse_value("format", value)?),
            (Some("color"), Some(value)) => options.color = Some(parse_value("color", value)?),
            (Some("archive"), Some("none")) => options.archive = Some(None),
            (Some("archive"), Some(value)) => options.archive = Some(Some(PathBuf::from(value))),
            (Some("local-time"), Some(value)) => {
                options.local_time = Some(match value {
                    "on" => true,
                    "off" => false,
                    _ => {
                        return Err(UsageError("set local-time takes on or off".into()).into());
                    }
                });
            }
            (Some(name), Some(_)) => {
                return Err(UsageError(format!("no setting {}", terminal::sanitize(name))).into());
            }
        }
        // Applied and not put back: the session's defaults from now on.
        self.apply(&options)?;
        Ok(())
    }

    fn undo(&mut self) -> anyhow::Result<()> {
        let Some(snapshot) = self.undo.pop() else {
            return Err(UsageError("nothing to undo".into()).into());
        };
        let mut log = snapshot.log;
        if snapshot.state != self.saved_state {
            log.mark_unsaved();
        }
        let mut session = self.session.borrow_mut();
        log.continue_added_after(session.log().last_added());
        session.replace_log(log);
        drop(session);
        self.state = snapshot.state;
        self.unsaved_commands.pop();
        if self.interactive {
            say!("undid: {}", terminal::sanitize(&snapshot.command));
        }
        Ok(())
    }

    fn status(&self) -> anyhow::Result<()> {
        let session = self.session.borrow();
        let log = session.log();
        let unsaved = if self.unsaved() { "yes" } else { "no" };
        print_out(format_args!(
            "file: {}\nentries: {}\nlastAdded: {}\nunsaved changes: {unsaved}\n",
            terminal::sanitize(&session.location().display_path().display().to_string()),
            log.len(),
            log.last_added()
        ))
    }

    /// Saves on the way out unless told not to, and says so on a terminal.
    fn leave(&mut self) -> anyhow::Result<()> {
        if self.unsaved() && self.no_save {
            if self.interactive {
                say!("{}", "left without saving the changes (--no-save)".yellow());
            }
            // The IDs shown must still never come again.
            return self.session.borrow_mut().remember_ids();
        }
        if self.unsaved() {
            self.save()?;
        } else {
            self.session.borrow_mut().remember_ids()?;
        }
        Ok(())
    }
}

/// `help`: the list of commands, or one command's long help.
fn help(command: Option<&str>) -> anyhow::Result<()> {
    let mut line = Line::command();
    let mut out = std::io::stdout();
    match command {
        None => {
            writeln!(out, "Commands:")?;
            for sub in line.get_subcommands() {
                let about = sub.get_about().map(ToString::to_string).unwrap_or_default();
                writeln!(out, "  {:<14} {about}", sub.get_name())?;
            }
            writeln!(
                out,
                "\nhelp COMMAND shows a command's options. JSON needs no quotes; quote IDs: \"1 a 0\"."
            )?;
        }
        Some(name) => match line.find_subcommand_mut(name) {
            Some(sub) => write!(out, "{}", sub.render_long_help())?,
            None => {
                return Err(UsageError(format!("no command {}", terminal::sanitize(name))).into());
            }
        },
    }
    Ok(())
}

/// `$XDG_CACHE_HOME/actionlog/history`, else `~/.cache/actionlog/history`.
fn history_path() -> Option<PathBuf> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    Some(cache.join("actionlog").join("history"))
}

/// Writes the REPL's own answers (`status`, `set`, `is-older`'s word, help
/// on stdout) to standard output: a reader that has gone (`… | head`) is a
/// broken pipe, which ends the run quietly, where `println!` would panic.
fn print_out(text: std::fmt::Arguments<'_>) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_fmt(text)
        .and_then(|()| out.flush())
        .map_err(|e| actionlog::Error::io("cannot write to standard output", e).into())
}

/// The terminal failed the line editor: an I/O error (status 5). rustyline's
/// errors both print their cause and give it as their source, so the
/// message is taken whole, once.
fn terminal_failed(error: ReadlineError) -> anyhow::Error {
    actionlog::Error::io(
        "cannot read the command line",
        std::io::Error::other(error.to_string()),
    )
    .into()
}
