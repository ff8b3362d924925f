//! The compact read of a big log, for commands that print its lines in an
//! order they must sort or count back from: `order` in created order, or
//! with `--last` or `--reverse`. (Reading in added order from the start
//! needs no index: see [`super::sequential`].)
//!
//! The full read keeps an [`crate::Entry`] of 128 bytes for every entry,
//! next to the mapped file; here an entry is 24 bytes: where its array
//! stands in the file and its place in created order (its time and its
//! node's rank). Every line is checked as the full read checks it, with
//! the same functions, and IDs must be unique and `added` increasing. But
//! this read only ever answers "a valid log, here it is" or "not here":
//! whatever it does not take whole (any problem, an entry without `added`,
//! an ID with escapes) is left to the full read, which names the problem.
//! So the two agree by construction on what is a log; a property test holds
//! them to printing the same lines in the same order.

use std::ops::Range;
use std::sync::Arc;

use super::format::{self, Header, LineKind};
use super::{FirstOfTwo, Progress, Silent, Task};
use crate::entry::Entry;
use crate::id::parse_action_id;
use crate::json;

use crate::order::compare_js_strings;
use crate::text::{Buffer, SharedStr, Symbols};

/// How many lines between two progress reports.
const REPORT_EVERY: usize = 1 << 16;

/// Logs at least this big are read by two threads, one half each.
const PARALLEL_FROM_BYTES: usize = 4 << 20;

/// One entry: where its `[action, meta]` array stands in the file, and
/// what sorts it in created order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Record {
    /// The time as a number that sorts as the time does.
    time: u64,
    /// The node's rank among the log's nodes, by JavaScript's `<`.
    rank: u32,
    len: u32,
    start: u64,
}

impl Record {
    fn span(&self) -> Range<usize> {
        self.start as usize..self.start as usize + self.len as usize
    }
}

/// A log as the lines of its entries, in added or created order.
pub struct LineIndex {
    buf: Arc<Buffer>,
    records: Vec<Record>,
    header: Header,
}

impl LineIndex {
    /// How many entries the log has.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether the log has no entry.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The log's header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The entry `number` of the order read, parsed again from its line
    /// (naming its reasons and indexes in `symbols`): for a command that
    /// looks at each entry once and keeps none.
    ///
    /// # Panics
    ///
    /// If `number` is not below [`LineIndex::len`].
    pub fn entry(&self, number: usize, symbols: &mut Symbols) -> crate::Result<Entry> {
        let span = self.records[number].span();
        Entry::parse(SharedStr::slice_of(&self.buf, span), || 0, symbols)
            .map_err(crate::Error::Invalid)
    }

    /// The `[action, meta]` text of the entries `range` of the order read.
    ///
    /// # Panics
    ///
    /// If `range` goes past [`LineIndex::len`], as slicing does.
    pub fn lines(&self, range: Range<usize>) -> impl DoubleEndedIterator<Item = &str> + '_ {
        let text: &str = &self.buf;
        self.records[range].iter().map(move |r| &text[r.span()])
    }

    /// The entries `range` of the order read, as pieces of the file to
    /// write one after the other: entries next to each other in the file
    /// come as one piece, their line breaks included. `true` with a piece:
    /// a line break must follow it.
    ///
    /// # Panics
    ///
    /// If `range` goes past [`LineIndex::len`], as slicing does.
    pub fn pieces(&self, range: Range<usize>) -> impl Iterator<Item = (&[u8], bool)> + '_ {
        let bytes = self.buf.as_bytes();
        let mut records = self.records[range].iter().map(Record::span).peekable();
        std::iter::from_fn(move || {
            let first = records.next()?;
            let mut end = first.end;
            while let Some(next) = records.peek()
                && next.start == end + 1
                && bytes.get(end) == Some(&b'\n')
            {
                end = next.end;
                records.next();
            }
            // The file's line break after the last, when there is one.
            let broken = bytes.get(end) == Some(&b'\n');
            Some((&bytes[first.start..end + usize::from(broken)], !broken))
        })
    }
}

