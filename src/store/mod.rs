//! Where a log lives: its JSON-lines file, read and saved under a lock so
//! that no process, crash, full disk or second name for the file can lose
//! an entry.
//!
//! - [`format`](mod@format): the lines of the file, and the one classifier all readers
//!   use.
//! - `read`: the full, streaming, sparse and raw reads.
//! - `index`: the compact read of a big log whose lines are only printed.
//! - `lock`: the lock file and its records (generated IDs, an append
//!   under way).
//! - [`write`]: appending, and replacing the file atomically with its
//!   owner, group and mode.
//! - `identity`: the one real file behind the name a log is given.
//!
//! A log is one regular file, whatever path names it. What may be relied
//! on, and what lies outside it, is in the README's Reliability section.

#[cfg(test)]
mod agreement;
pub mod format;
mod identity;
pub(crate) mod index;
mod lock;
mod read;
pub mod sequential;
mod shared_ids;
mod write;

use std::fs;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::log::Log;

pub use format::Header;
pub(crate) use identity::not_regular;
pub use identity::same_file;
pub use index::LineIndex;
pub(crate) use lock::lock_path;
pub use read::{HeldLock, RawLog, Wanted, default_stream_limit, parse, read_raw, read_untrusted};
pub use sequential::{
    Block, JustCheck, KeepIdHashes, OnePass, SequentialLog, UnlockedEntries, Visit, Visited,
};
pub use shared_ids::SharedIds;
pub use write::{looks_temporary, write_new};

pub use lock::APPEND_START;
use lock::Lock;

/// Where a log is read from and written to. Not `#[non_exhaustive]`: a
/// log is a file, or it is not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A log file, at this path.
    File(PathBuf),
    /// No file: the log is read from the stream given with
    /// [`OpenOptions::streams`] and saved, whole, to the other one, never
    /// locked. `name` is what messages call it. (The command line's
    /// `--log -`: standard input and output.)
    Stream {
        /// What messages call the stream.
        name: PathBuf,
    },
}

impl Location {
    /// The name used in messages.
    pub fn display_path(&self) -> PathBuf {
        match self {
            Location::File(path) | Location::Stream { name: path } => path.clone(),
        }
    }

    /// Whether this is a [`Location::Stream`].
    pub fn is_stream(&self) -> bool {
        matches!(self, Location::Stream { .. })
    }
}

/// What a [`Location::Stream`] log is read from.
#[non_exhaustive]
pub enum StreamInput {
    /// The whole text, read already (a regular file was behind the stream).
    Whole(Vec<u8>),
    /// A stream read as it comes, up to the stream limit.
    Reader(Box<dyn Read>),
}

/// What a command will do to the log, which decides the lock it takes.
/// Not `#[non_exhaustive]`: a file is read or written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Reads only: a shared lock.
    Read,
    /// May change the log: an exclusive lock.
    Write,
}

/// How long the lock is held, which decides how the file may be read.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    /// For as long as the log is in memory (one command): a big file is
    /// mapped rather than read, which is faster and takes less memory.
    Throughout,
    /// Let go between uses (an interactive session, a long-lived node):
    /// the file is read into memory, so that another program changing it
    /// meanwhile can neither kill the process nor change what it holds.
    Released,
}

/// What a long read or write is doing, for a caller that shows progress.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    /// Reading the log.
    Load,
    /// Writing the log.
    Save,
}

/// Told how far loading or saving has come, in bytes. The store knows
/// nothing of terminals; the command line draws a bar from this.
pub trait Progress {
    /// A task of this many bytes begins.
    fn begin(&mut self, _task: Task, _total_bytes: u64) {}
    /// This many bytes of it are done.
    fn advance(&mut self, _done_bytes: u64) {}
    /// The task is over.
    fn end(&mut self) {}
}

/// Progress that nobody watches.
pub(crate) struct Silent;

impl Progress for Silent {}

/// The progress of the first of two threads that each read half of the
/// bytes `range`: the first reports for both, its bytes counting for the
/// whole range, so that a bar goes to its end rather than stop halfway.
pub(crate) struct FirstOfTwo<'p> {
    inner: &'p mut dyn Progress,
    range: std::ops::Range<u64>,
    middle: u64,
}

impl<'p> FirstOfTwo<'p> {
    pub(crate) fn new(
        inner: &'p mut dyn Progress,
        range: std::ops::Range<u64>,
        middle: u64,
    ) -> Self {
        FirstOfTwo {
            inner,
            range,
            middle,
        }
    }
}

