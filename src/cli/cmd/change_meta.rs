//! `change-meta`: a shallow change of one entry's meta.

use actionlog::{Error, MetaText};

use super::compact_json;
use crate::cli::exit::Status;
use crate::cli::session::Session;

const EXAMPLES: &str = r#"Examples:
  actionlog change-meta "1564508138460 380:R7BNGAP5:px3-J3oc 0" '{"status":"processed"}'
  actionlog change-meta "1564508138460 380:R7BNGAP5:px3-J3oc 0" '{"reasons":[]}'"#;

/// Change the meta of one action.
///
/// Each key of the diff replaces the key of the meta. "reasons": [] removes
/// the action from the log and reports it cleaned. The keys id, added, time,
/// subprotocol and indexes are read-only. Exits with 1 if the ID is not in
/// the log.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The action ID.
    #[arg(value_name = "ID")]
    id: String,

    /// A JSON object of meta keys to set.
    #[arg(value_name = "DIFF_JSON")]
    diff: String,

    /// Print what would happen; change nothing.
    #[arg(long)]
    dry_run: bool,
}

pub fn run(args: &Args, session: &mut Session) -> anyhow::Result<Status> {
    let diff = MetaText::parse(&compact_json("DIFF_JSON", &args.diff)?)
        .map_err(|e| Error::input(format!("DIFF_JSON: {e}")))?;
    let kept = session.keep_for_dry_run(args.dry_run);
    let (log, _) = session.log_and_ids();
    let events = log.change_meta(&args.id, &diff)?;
    session.report_or_preview(kept, events);
    Ok(Status::Success)
}
