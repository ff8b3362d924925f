//! Checking a log file: every problem of every line, where reading the log
//! stops at the first; and a repaired copy that keeps every entry that can
//! be kept.
//!
//! The checks are the reader's own (the same entry parser, header rules,
//! duplicate-ID and `added` rules), applied line by line so that one bad
//! line does not hide the next.

use std::path::Path;

use crate::entry::Entry;
use crate::log::{Log, LogBuilder};
use crate::meta::MetaText;
use crate::store::{Header, Stored};
use crate::text::SharedStr;

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
    let mut problems = Vec::new();
    let mut problem = |line: usize, message: String, repair: Repair| {
        problems.push(Problem {
            line,
            message,
            repair,
        });
    };
    let body = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let ends_with_break = body.ends_with(b"\n");
    let mut lines: Vec<&[u8]> = body.split(|&b| b == b'\n').collect();
    if ends_with_break {
        lines.pop();
    }
    let last = lines.len();

    let mut header: Option<Header> = None;
    let mut seen_content = false;
    let mut builder = LogBuilder::new(0, lines.len());
    let mut ids: hashbrown::HashMap<String, usize> = hashbrown::HashMap::new();
    let mut previous_added = 0;
    let mut entries = 0;
    for (index, raw) in lines.iter().enumerate() {
        let number = index + 1;
        let text = match std::str::from_utf8(raw) {
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
        let trimmed = text.trim_matches([' ', '\t', '\r']);
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
            match Header::parse(text) {
                Ok(parsed) => header = Some(parsed),
                Err(e) => problem(number, format!("log header: {e}"), Repair::Dropped),
            }
            continue;
        }
        // An entry without `added` is numbered by its place, as reading does.
        let parsed = Entry::parse(
            SharedStr::from(text),
            || previous_added + 1,
            builder.symbols(),
        );
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
        if let Some(&first) = ids.get(entry.id()) {
            let message = format!(
                "duplicate ID {} (first on line {first})",
                crate::json::quote(entry.id())
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
        ids.insert(entry.id().to_owned(), number);
        entries += 1;
        // The checks above are the builder's own, so it accepts the entry.
        let _ = builder.push(entry);
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

/// Checks the log file at `path`, read whole.
pub fn check_file(path: &Path) -> std::io::Result<Report> {
    let bytes = std::fs::read(path)?;
    Ok(check(&bytes))
}