impl Progress for FirstOfTwo<'_> {
    fn advance(&mut self, done: u64) {
        let half = self.middle.saturating_sub(self.range.start).max(1);
        let whole = self.range.end - self.range.start;
        let read = done.saturating_sub(self.range.start).min(half);
        let scaled = (u128::from(read) * u128::from(whole) / u128::from(half)) as u64;
        self.inner.advance(self.range.start + scaled);
    }
}

/// A log read from its file, with what saving it needs to know.
#[derive(Debug)]
pub struct Stored {
    /// The log.
    pub log: Log,
    header: Header,
    /// Whether new entries may be appended to the file: it ends with a
    /// whole line, and it has no other name (hard link) that an append
    /// would change too.
    appendable: bool,
    /// `lastAdded` as the file says it, header or newest entry.
    file_last_added: u64,
    /// Only some lines were read (see [`LogFile::open_sparse`]), so the log
    /// can be saved by appending, or by a new header over the file's lines
    /// as they are, and in no other way.
    sparse: bool,
    /// The header changed in a log read in part (see
    /// [`LogFile::set_last_synced`]); in a whole log a change of the header
    /// marks the log changed.
    header_changed: bool,
}

impl Stored {
    /// A log and the header to write it with, as never read from a file:
    /// saving it writes it whole.
    pub(crate) fn from_parts(log: Log, header: Header) -> Self {
        Stored {
            log,
            header,
            appendable: false,
            file_last_added: 0,
            sparse: false,
            header_changed: false,
        }
    }

    /// A log with no entries and a new header.
    pub fn empty() -> Self {
        Stored {
            log: Log::new(),
            header: Header::default(),
            appendable: true,
            file_last_added: 0,
            sparse: false,
            header_changed: false,
        }
    }

    /// The whole file: header, then every entry.
    pub fn write_all(&self, out: &mut impl Write) -> io::Result<()> {
        self.write_reporting(out, &[], &mut Silent)
    }

    /// Writes the log, then `tail`: whole entry lines after its entries,
    /// which the log's `last_added` counts (see [`LogFile::save_with_lines`]).
    fn write_reporting(
        &self,
        out: &mut impl Write,
        tail: &[u8],
        progress: &mut dyn Progress,
    ) -> io::Result<()> {
        let entries = || self.log.entries(crate::log::Order::Added, None);
        let entry_bytes: u64 = entries().map(format::written_len).sum();
        progress.begin(Task::Save, entry_bytes + tail.len() as u64);
        writeln!(out, "{}", self.header.to_line(self.log.last_added()))?;
        let mut written = 0;
        let mut behind = crate::text::ReleaseBehind::default();
        for (i, entry) in entries().enumerate() {
            format::write_entry(out, entry)?;
            written += format::written_len(entry);
            if i % (1 << 16) == 0 {
                progress.advance(written);
            }
            if i % 4096 == 0 {
                behind.reached_text(entry.shared_line());
            }
        }
        drop(behind);
        out.write_all(tail)?;
        progress.advance(written + tail.len() as u64);
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
            .map_or(self.file_last_added, crate::entry::Entry::added);
        self.appendable
            && !self.log.needs_rewrite()
            && self.log.last_added() == newest.max(self.file_last_added)
    }
}

/// How a log is opened: built with [`LogFile::options`].
pub struct OpenOptions {
    access: Access,
    hold: Hold,
    stream_limit: u64,
    progress: Box<dyn Progress>,
    input: Option<StreamInput>,
    output: Option<Output>,
}

/// Where a [`Location::Stream`] log is saved, and what messages call it.
struct Output {
    to: Box<dyn Write>,
    name: String,
}

impl OpenOptions {
    /// For a [`Location::Stream`] log: where it is read from, and where a
    /// save writes it, which messages call `output_name`.
    pub fn streams(
        mut self,
        input: StreamInput,
        output: Box<dyn Write>,
        output_name: impl Into<String>,
    ) -> Self {
        self.input = Some(input);
        self.output = Some(Output {
            to: output,
            name: output_name.into(),
        });
        self
    }

    /// How long the lock is held ([`Hold::Throughout`] unless said).
    pub fn hold(mut self, hold: Hold) -> Self {
        self.hold = hold;
        self
    }

    /// The most bytes read from a pipe, a device or standard input
    /// ([`default_stream_limit`] unless said).
    pub fn stream_limit(mut self, bytes: u64) -> Self {
        self.stream_limit = bytes;
        self
    }

    /// Told how reading and later saving go.
    pub fn progress(mut self, progress: Box<dyn Progress>) -> Self {
        self.progress = progress;
        self
    }

    /// Locks and reads the log. A file that does not exist is an empty log.
    pub fn open(self, location: Location) -> Result<LogFile> {
        LogFile::open_with(location, self)
    }

