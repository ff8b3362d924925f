//! Checking a log file: every problem of every line, where reading the log
//! stops at the first; and a repaired copy that keeps every entry that can
//! be kept.
//!
//! The checks are the reader's own (the same line classifier, entry parser,
//! header rules, duplicate-ID and `added` rules), applied line by line so
//! that one bad line does not hide the next; the first problem found is
//! the one reading reports.

use std::sync::Arc;

use crate::entry::Entry;
use crate::log::{BuildError, Log, LogBuilder};
use crate::meta::MetaText;
use crate::store::format::{self, LineKind};
use crate::store::{Header, Stored};

use crate::text::{Buffer, RawBytes, SharedStr};

/// One problem: the 1-based line, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The line's number, counting from 1.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
    /// What the repaired copy does about it.
    pub repair: Repair,
}

/// What the repaired copy of a log does about a problem. Not
/// `#[non_exhaustive]`: a repair only ever leaves a line out or renumbers
/// an entry; anything else would change what the log says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repair {
    /// The line is left out.
    Dropped,
    /// The entry is kept with a new `added` number.
    Renumbered(u64),
}

/// What checking a file found.
#[derive(Debug)]
pub struct Report {
    /// Each problem, in the order of the lines.
    pub problems: Vec<Problem>,
    /// Entries that read without a problem (or only with their `added`
    /// going backwards, which the repair renumbers).
    pub entries: usize,
    /// The log made of those entries: what `--repair` writes.
    pub repaired: Stored,
}

/// Checks the bytes of a log file.
#[cfg(test)]
pub(crate) fn check(bytes: &[u8]) -> Report {
    check_raw(RawBytes::Heap(bytes.to_vec()), None, false)
}

/// Checks a log file's bytes, only the first `limit` of them if given.
/// `stopped`: reading stopped inside the last line (a pipe or a device
/// that gave no log). When the whole file is UTF-8 (the usual case, even
/// for a damaged log), entries are slices of it, so a big file is not
/// copied.
pub fn check_raw(raw: RawBytes, limit: Option<usize>, stopped: bool) -> Report {
    match raw.into_buffer() {
        Ok(buffer) => {
            let buffer = Arc::new(buffer);
            let len = limit.unwrap_or(buffer.len()).min(buffer.len());
            check_lines(buffer.as_bytes(), len, Some(&buffer), stopped)
        }
        Err(raw) => {
            let bytes = raw.as_bytes();
            let len = limit.unwrap_or(bytes.len()).min(bytes.len());
            check_lines(bytes, len, None, stopped)
        }
    }
}

/// How many entries the log in `raw` (its first `limit` bytes, if given)
/// has, when it is certainly valid: found by the compact read, which keeps
/// a few bytes an entry where [`check_raw`] keeps each entry for the
/// repaired copy. `None` when the log may have problems, or is one the
/// compact read leaves alone (an entry without `added`, an ID with
/// escapes): check it with [`check_raw`].
pub fn count_if_valid(raw: &RawBytes, limit: Option<usize>) -> Option<usize> {
    let bytes = raw.as_bytes();
    let bytes = &bytes[..limit.unwrap_or(bytes.len()).min(bytes.len())];
    crate::store::index::count_entries(std::str::from_utf8(bytes).ok()?)
}

