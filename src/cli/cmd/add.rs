//! `add`: adds one action, or every line of standard input.

use std::io::{BufRead, IsTerminal};

use actionlog::id::parse_action_id;
use actionlog::log::{BulkAdd, PlainAction, PreparedMeta};
use actionlog::meta::string_array;
use actionlog::store::{APPEND_START, Access, Location, Wanted};
use actionlog::{Error, EventKind, MetaText, json};
use anyhow::Context;

use super::compact_json;
use crate::cli::Format;
use crate::cli::config::Config;
use crate::cli::exit::Status;
use crate::cli::input::{self, JsonValues, Start, Unread};
use crate::cli::session::Session;

const EXAMPLES: &str = r#"Examples:
  actionlog add '{"type":"user/rename","userId":386,"name":"Ann"}' --reason user/386
  actionlog add '{"type":"user/rename","userId":386}' --keep-last user/386/name
  printf '%s\n' '{"type":"a"}' '[{"type":"b"},{"reasons":["x"]}]' | actionlog add --reason sync
  actionlog add '[{"type":"a"},{"reasons":["x"],"tab":"1"}]'
  actionlog --log other.jsonl order --format json | actionlog add"#;

/// Add an action to the log.
///
/// An action without reasons is not kept: it is reported as added and then
/// cleaned. An action whose ID is already in the log is ignored. With
/// --keep-last K, the reason K is taken off every older entry first (they
/// are cleaned if it was their last reason), then given to this action.
///
/// Options apply to every action read from standard input: --meta, --id,
/// --time and --subprotocol set their keys, --reason and --index add to the
/// lists the meta already has.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The action, a JSON object with a "type", an [action, meta] pair, or
    /// an array of those. `-`, or nothing when stdin is not a terminal,
    /// reads them from stdin: JSON values one after another (one a line,
    /// pretty-printed, or several on a line), as `order` prints them.
    #[arg(value_name = "ACTION")]
    action: Option<String>,

    /// Meta for the action, a JSON object.
    #[arg(short = 'm', long, value_name = "JSON")]
    meta: Option<String>,

    /// A reason to keep the action (repeatable).
    #[arg(add = crate::cli::complete::reasons(), short = 'r', long = "reason", value_name = "R")]
    reasons: Vec<String>,

    /// Keep only the newest action with this reason.
    #[arg(add = crate::cli::complete::reasons(), long, value_name = "K")]
    keep_last: Option<String>,

    /// The action ID, "<ms> <node ID> <counter>" [default: a new one].
    #[arg(long, value_name = "ID")]
    id: Option<String>,

    /// Creation time in milliseconds [default: from the ID].
    #[arg(long, value_name = "MS")]
    time: Option<String>,

    /// A secondary list the action belongs to (repeatable).
    #[arg(add = crate::cli::complete::indexes(), short = 'i', long = "index", value_name = "I")]
    indexes: Vec<String>,

    /// The application's protocol version the action is written for: a
    /// number, as @logux/core 0.10 writes it (2), or a version string of
    /// older Logux ("1.0.0").
    #[arg(long, value_name = "S")]
    subprotocol: Option<String>,

    /// Print what would happen; change nothing.
    #[arg(short = 'n', long)]
    dry_run: bool,
}

/// What the options say about every action's meta, checked once.
struct MetaOptions {
    meta: MetaText,
    reasons: Vec<String>,
    indexes: Vec<String>,
    /// `reasons` and `indexes` as JSON arrays, for the many actions that
    /// have none of their own.
    reasons_json: String,
    indexes_json: String,
}

