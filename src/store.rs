//! The JSON-lines file a log lives in: reading it, saving it atomically or by
//! appending, and the lock that serialises processes changing it.
//!
//! Format: an optional first line holding a JSON object with the log's own
//! state (`lastAdded`, `lastSynced`), then one `[action, meta]` line per
//! entry in added order. Blank lines are skipped; a UTF-8 byte order mark at
//! the start is skipped; a `\r` before a line break is whitespace.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::entry::Entry;
use crate::error::{Error, Result};
use crate::log::{BuildError, Log, LogBuilder};
use crate::meta::MetaText;
use crate::text::{Buffer, NotUtf8, RawBytes, SharedStr, Symbols};

/// Where a log is read from and written to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    File(PathBuf),
    /// Read from standard input, written to standard output.
    Stdio,
}

impl Location {
    /// `-` means standard input and output.
    pub fn from_arg(arg: &Path) -> Self {
        if arg.as_os_str() == "-" {
            Location::Stdio
        } else {
            Location::File(arg.to_owned())
        }
    }

    /// The name used in messages.
    pub fn display_path(&self) -> PathBuf {
        match self {
            Location::File(path) => path.clone(),
            Location::Stdio => PathBuf::from("<stdin>"),
        }
    }
}

/// What a command will do to the log, which decides the lock it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

/// What a long read or write is doing, for a caller that shows progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    Load,
    Save,
}

/// Told how far loading or saving has come, in bytes. The store knows
/// nothing of terminals; the command line draws a bar from this.
pub trait Progress {
    fn begin(&mut self, _task: Task, _total_bytes: u64) {}
    fn advance(&mut self, _done_bytes: u64) {}
    fn end(&mut self) {}
}

/// Progress that nobody watches.
pub struct Silent;

impl Progress for Silent {}

/// How many lines between two progress reports.
const REPORT_EVERY: usize = 1 << 16;

