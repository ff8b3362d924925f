//! `import --from logux-server`: the history a Logux server logged. A
//! server keeps no log of its own; the JSON lines its `logger: 'json'`
//! writes are the only record of what it processed.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::PathBuf;

use actionlog::merge::{MergeOptions, add_incoming};
use actionlog::store::Location;
use actionlog::{Error, EventKind, IdGenerator, Log, MetaText, Order, json};
use anyhow::Context;

use super::add::{Line, MAX_INPUT_LINE, read_line_at_most};
use super::filter::KeptForFilterArgs;
use crate::cli::exit::{Status, UsageError};
use crate::cli::session::Session;
use crate::cli::terminal::sanitize;

const EXAMPLES: &str = "Examples:
  node server.js 2> server.log; actionlog import --from logux-server server.log
  actionlog import --from logux-server server.log --type users/ --reason audit
  ssh host journalctl -u logux -o cat | actionlog import --from logux-server -";

/// The reason imported entries get when no --reason is given.
const DEFAULT_REASON: &str = "import";

/// What the lines come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Source {
    /// The JSON log of @logux/server (`logger: 'json'`): each "Action was
    /// added" line is an entry.
    LoguxServer,
}

/// Bring in the actions a Logux server logged.
///
/// Reads the JSON lines @logux/server writes with `logger: 'json'` (on its
/// stderr). Every "Action was added" and "Action was added and cleaned"
/// line becomes an entry with the action and meta it logged (less
/// `added`, which this log gives), in the order logged, each ID once: an
/// ID already in the log is skipped. The entries keep the server's reasons
/// and get the --reason reasons ("import" if none is given), so that they
/// stay. Lines of other kinds are skipped and counted on stderr; a line
/// that is not JSON is an error naming it, and the log is not changed.
/// Prints the events, like `add`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// What wrote the lines.
    #[arg(long, value_enum, value_name = "SOURCE")]
    from: Source,

    /// The server's log; `-` reads it from stdin.
    #[arg(value_name = "FILE")]
    input: PathBuf,

    /// A reason for every imported entry (repeatable).
    #[arg(add = crate::cli::complete::reasons(), short = 'r', long = "reason", value_name = "R")]
    reasons: Vec<String>,

    #[command(flatten)]
    filters: KeptForFilterArgs,

    /// Print what would happen; change nothing.
    #[arg(short = 'n', long)]
    dry_run: bool,
}

/// What one line of the server's log is.
enum Logged<'a> {
    /// An action the server added: its action's and meta's text.
    Added {
        action: &'a str,
        meta: &'a str,
    },
    Other,
}

/// Reads one line of @logux/server's JSON log.
fn read_line(line: &str) -> Result<Logged<'_>, String> {
    let bytes = line.as_bytes();
    let span = json::whole(bytes).map_err(|e| {
        if line.trim_start().starts_with('{') {
            format!("not JSON: {e}")
        } else {
            format!("not JSON: {e} (is it the server's human log? start it with logger: 'json')")
        }
    })?;
    if bytes[span.start] != b'{' {
        return Err("not a JSON object".into());
    }
    let mut members = json::Members::new(bytes, span.start, 0).map_err(|e| e.to_string())?;
    let (mut msg, mut action, mut meta) = (None, None, None);
    while let Some(member) = members.next_member().map_err(|e| e.to_string())? {
        match &*member.key.decode(line) {
            "msg" => msg = json::as_string(line, member.value),
            "action" => action = Some(member.value),
            "meta" => meta = Some(member.value),
            _ => {}
        }
    }
    match msg.as_deref() {
        Some("Action was added" | "Action was added and cleaned") => {
            let action = action.ok_or("an added action's line without \"action\"")?;
            let meta = meta.ok_or("an added action's line without \"meta\"")?;
            Ok(Logged::Added {
                action: &line[action],
                meta: &line[meta],
            })
        }
        _ => Ok(Logged::Other),
    }
}

impl Args {
    pub fn reads_stdin(&self) -> bool {
        self.input.as_os_str() == "-"
    }
}