/// Checks `bytes[..len]`; `text` is the same bytes as checked UTF-8, if
/// they are. Lines are taken apart as every reader takes them apart
/// ([`format`]), one at a time, so a problem does not hide the next.
fn check_lines(bytes: &[u8], len: usize, text: Option<&Arc<Buffer>>, stopped: bool) -> Report {
    let bytes = &bytes[..len];
    let start = format::content_start(bytes);
    let last = format::count_lines(bytes, start..bytes.len());
    let mut checker = Checker {
        problems: Vec::new(),
        header: None,
        seen_content: false,
        builder: LogBuilder::new(0, last),
        lines_of_slots: Vec::with_capacity(last),
        previous_added: None,
        entries: 0,
    };
    let cut_short = !bytes.is_empty() && !bytes.ends_with(b"\n");
    for (index, range) in format::lines(bytes, start..bytes.len()).enumerate() {
        let number = index + 1;
        let line = &bytes[range.clone()];
        if let Err(message) = checker.line(line, range, number, text) {
            let message = match (cut_short && number == last, stopped) {
                (false, _) => message,
                (true, false) => format!("{message} (the file ends inside this line)"),
                (true, true) => format!("{message} (reading stopped inside this line)"),
            };
            checker.problem(number, message, Repair::Dropped);
        }
    }
    let header = checker.header.unwrap_or_default();
    let mut log: Log = checker.builder.finish();
    log.continue_added_after(header.last_added());
    Report {
        problems: checker.problems,
        entries: checker.entries,
        repaired: Stored::from_parts(log, header),
    }
}

/// What checking has found so far.
struct Checker {
    problems: Vec<Problem>,
    header: Option<Header>,
    seen_content: bool,
    builder: LogBuilder,
    /// The line of each pushed entry, by slot, to name the first of two
    /// entries with one ID.
    lines_of_slots: Vec<usize>,
    /// The `added` of the last entry kept, none before the first.
    previous_added: Option<u64>,
    entries: usize,
}

impl Checker {
    fn problem(&mut self, line: usize, message: String, repair: Repair) {
        self.problems.push(Problem {
            line,
            message,
            repair,
        });
    }

    /// Checks one line, `range` of the file; an error is a problem that
    /// leaves the line out.
    fn line(
        &mut self,
        line: &[u8],
        range: std::ops::Range<usize>,
        number: usize,
        text: Option<&Arc<Buffer>>,
    ) -> Result<(), String> {
        let first = !self.seen_content;
        let kind = format::classify(line, first);
        if kind != Ok(LineKind::Blank) {
            self.seen_content = true;
        }
        if let Some(message) = format::not_text(line, true) {
            return Err(message);
        }
        let text_of_line = std::str::from_utf8(line).map_err(|e| e.to_string())?;
        match kind? {
            LineKind::Blank => return Ok(()),
            LineKind::Header => {
                self.header = Some(Header::parse(text_of_line)?);
                return Ok(());
            }
            LineKind::Entry => {}
        }
        let shared = match text {
            Some(buffer) => SharedStr::slice_of(buffer, range),
            None => SharedStr::from(text_of_line),
        };
        // An entry without `added` is numbered by its place, as reading does.
        let previous = self.previous_added;
        let mut entry = Entry::parse(shared, || previous.unwrap_or(0) + 1, self.builder.symbols())
            .map_err(|problem| problem.to_string())?;
        if let Some(slot) = self.builder.slot_of(entry.id()) {
            return Err(format!(
                "duplicate ID {} (first on line {})",
                crate::json::quote(entry.id()),
                self.lines_of_slots[slot]
            ));
        }
        if let Some(previous) = previous
            && entry.added() <= previous
        {
            let renumbered = previous + 1;
            let message = BuildError::AddedNotIncreasing {
                added: entry.added(),
                previous,
            }
            .to_string();
            self.problem(number, message, Repair::Renumbered(renumbered));
            match with_added(&entry, renumbered, &mut self.builder) {
                Some(fixed) => entry = fixed,
                None => return Ok(()),
            }
        }
        self.previous_added = Some(entry.added());
        self.entries += 1;
        // The checks above are the builder's own, so it accepts the entry.
        if self.builder.push(entry).is_ok() {
            self.lines_of_slots.push(number);
        }
        Ok(())
    }
}

/// `entry` with `"added": added` in its meta.
fn with_added(entry: &Entry, added: u64, builder: &mut LogBuilder) -> Option<Entry> {
    let mut meta = MetaText::parse(&entry.meta()).ok()?;
    meta.set_raw("added", added.to_string());
    Entry::new(&entry.action(), &meta.to_json(), builder.symbols()).ok()
}
