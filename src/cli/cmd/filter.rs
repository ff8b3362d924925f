//! The filter options `order`, `stats`, `export` and `sync` share, turned
//! into a [`Query`](actionlog::query::Query).

use actionlog::Error;
use actionlog::query::{Bound, Query};

/// Which entries: every filter given must hold; one given twice holds if
/// either value does.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FilterArgs {
    /// Only entries kept for this reason.
    #[arg(
        add = crate::cli::complete::reasons(),
        short = 'r',
        long = "reason",
        value_name = "R",
        help_heading = "Filters"
    )]
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
    #[arg(add = crate::cli::complete::reasons(), long = "kept-for", value_name = "R", help_heading = "Filters")]
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
    #[arg(
        add = crate::cli::complete::types(),
        short = 't',
        long = "type",
        value_name = "TYPE",
        help_heading = "Filters"
    )]
    types: Vec<String>,

    /// Only actions created by this node ID.
    #[arg(add = crate::cli::complete::nodes(), long = "node", value_name = "NODE", help_heading = "Filters")]
    nodes: Vec<String>,

    /// Only actions of this user (the first part of the node ID).
    #[arg(add = crate::cli::complete::users(), long = "user", value_name = "USER", help_heading = "Filters")]
    users: Vec<String>,

    /// Only actions created at or after this time: ms, an ISO 8601 date
    /// (2026-11-23, 2026-11-23T10:15:00Z) or an action ID.
    #[arg(long, value_name = "WHEN", help_heading = "Filters")]
    since: Option<String>,

    /// Only actions created at or before this time: ms, an ISO 8601 date
    /// or an action ID.
    #[arg(long, value_name = "WHEN", help_heading = "Filters")]
    until: Option<String>,

    /// Only entries whose meta KEY equals VALUE: JSON, or else a string.
    #[arg(
        short = 'm',
        long = "meta",
        value_name = "KEY=VALUE",
        help_heading = "Filters"
    )]
    meta: Vec<String>,

    /// Only actions whose field KEY (a.b for nested keys) equals VALUE:
    /// JSON, or else a string (--action channelId=c15).
    #[arg(
        short = 'a',
        long = "action",
        value_name = "KEY=VALUE",
        help_heading = "Filters"
    )]
    action: Vec<String>,
}

/// `KEY=VALUE` of `--meta` and `--action`: the VALUE as JSON if it is JSON,
/// else as a string, so that `channelId=c15` needs no quotes.
fn key_and_value(option: &str, pair: &str) -> Result<(String, serde_json::Value), Error> {
    let (key, value) = pair.split_once('=').ok_or_else(|| {
        Error::input(format!(
            "--{option}: expected KEY=VALUE, not {}",
            actionlog::json::quote(pair)
        ))
    })?;
    if key.is_empty() {
        return Err(Error::input(format!(
            "--{option}: KEY is empty in {}",
            actionlog::json::quote(pair)
        )));
    }
    let value =
        serde_json::from_str(value).unwrap_or_else(|_| serde_json::Value::String(value.to_owned()));
    Ok((key.to_owned(), value))
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
            .map(|pair| key_and_value("meta", pair))
            .collect::<Result<_, Error>>()?;
        let action = self
            .action
            .iter()
            .map(|pair| {
                let (key, value) = key_and_value("action", pair)?;
                let path: Vec<String> = key.split('.').map(str::to_owned).collect();
                if path.iter().any(String::is_empty) {
                    return Err(Error::input(format!(
                        "--action: {} is not a path of keys (a.b.c)",
                        actionlog::json::quote(&key)
                    )));
                }
                Ok((path, value))
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
            action,
        })
    }
}

/// Says on stderr which `--type` values matched no type of `log` but
/// begin some, as `--type posts` for `posts/add`.
pub fn hint_types(query: &Query, log: &actionlog::Log) {
    say_type_hints(query.type_hints(log));
}

/// The hints of [`Query::type_hints`], on stderr.
pub fn say_type_hints(hints: Vec<String>) {
    for prefix in hints {
        say!(
            "actionlog: no action has the type {}; for every type that starts so, give --type {}",
            actionlog::json::quote(prefix.trim_end_matches('/')),
            crate::cli::terminal::sanitize(&prefix)
        );
    }
}

/// `query` made ready for entries read again from a compact read's lines
/// with `symbols` (see [`Query::for_symbols`]); the caller took the compact
/// read only for a query that needs no log.
pub fn matcher_for<'a>(
    query: &'a Query,
    symbols: &mut actionlog::text::Symbols,
) -> anyhow::Result<actionlog::query::Matcher<'a>> {
    query
        .for_symbols(symbols)
        .ok_or_else(|| anyhow::anyhow!("the filters need the whole log"))
}

/// `work` on the two halves of `range`, the second on a thread of its own:
/// how entries of a compact read are read again, as the log was read.
pub fn on_two_halves<T: Send>(
    range: std::ops::Range<usize>,
    work: impl Fn(std::ops::Range<usize>) -> anyhow::Result<T> + Sync,
) -> anyhow::Result<(T, T)> {
    let middle = range.start + range.len() / 2;
    on_two_parts(range, middle, work)
}

/// `work` on `range` cut at `middle`, the second part on a thread of its
/// own.
fn on_two_parts<T: Send>(
    range: std::ops::Range<usize>,
    middle: usize,
    work: impl Fn(std::ops::Range<usize>) -> anyhow::Result<T> + Sync,
) -> anyhow::Result<(T, T)> {
    let (first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| work(middle..range.end));
        (work(range.start..middle), second.join())
    });
    let second = second.map_err(|_| anyhow::anyhow!("a thread reading the log failed"))?;
    Ok((first?, second?))
}

/// The entries of a block of a log read in one pass that `query` keeps,
/// given to `keep` half a block on each of two threads, each thread with
/// its own names and matcher. An entry is parsed when the query needs it or
/// `parse` asks it; else `keep` gets only its line.
pub fn kept_in_block<T: Default + Send>(
    block: &actionlog::store::Block,
    query: &Query,
    parse: bool,
    keep: impl Fn(&mut T, &actionlog::text::SharedStr, Option<&actionlog::Entry>) -> anyhow::Result<()>
    + Sync,
) -> anyhow::Result<(T, T)> {
    let parse = parse || !query.is_empty();
    on_two_parts(0..block.text().len(), block.middle(), |range| {
        let mut symbols = actionlog::text::Symbols::default();
        let matcher = matcher_for(query, &mut symbols)?;
        let mut kept = T::default();
        for line in block.entries(range) {
            if !parse {
                keep(&mut kept, &line, None)?;
                continue;
            }
            let entry = actionlog::Entry::parse(line.clone(), || 0, &mut symbols)
                .map_err(Error::Invalid)?;
            if matcher.matches(&entry) {
                keep(&mut kept, &line, Some(&entry))?;
            }
        }
        Ok(kept)
    })
}
