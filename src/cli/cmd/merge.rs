//! `merge`: another node's log brought into this one, as Logux sync would.

use std::path::PathBuf;

use actionlog::merge::{MergeOptions, merge};
use actionlog::store::{Access, Location, LogFile};

use crate::cli::exit::{Status, UsageError};
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
    /// The other log file; `-` reads it from stdin.
    #[arg(value_name = "OTHER")]
    other: PathBuf,

    /// Milliseconds added to every incoming time: the other node's clock
    /// difference, as Logux applies it on receipt.
    #[arg(long, value_name = "MS", allow_negative_numbers = true)]
    time_fix: Option<f64>,

    /// A reason for every incoming entry (repeatable).
    #[arg(long = "reason", value_name = "R")]
    reasons: Vec<String>,

    /// Print what would happen; change nothing.
    #[arg(long)]
    dry_run: bool,
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
    let other = LogFile::options(Access::Read)
        .hold(session.hold())
        .stream_limit(session.config.stream_limit)
        .open(other)?;
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
