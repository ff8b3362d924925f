//! `is-older`: `isFirstOlder` for scripts, answered by the exit status.

use actionlog::id::parse_action_id;
use actionlog::{Error, Log, OrderKey, is_first_older};

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

fn time_of(log: &Log, id: &str) -> Result<f64, Error> {
    match log.get(id) {
        Some(entry) => Ok(entry.time()),
        None => Ok(parse_action_id(id)?.ms as f64),
    }
}

pub fn run(args: &Args, session: &mut Session) -> anyhow::Result<Status> {
    let log = session.log();
    let (a, b) = (&args.first, &args.second);
    let (parts_a, parts_b) = (parse_action_id(a)?, parse_action_id(b)?);
    let key_a = OrderKey::new(time_of(log, a)?, a, &parts_a);
    let key_b = OrderKey::new(time_of(log, b)?, b, &parts_b);
    Ok(if is_first_older(&key_a, &key_b) {
        Status::Success
    } else {
        Status::NotFound
    })
}
