//! `add-reason`: puts reasons on the entries that meet the criteria.

use super::criteria::CriteriaArgs;
use crate::cli::exit::Status;
use crate::cli::session::Session;

const EXAMPLES: &str = r#"Examples:
  actionlog add-reason pinned --index channel/7
  actionlog add-reason audit --min-added 120 --max-added 180 --dry-run
  actionlog order --type user/rename | jq -r '.[1].id' | actionlog add-reason audit --ids -"#;

/// Add reasons to actions that are in the log.
///
/// Each REASON is put on every action that meets all the criteria given
/// (with none, on every action) and does not have it yet, as addReason of
/// @logux/core 0.12 does. Prints nothing: no action is added or cleaned.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The reasons to add.
    #[arg(add = crate::cli::complete::reasons(), value_name = "REASON", required = true)]
    reasons: Vec<String>,

    #[command(flatten)]
    criteria: CriteriaArgs,

    /// Change nothing (there is nothing to print: the summary on a terminal
    /// says what would change).
    #[arg(short = 'n', long)]
    dry_run: bool,
}

impl Args {
    pub fn reads_stdin(&self) -> bool {
        self.criteria.reads_stdin()
    }
}

pub fn run(args: &Args, session: &mut Session) -> anyhow::Result<Status> {
    let resolved = args.criteria.resolve(session)?;
    let criteria = resolved.criteria();
    let kept = session.keep_for_dry_run(args.dry_run);
    let (log, _) = session.log_and_ids();
    let reasons: Vec<&str> = args.reasons.iter().map(String::as_str).collect();
    log.add_reason(&reasons, &criteria)?;
    session.report_or_preview(kept, Vec::new());
    Ok(Status::Success)
}
