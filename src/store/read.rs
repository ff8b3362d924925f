//! Reading a log: the full read of a file (mapped or read, parsed by two
//! threads), the streaming read of a pipe, a device or standard input, the
//! sparse read of a plain `add` or `get`, and the raw bytes `check` works
//! on. Every one of them takes lines apart with [`super::format`] and
//! entries with [`Entry::parse`], and reports the first problem in line
//! order, so they agree on every input (a property test holds them to it).

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::ops::Range;
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::Path;
use std::sync::Arc;

use super::format::{self, Header, LineKind};
use super::{FirstOfTwo, Progress, Silent, Stored, Task};
use crate::entry::Entry;
use crate::error::{Error, Invalid, Result};
use crate::log::{BuildError, LogBuilder};
use crate::text::{Buffer, NotUtf8, RawBytes, ReleaseBehind, SharedStr, Symbols};

/// How many lines between two progress reports.
const REPORT_EVERY: usize = 1 << 16;

/// Files at least this big are mapped into memory instead of read.
pub(crate) const MAP_FROM_BYTES: u64 = 1 << 20;

/// Files bigger than this are parsed by two threads, one half each.
const PARALLEL_FROM_BYTES: usize = 4 << 20;

/// Reads a log from the bytes of a file. `path` names the file in errors.
pub fn parse(bytes: Vec<u8>, path: &Path) -> Result<Stored> {
    parse_reporting(bytes, path, &mut Silent)
}

/// [`parse`], telling `progress` how it goes.
pub(crate) fn parse_reporting(
    bytes: Vec<u8>,
    path: &Path,
    progress: &mut dyn Progress,
) -> Result<Stored> {
    match String::from_utf8(bytes) {
        Ok(text) => parse_buffer(Arc::new(Buffer::Heap(text)), path, progress),
        Err(e) => {
            let at = NotUtf8::of(e.as_bytes(), e.utf8_error());
            let mut through = e.into_bytes();
            through.truncate(at.offset);
            Err(first_problem(through, path, at))
        }
    }
}

fn bad(path: &Path, line: usize, problem: impl Into<Invalid>) -> Error {
    Error::BadLog {
        path: path.to_owned(),
        line,
        problem: problem.into(),
    }
}

/// The error for an entry that cannot join the log being built: `line` is
/// its line, `line_of_slot` the line of an earlier entry by its slot.
fn build_error(
    path: &Path,
    line: usize,
    error: &BuildError,
    line_of_slot: impl Fn(usize) -> usize,
) -> Error {
    match error {
        BuildError::DuplicateId { first, .. } => bad(
            path,
            line,
            format!("{error} (first on line {})", line_of_slot(*first)),
        ),
        BuildError::AddedNotIncreasing { .. } => bad(path, line, error.to_string()),
    }
}

/// Opens a pipe, a device or another file that is read as a stream. A FIFO
/// waits for a writer here; a signal the process catches (Ctrl-C in the
/// REPL) ends the wait with an error instead of resuming it, as reads of
/// the result do ([`Interruptible`]).
pub(crate) fn open_stream(path: &Path) -> io::Result<Interruptible> {
    crate::sys::open_for_reading(path)
        .map(Interruptible)
        .map_err(interrupted_or)
}

/// A file whose reads a caught signal interrupts: the standard library
/// retries an interrupted read, which would let Ctrl-C go unheard while a
/// pipe waits.
pub(crate) struct Interruptible(pub(crate) File);

impl Read for Interruptible {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf).map_err(interrupted_or)
    }
}

fn interrupted_or(error: io::Error) -> io::Error {
    if error.kind() == io::ErrorKind::Interrupted {
        io::Error::other("interrupted")
    } else {
        error
    }
}

/// Opens the regular file at `real` to read it: never through a symbolic
/// link (a log's path is resolved before), and never blocking on a FIFO
/// put there since.
pub(crate) fn open_regular(real: &Path) -> io::Result<File> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(real)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(super::identity::not_regular(&metadata));
    }
    Ok(file)
}

