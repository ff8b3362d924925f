//! The archive: a JSON-lines file that every cleaned entry is appended to,
//! so that cleaning a log never loses an action for someone who wants it.
//!
//! Each line is `[action, meta]` as the clean event showed it. An ID can be
//! there more than once (an action added again after it was cleaned); the
//! last line for an ID is the one read.

use std::fs::OpenOptions;
use std::io::{BufWriter, Write};
use std::path::Path;

use crate::entry::Entry;
use crate::error::{Error, Result};
use crate::event::{Event, EventKind};
use crate::text::{SharedStr, Symbols};

/// Appends the cleaned entries among `events` to the archive at `path`,
/// creating it, and flushes it to disk.
pub fn append(path: &Path, events: &[Event]) -> Result<()> {
    let cleaned: Vec<&Event> = events
        .iter()
        .filter(|e| e.kind == EventKind::Clean)
        .collect();
    if cleaned.is_empty() {
        return Ok(());
    }
    let context = || format!("cannot append to the archive {}", path.display());
    let file = OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .map_err(|e| Error::io(context(), e))?;
    let mut out = BufWriter::new(&file);
    let written = cleaned.iter().try_for_each(|event| {
        out.write_all(b"[")?;
        out.write_all(event.action().as_bytes())?;
        out.write_all(b",")?;
        for piece in event.meta_pieces() {
            out.write_all(piece.as_bytes())?;
        }
        out.write_all(b"]\n")
    });
    written
        .and_then(|()| out.flush())
        .map_err(|e| Error::io(context(), e))?;
    drop(out);
    file.sync_data().map_err(|e| Error::io(context(), e))
}

/// The entries of the archive at `path` (none if there is no archive), the
/// last line for each ID. `symbols` are the log's, so that the entries'
/// reasons compare with the log's.
pub fn read(path: &Path, symbols: &mut Symbols) -> Result<Vec<Entry>> {
    let text = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(Error::io(
                format!("cannot read the archive {}", path.display()),
                e,
            ));
        }
    };
    let bad = |line: usize, message: String| Error::BadLog {
        path: path.to_owned(),
        line,
        message,
    };
    let text = String::from_utf8(text).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        bad(line, "invalid UTF-8".into())
    })?;
    let mut entries: Vec<Entry> = Vec::new();
    let mut by_id: hashbrown::HashMap<String, usize> = hashbrown::HashMap::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        // Entries that were never stored have no `added`, and get none.
        let entry = Entry::parse(SharedStr::from(line), || 0, symbols)
            .map_err(|m| bad(index + 1, m))?
            .printed_as_written();
        match by_id.get(entry.id()) {
            Some(&at) => entries[at] = entry,
            None => {
                by_id.insert(entry.id().to_owned(), entries.len());
                entries.push(entry);
            }
        }
    }
    Ok(entries)
}