    /// Locks the log and reads only the lines a plain `add` or a `get`
    /// needs from a big file: the header, the last entry (for `lastAdded`),
    /// and the lines that may hold what is `wanted`, found with a
    /// vectorised substring search instead of parsing every line. `None`
    /// where that cannot be done (a small file, a pipe, a file with
    /// another name, an unfinished append): read it all then. A log read so
    /// can only be appended to.
    pub fn open_sparse(self, location: &Location, wanted: &[Wanted]) -> Result<Option<LogFile>> {
        Ok(LogFile::open_sparse_with(location, wanted, None, self)?.map(|(file, _)| file))
    }

    /// [`Self::open_sparse`] for a merge, with the IDs of the log's
    /// entries whose hash is among `hashes` (sorted, as
    /// [`SequentialLog::id_hashes`] gives another log's): every ID of the
    /// other log that this one may hold, for the merge to skip. Reads every
    /// line for them, but keeps only those.
    pub fn open_sparse_among(
        self,
        location: &Location,
        wanted: &[Wanted],
        hashes: &[u64],
    ) -> Result<Option<(LogFile, SharedIds)>> {
        Ok(
            LogFile::open_sparse_with(location, wanted, Some(hashes), self)?
                .map(|(file, ids)| (file, ids.unwrap_or_default())),
        )
    }

    /// Reads a big log file as a [`LineIndex`] (in created order if
    /// `created`, else in added order), for a command that only prints its
    /// lines. `None`: the log is not a big regular file, or not one this
    /// read takes whole (see `index`); read it with [`Self::open`].
    pub fn open_index(self, location: &Location, created: bool) -> Result<Option<IndexedLog>> {
        LogFile::open_index_with(location, created, self)
    }

    /// Reads a big log file in one pass ([`sequential`]), giving each
    /// entry to `visit`, for a command that looks at each entry once in
    /// added order. A log this read does not take is read with
    /// [`Self::open`].
    pub fn open_sequential<V: Visit>(self, location: &Location, visit: &V) -> Result<OnePass<V>> {
        let Some(BigFile {
            given, lock, file, ..
        }) = LogFile::open_big(location, self.access)?
        else {
            return Ok(OnePass::NotBig);
        };
        let mut progress = self.progress;
        Ok(
            match sequential::read(given, file, lock, visit, progress.as_mut())? {
                Some(visited) => OnePass::Read(Box::new(visited)),
                None => OnePass::Declined,
            },
        )
    }
}

/// A big log file, locked and open (see `LogFile::open_big`).
struct BigFile {
    given: PathBuf,
    real: PathBuf,
    lock: Option<Lock>,
    file: fs::File,
}

/// A log read as a [`LineIndex`], and the lock that keeps its file as it
/// was read while the index lives.
pub struct IndexedLog {
    /// Where each entry's line is in the file, in the order asked for.
    pub index: LineIndex,
    _lock: Option<Lock>,
}

/// A log file opened for one command or one session: resolved to its real
/// file, locked, read, and saved at the end.
pub struct LogFile {
    location: Location,
    /// The real file behind the name (`None` for standard input).
    real: Option<PathBuf>,
    /// Held for as long as the file is open; dropping it unlocks.
    lock: Option<Lock>,
    pub(crate) stored: Stored,
    /// The file as it was when read or last saved (`None`: there was no
    /// file), to tell whether someone else changed it since.
    seen: Option<Fingerprint>,
    hold: Hold,
    stream_limit: u64,
    progress: Box<dyn Progress>,
    /// Read as a stream (a pipe, a device, an open file), not as a file.
    streamed: bool,
    /// Where a [`Location::Stream`] log is saved.
    output: Option<Output>,
}

/// What tells one version of a file from another without reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fingerprint {
    len: u64,
    modified: Option<std::time::SystemTime>,
    file: identity::FileId,
    /// A hash of the file's start and end: a rewrite of the same length
    /// onto a reused inode within one tick of a coarse clock still shows
    /// here.
    sample: u128,
}

impl Fingerprint {
    fn of(path: &Path) -> Option<Fingerprint> {
        use std::os::unix::fs::OpenOptionsExt;
        // Never waits on a FIFO put at the name; only a file is sampled.
        let file = fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(path)
            .ok()?;
        let metadata = file.metadata().ok()?;
        let sample = if metadata.is_file() {
            lock::sample(&file, metadata.len()).ok()?
        } else {
            0
        };
        Some(Fingerprint {
            len: metadata.len(),
            modified: metadata.modified().ok(),
            file: identity::FileId::of(&metadata),
            sample,
        })
    }
}