/// The first line of a log file: the log's own state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    meta: MetaText,
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

    pub fn set_last_synced(&mut self, (sent, received): (u64, u64)) {
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

    pub(crate) fn parse(text: &str) -> std::result::Result<Header, String> {
        let meta = MetaText::parse(text)?;
        if let Some(raw) = meta.get("lastAdded") {
            raw.parse::<u64>()
                .map_err(|_| format!("header \"lastAdded\" must be a whole number, not {raw}"))?;
        }
        Ok(Header { meta })
    }

    fn to_line(&self, last_added: u64) -> String {
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

/// A log read from its file, with what saving it needs to know.
#[derive(Debug)]
pub struct Stored {
    pub log: Log,
    header: Header,
    /// The file's length when read, and whether it ended with a line break:
    /// appending is safe only onto a whole last line.
    appendable: bool,
    /// `lastAdded` as the file says it, header or newest entry.
    file_last_added: u64,
    /// Only some lines were read (see [`LogFile::open_sparse`]), so the log
    /// can be saved by appending and in no other way.
    sparse: bool,
}

/// Reads a log from the bytes of a file. `path` names the file in errors.
pub fn parse(bytes: Vec<u8>, path: &Path) -> Result<Stored> {
    let buf = Buffer::from_bytes(bytes).map_err(|e| not_utf8(path, e))?;
    parse_buffer(Arc::new(buf), path, &mut Silent)
}

fn not_utf8(path: &Path, at: NotUtf8) -> Error {
    Error::BadLog {
        path: path.to_owned(),
        line: at.line,
        message: "invalid UTF-8".into(),
    }
}

/// Whether `text` is written the same by every JSON encoder: ASCII letters,
/// digits and punctuation that none escapes (some escape `/`, `<`, `>`, `&`
/// or `'`, all escape `"` and `\`).
pub fn is_plain(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b" :-_.~@+=!*$,;%#|".contains(&b))
}

/// The lines of `bytes` that [`LogFile::open_sparse`] reads, as a log.
fn read_sparse(bytes: &[u8], needles: &[String]) -> Result<Option<Stored>> {
    if !bytes.ends_with(b"\n") {
        return Ok(None);
    }
    let line_at = |at: usize| {
        let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
        start..end
    };
    let mut starts: Vec<usize> = Vec::new();
    for needle in needles {
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        let mut at = 0;
        while let Some(found) = finder.find(&bytes[at..]) {
            let line = line_at(at + found);
            starts.push(line.start);
            at = line.end;
        }
    }
    // The header, and the last line, for lastAdded.
    starts.push(0);
    starts.push(line_at(bytes.len() - 1).start);
    starts.sort_unstable();
    starts.dedup();

    let mut header = Header::default();
    let mut builder = LogBuilder::new(0, starts.len());
    let mut lines = Vec::new();
    for start in starts {
        let range = line_at(start);
        let Ok(text) = std::str::from_utf8(&bytes[range.clone()]) else {
            return Ok(None);
        };
        if text.trim().is_empty() {
            if range.start == 0 {
                // The header may come after blank lines: read the whole file.
                return Ok(None);
            }
            continue;
        }
        if range.start == 0 && text.trim_start().starts_with('{') {
            match Header::parse(text) {
                Ok(parsed) => header = parsed,
                Err(_) => return Ok(None),
            }
            continue;
        }
        lines.push(text);
    }
    let mut newest = 0;
    for text in lines {
        let mut written = true;
        let entry = Entry::parse(
            SharedStr::from(text),
            || {
                written = false;
                0
            },
            builder.symbols(),
        );
        let entry = match entry {
            Ok(entry) if written => entry,
            // Numbering by position needs every line: read the whole file.
            _ => return Ok(None),
        };
        newest = newest.max(entry.added());
        if builder.push(entry).is_err() {
            // The whole read names the lines.
            return Ok(None);
        }
    }
    let file_last_added = header.last_added().max(newest);
    let mut log = builder.finish();
    log.continue_added_after(file_last_added);
    log.mark_saved();
    Ok(Some(Stored {
        log,
        header,
        appendable: true,
        file_last_added,
        sparse: true,
    }))
}

/// Files at least this big are mapped into memory instead of read.
const MAP_FROM_BYTES: u64 = 1 << 20;

/// Reads the log file at `path`; `None` if there is none. `lock`: the lock
/// held, which may say that only a first part of the file is the log (an
/// append that never finished, which a reader leaves to the next writer to
/// take back).
fn read_file(
    path: &Path,
    lock: Option<&File>,
    progress: &mut dyn Progress,
) -> Result<Option<Stored>> {
    let context = || format!("cannot read {}", path.display());
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(context(), e)),
    };
    let size = file.metadata().map_err(|e| Error::io(context(), e))?.len();
    let limit = lock.and_then(pending_append).filter(|&len| len < size);
    let buf = if let Some(len) = limit {
        let mut bytes = Vec::with_capacity(len as usize);
        file.take(len)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io(context(), e))?;
        Buffer::from_bytes(bytes)
    } else if size >= MAP_FROM_BYTES {
        Buffer::map(&file).map_err(|e| Error::io(context(), e))?
    } else {
        let mut bytes = Vec::with_capacity(size as usize);
        file.read_to_end(&mut bytes)
            .map_err(|e| Error::io(context(), e))?;
        Buffer::from_bytes(bytes)
    };
    let buf = buf.map_err(|e| not_utf8(path, e))?;
    parse_buffer(Arc::new(buf), path, progress).map(Some)
}

/// Files bigger than this are parsed by two threads, one half each.
const PARALLEL_FROM_BYTES: usize = 4 << 20;

