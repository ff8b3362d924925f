//! `order`: the log's entries in created or added order.

use actionlog::order::compare;
use actionlog::{Entry, Order};
use clap::ValueEnum;

use actionlog::query::Query;
use actionlog::store::{Access, JustCheck, LineIndex, Location, LogFile, SequentialLog};
use actionlog::text::Symbols;
use std::io::Write;

use super::filter::{FilterArgs, kept_in_block, matcher_for, on_two_halves};
use crate::cli::Format;
use crate::cli::config::Config;
use crate::cli::exit::{Status, UsageError};
use crate::cli::follow::LogWatch;
use crate::cli::session::Session;
use crate::cli::write_behind::{Front, write_behind};

const EXAMPLES: &str = r#"Examples:
  actionlog order
  actionlog order --by added --index user/386
  actionlog order --type posts/ --user 10 --since 1564508138000
  actionlog order --meta subprotocol=2 --reason syncing
  actionlog order --action channelId=c15 --since 2026-11-23 --last 10
  actionlog order --type posts/add --count
  actionlog order "2 server:x 0" "1 server:x 0"
  actionlog order --follow --type message/ --last 5"#;

/// Print the log's entries in order.
///
/// Created order sorts by isFirstOlder, oldest first: meta.time, then the
/// node ID, then the counter, then the ID's milliseconds. Added order is the
/// order in which entries entered this log. Given IDs, prints just those
/// entries, oldest first (exits with 1 if one is not in the log).
///
/// With --follow, then waits and prints every entry that enters the log
/// and passes the filters, as it comes (in added order), until stopped.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Which order.
    #[arg(long, value_enum, default_value_t = By::Created)]
    by: By,

    /// Only entries in this index.
    #[arg(add = crate::cli::complete::indexes(), short = 'i', long, value_name = "NAME")]
    index: Option<String>,

    /// Only these actions.
    #[arg(add = crate::cli::complete::ids(), value_name = "ID")]
    ids: Vec<String>,

    /// Also the entries in the archive (--archive) that are no longer in
    /// the log.
    #[arg(long)]
    archived: bool,

    /// Print at most the first N entries (after --last and --reverse).
    #[arg(long, value_name = "N")]
    limit: Option<usize>,

    /// Print only the last N entries.
    #[arg(long, value_name = "N")]
    last: Option<usize>,

    /// Print in the opposite order: newest first.
    #[arg(long)]
    reverse: bool,

    /// Print how many entries there are instead of the entries.
    #[arg(short = 'c', long)]
    count: bool,

    /// Exit with 1 when no entry is printed, as `jq -e` does.
    #[arg(short = 'e', long)]
    exit_status: bool,

    /// Then print every entry that enters the log, as it comes, until
    /// stopped (Ctrl-C). Rewrites by other commands print nothing twice.
    #[arg(
        short = 'f',
        long,
        conflicts_with_all = ["ids", "archived", "limit", "reverse", "count", "exit_status"]
    )]
    follow: bool,

    #[command(flatten)]
    filters: FilterArgs,
}

impl Args {
    fn reshapes(&self) -> bool {
        self.limit.is_some() || self.last.is_some() || self.reverse || self.count
    }

    /// `--last`, `--reverse` and `--limit` applied to `entries`, in that
    /// order.
    fn select<'a>(&self, mut entries: Vec<&'a Entry>) -> Vec<&'a Entry> {
        if let Some(last) = self.last {
            entries.drain(..entries.len().saturating_sub(last));
        }
        if self.reverse {
            entries.reverse();
        }
        if let Some(limit) = self.limit {
            entries.truncate(limit);
        }
        entries
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum By {
    Created,
    Added,
}

