//! `synced`: the log's `lastSynced`, read or set.

use actionlog::id::MAX_SAFE_INTEGER;

use crate::cli::exit::Status;
use crate::cli::session::Session;

const EXAMPLES: &str = "Examples:
  actionlog synced
  actionlog synced --sent 42";

/// Print or set the log's lastSynced: the `added` numbers of the newest
/// entries sent to and received from the other node, kept in the log's
/// header line. Setting it rewrites the file.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Set `sent` to N.
    #[arg(long, value_name = "N")]
    sent: Option<u64>,

    /// Set `received` to N.
    #[arg(long, value_name = "N")]
    received: Option<u64>,

    /// Print what would happen; change nothing.
    #[arg(short = 'n', long)]
    dry_run: bool,
}

impl Args {
    pub fn sets(&self) -> bool {
        self.sent.is_some() || self.received.is_some()
    }
}

pub fn run(args: &Args, session: &mut Session) -> anyhow::Result<Status> {
    let (sent, received) = session.last_synced();
    let synced = (args.sent.unwrap_or(sent), args.received.unwrap_or(received));
    for (name, value) in [("--sent", args.sent), ("--received", args.received)] {
        if value.is_some_and(|n| n > MAX_SAFE_INTEGER) {
            return Err(actionlog::Error::input(format!(
                "{name}: an added number is at most {MAX_SAFE_INTEGER}"
            ))
            .into());
        }
    }
    if args.sets() && !args.dry_run {
        session.set_last_synced(synced);
        // What it prints must be what the file holds.
        session.save_now()?;
    }
    let fields = [
        ("sent", synced.0.to_string()),
        ("received", synced.1.to_string()),
    ];
    session.out.fields(&fields)?;
    Ok(Status::Success)
}
