//! The lock file beside a log, `NAME.lock`, and the records it keeps.
//!
//! Every process that reads a log holds a shared lock on this file, and
//! every process that changes the log an exclusive one, from reading the
//! log to saving it. The lock file is found beside the log's real file
//! (see [`super::identity`]), so every name of a log takes the one lock.
//!
//! The file also keeps records for the log: the newest ID each node
//! generated with it (an action without reasons is reported but never
//! stored, and its ID must never come again), and, while an append is under
//! way, what the log was before it, so that an append cut short by a crash
//! or a full disk is taken back by the next process. Records are written
//! whole, with a checksum, to a new file that is flushed and renamed over
//! the old one: a crash or a full disk leaves the old records or the new.
//!
//! Nothing in the file is trusted. Anything that does not read back as
//! records of this format with the right checksum is ignored and replaced
//! at the next write. An append record is obeyed only when it proves that
//! it belongs to this very log file (see [`AppendRecord::unfinished`]); any
//! other is dropped, never obeyed and never fatal. A symbolic link at the
//! lock file's name is never followed, and anything there that is not a
//! regular file is refused.
//!
//! Replacing the lock file by renaming means that a process waiting on the
//! old file could end up holding a lock nobody else takes. So a process
//! that got its lock checks that the name still leads to the file it
//! locked, and starts again if not; and the writer locks a new file before
//! renaming it into place, so the lock passes from file to file unbroken.

