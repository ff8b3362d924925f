//! The text arena: where the texts a command makes (new lines, new metas)
//! are copied, one after another, into shared chunks. This module and
//! [`super::mapped`] are the only places in `text` with `unsafe` code: a
//! chunk is raw memory filled from the front while other threads read its
//! filled part. Its tests run under Miri in CI.

#![allow(unsafe_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{Buffer, SharedStr};

/// Texts up to this long go into the arena.
pub(super) const COPY_MAX: usize = 16 * 1024;
/// The first chunk of a thread's arena, and the largest: a command that
/// makes a few texts takes little, one that makes a million takes a chunk
/// per megabyte.
const CHUNK_MIN: usize = 16 * 1024;
const CHUNK_MAX: usize = 1024 * 1024;

thread_local! {
    static ARENA: std::cell::RefCell<Arena> = const { std::cell::RefCell::new(Arena { chunk: None }) };
}

/// `pieces`, `len` bytes in all, copied one after another into this
/// thread's arena.
pub(super) fn copy(pieces: &[&str], len: usize) -> SharedStr {
    ARENA.with(|arena| arena.borrow_mut().push(pieces, len))
}

/// Where the texts a command makes (new lines, new metas) are kept: copied
/// one after another into shared chunks, so that a million new lines are a
/// few hundred allocations rather than two million, with no allocator
/// overhead per line. A chunk lives as long as any text in it.
struct Arena {
    chunk: Option<Arc<Buffer>>,
}

impl Arena {
    /// Copies `pieces`, `len` bytes in all, into the arena.
    fn push(&mut self, pieces: &[&str], len: usize) -> SharedStr {
        let room = |chunk: &Arc<Buffer>| match &**chunk {
            Buffer::Arena(chunk) => chunk.capacity - chunk.len() >= len,
            _ => false,
        };
        if !self.chunk.as_ref().is_some_and(room) {
            let capacity = match self.chunk.as_deref() {
                Some(Buffer::Arena(chunk)) => (chunk.capacity * 2).min(CHUNK_MAX),
                _ => CHUNK_MIN,
            };
            self.chunk = Some(Arc::new(Buffer::Arena(Chunk::new(capacity.max(len)))));
        }
        let buf = self.chunk.as_ref().expect("made above");
        let Buffer::Arena(chunk) = &**buf else {
            unreachable!("the arena holds only chunks")
        };
        let start = chunk.len();
        // SAFETY: this thread's arena is the only writer of its chunk, and
        // there is room (checked above).
        unsafe { chunk.append(pieces) };
        SharedStr::slice_of(buf, start..start + len)
    }
}

/// A fixed block of memory filled from the front with whole UTF-8 texts.
/// Bytes below `len` never change once written, so slices of them may be
/// read from any thread while the owning arena appends above them.
pub(crate) struct Chunk {
    ptr: std::ptr::NonNull<u8>,
    capacity: usize,
    len: AtomicUsize,
}

// SAFETY: the filled part is immutable; only the one arena that made the
// chunk appends, past the filled part, and publishes with `Release`.
unsafe impl Send for Chunk {}
unsafe impl Sync for Chunk {}

impl Chunk {
    fn layout(capacity: usize) -> std::alloc::Layout {
        std::alloc::Layout::array::<u8>(capacity).expect("chunk size fits the address space")
    }

    fn new(capacity: usize) -> Chunk {
        let capacity = capacity.max(1);
        // SAFETY: the layout is not zero-sized.
        let ptr = unsafe { std::alloc::alloc(Chunk::layout(capacity)) };
        let ptr = std::ptr::NonNull::new(ptr)
            .unwrap_or_else(|| std::alloc::handle_alloc_error(Chunk::layout(capacity)));
        Chunk {
            ptr,
            capacity,
            len: AtomicUsize::new(0),
        }
    }

    fn len(&self) -> usize {
        self.len.load(Ordering::Acquire)
    }

    pub(super) fn filled(&self) -> &str {
        // SAFETY: bytes below `len` were copied from whole `&str`s and are
        // never written again.
        unsafe {
            std::str::from_utf8_unchecked(std::slice::from_raw_parts(self.ptr.as_ptr(), self.len()))
        }
    }

    /// Copies `pieces` after the filled part. Whole `&str`s one after
    /// another make UTF-8 again.
    ///
    /// # Safety
    /// The caller is the only one appending to this chunk, and the pieces
    /// fit.
    unsafe fn append(&self, pieces: &[&str]) {
        let mut len = self.len();
        for piece in pieces {
            assert!(self.capacity - len >= piece.len(), "arena chunk overrun");
            // SAFETY: `len + piece.len() <= capacity` (checked), and nothing
            // reads above the published `len` before the store below.
            unsafe {
                std::ptr::copy_nonoverlapping(
                    piece.as_ptr(),
                    self.ptr.as_ptr().add(len),
                    piece.len(),
                );
            }
            len += piece.len();
        }
        self.len.store(len, Ordering::Release);
    }
}

impl Drop for Chunk {
    fn drop(&mut self) {
        // SAFETY: allocated in `Chunk::new` with this layout.
        unsafe { std::alloc::dealloc(self.ptr.as_ptr(), Chunk::layout(self.capacity)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Enough texts to fill several chunks, fewer under Miri, which runs
    /// about a thousand times slower.
    const MANY: usize = if cfg!(miri) { 3_000 } else { 20_000 };

    #[test]
    fn arena_texts_stay_put_across_chunks() {
        let texts: Vec<String> = (0..MANY).map(|i| format!("line {i} ✓")).collect();
        let shared: Vec<SharedStr> = texts.iter().map(|t| SharedStr::from(t.as_str())).collect();
        for (text, shared) in texts.iter().zip(&shared) {
            assert_eq!(shared.as_str(), text);
        }
        let long = "x".repeat(COPY_MAX + 1);
        assert_eq!(SharedStr::from(long.clone()).as_str(), long);
        assert_eq!(SharedStr::from("").as_str(), "");
        assert_eq!(SharedStr::concat(&["a", "é", "b"]).as_str(), "aéb");
    }

    #[test]
    fn arena_texts_are_read_on_other_threads() {
        let shared: Vec<SharedStr> = (0..1000).map(|i| SharedStr::from(format!("{i}"))).collect();
        let joined =
            std::thread::spawn(move || shared.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                .join()
                .unwrap();
        assert_eq!(joined[999], "999");
    }

    /// Another thread reads the texts of a chunk while this one goes on
    /// appending to the same chunk: what the `Release` store of `len` and
    /// the `Sync` of `Chunk` promise.
    #[test]
    fn a_chunk_is_read_while_its_arena_appends() {
        let (send, receive) = std::sync::mpsc::channel::<(usize, SharedStr)>();
        let reader = std::thread::spawn(move || {
            let mut seen = 0;
            for (i, text) in receive {
                assert_eq!(text.as_str(), format!("text {i}"));
                seen += 1;
            }
            seen
        });
        for i in 0..MANY / 4 {
            send.send((i, SharedStr::from(format!("text {i}"))))
                .unwrap();
        }
        drop(send);
        assert_eq!(reader.join().unwrap(), MANY / 4);
    }
}
