//! The lock file beside a log, `NAME.lock`, and the records it keeps.
//!
//! Every process that reads a log holds a shared lock on this file, and
//! every process that changes the log an exclusive one, from reading the
//! log to saving it. The lock file is found beside the log's real file
//! (see [`super::identity`]), so every name of a log takes the one lock. It
//! is never replaced or truncated away while in use: a process that locked
//! it keeps excluding every other, whichever version of actionlog it runs.
//!
//! The file also keeps records for the log: the newest ID each node
//! generated with it (an action without reasons is reported but never
//! stored, and its ID must never come again), and, while an append is under
//! way, what the log was before it and how the append begins, so that an
//! append cut short by a crash or a full disk is taken back by the next
//! process. Records are a journal of checksummed entries written in place:
//! a new entry never overwrites the newest whole one, so a crash or a full
//! disk leaves the old records or the new, and the newest whole entry is
//! the one read. The journal is compacted to its start when it grows.
//!
//! Nothing in the file is trusted. Anything that does not read back as a
//! whole entry of this format, with the right checksum and written for this
//! very lock file (its device and inode), is ignored and replaced at the
//! next write. An append record is obeyed only when it proves that it
//! belongs to this very log file (see [`AppendRecord::unfinished`]); any
//! other is dropped, never obeyed and never fatal. A symbolic link at the
//! lock file's name is never followed, and anything there that is not a
//! regular file is refused.