use std::collections::BTreeMap;
use std::fs::{self, File, Metadata, OpenOptions, Permissions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{FileExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use xxhash_rust::xxh3::{Xxh3, xxh3_128};

use super::Access;
use super::identity::{self, FileId};
use super::write::{sync_folder, take_owner_and_mode};
use crate::error::{Error, Result};
use crate::id::check_node_id;

/// The lock file of the log whose real path is `log`: `NAME.lock` beside
/// it. It is never removed while in use; replacing it is safe (see the
/// module documentation).
pub fn lock_path(log: &Path) -> PathBuf {
    let mut name = log.file_name().unwrap_or_default().to_owned();
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
    records: Records,
    /// Records changed in memory and not yet written.
    dirty: bool,
}

impl Lock {
    /// Locks the log whose real path is `log`: shared to read it, exclusive
    /// to change it. `None`: a reader that cannot open or make the lock
    /// file (a read-only folder, a lock file it may not read), which reads
    /// without it; nobody it could be protected from can write there
    /// either. A writer also takes back what a save cut short left behind.
    pub(crate) fn acquire(log: &Path, access: Access) -> Result<Option<Lock>> {
        let path = lock_path(log);
        let log_metadata = fs::symlink_metadata(log).ok().filter(Metadata::is_file);
        let file = loop {
            let file = match open(&path, log_metadata.as_ref()) {
                Ok(file) => file,
                Err(e) if access == Access::Read && is_not_allowed(&e) => return Ok(None),
                Err(e) => {
                    return Err(Error::io(
                        format!("cannot use the lock file {}", path.display()),
                        e,
                    ));
                }
            };
            let locked = match access {
                Access::Read => file.lock_shared(),
                Access::Write => file.lock(),
            };
            locked.map_err(|e| Error::io(format!("cannot lock {}", path.display()), e))?;
            // The writer before may have replaced the file while this one
            // waited: then lock the one at the name now.
            if still_at(&file, &path) {
                break file;
            }
        };
        let mut lock = Lock {
            records: Records::read(&file),
            file,
            path,
            access,
            dirty: false,
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

    /// Where the log open as `file` really ends, if an append to it never
    /// finished: the bytes after that are no part of the log, and the next
    /// writer takes them back.
    pub(crate) fn unfinished_append(&self, file: &File) -> Option<u64> {
        self.records.append?.unfinished(file).ok().flatten()
    }

    /// The newest `(ms, counter)` that `node` generated with this log, as
    /// the records say.
    pub(crate) fn remembered_id(&self, node: &str) -> Option<(u64, u64)> {
        self.records.ids.get(node).copied()
    }

    /// Notes that `node` generated IDs up to `state`; written with the next
    /// write of the records ([`Lock::flush`], or an append).
    pub(crate) fn remember_id(&mut self, node: &str, state: (u64, u64)) {
        if self.records.ids.get(node) != Some(&state) {
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
        self.records.append = Some(record);
        self.write_records()
    }

    /// Records, durably, that the append finished (or was taken back).
    pub(crate) fn end_append(&mut self) -> Result<()> {
        self.records.append = None;
        self.write_records()
    }

    /// Replaces the lock file with one holding the records: written to a
    /// new file beside it, flushed, locked, and renamed over it.
    fn write_records(&mut self) -> Result<()> {
        assert_eq!(
            self.access,
            Access::Write,
            "records need the exclusive lock"
        );
        let error = |e| Error::io(format!("cannot write {}", self.path.display()), e);
        let current = self.file.metadata().map_err(error)?;
        let name = self.path.file_name().unwrap_or_default().to_string_lossy();
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .rand_bytes(super::write::TEMP_RANDOM_CHARS)
            .permissions(Permissions::from_mode(0o600))
            .tempfile_in(identity::folder_of(&self.path))
            .map_err(error)?;
        take_owner_and_mode(temp.as_file(), &current, current.mode() & 0o777);
        let mut out = temp.as_file();
        out.write_all(self.records.encode().as_bytes())
            .and_then(|()| out.sync_all())
            .map_err(error)?;
        temp.as_file()
            .try_lock()
            .map_err(|e| error(io::Error::other(e.to_string())))?;
        let file = temp.persist(&self.path).map_err(|e| error(e.error))?;
        sync_folder(&self.path);
        self.file = file;
        self.dirty = false;
        Ok(())
    }

    /// With the exclusive lock: takes back an append that never finished,
    /// and removes temporary files that saves cut short left beside the
    /// log.
    fn recover(&mut self, log: &Path) -> Result<()> {
        if let Some(record) = self.records.append {
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
                }
            }
            // Taken back, or not this file's: either way the record is done.
            self.end_append()?;
        }
        remove_stale_temporaries(log);
        Ok(())
    }
}

/// Opens the lock file at `path`, making it if there is none. A new lock
/// file gets the log's group and its read and write bits, so everyone who
/// may write the log may lock it.
fn open(path: &Path, log: Option<&Metadata>) -> io::Result<File> {
    // O_NOFOLLOW: a symbolic link planted at the name is never followed.
    // O_NONBLOCK: a FIFO planted there cannot hang the open.
    let flags = libc::O_NOFOLLOW | libc::O_NONBLOCK;
    loop {
        let created = OpenOptions::new()
            .read(true)
            .custom_flags(flags | libc::O_CREAT | libc::O_EXCL)
            .mode(0o666)
            .open(path);
        match created {
            Ok(file) => {
                if let Some(log) = log {
                    take_owner_and_mode(&file, log, (log.mode() & 0o666) | 0o600);
                }
                return Ok(file);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
        match OpenOptions::new().read(true).custom_flags(flags).open(path) {
            Ok(file) => {
                let metadata = file.metadata()?;
                if !metadata.is_file() {
                    return Err(identity::not_regular(&metadata));
                }
                return Ok(file);
            }
            // Removed in between: make it again.
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "it is a symbolic link, which actionlog never follows for a lock file",
                ));
            }
            Err(e) => return Err(e),
        }
    }
}

/// Errors that leave a reader to read without the lock.
fn is_not_allowed(error: &io::Error) -> bool {
    matches!(
        error.raw_os_error(),
        Some(libc::EACCES | libc::EPERM | libc::EROFS)
    )
}

/// Whether `path` still leads to `file`.
fn still_at(file: &File, path: &Path) -> bool {
    match (file.metadata(), fs::symlink_metadata(path)) {
        (Ok(held), Ok(named)) => FileId::of(&held) == FileId::of(&named),
        _ => false,
    }
}

/// The most a lock file's records may take; a bigger file is not ours.
const MAX_RECORDS_BYTES: u64 = 1 << 20;

/// What a lock file records for its log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Records {
    /// The newest `(ms, counter)` each node generated with the log.
    ids: BTreeMap<String, (u64, u64)>,
    /// An append under way.
    append: Option<AppendRecord>,
}

/// The version of the records' format, in their first key.
const RECORDS_VERSION: u64 = 2;

impl Records {
    /// The records in `file`; none if it holds anything else.
    fn read(file: &File) -> Records {
        let mut bytes = Vec::new();
        let read = file.take(MAX_RECORDS_BYTES + 1).read_to_end(&mut bytes);
        if read.is_err() || bytes.len() as u64 > MAX_RECORDS_BYTES {
            return Records::default();
        }
        Records::decode(&bytes).unwrap_or_default()
    }

    /// A JSON object on one line, then its checksum on the next.
    fn encode(&self) -> String {
        let mut body = format!("{{\"actionlogLock\":{RECORDS_VERSION},\"ids\":{{");
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
                ",\"append\":{{\"file\":\"{}:{}\",\"from\":{},\"to\":{},\"proof\":\"{:032x}\"}}",
                append.file.dev, append.file.ino, append.from, append.to, append.proof
            ));
        }
        body.push('}');
        format!("{body}\n{:032x}\n", xxh3_128(body.as_bytes()))
    }

    /// Records from the bytes of a lock file; `None` unless they are whole
    /// records of this format with the right checksum and sound values.
    fn decode(bytes: &[u8]) -> Option<Records> {
        let text = std::str::from_utf8(bytes).ok()?;
        let (body, rest) = text.split_once('\n')?;
        let sum = rest.strip_suffix('\n')?;
        if sum != format!("{:032x}", xxh3_128(body.as_bytes())) {
            return None;
        }
        let value: serde_json::Value = serde_json::from_str(body).ok()?;
        if value.get("actionlogLock")?.as_u64()? != RECORDS_VERSION {
            return None;
        }
        let mut records = Records::default();
        for (node, state) in value.get("ids")?.as_object()? {
            let (ms, counter) = state.as_str()?.split_once(' ')?;
            let number = |text: &str| crate::id::canonical_number(text.as_bytes());
            check_node_id(node).ok()?;
            records
                .ids
                .insert(node.clone(), (number(ms)?, number(counter)?));
        }
        if let Some(append) = value.get("append") {
            let (dev, ino) = append.get("file")?.as_str()?.split_once(':')?;
            let record = AppendRecord {
                file: FileId {
                    dev: dev.parse().ok()?,
                    ino: ino.parse().ok()?,
                },
                from: append.get("from")?.as_u64()?,
                to: append.get("to")?.as_u64()?,
                proof: u128::from_str_radix(append.get("proof")?.as_str()?, 16).ok()?,
            };
            if record.from > record.to {
                return None;
            }
            records.append = Some(record);
        }
        Some(records)
    }
}

