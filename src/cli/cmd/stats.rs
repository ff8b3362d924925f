//! `stats`: counts over the log, as tables or one JSON object.

use std::io::Write;

use actionlog::json::{self, number};
use actionlog::query::{Matcher, Query};
use actionlog::stats::{Counts, Stats, Tally};
use actionlog::store::{Access, LogFile, Visit};
use actionlog::text::{SharedStr, Symbols};
use actionlog::{Entry, Error};

use super::filter::FilterArgs;
use crate::cli::Format;
use crate::cli::config::Config;
use crate::cli::exit::Status;
use crate::cli::session::Session;
use crate::cli::terminal::sanitize;

const EXAMPLES: &str = "Examples:
  actionlog stats
  actionlog stats --type message/ --format json";

/// Count the log's entries by action type, reason, node, user and index.
///
/// Also shows the span of creation times, and the entries whose meta.time
/// differs most from the time in their ID: the clock difference Logux
/// corrected for when the action came from another node. Takes the same
/// filters as `order`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(flatten)]
    filters: FilterArgs,
}

pub fn run(args: &Args, session: &mut Session) -> anyhow::Result<Status> {
    let query = args.filters.query()?;
    let log = session.log();
    let matcher = query.for_log(log);
    let stats = Stats::of(
        log,
        log.entries(actionlog::Order::Created, None)
            .filter(|e| matcher.matches(e)),
    );
    print(&stats, session)
}

/// The counts of `stats` over a big log, taken as the log is read in one
/// pass ([`LogFile::open_sequential`]): each entry is filtered, counted and
/// let go, so that only the counts are held. `None` when the filters need
/// the whole log, or the log needs the full read.
pub fn count_sequentially(args: &Args, config: &Config) -> anyhow::Result<Option<Stats>> {
    let query = args.filters.query()?;
    if query.needs_log() {
        return Ok(None);
    }
    let Some((_log, tallies)) = LogFile::options(Access::Read)
        .progress(Box::new(crate::cli::progress::Bar::for_stderr()))
        .open_sequential(&config.log, &Counting { query: &query })?
        .read()
    else {
        return Ok(None);
    };
    let mut total = Tally::default();
    for counter in tallies {
        total.merge(counter.tally);
    }
    Ok(Some(total.finish()))
}

/// Counting each entry the filters keep, on each reading thread.
struct Counting<'q> {
    query: &'q Query,
}

struct Counter<'q> {
    symbols: Symbols,
    /// Always there: the query needs no log.
    matcher: Option<Matcher<'q>>,
    tally: Tally,
}

impl<'q> Visit for Counting<'q> {
    type State = Counter<'q>;

    fn start(&self) -> Counter<'q> {
        let mut symbols = Symbols::default();
        let matcher = self.query.for_symbols(&mut symbols);
        Counter {
            symbols,
            matcher,
            tally: Tally::default(),
        }
    }

    fn visit(&self, counter: &mut Counter<'q>, entry: SharedStr) -> actionlog::Result<()> {
        let entry = Entry::parse(entry, || 0, &mut counter.symbols).map_err(Error::Invalid)?;
        let Some(matcher) = &counter.matcher else {
            return Err(Error::input("the filters need the whole log"));
        };
        if matcher.matches(&entry) {
            counter.tally.add(&entry, &counter.symbols);
        }
        Ok(())
    }
}

pub fn print(stats: &Stats, session: &mut Session) -> anyhow::Result<Status> {
    let format = session.config.format;
    let look = session.out.look();
    let out = session.out.raw();
    match format {
        Format::Json | Format::Jsonl => writeln!(out, "{}", to_json(stats))?,
        Format::Table => write_tables(out, stats, &look)?,
    }
    Ok(Status::Success)
}

fn counts_json(counts: &Counts) -> String {
    let members: Vec<String> = counts
        .0
        .iter()
        .map(|(name, n)| format!("{}:{n}", json::quote(name)))
        .collect();
    format!("{{{}}}", members.join(","))
}

fn to_json(stats: &Stats) -> String {
    let span = stats.span.map_or("null".into(), |(first, last)| {
        format!("{{\"first\":{},\"last\":{}}}", number(first), number(last))
    });
    let skewed: Vec<String> = stats
        .skewed
        .iter()
        .map(|s| {
            format!(
                "{{\"id\":{},\"time\":{},\"skew\":{}}}",
                json::quote(&s.id),
                number(s.time),
                number(s.skew)
            )
        })
        .collect();
    format!(
        "{{\"entries\":{},\"time\":{span},\"types\":{},\"reasons\":{},\"nodes\":{},\"users\":{},\"indexes\":{},\"skewed\":[{}]}}",
        stats.entries,
        counts_json(&stats.types),
        counts_json(&stats.reasons),
        counts_json(&stats.nodes),
        counts_json(&stats.users),
        counts_json(&stats.indexes),
        skewed.join(",")
    )
}

fn write_tables(
    out: &mut impl crate::cli::terminal::Styled,
    stats: &Stats,
    look: &crate::cli::table::Look,
) -> std::io::Result<()> {
    let span = match stats.span {
        Some((first, last)) => format!(
            "{} entries, created from {} to {} ({} ms)",
            stats.entries,
            number(first),
            number(last),
            number(last - first)
        ),
        None => "0 entries".to_owned(),
    };
    out.write_styled(&crate::cli::table::wrap(&span, look))?;
    let sections = [
        ("type", &stats.types),
        ("reason", &stats.reasons),
        ("node", &stats.nodes),
        ("user", &stats.users),
        ("index", &stats.indexes),
    ];
    for (heading, counts) in sections {
        if counts.0.is_empty() {
            continue;
        }
        let rows = counts
            .0
            .iter()
            .map(|(name, n)| vec![sanitize(name), n.to_string()])
            .collect();
        let grid = crate::cli::table::grid(&[heading, "entries"], &[false, true], rows, look);
        out.write_styled(&grid)?;
    }
    if !stats.skewed.is_empty() {
        let rows = stats
            .skewed
            .iter()
            .map(|skew| vec![sanitize(&skew.id), number(skew.time), number(skew.skew)])
            .collect();
        let header = ["most skewed ID", "time", "time - ID time (ms)"];
        let grid = crate::cli::table::grid(&header, &[true, true, true], rows, look);
        out.write_styled(&grid)?;
    }
    Ok(())
}
