//! The archive: a JSON-lines file that every cleaned entry is appended to,
//! so that cleaning a log never loses an action for someone who wants it.
//!
//! Each line is `[action, meta]` as the clean event showed it. An ID can be
//! there more than once (an action added again after it was cleaned); the
//! last line for an ID is the one read.

use std::fs::OpenOptions;
use std::io::{BufWriter, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use crate::entry::Entry;
use crate::error::{Error, Result};
use crate::event::{Event, EventKind};
use crate::store::format;
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
    if let Ok(metadata) = std::fs::metadata(path)
        && !metadata.is_file()
    {
        return Err(Error::io(context(), crate::store::not_regular(&metadata)));
    }
    // O_NONBLOCK: a FIFO there fails at once instead of waiting for a
    // reader; only a regular file is written.
    let file = OpenOptions::new()
        .append(true)
        .create(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| Error::io(context(), e))?;
    let metadata = file.metadata().map_err(|e| Error::io(context(), e))?;
    if !metadata.is_file() {
        return Err(Error::io(context(), crate::store::not_regular(&metadata)));
    }
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
/// reasons compare with the log's. A pipe or a device is read as
/// [`crate::store::read_untrusted`] reads it, at most `limit` bytes.
pub fn read(path: &Path, symbols: &mut Symbols, limit: u64) -> Result<Vec<Entry>> {
    let bytes = match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        _ => crate::store::read_untrusted(path, limit).map_err(|e| match e {
            Error::Io { cause: source, .. } => Error::io(
                format!("cannot read the archive {}", path.display()),
                source,
            ),
            other => other,
        })?,
    };
    let bad = |line: usize, problem: crate::error::Invalid| Error::BadLog {
        path: path.to_owned(),
        line,
        problem,
    };
    let start = format::content_start(&bytes);
    let mut entries: Vec<Entry> = Vec::new();
    let mut by_id: hashbrown::HashMap<String, usize> = hashbrown::HashMap::new();
    for (index, range) in format::lines(&bytes, start..bytes.len()).enumerate() {
        let line = &bytes[range];
        if format::is_blank(line) {
            continue;
        }
        let text = std::str::from_utf8(line)
            .map_err(|_| bad(index + 1, format::line_error(line, "not UTF-8")))?;
        // Entries that were never stored have no `added`, and get none.
        let entry = Entry::parse(SharedStr::from(text), || 0, symbols)
            .map_err(|m| bad(index + 1, format::line_error(line, m)))?
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
