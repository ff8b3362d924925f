//! The file format, and the one classifier every reader of a log file uses
//! (the full read, the sparse read, the streaming read, `check` and the
//! archive), so that they can never disagree about what a line is.
//!
//! A log file is UTF-8 text in lines ending with `\n`: an optional first
//! line holding a JSON object with the log's own state (`lastAdded`,
//! `lastSynced`), then one `[action, meta]` line per entry in added order.
//! A UTF-8 byte order mark at the very start is skipped. A line holding
//! only JSON whitespace (space, tab, carriage return) is blank and
//! skipped; nothing else counts as whitespace, so a line that `JSON.parse`
//! would refuse is never taken as blank.

use std::io::{self, Write};
use std::ops::Range;

use crate::entry::Entry;
use crate::error::Invalid;
use crate::meta::MetaText;

/// The byte order mark some editors put at the start of a UTF-8 file.
pub(crate) const BOM: &[u8] = "\u{feff}".as_bytes();

/// The longest line: an entry keeps the places of its parts in 32 bits.
pub const MAX_LINE_BYTES: usize = u32::MAX as usize;

/// JSON whitespace inside a line (a line break ends the line).
pub(crate) fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\r')
}

/// Whether a line holds nothing but JSON whitespace.
pub(crate) fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|&b| is_space(b))
}

/// What a line of a log file is, before it is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineKind {
    Blank,
    /// The log's own state: an object on the first line that holds
    /// anything.
    Header,
    /// Anything else, which must parse as an `[action, meta]` entry.
    Entry,
}

/// Classifies `line`; `first`: no line before it held anything. An object
/// anywhere but first is an error, as is a line too long to keep.
pub(crate) fn classify(line: &[u8], first: bool) -> Result<LineKind, String> {
    if line.len() > MAX_LINE_BYTES {
        return Err("line longer than 4 GiB".into());
    }
    match line.iter().find(|&&b| !is_space(b)) {
        None => Ok(LineKind::Blank),
        Some(b'{') if first => Ok(LineKind::Header),
        Some(b'{') => Err("a header object is only allowed on the first line".into()),
        Some(_) => Ok(LineKind::Entry),
    }
}

/// Where the lines of `bytes` start: after a byte order mark, if any.
pub(crate) fn content_start(bytes: &[u8]) -> usize {
    if bytes.starts_with(BOM) { BOM.len() } else { 0 }
}

/// The lines of `bytes[range]`, as ranges of `bytes` without their `\n`.
/// A last line without a line break is a line too.
pub(crate) fn lines(bytes: &[u8], range: Range<usize>) -> impl Iterator<Item = Range<usize>> + '_ {
    let end = range.end;
    let mut start = range.start;
    std::iter::from_fn(move || {
        if start >= end {
            return None;
        }
        let line_end = memchr::memchr(b'\n', &bytes[start..end]).map_or(end, |i| start + i);
        let line = start..line_end;
        start = line_end + 1;
        Some(line)
    })
}

/// How many lines [`lines`] gives for `bytes[range]`.
pub(crate) fn count_lines(bytes: &[u8], range: Range<usize>) -> usize {
    let slice = &bytes[range];
    memchr::memchr_iter(b'\n', slice).count()
        + usize::from(!slice.is_empty() && !slice.ends_with(b"\n"))
}

/// What makes a line no text at all, if anything: a NUL byte (never part
/// of JSON, and what a device of zeros gives) or bytes that are not UTF-8,
/// whichever comes first. With `whole` false the line is not all there
/// yet, and a character cut off at its end is no problem yet.
pub(crate) fn not_text(line: &[u8], whole: bool) -> Option<String> {
    let nul = memchr::memchr(0, line);
    if let Err(e) = std::str::from_utf8(&line[..nul.unwrap_or(line.len())])
        && (whole || nul.is_some() || e.error_len().is_some())
    {
        return Some(format!("invalid UTF-8 at byte {}", e.valid_up_to() + 1));
    }
    nul.map(|at| format!("a NUL byte at byte {}", at + 1))
}

/// The message for a line that is not a header or an entry: the parser's
/// `message`, unless the line is no text at all.
pub(crate) fn line_error(line: &[u8], problem: impl Into<Invalid>) -> Invalid {
    not_text(line, true).map_or_else(|| problem.into(), Invalid::from)
}

/// The first line of a log file: the log's own state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    pub(crate) meta: MetaText,
}

impl Header {
    pub(crate) fn last_added(&self) -> u64 {
        self.meta
            .get("lastAdded")
            .and_then(|raw| raw.parse().ok())
            .unwrap_or(0)
    }