impl Fingerprint {
    /// What a reader holding `lock` reads of the file: all of it, or the
    /// part before an append that never finished (which the next writer
    /// takes back, leaving the file as it was read).
    fn of_read(path: &Path, lock: Option<&Lock>) -> Option<Fingerprint> {
        let mut print = Fingerprint::of(path)?;
        if let Some(lock) = lock
            && let Ok(file) = read::open_regular(path)
            && let Some(from) = lock.unfinished_append(&file)
            && from < print.len
        {
            print.len = from;
            print.sample = lock::sample(&file, from).ok()?;
        }
        Some(print)
    }

    /// The same bytes in the same file, whenever they were written.
    fn same_content(&self, other: &Fingerprint) -> bool {
        self.file == other.file && self.len == other.len && self.sample == other.sample
    }
}

impl LogFile {
    /// Options to open a log with `access`.
    pub fn options(access: Access) -> OpenOptions {
        OpenOptions {
            access,
            hold: Hold::Throughout,
            stream_limit: default_stream_limit(),
            progress: Box::new(Silent),
            input: None,
            output: None,
        }
    }

    /// Locks and reads the log for one command.
    pub fn open(location: Location, access: Access) -> Result<LogFile> {
        LogFile::options(access).open(location)
    }

    fn open_with(location: Location, options: OpenOptions) -> Result<LogFile> {
        let OpenOptions {
            access,
            hold,
            stream_limit,
            mut progress,
            input,
            output,
        } = options;
        let mut file = LogFile {
            location,
            real: None,
            lock: None,
            stored: Stored::empty(),
            seen: None,
            hold,
            stream_limit,
            progress: Box::new(Silent),
            streamed: false,
            output,
        };
        let name = file.location.display_path();
        file.stored = match &file.location {
            Location::Stream { .. } => match input {
                Some(StreamInput::Whole(bytes)) => {
                    read::parse_reporting(bytes, &name, progress.as_mut())?
                }
                Some(StreamInput::Reader(reader)) => {
                    read::read_stream(reader, &name, stream_limit)?
                }
                None => {
                    return Err(Error::io(
                        format!("cannot read {}", name.display()),
                        io::Error::other("no stream to read the log from was given"),
                    ));
                }
            },
            Location::File(given) => {
                let Some(real) = resolve_for(given, access)? else {
                    file.progress = progress;
                    return Ok(file);
                };
                // An open file's name (`/dev/stdin`, `<(…)`) is read as a
                // stream, whatever it leads to: it has no folder for a lock
                // file, and may be read only once.
                let open_file = identity::is_open_file(&real);
                let metadata = fs::symlink_metadata(&real).ok();
                match metadata {
                    Some(metadata) if !metadata.is_file() || open_file => {
                        if access == Access::Write {
                            let why = if open_file {
                                io::Error::new(
                                    io::ErrorKind::InvalidInput,
                                    "it names a file another process opened (as /dev/stdin and <(…) do), not a file of a folder",
                                )
                            } else {
                                identity::not_regular(&metadata)
                            };
                            return Err(Error::io(
                                format!("cannot change {}", given.display()),
                                why,
                            ));
                        }
                        // A pipe or a device: nothing to lock, read once.
                        file.streamed = true;
                        let input = read::open_stream(&real).map_err(|e| {
                            Error::io(format!("cannot read {}", given.display()), e)
                        })?;
                        file.real = Some(real);
                        read::read_stream(input, given, stream_limit)?
                    }
                    // Reading a log that is not there must not leave a
                    // lock file.
                    None if access == Access::Read => {
                        file.real = Some(real);
                        Stored::empty()
                    }
                    _ => {
                        file.lock = Lock::acquire(&real, access)?;
                        file.seen = Fingerprint::of_read(&real, file.lock.as_ref());
                        let stored =
                            read_locked(&real, given, file.lock.as_ref(), hold, progress.as_mut())?;
                        file.real = Some(real);
                        stored
                    }
                }
            }
        };
        file.progress = progress;
        Ok(file)
    }

    /// A big regular log file (one name, at least [`read::MAP_FROM_BYTES`],
    /// no append left unfinished), locked and open, for the reads that
    /// take only part of it or a compact view of it: `None` for any other
    /// log, which is read whole.
    fn open_big(location: &Location, access: Access) -> Result<Option<BigFile>> {
        let Location::File(given) = location else {
            return Ok(None);
        };
        let Some(real) = resolve_for(given, access)? else {
            return Ok(None);
        };
        match fs::symlink_metadata(&real) {
            Ok(metadata)
                if metadata.is_file()
                    && !identity::is_open_file(&real)
                    && metadata.len() >= read::MAP_FROM_BYTES
                    && std::os::unix::fs::MetadataExt::nlink(&metadata) == 1 => {}
            _ => return Ok(None),
        }
        let lock = Lock::acquire(&real, access)?;
        let file = read::open_regular(&real)
            .map_err(|e| Error::io(format!("cannot read {}", given.display()), e))?;
        if lock
            .as_ref()
            .and_then(|lock| lock.unfinished_append(&file))
            .is_some()
        {
            return Ok(None);
        }
        Ok(Some(BigFile {
            given: given.clone(),
            real,
            lock,
            file,
        }))
    }