/// Reads the log in `buf` as a [`LineIndex`], in created order if
/// `created`, else in added order; `None` to leave it to the full read.
pub(crate) fn read(
    buf: Arc<Buffer>,
    created: bool,
    progress: &mut dyn Progress,
) -> Option<LineIndex> {
    progress.begin(Task::Load, buf.len() as u64);
    let read = read_text(&buf, created, progress);
    progress.end();
    let (header, records) = read?;
    Some(LineIndex {
        buf,
        records,
        header,
    })
}

/// How many entries the log `text` has, if the compact read takes it: then
/// it is a valid log, with nothing for `check` to report.
pub(crate) fn count_entries(text: &str) -> Option<usize> {
    read_text(text, false, &mut Silent).map(|(_, records)| records.len())
}

/// The header and records of the log `text`; `progress` hears how the
/// first half goes.
fn read_text(
    text: &str,
    created: bool,
    progress: &mut dyn Progress,
) -> Option<(Header, Vec<Record>)> {
    let bytes = text.as_bytes();
    let (header, start) = header_of(text)?;
    let middle = if bytes.len() - start >= PARALLEL_FROM_BYTES {
        let half = start + (bytes.len() - start) / 2;
        memchr::memchr(b'\n', &bytes[half..]).map_or(bytes.len(), |i| half + i + 1)
    } else {
        bytes.len()
    };
    let (first, second) = std::thread::scope(|scope| {
        let worker = (middle < bytes.len())
            .then(|| scope.spawn(|| scan(text, middle..bytes.len(), &mut Silent)));
        let mut whole = FirstOfTwo::new(progress, start as u64..bytes.len() as u64, middle as u64);
        let first = scan(text, start..middle, &mut whole);
        // A panic there is a bug: it goes on here, to be reported as one.
        let second = worker.map(|w| {
            w.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        (first, second)
    });
    let mut first = first?;
    // Where the second half's records start once joined.
    let split = first.records.len();
    if let Some(second) = second {
        let second = second?;
        if let (Some(last), Some(next)) = (first.last_added, second.first_added)
            && next <= last
        {
            return None;
        }
        first.join(second);
    }
    let Half {
        mut records,
        hashes,
        nodes,
        ..
    } = first;
    // The two threads go on: each looks for duplicates among half of the
    // hashes, then ranks and sorts its half of the records.
    let parallel = split < records.len();
    let duplicate = if parallel {
        let (even, odd) = both(
            || has_duplicate(text, &records, &hashes, Some(false)),
            || has_duplicate(text, &records, &hashes, Some(true)),
        );
        even || odd
    } else {
        has_duplicate(text, &records, &hashes, None)
    };
    if duplicate {
        return None;
    }
    drop(hashes);
    let ranks = node_ranks(nodes);
    let rank_and_sort = |records: &mut [Record]| {
        for record in records.iter_mut() {
            record.rank = ranks[record.rank as usize];
        }
        if created {
            records.sort_unstable_by_key(created_key);
        }
    };
    if parallel {
        let (first_half, second_half) = records.split_at_mut(split);
        both(|| rank_and_sort(first_half), || rank_and_sort(second_half));
    } else {
        rank_and_sort(&mut records);
    }
    if created {
        sort_created(text, &mut records)?;
    }
    Some((header, records))
}

/// Runs `a` here and `b` on a thread of its own, at once.
fn both<A: Send, B: Send>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    std::thread::scope(|scope| {
        let other = scope.spawn(b);
        let here = a();
        // A panic there is a bug: it goes on here, to be reported as one.
        let there = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (here, there)
    })
}

/// The header, as the full read finds it, and where the entries start.
pub(super) fn header_of(text: &str) -> Option<(Header, usize)> {
    let bytes = text.as_bytes();
    let mut start = format::content_start(bytes);
    let mut header = Header::default();
    for line in format::lines(bytes, start..bytes.len()) {
        let kind = format::classify(&bytes[line.clone()], true).ok()?;
        if kind == LineKind::Entry {
            break;
        }
        start = line.end + 1;
        if kind == LineKind::Header {
            header = Header::parse(&text[line]).ok()?;
            break;
        }
    }
    Some((header, start.min(bytes.len())))
}

/// What one thread found in its part of the log.
struct Half<'a> {
    records: Vec<Record>,
    /// A hash of each entry's ID, by record.
    hashes: Vec<u32>,
    /// The distinct nodes, by the number records hold until ranked; each
    /// record holds its node's number plus `node_base`.
    nodes: Vec<&'a str>,
    first_added: Option<u64>,
    last_added: Option<u64>,
}