/// `order` of a whole big log into a pipe or a file, without filters:
/// printed from the lines and their order alone (a [`LineIndex`]), which
/// takes a fifth of the memory of the log read whole. `None` when the log
/// or the command needs the full read.
pub fn run_indexed(args: &Args, config: &Config) -> anyhow::Result<Option<Status>> {
    let query = args.filters.query()?;
    if args.follow
        || args.archived
        || !args.ids.is_empty()
        || args.index.is_some()
        || config.format != Format::Jsonl
        || crate::cli::terminal::stdout_is_terminal()
        || query.needs_log()
    {
        return Ok(None);
    }
    let options =
        LogFile::options(Access::Read).progress(Box::new(crate::cli::progress::Bar::for_stderr()));
    // Added order from the start needs nothing but the lines, in the order
    // of the file: read as it prints.
    if args.by == By::Added && !args.reverse && args.last.is_none() {
        let Some((log, _)) = options.open_sequential(&config.log, &JustCheck)?.read() else {
            return Ok(None);
        };
        return print_sequentially(args, &query, &log).map(Some);
    }
    let Some(indexed) = options.open_index(&config.log, args.by == By::Created)? else {
        return Ok(None);
    };
    let index = &indexed.index;
    // With filters, the entries they keep, in the order read.
    let kept = (!query.is_empty())
        .then(|| kept_entries(index, &query))
        .transpose()?;
    let mut range = 0..kept.as_ref().map_or(index.len(), Vec::len);
    if let Some(last) = args.last {
        range.start = range.end.saturating_sub(last);
    }
    let printed = args
        .limit
        .map_or(range.len(), |limit| range.len().min(limit));
    let line = |n: usize| {
        let number = kept.as_ref().map_or(n, |kept| kept[n] as usize);
        index.lines(number..number + 1).next().unwrap_or_default()
    };
    write_behind(|out| {
        if args.count {
            writeln!(out, "{printed}")?;
        } else if args.reverse {
            for n in range.clone().rev().take(printed) {
                out.write_all(line(n).as_bytes())?;
                out.write_all(b"\n")?;
            }
        } else if kept.is_some() {
            for n in range.start..range.start + printed {
                out.write_all(line(n).as_bytes())?;
                out.write_all(b"\n")?;
            }
        } else {
            write_pieces(out, index, range.start..range.start + printed)?;
        }
        Ok(())
    })?;
    if printed == 0 && !query.types.is_empty() {
        let mut symbols = Symbols::default();
        let types: std::collections::HashSet<String> = (0..index.len())
            .map(|n| {
                index
                    .entry(n, &mut symbols)
                    .map(|entry| entry.action_type())
            })
            .collect::<actionlog::Result<_>>()?;
        super::filter::say_type_hints(query.type_hints_among(|| types.iter().cloned()));
    }
    Ok(Some(if args.exit_status && printed == 0 {
        Status::NotFound
    } else {
        Status::Success
    }))
}

/// `order --by added` from the start, of a log checked by a sequential
/// read: its blocks of lines are read again and printed as they come, all
/// of a block at once when the file holds nothing else; with filters, each
/// half of a block is filtered on a thread of its own.
fn print_sequentially(args: &Args, query: &Query, log: &SequentialLog) -> anyhow::Result<Status> {
    let limit = args.limit.unwrap_or(usize::MAX);
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    let mut printed = 0usize;
    if query.is_empty() && (args.count || log.is_tight()) {
        printed = log.len().min(limit);
        if !args.count {
            write_lines(&mut out, log, printed)?;
        }
    } else {
        for block in log.blocks() {
            if printed == limit {
                break;
            }
            let keep = |kept: &mut (String, usize),
                        line: &actionlog::text::SharedStr,
                        _: Option<&Entry>| {
                kept.0.push_str(line);
                kept.0.push('\n');
                kept.1 += 1;
                Ok(())
            };
            let (first, second) = kept_in_block(&block?, query, false, keep)?;
            for (text, lines) in [first, second] {
                let room = limit - printed;
                let text = if lines <= room {
                    text.as_bytes()
                } else {
                    &text.as_bytes()[..line_end(text.as_bytes(), room)]
                };
                if !args.count {
                    out.write_all(text)?;
                }
                printed += lines.min(room);
            }
        }
    }
    if args.count {
        writeln!(out, "{printed}")?;
    }
    out.flush()?;
    if printed == 0 && !query.types.is_empty() {
        let mut types = std::collections::HashSet::new();
        let mut symbols = Symbols::default();
        for block in log.blocks() {
            let block = block?;
            for line in block.entries(0..block.text().len()) {
                let entry =
                    Entry::parse(line, || 0, &mut symbols).map_err(actionlog::Error::Invalid)?;
                types.insert(entry.action_type());
            }
        }
        super::filter::say_type_hints(query.type_hints_among(|| types.iter().cloned()));
    }
    Ok(if args.exit_status && printed == 0 {
        Status::NotFound
    } else {
        Status::Success
    })
}

/// The first `count` entry lines of a log whose blocks are nothing but
/// its entries' lines ([`SequentialLog::is_tight`]), written a block at a
/// time.
fn write_lines(out: &mut impl Write, log: &SequentialLog, count: usize) -> anyhow::Result<()> {
    let mut written = 0;
    for block in log.blocks() {
        if written == count {
            break;
        }
        let block = block?;
        let text = block.text().as_bytes();
        let lines = memchr::memchr_iter(b'\n', text).count();
        let room = count - written;
        if lines + usize::from(!text.ends_with(b"\n")) <= room {
            out.write_all(text)?;
            if !text.ends_with(b"\n") {
                out.write_all(b"\n")?;
                written += 1;
            }
            written += lines;
        } else {
            out.write_all(&text[..line_end(text, room)])?;
            written = count;
        }
    }
    Ok(())
}

/// Where the first `lines` lines of `text` end, their line breaks
/// included (`text` has more lines than that).
fn line_end(text: &[u8], lines: usize) -> usize {
    if lines == 0 {
        return 0;
    }
    memchr::memchr_iter(b'\n', text)
        .nth(lines - 1)
        .map_or(text.len(), |i| i + 1)
}