    fn open_sparse_with(
        location: &Location,
        wanted: &[Wanted],
        among: Option<&[u64]>,
        options: OpenOptions,
    ) -> Result<Option<(LogFile, Option<SharedIds>)>> {
        let Some(BigFile {
            real, lock, file, ..
        }) = LogFile::open_big(location, options.access)?
        else {
            return Ok(None);
        };
        let seen = Fingerprint::of(&real);
        // A regular file, and the lock keeps actionlog's writers from
        // changing it while mapped. The map is dropped before this
        // returns: the entries read are copies.
        // A file system that cannot map leaves the file to the whole read.
        let Ok(map) = crate::sys::map_log(&file, false) else {
            return Ok(None);
        };
        let release = |range| crate::sys::release_mapped(&map, range);
        let Some(stored) = read::read_sparse(&map, wanted, &release) else {
            return Ok(None);
        };
        let ids = match among {
            Some(hashes) => match read::ids_among(&map, hashes, &release) {
                Some(ids) => Some(ids),
                None => return Ok(None),
            },
            None => None,
        };
        let file = LogFile {
            location: location.clone(),
            real: Some(real),
            lock,
            stored,
            seen,
            hold: options.hold,
            stream_limit: options.stream_limit,
            progress: Box::new(Silent),
            streamed: false,
            output: None,
        };
        Ok(Some((file, ids)))
    }

    fn open_index_with(
        location: &Location,
        created: bool,
        options: OpenOptions,
    ) -> Result<Option<IndexedLog>> {
        let Some(BigFile {
            given, lock, file, ..
        }) = LogFile::open_big(location, options.access)?
        else {
            return Ok(None);
        };
        // Mapped under the lock, which lives as long as the map: see
        // `Buffer::map`.
        let Ok(buf) = crate::text::Buffer::map(&file)
            .map_err(|e| Error::io(format!("cannot read {}", given.display()), e))?
        else {
            return Ok(None);
        };
        let mut progress = options.progress;
        let index = index::read(std::sync::Arc::new(buf), created, progress.as_mut());
        Ok(index.map(|index| IndexedLog { index, _lock: lock }))
    }

    /// An empty log that is neither read nor locked, for commands that do
    /// not look at the log.
    pub fn detached(location: Location) -> LogFile {
        LogFile {
            location,
            real: None,
            lock: None,
            stored: Stored::empty(),
            seen: None,
            hold: Hold::Released,
            stream_limit: default_stream_limit(),
            progress: Box::new(Silent),
            streamed: false,
            output: None,
        }
    }

    /// Lets other processes at the file until [`LogFile::relock`], as an
    /// interactive session does between commands. Only a log opened with
    /// [`Hold::Released`], which holds nothing of the file's, lets go: one
    /// opened for one command may be reading the file in place (mapped),
    /// so it keeps its lock, and this does nothing.
    pub fn release_lock(&mut self) {
        if self.hold != Hold::Released {
            return;
        }
        self.lock = None;
    }

