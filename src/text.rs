//! Cheap shared text: slices of a loaded log file that entries point into, and
//! interned names for reasons and indexes.

use std::fmt;
use std::fs::File;
use std::ops::{Deref, Range};
use std::sync::Arc;

/// Checked UTF-8 text: a string, a file mapped into memory, or a chunk of
/// the text arena. A big log is mapped rather than read, which spares
/// copying it and zeroing the memory to copy it into.
pub enum Buffer {
    Heap(String),
    Mapped(memmap2::Mmap),
    Arena(Chunk),
}

/// Where text stops being UTF-8: the byte offset, the 1-based line, and the
/// 1-based byte within the line (a byte order mark at the start of the
/// first line not counted, as the lines of a log do not count it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotUtf8 {
    pub offset: usize,
    pub line: usize,
    pub column: usize,
}

impl NotUtf8 {
    pub(crate) fn of(bytes: &[u8], error: std::str::Utf8Error) -> Self {
        let offset = error.valid_up_to();
        let line = memchr::memchr_iter(b'\n', &bytes[..offset]).count() + 1;
        let line_start = memchr::memrchr(b'\n', &bytes[..offset])
            .map_or_else(|| crate::store::format::content_start(bytes), |i| i + 1);
        NotUtf8 {
            offset,
            line,
            column: offset - line_start + 1,
        }
    }

    /// Where its line starts in the bytes it was found in.
    pub fn line_start(&self) -> usize {
        if self.line == 1 {
            0
        } else {
            self.offset + 1 - self.column
        }
    }

    /// The message every reader gives for it.
    pub fn message(&self) -> String {
        format!("invalid UTF-8 at byte {}", self.column)
    }
}

impl Buffer {
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Buffer, NotUtf8> {
        String::from_utf8(bytes)
            .map(Buffer::Heap)
            .map_err(|e| NotUtf8::of(e.as_bytes(), e.utf8_error()))
    }

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
    pub fn map(file: &File) -> std::io::Result<Result<Buffer, NotUtf8>> {
        // SAFETY: see above; the bytes are only read.
        let map = unsafe { memmap2::MmapOptions::new().populate().map(file)? };
        Ok(match std::str::from_utf8(&map) {
            Ok(_) => Ok(Buffer::Mapped(map)),
            Err(e) => Err(NotUtf8::of(&map, e)),
        })
    }
}

impl Buffer {
    /// Lets go of the pages of a mapped buffer that lie wholly inside
    /// `range`: they leave the process's memory (a mapped file's pages
    /// count in it as they are read), and reading them again maps them
    /// again from the file. Under the contract of [`Buffer::map`] the file
    /// does not change, so every slice still reads the same bytes. For a
    /// buffer in the heap, nothing.
    pub(crate) fn release(&self, range: Range<usize>) {
        // A multiple of every page size in use (4, 16 and 64 KiB).
        const ALIGN: usize = 64 << 10;
        let Buffer::Mapped(map) = self else {
            return;
        };
        let start = range.start.next_multiple_of(ALIGN);
        let end = range.end.min(map.len()) / ALIGN * ALIGN;
        if start < end {
            // SAFETY: the map is a shared, read-only map of a file, never
            // written through. MADV_DONTNEED only unmaps its pages; the next
            // read of one faults it in again from the file, which the lock
            // keeps unchanged while the map lives (see `Buffer::map`): the
            // bytes every reference sees stay the same. Failing, it changes
            // nothing, and memory is all it would have saved.
            let _ = unsafe {
                map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, start, end - start)
            };
        }
    }
}

/// Lets go of the pages of mapped text behind a pass that reads it from
/// its start to its end ([`Buffer::release`]), a stretch at a time, and of
/// what is left of the stretch it went through when dropped: a pass over
/// the entries of a big log would otherwise bring the whole file back into
/// memory beside them.
#[derive(Default)]
pub(crate) struct ReleaseBehind {
    buf: Option<Arc<Buffer>>,
    done: usize,
    /// The furthest the pass has reached.
    furthest: usize,
    /// Where the pass ends, if known; else at the furthest it reached.
    end: Option<usize>,
}

impl ReleaseBehind {
    /// How much is let go of at a time.
    const STRETCH: usize = 16 << 20;

    /// A pass through `range` of `buf`.
    pub(crate) fn over(buf: &Arc<Buffer>, range: Range<usize>) -> Self {
        ReleaseBehind {
            buf: Some(Arc::clone(buf)),
            done: range.start,
            furthest: range.start,
            end: Some(range.end),
        }
    }

    /// The pass has reached offset `at` of `buf`.
    pub(crate) fn reached(&mut self, buf: &Arc<Buffer>, at: usize) {
        if !matches!(**buf, Buffer::Mapped(_)) {
            return;
        }
        match &self.buf {
            Some(current) if Arc::ptr_eq(current, buf) => {}
            // Only what the pass goes through is let go of: a pass that
            // looks at a few entries leaves the rest of the file alone.
            _ => {
                *self = ReleaseBehind {
                    buf: Some(Arc::clone(buf)),
                    done: at,
                    furthest: at,
                    end: None,
                };
            }
        }
        self.furthest = self.furthest.max(at);
        if at >= self.done + Self::STRETCH {
            buf.release(self.done..at);
            self.done = at;
        }
    }