use std::collections::BTreeMap;
use std::fs::{self, File, Metadata, OpenOptions};
use std::io;
use std::os::unix::fs::{FileExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use xxhash_rust::xxh3::{Xxh3, xxh3_128};

use super::Access;
use super::identity::{self, FileId};
use super::write::take_owner_and_mode;
use crate::error::{Error, Result};
use crate::id::check_node_id;

/// The lock file of the log whose real path is `log`: `NAME.lock` beside
/// it (for a name too long to take `.lock`, its start and a hash of it).
pub(crate) fn lock_path(log: &Path) -> PathBuf {
    let name = log.file_name().unwrap_or_default();
    let mut name = identity::fitting(name, identity::room_beside(".lock".len()));
    name.push(".lock");
    log.with_file_name(name)
}

/// A lock held on a log, and the records read from the lock file when it
/// was taken. Dropping it unlocks.
#[derive(Debug)]
pub(crate) struct Lock {
    file: File,
    path: PathBuf,
    access: Access,
    /// The records as they are to be: as read, with what was noted since.
    records: Records,
    journal: Journal,
    /// Records changed in memory and not yet written.
    dirty: bool,
    /// Taking the lock cut back an append that never finished.
    took_back: bool,
}

impl Lock {
    /// Locks the log whose real path is `log`: shared to read it, exclusive
    /// to change it. `None`: a reader without a lock file, which reads
    /// without one (a read-only folder, a lock file it may not open, or a
    /// log it may not write, whose lock file it must not make: the log's
    /// writers could not write their records into a file of its own). A
    /// writer also takes back what a save cut short left behind.
    pub(crate) fn acquire(log: &Path, access: Access) -> Result<Option<Lock>> {
        if access == Access::Write && is_lock_name(log) {
            // Its own lock file would be named as a lock file, and another
            // log's lock file may be this very file.
            return Err(Error::io(
                format!("cannot change {}", log.display()),
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "its file name ends in .lock, as lock files' names do; a log must be named otherwise",
                ),
            ));
        }
        if access == Access::Write && super::write::looks_temporary(log) {
            // Another log's writer would clear it away.
            return Err(Error::io(
                format!("cannot change {}", log.display()),
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "its file name is one actionlog gives its temporary files, which a save may clear away",
                ),
            ));
        }
        let path = lock_path(log);
        let error = |e| Error::io(format!("cannot use the lock file {}", path.display()), e);
        let log_metadata = fs::symlink_metadata(log).ok().filter(Metadata::is_file);
        if access == Access::Write && log_metadata.is_some() {
            // One who may not write the log makes no lock file for it
            // either: the log's owner could not use one of its making.
            writable(log).map_err(|e| Error::io(format!("cannot change {}", log.display()), e))?;
        }
        let may_create = access == Access::Write || log_metadata.is_some() && may_write(log);
        let file = loop {
            let file = match open(&path, log_metadata.as_ref(), access, may_create) {
                Ok(Some(file)) => file,
                Ok(None) => return Ok(None),
                Err(e) if access == Access::Read && is_not_allowed(&e) => return Ok(None),
                Err(e) => return Err(error(e)),
            };
            let locked = match access {
                Access::Read => file.lock_shared(),
                Access::Write => file.lock(),
            };
            locked.map_err(|e| Error::io(format!("cannot lock {}", path.display()), e))?;
            // Another program may have removed or replaced the file while
            // this one waited: then lock the one at the name now.
            if still_at(&file, &path) {
                break file;
            }
        };
        if let Some(log) = &log_metadata {
            align_with_log(&file, log);
        }
        let journal = Journal::read(&file);
        let mut lock = Lock {
            records: journal.records.clone(),
            journal,
            file,
            path,
            access,
            dirty: false,
            took_back: false,
        };
        if access == Access::Write {
            lock.recover(log)?;
        }
        Ok(Some(lock))
    }

    /// Errors unless the lock file's name still leads to the file locked:
    /// another program removed or replaced it meanwhile, and a process
    /// starting now would not wait for this one. Checked before a save.
    pub(crate) fn ensure_held(&self) -> Result<()> {
        if still_at(&self.file, &self.path) {
            Ok(())
        } else {
            Err(Error::io(
                format!("cannot save under the lock {}", self.path.display()),
                io::Error::other(
                    "the lock file was removed or replaced by another program while this command ran",
                ),
            ))
        }
    }

    /// Whether taking this lock cut back an append that never finished.
    pub(crate) fn took_back(&self) -> bool {
        self.took_back
    }

    /// Where the log open as `file` really ends, if an append to it never
    /// finished: the bytes after that are no part of the log, and the next
    /// writer takes them back.
    pub(crate) fn unfinished_append(&self, file: &File) -> Option<u64> {
        self.records
            .append
            .as_ref()?
            .unfinished(file)
            .ok()
            .flatten()
    }

    /// The newest `(ms, counter)` that `node` generated with this log, as
    /// the records say.
    pub(crate) fn remembered_id(&self, node: &str) -> Option<(u64, u64)> {
        self.records.ids.get(node).copied()
    }

    /// Notes that `node` generated IDs up to `state`; written with the next
    /// write of the records ([`Lock::flush`], or an append).
    pub(crate) fn remember_id(&mut self, node: &str, state: (u64, u64)) {
        // A record only ever grows: another process may have noted more
        // meanwhile.
        let known = self.records.ids.get(node).copied();
        if known.is_none_or(|known| known < state) {
            self.records.ids.insert(node.to_owned(), state);
            self.dirty = true;
        }
    }

    /// Writes records changed since they were last written.
    pub(crate) fn flush(&mut self) -> Result<()> {
        if self.dirty {
            self.write_records()?;
        }
        Ok(())
    }

    /// Records, durably, that an append is about to begin.
    pub(crate) fn begin_append(&mut self, record: AppendRecord) -> Result<()> {
        self.check_writable(&self.path)?;
        self.records.append = Some(record);
        self.write_records()
    }

    /// Records, durably, that the append finished (or was taken back).
    pub(crate) fn end_append(&mut self) -> Result<()> {
        self.records.append = None;
        self.write_records()
    }

    /// An error unless this is the exclusive lock, which every write of
    /// the log (`target`) or its records needs.
    pub(crate) fn check_writable(&self, target: &Path) -> Result<()> {
        if self.access == Access::Write {
            return Ok(());
        }
        Err(Error::io(
            format!("cannot write {}", target.display()),
            io::Error::other("the log is not locked for writing"),
        ))
    }

    fn write_records(&mut self) -> Result<()> {
        self.check_writable(&self.path)?;
        self.ensure_held()?;
        let written = self.file.metadata().and_then(|metadata| {
            self.journal
                .write(&self.file, &self.records, FileId::of(&metadata))
        });
        written.map_err(|e| Error::io(format!("cannot write {}", self.path.display()), e))?;
        self.dirty = false;
        Ok(())
    }

    /// With the exclusive lock: takes back an append that never finished,
    /// and removes temporary files that rewrites cut short left beside the
    /// log.
    fn recover(&mut self, log: &Path) -> Result<()> {
        if let Some(record) = &self.records.append {
            let context = || format!("cannot take back an unfinished append to {}", log.display());
            let regular = fs::symlink_metadata(log).is_ok_and(|m| m.is_file());
            if regular {
                let file = OpenOptions::new()
                    .read(true)
                    .write(true)
                    .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
                    .open(log)
                    .map_err(|e| Error::io(context(), e))?;
                if let Some(len) = record
                    .unfinished(&file)
                    .map_err(|e| Error::io(context(), e))?
                {
                    file.set_len(len)
                        .and_then(|()| file.sync_data())
                        .map_err(|e| Error::io(context(), e))?;
                    self.took_back = true;
                }
            }
            // Taken back, or not this file's: either way the record is done.
            self.end_append()?;
        }
        super::write::remove_stale_temporaries(log);
        Ok(())
    }
}