/// Reads the regular log file open as `file`, only its first `limit` bytes
/// if given (the rest being an unfinished append). With `may_map`, a big
/// file is mapped rather than read: the caller holds the lock for as long
/// as the log is in memory.
pub(crate) fn read_regular(
    file: &mut File,
    name: &Path,
    limit: Option<u64>,
    may_map: bool,
    progress: &mut dyn Progress,
) -> Result<Stored> {
    let context = || format!("cannot read {}", name.display());
    let size = file.metadata().map_err(|e| Error::io(context(), e))?.len();
    let size = limit.map_or(size, |limit| limit.min(size));
    let buf = if may_map && limit.is_none() && size >= MAP_FROM_BYTES {
        Buffer::map(file).map_err(|e| Error::io(context(), e))?
    } else {
        let mut bytes = Vec::with_capacity(size as usize);
        let read = match limit {
            Some(limit) => file.take(limit).read_to_end(&mut bytes),
            // To its end, whatever its size says: a file in /proc says 0.
            None => file.read_to_end(&mut bytes),
        };
        read.map_err(|e| Error::io(context(), e))?;
        Buffer::from_bytes(bytes)
    };
    let buf = match buf {
        Ok(buf) => buf,
        Err(at) => {
            let mut through = vec![0; at.offset];
            file.read_exact_at(&mut through, 0)
                .map_err(|e| Error::io(context(), e))?;
            return Err(first_problem(through, name, at));
        }
    };
    parse_buffer(Arc::new(buf), name, progress)
}

/// The first problem of a log that stops being UTF-8 at `at`, given its
/// bytes up to there: a line before that one, or that line, which is not
/// text (its first NUL byte may come before).
fn first_problem(mut through: Vec<u8>, path: &Path, at: NotUtf8) -> Error {
    let line = format::line_error(&through[at.line_start()..], at.message());
    through.truncate(at.line_start());
    let before = String::from_utf8(through).unwrap_or_default();
    match parse_buffer(Arc::new(Buffer::Heap(before)), path, &mut Silent) {
        Err(earlier) => earlier,
        Ok(_) => bad(path, at.line, line),
    }
}

/// Parses a whole log held in `buf`.
pub(crate) fn parse_buffer(
    buf: Arc<Buffer>,
    path: &Path,
    progress: &mut dyn Progress,
) -> Result<Stored> {
    progress.begin(Task::Load, buf.len() as u64);
    let bytes = buf.as_bytes();
    let start = format::content_start(bytes);
    // Appending is safe onto a whole last line, or onto nothing at all.
    let appendable = start == bytes.len() || bytes.ends_with(b"\n");

    let (header, start, first_number) = read_header(&buf, start, path)?;

    // Split the rest in two at a line break; each half gets its own thread
    // and its own slots, one a line.
    let middle = if bytes.len() - start >= PARALLEL_FROM_BYTES {
        let half = start + (bytes.len() - start) / 2;
        memchr::memchr(b'\n', &bytes[half..]).map_or(bytes.len(), |i| half + i + 1)
    } else {
        bytes.len()
    };
    let first_lines = format::count_lines(bytes, start..middle);
    let lines = first_lines + format::count_lines(bytes, middle..bytes.len());
    // Reading the file brought all of it into memory; the parsers bring
    // back only what they are reading.
    buf.release(0..bytes.len());
    let mut slots: Vec<Option<Entry>> = Vec::new();
    slots.resize_with(lines, || None);
    let mut symbols = Symbols::default();
    let halves = Halves {
        whole: start..bytes.len(),
        middle,
        first_lines,
        first_number,
    };
    let parsed = parse_halves(&buf, path, &halves, &mut slots, &mut symbols, progress);
    let line_of_slot = |slot: usize| first_number + slot;
    if let Err(error) = parsed {
        // A line that is not an entry; but an entry before it may clash
        // with an earlier one, and the first problem is the one to report.
        if let Error::BadLog { line, .. } = &error
            && let Some(before) = line.checked_sub(first_number)
        {
            let mut earlier: Vec<Option<Entry>> = slots.drain(..before.min(slots.len())).collect();
            number_by_position(&mut earlier);
            if let Err((slot, e)) = LogBuilder::from_slots(earlier, Symbols::default(), 0) {
                return Err(build_error(path, line_of_slot(slot), &e, line_of_slot));
            }
        }
        return Err(error);
    }

    let previous_added = number_by_position(&mut slots);
    let file_last_added = header.last_added().max(previous_added);
    let log = LogBuilder::from_slots(slots, symbols, header.last_added())
        .map_err(|(slot, e)| build_error(path, line_of_slot(slot), &e, line_of_slot))?;
    progress.end();
    Ok(Stored {
        log,
        header,
        appendable,
        file_last_added,
        sparse: false,
        header_changed: false,
    })
}

