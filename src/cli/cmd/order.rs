//! `order`: the log's entries in created or added order.

use actionlog::Order;
use clap::ValueEnum;

use super::filter::FilterArgs;
use crate::cli::exit::Status;
use crate::cli::session::Session;

const EXAMPLES: &str = r#"Examples:
  actionlog order
  actionlog order --by added --index user/386
  actionlog order --type posts/ --user 10 --since 1564508138000
  actionlog order --meta 'subprotocol="1.2.0"' --reason syncing
  actionlog order "2 server:x 0" "1 server:x 0""#;

/// Print the log's entries in order.
///
/// Created order sorts by isFirstOlder, oldest first: meta.time, then the
/// node ID, then the counter, then the ID's milliseconds. Added order is the
/// order in which entries entered this log. Given IDs, prints just those
/// entries, oldest first (exits with 1 if one is not in the log).
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Which order.
    #[arg(long, value_enum, default_value_t = By::Created)]
    by: By,

    /// Only entries in this index.
    #[arg(long, value_name = "NAME")]
    index: Option<String>,

    /// Only these actions.
    #[arg(value_name = "ID")]
    ids: Vec<String>,

    #[command(flatten)]
    filters: FilterArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum By {
    Created,
    Added,
}

pub fn run(args: &Args, session: &mut Session) -> anyhow::Result<Status> {
    let order = match args.by {
        By::Created => Order::Created,
        By::Added => Order::Added,
    };
    let query = args.filters.query()?;
    let (log, out) = session.log_and_out();
    let matcher = query.for_log(log);
    if args.ids.is_empty() {
        let entries = log.entries(order, args.index.as_deref());
        out.entries(entries.filter(|e| matcher.matches(e)))?;
    } else {
        let mut picked = log.pick(&args.ids)?;
        if let Some(index) = &args.index {
            let symbol = log.symbol(index);
            picked.retain(|entry| symbol.is_some_and(|s| entry.in_index(s)));
        }
        picked.retain(|entry| matcher.matches(entry));
        if order == Order::Added {
            picked.sort_by_key(|entry| entry.added());
        }
        out.entries(picked.into_iter())?;
    }
    Ok(Status::Success)
}
