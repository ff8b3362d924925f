//! `stats`: counts over the log, as tables or one JSON object.

use std::io::Write;

use actionlog::json::{self, number};
use actionlog::stats::{Counts, Stats};
use comfy_table::{Table, presets};

use super::filter::FilterArgs;
use crate::cli::Format;
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
    let format = session.config.format;
    let (log, out) = session.log_and_out();
    let matcher = query.for_log(log);
    let stats = Stats::of(
        log,
        log.entries(actionlog::Order::Created, None)
            .filter(|e| matcher.matches(e)),
    );
    let out = out.raw();
    match format {
        Format::Json | Format::Jsonl => writeln!(out, "{}", to_json(&stats))?,
        Format::Table => write_tables(out, &stats)?,
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

fn write_tables(out: &mut impl Write, stats: &Stats) -> std::io::Result<()> {
    match stats.span {
        Some((first, last)) => writeln!(
            out,
            "{} entries, created from {} to {} ({} ms)",
            stats.entries,
            number(first),
            number(last),
            number(last - first)
        )?,
        None => writeln!(out, "0 entries")?,
    }
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
        let mut table = Table::new();
        table.load_preset(presets::UTF8_FULL_CONDENSED);
        table.set_header(vec![heading, "entries"]);
        for (name, n) in &counts.0 {
            table.add_row(vec![sanitize(name), n.to_string()]);
        }
        writeln!(out, "{table}")?;
    }
    if !stats.skewed.is_empty() {
        let mut table = Table::new();
        table.load_preset(presets::UTF8_FULL_CONDENSED);
        table.set_header(vec!["most skewed ID", "time", "time - ID time (ms)"]);
        for skew in &stats.skewed {
            table.add_row(vec![
                sanitize(&skew.id),
                number(skew.time),
                number(skew.skew),
            ]);
        }
        writeln!(out, "{table}")?;
    }
    Ok(())
}
