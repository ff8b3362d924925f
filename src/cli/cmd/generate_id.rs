//! `generate-id`: prints new action IDs for this node.

use crate::cli::exit::Status;
use crate::cli::session::Session;

const EXAMPLES: &str = "Examples:
  actionlog generate-id
  ACTIONLOG_NOW=1564508138460 actionlog --node-id 380:R7BNGAP5 generate-id --count 3";

/// Print new action IDs.
///
/// An ID is "<ms> <node ID> <counter>": the clock (or ACTIONLOG_NOW), the
/// node ID (--node-id), and a counter for IDs made in the same millisecond.
/// IDs continue after the newest ID of this node in the log, so they grow
/// even when the clock goes back. Printed one per line; a JSON array of
/// strings with --format json.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// How many IDs to print.
    #[arg(long, default_value_t = 1, value_name = "N")]
    count: u64,
}

pub fn run(args: &Args, session: &mut Session) -> anyhow::Result<Status> {
    let now = session.now();
    // Recorded before printed: a reader that takes the first ID and goes
    // away (`generate-id --count 1000 | head -1`) must not see it again.
    let mut ids = session.reserve_ids(args.count, now)?;
    let generated = (0..args.count).map(|_| ids.next(now).map_err(std::io::Error::other));
    session.out.lines(generated)?;
    Ok(Status::Success)
}