impl MetaOptions {
    fn from_args(args: &Args) -> Result<Self, Error> {
        let mut meta = match &args.meta {
            Some(text) => MetaText::parse(&compact_json("--meta", text)?)
                .map_err(|e| Error::input(format!("--meta: {e}")))?,
            None => MetaText::default(),
        };
        if let Some(id) = &args.id {
            parse_action_id(id).map_err(|e| Error::input(format!("--id: {e}")))?;
            meta.set_string("id", id);
        }
        if let Some(time) = &args.time {
            let valid = json::whole(time.as_bytes()).is_ok()
                && time.trim().parse::<f64>().is_ok_and(f64::is_finite);
            if !valid {
                return Err(Error::input(format!(
                    "--time: expected milliseconds, not {}",
                    json::quote(time)
                )));
            }
            meta.set_raw("time", time.trim());
        }
        if let Some(subprotocol) = &args.subprotocol {
            meta.set_raw("subprotocol", subprotocol_json(subprotocol));
        }
        if let Some(keep_last) = &args.keep_last {
            meta.set_string("keepLast", keep_last);
        }
        Ok(MetaOptions {
            meta,
            reasons_json: string_array(args.reasons.iter().map(String::as_str)),
            indexes_json: string_array(args.indexes.iter().map(String::as_str)),
            reasons: args.reasons.clone(),
            indexes: args.indexes.clone(),
        })
    }

    /// `meta` with the options applied.
    fn apply(&self, mut meta: MetaText) -> Result<MetaText, Error> {
        for (key, value) in self.meta.iter() {
            meta.set_raw(key, value);
        }
        extend_list(&mut meta, "reasons", &self.reasons, &self.reasons_json)?;
        extend_list(&mut meta, "indexes", &self.indexes, &self.indexes_json)?;
        Ok(meta)
    }
}

/// Adds `extra` (`extra_json` as a JSON array) to the array of strings
/// under `key`.
fn extend_list(
    meta: &mut MetaText,
    key: &str,
    extra: &[String],
    extra_json: &str,
) -> Result<(), Error> {
    if extra.is_empty() {
        return Ok(());
    }
    if !meta.contains(key) {
        meta.set_raw(key, extra_json);
        return Ok(());
    }
    let mut list = match meta.get(key) {
        None => Vec::new(),
        Some(raw) => json::as_string_array(raw, 0..raw.len())
            .ok_or_else(|| Error::input(format!("meta \"{key}\" must be an array of strings")))?,
    };
    list.extend(extra.iter().cloned());
    meta.set_strings(key, list.iter().map(String::as_str));
    Ok(())
}

impl Args {
    pub fn reads_stdin(&self) -> bool {
        self.action.as_deref().is_none_or(|action| action == "-")
    }

    /// What one plain `add` needs of a big log, when that is all it needs:
    /// without `keepLast`, which touches older entries, an add only asks
    /// whether its ID is taken, or for a generated ID the newest ID of this
    /// node.
    pub fn sparse_wanted(&self, node_id: &str) -> Option<Vec<Wanted>> {
        let action = self.action.as_deref().filter(|a| *a != "-")?;
        let options = MetaOptions::from_args(self).ok()?;
        if options.meta.contains("keepLast") || action.contains("keepLast") {
            return None;
        }
        match options.meta.get("id") {
            Some(raw) => Some(vec![Wanted::Id(json::as_string(raw, 0..raw.len())?)]),
            None => Some(vec![Wanted::Node(node_id.to_owned())]),
        }
    }
}

impl Args {
    /// Whether the options allow adding the actions of standard input in
    /// bulk (see [`run_bulk`], which looks at the input).
    pub fn may_add_in_bulk(&self, config: &Config) -> bool {
        self.reads_stdin()
            && !self.dry_run
            && self.keep_last.is_none()
            && self.id.is_none()
            && config.rules.is_none()
            && config.format == Format::Jsonl
            && matches!(config.log, Location::File(_))
    }
}

