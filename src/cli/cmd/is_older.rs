//! `is-older`: `isFirstOlder` for scripts, answered by the exit status.

use actionlog::{Place, is_first_older};

use crate::cli::exit::Status;
use crate::cli::session::Session;

const EXAMPLES: &str = r#"Examples:
  if actionlog is-older "1 a:b 0" "1 a:c 0"; then echo older; fi"#;

/// Exit with 0 if action A is older than action B, else with 1.
///
/// Compares meta.time, then the node IDs, then the counters, then the IDs'
/// milliseconds. An ID in the log is compared with its meta; any other ID
/// with the time read from it. Prints nothing.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The first action ID.
    #[arg(add = crate::cli::complete::ids(), value_name = "A")]
    first: String,

    /// The second action ID.
    #[arg(add = crate::cli::complete::ids(), value_name = "B")]
    second: String,
}

pub fn run(args: &Args, session: &mut Session) -> anyhow::Result<Status> {
    let log = session.log();
    let (a, b) = (&args.first, &args.second);
    let (a, b) = (Place::in_log(a, log)?, Place::in_log(b, log)?);
    Ok(if is_first_older(&a.key(), &b.key()) {
        Status::Success
    } else {
        Status::NotFound
    })
}
