//! `merge`: another node's log brought into this one, as Logux sync would.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use actionlog::error::Invalid;
use actionlog::merge::{Incoming, MergeLines, MergeOptions, merge};
use actionlog::store::{
    APPEND_START, Access, Block, KeepIdHashes, Location, LogFile, SequentialLog, Wanted,
};
use actionlog::text::{SharedStr, Symbols};
use actionlog::{Error, EventKind, Log, MetaText};

use crate::cli::Format;
use crate::cli::config::Config;
use crate::cli::exit::{Status, UsageError};
use crate::cli::input::{self, JsonValues, Next, Unread};
use crate::cli::session::Session;
use crate::cli::terminal::sanitize;

const EXAMPLES: &str = "Examples:
  actionlog --log server.jsonl merge client.jsonl --reason sync
  actionlog merge other.jsonl --time-fix -350 --reason sync --dry-run
  ssh host cat log.jsonl | actionlog merge - --reason sync";

/// Bring the entries of another node's log into this one.
///
/// Entries come in the order the other log added them. Each action is taken
/// once: an ID already in this log is skipped, so merging again adds
/// nothing. Only id, time and subprotocol of the other meta travel; the
/// other keys belong to the other log. Incoming entries get the --reason
/// reasons; without any they are reported added and cleaned, as `add` does.
/// Prints the events, like `add`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The other log file; `-` reads it from stdin. Also [action, meta]
    /// pairs as `order` prints them (any order, any format), or
    /// pretty-printed.
    #[arg(value_name = "OTHER")]
    other: PathBuf,

    /// Milliseconds added to every incoming time: the other node's clock
    /// difference, as Logux applies it on receipt.
    #[arg(long, value_name = "MS", allow_negative_numbers = true)]
    time_fix: Option<f64>,

    /// A reason for every incoming entry (repeatable).
    #[arg(add = crate::cli::complete::reasons(), short = 'r', long = "reason", value_name = "R")]
    reasons: Vec<String>,

    /// Print what would happen; change nothing.
    #[arg(short = 'n', long)]
    dry_run: bool,
}

impl Args {
    pub fn reads_stdin(&self) -> bool {
        self.other.as_os_str() == "-"
    }
}

pub fn run(args: &Args, session: &mut Session) -> anyhow::Result<Status> {
    let other = crate::cli::stdio::location(&args.other);
    if other.is_stream() && session.config.log.is_stream() {
        return Err(UsageError("the log and OTHER cannot both be stdin".into()).into());
    }
    if let (Location::File(other), Location::File(log)) = (&other, session.location())
        && actionlog::store::same_file(other, log)
    {
        return Err(UsageError(format!(
            "OTHER ({}) is the log itself ({})",
            sanitize(&other.display().to_string()),
            sanitize(&log.display().to_string())
        ))
        .into());
    }
    let time_fix = args.time_fix.unwrap_or(0.0);
    if !time_fix.is_finite() {
        return Err(UsageError("--time-fix must be a number of milliseconds".into()).into());
    }
    if let Location::File(path) = &other {
        // A log that does not exist is empty elsewhere; here it is a typo.
        std::fs::metadata(path)
            .map_err(|e| actionlog::Error::io(format!("cannot read {}", path.display()), e))?;
    }
    let other = read_other(other, session)?;
    let options = MergeOptions {
        time_fix,
        reasons: args.reasons.clone(),
        rules: session.config.rules.clone(),
    };
    let now = session.now();
    let kept = session.keep_for_dry_run(args.dry_run);
    let (log, ids) = session.log_and_ids();
    let events = merge(log, other.log(), &options, ids, now)?;
    session.report_or_preview(kept, events);
    Ok(Status::Success)
}