impl<'a> Half<'a> {
    /// Appends `next`, the part after this one.
    fn join(&mut self, mut next: Half<'a>) {
        let base = self.nodes.len() as u32;
        for record in &mut next.records {
            record.rank += base;
        }
        self.records.append(&mut next.records);
        self.hashes.append(&mut next.hashes);
        self.nodes.append(&mut next.nodes);
        self.last_added = next.last_added.or(self.last_added);
        self.first_added = self.first_added.or(next.first_added);
    }
}

/// Reads the entries of the lines in `range`.
fn scan<'a>(text: &'a str, range: Range<usize>, progress: &mut dyn Progress) -> Option<Half<'a>> {
    let bytes = text.as_bytes();
    let lines = format::count_lines(bytes, range.clone());
    let mut half = Half {
        records: Vec::with_capacity(lines),
        hashes: Vec::with_capacity(lines),
        nodes: Vec::new(),
        first_added: None,
        last_added: None,
    };
    let mut node_numbers: hashbrown::HashMap<&str, u32> = hashbrown::HashMap::new();
    for (number, line) in format::lines(bytes, range).enumerate() {
        if number % REPORT_EVERY == 0 {
            progress.advance(line.start as u64);
        }
        if format::classify(&bytes[line.clone()], false).ok()? == LineKind::Blank {
            continue;
        }
        let entry = EntryFacts::of(&text[line.clone()])?;
        if half.last_added.is_some_and(|last| entry.added <= last) {
            return None;
        }
        half.first_added.get_or_insert(entry.added);
        half.last_added = Some(entry.added);
        let number = *node_numbers.entry(entry.node).or_insert_with(|| {
            half.nodes.push(entry.node);
            half.nodes.len() as u32 - 1
        });
        half.records.push(Record {
            time: crate::log::sortable_time(entry.time),
            rank: number,
            // A line is at most 4 GiB (`format::classify`).
            len: entry.array.len() as u32,
            start: (line.start + entry.array.start) as u64,
        });
        half.hashes.push(entry.id_hash() as u32);
    }
    Some(half)
}

/// What the compact reads take from an entry's line, checked as the full
/// read checks it.
pub(super) struct EntryFacts<'a> {
    /// Where the `[action, meta]` array stands in the line.
    pub(crate) array: Range<usize>,
    pub(crate) added: u64,
    pub(crate) id: &'a str,
    pub(crate) node: &'a str,
    /// `meta.time`, else the ID's milliseconds.
    pub(crate) time: f64,
    /// What a sync sends of it, in the line.
    pub(crate) travelling: crate::entry::Travelling,
}

impl<'a> EntryFacts<'a> {
    /// The facts of the entry `line` (not blank); `None` for a line the
    /// compact reads leave to the full read: any problem, no `added`, an
    /// ID with escapes.
    pub(crate) fn of(line: &'a str) -> Option<Self> {
        let (split, fields) = Entry::split_fast(line, None)?;
        let travelling = crate::entry::Travelling::from_split(line, &split, &fields)?;
        Some(EntryFacts {
            array: split.array,
            added: travelling.added,
            id: &line[travelling.id.clone()],
            node: &line[travelling.node.clone()],
            time: travelling.time,
            travelling,
        })
    }

    /// A 64-bit hash of the ID, to tell IDs apart.
    pub(crate) fn id_hash(&self) -> u64 {
        xxhash_rust::xxh3::xxh3_64(self.id.as_bytes())
    }
}