/// Opens the lock file at `path` (to write too, for `access` `Write`),
/// making it if there is none and `may_create`; `None` if there is none
/// and it may not. A new lock file gets the log's group and its read and
/// write bits, so everyone who may write the log may lock it.
fn open(
    path: &Path,
    log: Option<&Metadata>,
    access: Access,
    may_create: bool,
) -> io::Result<Option<File>> {
    // O_NOFOLLOW: a symbolic link planted at the name is never followed.
    // O_NONBLOCK: a FIFO planted there cannot hang the open.
    let flags = libc::O_NOFOLLOW | libc::O_NONBLOCK;
    loop {
        if may_create {
            let created = OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .custom_flags(flags)
                .mode(0o666)
                .open(path);
            match created {
                Ok(file) => {
                    if let Some(log) = log {
                        take_owner_and_mode(&file, log, lock_mode(log));
                    }
                    return Ok(Some(file));
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(e),
            }
        }
        let opened = OpenOptions::new()
            .read(true)
            .write(access == Access::Write)
            .custom_flags(flags)
            .open(path);
        match opened {
            Ok(file) => {
                let metadata = file.metadata()?;
                if !metadata.is_file() {
                    return Err(identity::not_regular(&metadata));
                }
                if metadata.nlink() > 1 {
                    // Another name for it may be a log, which records
                    // written here would overwrite.
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidInput,
                        "it has other names (hard links), one of which may be a log; actionlog uses a lock file with one name only",
                    ));
                }
                return Ok(Some(file));
            }
            // Removed in between: make it again.
            Err(e) if e.kind() == io::ErrorKind::NotFound && may_create => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "it is a symbolic link, which actionlog never follows for a lock file",
                ));
            }
            Err(e) if e.raw_os_error() == Some(libc::EISDIR) => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "it is a folder, not a regular file",
                ));
            }
            Err(e) => return Err(e),
        }
    }
}

/// Whether a file name ends in `.lock`: the name of a lock file.
pub(crate) fn is_lock_name(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    path.file_name()
        .is_some_and(|name| name.as_bytes().ends_with(b".lock"))
}

/// The mode of the lock file of a log with metadata `log`: the log's read
/// and write bits, and the owner's always.
fn lock_mode(log: &Metadata) -> u32 {
    (log.mode() & 0o666) | 0o600
}

/// Gives a lock file this process owns (or any, as root) the log's group
/// and bits, as a new one gets: a lock file an older version made with
/// other bits then lets the log's group in again.
fn align_with_log(file: &File, log: &Metadata) {
    let Ok(metadata) = file.metadata() else {
        return;
    };
    let euid = crate::sys::effective_user_id();
    let wanted = lock_mode(log);
    let differs = metadata.mode() & 0o777 != wanted || metadata.gid() != log.gid();
    if differs && (euid == 0 || euid == metadata.uid()) {
        take_owner_and_mode(file, log, wanted);
    }
}

/// Whether this process may write the file at `path`.
fn may_write(path: &Path) -> bool {
    writable(path).is_ok()
}

use crate::sys::writable;

/// Errors that leave a reader to read without the lock (a folder where no
/// file can be made, such as one in /proc, gives ENOENT).
fn is_not_allowed(error: &io::Error) -> bool {
    matches!(
        error.raw_os_error(),
        Some(libc::EACCES | libc::EPERM | libc::EROFS | libc::ENOENT)
    )
}

/// Whether `path` still leads to `file`.
fn still_at(file: &File, path: &Path) -> bool {
    match (file.metadata(), fs::symlink_metadata(path)) {
        (Ok(held), Ok(named)) => FileId::of(&held) == FileId::of(&named),
        _ => false,
    }
}

/// The most a lock file may hold; a bigger file is not ours, and records
/// that would make it bigger are refused rather than written.
const MAX_LOCK_FILE_BYTES: u64 = 64 << 20;

/// Past this length, the journal's next entry goes to its start.
const COMPACT_FROM_BYTES: u64 = 64 << 10;

/// What starts each entry of the journal's.
const MAGIC: &str = "actionlog-records";

