//! Writing a log file: appending new entries under a record that lets an
//! append cut short be taken back, and replacing the file whole,
//! atomically, keeping its owner, group and mode.

use std::ffi::{OsStr, OsString};
use std::fs::{self, File, Metadata, OpenOptions, Permissions};
use std::io::{self, BufWriter, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

use super::format::{write_entry, written_len};
use super::identity::{self, folder_of};
use super::lock::{APPEND_START, AppendRecord, Lock};
use super::{Progress, Silent, Stored};
use crate::error::{Error, Result};

/// How much is written to a log file at a time.
const WRITE_BUFFER: usize = 256 << 10;

/// How many random characters name a temporary file.
const TEMP_RANDOM_CHARS: usize = 6;

/// What the name of a temporary file beside the file `name` starts with:
/// `.NAME.actionlog-`, then random characters and `.tmp` (NAME shortened if
/// the whole would not fit in a file name). Marked, so that clearing away
/// the ones a killed save left cannot take a file of the user's.
fn temporary_prefix(name: &OsStr) -> OsString {
    let marks = ".".len() + TEMPORARY_MARK.len() + TEMP_RANDOM_CHARS + ".tmp".len();
    let mut prefix = OsString::from(".");
    prefix.push(identity::fitting(name, identity::room_beside(marks)));
    prefix.push(TEMPORARY_MARK);
    prefix
}

const TEMPORARY_MARK: &str = ".actionlog-";

/// Whether `file_name` ends as the name of a temporary file does, and
/// what comes before the random characters.
fn temporary_head(file_name: &[u8]) -> Option<&[u8]> {
    let rest = file_name.strip_suffix(b".tmp")?;
    let random = rest.get(rest.len().checked_sub(TEMP_RANDOM_CHARS)?..)?;
    random
        .iter()
        .all(u8::is_ascii_alphanumeric)
        .then(|| &rest[..rest.len() - TEMP_RANDOM_CHARS])
}

/// Whether `file_name` is the name of a temporary file that a save of the
/// file `name` makes.
fn is_temporary_of(file_name: &OsStr, name: &OsStr) -> bool {
    temporary_head(file_name.as_bytes()) == Some(temporary_prefix(name).as_bytes())
}

/// Whether `path` is named as a temporary file of a save is, of whatever
/// file: such a file may be cleared away by the next writer of that file,
/// so it must not hold a log or an archive.
// For the command line, which refuses such names for what it writes.
#[doc(hidden)]
pub fn looks_temporary(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| temporary_head(name.as_bytes()))
        .and_then(|head| head.strip_suffix(TEMPORARY_MARK.as_bytes()))
        .is_some_and(|name| name.len() > 1 && name.starts_with(b"."))
}