/// `add` of standard input (`input`, read whole) when every value is an
/// action alone on its line, and each gets a new ID and keeps a reason:
/// each line is made from the action's text and appended as it is made,
/// and its event printed from it, with no entry or event in memory. The
/// log is read only for its newest `added` and this node's newest ID.
/// What it prints and writes is what [`run`] would. `None`, with nothing
/// written, when the input, the options or the file need [`run`].
pub fn run_bulk(args: &Args, config: &Config, input: &[u8]) -> anyhow::Result<Option<Status>> {
    let Ok(text) = std::str::from_utf8(input) else {
        return Ok(None);
    };
    let mut actions = Vec::new();
    let mut from = 0;
    let lines = memchr::memchr_iter(b'\n', input)
        .chain([input.len()])
        .map(|end| {
            let line = &text[from..end];
            from = end + 1;
            line
        });
    for (n, line) in lines.enumerate() {
        if line.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\r')) {
            continue;
        }
        // Longer than a value may be: the general path says so.
        if line.len() > MAX_INPUT_LINE {
            return Ok(None);
        }
        let Some(action) = PlainAction::find(line) else {
            return Ok(None);
        };
        actions.push((n + 1, action));
    }
    if actions.is_empty() {
        return Ok(None);
    }
    // Errors in the options are the general path's to report, after the
    // log's own.
    let Some(meta) = MetaOptions::from_args(args)
        .and_then(|options| options.apply(MetaText::default()))
        .ok()
        .map(|meta| PreparedMeta::new(&meta))
    else {
        return Ok(None);
    };
    let mut session = Session::open_sparse(
        config.clone(),
        Access::Write,
        true,
        &[Wanted::Node(config.node_id.clone())],
    )?;
    if std::io::stderr().is_terminal() {
        session.start_summary();
    }
    let now = session.now();
    let (log, ids) = session.log_and_ids();
    let Some(bulk) = BulkAdd::new(&meta, ids.clone(), now, log.last_added()) else {
        return Ok(None);
    };
    let at_line =
        |n: usize| move |e: Error| anyhow::Error::new(e).context(format!("stdin line {n}"));
    // The lines are made three times, as each is cheap: for the append's
    // record (how long it is, how it begins), to write, to print.
    let mut line = String::new();
    let mut sizing = bulk.clone();
    let (mut len, mut start) = (0u64, Vec::new());
    for (n, action) in &actions {
        sizing.line(action, &mut line).map_err(at_line(*n))?;
        len += line.len() as u64 + 1;
        if start.len() < APPEND_START {
            start.extend_from_slice(line.as_bytes());
            start.push(b'\n');
        }
    }
    // The IDs are recorded with the append's record, before any line is
    // written, as a save records them.
    session.take_ids_on(sizing.ids());
    let mut writing = bulk.clone();
    let appended = session.append_lines(len, &start, sizing.last_added(), &mut |out| {
        let mut line = String::new();
        for (_, action) in &actions {
            writing
                .line(action, &mut line)
                .map_err(std::io::Error::other)?;
            out.write_all(line.as_bytes())?;
            out.write_all(b"\n")?;
        }
        Ok(())
    })?;
    if !appended {
        return Ok(None);
    }
    session.save_now()?;
    let mut printing = bulk;
    for (n, action) in &actions {
        let meta = printing.line(action, &mut line).map_err(at_line(*n))?;
        session
            .out
            .event_line(EventKind::Add, action.as_str(), [&line[meta]])?;
    }
    session.sum_up_adds(actions.len());
    session.finish()?;
    Ok(Some(Status::Success))
}