/// The records in a lock file: the newest whole entry of its journal, and
/// where that stands.
///
/// Whatever the file holds that is not the journal's (an older version's
/// records, garbage, a file of someone else's that happens to have the
/// name) is kept as it is, before the journal: nothing is written over it,
/// and it is never fatal; only a file that holds a log is not written into.
#[derive(Debug, Default)]
struct Journal {
    records: Records,
    seq: u64,
    /// Where the newest whole entry stands: `start..end`.
    at: Option<(u64, u64)>,
    /// Where the journal begins: after what the file held that is not its
    /// own, else 0.
    base: u64,
    /// What comes before the journal ends without a line break, which the
    /// first entry must then begin with.
    needs_break: bool,
    /// What comes before the journal is a log, which entries after it
    /// would break.
    before_is_log: bool,
}

impl Journal {
    /// The newest whole entry in `file` written for this very file. Only
    /// the last [`MAX_LOCK_FILE_BYTES`] are read: the journal is never
    /// longer, and comes last.
    fn read(file: &File) -> Journal {
        let mut journal = Journal::default();
        let Ok(metadata) = file.metadata() else {
            return journal;
        };
        let len = metadata.len();
        let window = len.saturating_sub(MAX_LOCK_FILE_BYTES);
        let mut bytes = vec![0; (len - window) as usize];
        if file.read_exact_at(&mut bytes, window).is_err() {
            return journal;
        }
        let lock_file = FileId::of(&metadata);
        // Lines start after a line break; the window may start mid-line.
        let mut pos = if window == 0 {
            0
        } else {
            memchr::memchr(b'\n', &bytes).map_or(bytes.len(), |i| i + 1)
        };
        let mut first_entry = None;
        while pos < bytes.len() {
            let line_end = memchr::memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |i| pos + i);
            if first_entry.is_none() && bytes[pos..].starts_with(MAGIC.as_bytes()) {
                first_entry = Some(pos);
            }
            match Journal::entry(&bytes, pos, line_end, lock_file) {
                Some((seq, records, end)) => {
                    if seq >= journal.seq {
                        journal.records = records;
                        journal.seq = seq;
                        journal.at = Some((window + pos as u64, window + end as u64));
                    }
                    pos = end;
                }
                None => pos = line_end + 1,
            }
        }
        journal.base = first_entry.map_or(len, |at| window + at as u64);
        journal.needs_break = first_entry.is_none() && len > 0 && !bytes.ends_with(b"\n");
        if journal.base > 0 && window == 0 {
            let before = &bytes[..journal.base as usize];
            let legacy = legacy_ids(before);
            journal.before_is_log = legacy.is_none() && is_log(before);
            // An older version's records of IDs: a floor for this one's.
            for (node, state) in legacy.unwrap_or_default() {
                let known = journal.records.ids.entry(node).or_insert(state);
                *known = (*known).max(state);
            }
        }
        journal
    }

    /// The entry whose header line is `bytes[start..line_end]`, if it is a
    /// whole one for `lock_file`: its number, its records, where it ends.
    fn entry(
        bytes: &[u8],
        start: usize,
        line_end: usize,
        lock_file: FileId,
    ) -> Option<(u64, Records, usize)> {
        let header = std::str::from_utf8(&bytes[start..line_end]).ok()?;
        let mut words = header.strip_prefix(MAGIC)?.strip_prefix(' ')?.split(' ');
        let seq: u64 = words.next()?.parse().ok()?;
        let len: usize = words.next()?.parse().ok()?;
        let sum = words.next()?;
        if words.next().is_some() {
            return None;
        }
        let body_start = line_end + 1;
        let body_end = body_start.checked_add(len)?;
        if bytes.get(body_end) != Some(&b'\n') {
            return None;
        }
        let body = &bytes[body_start..body_end];
        if sum != format!("{:032x}", entry_sum(seq, body)) {
            return None;
        }
        let records = Records::decode(body, lock_file)?;
        Some((seq, records, body_end + 1))
    }

    /// Writes `records` as a new entry, flushed: after the newest whole
    /// entry, or at the journal's start once it is long and the entry fits
    /// before the newest one, never over it; then cuts off what follows.
    fn write(&mut self, file: &File, records: &Records, lock_file: FileId) -> io::Result<()> {
        if self.before_is_log {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "it holds a log, which records written after it would break; move it away",
            ));
        }
        // 2^64 writes: only a file made to look so gets here.
        let seq = self.seq.checked_add(1).ok_or_else(|| {
            io::Error::other("its records have used every sequence number; move it away")
        })?;
        let body = records.encode(lock_file);
        let entry = format!(
            "{MAGIC} {seq} {} {:032x}\n{body}\n",
            body.len(),
            entry_sum(seq, body.as_bytes())
        );
        let len = entry.len() as u64;
        let too_big = || {
            io::Error::other(format!(
                "the records would take more than {} MiB (too many or too long node IDs)",
                MAX_LOCK_FILE_BYTES >> 21
            ))
        };
        // A new entry never goes over the newest whole one, so two must fit.
        if len > MAX_LOCK_FILE_BYTES / 2 {
            return Err(too_big());
        }
        if self.needs_break {
            // The journal begins on a line of its own.
            file.write_all_at(b"\n", self.base)?;
            self.base += 1;
            self.needs_break = false;
        }
        let base = self.base;
        let at = match self.at {
            None => base,
            Some((start, end)) if end + len > base + COMPACT_FROM_BYTES && len <= start - base => {
                base
            }
            Some((_, end)) => end,
        };
        if at + len - base > MAX_LOCK_FILE_BYTES {
            // Written, it would not be read back: refuse it now.
            return Err(too_big());
        }
        file.write_all_at(entry.as_bytes(), at)?;
        file.sync_data()?;
        if file.metadata()?.len() > at + len {
            file.set_len(at + len)?;
            file.sync_data()?;
        }
        self.seq = seq;
        self.at = Some((at, at + len));
        self.records = records.clone();
        Ok(())
    }
}