pub fn run(args: &Args, session: &mut Session) -> anyhow::Result<Status> {
    let Source::LoguxServer = args.from;
    let query = args.filters.query()?;
    let (name, reader) = open_input(args, session)?;
    let mut reasons: Vec<String> = args.reasons.clone();
    if reasons.is_empty() {
        reasons.push(DEFAULT_REASON.to_owned());
    }
    let now = session.now();
    let Staged {
        log: staging,
        mut originals,
        skipped,
    } = stage(reader, &name, &reasons, &session.config.node_id, now)?;
    // The reasons are in each meta already.
    let options = MergeOptions {
        rules: session.config.rules.clone(),
        ..MergeOptions::default()
    };
    let matcher = query.for_log(&staging);
    let kept = session.keep_for_dry_run(args.dry_run);
    let mut events = Vec::new();
    let (mut imported, mut filtered) = (0u64, 0u64);
    for entry in staging.entries(Order::Added, None) {
        if !matcher.matches(entry) {
            filtered += 1;
            continue;
        }
        let mut meta = match originals.remove(entry.id()) {
            Some(meta) => meta,
            None => MetaText::parse(&entry.meta()).map_err(Error::Invalid)?,
        };
        meta.remove("added");
        let (log, ids) = session.log_and_ids();
        let added = add_incoming(log, &entry.action(), meta, &options, ids, now)?;
        imported += added.iter().any(|e| e.kind == EventKind::Add) as u64;
        events.extend(added);
    }
    session.report_or_preview(kept, events);
    say!(
        "actionlog: {name}: {} {imported} {}; skipped {skipped} {} of other kinds{}",
        if args.dry_run {
            "would import"
        } else {
            "imported"
        },
        if imported == 1 { "action" } else { "actions" },
        if skipped == 1 { "line" } else { "lines" },
        if filtered > 0 {
            format!(", {filtered} left out by the filters")
        } else {
            String::new()
        }
    );
    Ok(Status::Success)
}

/// The server's log to read, and what messages call it.
fn open_input(args: &Args, session: &mut Session) -> anyhow::Result<(String, Box<dyn BufRead>)> {
    let input = crate::cli::stdio::location(&args.input);
    let name = match &input {
        Location::Stream { .. } => "stdin".to_owned(),
        Location::File(path) => sanitize(&path.display().to_string()),
    };
    let reader: Box<dyn BufRead> = match &input {
        Location::Stream { .. } => {
            session.piped_stdin("give the server's log as a file", "pipe it into stdin")?
        }
        Location::File(path) => {
            if let Location::File(log) = session.location()
                && actionlog::store::same_file(path, log)
            {
                return Err(UsageError(format!("{name} is the log itself")).into());
            }
            let file = std::fs::File::open(path)
                .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
            Box::new(std::io::BufReader::with_capacity(1 << 16, file))
        }
    };
    Ok((name, reader))
}

/// The server's actions, read into a log of their own before any reaches
/// the log: the filters then see each entry as it will be, and a bad line
/// changes nothing.
struct Staged {
    log: Log,
    /// Each action's meta as logged, by ID: the staging's own add has
    /// applied keepLast to it already.
    originals: HashMap<String, MetaText>,
    /// Lines that log something other than an added action.
    skipped: u64,
}

fn stage(
    mut reader: Box<dyn BufRead>,
    name: &str,
    reasons: &[String],
    node_id: &str,
    now: u64,
) -> anyhow::Result<Staged> {
    let mut staged = Staged {
        log: Log::new(),
        originals: HashMap::new(),
        skipped: 0,
    };
    let mut ids = IdGenerator::new(node_id)?;
    let mut line = Vec::new();
    let mut number = 0u64;
    loop {
        line.clear();
        number += 1;
        let read = read_line_at_most(&mut reader, &mut line, MAX_INPUT_LINE)
            .map_err(|e| Error::io(format!("cannot read {name}"), e))?;
        let at = || format!("{name}:{number}");
        match read {
            Line::End => break,
            Line::TooLong => {
                return Err(Error::input(format!(
                    "{}: a line longer than {MAX_INPUT_LINE} bytes",
                    at()
                ))
                .into());
            }
            Line::Read => {}
        }
        let text = std::str::from_utf8(&line)
            .map_err(|e| Error::input(format!("{}: not UTF-8 text: {e}", at())))?;
        let text = text.trim_end_matches(['\n', '\r']);
        if text.trim().is_empty() {
            continue;
        }
        let (action, meta) = match read_line(text) {
            Ok(Logged::Added { action, meta }) => (action, meta),
            Ok(Logged::Other) => {
                staged.skipped += 1;
                continue;
            }
            Err(e) => return Err(Error::input(format!("{}: {}", at(), sanitize(&e))).into()),
        };
        let added = staged_meta(meta, reasons).and_then(|(id, meta)| {
            staged.originals.entry(id).or_insert_with(|| meta.clone());
            staged.log.add(action, meta, &mut ids, now).map(drop)
        });
        added.with_context(at)?;
    }
    Ok(staged)
}

/// The meta an action is imported with, and its ID: the logged meta
/// without `added`, with `reasons` added to its own.
fn staged_meta(meta: &str, reasons: &[String]) -> actionlog::Result<(String, MetaText)> {
    let mut meta = MetaText::parse(meta).map_err(Error::Invalid)?;
    let Some(id) = meta
        .get("id")
        .and_then(|raw| json::as_string(raw, 0..raw.len()))
    else {
        return Err(Error::input("the logged meta has no string \"id\""));
    };
    meta.remove("added");
    let mut all: Vec<String> = meta
        .get("reasons")
        .and_then(|raw| json::as_string_array(raw, 0..raw.len()))
        .unwrap_or_default();
    for reason in reasons {
        if !all.contains(reason) {
            all.push(reason.clone());
        }
    }
    meta.set_strings("reasons", all.iter().map(String::as_str));
    Ok((id, meta))
}
