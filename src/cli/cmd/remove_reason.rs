//! `remove-reason`: takes a reason off the entries that meet the criteria.

use actionlog::id::parse_action_id;
use actionlog::{Criteria, Log, OrderKey};

use crate::cli::exit::Status;
use crate::cli::session::Session;

const EXAMPLES: &str = r#"Examples:
  actionlog remove-reason syncing --max-added 120
  actionlog remove-reason user/386/name --older-than "1564508138460 380:R7BNGAP5:px3-J3oc 0""#;

/// Remove a reason from actions.
///
/// Every criterion given must hold; with none, the reason is taken off every
/// action that has it. Actions left without reasons are removed from the log
/// and reported cleaned. --older-than and --younger-than take an action ID:
/// the meta of that action if it is in the log, otherwise the time read from
/// the ID.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The reason to remove.
    #[arg(value_name = "REASON")]
    reason: String,

    /// Only the action with this ID.
    #[arg(long, value_name = "ID")]
    id: Option<String>,

    /// Only actions older than this one.
    #[arg(long, value_name = "ID")]
    older_than: Option<String>,

    /// Only actions younger than this one.
    #[arg(long, value_name = "ID")]
    younger_than: Option<String>,

    /// Only actions with "added" at least N.
    #[arg(long, value_name = "N")]
    min_added: Option<u64>,

    /// Only actions with "added" at most N.
    #[arg(long, value_name = "N")]
    max_added: Option<u64>,

    /// Print what would happen; change nothing.
    #[arg(long)]
    dry_run: bool,
}

/// An --older-than or --younger-than bound, owned so that the log can be
/// changed while it is used: the time and ID of the action.
struct Bound {
    time: f64,
    id: String,
}

impl Bound {
    fn new(log: &Log, option: &str, id: &str) -> anyhow::Result<Bound> {
        let time = match log.get(id) {
            Some(entry) => entry.time(),
            None => {
                let parts = parse_action_id(id)
                    .map_err(|e| actionlog::Error::input(format!("{option}: {e}")))?;
                parts.ms as f64
            }
        };
        Ok(Bound {
            time,
            id: id.to_owned(),
        })
    }

    fn key(&self) -> OrderKey<'_> {
        let parts = parse_action_id(&self.id).expect("checked when the bound was made");
        OrderKey::new(self.time, &self.id, &parts)
    }
}

pub fn run(args: &Args, session: &mut Session) -> anyhow::Result<Status> {
    if let Some(id) = &args.id {
        // No entry has an ID that is not one; a typo must not pass as
        // "nothing to remove".
        parse_action_id(id).map_err(|e| actionlog::Error::input(format!("--id: {e}")))?;
    }
    let older = args
        .older_than
        .as_deref()
        .map(|id| Bound::new(session.log(), "--older-than", id))
        .transpose()?;
    let younger = args
        .younger_than
        .as_deref()
        .map(|id| Bound::new(session.log(), "--younger-than", id))
        .transpose()?;
    let criteria = Criteria {
        id: args.id.as_deref(),
        older_than: older.as_ref().map(Bound::key),
        younger_than: younger.as_ref().map(Bound::key),
        min_added: args.min_added,
        max_added: args.max_added,
    };
    let kept = session.keep_for_dry_run(args.dry_run);
    let (log, _) = session.log_and_ids();
    let events = log.remove_reason(&args.reason, &criteria)?;
    session.report_or_preview(kept, events);
    Ok(Status::Success)
}