/// Whether two records have the same ID: those with the same hash are
/// compared by their IDs' text. With `Some(part)`, only among the records
/// whose hash has its top bit `part`: equal IDs have equal hashes, so the
/// two parts together look at every pair that could be equal. Also `true`
/// for more records than the table can number (left to the full read).
fn has_duplicate(text: &str, records: &[Record], hashes: &[u32], part: Option<bool>) -> bool {
    // A slot holds a record's number; `EMPTY` is none. Not 0: a table
    // of zeros is the kernel's zero page until written, and each page's
    // first write after a read is a fault that stops the other thread
    // too (its TLB is flushed): in all as costly as the search itself.
    const EMPTY: u32 = u32::MAX;
    if hashes.len() >= EMPTY as usize {
        return true;
    }
    let in_part = |hash: u32| part.is_none_or(|top| (hash >> 31 == 1) == top);
    // Counted, not guessed: a file may hold IDs whose hashes all fall in
    // one part, and a table with no free slot would be searched forever.
    let size = hashes.iter().filter(|&&hash| in_part(hash)).count();
    let capacity = (size * 2).next_power_of_two().max(16);
    let mask = capacity - 1;
    let mut slots = vec![EMPTY; capacity];
    for (number, &hash) in hashes.iter().enumerate() {
        if !in_part(hash) {
            continue;
        }
        let mut slot = hash as usize & mask;
        loop {
            match slots[slot] {
                EMPTY => {
                    slots[slot] = number as u32;
                    break;
                }
                other => {
                    let other = other as usize;
                    if hashes[other] == hash
                        && id_of(text, &records[other]) == id_of(text, &records[number])
                    {
                        return true;
                    }
                }
            }
            slot = (slot + 1) & mask;
        }
    }
    false
}

/// The ID of a checked record, read again from its line.
fn id_of<'a>(text: &'a str, record: &Record) -> Option<&'a str> {
    let line = &text[record.span()];
    json::split_line_fast(line.as_bytes(), |spans| {
        let member = spans
            .meta_members
            .iter()
            .rev()
            .find(|m| &line[m.key.start..m.key.end] == "\"id\"")?;
        Some(&line[member.value.start + 1..member.value.end - 1])
    })
    .flatten()
}

/// Each node's rank among all nodes, in JavaScript's string order, by the
/// number records hold until ranked.
fn node_ranks(nodes: Vec<&str>) -> Vec<u32> {
    let mut by_name: Vec<(usize, &str)> = nodes.into_iter().enumerate().collect();
    by_name.sort_by(|a, b| compare_js_strings(a.1, b.1));
    let mut ranks = vec![0u32; by_name.len()];
    let mut rank = 0u32;
    for (i, (number, name)) in by_name.iter().enumerate() {
        if i > 0 && by_name[i - 1].1 != *name {
            rank += 1;
        }
        ranks[*number] = rank;
    }
    ranks
}

/// What sorts records in created order, but for entries alike in time and
/// node (see [`sort_created`]).
fn created_key(record: &Record) -> (u64, u32, u64) {
    (record.time, record.rank, record.start)
}