pub fn run(args: &Args, session: &mut Session) -> anyhow::Result<Status> {
    let options = MetaOptions::from_args(args)?;
    let kept = session.keep_for_dry_run(args.dry_run);
    let now = session.now();
    let mut events = Vec::new();
    // The meta of an action given alone: the options', serialised once.
    let plain = PreparedMeta::new(&options.apply(MetaText::default())?);
    let rules = session.config.rules.clone();
    let mut add = |session: &mut Session, action: &str, meta: Option<MetaText>| {
        let (log, ids) = session.log_and_ids();
        match (meta, &rules) {
            (None, None) => log.add_prepared(action, &plain, ids, now, &mut events),
            (meta, None) => {
                let meta = PreparedMeta::new(&options.apply(meta.unwrap_or_default())?);
                log.add_prepared(action, &meta, ids, now, &mut events)
            }
            (meta, Some(rules)) => {
                // Rules depend on the action, so each meta is its own.
                let mut meta = options.apply(meta.unwrap_or_default())?;
                rules.apply(action, &mut meta)?;
                log.add_prepared(action, &PreparedMeta::new(&meta), ids, now, &mut events)?;
                events.extend(rules.prune_history(log)?);
                Ok(())
            }
        }
    };
    match args.action.as_deref() {
        Some(action) if action != "-" => {
            // What is wrong with the argument, where it is in it as given.
            let syntax = |e: Error| match json::whole(action.as_bytes()) {
                Err(syntax) => input::argument_problem("action", action, &syntax),
                Ok(_) => e,
            };
            let found = input::actions_in("action", action, Start::TEXT).map_err(|problem| {
                match json::whole(action.as_bytes()) {
                    Err(syntax) => input::argument_problem("action", action, &syntax),
                    Ok(_) => problem.error,
                }
            })?;
            if found.is_empty() {
                return Err(Error::input("action: an empty array, no action to add").into());
            }
            for found in found {
                add(session, &found.action, found.meta).map_err(syntax)?;
            }
        }
        _ => {
            // Each action is added as it is read; a bad one stops the
            // command before anything is saved, so the log gets all of
            // them or none.
            let mut values = JsonValues::new(
                session.piped_stdin("give the action as an argument", "pipe actions into stdin")?,
            );
            let mut bytes = Vec::new();
            let limit = session.config.stream_limit;
            loop {
                let (start, value) = match values.next_text(&mut bytes, limit, "input") {
                    Ok(Some(read)) => read,
                    Ok(None) => break,
                    Err(Unread::Io(e)) => {
                        return Err(Error::io("cannot read actions from stdin", e).into());
                    }
                    Err(Unread::Bad(problem)) => {
                        return Err(problem.error)
                            .with_context(|| format!("stdin line {}", problem.line));
                    }
                };
                let found = input::actions_in("input", value, start).map_err(|problem| {
                    anyhow::Error::new(problem.error)
                        .context(format!("stdin line {}", problem.line))
                })?;
                for found in found {
                    add(session, &found.action, found.meta).map_err(|e| {
                        // Say what is wrong with the value as it was given.
                        let problem = json::whole(value.as_bytes()).err().map(|syntax| {
                            input::syntax_problem("input", value.as_bytes(), start, &syntax)
                        });
                        match problem {
                            Some(problem) => anyhow::Error::new(problem.error)
                                .context(format!("stdin line {}", problem.line)),
                            None => {
                                anyhow::Error::new(e).context(format!("stdin line {}", found.line))
                            }
                        }
                    })?;
                }
            }
        }
    }
    session.report_or_preview(kept, events);
    Ok(Status::Success)
}

/// The longest stdin line: an entry's line can be no longer.
pub const MAX_INPUT_LINE: usize = actionlog::store::format::MAX_LINE_BYTES;

/// What [`read_line_at_most`] found.
pub enum Line {
    Read,
    End,
    TooLong,
}

/// Reads the next line of `input` into `line` (with its `\n`), unless it is
/// longer than `max`: then it stops there, without reading the rest.
pub fn read_line_at_most(
    input: &mut impl BufRead,
    line: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<Line> {
    loop {
        let available = match input.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(if line.is_empty() {
                Line::End
            } else {
                Line::Read
            });
        }
        let (taken, done) = match memchr::memchr(b'\n', available) {
            Some(i) => (i + 1, true),
            None => (available.len(), false),
        };
        if line.len() + taken > max + 1 {
            return Ok(Line::TooLong);
        }
        line.extend_from_slice(&available[..taken]);
        input.consume(taken);
        if done {
            return Ok(Line::Read);
        }
    }
}

/// A `--subprotocol` as JSON: a number as @logux/core 0.10 writes it, or
/// else an older version's string.
pub fn subprotocol_json(given: &str) -> String {
    match given.parse::<f64>() {
        Ok(number) if number.is_finite() && json::whole(given.as_bytes()).is_ok() => {
            given.trim().to_owned()
        }
        _ => json::quote(given),
    }
}
