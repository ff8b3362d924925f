//! The filter options `order`, `stats`, `export` and `sync` share, turned
//! into a [`Query`](actionlog::query::Query).

use actionlog::Error;
use actionlog::query::{Bound, Query};

/// Which entries: every filter given must hold; one given twice holds if
/// either value does.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FilterArgs {
    /// Only entries kept for this reason.
    #[arg(long = "reason", value_name = "R", help_heading = "Filters")]
    reasons: Vec<String>,

    #[command(flatten)]
    others: OtherFilters,
}

/// [`FilterArgs`] for the commands whose `--reason` gives reasons to the
/// entries they bring (`sync`, `import`): the filter on reasons is
/// `--kept-for`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct KeptForFilterArgs {
    /// Only entries kept for this reason.
    #[arg(long = "kept-for", value_name = "R", help_heading = "Filters")]
    kept_for: Vec<String>,

    #[command(flatten)]
    others: OtherFilters,
}

impl KeptForFilterArgs {
    pub fn query(&self) -> Result<Query, Error> {
        self.others.query(&self.kept_for)
    }
}

/// The filters besides reasons.
#[derive(Debug, Clone, Default, clap::Args)]
struct OtherFilters {
    /// Only this action type; ending in `/`, every type that starts so.
    #[arg(long = "type", value_name = "TYPE", help_heading = "Filters")]
    types: Vec<String>,

    /// Only actions created by this node ID.
    #[arg(long = "node", value_name = "NODE", help_heading = "Filters")]
    nodes: Vec<String>,

    /// Only actions of this user (the first part of the node ID).
    #[arg(long = "user", value_name = "USER", help_heading = "Filters")]
    users: Vec<String>,

    /// Only actions created at or after this time (ms) or action ID.
    #[arg(long, value_name = "MS|ID", help_heading = "Filters")]
    since: Option<String>,

    /// Only actions created at or before this time (ms) or action ID.
    #[arg(long, value_name = "MS|ID", help_heading = "Filters")]
    until: Option<String>,

    /// Only entries whose meta KEY equals this JSON value.
    #[arg(long = "meta", value_name = "KEY=JSON", help_heading = "Filters")]
    meta: Vec<String>,
}

impl FilterArgs {
    pub fn query(&self) -> Result<Query, Error> {
        self.others.query(&self.reasons)
    }
}

impl OtherFilters {
    fn query(&self, reasons: &[String]) -> Result<Query, Error> {
        let bound = |name: &str, value: &Option<String>| {
            value
                .as_deref()
                .map(|v| Bound::parse(v).map_err(|e| Error::input(format!("--{name}: {e}"))))
                .transpose()
        };
        let meta = self
            .meta
            .iter()
            .map(|pair| {
                let (key, value) = pair.split_once('=').ok_or_else(|| {
                    Error::input(format!("--meta: expected KEY=JSON, not {pair:?}"))
                })?;
                let value = serde_json::from_str(value)
                    .map_err(|e| Error::input(format!("--meta {key}: invalid JSON: {e}")))?;
                Ok((key.to_owned(), value))
            })
            .collect::<Result<_, Error>>()?;
        Ok(Query {
            types: self.types.clone(),
            reasons: reasons.to_vec(),
            nodes: self.nodes.clone(),
            users: self.users.clone(),
            since: bound("since", &self.since)?,
            until: bound("until", &self.until)?,
            meta,
        })
    }
}