/// The numbers, in the order read, of the entries of `index` that `query`
/// keeps: each entry read again from its line and let go, the two halves
/// on two threads.
fn kept_entries(index: &LineIndex, query: &Query) -> anyhow::Result<Vec<u32>> {
    let keep = |range: std::ops::Range<usize>| -> anyhow::Result<Vec<u32>> {
        let mut symbols = Symbols::default();
        let matcher = matcher_for(query, &mut symbols)?;
        let mut kept = Vec::new();
        for number in range {
            if matcher.matches(&index.entry(number, &mut symbols)?) {
                kept.push(number as u32);
            }
        }
        Ok(kept)
    };
    let (mut kept, second) = on_two_halves(0..index.len(), keep)?;
    kept.extend(second);
    Ok(kept)
}

/// The lines `range` of `index`: runs of lines that stand together in the
/// file are written in one piece, straight from it.
fn write_pieces<'text>(
    out: &mut Front<'text>,
    index: &'text LineIndex,
    range: std::ops::Range<usize>,
) -> std::io::Result<()> {
    for (piece, needs_break) in index.pieces(range) {
        out.write_piece(piece)?;
        if needs_break {
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}

pub fn run(args: &Args, session: &mut Session) -> anyhow::Result<Status> {
    if !args.follow {
        return print(args, session);
    }
    if session.stdin_has_commands {
        return Err(UsageError("--follow runs from the shell, not in the REPL".into()).into());
    }
    let Location::File(path) = session.location().clone() else {
        return Err(UsageError("--follow needs a log file, not stdin".into()).into());
    };
    // Watching from before the log is read (under its lock, which no
    // writer passes), so that no change between the two goes unseen.
    let watch = LogWatch::new(&path)?;
    print(args, session)?;
    session.out.finish()?;
    let mut last_added = session.log().last_added();
    session.close_log();
    let query = args.filters.query()?;
    loop {
        watch.wait()?;
        let file = LogFile::options(Access::Read)
            .stream_limit(session.config.stream_limit)
            .open(Location::File(path.clone()))?;
        let log = file.log();
        let matcher = query.for_log(log);
        let new = log
            .entries(Order::Added, args.index.as_deref())
            .filter(|entry| entry.added() > last_added && matcher.matches(entry));
        session.out.entries(new)?;
        session.out.finish()?;
        last_added = last_added.max(log.last_added());
    }
}

/// The entries once: the whole of `order` without --follow.
fn print(args: &Args, session: &mut Session) -> anyhow::Result<Status> {
    let order = match args.by {
        By::Created => Order::Created,
        By::Added => Order::Added,
    };
    let query = args.filters.query()?;
    let archived = if args.archived {
        session.archived()?
    } else {
        Vec::new()
    };
    let (log, out) = session.log_and_out();
    let matcher = query.for_log(log);
    let entries: Vec<&Entry> = if args.archived {
        let index = args.index.as_deref().map(|name| log.symbol(name));
        let in_index = |entry: &Entry| match index {
            None => true,
            Some(symbol) => symbol.is_some_and(|s| entry.in_index(s)),
        };
        let wanted = |entry: &Entry| {
            (args.ids.is_empty() || args.ids.iter().any(|id| id == entry.id()))
                && in_index(entry)
                && matcher.matches(entry)
        };
        let mut entries: Vec<&Entry> = log
            .entries(Order::Added, None)
            .filter(|e| wanted(e))
            .collect();
        entries.extend(
            archived
                .iter()
                .filter(|e| !log.contains(e.id()) && wanted(e)),
        );
        match order {
            // Entries that were never stored have no `added`: they come first.
            Order::Added => entries.sort_by_key(|e| e.added()),
            Order::Created => entries.sort_by(|a, b| compare(&a.order_key(), &b.order_key())),
        }
        entries
    } else if args.ids.is_empty() {
        let entries = log
            .entries(order, args.index.as_deref())
            .filter(|e| matcher.matches(e));
        if !args.reshapes() {
            // The common case streams: nothing is held but what prints.
            let mut printed = 0usize;
            out.entries(entries.inspect(|_| printed += 1))?;
            return Ok(finish(args, &query, log, printed));
        }
        entries.collect()
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
        picked
    };
    let entries = args.select(entries);
    let printed = entries.len();
    if args.count {
        out.number(printed)?;
    } else {
        out.entries(entries.into_iter())?;
    }
    Ok(finish(args, &query, log, printed))
}

/// The status once `printed` entries are out, with a hint on stderr for a
/// `--type` that matched nothing but begins types of the log.
fn finish(
    args: &Args,
    query: &actionlog::query::Query,
    log: &actionlog::Log,
    printed: usize,
) -> Status {
    if printed == 0 {
        super::filter::hint_types(query, log);
    }
    if args.exit_status && printed == 0 {
        Status::NotFound
    } else {
        Status::Success
    }
}