/// The header line of a log, if its first line that holds anything is an
/// object; where the entries begin (from `start`, past any byte order
/// mark), and the number of their first line.
fn read_header(buf: &Buffer, mut start: usize, path: &Path) -> Result<(Header, usize, usize)> {
    let bytes = buf.as_bytes();
    let mut header = Header::default();
    let mut first_number = 1;
    for line in format::lines(bytes, start..bytes.len()) {
        let text = &bytes[line.clone()];
        let kind = format::classify(text, true)
            .map_err(|m| bad(path, first_number, format::line_error(text, m)))?;
        if kind == LineKind::Entry {
            break;
        }
        if kind == LineKind::Header {
            header = Header::parse(&buf[line.clone()])
                .map_err(|m| bad(path, first_number, format::line_error(text, m)))?;
        }
        start = line.end + 1;
        first_number += 1;
        if kind == LineKind::Header {
            break;
        }
    }
    Ok((header, start.min(bytes.len()), first_number))
}

/// The entry lines of a buffer cut in two at a line break: `whole` is
/// their range, `middle` where the second half begins (the end of `whole`
/// if there is one half), `first_lines` how many lines the first has, and
/// `first_number` the number of the first line.
struct Halves {
    whole: std::ops::Range<usize>,
    middle: usize,
    first_lines: usize,
    first_number: usize,
}