/// Removes the temporary files of rewrites that never finished beside the
/// log at `log`. Only a process holding the log's exclusive lock makes
/// them, so with that lock held, any there is stale. A file that cannot be
/// removed is left; it is never read.
pub(crate) fn remove_stale_temporaries(log: &Path) {
    let Some(name) = log.file_name() else {
        return;
    };
    let Ok(entries) = fs::read_dir(folder_of(log)) else {
        return;
    };
    for entry in entries.flatten() {
        let temporary = is_temporary_of(&entry.file_name(), name);
        if temporary && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Appends the new entries of `stored` to the log at `real` (its real
/// path; `name` is the name it was given, for messages). The lock file
/// first records the append (flushed), so that an append cut short by a
/// crash or a full disk is taken back, here or by the next process to lock
/// the log: the file is always the old or the new log.
pub(crate) fn append(real: &Path, name: &Path, stored: &Stored, lock: &mut Lock) -> Result<()> {
    let len = stored.log.unsaved_entries().map(written_len).sum();
    // How the append begins, for its record to prove it by.
    let mut start = Vec::new();
    for entry in stored.log.unsaved_entries() {
        if start.len() >= APPEND_START {
            break;
        }
        write_entry(&mut start, entry)
            .map_err(|e| Error::io(format!("cannot append to {}", name.display()), e))?;
    }
    append_bytes(real, name, lock, len, &start, &mut |out| {
        stored
            .log
            .unsaved_entries()
            .try_for_each(|entry| write_entry(out, entry))
    })
}

/// Appends the `len` bytes that `write` writes, which begin with `start`
/// (their first [`APPEND_START`] bytes, or all of them), to the log at
/// `real`, under the same record as [`append`]. Writing other than `len`
/// bytes is an error, and the append is taken back.
pub(crate) fn append_bytes(
    real: &Path,
    name: &Path,
    lock: &mut Lock,
    len: u64,
    start: &[u8],
    write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    let context = || format!("cannot append to {}", name.display());
    // Read too: the record proves what the file held before. Made only
    // if it is not there: opening another user's file with O_CREAT fails
    // in a sticky folder where the kernel protects regular files.
    let open = |create: bool| {
        OpenOptions::new()
            .read(true)
            .append(true)
            .create_new(create)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(real)
    };
    let file = match open(false) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => open(true),
        opened => opened,
    }
    .map_err(|e| Error::io(context(), e))?;
    let metadata = file.metadata().map_err(|e| Error::io(context(), e))?;
    if !metadata.is_file() {
        return Err(Error::io(context(), identity::not_regular(&metadata)));
    }
    let old_len = metadata.len();
    let record =
        AppendRecord::new(&file, old_len, start, len).map_err(|e| Error::io(context(), e))?;
    lock.begin_append(record)?;
    let mut out = Counted {
        out: BufWriter::with_capacity(WRITE_BUFFER, &file),
        count: 0,
    };
    let written = write(&mut out)
        .and_then(|()| out.out.flush())
        .and_then(|()| {
            if out.count == len {
                Ok(())
            } else {
                Err(io::Error::other(format!(
                    "{} bytes were written, not the {len} announced",
                    out.count
                )))
            }
        })
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
        {
            let _ = lock.end_append();
        }
        return Err(Error::io(context(), e));
    }
    lock.end_append()
}

/// A writer that counts what goes through it.
struct Counted<W> {
    out: W,
    count: u64,
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = self.out.write(buf)?;
        self.count += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Writes `stored` whole to a temporary file beside the log at `real`,
/// flushes it and renames it over the log, so the file is always either the
/// old or the new log. The new file gets the old one's owner and group
/// (where this process may give them) and mode.
pub(crate) fn replace(
    real: &Path,
    name: &Path,
    stored: &Stored,
    tail: &[u8],
    progress: &mut dyn Progress,
) -> Result<()> {
    let old = match fs::symlink_metadata(real) {
        Ok(metadata) if !metadata.is_file() => {
            return Err(Error::io(
                format!("cannot write {}", name.display()),
                identity::not_regular(&metadata),
            ));
        }
        Ok(metadata) => Some(metadata),
        Err(_) => None,
    };
    if old.is_some() {
        may_change(real, name)?;
    }
    write_whole(real, name, stored, tail, progress, old.as_ref())
}

/// Renaming over the file needs only the folder's permission: one who may
/// not write the log itself must not rewrite it (and so take it over)
/// either.
fn may_change(real: &Path, name: &Path) -> Result<File> {
    OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
        .open(real)
        .map_err(|e| Error::io(format!("cannot change {}", name.display()), e))
}

/// Replaces the log at `real` (the regular file a log read in part came
/// from) with `header` as its first line, then its lines of entries as
/// they are, copied by the kernel where it can: a new `lastSynced` for a
/// log not held in memory. Atomic, keeping owner and mode, as [`replace`].
pub(crate) fn replace_header(real: &Path, name: &Path, header: &str) -> Result<()> {
    let context = || format!("cannot write {}", name.display());
    may_change(real, name)?;
    let old = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
        .open(real)
        .map_err(|e| Error::io(context(), e))?;
    let metadata = old.metadata().map_err(|e| Error::io(context(), e))?;
    if !metadata.is_file() {
        return Err(Error::io(context(), identity::not_regular(&metadata)));
    }
    // The entries start after the old header and whatever came before it,
    // as a whole read finds them: read in whole lines, more at a time,
    // until a line ends the header or starts an entry.
    let len = metadata.len();
    let mut want = 1 << 16;
    let start = loop {
        let take = usize::try_from(len).map_or(want, |len| len.min(want));
        let mut window = vec![0; take];
        old.read_exact_at(&mut window, 0)
            .map_err(|e| Error::io(context(), e))?;
        let whole = take as u64 == len;
        let cut = if whole {
            take
        } else {
            memchr::memrchr(b'\n', &window).map_or(0, |i| i + 1)
        };
        let found = std::str::from_utf8(&window[..cut])
            .ok()
            .and_then(super::index::header_of)
            .map(|(_, start)| start);
        match found {
            Some(start) if start < cut || whole => break start as u64,
            _ if !whole => want *= 4,
            _ => {
                return Err(Error::io(
                    context(),
                    io::Error::other("its header is not as it was read"),
                ));
            }
        }
    };
    write_whole_with(
        real,
        name,
        &mut |file| {
            let mut out = file;
            out.write_all(header.as_bytes())?;
            out.write_all(b"\n")?;
            let mut from = &old;
            io::Seek::seek(&mut from, io::SeekFrom::Start(start))?;
            let rest = len.saturating_sub(start);
            let copied = io::copy(&mut io::Read::take(from, rest), &mut out)?;
            if copied == rest {
                Ok(())
            } else {
                Err(io::Error::other("the log got shorter while it was copied"))
            }
        },
        Some(&metadata),
    )
}

/// Writes `stored` whole to a new file at `path`, atomically (a temporary
/// file renamed into place), never over an existing file.
pub fn write_new(path: &Path, stored: &Stored) -> Result<()> {
    write_whole(path, path, stored, &[], &mut Silent, None)
}

/// [`replace`] when `old` is the file it replaces, else a new file that
/// must not exist; `tail` (whole entry lines) after the entries.
fn write_whole(
    path: &Path,
    name: &Path,
    stored: &Stored,
    tail: &[u8],
    progress: &mut dyn Progress,
    old: Option<&Metadata>,
) -> Result<()> {
    // Written through the plain file: the temporary file's own writer adds
    // its random name to every error. In big pieces, as an append is: a
    // 200 MB log is 25,000 writes through the default 8 KiB buffer.
    let mut write = |file: &File| {
        let mut out = BufWriter::with_capacity(WRITE_BUFFER, file);
        stored.write_reporting(&mut out, tail, progress)?;
        out.flush()
    };
    write_whole_with(path, name, &mut write, old)
}

/// [`write_whole`] of what `write` writes to the new file.
fn write_whole_with(
    path: &Path,
    name: &Path,
    write: &mut dyn FnMut(&File) -> io::Result<()>,
    old: Option<&Metadata>,
) -> Result<()> {
    let context = || format!("cannot write {}", name.display());
    let file_name = path.file_name().unwrap_or_default();
    // Made with the mode a new file gets (0666 less the umask); a file
    // replacing another takes that one's mode before anything is written.
    let temp = tempfile::Builder::new()
        .prefix(&temporary_prefix(file_name))
        .suffix(".tmp")
        .rand_bytes(TEMP_RANDOM_CHARS)
        .permissions(Permissions::from_mode(0o666))
        .tempfile_in(folder_of(path))
        .map_err(|e| Error::io(context(), e))?;
    if let Some(old) = old {
        take_owner_and_mode(temp.as_file(), old, old.mode() & 0o7777);
    }
    write(temp.as_file()).map_err(|e| Error::io(context(), e))?;
    temp.as_file()
        .sync_all()
        .map_err(|e| Error::io(context(), e))?;
    if old.is_some() {
        temp.persist(path)
    } else {
        temp.persist_noclobber(path)
    }
    .map_err(|e| Error::io(context(), e.error))?;
    sync_folder(path);
    Ok(())
}

/// Gives `file` the owner and group of `like`, as far as this process may
/// (root gives both; an owner may give a group it belongs to), and `mode`.
/// Whatever cannot be given is left as it is: the write goes on.
pub(crate) fn take_owner_and_mode(file: &File, like: &Metadata, mode: u32) {
    use std::os::unix::fs::fchown;
    if fchown(file, Some(like.uid()), Some(like.gid())).is_err() {
        let _ = fchown(file, None, Some(like.gid()));
    }
    // After the owner: changing it clears the set-ID bits.
    let _ = file.set_permissions(Permissions::from_mode(mode));
}

/// Flushes the folder `path` is in, so that a rename into it lasts.
fn sync_folder(path: &Path) {
    if let Ok(dir) = File::open(folder_of(path)) {
        let _ = dir.sync_all();
    }
}
