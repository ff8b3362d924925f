//! Which file a log is: the one real file behind the name it was given.
//!
//! A log reached through a symbolic link, through `./x` or `x`, or through
//! a link to a folder is one log: it is resolved once to its real path, so
//! it has one lock file, and a rewrite replaces the real file and leaves
//! the link a link. Only regular files are logs that can be written; a
//! device or a pipe can only be read.

use std::ffi::{OsStr, OsString};
use std::fs::{self, Metadata};
use std::io;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

/// How many symbolic links are followed before giving up, as the kernel
/// does (`ELOOP`).
const MAX_LINKS: usize = 40;

/// The real path of `path`: every symbolic link on the way resolved. For a
/// file that does not exist yet (or a link to one), the real folder it
/// would be made in, joined with its name.
pub(crate) fn resolve(path: &Path) -> io::Result<PathBuf> {
    if path.as_os_str().as_bytes().ends_with(b"/") {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "a name ending in / names a folder, not a file",
        ));
    }
    let mut path = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::canonicalize(&path) {
            Ok(real) => return Ok(real),
            // A name that opens but leads nowhere: an open file's
            // (`/dev/stdin`, `/dev/fd/63` of `<(…)`), which is its own
            // real name.
            Err(e) if e.kind() == io::ErrorKind::NotFound && is_open_file(&path) => {
                return Ok(path);
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        match fs::symlink_metadata(&path) {
            // A link to nothing: the file is made where it points.
            Ok(metadata) if metadata.file_type().is_symlink() => {
                let target = fs::read_link(&path)?;
                path = folder_of(&path).join(target);
            }
            _ => {
                let name = path.file_name().ok_or_else(|| {
                    io::Error::new(io::ErrorKind::InvalidInput, "not a file name")
                })?;
                return Ok(fs::canonicalize(folder_of(&path))?.join(name));
            }
        }
    }
    Err(io::Error::from_raw_os_error(libc::ELOOP))
}

/// Whether `path` names an open file of a process rather than a file of a
/// folder: a link in `/proc` that opens, though what it points to (such as
/// `pipe:[123]`) is no path.
pub(crate) fn is_open_file(path: &Path) -> bool {
    fs::metadata(path).is_ok() && fs::canonicalize(path).is_err()
}

/// The longest file name most filesystems take.
const NAME_MAX: usize = 255;

/// `name`, or, if it is longer than `room` bytes, its start and a hash of
/// the whole: for the names actionlog makes beside a file (`NAME.lock`,
/// temporary files), which must fit in a file name too.
pub(crate) fn fitting(name: &OsStr, room: usize) -> OsString {
    let bytes = name.as_bytes();
    let room = room.min(NAME_MAX);
    if bytes.len() <= room {
        return name.to_owned();
    }
    let mut short = bytes[..room - 17].to_vec();
    short.extend_from_slice(format!("~{:016x}", xxhash_rust::xxh3::xxh3_64(bytes)).as_bytes());
    OsString::from_vec(short)
}

/// How many bytes a name has left for a name made of it with `extra` more.
pub(crate) fn room_beside(extra: usize) -> usize {
    NAME_MAX - extra
}

/// The folder a file is in (`.` for a bare file name).
pub(crate) fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// A file as the kernel knows it, whatever its names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FileId {
    pub(crate) dev: u64,
    pub(crate) ino: u64,
}

impl FileId {
    pub(crate) fn of(metadata: &Metadata) -> FileId {
        FileId {
            dev: metadata.dev(),
            ino: metadata.ino(),
        }
    }
}

/// Whether `a` and `b` name one file: the same file if both exist (hard
/// links included), else the same real path.
pub fn same_file(a: &Path, b: &Path) -> bool {
    if let (Ok(first), Ok(second)) = (fs::metadata(a), fs::metadata(b)) {
        return FileId::of(&first) == FileId::of(&second);
    }
    match (resolve(a), resolve(b)) {
        (Ok(first), Ok(second)) => first == second,
        _ => false,
    }
}

/// What kind of file a non-regular file is, for messages.
pub(crate) fn kind_name(metadata: &Metadata) -> &'static str {
    let kind = metadata.file_type();
    if kind.is_dir() {
        "a folder"
    } else if kind.is_fifo() {
        "a pipe (FIFO)"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_symlink() {
        "a symbolic link"
    } else {
        "a regular file"
    }
}

/// The error for writing a file that is not a regular file.
pub(crate) fn not_regular(metadata: &Metadata) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "it is {}, not a regular file; actionlog writes only regular files",
            kind_name(metadata)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_spellings_resolve_to_one_path() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("log.jsonl");
        fs::write(&real, "").unwrap();
        std::os::unix::fs::symlink("log.jsonl", dir.path().join("link")).unwrap();
        std::os::unix::fs::symlink("missing.jsonl", dir.path().join("dangling")).unwrap();
        let canonical = fs::canonicalize(&real).unwrap();
        assert_eq!(resolve(&dir.path().join("link")).unwrap(), canonical);
        assert_eq!(resolve(&dir.path().join("./log.jsonl")).unwrap(), canonical);
        assert_eq!(
            resolve(&dir.path().join("dangling")).unwrap(),
            canonical.with_file_name("missing.jsonl")
        );
        assert!(same_file(&real, &dir.path().join("link")));
        assert!(same_file(
            &dir.path().join("dangling"),
            &dir.path().join("missing.jsonl")
        ));
        std::os::unix::fs::symlink("loop", dir.path().join("loop")).unwrap();
        assert!(resolve(&dir.path().join("loop")).is_err());
    }
}
