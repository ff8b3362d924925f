//! The operating system calls the library makes through libc and memmap2.
//! Each is `unsafe` in Rust and sound for the reason its comment gives;
//! with the text arena and the mapped text (`text::arena`,
//! `text::mapped`) and the AVX2 scanner (`json::structural`), this is the
//! only code with `unsafe` in the library, which denies it everywhere else.

#![allow(unsafe_code)]

use std::fs::File;
use std::io;
use std::path::Path;

/// The process's effective user ID.
pub(crate) fn effective_user_id() -> u32 {
    // SAFETY: geteuid only reads the process's user ID.
    unsafe { libc::geteuid() }
}

/// Whether this process may write the file at `path` by its real IDs
/// (which are actionlog's own: it never runs set-user-ID).
pub(crate) fn writable(path: &Path) -> io::Result<()> {
    let name = c_name(path)?;
    // SAFETY: a valid C string; access only asks.
    if unsafe { libc::access(name.as_ptr(), libc::W_OK) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Opens `path` for reading with open(2) itself, so that a signal the
/// process catches ends a wait in it (for a FIFO's writer) with `EINTR`
/// instead of resuming it, as std's retrying open would.
pub(crate) fn open_for_reading(path: &Path) -> io::Result<File> {
    use std::os::fd::FromRawFd;
    let name = c_name(path)?;
    // SAFETY: a valid C string; the descriptor is owned by the File made
    // of it.
    let fd = unsafe { libc::open(name.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` was just opened and is owned by nothing else.
    Ok(unsafe { File::from_raw_fd(fd) })
}

/// This machine's memory in bytes, if the system says.
pub(crate) fn memory_bytes() -> Option<u64> {
    // SAFETY: sysconf only reads system values.
    let (pages, page_size) = unsafe {
        (
            libc::sysconf(libc::_SC_PHYS_PAGES),
            libc::sysconf(libc::_SC_PAGESIZE),
        )
    };
    match (u64::try_from(pages), u64::try_from(page_size)) {
        (Ok(pages), Ok(size)) if pages > 0 && size > 0 => Some(pages.saturating_mul(size)),
        _ => None,
    }
}

/// Maps a log file to read it in place, its pages read in at once if
/// `populate`. Only for a regular log file under the store's lock, for no
/// longer than the lock is held: the contract of
/// [`crate::text::MappedText::map`], which keeps the mapped bytes from
/// changing under the references into them.
pub(crate) fn map_log(file: &File, populate: bool) -> io::Result<memmap2::Mmap> {
    let mut options = memmap2::MmapOptions::new();
    if populate {
        options.populate();
    }
    // SAFETY: the bytes are only read, and the caller keeps the contract
    // above.
    unsafe { options.map(file) }
}

/// Lets go of the pages of a map made by [`map_log`] that lie wholly inside
/// `range`: they leave the process's memory (a mapped file's pages count
/// in it as they are read), and reading them again maps them again from
/// the file.
pub(crate) fn release_mapped(map: &memmap2::Mmap, range: std::ops::Range<usize>) {
    // A multiple of every page size in use (4, 16 and 64 KiB).
    const ALIGN: usize = 64 << 10;
    let start = range.start.next_multiple_of(ALIGN);
    let end = range.end.min(map.len()) / ALIGN * ALIGN;
    if start < end {
        // SAFETY: the map is a shared, read-only map of a file, never
        // written through. MADV_DONTNEED only unmaps its pages; the next
        // read of one faults it in again from the file, which the lock
        // keeps unchanged while the map lives (see `map_log`): the bytes
        // every reference sees stay the same. Failing, it changes nothing,
        // and memory is all it would have saved.
        let _ = unsafe {
            map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, start, end - start)
        };
    }
}

fn c_name(path: &Path) -> io::Result<std::ffi::CString> {
    use std::os::unix::ffi::OsStrExt;
    std::ffi::CString::new(path.as_os_str().as_bytes())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a NUL byte in the name"))
}