/// Parses the two halves into `slots`, one a line, the second on a
/// thread of its own with symbols of its own, merged into `symbols` after.
fn parse_halves(
    buf: &Arc<Buffer>,
    path: &Path,
    halves: &Halves,
    slots: &mut [Option<Entry>],
    symbols: &mut Symbols,
    progress: &mut dyn Progress,
) -> Result<()> {
    let (start, end) = (halves.whole.start, halves.whole.end);
    let (middle, first_lines, first_number) =
        (halves.middle, halves.first_lines, halves.first_number);
    let (first_slots, second_slots) = slots.split_at_mut(first_lines);
    let (first, second) = std::thread::scope(|scope| {
        let worker = (middle < end).then(|| {
            scope.spawn(move || {
                let mut symbols = Symbols::default();
                let number = first_number + first_lines;
                parse_lines(
                    path,
                    buf,
                    middle..end,
                    number,
                    second_slots,
                    &mut symbols,
                    &mut Silent,
                )
                .map(|()| symbols)
            })
        });
        let mut whole = FirstOfTwo::new(progress, start as u64..end as u64, middle as u64);
        let first = parse_lines(
            path,
            buf,
            start..middle,
            first_number,
            first_slots,
            symbols,
            &mut whole,
        );
        let second = worker.map(|w| {
            // A panic there is a bug: it goes on here, to be reported as one.
            w.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        (first, second)
    });
    first.and_then(|()| match second {
        Some(second) => {
            let map = symbols.merge(&second?);
            for entry in slots[first_lines..].iter_mut().flatten() {
                entry.remap_symbols(&map);
            }
            Ok(())
        }
        None => Ok(()),
    })
}

/// Numbers entries without `added` by their place, each one after the
/// entry before it, as `@logux/core` numbers a store's entries. Returns the
/// last entry's number.
fn number_by_position(slots: &mut [Option<Entry>]) -> u64 {
    let mut previous_added = 0;
    for entry in slots.iter_mut().flatten() {
        entry.set_added_by_position(previous_added + 1);
        previous_added = entry.added();
    }
    previous_added
}

/// Parses the lines in `range` into `slots`, one a line; `number` is the
/// line number of the first. Entries without `added` get 0 for now.
fn parse_lines(
    path: &Path,
    buf: &Arc<Buffer>,
    range: Range<usize>,
    number: usize,
    slots: &mut [Option<Entry>],
    symbols: &mut Symbols,
    progress: &mut dyn Progress,
) -> Result<()> {
    let bytes = buf.as_bytes();
    let mut behind = ReleaseBehind::over(buf, range.clone());
    for (index, (line, slot)) in format::lines(bytes, range.clone()).zip(slots).enumerate() {
        let number = number + index;
        if index % REPORT_EVERY == 0 {
            progress.advance(line.start as u64);
        }
        if index % 4096 == 0 {
            behind.reached(buf, line.start);
        }
        let text = &bytes[line.clone()];
        let kind = format::classify(text, false)
            .map_err(|m| bad(path, number, format::line_error(text, m)))?;
        match kind {
            LineKind::Blank => {}
            LineKind::Header | LineKind::Entry => {
                let entry = Entry::parse(SharedStr::slice_of(buf, line), || 0, symbols)
                    .map_err(|m| bad(path, number, format::line_error(text, m)))?;
                *slot = Some(entry);
            }
        }
    }
    Ok(())
}

/// Reads a log from a pipe, a device or standard input: in pieces, each
/// line parsed as it arrives, so that what is not a log (a device of zeros,
/// `yes`) is refused at its first line rather than read without end. At
/// most `limit` bytes are read: the log is held in memory.
pub(crate) fn read_stream(input: impl Read, name: &Path, limit: u64) -> Result<Stored> {
    read_stream_in_pieces(input, name, limit, 1 << 20)
}

/// [`read_stream`], reading `piece` bytes at a time.
pub(crate) fn read_stream_in_pieces(
    mut input: impl Read,
    name: &Path,
    limit: u64,
    piece: u64,
) -> Result<Stored> {
    let context = || format!("cannot read {}", name.display());
    let mut reader = StreamReader::new(name);
    let mut pending: Vec<u8> = Vec::new();
    // How much of `pending` (a line not yet whole) is known to be UTF-8
    // without a NUL byte.
    let mut checked = 0;
    let mut total: u64 = 0;
    loop {
        let before = pending.len();
        let read = (&mut input)
            .take(piece)
            .read_to_end(&mut pending)
            .map_err(|e| Error::io(context(), e))?;
        total += read as u64;
        if total > limit {
            return Err(Error::io(context(), too_long(limit)));
        }
        let done = read == 0;
        // Only what was just read can hold a new line break.
        let whole = if done {
            pending.len()
        } else {
            memchr::memrchr(b'\n', &pending[before..]).map_or(0, |i| before + i + 1)
        };
        if whole > 0 {
            reader.feed(pending[..whole].to_vec(), done)?;
            pending.drain(..whole);
            checked = 0;
        }
        if done {
            return Ok(reader.finish());
        }
        reader.check_partial(&pending, &mut checked)?;
    }
}

/// The state of a streaming read between pieces.
struct StreamReader<'a> {
    path: &'a Path,
    header: Header,
    builder: LogBuilder,
    /// The line of each entry pushed, by slot.
    lines_of_slots: Vec<usize>,
    /// Lines read so far.
    number: usize,
    seen_content: bool,
    previous_added: u64,
    at_start: bool,
    ends_with_break: bool,
}

impl StreamReader<'_> {
    fn new(path: &Path) -> StreamReader<'_> {
        StreamReader {
            path,
            header: Header::default(),
            builder: LogBuilder::new(0, 0),
            lines_of_slots: Vec::new(),
            number: 0,
            seen_content: false,
            previous_added: 0,
            at_start: true,
            ends_with_break: true,
        }
    }

    /// Parses whole lines (the last may lack its line break if `last`).
    fn feed(&mut self, mut bytes: Vec<u8>, last: bool) -> Result<()> {
        if std::mem::take(&mut self.at_start) && bytes.starts_with(format::BOM) {
            bytes.drain(..format::BOM.len());
        }
        if last {
            self.ends_with_break = bytes.is_empty() || bytes.ends_with(b"\n");
        }
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let mut at = NotUtf8::of(e.as_bytes(), e.utf8_error());
                if at.line == 1 && at.column != at.offset + 1 {
                    // Not the start of the file: what looked like a byte
                    // order mark is part of the line.
                    at.column = at.offset + 1;
                }
                let mut bytes = e.into_bytes();
                let line = format::line_error(&bytes[at.line_start()..at.offset], at.message());
                bytes.truncate(at.line_start());
                // The lines before the one that is not UTF-8 come first.
                self.lines(String::from_utf8(bytes).unwrap_or_default())?;
                return Err(bad(self.path, self.number + 1, line));
            }
        };
        self.lines(text)
    }

    fn lines(&mut self, text: String) -> Result<()> {
        let buf = Arc::new(Buffer::Heap(text));
        for line in format::lines(buf.as_bytes(), 0..buf.len()) {
            self.number += 1;
            self.line(&buf, line)?;
        }
        Ok(())
    }

    fn line(&mut self, buf: &Arc<Buffer>, line: Range<usize>) -> Result<()> {
        let text = &buf.as_bytes()[line.clone()];
        let bad = |problem: Invalid| bad(self.path, self.number, problem);
        let kind = format::classify(text, !self.seen_content)
            .map_err(|m| bad(format::line_error(text, m)))?;
        match kind {
            LineKind::Blank => {}
            LineKind::Header => {
                self.seen_content = true;
                self.header =
                    Header::parse(&buf[line]).map_err(|m| bad(format::line_error(text, m)))?;
            }
            LineKind::Entry => {
                self.seen_content = true;
                let previous = self.previous_added;
                let entry = Entry::parse(
                    SharedStr::slice_of(buf, line),
                    || previous + 1,
                    self.builder.symbols(),
                )
                .map_err(|m| bad(format::line_error(text, m)))?;
                let added = entry.added();
                if let Err(e) = self.builder.push(entry) {
                    let lines = &self.lines_of_slots;
                    return Err(build_error(self.path, self.number, &e, |slot| lines[slot]));
                }
                self.previous_added = added;
                self.lines_of_slots.push(self.number);
            }
        }
        Ok(())
    }

    /// Refuses a line not yet whole that can already never be part of a
    /// log: one that is no text (a NUL byte, bytes that are not UTF-8), or
    /// one too long. `checked`: how much of `partial` passed before.
    fn check_partial(&self, partial: &[u8], checked: &mut usize) -> Result<()> {
        let number = self.number + 1;
        let at_start = self.at_start;
        let line = if at_start && partial.starts_with(format::BOM) {
            &partial[format::BOM.len()..]
        } else {
            partial
        };
        // Everything before `checked` is known to be text, and ends on a
        // character's boundary; the message counts from the line's start.
        let fresh = &line[(*checked).min(line.len())..];
        if format::not_text(fresh, false).is_some()
            && let Some(message) = format::not_text(line, false)
        {
            return Err(bad(self.path, number, message));
        }
        *checked += match std::str::from_utf8(fresh) {
            Ok(_) => fresh.len(),
            Err(e) => e.valid_up_to(),
        };
        // A line whose first character cannot begin a header or an entry
        // is refused now, with the message it would get whole: the parser
        // stops there. (Only an ASCII one: other bytes may be the start of
        // a byte order mark or of a character not all read yet.)
        if let Some(&first) = line.iter().find(|&&b| !format::is_space(b))
            && first.is_ascii()
            && first != b'['
            && first != b'{'
        {
            let mut this = StreamReader::new(self.path);
            this.number = self.number;
            this.seen_content = self.seen_content;
            this.at_start = false;
            let through = &line[..=line.iter().position(|&b| b == first).unwrap_or(0)];
            this.feed(through.to_vec(), true)?;
        }
        if line.len() > format::MAX_LINE_BYTES {
            return Err(bad(self.path, number, "line longer than 4 GiB"));
        }
        Ok(())
    }

    fn finish(self) -> Stored {
        let file_last_added = self.header.last_added().max(self.previous_added);
        let mut log = self.builder.finish();
        log.continue_added_after(file_last_added);
        Stored {
            log,
            header: self.header,
            appendable: self.ends_with_break,
            file_last_added,
            sparse: false,
            header_changed: false,
        }
    }
}