/// The checksum of a journal entry: of its number and its body, so that a
/// damaged number cannot pass for a newer entry.
fn entry_sum(seq: u64, body: &[u8]) -> u128 {
    let mut hasher = Xxh3::new();
    hasher.update(&seq.to_le_bytes());
    hasher.update(body);
    hasher.digest128()
}

/// Whether `bytes` begin as a log does, read as every reader reads one: the
/// first line that holds anything is an entry, or a header (its keys a
/// log's own, or an entry after it).
fn is_log(bytes: &[u8]) -> bool {
    use super::format::{self, LineKind};
    let start = format::content_start(bytes);
    let mut lines = format::lines(bytes, start..bytes.len())
        .map(|range| &bytes[range])
        .filter(|line| !format::is_blank(line));
    let is_entry = |line: &[u8]| {
        std::str::from_utf8(line).is_ok_and(|text| {
            format::classify(line, false) == Ok(LineKind::Entry)
                && crate::entry::Entry::parse(
                    crate::text::SharedStr::from(text),
                    || 1,
                    &mut crate::text::Symbols::default(),
                )
                .is_ok()
        })
    };
    let Some(first) = lines.next() else {
        return false;
    };
    match format::classify(first, true) {
        Ok(LineKind::Entry) => is_entry(first),
        Ok(LineKind::Header) => {
            let header = std::str::from_utf8(first)
                .ok()
                .and_then(|text| super::format::Header::parse(text).ok());
            header.is_some_and(|header| {
                ["actionlog", "lastAdded", "lastSynced"]
                    .iter()
                    .any(|key| header.meta.contains(key))
            }) || lines.next().is_some_and(is_entry)
        }
        _ => false,
    }
}

/// The IDs an older version of actionlog recorded, if `bytes` are its lock
/// file: a JSON object of `"<node>": "<ms> <counter>"`, and a `"pending
/// append"` length (which proves nothing, and is not obeyed). IDs past
/// what an ID may hold are left out.
fn legacy_ids(bytes: &[u8]) -> Option<Vec<(String, (u64, u64))>> {
    let Ok(serde_json::Value::Object(members)) = serde_json::from_slice(bytes) else {
        return None;
    };
    let mut ids = Vec::new();
    for (key, value) in &members {
        if key == "pending append" && value.is_u64() {
            continue;
        }
        let (ms, counter) = value.as_str()?.split_once(' ')?;
        let digits = |text: &str| !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
        if !digits(ms) || !digits(counter) {
            return None;
        }
        let number = |text: &str| crate::id::canonical_number(text.as_bytes());
        if let (Ok(()), Some(ms), Some(counter)) = (
            check_node_id(key).map_err(|_| ()),
            number(ms),
            number(counter),
        ) {
            ids.push((key.clone(), (ms, counter)));
        }
    }
    Some(ids)
}

/// What a lock file records for its log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Records {
    /// The newest `(ms, counter)` each node generated with the log.
    ids: BTreeMap<String, (u64, u64)>,
    /// An append under way.
    append: Option<AppendRecord>,
}

