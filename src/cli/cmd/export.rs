//! `export`: entries to send to another node, with only the meta that
//! travels.

use std::io::Write;

use actionlog::merge::incoming_meta;
use actionlog::store::SequentialLog;
use actionlog::{Entry, MetaText, Order};

use super::filter::{FilterArgs, kept_in_block};
use crate::cli::Format;
use crate::cli::exit::Status;
use crate::cli::session::Session;

const EXAMPLES: &str = "Examples:
  actionlog export --since-added \"$(actionlog synced | jq .sent)\" > outbox.jsonl
  actionlog export --type posts/ | ssh host actionlog merge - --reason sync";

/// Print entries for another node: in added order (the order Logux sends
/// them), each as [action, meta] with only the meta keys that travel (id,
/// time, subprotocol). Takes the filters of `order`; --since-added N keeps
/// the entries added after N, such as the `sent` of `synced`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Only entries added after this `added` number.
    #[arg(long, value_name = "N")]
    since_added: Option<u64>,

    #[command(flatten)]
    filters: FilterArgs,
}

impl Args {
    /// Whether a big log can be read in one pass
    /// ([`LogFile::open_sequential`]): filters that can be tried on each
    /// entry alone, and a format that prints as it goes.
    pub fn streams(&self, format: Format) -> anyhow::Result<bool> {
        Ok(format != Format::Json && !self.filters.query()?.needs_log())
    }
}

/// `export` of a big log checked by a sequential read: its entries are
/// read again, a block of lines at a time, each half of a block on a
/// thread of its own; each entry is filtered, written as text and let go,
/// and the text printed in order. `session` has no log of its own.
pub fn run_sequential(
    args: &Args,
    log: &SequentialLog,
    session: &mut Session,
) -> anyhow::Result<Status> {
    let since = args.since_added.unwrap_or(0);
    let query = args.filters.query()?;
    let out = session.out.raw();
    for block in log.blocks() {
        let (first, second) =
            kept_in_block(&block?, &query, true, |text: &mut String, _, entry| {
                if let Some(entry) = entry.filter(|e| e.added() > since) {
                    text.push_str(&exported(entry));
                    text.push('\n');
                }
                Ok(())
            })?;
        out.write_all(first.as_bytes())?;
        out.write_all(second.as_bytes())?;
    }
    Ok(Status::Success)
}

/// An entry as it travels: its action, and only the meta that goes along.
fn exported(entry: &Entry) -> String {
    let meta = MetaText::parse(&entry.meta()).unwrap_or_default();
    format!(
        "[{},{}]",
        entry.action(),
        incoming_meta(&meta, 0.0).to_json()
    )
}

pub fn run(args: &Args, session: &mut Session) -> anyhow::Result<Status> {
    let query = args.filters.query()?;
    let format = session.config.format;
    let since = args.since_added.unwrap_or(0);
    let (log, out) = session.log_and_out();
    let matcher = query.for_log(log);
    let lines = log
        .entries(Order::Added, None)
        .filter(|e| e.added() > since && matcher.matches(e))
        .map(exported);
    let out = out.raw();
    match format {
        Format::Json => {
            let lines: Vec<String> = lines.collect();
            writeln!(out, "[{}]", lines.join(",\n"))?;
        }
        // jsonl is what `merge -` reads; a table would lose that.
        Format::Jsonl | Format::Table => {
            for line in lines {
                writeln!(out, "{line}")?;
            }
        }
    }
    Ok(Status::Success)
}