    /// The pass has reached `text`.
    pub(crate) fn reached_text(&mut self, text: &SharedStr) {
        self.reached(&text.buf, text.start);
    }
}

impl Drop for ReleaseBehind {
    fn drop(&mut self) {
        if let Some(buf) = self.buf.take() {
            buf.release(self.done..self.end.unwrap_or(self.furthest));
        }
    }
}

/// The entries of `slots` with their slots, letting go of the mapped text
/// behind them as the pass goes ([`ReleaseBehind`]): for a pass that reads
/// every entry's text once.
pub(crate) fn releasing<'a>(
    slots: &'a [Option<crate::entry::Entry>],
) -> impl Iterator<Item = (usize, &'a crate::entry::Entry)> + 'a {
    let mut behind = ReleaseBehind::default();
    slots.iter().enumerate().filter_map(move |(slot, entry)| {
        let entry = entry.as_ref()?;
        if slot % 4096 == 0 {
            behind.reached_text(entry.shared_line());
        }
        Some((slot, entry))
    })
}

/// The bytes of a file, mapped or read, not yet known to be UTF-8: what
/// checking a damaged log starts from.
pub enum RawBytes {
    Heap(Vec<u8>),
    Mapped(memmap2::Mmap),
}

impl RawBytes {
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            RawBytes::Heap(bytes) => bytes,
            RawBytes::Mapped(map) => map,
        }
    }

    /// The bytes as a [`Buffer`] if they are all UTF-8, else given back.
    pub fn into_buffer(self) -> Result<Buffer, RawBytes> {
        match self {
            RawBytes::Heap(bytes) => String::from_utf8(bytes)
                .map(Buffer::Heap)
                .map_err(|e| RawBytes::Heap(e.into_bytes())),
            RawBytes::Mapped(map) => match std::str::from_utf8(&map) {
                Ok(_) => Ok(Buffer::Mapped(map)),
                Err(_) => Err(RawBytes::Mapped(map)),
            },
        }
    }
}

impl Deref for Buffer {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Buffer::Heap(text) => text,
            // SAFETY: checked to be UTF-8 when the buffer was made, and
            // unchanged since under the contract of `Buffer::map`.
            Buffer::Mapped(map) => unsafe { std::str::from_utf8_unchecked(map) },
            Buffer::Arena(chunk) => chunk.filled(),
        }
    }
}

impl fmt::Debug for Buffer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Buffer({} bytes)", self.len())
    }
}

/// A slice of a shared buffer. Entries of a loaded file all point into the
/// one buffer the file was read into, so loading copies no action text.
#[derive(Clone)]
pub struct SharedStr {
    buf: Arc<Buffer>,
    start: usize,
    len: u32,
}

impl SharedStr {
    /// The whole of `buf`.
    pub fn whole(buf: Arc<Buffer>) -> Self {
        let len = u32::try_from(buf.len()).expect("text over 4 GiB");
        SharedStr { buf, start: 0, len }
    }

    /// `range` of `buf`. Panics if the range is over 4 GiB or not on char
    /// boundaries; callers pass spans from the JSON scanner.
    pub fn slice_of(buf: &Arc<Buffer>, range: Range<usize>) -> Self {
        assert!(buf.is_char_boundary(range.start) && buf.is_char_boundary(range.end));
        let len = u32::try_from(range.len()).expect("text over 4 GiB");
        SharedStr {
            buf: Arc::clone(buf),
            start: range.start,
            len,
        }
    }

    /// A sub-slice, `range` relative to this slice.
    pub fn slice(&self, range: Range<usize>) -> Self {
        assert!(range.end <= self.len as usize);
        SharedStr::slice_of(&self.buf, self.start + range.start..self.start + range.end)
    }

    pub fn as_str(&self) -> &str {
        &self.buf[self.start..self.start + self.len as usize]
    }

    /// The length in bytes, known without reading the text (slicing the
    /// text checks the bytes at its ends, which brings a mapped page in).
    pub fn byte_len(&self) -> usize {
        self.len as usize
    }
}

impl From<String> for SharedStr {
    /// A long text keeps its own allocation; a short one is copied into the
    /// arena.
    fn from(text: String) -> Self {
        if text.len() > ARENA_COPY_MAX {
            SharedStr::whole(Arc::new(Buffer::Heap(text)))
        } else {
            SharedStr::from(text.as_str())
        }
    }
}

impl From<&str> for SharedStr {
    fn from(text: &str) -> Self {
        SharedStr::concat(&[text])
    }
}

impl SharedStr {
    /// `pieces` one after another, copied into one new text.
    pub fn concat(pieces: &[&str]) -> SharedStr {
        let len = pieces.iter().map(|p| p.len()).sum::<usize>();
        if len > ARENA_COPY_MAX {
            return SharedStr::whole(Arc::new(Buffer::Heap(pieces.concat())));
        }
        ARENA.with(|arena| arena.borrow_mut().push(pieces, len))
    }
}