/// `merge` of a big log file into a log file, when every incoming entry
/// gets a reason, no rules apply and the events are printed as JSON lines:
/// the other log is read a block at a time ([`LogFile::open_sequential`]),
/// this one only for its newest `added`, its node's newest ID and the IDs
/// it shares with the other; each entry taken is made into its line
/// ([`MergeLines`]) and appended as it is made, and its event printed from
/// it after the save. So neither log's entries are held in memory.
/// What it prints and writes is what [`run`] would. `None`, with nothing
/// written, when the options, the files or the logs need [`run`], which
/// also says what is wrong with them.
pub fn run_streaming(args: &Args, config: &Config) -> anyhow::Result<Option<Status>> {
    let time_fix = args.time_fix.unwrap_or(0.0);
    let (Location::File(log_path), Location::File(other_path)) =
        (&config.log, crate::cli::stdio::location(&args.other))
    else {
        return Ok(None);
    };
    if args.dry_run
        || args.reasons.is_empty()
        || config.rules.is_some()
        || config.format != Format::Jsonl
        || !time_fix.is_finite()
        || actionlog::store::same_file(&other_path, log_path)
    {
        return Ok(None);
    }
    let options = MergeOptions {
        time_fix,
        reasons: args.reasons.clone(),
        rules: None,
    };
    // Any trouble with the other file is the general read's to name.
    let Ok(read) = LogFile::options(Access::Read)
        .progress(Box::new(crate::cli::progress::Bar::for_stderr()))
        .open_sequential(&Location::File(other_path), &KeepIdHashes)
    else {
        return Ok(None);
    };
    let Some((other, _)) = read.read() else {
        return Ok(None);
    };
    let wanted = [Wanted::Node(config.node_id.clone())];
    let (mut session, shared) =
        Session::open_sparse_among(config.clone(), &wanted, other.id_hashes())?;
    if std::io::stderr().is_terminal() {
        session.start_summary();
    }
    let now = session.now();
    let (log, ids) = session.log_and_ids();
    let Some(lines) = MergeLines::new(options, ids.clone(), now, log.last_added()) else {
        return Ok(None);
    };
    let log = session.log();
    let in_log = |id: &str| match &shared {
        Some(shared) => shared.contains(id),
        None => log.contains(id),
    };

    // The lines are made three times, as each is cheap: for the append's
    // record (how long they are, how they begin), to write, to print.
    // The first time also finds the entries this log has, to skip.
    let mut sizing = lines.clone();
    let mut line = String::new();
    let (mut len, mut start, mut count) = (0u64, Vec::new(), 0usize);
    let mut taken = Vec::new();
    let mut symbols = Symbols::default();
    for block in other.blocks() {
        let block = block?;
        for entry in entries(&block) {
            let incoming = Incoming::read(&entry, &mut symbols)?;
            let take = !in_log(incoming.id());
            taken.push(take);
            if !take {
                continue;
            }
            sizing.line(&incoming, &mut line)?;
            len += line.len() as u64 + 1;
            count += 1;
            if start.len() < APPEND_START {
                start.extend_from_slice(line.as_bytes());
                start.push(b'\n');
            }
        }
    }
    start.truncate(APPEND_START);
    if count > 0 {
        // The IDs are recorded with the append's record, before any line
        // is written, as a save records them.
        session.take_ids_on(sizing.ids());
        let mut writing = lines.clone();
        let appended = session.append_lines(len, &start, sizing.last_added(), &mut |out| {
            each_taken(&other, &taken, |incoming| {
                writing.line(incoming, &mut line)?;
                out.write_all(line.as_bytes())?;
                out.write_all(b"\n")?;
                Ok(())
            })
            .map_err(std::io::Error::other)
        })?;
        if !appended {
            return Ok(None);
        }
        session.save_now()?;
        let mut printing = lines;
        let mut line = String::new();
        each_taken(&other, &taken, |incoming| {
            let meta = printing.line(incoming, &mut line)?;
            let action = &line[1..meta.start - 1];
            session
                .out
                .event_line(EventKind::Add, action, [&line[meta]])?;
            Ok(())
        })?;
    }
    session.sum_up_adds(count);
    session.finish()?;
    Ok(Some(Status::Success))
}

/// The `[action, meta]` text of each entry of a block.
fn entries(block: &Block) -> impl Iterator<Item = SharedStr> + '_ {
    block.entries(0..block.text().len())
}