/// What a sparse read looks for.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wanted {
    /// The entry with this ID, if there is one.
    Id(String),
    /// Every entry whose ID has this node, for the newest of them.
    Node(String),
}

impl Wanted {
    /// The text every line holding it holds, unless the line writes it with
    /// JSON escapes. Text that cannot be written without escapes has none:
    /// its lines hold a backslash.
    fn needle(&self) -> Option<String> {
        let (text, open, close) = match self {
            Wanted::Id(id) => (id, '"', '"'),
            Wanted::Node(node) => (node, ' ', ' '),
        };
        let needs_escape = text.chars().any(|c| c == '"' || c == '\\' || c < ' ');
        (!needs_escape).then(|| format!("{open}{text}{close}"))
    }
}

/// Lets go of the pages of a range of the bytes read (see
/// [`crate::sys::release_mapped`]), or does nothing for bytes not mapped.
pub(crate) type Release<'r> = &'r (dyn Fn(Range<usize>) + Sync);

/// How much a pass through mapped bytes reads between two releases of the
/// pages behind it.
const RELEASE_EVERY: usize = 4 << 20;

/// The lines of a big log that a plain `add` or a `get` needs, as a log:
/// the first line (the header), the last (for `lastAdded`), and every line
/// that holds the plain text of something wanted or a backslash (a line
/// may write anything with escapes). `None` when this cannot answer and
/// the whole file must be read: a line it reads is not an entry, entries
/// lack `added`, or too much of the file would be read. The pages behind
/// the search are let go of with `release` as it goes.
pub(crate) fn read_sparse(bytes: &[u8], wanted: &[Wanted], release: Release<'_>) -> Option<Stored> {
    if !bytes.ends_with(b"\n") {
        return None;
    }
    let start = format::content_start(bytes);
    let line_at = |at: usize| {
        let line_start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
        line_start.max(start)..memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i)
    };
    // Beyond this much, reading it all (on two threads) is as fast.
    let budget = bytes.len() / 8;
    // The last line that holds anything tells `lastAdded`.
    let last = bytes[start..]
        .iter()
        .rposition(|&b| b != b'\n' && !format::is_space(b))
        .map_or(start, |at| start + at);
    let mut starts: Vec<usize> = vec![start, line_at(last).start];
    let mut taken = 0;
    // Each search goes through the file once, block by block, all of them
    // in one block while it is in the cache: the file is read from memory
    // once rather than once a search. `covered[i]`: where the last line
    // search `i` took ends, to take no line twice.
    let finders: Vec<memchr::memmem::Finder<'_>> = wanted
        .iter()
        .filter_map(Wanted::needle)
        .map(|needle| memchr::memmem::Finder::new(needle.as_bytes()).into_owned())
        .collect();
    let mut covered = vec![start; finders.len() + 1];
    let mut take = |found: usize, search: usize| -> Option<()> {
        if found < covered[search] {
            return Some(());
        }
        let line = line_at(found);
        taken += line.len();
        starts.push(line.start);
        covered[search] = line.end;
        (taken <= budget).then_some(())
    };
    const BLOCK: usize = 1 << 18;
    let mut block = start;
    let mut released = 0;
    while block < bytes.len() {
        if block - released >= RELEASE_EVERY {
            release(released..block);
            released = block;
        }
        let end = (block + BLOCK).min(bytes.len());
        for (search, finder) in finders.iter().enumerate() {
            // A needle that starts in this block may end in the next.
            let reach = (end + finder.needle().len() - 1).min(bytes.len());
            for found in finder.find_iter(&bytes[block..reach]) {
                take(block + found, search)?;
            }
        }
        // Lines with escapes may hold what is wanted, written otherwise.
        if !wanted.is_empty() {
            for found in memchr::memchr_iter(b'\\', &bytes[block..end]) {
                take(block + found, finders.len())?;
            }
        }
        block = end;
    }
    starts.sort_unstable();
    starts.dedup();

    let mut header = Header::default();
    let mut builder = LogBuilder::new(0, starts.len());
    let mut newest = 0;
    for line_start in starts {
        let range = line_at(line_start);
        let text = &bytes[range.clone()];
        let first = line_start == start;
        match format::classify(text, first).ok()? {
            // The header may come after blank lines: read the whole file.
            LineKind::Blank if first => return None,
            LineKind::Blank => {}
            LineKind::Header => header = Header::parse(std::str::from_utf8(text).ok()?).ok()?,
            LineKind::Entry => {
                let text = std::str::from_utf8(text).ok()?;
                let mut written = true;
                let entry = Entry::parse(
                    SharedStr::from(text),
                    || {
                        written = false;
                        0
                    },
                    builder.symbols(),
                );
                // Numbering by position needs every line.
                let entry = entry.ok().filter(|_| written)?;
                newest = newest.max(entry.added());
                // The whole read names the lines.
                builder.push(entry).ok()?;
            }
        }
    }
    let file_last_added = header.last_added().max(newest);
    let mut log = builder.finish();
    log.continue_added_after(file_last_added);
    log.mark_saved();
    Some(Stored {
        log,
        header,
        appendable: true,
        file_last_added,
        sparse: true,
        header_changed: false,
    })
}

