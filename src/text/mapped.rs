//! A log file mapped into memory and checked to be UTF-8: text that is
//! read in place rather than copied. Reading it as `str` without checking
//! it again and letting go of its pages are `unsafe`, each sound only under
//! the contract of [`MappedText::map`], so only this crate can make a map
//! of either kind here, from a log file it maps (`crate::sys::map_log`).

#![allow(unsafe_code)]

use std::fs::File;
use std::ops::Range;

use super::NotUtf8;

/// Files at least this big are checked to be UTF-8 on two threads.
const PARALLEL_FROM_BYTES: usize = 4 << 20;

/// Whether `bytes` are UTF-8, checked in two halves at once. The second
/// half starts at a byte that does not continue a character, so the whole
/// is UTF-8 exactly when both halves are.
fn is_utf8_in_halves(bytes: &[u8]) -> bool {
    let mut middle = bytes.len() / 2;
    // At most three continuation bytes in a row in UTF-8; more, and the
    // check of the first half fails on them, as the whole would.
    while middle < bytes.len() && middle < bytes.len() / 2 + 4 && bytes[middle] & 0xC0 == 0x80 {
        middle += 1;
    }
    let (first, second) = bytes.split_at(middle);
    std::thread::scope(|scope| {
        let other = scope.spawn(|| std::str::from_utf8(second).is_ok());
        let here = std::str::from_utf8(first).is_ok();
        // A panic in `from_utf8` is a bug: it goes on here.
        let there = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        here && there
    })
}

/// A mapped file whose bytes were checked to be UTF-8.
pub(crate) struct MappedText {
    map: memmap2::Mmap,
}

/// A mapped log file whose bytes are not yet known to be UTF-8.
pub struct MappedBytes {
    map: memmap2::Mmap,
}

impl MappedBytes {
    /// `map` must have been made under the contract of [`MappedText::map`].
    pub(crate) fn new(map: memmap2::Mmap) -> MappedBytes {
        MappedBytes { map }
    }

    /// The mapped bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.map
    }
}

impl MappedText {
    /// Maps `file` and checks that it is UTF-8.
    ///
    /// The map shows the file as it is on disk, so the file must not change
    /// while the map lives: a shorter file kills the process with SIGBUS,
    /// and changed bytes could break the UTF-8 checked here. The contract
    /// that makes this sound: only a regular log file is mapped, only under
    /// its lock, and the map lives no longer than the lock (the store maps
    /// only a log read for one command, whose lock is held until the log
    /// is dropped; a long-lived process reads the file instead). Under the
    /// lock, actionlog changes a log only by appending past the mapped
    /// bytes or by renaming a new file over it, neither of which touches
    /// the mapped file's bytes. A program that changes the file in place
    /// without taking the lock breaks the contract; the command line then
    /// ends with a message on SIGBUS rather than read on.
    pub(crate) fn map(file: &File) -> std::io::Result<Result<MappedText, NotUtf8>> {
        // A big file is not read in at the map: the two halves are checked
        // on two threads, each bringing in its own pages.
        let big = file.metadata()?.len() >= PARALLEL_FROM_BYTES as u64;
        let map = crate::sys::map_log(file, !big)?;
        if big && is_utf8_in_halves(&map) {
            return Ok(Ok(MappedText { map }));
        }
        Ok(match std::str::from_utf8(&map) {
            Ok(_) => Ok(MappedText { map }),
            Err(e) => Err(NotUtf8::of(&map, e)),
        })
    }

    /// The bytes as text if they are UTF-8, else given back.
    pub(crate) fn checked(bytes: MappedBytes) -> Result<MappedText, MappedBytes> {
        match std::str::from_utf8(&bytes.map) {
            Ok(_) => Ok(MappedText { map: bytes.map }),
            Err(_) => Err(bytes),
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        // SAFETY: checked to be UTF-8 when made, and unchanged since under
        // the contract of `MappedText::map`.
        unsafe { std::str::from_utf8_unchecked(&self.map) }
    }

    /// Lets go of the pages that lie wholly inside `range`: they leave the
    /// process's memory (a mapped file's pages count in it as they are
    /// read), and reading them again maps them again from the file.
    pub(crate) fn release(&self, range: Range<usize>) {
        crate::sys::release_mapped(&self.map, range);
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// Text of one- to four-byte characters, then maybe a byte changed
    /// anywhere: cut characters, stray continuation bytes, bytes UTF-8
    /// never has.
    fn bytes() -> impl Strategy<Value = Vec<u8>> {
        let text = prop::collection::vec(
            prop::sample::select(vec!['a', '\n', 'é', '€', '😀', '\u{7ff}', '\u{10000}']),
            0..40,
        )
        .prop_map(|chars| chars.into_iter().collect::<String>().into_bytes());
        let change = prop::option::of((any::<prop::sample::Index>(), any::<u8>()));
        (text, change).prop_map(|(mut bytes, change)| {
            if let Some((at, byte)) = change
                && !bytes.is_empty()
            {
                let at = at.index(bytes.len());
                bytes[at] = byte;
            }
            bytes
        })
    }

    proptest! {
        #[test]
        fn the_halves_are_utf8_exactly_when_the_whole_is(bytes in bytes()) {
            prop_assert_eq!(
                super::is_utf8_in_halves(&bytes),
                std::str::from_utf8(&bytes).is_ok(),
                "{:?}",
                bytes
            );
        }
    }
}