fn parse_buffer(buf: Arc<Buffer>, path: &Path, progress: &mut dyn Progress) -> Result<Stored> {
    progress.begin(Task::Load, buf.len() as u64);
    let bad = |line: usize, message: String| Error::BadLog {
        path: path.to_owned(),
        line,
        message,
    };
    let appendable = buf.is_empty() || buf.ends_with('\n');
    let bytes = buf.as_bytes();
    let mut start = if buf.starts_with('\u{feff}') { 3 } else { 0 };

    // The header is the first line that holds anything, if it is an object.
    let mut header = Header::default();
    let mut first_number = 1;
    while start < bytes.len() {
        let end = line_end(bytes, start);
        let line = &buf[start..end];
        if line.trim().is_empty() {
            start = end + 1;
            first_number += 1;
            continue;
        }
        if line.trim_start().starts_with('{') {
            header =
                Header::parse(line).map_err(|m| bad(first_number, format!("log header: {m}")))?;
            start = end + 1;
            first_number += 1;
        }
        break;
    }
    let start = start.min(bytes.len());

    // Split the rest in two at a line break; each half gets its own thread
    // and its own slots, one a line.
    let middle = if bytes.len() - start >= PARALLEL_FROM_BYTES {
        let half = start + (bytes.len() - start) / 2;
        memchr::memchr(b'\n', &bytes[half..]).map_or(bytes.len(), |i| half + i + 1)
    } else {
        bytes.len()
    };
    let lines_in = |range: std::ops::Range<usize>| {
        let count = memchr::memchr_iter(b'\n', &bytes[range.clone()]).count();
        count + usize::from(!range.is_empty() && bytes[range.end - 1] != b'\n')
    };
    let first_lines = lines_in(start..middle);
    let mut slots: Vec<Option<Entry>> = Vec::new();
    slots.resize_with(first_lines + lines_in(middle..bytes.len()), || None);
    let (first_slots, second_slots) = slots.split_at_mut(first_lines);
    let mut symbols = Symbols::default();
    let (first, second) = std::thread::scope(|scope| {
        let buf = &buf;
        let worker = (middle < bytes.len()).then(|| {
            scope.spawn(move || {
                let mut symbols = Symbols::default();
                let number = first_number + first_lines;
                parse_lines(
                    path,
                    buf,
                    middle..bytes.len(),
                    number,
                    second_slots,
                    &mut symbols,
                    &mut Silent,
                )
                .map(|()| symbols)
            })
        });
        let first = parse_lines(
            path,
            buf,
            start..middle,
            first_number,
            first_slots,
            &mut symbols,
            progress,
        );
        let second = worker.map(|w| {
            w.join()
                .unwrap_or_else(|_| Err(bad(0, "a parser thread failed".into())))
        });
        (first, second)
    });
    first?;
    if let Some(second) = second {
        let map = symbols.merge(&second?);
        for entry in slots[first_lines..].iter_mut().flatten() {
            entry.remap_symbols(&map);
        }
    }

    // Entries without `added` are numbered by position.
    let mut previous_added = 0;
    for entry in slots.iter_mut().flatten() {
        entry.set_added_by_position(previous_added + 1);
        previous_added = entry.added();
    }
    let file_last_added = header.last_added().max(previous_added);
    let log = LogBuilder::from_slots(slots, symbols, header.last_added()).map_err(
        |(slot, e)| match e {
            BuildError::DuplicateId { first, .. } => bad(
                first_number + slot,
                format!("{e} (first on line {})", first_number + first),
            ),
            BuildError::AddedNotIncreasing { .. } => bad(first_number + slot, e.to_string()),
        },
    )?;
    progress.end();
    Ok(Stored {
        log,
        header,
        appendable,
        file_last_added,
        sparse: false,
    })
}

/// Where the line that starts at `start` ends (its `\n`, or the end).
fn line_end(bytes: &[u8], start: usize) -> usize {
    memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i)
}

/// Parses the lines in `range` into `slots`, one a line; `number` is the
/// line number of the first. Entries without `added` get 0 for now.
fn parse_lines(
    path: &Path,
    buf: &Arc<Buffer>,
    range: std::ops::Range<usize>,
    number: usize,
    slots: &mut [Option<Entry>],
    symbols: &mut Symbols,
    progress: &mut dyn Progress,
) -> Result<()> {
    let bytes = buf.as_bytes();
    let mut line_start = range.start;
    for (index, slot) in slots.iter_mut().enumerate() {
        let number = number + index;
        if index % REPORT_EVERY == 0 {
            progress.advance(line_start as u64);
        }
        let end = line_end(&bytes[..range.end], line_start);
        let line = line_start..end;
        line_start = end + 1;
        let bad = |message: String| Error::BadLog {
            path: path.to_owned(),
            line: number,
            message,
        };
        if line.len() > u32::MAX as usize {
            return Err(bad("line longer than 4 GiB".into()));
        }
        match bytes[line.clone()].iter().find(|b| !b" \t\r".contains(b)) {
            None => {}
            Some(b'{') => {
                return Err(bad(
                    "a header object is only allowed on the first line".into()
                ));
            }
            Some(_) => {
                let entry =
                    Entry::parse(SharedStr::slice_of(buf, line), || 0, symbols).map_err(bad)?;
                *slot = Some(entry);
            }
        }
    }
    Ok(())
}

