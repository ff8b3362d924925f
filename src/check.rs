//! Checking a log file: every problem of every line, where reading the log
//! stops at the first; and a repaired copy that keeps every entry that can
//! be kept.
//!
//! The checks are the reader's own (the same entry parser, header rules,
//! duplicate-ID and `added` rules), applied line by line so that one bad
//! line does not hide the next.

use crate::entry::Entry;
use crate::log::{Log, LogBuilder};
use crate::meta::MetaText;
use crate::store::{Header, Stored};
use std::sync::Arc;

use crate::text::{Buffer, RawBytes, SharedStr};

/// One problem: the 1-based line, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub message: String,
    /// What the repaired copy does about it.
    pub repair: Repair,
}

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
    pub problems: Vec<Problem>,
    /// Entries that read without a problem (or only with their `added`
    /// going backwards, which the repair renumbers).
    pub entries: usize,
    /// The log made of those entries: what `--repair` writes.
    pub repaired: Stored,
}

/// Checks the bytes of a log file.
pub fn check(bytes: &[u8]) -> Report {
    check_raw(RawBytes::Heap(bytes.to_vec()), None)
}

/// Checks a log file's bytes, only the first `limit` of them if given.
/// When the whole file is UTF-8 (the usual case, even for a damaged log),
/// entries are slices of it, so a big file is not copied.
pub fn check_raw(raw: RawBytes, limit: Option<usize>) -> Report {
    match raw.into_buffer() {
        Ok(buffer) => {
            let buffer = Arc::new(buffer);
            let len = limit.unwrap_or(buffer.len()).min(buffer.len());
            check_lines(buffer.as_bytes(), len, Some(&buffer))
        }
        Err(raw) => {
            let bytes = raw.as_bytes();
            let len = limit.unwrap_or(bytes.len()).min(bytes.len());
            check_lines(bytes, len, None)
        }
    }
}

/// Checks `bytes[..len]`; `text` is the same bytes as checked UTF-8, if
/// they are.
fn check_lines(bytes: &[u8], len: usize, text: Option<&Arc<Buffer>>) -> Report {
    let mut problems = Vec::new();
    let mut problem = |line: usize, message: String, repair: Repair| {
        problems.push(Problem {
            line,
            message,
            repair,
        });
    };
    let bytes = &bytes[..len];
    let start = if bytes.starts_with("\u{feff}".as_bytes()) {
        3
    } else {
        0
    };
    let ends_with_break = bytes.ends_with(b"\n");
    let last = memchr::memchr_iter(b'\n', &bytes[start..]).count()
        + usize::from(!ends_with_break && bytes.len() > start);

    let mut header: Option<Header> = None;
    let mut seen_content = false;
    let mut builder = LogBuilder::new(0, last);
    // The line of each pushed entry, by slot, to name the first of two
    // entries with one ID.
    let mut lines_of_slots: Vec<usize> = Vec::with_capacity(last);
    let mut previous_added = 0;
    let mut entries = 0;
    let mut line_start = start;
    for number in 1..=last {
        let line_end =
            memchr::memchr(b'\n', &bytes[line_start..]).map_or(bytes.len(), |i| line_start + i);
        let range = line_start..line_end;
        line_start = line_end + 1;
        let text_of_line = match std::str::from_utf8(&bytes[range.clone()]) {
            Ok(text) => text,
            Err(e) => {
                problem(
                    number,
                    format!("invalid UTF-8 at byte {}", e.valid_up_to() + 1),
                    Repair::Dropped,
                );
                seen_content = true;
                continue;
            }
        };
        let trimmed = text_of_line.trim_matches([' ', '\t', '\r']);
        if trimmed.is_empty() {
            continue;
        }
        let first = !seen_content;
        seen_content = true;
        if trimmed.starts_with('{') {
            if !first {
                let message = "a header object is only allowed on the first line".to_string();
                problem(number, message, Repair::Dropped);
                continue;
            }
            match Header::parse(text_of_line) {
                Ok(parsed) => header = Some(parsed),
                Err(e) => problem(number, format!("log header: {e}"), Repair::Dropped),
            }
            continue;
        }
        let shared = match text {
            Some(buffer) => SharedStr::slice_of(buffer, range),
            None => SharedStr::from(text_of_line),
        };
        // An entry without `added` is numbered by its place, as reading does.
        let parsed = Entry::parse(shared, || previous_added + 1, builder.symbols());
        let mut entry = match parsed {
            Ok(entry) => entry,
            Err(message) => {
                let cut = number == last && !ends_with_break;
                let message = if cut {
                    format!("{message} (the file ends inside this line)")
                } else {
                    message
                };
                problem(number, message, Repair::Dropped);
                continue;
            }
        };
        if let Some(slot) = builder.slot_of(entry.id()) {
            let message = format!(
                "duplicate ID {} (first on line {})",
                crate::json::quote(entry.id()),
                lines_of_slots[slot]
            );
            problem(number, message, Repair::Dropped);
            continue;
        }
        if entry.added() <= previous_added {
            let renumbered = previous_added + 1;
            let message = format!(
                "meta \"added\" {} is not greater than {previous_added} of the entry before it",
                entry.added()
            );
            problem(number, message, Repair::Renumbered(renumbered));
            match with_added(&entry, renumbered, &mut builder) {
                Some(fixed) => entry = fixed,
                None => continue,
            }
        }
        previous_added = entry.added();
        entries += 1;
        // The checks above are the builder's own, so it accepts the entry.
        if builder.push(entry).is_ok() {
            lines_of_slots.push(number);
        }
    }
    let header = header.unwrap_or_default();
    let mut log: Log = builder.finish();
    log.continue_added_after(header.last_added());
    Report {
        problems,
        entries,
        repaired: Stored::from_parts(log, header),
    }
}

/// `entry` with `"added": added` in its meta.
fn with_added(entry: &Entry, added: u64, builder: &mut LogBuilder) -> Option<Entry> {
    let mut meta = MetaText::parse(&entry.meta()).ok()?;
    meta.set_raw("added", added.to_string());
    Entry::new(&entry.action(), &meta.to_json(), builder.symbols()).ok()
}