/// An append under way: which file, the length it had before and would
/// have after, and a proof of what it held before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AppendRecord {
    file: FileId,
    from: u64,
    to: u64,
    proof: u128,
}

/// How much of the start and of the end of a log the proof covers.
const PROOF_HEAD: u64 = 4 << 10;
const PROOF_TAIL: u64 = 64 << 10;

impl AppendRecord {
    /// The record for appending `len` bytes to `log`, open, `from` bytes
    /// long.
    pub(crate) fn new(log: &File, from: u64, len: u64) -> io::Result<AppendRecord> {
        Ok(AppendRecord {
            file: FileId::of(&log.metadata()?),
            from,
            to: from + len,
            proof: proof(log, from)?,
        })
    }

    /// The length to cut the log open as `log` back to, if this record
    /// proves that what lies past it is this very append, unfinished: the
    /// same file (device and inode), longer than before the append but no
    /// longer than the append would have made it, and the same bytes
    /// before it (a hash of the first 4 KiB and the last 64 KiB before it,
    /// which hold the newest entries, each with its own ID and `added`). A
    /// log restored from a backup, rewritten, or appended to by another
    /// program fails the proof, and is left alone.
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
        Ok((proof(log, self.from)? == self.proof).then_some(self.from))
    }
}

/// A hash of the first `len` bytes of `log`: their length, the first
/// [`PROOF_HEAD`] of them and the last [`PROOF_TAIL`].
fn proof(log: &File, len: u64) -> io::Result<u128> {
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

/// Removes the temporary files of saves that never finished beside the log
/// at `log`: `.NAME.XXXXXX.tmp` (a rewrite of the log) and
/// `.NAME.lock.XXXXXX.tmp` (a write of the records). Only a process holding
/// the exclusive lock makes them, so with that lock held, any there is
/// stale. A file that cannot be removed is left; it is never read.
fn remove_stale_temporaries(log: &Path) {
    let Some(name) = log.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let Ok(entries) = fs::read_dir(identity::folder_of(log)) else {
        return;
    };
    let prefixes = [format!(".{name}."), format!(".{name}.lock.")];
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let is_temporary = prefixes.iter().any(|prefix| {
            file_name
                .strip_prefix(prefix.as_str())
                .and_then(|rest| rest.strip_suffix(".tmp"))
                .is_some_and(|random| {
                    random.len() == super::write::TEMP_RANDOM_CHARS
                        && random.bytes().all(|b| b.is_ascii_alphanumeric())
                })
        });
        let regular = entry.file_type().is_ok_and(|t| t.is_file());
        if is_temporary && regular {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_read_back_and_anything_else_is_ignored() {
        let mut records = Records::default();
        records.ids.insert("10:abc".into(), (1564508146000, 3));
        records.append = Some(AppendRecord {
            file: FileId { dev: 2049, ino: 77 },
            from: 10,
            to: 20,
            proof: 0xfeed,
        });
        let text = records.encode();
        assert_eq!(Records::decode(text.as_bytes()), Some(records));
        // One byte changed, cut short, or an older format: ignored.
        let changed = text.replacen("1564508146000", "1564508146001", 1);
        assert_eq!(Records::decode(changed.as_bytes()), None);
        assert_eq!(Records::decode(&text.as_bytes()[..text.len() - 2]), None);
        assert_eq!(Records::decode(br#"{"pending append":0}"#), None);
        assert_eq!(Records::decode(b"\xff\xfe"), None);
    }

    #[test]
    fn records_with_unsound_values_are_ignored() {
        let body = r#"{"actionlogLock":2,"ids":{"n":"9007199254740992 0"}}"#;
        let text = format!("{body}\n{:032x}\n", xxh3_128(body.as_bytes()));
        assert_eq!(Records::decode(text.as_bytes()), None);
    }
}