impl Records {
    /// The records as one line of JSON, naming the lock file they belong
    /// to.
    fn encode(&self, lock_file: FileId) -> String {
        let mut body = format!(
            "{{\"lockFile\":\"{}:{}\",\"ids\":{{",
            lock_file.dev, lock_file.ino
        );
        for (i, (node, (ms, counter))) in self.ids.iter().enumerate() {
            if i > 0 {
                body.push(',');
            }
            body.push_str(&crate::json::quote(node));
            body.push_str(&format!(":\"{ms} {counter}\""));
        }
        body.push('}');
        if let Some(append) = &self.append {
            body.push_str(&format!(
                ",\"append\":{{\"file\":\"{}:{}\",\"from\":{},\"to\":{},\"before\":\"{:032x}\",\"head\":\"{}\",\"start\":\"{:032x}\"}}",
                append.file.dev,
                append.file.ino,
                append.from,
                append.to,
                append.before,
                hex(&append.head),
                append.start
            ));
        }
        body.push('}');
        body
    }

    /// Records from an entry's body; `None` unless they are sound. An
    /// append record counts only in `lock_file`, the one it was written for.
    fn decode(body: &[u8], lock_file: FileId) -> Option<Records> {
        let value: serde_json::Value = serde_json::from_slice(body).ok()?;
        // Records of IDs only raise the floor of IDs to come, which can
        // never cost an entry: kept from a copied or moved lock file too.
        // An append record must be this very lock file's.
        let own = file_id(value.get("lockFile")?)? == lock_file;
        let mut records = Records::default();
        for (node, state) in value.get("ids")?.as_object()? {
            let (ms, counter) = state.as_str()?.split_once(' ')?;
            let number = |text: &str| crate::id::canonical_number(text.as_bytes());
            check_node_id(node).ok()?;
            records
                .ids
                .insert(node.clone(), (number(ms)?, number(counter)?));
        }
        if let Some(append) = value.get("append").filter(|_| own) {
            let hash = |key: &str| u128::from_str_radix(append.get(key)?.as_str()?, 16).ok();
            let record = AppendRecord {
                file: file_id(append.get("file")?)?,
                from: append.get("from")?.as_u64()?,
                to: append.get("to")?.as_u64()?,
                before: hash("before")?,
                head: unhex(append.get("head")?.as_str()?)?,
                start: hash("start")?,
            };
            if record.from > record.to || record.head.len() as u64 > record.to - record.from {
                return None;
            }
            records.append = Some(record);
        }
        Some(records)
    }
}