impl Stored {
    /// A log and the header to write it with, as never read from a file:
    /// saving it writes it whole.
    pub fn from_parts(log: Log, header: Header) -> Self {
        Stored {
            log,
            header,
            appendable: false,
            file_last_added: 0,
            sparse: false,
        }
    }

    pub fn empty() -> Self {
        Stored {
            log: Log::new(),
            header: Header::default(),
            appendable: true,
            file_last_added: 0,
            sparse: false,
        }
    }

    /// The whole file: header, then every entry.
    pub fn write_all(&self, out: &mut impl Write) -> io::Result<()> {
        self.write_reporting(out, &mut Silent)
    }

    fn write_reporting(&self, out: &mut impl Write, progress: &mut dyn Progress) -> io::Result<()> {
        let entries = || self.log.entries(crate::log::Order::Added, None);
        progress.begin(Task::Save, entries().map(|e| e.line_len() as u64 + 1).sum());
        writeln!(out, "{}", self.header.to_line(self.log.last_added()))?;
        let mut written = 0;
        for (i, entry) in entries().enumerate() {
            write_entry(out, entry)?;
            written += entry.line_len() as u64 + 1;
            if i % REPORT_EVERY == 0 {
                progress.advance(written);
            }
        }
        progress.end();
        Ok(())
    }

    /// Whether the file can be brought up to date by appending the new
    /// entries: nothing saved changed, and the file will still tell the
    /// right `lastAdded`.
    fn can_append(&self) -> bool {
        let newest = self
            .log
            .unsaved_entries()
            .last()
            .map_or(self.file_last_added, Entry::added);
        self.appendable
            && !self.log.needs_rewrite()
            && self.log.last_added() == newest.max(self.file_last_added)
    }
}

fn write_entry(out: &mut impl Write, entry: &Entry) -> io::Result<()> {
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

/// A log file opened for one command: locked, read, and saved at the end.
pub struct LogFile {
    location: Location,
    /// Held for as long as the file is open; dropping it unlocks.
    lock: Option<File>,
    pub stored: Stored,
    /// The file as it was when read or last saved (`None`: there was no
    /// file), to tell whether someone else changed it since.
    seen: Option<Fingerprint>,
    progress: Box<dyn Progress>,
}

/// What tells one version of a file from another without reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fingerprint {
    len: u64,
    modified: Option<std::time::SystemTime>,
    inode: u64,
}

impl Fingerprint {
    fn of(path: &Path) -> Option<Fingerprint> {
        let metadata = fs::metadata(path).ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&metadata);
        #[cfg(not(unix))]
        let inode = 0;
        Some(Fingerprint {
            len: metadata.len(),
            modified: metadata.modified().ok(),
            inode,
        })
    }
}

impl LogFile {
    /// Locks and reads the log. A file that does not exist is an empty log.
    pub fn open(location: Location, access: Access) -> Result<LogFile> {
        LogFile::open_reporting(location, access, Box::new(Silent))
    }