/// Sorts by `isFirstOlder`: time and node rank, then, for the few entries
/// alike in both, the counter and the milliseconds of their IDs.
fn sort_created(text: &str, records: &mut [Record]) -> Option<()> {
    // Stable: two halves sorted apart are two runs, merged in one pass.
    records.sort_by_key(created_key);
    let mut start = 0;
    while start < records.len() {
        let key = (records[start].time, records[start].rank);
        let end = start
            + records[start..]
                .iter()
                .take_while(|r| (r.time, r.rank) == key)
                .count();
        if end - start > 1 {
            let mut keyed = Vec::with_capacity(end - start);
            for record in &records[start..end] {
                let parts = parse_action_id(id_of(text, record)?).ok()?;
                keyed.push(((parts.counter, parts.ms), *record));
            }
            keyed.sort_by_key(|(key, _)| *key);
            for (slot, (_, record)) in records[start..end].iter_mut().zip(keyed) {
                *slot = record;
            }
        }
        start = end;
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use crate::log::Order;
    use crate::text::Buffer;

    /// A log big enough for two threads, with times out of order, nodes
    /// that sort differently as bytes and as JavaScript strings, and
    /// entries alike in time and node.
    fn big_log(entries: usize) -> String {
        let mut text = String::from("{\"actionlog\":1,\"lastAdded\":0}\n");
        let nodes = ["a", "b:1", "\u{ff61}", "\u{1f600}", "z"];
        for i in 0..entries {
            let node = nodes[i % nodes.len()];
            let time = 1000 + (i * 7919) % 997;
            let counter = i / 3;
            text.push_str(&format!(
                "[{{\"type\":\"t\",\"pad\":\"{}\"}},{{\"id\":\"{} {node} {counter}\",\"time\":{time},\"reasons\":[\"r\"],\"added\":{}}}]\n",
                "x".repeat(i % 200),
                1000 + i % 13,
                i + 1
            ));
        }
        text
    }

    fn full_lines(text: &str, order: Order) -> Vec<String> {
        let stored = super::super::parse(text.as_bytes().to_vec(), Path::new("log")).unwrap();
        stored
            .log
            .entries(order, None)
            .map(|e| e.line().into_owned())
            .collect()
    }

    #[test]
    fn two_threads_read_as_the_full_read_does() {
        let text = big_log(40_000);
        assert!(text.len() > super::PARALLEL_FROM_BYTES);
        for order in [Order::Created, Order::Added] {
            let buf = Arc::new(Buffer::Heap(text.clone()));
            let index = super::read(buf, order == Order::Created, &mut super::Silent).unwrap();
            let lines: Vec<&str> = index.lines(0..index.len()).collect();
            assert_eq!(lines, full_lines(&text, order), "{order:?}");
        }
    }

    #[test]
    fn any_duplicate_is_found_whichever_half_of_the_hashes_it_falls_in() {
        // Each of sixteen entries again at the end, one log each: the two
        // threads look at the hashes by their top bit, and each part gets
        // some of them.
        let text = big_log(40_000);
        let last_added = 40_000;
        for n in 1..=16 {
            let line = text.lines().nth(n * 997).unwrap();
            let at = line.find("\"added\":").unwrap();
            let again = format!("{}\"added\":{}}}]", &line[..at], last_added + 1);
            let duplicate = format!("{text}{again}\n");
            for created in [true, false] {
                let buf = Arc::new(Buffer::Heap(duplicate.clone()));
                assert!(
                    super::read(buf, created, &mut super::Silent).is_none(),
                    "{n}"
                );
            }
        }
    }

    #[test]
    fn ids_whose_hashes_all_fall_in_one_part_are_still_read() {
        // 2^15 + 1 entries whose IDs' hashes have the same top bit: a table
        // for half of the entries would have no free slot left.
        let mut text = String::from("{\"actionlog\":1,\"lastAdded\":0}\n");
        let (mut added, mut counter) = (0, 0);
        while added < (1 << 15) + 1 {
            let id = format!("1000 a {counter}");
            counter += 1;
            if (xxhash_rust::xxh3::xxh3_64(id.as_bytes()) as u32) >> 31 == 0 {
                continue;
            }
            added += 1;
            text.push_str(&format!(
                "[{{\"type\":\"t\",\"pad\":\"{}\"}},{{\"id\":\"{id}\",\"time\":1000,\"reasons\":[\"r\"],\"added\":{added}}}]\n",
                "x".repeat(100)
            ));
        }
        assert!(text.len() > super::PARALLEL_FROM_BYTES);
        let index = super::read(Arc::new(Buffer::Heap(text)), true, &mut super::Silent).unwrap();
        assert_eq!(index.len(), (1 << 15) + 1);
    }

    #[test]
    fn a_duplicate_or_added_out_of_order_across_the_halves_is_left_to_the_full_read() {
        let text = big_log(40_000);
        let last = text.lines().last().unwrap().to_owned();
        // The first entry's line again at the end: a duplicate ID.
        let first = text.lines().nth(1).unwrap();
        let duplicate = format!(
            "{text}{}\n",
            first.replace("\"added\":1}", "\"added\":40001}")
        );
        assert!(super::read(Arc::new(Buffer::Heap(duplicate)), true, &mut super::Silent).is_none());
        // `added` going back at the start of the second half.
        let middle = text.len() / 2;
        let at = middle + text[middle..].find('\n').unwrap() + 1;
        let line_end = at + text[at..].find('\n').unwrap();
        let line = &text[at..line_end];
        let back = line.replacen(
            &line[line.find("\"added\":").unwrap()..],
            "\"added\":1}]",
            1,
        );
        let broken = format!("{}{back}{}", &text[..at], &text[line_end..]);
        assert!(super::read(Arc::new(Buffer::Heap(broken)), true, &mut super::Silent).is_none());
        assert!(super::super::parse(last.into_bytes(), Path::new("log")).is_ok());
    }
}