/// The IDs of the entries of the log `bytes` (the whole file) whose hash
/// (XXH3 of the decoded ID, as [`super::SequentialLog::id_hashes`] has
/// them) is among `hashes`, sorted: those of another log's IDs this log
/// may hold. Only each line's ID is read, by the structural split, on two
/// threads for a big file. `None` at a line not read so surely (any doubt
/// is the full read's).
pub(crate) fn ids_among(
    bytes: &[u8],
    hashes: &[u64],
    release: Release<'_>,
) -> Option<super::SharedIds> {
    if hashes.is_empty() {
        return Some(super::SharedIds::default());
    }
    let start = format::content_start(bytes);
    let middle = if bytes.len() - start >= PARALLEL_FROM_BYTES {
        let half = start + (bytes.len() - start) / 2;
        memchr::memchr(b'\n', &bytes[half..]).map_or(bytes.len(), |i| half + i + 1)
    } else {
        bytes.len()
    };
    let hashes = &HashTable::of(hashes);
    let (first, second) = std::thread::scope(|scope| {
        let second =
            scope.spawn(|| ids_among_in(bytes, middle..bytes.len(), false, hashes, release));
        let first = ids_among_in(bytes, start..middle, true, hashes, release);
        // A panic there is a bug: it goes on here, to be reported as one.
        let second = second
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (first, second)
    });
    let (mut found, mut other) = (first?, second?);
    // The bigger set grows by the smaller.
    if found.len() < other.len() {
        std::mem::swap(&mut found, &mut other);
    }
    found.extend(&other).then_some(found)
}