    /// [`LogFile::open`], telling `progress` how reading and later saving go.
    pub fn open_reporting(
        location: Location,
        access: Access,
        mut progress: Box<dyn Progress>,
    ) -> Result<LogFile> {
        match &location {
            Location::Stdio => {
                let mut bytes = Vec::new();
                io::stdin()
                    .lock()
                    .read_to_end(&mut bytes)
                    .map_err(|e| Error::io("cannot read the log from standard input", e))?;
                let buf =
                    Buffer::from_bytes(bytes).map_err(|e| not_utf8(&location.display_path(), e))?;
                let stored =
                    parse_buffer(Arc::new(buf), &location.display_path(), progress.as_mut())?;
                Ok(LogFile {
                    location,
                    lock: None,
                    stored,
                    seen: None,
                    progress,
                })
            }
            Location::File(path) => {
                // Reading a log that is not there must not leave a lock file.
                let lock = if access == Access::Read && !path.exists() {
                    None
                } else {
                    lock(path, access)?
                };
                let seen = Fingerprint::of(path);
                let stored = read_file(path, lock.as_ref(), progress.as_mut())?
                    .unwrap_or_else(Stored::empty);
                Ok(LogFile {
                    location,
                    lock,
                    stored,
                    seen,
                    progress,
                })
            }
        }
    }

    /// Locks the log and reads only the lines a plain `add` or a `get` needs
    /// from a big file: the header, the last entry (for `lastAdded`), and
    /// the lines that contain one of `needles`, found with a vectorised
    /// substring search instead of parsing every line. The caller picks
    /// needles that every line it cares about contains, written the one way
    /// any JSON encoder writes them (plain ASCII; see [`is_plain`]).
    ///
    /// Gives `None` where reading the whole file is needed or cheap anyway:
    /// no file, a small one, no line break at the end, or lines read this
    /// way that lack `added`. The other lines are not checked.
    pub fn open_sparse(
        location: &Location,
        access: Access,
        needles: &[String],
    ) -> Result<Option<LogFile>> {
        let Location::File(path) = location else {
            return Ok(None);
        };
        match fs::metadata(path) {
            Ok(metadata) if metadata.len() >= MAP_FROM_BYTES => {}
            _ => return Ok(None),
        }
        let lock = lock(path, access)?;
        if lock.as_ref().and_then(pending_append).is_some() {
            return Ok(None);
        }
        let seen = Fingerprint::of(path);
        let context = || format!("cannot read {}", path.display());
        let file = File::open(path).map_err(|e| Error::io(context(), e))?;
        // SAFETY: as in `Buffer::map`; the lock keeps writers out.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(|e| Error::io(context(), e))?;
        let Some(stored) = read_sparse(&map, needles)? else {
            return Ok(None);
        };
        Ok(Some(LogFile {
            location: location.clone(),
            lock,
            stored,
            seen,
            progress: Box::new(Silent),
        }))
    }

    /// An empty log that is neither read nor locked, for commands that do
    /// not look at the log.
    pub fn detached(location: Location) -> LogFile {
        LogFile {
            location,
            lock: None,
            stored: Stored::empty(),
            seen: None,
            progress: Box::new(Silent),
        }
    }

    /// Lets other processes at the file until [`LogFile::relock`], as an
    /// interactive session does between commands.
    pub fn release_lock(&mut self) {
        self.lock = None;
    }

    /// Takes the lock again after [`LogFile::release_lock`].
    pub fn relock(&mut self, access: Access) -> Result<()> {
        if let Location::File(path) = &self.location {
            self.lock = lock(path, access)?;
        }
        Ok(())
    }

    /// Errors if the file is not as it was read or last saved: another
    /// process changed it while the lock was released.
    pub fn ensure_unchanged(&self) -> Result<()> {
        match &self.location {
            Location::File(path) if Fingerprint::of(path) != self.seen => Err(Error::Conflict(
                format!("{} changed on disk since it was read", path.display()),
            )),
            _ => Ok(()),
        }
    }

    /// Reads the file again, dropping what is in memory.
    pub fn reload(&mut self) -> Result<()> {
        if let Location::File(path) = &self.location {
            self.seen = Fingerprint::of(path);
            self.stored = read_file(path, self.lock.as_ref(), self.progress.as_mut())?
                .unwrap_or_else(Stored::empty);
        }
        Ok(())
    }

    pub fn log(&self) -> &Log {
        &self.stored.log
    }