/// Texts up to this long go into the arena.
const ARENA_COPY_MAX: usize = 16 * 1024;
/// The first chunk of a thread's arena, and the largest: a command that
/// makes a few texts takes little, one that makes a million takes a chunk
/// per megabyte.
const CHUNK_MIN: usize = 16 * 1024;
const CHUNK_MAX: usize = 1024 * 1024;

thread_local! {
    static ARENA: std::cell::RefCell<Arena> = const { std::cell::RefCell::new(Arena { chunk: None }) };
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
pub struct Chunk {
    ptr: std::ptr::NonNull<u8>,
    capacity: usize,
    len: std::sync::atomic::AtomicUsize,
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
            len: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    fn len(&self) -> usize {
        self.len.load(std::sync::atomic::Ordering::Acquire)
    }

    fn filled(&self) -> &str {
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
        self.len.store(len, std::sync::atomic::Ordering::Release);
    }
}

impl Drop for Chunk {
    fn drop(&mut self) {
        // SAFETY: allocated in `Chunk::new` with this layout.
        unsafe { std::alloc::dealloc(self.ptr.as_ptr(), Chunk::layout(self.capacity)) }
    }
}

impl Deref for SharedStr {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq for SharedStr {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SharedStr {}

/// An interned name (a reason or an index).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Symbol(u32);

impl Symbol {
    /// A name read but not kept, by reads that only count names.
    pub(crate) const UNNAMED: Symbol = Symbol(u32::MAX);
}

/// Names seen in one log. Reasons and indexes repeat across many entries, so
/// entries keep 4-byte symbols instead of strings.
#[derive(Debug, Default, Clone)]
pub struct Symbols {
    by_name: hashbrown::HashMap<Arc<str>, Symbol>,
    names: Vec<Arc<str>>,
}

impl Symbols {
    pub fn intern(&mut self, name: &str) -> Symbol {
        if let Some(&symbol) = self.by_name.get(name) {
            return symbol;
        }
        let symbol = Symbol(u32::try_from(self.names.len()).expect("over 4 billion names"));
        let name: Arc<str> = Arc::from(name);
        self.names.push(Arc::clone(&name));
        self.by_name.insert(name, symbol);
        symbol
    }

    /// The symbol of `name` if the log has ever seen it.
    pub fn get(&self, name: &str) -> Option<Symbol> {
        self.by_name.get(name).copied()
    }

    pub fn name(&self, symbol: Symbol) -> &str {
        &self.names[symbol.0 as usize]
    }

    /// Interns every name of `other`; the result maps each symbol of
    /// `other` (by its number) to the symbol here.
    pub fn merge(&mut self, other: &Symbols) -> Vec<Symbol> {
        other.names.iter().map(|name| self.intern(name)).collect()
    }
}

impl Symbol {
    /// The symbol in another table, through a map from [`Symbols::merge`].
    pub fn remapped(self, map: &[Symbol]) -> Symbol {
        map[self.0 as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arena_texts_stay_put_across_chunks() {
        let texts: Vec<String> = (0..20_000).map(|i| format!("line {i} ✓")).collect();
        let shared: Vec<SharedStr> = texts.iter().map(|t| SharedStr::from(t.as_str())).collect();
        for (text, shared) in texts.iter().zip(&shared) {
            assert_eq!(shared.as_str(), text);
        }
        let long = "x".repeat(ARENA_COPY_MAX + 1);
        assert_eq!(SharedStr::from(long.clone()).as_str(), long);
        assert_eq!(SharedStr::from("").as_str(), "");
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

    #[test]
    fn a_mapped_text_let_go_of_reads_the_same_again() {
        use std::io::Write;
        // Lines of varying length over several stretches, not on page
        // boundaries.
        let text: String = (0..700_000u32)
            .map(|i| format!("line {i} {:40}{}\n", "", "é".repeat((i % 17) as usize)))
            .collect();
        assert!(text.len() > 2 * ReleaseBehind::STRETCH);
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(text.as_bytes()).unwrap();
        let buf = Arc::new(Buffer::map(&file).unwrap().unwrap());
        let lines: Vec<SharedStr> = text
            .split_inclusive('\n')
            .scan(0, |start, line| {
                let range = *start..*start + line.len();
                *start = range.end;
                Some(SharedStr::slice_of(&buf, range))
            })
            .collect();
        {
            let mut behind = ReleaseBehind::over(&buf, 3..buf.len() - 5);
            for line in &lines {
                behind.reached_text(line);
                assert!(line.as_str().starts_with("line "));
            }
        }
        buf.release(1..buf.len() - 1);
        buf.release(0..0);
        assert_eq!(&**buf, text);
        assert_eq!(
            lines.iter().map(SharedStr::as_str).collect::<String>(),
            text
        );
        // A buffer in the heap has nothing to let go of.
        let heap = Arc::new(Buffer::Heap(text.clone()));
        heap.release(0..heap.len());
        assert_eq!(&**heap, text);
    }
}
