//! `remove-reason`: takes a reason off the entries that meet the criteria.

use super::criteria::CriteriaArgs;
use crate::cli::exit::Status;
use crate::cli::session::Session;

const EXAMPLES: &str = r#"Examples:
  actionlog remove-reason syncing --max-added 120
  actionlog remove-reason user/386/name --older-than "1564508138460 380:R7BNGAP5:px3-J3oc 0"
  actionlog remove-reason channel/7 --index channel/7 --except-index pinned
  actionlog order --type typing | jq -r '.[1].id' | actionlog remove-reason syncing --ids -
  actionlog remove-reason syncing --alone --dry-run"#;

/// Remove a reason from actions.
///
/// Every criterion given must hold; with none, the reason is taken off every
/// action that has it. Actions left without reasons are removed from the log
/// and reported cleaned, in created order. --older-than and --younger-than
/// take an action ID: the meta of that action if it is in the log, otherwise
/// the time read from the ID.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The reason to remove.
    #[arg(add = crate::cli::complete::reasons(), value_name = "REASON")]
    reason: String,

    #[command(flatten)]
    criteria: CriteriaArgs,

    /// Only the actions that REASON alone keeps, which are cleaned; every
    /// other action keeps REASON.
    #[arg(long)]
    alone: bool,

    /// Print what would happen; change nothing.
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
    let events = if args.alone {
        log.clean_kept_only_by(&args.reason, &criteria)?
    } else {
        log.remove_reason(&args.reason, &criteria)?
    };
    session.report_or_preview(kept, events);
    Ok(Status::Success)
}