    pub fn log_mut(&mut self) -> &mut Log {
        &mut self.stored.log
    }

    pub fn location(&self) -> &Location {
        &self.location
    }

    pub fn header(&self) -> &Header {
        &self.stored.header
    }

    /// Sets the header's `lastSynced`; the next save rewrites the file.
    pub fn set_last_synced(&mut self, synced: (u64, u64)) {
        if self.stored.header.last_synced() != synced
            || !self.stored.header.meta.contains("lastSynced")
        {
            self.stored.header.set_last_synced(synced);
            self.stored.log.mark_unsaved();
        }
    }

    /// The newest `(ms, counter)` that `node` generated with this log, as
    /// the lock file remembers. Content that cannot be read is ignored.
    pub fn remembered_id(&self, node: &str) -> Option<(u64, u64)> {
        let raw = read_lock_object(self.lock.as_ref()?)
            .ok()?
            .get(node)?
            .to_owned();
        let value = crate::json::as_string(&raw, 0..raw.len())?;
        let (ms, counter) = value.split_once(' ')?;
        Some((ms.parse().ok()?, counter.parse().ok()?))
    }

    /// Takes note in the lock file that `node` generated IDs up to
    /// `(ms, counter)`. Needs the exclusive lock; does nothing without a
    /// lock file (a log on standard input).
    pub fn remember_id(&mut self, node: &str, (ms, counter): (u64, u64)) -> Result<()> {
        let Some(file) = self.lock.as_ref() else {
            return Ok(());
        };
        let path = self.location.display_path();
        let mut ids = read_lock_object(file).map_err(|e| lock_error(&path, e))?;
        ids.set_string(node, &format!("{ms} {counter}"));
        write_lock_object(file, &ids).map_err(|e| lock_error(&path, e))
    }

    /// Writes the changes: appends new entries when that is enough, else
    /// replaces the file atomically. Standard output always gets the whole
    /// log.
    pub fn save(&mut self) -> Result<()> {
        match &self.location {
            Location::Stdio => {
                let stdout = io::stdout();
                let mut out = BufWriter::new(stdout.lock());
                self.stored
                    .write_all(&mut out)
                    .and_then(|()| out.flush())
                    .map_err(|e| Error::io("cannot write the log to standard output", e))?;
            }
            Location::File(path) => {
                if !self.stored.log.is_changed() {
                    return Ok(());
                }
                if self.stored.can_append() {
                    append(path, &self.stored, self.lock.as_ref())?;
                } else if self.stored.sparse {
                    return Err(Error::io(
                        format!("cannot save {}", path.display()),
                        io::Error::other(
                            "only part of the log was read, so it can only be appended to",
                        ),
                    ));
                } else {
                    replace(path, &self.stored, self.progress.as_mut())?;
                    self.stored.header =
                        Header::parse(&self.stored.header.to_line(self.stored.log.last_added()))
                            .unwrap_or_default();
                }
                self.stored.file_last_added = self.stored.log.last_added();
                self.stored.appendable = true;
                self.seen = Fingerprint::of(path);
            }
        }
        self.stored.log.mark_saved();
        Ok(())
    }
}

/// The bytes of a log file as they are, under a shared lock, for checking
/// it line by line; and the length of the file before an append that never
/// finished, if the lock file says there was one (the bytes after it are
/// not part of the log).
pub fn read_raw(path: &Path) -> Result<(RawBytes, Option<u64>)> {
    let context = || format!("cannot read {}", path.display());
    // A missing log is an error here, and must not leave a lock file.
    fs::metadata(path).map_err(|e| Error::io(context(), e))?;
    let lock = lock(path, Access::Read)?;
    let mut file = File::open(path).map_err(|e| Error::io(context(), e))?;
    let size = file.metadata().map_err(|e| Error::io(context(), e))?.len();
    let bytes = if size >= MAP_FROM_BYTES {
        // SAFETY: as in `Buffer::map`; the shared lock keeps writers out.
        let map = unsafe { memmap2::MmapOptions::new().populate().map(&file) };
        RawBytes::Mapped(map.map_err(|e| Error::io(context(), e))?)
    } else {
        let mut bytes = Vec::with_capacity(size as usize);
        file.read_to_end(&mut bytes)
            .map_err(|e| Error::io(context(), e))?;
        RawBytes::Heap(bytes)
    };
    let unfinished = lock
        .as_ref()
        .and_then(pending_append)
        .filter(|&len| len < bytes.as_bytes().len() as u64);
    Ok((bytes, unfinished))
}