/// [`ids_among`] for the lines in `range`, the log's first line among them
/// if `first`.
fn ids_among_in(
    bytes: &[u8],
    range: Range<usize>,
    mut first: bool,
    hashes: &HashTable,
    release: Release<'_>,
) -> Option<super::SharedIds> {
    let mut found = super::SharedIds::default();
    let mut released = range.start;
    for line in format::lines(bytes, range) {
        if line.start - released >= RELEASE_EVERY {
            release(released..line.start);
            released = line.start;
        }
        let text = &bytes[line];
        let kind = format::classify(text, first).ok()?;
        first = false;
        if kind != LineKind::Entry {
            // A header is only ever the first line; blank lines hold nothing.
            continue;
        }
        let text = std::str::from_utf8(text).ok()?;
        let id = crate::json::split_line_fast(text.as_bytes(), |spans| {
            let mut id = None;
            for member in &spans.meta_members {
                if member.key.escaped {
                    return None;
                }
                if member.key.inner(text) == "id" {
                    id = Some(member.value.clone());
                }
            }
            id
        })
        .flatten()?;
        let id = crate::json::as_str(text, id)?;
        let hash = xxhash_rust::xxh3::xxh3_64(id.as_bytes());
        if hashes.contains(hash) && !found.insert(&id, hash) {
            return None;
        }
    }
    Some(found)
}

/// A set of 64-bit hashes, looked up with one probe or few: a sorted list
/// is searched with a cache miss a step, twenty for a million.
struct HashTable {
    /// Open addressing by the hash's low bits; `EMPTY` marks a free slot,
    /// and the hash `EMPTY` itself is `has_empty`.
    slots: Vec<u64>,
    has_empty: bool,
}

impl HashTable {
    const EMPTY: u64 = 0;

    fn of(hashes: &[u64]) -> Self {
        let capacity = (hashes.len() * 2).next_power_of_two().max(16);
        let mut table = HashTable {
            slots: vec![Self::EMPTY; capacity],
            has_empty: false,
        };
        let mask = capacity - 1;
        for &hash in hashes {
            if hash == Self::EMPTY {
                table.has_empty = true;
                continue;
            }
            let mut slot = hash as usize & mask;
            while table.slots[slot] != Self::EMPTY && table.slots[slot] != hash {
                slot = (slot + 1) & mask;
            }
            table.slots[slot] = hash;
        }
        table
    }

    fn contains(&self, hash: u64) -> bool {
        if hash == Self::EMPTY {
            return self.has_empty;
        }
        let mask = self.slots.len() - 1;
        let mut slot = hash as usize & mask;
        loop {
            match self.slots[slot] {
                Self::EMPTY => return false,
                found if found == hash => return true,
                _ => slot = (slot + 1) & mask,
            }
        }
    }
}

/// The bytes of a file someone else wrote: rules, an archive, a log to
/// check. A regular file is read whole. Anything else (a pipe, a device) is
/// read to its end but at most `limit` bytes, and stops at a NUL byte,
/// which no text holds, so that a device of zeros is refused at once.
pub fn read_untrusted(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let context = || format!("cannot read {}", path.display());
    let Interruptible(mut file) = open_stream(path).map_err(|e| Error::io(context(), e))?;
    let metadata = file.metadata().map_err(|e| Error::io(context(), e))?;
    let mut bytes = Vec::new();
    if metadata.is_file() {
        file.read_to_end(&mut bytes)
            .map_err(|e| Error::io(context(), e))?;
        return Ok(bytes);
    }
    let mut file = Interruptible(file);
    loop {
        let read = (&mut file)
            .take(1 << 16)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io(context(), e))?;
        if let Some(at) = memchr::memchr(0, &bytes[bytes.len() - read..]) {
            let at = bytes.len() - read + at;
            return Err(Error::io(
                context(),
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("a NUL byte at byte {}: this is not text", at + 1),
                ),
            ));
        }
        if bytes.len() as u64 > limit {
            return Err(Error::io(
                context(),
                io::Error::other(format!(
                    "more than {limit} bytes from {}, which is held in memory",
                    super::identity::kind_name(&metadata)
                )),
            ));
        }
        if read == 0 {
            return Ok(bytes);
        }
    }
}

/// A log file's bytes as they are, for checking it line by line, with the
/// lock it was read under.
pub struct RawLog {
    /// The file's bytes: all of a regular file's; a stream's up to the
    /// limit, or to the end of a line that can be no part of a log.
    pub bytes: RawBytes,
    /// The length of the file before an append that never finished, if the
    /// lock file proves there was one: the bytes after it are not part of
    /// the log.
    pub unfinished: Option<u64>,
    /// Reading stopped inside the last line: a pipe or a device gave a
    /// line that can never be part of a log, and nothing after it was
    /// read.
    pub stopped: bool,
    /// The lock the bytes were read under.
    pub lock: HeldLock,
}