    /// `lastSynced`: the `added` of the newest entry sent to and received
    /// from the other node, 0 when not said.
    pub fn last_synced(&self) -> (u64, u64) {
        let value: serde_json::Value = self
            .meta
            .get("lastSynced")
            .and_then(|raw| serde_json::from_str(raw).ok())
            .unwrap_or_default();
        let number = |key: &str| {
            value
                .get(key)
                .and_then(serde_json::Value::as_u64)
                .unwrap_or(0)
        };
        (number("sent"), number("received"))
    }

    pub(crate) fn set_last_synced(&mut self, (sent, received): (u64, u64)) {
        if !self.meta.contains("actionlog") {
            // A new header: its keys in the usual order.
            let mut meta = MetaText::default();
            meta.set_raw("actionlog", "1");
            meta.set_raw("lastAdded", self.last_added().to_string());
            for (key, value) in self.meta.iter() {
                meta.set_raw(key, value);
            }
            self.meta = meta;
        }
        self.meta.set_raw(
            "lastSynced",
            format!(r#"{{"sent":{sent},"received":{received}}}"#),
        );
    }

    /// Whether the header says `lastSynced` at all.
    pub(crate) fn has_last_synced(&self) -> bool {
        self.meta.contains("lastSynced")
    }

    /// Reads the header line; the message is the one every reader gives.
    pub(crate) fn parse(text: &str) -> Result<Header, String> {
        let meta = MetaText::parse(text).map_err(|m| format!("log header: {m}"))?;
        if let Some(raw) = meta.get("lastAdded") {
            crate::meta::read_added(raw).map_err(|_| {
                format!(
                    "log header: \"lastAdded\" must be a whole number up to {}, not {raw}",
                    crate::id::MAX_SAFE_INTEGER
                )
            })?;
        }
        Ok(Header { meta })
    }

    pub(crate) fn to_line(&self, last_added: u64) -> String {
        let mut meta = self.meta.clone();
        if !meta.contains("actionlog") {
            meta.set_raw("actionlog", "1");
        }
        meta.set_raw("lastAdded", last_added.to_string());
        if !meta.contains("lastSynced") {
            meta.set_raw("lastSynced", r#"{"sent":0,"received":0}"#);
        }
        meta.to_json()
    }
}

/// Writes one entry's line and its line break.
pub(crate) fn write_entry(out: &mut (impl Write + ?Sized), entry: &Entry) -> io::Result<()> {
    // A file from another tool may number entries by position; writing the
    // number down means removing an entry before it cannot shift it.
    if entry.added_written() {
        for piece in entry.line_pieces() {
            out.write_all(piece.as_bytes())?;
        }
    } else {
        out.write_all(entry.line_with_added().as_bytes())?;
    }
    out.write_all(b"\n")
}

/// How many bytes [`write_entry`] writes for `entry`.
pub(crate) fn written_len(entry: &Entry) -> u64 {
    let line = if entry.added_written() {
        entry.line_len()
    } else {
        entry.line_with_added().len()
    };
    line as u64 + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_json_whitespace_is_blank() {
        assert_eq!(classify(b" \t\r", true), Ok(LineKind::Blank));
        assert_eq!(classify(b"\x0c", true), Ok(LineKind::Entry));
        assert_eq!(classify("\u{a0}".as_bytes(), false), Ok(LineKind::Entry));
        assert_eq!(classify(b" {}", true), Ok(LineKind::Header));
        assert!(classify(b"{}", false).is_err());
    }

    #[test]
    fn what_is_not_text_is_named_by_its_first_bad_byte() {
        assert_eq!(
            not_text(b"ab\0c\xff", true).unwrap(),
            "a NUL byte at byte 3"
        );
        assert_eq!(
            not_text(b"a\xffb\0", true).unwrap(),
            "invalid UTF-8 at byte 2"
        );
        assert_eq!(not_text("é".as_bytes(), true), None);
        assert_eq!(not_text(&"é".as_bytes()[..1], false), None);
        assert!(not_text(&"é".as_bytes()[..1], true).is_some());
        assert_eq!(line_error(b"[1]", "parse").to_string(), "parse");
    }

    #[test]
    fn lines_cover_a_last_line_without_a_break() {
        let bytes = b"a\n\nbc";
        let found: Vec<_> = lines(bytes, 0..bytes.len()).collect();
        assert_eq!(found, vec![0..1, 2..2, 3..5]);
        assert_eq!(count_lines(bytes, 0..bytes.len()), 3);
        assert_eq!(count_lines(b"a\n", 0..2), 1);
    }
}