    /// Takes the lock again after [`LogFile::release_lock`]. To write, the
    /// log must still be a regular file (or none yet): a session whose log
    /// another program replaced with something else can change nothing,
    /// nor hand out IDs it could not record.
    pub fn relock(&mut self, access: Access) -> Result<()> {
        let (Location::File(given), Some(real)) = (&self.location, &self.real) else {
            return Ok(());
        };
        match fs::symlink_metadata(real) {
            Ok(metadata) if metadata.is_file() => {
                self.lock = Lock::acquire(real, access)?;
                // Taking the write lock took back another process's append
                // that never finished: the file is again what was read (if
                // nothing else changed it), not a change to refuse.
                if self.lock.as_ref().is_some_and(Lock::took_back)
                    && let (Some(seen), Some(now)) = (&self.seen, Fingerprint::of(real))
                    && seen.same_content(&now)
                {
                    self.seen = Some(now);
                }
            }
            Ok(metadata) if access == Access::Write => {
                return Err(Error::io(
                    format!("cannot change {}", given.display()),
                    identity::not_regular(&metadata),
                ));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound && access == Access::Write => {
                self.lock = Lock::acquire(real, access)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Errors if the file is not as it was read or last saved: another
    /// process changed it while the lock was released.
    pub fn ensure_unchanged(&self) -> Result<()> {
        match (&self.location, &self.real) {
            (Location::File(given), Some(real)) if Fingerprint::of(real) != self.seen => {
                Err(Error::Conflict(format!(
                    "{} changed on disk since it was read",
                    given.display()
                )))
            }
            _ => Ok(()),
        }
    }

    /// Reads the file again, dropping what is in memory.
    pub fn reload(&mut self) -> Result<()> {
        if let (Location::File(given), Some(real)) = (&self.location, &self.real) {
            let seen = Fingerprint::of_read(real, self.lock.as_ref());
            self.stored = match fs::symlink_metadata(real) {
                Ok(metadata) if metadata.is_file() => read_locked(
                    real,
                    given,
                    self.lock.as_ref(),
                    self.hold,
                    self.progress.as_mut(),
                )?,
                Ok(metadata) if !self.streamed => {
                    // Another program put something else at its name: no
                    // log to read (and a FIFO there would wait forever).
                    return Err(Error::io(
                        format!("cannot read {}", given.display()),
                        io::Error::new(
                            io::ErrorKind::InvalidInput,
                            format!(
                                "it is now {}, not a regular file",
                                identity::kind_name(&metadata)
                            ),
                        ),
                    ));
                }
                Ok(_) => {
                    let input = read::open_stream(real)
                        .map_err(|e| Error::io(format!("cannot read {}", given.display()), e))?;
                    read::read_stream(input, given, self.stream_limit)?
                }
                Err(_) => Stored::empty(),
            };
            self.seen = seen;
        }
        Ok(())
    }

    /// Whether `entries` are of the file this log was read in part from,
    /// as it was then (the same file, as long).
    pub fn read_with(&self, entries: &UnlockedEntries) -> bool {
        let (file, len) = entries.checked_file();
        match (&self.seen, file.metadata()) {
            (Some(seen), Ok(metadata)) => {
                seen.file == identity::FileId::of(&metadata) && seen.len == len
            }
            _ => false,
        }
    }

    /// Reads the whole log, from the bytes the sequential read of
    /// `entries` checked (see [`LogFile::read_with`]): into a log read in
    /// part, the log a whole read would have held from the start, whatever
    /// other processes did to the file since. The file is still seen as it
    /// was then: a change by another process shows at the next save.
    pub fn read_whole_from(&mut self, entries: &UnlockedEntries) -> Result<()> {
        let Location::File(given) = &self.location else {
            return Ok(());
        };
        let (file, len) = entries.checked_file();
        let context = |e| Error::io(format!("cannot read {}", given.display()), e);
        // Read from its start through a handle of its own: the entries
        // read theirs at their places.
        let mut file = file.try_clone().map_err(context)?;
        io::Seek::seek(&mut file, io::SeekFrom::Start(0)).map_err(context)?;
        self.stored =
            read::read_regular(&mut file, given, Some(len), false, self.progress.as_mut())?;
        Ok(())
    }

    /// The log as read and changed since.
    pub fn log(&self) -> &Log {
        &self.stored.log
    }

    /// The log, to change; [`LogFile::save`] writes the changes.
    pub fn log_mut(&mut self) -> &mut Log {
        &mut self.stored.log
    }

    /// Where the log is.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// The file's header as last read or written: `lastSynced` (the log's
    /// own [`Log::last_added`] is the one to trust for `lastAdded`).
    pub fn header(&self) -> &Header {
        &self.stored.header
    }

    /// Sets the header's `lastSynced`; the next save rewrites the file (a
    /// log read in part: the new header, then the file's lines as they
    /// are).
    pub fn set_last_synced(&mut self, synced: (u64, u64)) {
        if self.stored.header.last_synced() != synced || !self.stored.header.has_last_synced() {
            self.stored.header.set_last_synced(synced);
            if self.stored.sparse {
                self.stored.header_changed = true;
            } else {
                self.stored.log.mark_unsaved();
            }
        }
    }

    /// The newest `(ms, counter)` that `node` generated with this log, as
    /// the lock file's records say.
    pub fn remembered_id(&self, node: &str) -> Option<(u64, u64)> {
        self.lock.as_ref()?.remembered_id(node)
    }

    /// Notes that `node` generated IDs up to `state`, to be written to the
    /// lock file's records with the next save, or by
    /// [`LogFile::flush_records`]. Needs the exclusive lock; does nothing
    /// without a lock file (a log on standard input).
    pub fn remember_id(&mut self, node: &str, state: (u64, u64)) {
        if let Some(lock) = &mut self.lock {
            lock.remember_id(node, state);
        }
    }

    /// Writes records noted since they were last written, durably.
    pub fn flush_records(&mut self) -> Result<()> {
        match &mut self.lock {
            Some(lock) => lock.flush(),
            None => Ok(()),
        }
    }

    /// Appends whole entry lines that `write` writes: `len` bytes in all,
    /// beginning with `start` (their first [`APPEND_START`] bytes, or
    /// all of them), the last numbered `last_added`. As [`LogFile::save`]
    /// appends new entries, under the same record, but without the entries
    /// in memory: for adding many at once (see [`crate::log::BulkAdd`]),
    /// which checked them. `Ok(false)`, with nothing written, when the file
    /// cannot be brought up to date by appending: the log in memory has
    /// changes of its own, the file does not end with a whole line or has
    /// another name, the log is standard input.
    pub fn append_lines(
        &mut self,
        len: u64,
        start: &[u8],
        last_added: u64,
        write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> Result<bool> {
        let (Location::File(given), Some(real), Some(lock)) =
            (&self.location, &self.real, self.lock.as_mut())
        else {
            return Ok(false);
        };
        if self.stored.log.is_changed()
            || !self.stored.appendable
            || has_other_names(real)
            || last_added <= self.stored.log.last_added()
        {
            return Ok(false);
        }
        lock.check_writable(given)?;
        lock.ensure_held()?;
        write::append_bytes(real, given, lock, len, start, write)?;
        self.stored.file_last_added = last_added;
        self.stored.log.continue_added_after(last_added);
        // The log in memory lacks the lines: a change after this reads
        // the file again first (see `ensure_unchanged`).
        self.seen = None;
        Ok(true)
    }

    /// Writes the changes: appends new entries when that is enough, else
    /// replaces the file atomically; and the records noted. Standard output
    /// always gets the whole log.
    pub fn save(&mut self) -> Result<()> {
        match (&self.location, &self.real) {
            (Location::Stream { name }, _) => {
                let Some(output) = self.output.as_mut() else {
                    return Err(Error::io(
                        format!("cannot write {}", name.display()),
                        io::Error::other("no stream to write the log to was given"),
                    ));
                };
                let context = || format!("cannot write the log to {}", output.name);
                let mut out = BufWriter::new(&mut output.to);
                self.stored
                    .write_all(&mut out)
                    .and_then(|()| out.flush())
                    .map_err(|e| Error::io(context(), e))?;
            }
            (Location::File(given), Some(real)) => {
                if self.stored.log.is_changed() || self.stored.header_changed {
                    let lock = lock_to_write(&mut self.lock, &mut self.stored, given, real)?;
                    if self.stored.header_changed {
                        // Only a log read in part has its header changed
                        // apart: its lines are in the file, not in memory.
                        if self.stored.log.is_changed() {
                            return Err(read_in_part(given));
                        }
                        let line = self.stored.header.to_line(self.stored.log.last_added());
                        write::replace_header(real, given, &line)?;
                        self.stored.header = Header::parse(&line).unwrap_or_default();
                        self.stored.header_changed = false;
                    } else if self.stored.can_append() {
                        write::append(real, given, &self.stored, lock)?;
                    } else if self.stored.sparse {
                        return Err(read_in_part(given));
                    } else {
                        write::replace(real, given, &self.stored, &[], self.progress.as_mut())?;
                        self.stored.header = Header::parse(
                            &self.stored.header.to_line(self.stored.log.last_added()),
                        )
                        .unwrap_or_default();
                    }
                    self.stored.file_last_added = self.stored.log.last_added();
                    self.stored.appendable = true;
                    self.seen = Fingerprint::of(real);
                }
                self.flush_records()?;
            }
            (Location::File(given), None) => {
                return Err(Error::io(
                    format!("cannot save {}", given.display()),
                    io::Error::other("the log was not opened"),
                ));
            }
        }
        self.stored.log.mark_saved();
        Ok(())
    }
}

impl LogFile {
    /// [`LogFile::save`] of the log with `lines` after its entries: whole
    /// entry lines (each with its `\n`), numbered on from the log's newest
    /// `added` up to `last_added`, made without the log in memory (as a
    /// pull makes what it stores, see [`crate::merge::MergeLines`]). They
    /// are appended when the rest of the log needs no rewrite, else
    /// written after it in the new file. The file then holds entries the
    /// log in memory lacks: the log can only be appended to after (as a
    /// log read in part), and a change under [`LogFile::ensure_unchanged`]
    /// reads it again first.
    pub fn save_with_lines(&mut self, lines: &[u8], last_added: u64) -> Result<()> {
        if lines.is_empty() {
            return self.save();
        }
        let (Location::File(given), Some(real)) = (&self.location, &self.real) else {
            return Err(Error::io(
                format!("cannot save {}", self.location.display_path().display()),
                io::Error::other("lines are only saved to a log file"),
            ));
        };
        if last_added <= self.stored.log.last_added() {
            return Err(Error::io(
                format!("cannot save {}", given.display()),
                io::Error::other("the lines are numbered before the log's newest entry"),
            ));
        }
        let lock = lock_to_write(&mut self.lock, &mut self.stored, given, real)?;
        if self.stored.header_changed {
            return Err(read_in_part(given));
        }
        if !self.stored.log.is_changed() && self.stored.appendable {
            let start = &lines[..lines.len().min(APPEND_START)];
            write::append_bytes(real, given, lock, lines.len() as u64, start, &mut |out| {
                out.write_all(lines)
            })?;
        } else if self.stored.sparse {
            return Err(read_in_part(given));
        } else {
            self.stored.log.continue_added_after(last_added);
            write::replace(real, given, &self.stored, lines, self.progress.as_mut())?;
            self.stored.header =
                Header::parse(&self.stored.header.to_line(last_added)).unwrap_or_default();
        }
        self.stored.log.continue_added_after(last_added);
        self.stored.file_last_added = last_added;
        self.stored.appendable = true;
        self.stored.sparse = true;
        self.stored.log.mark_saved();
        // The log in memory lacks the lines: a change after this reads
        // the file again first (see `ensure_unchanged`).
        self.seen = None;
        self.flush_records()
    }
}

/// The lock, held for writing the file at `real` (named `given`); an
/// error without one or when the file may not be written. A name given
/// to the file since it was read (a hard link) must not see it change:
/// it is then rewritten, not appended to.
fn lock_to_write<'l>(
    lock: &'l mut Option<Lock>,
    stored: &mut Stored,
    given: &Path,
    real: &Path,
) -> Result<&'l mut Lock> {
    let Some(lock) = lock.as_mut() else {
        return Err(Error::io(
            format!("cannot save {}", given.display()),
            io::Error::other("the log is not locked for writing"),
        ));
    };
    lock.check_writable(given)?;
    lock.ensure_held()?;
    if has_other_names(real) {
        stored.appendable = false;
    }
    Ok(lock)
}

/// The error for a rewrite of a log read in part.
fn read_in_part(given: &Path) -> Error {
    Error::io(
        format!("cannot save {}", given.display()),
        io::Error::other("only part of the log was read, so it can only be appended to"),
    )
}

/// Whether the file at `real` has a name besides this one (a hard link),
/// which an append would change too.
fn has_other_names(real: &Path) -> bool {
    fs::symlink_metadata(real).is_ok_and(|m| std::os::unix::fs::MetadataExt::nlink(&m) > 1)
}

/// The lock file of the log named `log`, beside its real file.
// For the command line, which refuses to write over a lock file.
#[doc(hidden)]
pub fn lock_file_of(log: &Path) -> io::Result<PathBuf> {
    identity::resolve(log).map(|real| lock_path(&real))
}

/// The real file behind the name `path`: symbolic links resolved.
pub fn real_path(path: &Path) -> io::Result<PathBuf> {
    identity::resolve(path)
}

/// The real file behind `given`; `None` for a log to read whose folder does
/// not exist (an empty log, as a missing file is).
fn resolve_for(given: &Path, access: Access) -> Result<Option<PathBuf>> {
    match identity::resolve(given) {
        Ok(real) => Ok(Some(real)),
        Err(e) if e.kind() == io::ErrorKind::NotFound && access == Access::Read => Ok(None),
        Err(e) => Err(Error::io(format!("cannot open {}", given.display()), e)),
    }
}

/// Reads the regular log file at `real` under `lock`, up to where an
/// unfinished append begins. Mapped only if the lock is held throughout.
fn read_locked(
    real: &Path,
    name: &Path,
    lock: Option<&Lock>,
    hold: Hold,
    progress: &mut dyn Progress,
) -> Result<Stored> {
    let mut file = match read::open_regular(real) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Stored::empty()),
        Err(e) => return Err(Error::io(format!("cannot read {}", name.display()), e)),
    };
    let links = file
        .metadata()
        .map(|m| std::os::unix::fs::MetadataExt::nlink(&m))
        .unwrap_or(1);
    let limit = lock.and_then(|lock| lock.unfinished_append(&file));
    let mut stored =
        read::read_regular(&mut file, name, limit, hold == Hold::Throughout, progress)?;
    // A file with another name is never changed in place: a rewrite gives
    // this name a file of its own and leaves the other as it was.
    stored.appendable &= links <= 1;
    Ok(stored)
}