/// Writes `stored` whole to a new file at `path`, atomically (a temporary
/// file renamed into place), never over an existing file.
pub fn write_new(path: &Path, stored: &Stored) -> Result<()> {
    write_whole(path, stored, &mut Silent, false)
}

/// The lock file beside a log: `NAME.lock`. It is never removed, since
/// removing a lock file while another process waits on it breaks the lock.
///
/// It also remembers the newest ID each node generated for this log, as a
/// JSON object `{"<node ID>": "<ms> <counter>"}`: an action without reasons
/// is reported but never stored, and its ID must not come again from the
/// next process. The log itself stays the authority; this only adds to it.
pub fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(".lock");
    path.with_file_name(name)
}

fn lock(path: &Path, access: Access) -> Result<Option<File>> {
    let lock_path = lock_path(path);
    let opened = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path);
    let file = match (opened, access) {
        (Ok(file), _) => file,
        // A reader that cannot create the lock file (a read-only folder)
        // reads without it: nobody can be writing there either.
        (Err(_), Access::Read) => return Ok(None),
        (Err(e), Access::Write) => {
            return Err(Error::io(
                format!("cannot create the lock file {}", lock_path.display()),
                e,
            ));
        }
    };
    let locked = match access {
        Access::Read => file.lock_shared(),
        Access::Write => file.lock(),
    };
    locked.map_err(|e| Error::io(format!("cannot lock {}", lock_path.display()), e))?;
    if access == Access::Write {
        recover(path, &file)?;
    }
    Ok(Some(file))
}

/// Appends the new entries. The lock file first takes note of the length
/// the file had (flushed to disk), so that an append cut short by a crash
/// or a full disk is taken back, here or by the next process to lock the
/// log (see [`recover`]): the file is always the old or the new log.
fn append(path: &Path, stored: &Stored, lock: Option<&File>) -> Result<()> {
    let context = || format!("cannot append to {}", path.display());
    let file = OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .map_err(|e| Error::io(context(), e))?;
    let old_len = file.metadata().map_err(|e| Error::io(context(), e))?.len();
    if let Some(lock) = lock {
        set_pending_append(lock, Some(old_len)).map_err(|e| lock_error(path, e))?;
    }
    let mut out = BufWriter::new(&file);
    let written = stored
        .log
        .unsaved_entries()
        .try_for_each(|entry| write_entry(&mut out, entry))
        .and_then(|()| out.flush())
        .and_then(|()| {
            drop(out);
            file.sync_data()
        });
    if let Err(e) = written {
        // Take the part written back; if even that fails, the next process
        // to lock the log does it.
        if file
            .set_len(old_len)
            .and_then(|()| file.sync_data())
            .is_ok()
            && let Some(lock) = lock
        {
            let _ = set_pending_append(lock, None);
        }
        return Err(Error::io(context(), e));
    }
    if let Some(lock) = lock {
        set_pending_append(lock, None).map_err(|e| lock_error(path, e))?;
    }
    Ok(())
}

fn lock_error(path: &Path, e: io::Error) -> Error {
    Error::io(format!("cannot write {}", lock_path(path).display()), e)
}

/// The key of the lock file's object that holds the length of a log file
/// being appended to. Node IDs have no spaces, so it is no node's.
const PENDING_APPEND: &str = "pending append";

fn read_lock_object(mut lock: &File) -> io::Result<MetaText> {
    let mut text = String::new();
    lock.seek(SeekFrom::Start(0))?;
    lock.read_to_string(&mut text)?;
    Ok(MetaText::parse(&text).unwrap_or_default())
}

