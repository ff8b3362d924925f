//! Cheap shared text: slices of a loaded log file that entries point into, and
//! interned names for reasons and indexes.

use std::fmt;
use std::fs::File;
use std::ops::{Deref, Range};
use std::sync::Arc;

/// Checked UTF-8 text: a string, or a file mapped into memory. A big log is
/// mapped rather than read, which spares copying it and zeroing the memory
/// to copy it into.
pub enum Buffer {
    Heap(String),
    Mapped(memmap2::Mmap),
}

/// Where text stops being UTF-8: the byte offset and the 1-based line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotUtf8 {
    pub offset: usize,
    pub line: usize,
}

impl NotUtf8 {
    fn of(bytes: &[u8], error: std::str::Utf8Error) -> Self {
        let offset = error.valid_up_to();
        let line = memchr::memchr_iter(b'\n', &bytes[..offset]).count() + 1;
        NotUtf8 { offset, line }
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
    /// The map shows the file as it is on disk, so it must not change while
    /// mapped. Logs are only changed under the log's exclusive lock, by
    /// appending or by renaming a new file over the old one, and neither
    /// touches the bytes of a file another process holds mapped.
    pub fn map(file: &File) -> std::io::Result<Result<Buffer, NotUtf8>> {
        // SAFETY: see above; the bytes are only read.
        let map = unsafe { memmap2::MmapOptions::new().populate().map(file)? };
        Ok(match std::str::from_utf8(&map) {
            Ok(_) => Ok(Buffer::Mapped(map)),
            Err(e) => Err(NotUtf8::of(&map, e)),
        })
    }
}

impl Deref for Buffer {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Buffer::Heap(text) => text,
            // SAFETY: checked to be UTF-8 when the buffer was made.
            Buffer::Mapped(map) => unsafe { std::str::from_utf8_unchecked(map) },
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
}

impl From<String> for SharedStr {
    fn from(text: String) -> Self {
        SharedStr::whole(Arc::new(Buffer::Heap(text)))
    }
}

impl From<&str> for SharedStr {
    fn from(text: &str) -> Self {
        SharedStr::from(text.to_owned())
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