/// A lock held until dropped: bytes mapped under it stay valid that long.
pub struct HeldLock(#[allow(dead_code)] Option<super::lock::Lock>);

/// Reads the log file `name` as bytes, under a shared lock (kept in the
/// result), for `check`. A big file is mapped if the lock is held
/// throughout. A pipe or a device is read to its end, at most `limit`
/// bytes, but no further than a line that can never be part of a log.
pub fn read_raw(name: &Path, limit: u64, hold: super::Hold) -> Result<RawLog> {
    let context = || format!("cannot read {}", name.display());
    let real = super::identity::resolve(name).map_err(|e| Error::io(context(), e))?;
    let metadata = std::fs::metadata(&real).map_err(|e| Error::io(context(), e))?;
    if !metadata.is_file() || super::identity::is_open_file(&real) {
        let input = open_stream(&real).map_err(|e| Error::io(context(), e))?;
        let (bytes, stopped) = read_raw_stream(input, name, limit)?;
        return Ok(RawLog {
            bytes: RawBytes::Heap(bytes),
            unfinished: None,
            stopped,
            lock: HeldLock(None),
        });
    }
    let lock = super::lock::Lock::acquire(&real, super::Access::Read)?;
    let mut file = open_regular(&real).map_err(|e| Error::io(context(), e))?;
    let size = file.metadata().map_err(|e| Error::io(context(), e))?.len();
    let bytes = if size >= MAP_FROM_BYTES && hold == super::Hold::Throughout {
        // A regular file, and the lock, kept with the map, keeps
        // actionlog's writers from changing it.
        let map = crate::sys::map_log(&file, true);
        RawBytes::Mapped(crate::text::MappedBytes::new(
            map.map_err(|e| Error::io(context(), e))?,
        ))
    } else {
        let mut bytes = Vec::with_capacity(size as usize);
        file.read_to_end(&mut bytes)
            .map_err(|e| Error::io(context(), e))?;
        RawBytes::Heap(bytes)
    };
    let unfinished = lock
        .as_ref()
        .and_then(|lock| lock.unfinished_append(&file))
        .filter(|&len| len < bytes.as_bytes().len() as u64);
    Ok(RawLog {
        bytes,
        unfinished,
        stopped: false,
        lock: HeldLock(lock),
    })
}

/// The bytes of a pipe or a device for `check`, and whether reading
/// stopped early: at a line not yet whole that is no text, or that begins
/// with what no header or entry begins with (`check` reports it; nothing
/// after it could be a log, and it may have no end).
pub(crate) fn read_raw_stream(
    mut input: impl Read,
    name: &Path,
    limit: u64,
) -> Result<(Vec<u8>, bool)> {
    let context = || format!("cannot read {}", name.display());
    let mut bytes = Vec::new();
    let mut line_start = 0;
    // How much of the line not yet whole is known to be text.
    let mut checked = 0;
    loop {
        let before = bytes.len();
        let read = (&mut input)
            .take(1 << 20)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io(context(), e))?;
        if bytes.len() as u64 > limit {
            return Err(Error::io(context(), too_long(limit)));
        }
        if read == 0 {
            return Ok((bytes, false));
        }
        if let Some(i) = memchr::memrchr(b'\n', &bytes[before..]) {
            line_start = before + i + 1;
            checked = line_start;
        }
        let start = if line_start == 0 {
            format::content_start(&bytes).min(bytes.len())
        } else {
            line_start
        };
        let line = &bytes[start..];
        let fresh = &bytes[checked.max(start)..];
        let not_text = format::not_text(fresh, false).is_some();
        checked = checked.max(start)
            + match std::str::from_utf8(fresh) {
                Ok(_) => fresh.len(),
                Err(e) => e.valid_up_to(),
            };
        let never_an_entry = line
            .iter()
            .find(|&&b| !format::is_space(b))
            .is_some_and(|&b| b.is_ascii() && b != b'[' && b != b'{');
        if not_text || never_an_entry {
            return Ok((bytes, true));
        }
    }
}

/// The error for a pipe or a device that gives more than `limit` bytes.
fn too_long(limit: u64) -> io::Error {
    io::Error::other(format!(
        "more than {limit} bytes; a log read from a pipe, a device or standard input is held in memory, and may be at most that long"
    ))
}

/// How much a pipe, a device or standard input may give: half of this
/// machine's memory, since all of it is held there.
pub fn default_stream_limit() -> u64 {
    crate::sys::memory_bytes().map_or(1 << 30, |bytes| bytes / 2)
}