fn write_lock_object(mut lock: &File, object: &MetaText) -> io::Result<()> {
    let text = object.to_json();
    lock.set_len(0)?;
    lock.seek(SeekFrom::Start(0))?;
    lock.write_all(text.as_bytes())
}

/// Notes in the lock file, flushed to disk, that the log file is being
/// appended to from `len` bytes (`None`: it no longer is).
fn set_pending_append(lock: &File, len: Option<u64>) -> io::Result<()> {
    let mut object = read_lock_object(lock)?;
    match len {
        Some(len) => object.set_raw(PENDING_APPEND, len.to_string()),
        None if object.contains(PENDING_APPEND) => object.remove(PENDING_APPEND),
        None => return Ok(()),
    }
    write_lock_object(lock, &object)?;
    lock.sync_data()
}

/// The length a log file had before an append that never finished (its
/// process was killed, or the machine stopped), if the lock file says so.
fn pending_append(lock: &File) -> Option<u64> {
    read_lock_object(lock)
        .ok()?
        .get(PENDING_APPEND)?
        .parse()
        .ok()
}

/// With the exclusive lock: takes back an append that never finished, and
/// removes temporary files that a save cut short left beside the log.
fn recover(path: &Path, lock: &File) -> Result<()> {
    if let Some(len) = pending_append(lock) {
        let context = || {
            format!(
                "cannot take back an unfinished append to {}",
                path.display()
            )
        };
        match OpenOptions::new().write(true).open(path) {
            Ok(file) => {
                if file.metadata().map_err(|e| Error::io(context(), e))?.len() > len {
                    file.set_len(len)
                        .and_then(|()| file.sync_data())
                        .map_err(|e| Error::io(context(), e))?;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(context(), e)),
        }
        set_pending_append(lock, None).map_err(|e| lock_error(path, e))?;
    }
    remove_stale_temporaries(path);
    Ok(())
}

/// Removes `.NAME.XXXXXX.tmp` files beside the log at `path`: the
/// temporary files of saves that never finished. Only a process holding
/// the exclusive lock makes them, so with that lock held, any there is
/// stale. A file that cannot be removed is left; it is never read.
fn remove_stale_temporaries(path: &Path) {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let dir = folder_of(path);
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let prefix = format!(".{name}.");
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let is_temporary = file_name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".tmp"))
            .is_some_and(|random| {
                random.len() == TEMP_RANDOM_CHARS
                    && random.bytes().all(|b| b.is_ascii_alphanumeric())
            });
        if is_temporary {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The folder a file is in (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// How many random characters name a temporary file.
const TEMP_RANDOM_CHARS: usize = 6;

/// Writes the whole log to a temporary file beside `path`, flushes it to
/// disk and renames it over `path`, so the file is always either the old or
/// the new log.
fn replace(path: &Path, stored: &Stored, progress: &mut dyn Progress) -> Result<()> {
    write_whole(path, stored, progress, true)
}

/// [`replace`], or with `overwrite` false a new file that must not exist.
fn write_whole(
    path: &Path,
    stored: &Stored,
    progress: &mut dyn Progress,
    overwrite: bool,
) -> Result<()> {
    let context = || format!("cannot write {}", path.display());
    let dir = folder_of(path);
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .rand_bytes(TEMP_RANDOM_CHARS)
        .tempfile_in(dir)
        .map_err(|e| Error::io(context(), e))?;
    if let Ok(metadata) = fs::metadata(path) {
        // Keep the old file's permissions rather than the temporary file's 0600.
        let _ = fs::set_permissions(temp.path(), metadata.permissions());
    }
    // Written through the plain file: the temporary file's own writer adds
    // its random name to every error.
    let mut out = BufWriter::new(temp.as_file());
    stored
        .write_reporting(&mut out, progress)
        .and_then(|()| out.flush())
        .map_err(|e| Error::io(context(), e))?;
    drop(out);
    temp.as_file()
        .sync_all()
        .map_err(|e| Error::io(context(), e))?;
    if overwrite {
        temp.persist(path)
    } else {
        temp.persist_noclobber(path)
    }
    .map_err(|e| Error::io(context(), e.error))?;
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}
