//! `merge`: another node's log brought into this one, as Logux sync would.

use std::path::{Path, PathBuf};

use actionlog::merge::{MergeOptions, merge};
use actionlog::store::{Access, Location, LogFile};
use actionlog::{Error, Log};

use crate::cli::exit::{Status, UsageError};
use crate::cli::input::{self, JsonValues, Next};
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
    let other = Location::from_arg(&args.other);
    if other == Location::Stdio && session.config.log == Location::Stdio {
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
    let (error, bytes) = match &other {
        Location::File(path) => {
            match LogFile::options(Access::Read)
                .hold(session.hold())
                .stream_limit(limit)
                .open(other.clone())
            {
                Ok(file) => return Ok(Other::File(Box::new(file))),
                Err(error @ Error::BadLog { .. }) => {
                    (error, actionlog::store::read_untrusted(path, limit)?)
                }
                Err(error) => return Err(error.into()),
            }
        }
        Location::Stdio => {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(
                &mut std::io::Read::take(session.stdin(), limit.saturating_add(1)),
                &mut bytes,
            )
            .map_err(|e| Error::io("cannot read OTHER from standard input", e))?;
            if bytes.len() as u64 > limit {
                return Err(Error::input(format!(
                    "OTHER on stdin: more than {limit} bytes (set {} for more)",
                    crate::cli::config::STREAM_LIMIT_VAR
                ))
                .into());
            }
            match actionlog::store::parse(bytes.clone(), &name) {
                Ok(stored) => return Ok(Other::Read(Box::new(stored.log))),
                Err(error @ Error::BadLog { .. }) => (error, bytes),
                Err(error) => return Err(error.into()),
            }
        }
    };
    match entries_as_people_have_them(&bytes, &name, limit) {
        Ok(log) => Ok(Other::Read(Box::new(log))),
        // Where the input reads as JSON lines, the log's own error says
        // best what is wrong with it.
        Err((looks_like_lines, _)) if looks_like_lines => Err(error.into()),
        Err((_, problem)) => Err(problem),
    }
}

/// The log that `[action, meta]` pairs make, in the order of their
/// `added`, if each has one, else in the order given. The error says
/// whether the input read as one value a line (JSON lines), to choose
/// which error to show.
fn entries_as_people_have_them(
    bytes: &[u8],
    name: &Path,
    limit: u64,
) -> Result<Log, (bool, anyhow::Error)> {
    let mut values = JsonValues::new(bytes);
    let mut value = Vec::new();
    // Each entry as a line of a log, with the line of the input it is on.
    let mut entries: Vec<(Option<u64>, String, u64)> = Vec::new();
    let mut last_line = 0;
    let mut one_a_line = true;
    let at = |line: u64, error: Error| -> anyhow::Error {
        Error::BadLog {
            path: name.to_owned(),
            line: usize::try_from(line).unwrap_or(usize::MAX),
            message: error.to_string(),
        }
        .into()
    };
    loop {
        let line = match values.next(&mut value, crate::cli::cmd::add::MAX_INPUT_LINE, limit) {
            Err(e) => return Err((false, Error::io("cannot read OTHER", e).into())),
            Ok(Next::End) => break,
            Ok(Next::TooLong { line }) => {
                return Err((
                    one_a_line,
                    at(line, Error::input("longer than an entry may be")),
                ));
            }
            Ok(Next::Value { line }) => line,
        };
        one_a_line &= line > last_line && !value.contains(&b'\n');
        last_line = line;
        let Ok(text) = std::str::from_utf8(&value) else {
            return Err((one_a_line, at(line, Error::input("not UTF-8"))));
        };
        if text.starts_with("{\"actionlog\"") {
            // A log's header: the entries carry what merging needs.
            continue;
        }
        if let Err(syntax) = actionlog::json::whole(text.as_bytes()) {
            let problem = input::syntax_problem("OTHER", text.as_bytes(), line, &syntax);
            return Err((one_a_line, at(problem.line, problem.error)));
        }
        let found = input::actions_in("OTHER", text, line)
            .map_err(|problem| (one_a_line, at(problem.line, problem.error)))?;
        for found in found {
            let Some(meta) = found.meta else {
                return Err((
                    one_a_line,
                    at(
                        found.line,
                        Error::input(
                            "an action without its meta has no ID to merge by: give [action, meta] pairs",
                        ),
                    ),
                ));
            };
            let added = meta.get("added").and_then(|raw| raw.parse::<u64>().ok());
            entries.push((
                added,
                format!("[{},{}]", found.action, meta.to_json()),
                found.line,
            ));
        }
    }
    if entries.iter().all(|(added, _, _)| added.is_some()) {
        entries.sort_by_key(|(added, _, _)| *added);
    }
    let mut text = String::new();
    for (_, line, _) in &entries {
        text.push_str(line);
        text.push('\n');
    }
    match actionlog::store::parse(text.into_bytes(), name) {
        Ok(stored) => Ok(stored.log),
        Err(Error::BadLog { line, message, .. }) => {
            let given = entries
                .get(line.wrapping_sub(1))
                .map_or(0, |(_, _, at)| *at);
            Err((one_a_line, at(given, Error::input(message))))
        }
        Err(error) => Err((one_a_line, error.into())),
    }
}