/// Calls `each` with every entry of `other` that `taken` (a flag for every
/// entry, in added order) says the merge takes, read again.
fn each_taken(
    other: &SequentialLog,
    taken: &[bool],
    mut each: impl FnMut(&Incoming<'_>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut taken = taken.iter();
    let mut symbols = Symbols::default();
    for block in other.blocks() {
        let block = block?;
        for entry in entries(&block) {
            if *taken.next().unwrap_or(&false) {
                each(&Incoming::read(&entry, &mut symbols)?)?;
            }
        }
    }
    Ok(())
}

enum Other {
    File(Box<LogFile>),
    Read(Box<Log>),
}

impl Other {
    fn log(&self) -> &Log {
        match self {
            Other::File(file) => file.log(),
            Other::Read(log) => log,
        }
    }
}

/// The other log: a log file, or else the same entries as people have
/// them: pretty-printed, one after another, in an array (as `order --format
/// json` prints them), or in another order than added (as `order` prints
/// them), where every entry is an `[action, meta]` pair with its ID.
fn read_other(other: Location, session: &mut Session) -> anyhow::Result<Other> {
    let limit = session.config.stream_limit;
    let name = other.display_path();
    let bytes = match &other {
        Location::File(path) => {
            match LogFile::options(Access::Read)
                .hold(session.hold())
                .stream_limit(limit)
                .open(other.clone())
            {
                Ok(file) if !file.log().is_empty() || !holds_actions(path, limit) => {
                    return Ok(Other::File(Box::new(file)));
                }
                Ok(_) | Err(Error::BadLog { .. }) => actionlog::store::read_untrusted(path, limit)?,
                Err(error) => return Err(error.into()),
            }
        }
        Location::Stream { .. } => {
            let input =
                session.piped_stdin("give the other log as a file", "pipe it into stdin")?;
            let bytes = crate::cli::session::read_to_limit(input, limit, "OTHER")?;
            match actionlog::store::parse(bytes.clone(), &name) {
                Ok(stored) if !stored.log.is_empty() || !first_value_is_action(&bytes) => {
                    return Ok(Other::Read(Box::new(stored.log)));
                }
                Ok(_) | Err(Error::BadLog { .. }) => bytes,
                Err(error) => return Err(error.into()),
            }
        }
    };
    // Not a log as a file holds one: read as people have entries, which
    // also says best what is wrong where (a line of `order`'s output is
    // out of `added` order for a log, and fine here).
    Ok(Other::Read(Box::new(entries_as_people_have_them(
        &bytes, &name, limit,
    )?)))
}

/// Whether the file, read as a log with no entries, holds more than a
/// log's header (an action alone reads as one).
fn holds_actions(path: &Path, limit: u64) -> bool {
    actionlog::store::read_untrusted(path, limit).is_ok_and(|bytes| first_value_is_action(&bytes))
}

fn first_value_is_action(bytes: &[u8]) -> bool {
    let mut values = JsonValues::new(bytes);
    let mut value = Vec::new();
    matches!(
        values.next(&mut value, usize::MAX, u64::MAX),
        Ok(Next::Value { .. })
    ) && !is_header(&value)
}

/// Whether a value is a log's header line rather than an entry.
fn is_header(value: &[u8]) -> bool {
    std::str::from_utf8(value)
        .ok()
        .and_then(|text| actionlog::MetaText::parse(text).ok())
        .is_some_and(|members| {
            !members.contains("type")
                && ["actionlog", "lastAdded", "lastSynced"]
                    .iter()
                    .any(|key| members.contains(key))
        })
}

/// The log that `[action, meta]` pairs make, in the order of their
/// `added` if each has its own, else in the order given (as when two logs'
/// entries come one after the other).
fn entries_as_people_have_them(bytes: &[u8], name: &Path, limit: u64) -> anyhow::Result<Log> {
    let mut values = JsonValues::new(bytes);
    let mut value = Vec::new();
    // Each entry as a line of a log, with the line of the input it is on.
    let mut entries: Vec<(Option<u64>, MetaText, String, u64)> = Vec::new();
    let at = |line: u64, error: Error| -> anyhow::Error {
        let problem = match error {
            Error::Invalid(problem) => problem,
            other => Invalid::from(other.to_string()),
        };
        Error::BadLog {
            path: name.to_owned(),
            line: usize::try_from(line).unwrap_or(usize::MAX),
            problem,
        }
        .into()
    };
    loop {
        let (start, text) = match values.next_text(&mut value, limit, "OTHER") {
            Ok(Some(read)) => read,
            Ok(None) => break,
            Err(Unread::Io(e)) => return Err(Error::io("cannot read OTHER", e).into()),
            Err(Unread::Bad(problem)) => return Err(at(problem.line, problem.error)),
        };
        if is_header(text.as_bytes()) {
            // A log's header: the entries carry what merging needs.
            continue;
        }
        if let Err(syntax) = actionlog::json::whole(text.as_bytes()) {
            let problem = input::syntax_problem("OTHER", text.as_bytes(), start, &syntax);
            return Err(at(problem.line, problem.error));
        }
        let found = input::actions_in("OTHER", text, start)
            .map_err(|problem| at(problem.line, problem.error))?;
        for found in found {
            let Some(meta) = found.meta else {
                return Err(at(
                    found.line,
                    Error::input(
                        "an action without its meta has no ID to merge by: give [action, meta] pairs",
                    ),
                ));
            };
            let added = meta.get("added").and_then(|raw| raw.parse::<u64>().ok());
            entries.push((added, meta, found.action.into_owned(), found.line));
        }
    }
    let mut numbers: Vec<Option<u64>> = entries.iter().map(|(added, ..)| *added).collect();
    numbers.sort_unstable();
    let distinct = numbers.windows(2).all(|pair| pair[0] != pair[1]);
    if distinct && numbers.iter().all(Option::is_some) {
        entries.sort_by_key(|(added, ..)| *added);
    } else {
        // Numbers of several logs, or none: the order given, numbered anew.
        for (_, meta, _, _) in &mut entries {
            meta.remove("added");
        }
    }
    let mut text = String::new();
    for (_, meta, action, _) in &entries {
        text.push_str(&format!("[{action},{}]\n", meta.to_json()));
    }
    match actionlog::store::parse(text.into_bytes(), name) {
        Ok(stored) => Ok(stored.log),
        Err(Error::BadLog { line, problem, .. }) => {
            let given = entries.get(line.wrapping_sub(1)).map_or(0, |(.., at)| *at);
            Err(at(given, Error::Invalid(problem)))
        }
        Err(error) => Err(error.into()),
    }
}
