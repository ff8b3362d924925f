//! Cheap shared text: slices of a loaded log file that entries point into, and
//! interned names for reasons and indexes.

use std::fmt;
use std::ops::{Deref, Range};
use std::sync::Arc;

/// A slice of a shared string. Entries of a loaded file all point into the one
/// buffer the file was read into, so loading copies no action text.
#[derive(Clone)]
pub struct SharedStr {
    buf: Arc<String>,
    start: usize,
    len: u32,
}

impl SharedStr {
    /// The whole of `buf`.
    pub fn whole(buf: Arc<String>) -> Self {
        let len = u32::try_from(buf.len()).expect("text over 4 GiB");
        SharedStr { buf, start: 0, len }
    }

    /// `range` of `buf`. Panics if the range is over 4 GiB or not on char
    /// boundaries; callers pass spans from the JSON scanner.
    pub fn slice_of(buf: &Arc<String>, range: Range<usize>) -> Self {
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
        SharedStr::whole(Arc::new(text))
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
    by_name: std::collections::HashMap<Arc<str>, Symbol>,
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
}
