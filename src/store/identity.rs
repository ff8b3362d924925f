//! Which file a log is: the one real file behind the name it was given.
//!
//! A log reached through a symbolic link, through `./x` or `x`, or through
//! a link to a folder is one log: it is resolved once to its real path, so
//! it has one lock file, and a rewrite replaces the real file and leaves
//! the link a link. Only regular files are logs that can be written; a
//! device or a pipe can only be read.

use std::fs::{self, Metadata};
use std::io;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

/// How many symbolic links are followed before giving up, as the kernel
/// does (`ELOOP`).
const MAX_LINKS: usize = 40;

/// The real path of `path`: every symbolic link on the way resolved. For a
/// file that does not exist yet (or a link to one), the real folder it
/// would be made in, joined with its name.
pub(crate) fn resolve(path: &Path) -> io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::canonicalize(&path) {
            Ok(real) => return Ok(real),
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
    pub dev: u64,
    pub ino: u64,
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
pub fn not_regular(metadata: &Metadata) -> io::Error {
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
