//! Cheap shared text: slices of a loaded log file that entries point into, and
//! interned names for reasons and indexes.

use std::fmt;
use std::fs::File;
use std::ops::{Deref, Range};
use std::sync::Arc;

mod arena;
mod mapped;

pub(crate) use arena::Chunk;
pub use mapped::MappedBytes;
pub(crate) use mapped::MappedText;

/// Checked UTF-8 text: a string, a file mapped into memory, or a chunk of
/// the text arena. A big log is mapped rather than read, which spares
/// copying it and zeroing the memory to copy it into.
pub(crate) enum Buffer {
    Heap(String),
    Mapped(MappedText),
    Arena(Chunk),
}

/// Where text stops being UTF-8: the byte offset, the 1-based line, and the
/// 1-based byte within the line (a byte order mark at the start of the
/// first line not counted, as the lines of a log do not count it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NotUtf8 {
    pub(crate) offset: usize,
    pub(crate) line: usize,
    pub(crate) column: usize,
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
    pub(crate) fn line_start(&self) -> usize {
        if self.line == 1 {
            0
        } else {
            self.offset + 1 - self.column
        }
    }

    /// The message every reader gives for it.
    pub(crate) fn message(&self) -> String {
        format!("invalid UTF-8 at byte {}", self.column)
    }
}

impl Buffer {
    pub(crate) fn from_bytes(bytes: Vec<u8>) -> Result<Buffer, NotUtf8> {
        String::from_utf8(bytes)
            .map(Buffer::Heap)
            .map_err(|e| NotUtf8::of(e.as_bytes(), e.utf8_error()))
    }

    /// Maps `file` and checks that it is UTF-8, under the contract of
    /// [`MappedText::map`].
    pub(crate) fn map(file: &File) -> std::io::Result<Result<Buffer, NotUtf8>> {
        Ok(MappedText::map(file)?.map(Buffer::Mapped))
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
        if let Buffer::Mapped(map) = self {
            map.release(range);
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
#[non_exhaustive]
pub enum RawBytes {
    /// Read into memory.
    Heap(Vec<u8>),
    /// Mapped from the file.
    Mapped(MappedBytes),
}

impl RawBytes {
    /// The bytes, wherever they are.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            RawBytes::Heap(bytes) => bytes,
            RawBytes::Mapped(map) => map.as_bytes(),
        }
    }

    /// The bytes as a [`Buffer`] if they are all UTF-8, else given back.
    pub(crate) fn into_buffer(self) -> Result<Buffer, RawBytes> {
        match self {
            RawBytes::Heap(bytes) => String::from_utf8(bytes)
                .map(Buffer::Heap)
                .map_err(|e| RawBytes::Heap(e.into_bytes())),
            RawBytes::Mapped(map) => MappedText::checked(map)
                .map(Buffer::Mapped)
                .map_err(RawBytes::Mapped),
        }
    }
}

impl Deref for Buffer {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Buffer::Heap(text) => text,
            Buffer::Mapped(map) => map.as_str(),
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
    // A usize, not a u32: the struct is 24 bytes either way, and no text
    // is too long for it.
    len: usize,
}

const _: () = assert!(std::mem::size_of::<SharedStr>() == 24);

impl SharedStr {
    /// The whole of `buf`.
    pub(crate) fn whole(buf: Arc<Buffer>) -> Self {
        let len = buf.len();
        SharedStr { buf, start: 0, len }
    }

    /// `range` of `buf`. Panics if the range is not on char boundaries;
    /// callers pass spans from the JSON scanner.
    pub(crate) fn slice_of(buf: &Arc<Buffer>, range: Range<usize>) -> Self {
        assert!(buf.is_char_boundary(range.start) && buf.is_char_boundary(range.end));
        SharedStr {
            buf: Arc::clone(buf),
            start: range.start,
            len: range.len(),
        }
    }

    /// A sub-slice, `range` relative to this slice, sharing its text.
    ///
    /// # Panics
    ///
    /// If `range` goes past the slice or cuts a character.
    pub fn slice(&self, range: Range<usize>) -> Self {
        assert!(range.end <= self.len);
        SharedStr::slice_of(&self.buf, self.start + range.start..self.start + range.end)
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.buf[self.start..self.start + self.len]
    }

    /// The length in bytes, known without reading the text (slicing the
    /// text checks the bytes at its ends, which brings a mapped page in).
    pub(crate) fn byte_len(&self) -> usize {
        self.len
    }
}

impl From<String> for SharedStr {
    /// A long text keeps its own allocation; a short one is copied into the
    /// arena.
    fn from(text: String) -> Self {
        if text.len() > arena::COPY_MAX {
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
    pub(crate) fn concat(pieces: &[&str]) -> SharedStr {
        let len = pieces.iter().map(|p| p.len()).sum::<usize>();
        if len > arena::COPY_MAX {
            return SharedStr::whole(Arc::new(Buffer::Heap(pieces.concat())));
        }
        arena::copy(pieces, len)
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
    pub(crate) fn intern(&mut self, name: &str) -> Symbol {
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

    /// The name of `symbol`.
    ///
    /// # Panics
    ///
    /// If `symbol` is not one of these names': symbols of another log's
    /// names mean nothing here.
    pub fn name(&self, symbol: Symbol) -> &str {
        &self.names[symbol.0 as usize]
    }

    /// Interns every name of `other`; the result maps each symbol of
    /// `other` (by its number) to the symbol here.
    pub(crate) fn merge(&mut self, other: &Symbols) -> Vec<Symbol> {
        other.names.iter().map(|name| self.intern(name)).collect()
    }
}

impl Symbol {
    /// The symbol in another table, through a map from [`Symbols::merge`].
    pub(crate) fn remapped(self, map: &[Symbol]) -> Symbol {
        map[self.0 as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