fn file_id(value: &serde_json::Value) -> Option<FileId> {
    let (dev, ino) = value.as_str()?.split_once(':')?;
    Some(FileId {
        dev: dev.parse().ok()?,
        ino: ino.parse().ok()?,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// An append under way: which file, the length it had before and would
/// have after, a proof of what it held before, and how the append begins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AppendRecord {
    file: FileId,
    from: u64,
    to: u64,
    /// A hash of the bytes before the append (see [`sample`]).
    before: u128,
    /// The append's first [`APPEND_HEAD`] bytes, as they are.
    head: Vec<u8>,
    /// A hash of its first [`APPEND_START`] bytes.
    start: u128,
}

/// How much of the start and of the end of the log before an append its
/// proof covers.
const PROOF_HEAD: u64 = 4 << 10;
const PROOF_TAIL: u64 = 64 << 10;
/// How much of an append its record keeps as it is.
const APPEND_HEAD: usize = 512;
/// How much of an append's start its record keeps a hash of.
// For the command line's bulk add, which hands `append_lines` its start.
#[doc(hidden)]
pub const APPEND_START: usize = 64 << 10;

impl AppendRecord {
    /// The record for appending `len` bytes, which begin with `start`
    /// (their first [`APPEND_START`] bytes, or all of them), to `log`, open,
    /// `from` bytes long.
    pub(crate) fn new(log: &File, from: u64, start: &[u8], len: u64) -> io::Result<AppendRecord> {
        let start = &start[..start.len().min(APPEND_START)];
        Ok(AppendRecord {
            file: FileId::of(&log.metadata()?),
            from,
            to: from
                .checked_add(len)
                .ok_or_else(|| io::Error::other("an append longer than a file can be"))?,
            before: sample(log, from)?,
            head: start[..start.len().min(APPEND_HEAD)].to_vec(),
            start: xxh3_128(start),
        })
    }

    /// The length to cut the log open as `log` back to, if this record
    /// proves that what lies past it is this very append, unfinished: the
    /// same file (device and inode); longer than before the append but no
    /// longer than the append would have made it; the same bytes before it
    /// (a hash of the first 4 KiB and the last 64 KiB, which hold the newest
    /// entries, each with its own ID and `added`); and after it, the bytes
    /// the append began with (its first entry, with an ID of its own). A
    /// log restored from a backup, rewritten, cut and appended to by
    /// another program, or given another log's lock file fails the proof,
    /// and is left alone.
    pub(crate) fn unfinished(&self, log: &File) -> io::Result<Option<u64>> {
        let metadata = log.metadata()?;
        let len = metadata.len();
        if !metadata.is_file()
            || FileId::of(&metadata) != self.file
            || len <= self.from
            || len > self.to
        {
            return Ok(None);
        }
        let present = len - self.from;
        let shown = (present as usize).min(self.head.len());
        let mut head = vec![0; shown];
        log.read_exact_at(&mut head, self.from)?;
        if head != self.head[..shown] {
            return Ok(None);
        }
        let start_len = (self.to - self.from).min(APPEND_START as u64);
        if present >= start_len {
            let mut start = vec![0; start_len as usize];
            log.read_exact_at(&mut start, self.from)?;
            if xxh3_128(&start) != self.start {
                return Ok(None);
            }
        }
        Ok((sample(log, self.from)? == self.before).then_some(self.from))
    }
}

/// A hash of the first `len` bytes of `log`: their length, the first
/// [`PROOF_HEAD`] of them and the last [`PROOF_TAIL`]. It tells one content
/// of a file from another without reading it all.
pub(crate) fn sample(log: &File, len: u64) -> io::Result<u128> {
    let read = |start: u64, count: u64| -> io::Result<Vec<u8>> {
        let mut bytes = vec![0; count as usize];
        log.read_exact_at(&mut bytes, start)?;
        Ok(bytes)
    };
    let mut hasher = Xxh3::new();
    hasher.update(b"actionlog append proof 1\0");
    hasher.update(&len.to_le_bytes());
    hasher.update(&read(0, len.min(PROOF_HEAD))?);
    let tail = len.min(PROOF_TAIL);
    hasher.update(&read(len - tail, tail)?);
    Ok(hasher.digest128())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records() -> Records {
        let mut records = Records::default();
        records.ids.insert("10:abc".into(), (1564508146000, 3));
        records.append = Some(AppendRecord {
            file: FileId { dev: 2049, ino: 77 },
            from: 10,
            to: 20,
            before: 0xfeed,
            head: b"[{\"type\"".to_vec(),
            start: 0xbeef,
        });
        records
    }

    #[test]
    fn the_newest_whole_entry_is_read_and_anything_else_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.lock");
        // An older version's lock file: its IDs are read, its append
        // record is not.
        fs::write(&path, "{\"pending append\":0,\"n\":\"5 1\"}").unwrap();
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path)
            .unwrap();
        let mut journal = Journal::read(&file);
        assert_eq!(journal.records.ids.get("n"), Some(&(5, 1)));
        assert_eq!(journal.records.append, None);
        let id = FileId::of(&file.metadata().unwrap());
        let mut wanted = records();
        // Read with every journal entry, as a floor.
        wanted.ids.insert("n".into(), (5, 1));
        journal.write(&file, &wanted, id).unwrap();
        assert_eq!(Journal::read(&file).records, wanted);
        // Many more: the journal stays short, and the newest is read.
        for i in 0..2000 {
            wanted.ids.insert(format!("n{}", i % 50), (i, 0));
            journal.write(&file, &wanted, id).unwrap();
        }
        assert!(fs::metadata(&path).unwrap().len() < 2 * COMPACT_FROM_BYTES);
        assert_eq!(Journal::read(&file).records, wanted);
        // A torn entry after it: the one before stands.
        let whole = fs::read(&path).unwrap();
        let mut torn = whole.clone();
        torn.extend_from_slice(b"actionlog-records 99999 40 00\n{\"lockFile\"");
        fs::write(&path, &torn).unwrap();
        assert_eq!(Journal::read(&file).records, wanted);
        // One byte changed: not whole.
        let changed = String::from_utf8(whole)
            .unwrap()
            .replace("\"n7\"", "\"n8\"");
        fs::write(&path, changed).unwrap();
        assert_ne!(Journal::read(&file).records, wanted);
    }

    #[test]
    fn what_is_not_the_journals_is_kept_before_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("flake.lock");
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&path)
            .unwrap();
        let id = FileId::of(&file.metadata().unwrap());
        for foreign in [
            "{\n  \"nodes\": {}, \"version\": 7\n}\n",
            "no line break at the end",
            "{\"pending append\":0,\"n\":\"5 1\"}",
        ] {
            fs::write(&path, foreign).unwrap();
            let mut journal = Journal::read(&file);
            let mut wanted = records();
            wanted.ids.extend(journal.records.ids.clone());
            journal.write(&file, &wanted, id).unwrap();
            for i in 0..2000 {
                wanted.ids.insert(format!("n{}", i % 50), (i, 0));
                journal.write(&file, &wanted, id).unwrap();
            }
            assert_eq!(Journal::read(&file).records, wanted);
            let text = fs::read_to_string(&path).unwrap();
            assert!(text.starts_with(foreign), "{foreign:?}");
            assert!(text.len() < foreign.len() + 2 * COMPACT_FROM_BYTES as usize);
        }
        // A log there is not written into.
        let log = "[{\"type\":\"a\"},{\"id\":\"1 n 0\",\"reasons\":[\"r\"]}]\n";
        fs::write(&path, log).unwrap();
        let mut journal = Journal::read(&file);
        assert!(journal.write(&file, &records(), id).is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), log);
        // An entry cut short by a crash is the journal's own.
        fs::write(&path, "actionlog-records 1 99 0123\n{\"lockFi").unwrap();
        let mut journal = Journal::read(&file);
        journal.write(&file, &records(), id).unwrap();
        assert_eq!(Journal::read(&file).records, records());
        assert!(fs::read_to_string(&path).unwrap().starts_with(MAGIC));
    }

    #[test]
    fn a_damaged_number_is_no_newer_entry_and_the_numbers_end_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.lock");
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&path)
            .unwrap();
        let id = FileId::of(&file.metadata().unwrap());
        let mut journal = Journal::read(&file);
        journal.write(&file, &Records::default(), id).unwrap();
        journal.write(&file, &records(), id).unwrap();
        // The first entry's number made larger: its checksum no longer holds.
        let text = fs::read_to_string(&path)
            .unwrap()
            .replacen("records 1 ", "records 9 ", 1);
        fs::write(&path, text).unwrap();
        assert_eq!(Journal::read(&file).records, records());
        let mut journal = Journal::read(&file);
        journal.seq = u64::MAX;
        assert!(journal.write(&file, &Records::default(), id).is_err());
        assert_eq!(Journal::read(&file).records, records());
    }

    #[test]
    fn an_older_versions_ids_are_a_floor() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.lock");
        fs::write(&path, r#"{"test":"1000 7","pending append":12}"#).unwrap();
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path)
            .unwrap();
        let journal = Journal::read(&file);
        assert_eq!(journal.records.ids.get("test"), Some(&(1000, 7)));
        assert_eq!(journal.records.append, None);
    }

    #[test]
    fn records_too_big_to_be_read_back_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(dir.path().join("x.lock"))
            .unwrap();
        let id = FileId::of(&file.metadata().unwrap());
        let mut records = Records::default();
        let long = "n".repeat(1000);
        for i in 0..(MAX_LOCK_FILE_BYTES / 1000) {
            records.ids.insert(format!("{long}{i}"), (i, 0));
        }
        let mut journal = Journal::default();
        assert!(journal.write(&file, &records, id).is_err());
        assert_eq!(file.metadata().unwrap().len(), 0);
    }

    #[test]
    fn no_record_is_written_under_a_lock_file_another_program_removed() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log.jsonl");
        fs::write(&log, "").unwrap();
        let mut lock = Lock::acquire(&log, Access::Write).unwrap().unwrap();
        fs::remove_file(lock_path(&log)).unwrap();
        lock.remember_id("n", (5, 0));
        assert!(lock.flush().is_err());
        assert!(!lock_path(&log).exists());
    }

    #[test]
    fn a_remembered_id_never_goes_back() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log.jsonl");
        let mut lock = Lock::acquire(&log, Access::Write).unwrap().unwrap();
        lock.remember_id("n", (5, 3));
        lock.remember_id("n", (5, 1));
        lock.flush().unwrap();
        drop(lock);
        let lock = Lock::acquire(&log, Access::Read).unwrap().unwrap();
        assert_eq!(lock.remembered_id("n"), Some((5, 3)));
    }

    #[test]
    fn an_append_record_of_another_lock_file_is_ignored_its_ids_not() {
        let text = records().encode(FileId { dev: 1, ino: 2 });
        assert_eq!(
            Records::decode(text.as_bytes(), FileId { dev: 1, ino: 2 }),
            Some(records())
        );
        let copied = Records::decode(text.as_bytes(), FileId { dev: 1, ino: 3 }).unwrap();
        assert_eq!(copied.ids, records().ids);
        assert_eq!(copied.append, None);
        let unsound = r#"{"lockFile":"1:2","ids":{"n":"9007199254740992 0"}}"#;
        assert_eq!(
            Records::decode(unsound.as_bytes(), FileId { dev: 1, ino: 2 }),
            None
        );
    }
}
