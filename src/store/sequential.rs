//! The sequential read of a big log, for commands that look at each entry
//! once, in added order, and keep none of them: `check`, `stats`,
//! `export` and `order --by added`.
//!
//! The compact read (`super::index`) keeps 24 bytes an entry and maps the
//! file, whose pages then count as the process's memory. Here the file is
//! read in blocks of whole lines; each line is checked as the compact read
//! checks it (`EntryFacts`) and let go. What is kept is a 64-bit hash of
//! each ID: IDs must be unique, and one pass cannot tell that without
//! remembering them. Two hashes alike, like any other doubt, leave the log
//! to the full read, which names the problem or finds none; so this read,
//! too, only ever answers "a valid log" or "not here".
//!
//! A command that prints reads the log twice, under the same lock: once to
//! know that it is a log (nothing is printed from one that is not), then
//! again to print it ([`SequentialLog::blocks`]). A command that only
//! counts does its work in the first read ([`Visit`]).

use std::fs::File;
use std::io;
use std::ops::Range;
use std::os::unix::fs::FileExt;
use std::path::PathBuf;
use std::sync::Arc;

use super::format::{self, Header, LineKind};
use super::index::{EntryFacts, header_of};
use super::lock::Lock;
use super::{FirstOfTwo, Progress, Silent, Task};
use crate::error::Error;
use crate::text::{Buffer, SharedStr};

/// How the log is cut up for reading.
#[derive(Debug, Clone, Copy)]
struct Sizes {
    /// How much is read at a time; a longer line is read whole.
    block: usize,
    /// Logs with at least this many bytes of entries are read by two
    /// threads, one half each.
    parallel_from: u64,
}

const SIZES: Sizes = Sizes {
    block: 4 << 20,
    parallel_from: 4 << 20,
};

/// How much of the file's start is read to find the header.
const HEADER_WINDOW: usize = 1 << 16;

/// What a command does with each entry during the first read, on the
/// reading threads: each thread has a state of its own, and the states
/// come back in the order of the parts of the log they saw.
pub trait Visit: Sync {
    /// What one reading thread keeps.
    type State: Send;
    /// A reading thread's state before it sees any entry.
    fn start(&self) -> Self::State;
    /// Called with each entry's `[action, meta]` text. An error leaves the
    /// log to the full read, which names what is wrong.
    fn visit(&self, state: &mut Self::State, entry: SharedStr) -> crate::Result<()>;

    /// Whether the read keeps the hash of every entry's ID for
    /// [`SequentialLog::id_hashes`], 8 bytes an entry: for a merge, which
    /// looks for the other log's IDs in its own.
    fn keeps_id_hashes(&self) -> bool {
        false
    }

    /// Whether each entry goes to [`Visit::visit_travelling`] rather than
    /// to [`Visit::visit`].
    fn keeps_travelling(&self) -> bool {
        false
    }

    /// [`Visit::visit`] with what a sync sends of the entry, found as the
    /// read checked it, its places in `entry`: for a push, which then
    /// need not read each entry again.
    fn visit_travelling(
        &self,
        state: &mut Self::State,
        entry: SharedStr,
        _travelling: crate::entry::Travelling,
    ) -> crate::Result<()> {
        self.visit(state, entry)
    }
}

/// Nothing to do with each entry: the read only checks the log.
pub struct JustCheck;

impl Visit for JustCheck {
    type State = ();
    fn start(&self) {}
    fn visit(&self, _: &mut (), _: SharedStr) -> crate::Result<()> {
        Ok(())
    }
}

/// The read only checks the log, and keeps the hash of each ID
/// ([`SequentialLog::id_hashes`]).
pub struct KeepIdHashes;

impl Visit for KeepIdHashes {
    type State = ();
    fn start(&self) {}
    fn visit(&self, _: &mut (), _: SharedStr) -> crate::Result<()> {
        Ok(())
    }
    fn keeps_id_hashes(&self) -> bool {
        true
    }
}

/// A log read, and the states its visitor ended with, by part.
pub type Visited<V> = (SequentialLog, Vec<<V as Visit>::State>);

/// What a one-pass read of a log came to.
#[non_exhaustive]
pub enum OnePass<V: Visit> {
    /// Every entry was visited, the log as it was.
    Read(Box<Visited<V>>),
    /// A big file this read does not take whole: a duplicate ID, `added`
    /// going back, a bad line, or what only the full read tells apart.
    Declined,
    /// Not a big regular file: a small one, or a stream.
    NotBig,
}

impl<V: Visit> OnePass<V> {
    /// The read log, if it was read.
    pub fn read(self) -> Option<Visited<V>> {
        match self {
            OnePass::Read(visited) => Some(*visited),
            OnePass::Declined | OnePass::NotBig => None,
        }
    }
}

/// A big log checked by one sequential read, and the lock that keeps its
/// file as it was read.
pub struct SequentialLog {
    given: PathBuf,
    file: File,
    _lock: Option<Lock>,
    header: Header,
    /// Where the lines of entries are in the file.
    entries: Range<u64>,
    count: usize,
    tight: bool,
    block: usize,
    /// The hash of each entry's ID, sorted, if the visitor asked for them.
    id_hashes: Vec<u64>,
    /// The nodes of the IDs, with their hashes.
    nodes: hashbrown::HashSet<Box<str>>,
}

impl SequentialLog {
    /// The log's header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// How many entries the log has.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether the log has no entry.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The 64-bit hash of each entry's ID (XXH3 of its text), sorted,
    /// when the visitor kept them ([`Visit::keeps_id_hashes`]); else none.
    pub fn id_hashes(&self) -> &[u64] {
        &self.id_hashes
    }

    /// The node of every entry's ID, each once, when the visitor kept
    /// the IDs' hashes; else none. An ID whose node is none of them is
    /// none of the log's, which is quicker to tell than by its hash.
    pub fn id_nodes(&self) -> impl Iterator<Item = &str> {
        self.nodes.iter().map(|node| &**node)
    }

    /// Whether each line of the entries is an entry's `[action, meta]` and
    /// nothing else (no blank line, no whitespace around it), as actionlog
    /// writes them: then a [`Block`]'s text is its entries' lines.
    pub fn is_tight(&self) -> bool {
        self.tight
    }

    /// The entries again, in blocks of whole lines in added order: read as
    /// the first time, so an error here means the file changed without
    /// taking the lock.
    pub fn blocks(&self) -> impl Iterator<Item = crate::Result<Block>> + '_ {
        let mut blocks = Blocks::new(&self.file, self.entries.clone(), self.block);
        let mut last: Option<Arc<Buffer>> = None;
        std::iter::from_fn(move || {
            // The block before's memory again, once its user let it go.
            let spare = last.take().map(into_spare).unwrap_or_default();
            let changed = || changed_while_read(&self.given);
            let bytes = match blocks.next(spare) {
                Ok(bytes) => bytes?,
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Some(Err(changed())),
                Err(e) => {
                    let context = format!("cannot read {}", self.given.display());
                    return Some(Err(Error::io(context, e)));
                }
            };
            let Ok(text) = String::from_utf8(bytes) else {
                return Some(Err(changed()));
            };
            let buf = Arc::new(Buffer::Heap(text));
            last = Some(Arc::clone(&buf));
            Some(Ok(Block(buf)))
        })
    }
}

impl SequentialLog {
    /// The entries again, one at a time, read as [`Self::blocks`] reads
    /// them, after letting go of the lock: for a command that goes over
    /// the log for a long time while others use it (a `sync` push).
    /// actionlog's writers leave the bytes read as they were meanwhile:
    /// they append after them, take back only their own unfinished
    /// appends, and replace the file by renaming another into place. A
    /// program that changes the file in place without the lock is seen
    /// only as far as the text differs from what was checked: the caller
    /// checks each entry again as it takes it.
    pub fn into_unlocked_entries(self) -> UnlockedEntries {
        let SequentialLog {
            given,
            file,
            entries,
            block,
            ..
        } = self;
        UnlockedEntries {
            blocks: Blocks::new(file, entries, block),
            given,
            ready: std::collections::VecDeque::new(),
            last: None,
        }
    }
}

/// The entries of a [`SequentialLog`], read after its lock was let go
/// (see [`SequentialLog::into_unlocked_entries`]).
pub struct UnlockedEntries {
    given: PathBuf,
    blocks: Blocks<File>,
    /// The entries of the block read last not yet taken.
    ready: std::collections::VecDeque<SharedStr>,
    /// That block, whose memory the next one reuses once its entries are
    /// let go.
    last: Option<Arc<Buffer>>,
}

impl UnlockedEntries {
    /// The file read, and how many of its bytes the read checked.
    pub(crate) fn checked_file(&self) -> (&File, u64) {
        (&self.blocks.file, self.blocks.end)
    }
}

impl Iterator for UnlockedEntries {
    /// Each entry's `[action, meta]` text, in added order; an error where
    /// the file is no longer what was read.
    type Item = crate::Result<SharedStr>;

    fn next(&mut self) -> Option<Self::Item> {
        while self.ready.is_empty() {
            let spare = self.last.take().map(into_spare).unwrap_or_default();
            let bytes = match self.blocks.next(spare) {
                Ok(bytes) => bytes?,
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                    return Some(Err(changed_while_read(&self.given)));
                }
                Err(e) => {
                    let context = format!("cannot read {}", self.given.display());
                    return Some(Err(Error::io(context, e)));
                }
            };
            let Ok(text) = String::from_utf8(bytes) else {
                return Some(Err(changed_while_read(&self.given)));
            };
            let block = Block(Arc::new(Buffer::Heap(text)));
            self.ready.extend(block.entries(0..block.text().len()));
            self.last = Some(block.0);
        }
        self.ready.pop_front().map(Ok)
    }
}

/// The error for a log file cut short while it was read (which a program
/// that takes the lock cannot do).
fn changed_while_read(given: &std::path::Path) -> Error {
    Error::Conflict(format!(
        "{} changed while it was read, by a program that did not take its lock",
        given.display()
    ))
}

/// Whole lines of a log's entries.
pub struct Block(Arc<Buffer>);

impl Block {
    /// The lines, each with its line break (but perhaps the log's last).
    pub fn text(&self) -> &str {
        &self.0
    }

    /// Where a line starts near the middle of the block, for a second
    /// thread to start at.
    pub fn middle(&self) -> usize {
        let bytes = self.0.as_bytes();
        let half = bytes.len() / 2;
        memchr::memchr(b'\n', &bytes[half..]).map_or(bytes.len(), |i| half + i + 1)
    }

    /// The `[action, meta]` text of each entry in the lines of
    /// `range` (which starts at a line's start), blank lines left out.
    ///
    /// # Panics
    ///
    /// If `range` goes past the block or does not start at a line's start.
    pub fn entries(&self, range: Range<usize>) -> impl Iterator<Item = SharedStr> + '_ {
        let bytes = self.0.as_bytes();
        format::lines(bytes, range).filter_map(move |line| {
            let start = line.start
                + bytes[line.clone()]
                    .iter()
                    .take_while(|&&b| format::is_space(b))
                    .count();
            let end = line.end
                - bytes[start..line.end]
                    .iter()
                    .rev()
                    .take_while(|&&b| format::is_space(b))
                    .count();
            (start < end).then(|| SharedStr::slice_of(&self.0, start..end))
        })
    }
}

/// Reads the log `file` (locked by `lock`, unless it is nobody's) in one
/// pass, giving every entry to `visit`: the log and the states of `visit`,
/// or `None` to leave the log to the full read.
pub(crate) fn read<V: Visit>(
    given: PathBuf,
    file: File,
    lock: Option<Lock>,
    visit: &V,
    progress: &mut dyn Progress,
) -> Result<Option<Visited<V>>, Error> {
    read_in(SIZES, given, file, lock, visit, progress)
}

fn read_in<V: Visit>(
    sizes: Sizes,
    given: PathBuf,
    file: File,
    lock: Option<Lock>,
    visit: &V,
    progress: &mut dyn Progress,
) -> Result<Option<Visited<V>>, Error> {
    let context = || format!("cannot read {}", given.display());
    let size = file.metadata().map_err(|e| Error::io(context(), e))?.len();
    progress.begin(Task::Load, size);
    let read = read_parts(sizes, &file, size, visit, progress);
    progress.end();
    let Parts {
        header,
        start,
        parts,
    } = match read {
        Ok(Some(read)) => read,
        Ok(None) => return Ok(None),
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
            return Err(changed_while_read(&given));
        }
        Err(e) => return Err(Error::io(context(), e)),
    };
    let mut states = Vec::with_capacity(parts.len());
    let mut whole: Option<Part> = None;
    for (part, state) in parts {
        whole = Some(match whole {
            None => part,
            Some(first) => match first.join(part, visit.keeps_id_hashes()) {
                Some(joined) => joined,
                None => return Ok(None),
            },
        });
        states.push(state);
    }
    let mut whole = whole.unwrap_or_else(Part::empty);
    if !visit.keeps_id_hashes() {
        whole.hashes = Vec::new();
    }
    Ok(Some((
        SequentialLog {
            given,
            file,
            _lock: lock,
            header,
            entries: start..size,
            count: whole.entries,
            tight: whole.tight,
            block: sizes.block,
            id_hashes: whole.hashes,
            nodes: whole.nodes,
        },
        states,
    )))
}

/// What the threads read: the header, where the entries start, and each
/// part and its visitor's state.
struct Parts<S> {
    header: Header,
    start: u64,
    parts: Vec<(Part, S)>,
}

/// The log as its threads read it; `None` when the full read should read
/// the log.
fn read_parts<V: Visit>(
    sizes: Sizes,
    file: &File,
    size: u64,
    visit: &V,
    progress: &mut dyn Progress,
) -> io::Result<Option<Parts<V::State>>> {
    let mut window = vec![0; HEADER_WINDOW.min(size as usize)];
    file.read_exact_at(&mut window, 0)?;
    // Whole lines only, unless the window is the whole file: a first line
    // longer than the window makes it grow.
    while (window.len() as u64) < size {
        if let Some(end) = memchr::memrchr(b'\n', &window) {
            window.truncate(end + 1);
            break;
        }
        window = vec![0; (window.len() * 4).min(size as usize)];
        file.read_exact_at(&mut window, 0)?;
    }
    let Ok(window) = std::str::from_utf8(&window) else {
        return Ok(None);
    };
    let Some((header, start)) = header_of(window) else {
        return Ok(None);
    };
    let start = start as u64;
    let middle = if size - start >= sizes.parallel_from {
        line_start_after(file, start + (size - start) / 2, size)?
    } else {
        size
    };
    let (first, second) = std::thread::scope(|scope| {
        let worker = (middle < size).then(|| {
            scope.spawn(|| {
                let mut state = visit.start();
                read_part(
                    file,
                    middle..size,
                    sizes.block,
                    visit,
                    &mut state,
                    &mut Silent,
                )
                .map(|part| part.map(|part| (part, state)))
            })
        });
        let mut state = visit.start();
        let mut whole = FirstOfTwo::new(progress, start..size, middle);
        let first = read_part(
            file,
            start..middle,
            sizes.block,
            visit,
            &mut state,
            &mut whole,
        )
        .map(|part| part.map(|part| (part, state)));
        let second = worker.map(|w| {
            // A panic there is a bug: it goes on here, to be reported as one.
            w.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        (first, second)
    });
    let Some(first) = first? else {
        return Ok(None);
    };
    let mut parts = vec![first];
    if let Some(second) = second {
        let Some(second) = second? else {
            return Ok(None);
        };
        parts.push(second);
    }
    Ok(Some(Parts {
        header,
        start,
        parts,
    }))
}

/// Where the first line starting at or after `at` starts (`size` if none).
fn line_start_after(file: &File, at: u64, size: u64) -> io::Result<u64> {
    let mut buf = vec![0; 1 << 16];
    let mut pos = at;
    while pos < size {
        let n = buf.len().min((size - pos) as usize);
        file.read_exact_at(&mut buf[..n], pos)?;
        if let Some(i) = memchr::memchr(b'\n', &buf[..n]) {
            return Ok(pos + i as u64 + 1);
        }
        pos += n as u64;
    }
    Ok(size)
}

/// What one thread found in its part of the log.
struct Part {
    /// The hash of each entry's ID, sorted.
    hashes: Vec<u64>,
    /// The nodes of the IDs, kept with their hashes.
    nodes: hashbrown::HashSet<Box<str>>,
    entries: usize,
    first_added: Option<u64>,
    last_added: Option<u64>,
    tight: bool,
}

impl Part {
    fn empty() -> Self {
        Part {
            hashes: Vec::new(),
            nodes: hashbrown::HashSet::new(),
            entries: 0,
            first_added: None,
            last_added: None,
            tight: true,
        }
    }

    /// This part and `next`, the part after it; `None` if `added` goes
    /// back between them or an ID may be in both. The hashes of both, in
    /// order, if `keep_hashes`.
    fn join(mut self, next: Part, keep_hashes: bool) -> Option<Part> {
        if let (Some(last), Some(first)) = (self.last_added, next.first_added)
            && first <= last
        {
            return None;
        }
        if share_any(&self.hashes, &next.hashes) {
            return None;
        }
        self.nodes.extend(next.nodes);
        Some(Part {
            hashes: if keep_hashes {
                merge_sorted(&self.hashes, &next.hashes)
            } else {
                Vec::new()
            },
            nodes: self.nodes,
            entries: self.entries + next.entries,
            first_added: self.first_added.or(next.first_added),
            last_added: next.last_added.or(self.last_added),
            tight: self.tight && next.tight,
        })
    }
}

/// Two sorted lists as one.
fn merge_sorted(a: &[u64], b: &[u64]) -> Vec<u64> {
    let mut merged = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] <= b[j] {
            merged.push(a[i]);
            i += 1;
        } else {
            merged.push(b[j]);
            j += 1;
        }
    }
    merged.extend_from_slice(&a[i..]);
    merged.extend_from_slice(&b[j..]);
    merged
}

/// Whether two sorted lists have a value in common.
fn share_any(a: &[u64], b: &[u64]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// Reads the entries in the lines of `range`; `None` at any doubt.
fn read_part<V: Visit>(
    file: &File,
    range: Range<u64>,
    block: usize,
    visit: &V,
    state: &mut V::State,
    progress: &mut dyn Progress,
) -> io::Result<Option<Part>> {
    let mut part = Part::empty();
    let mut blocks = Blocks::new(file, range, block);
    let mut spare = Vec::new();
    while let Some(bytes) = blocks.next(spare)? {
        let Ok(text) = String::from_utf8(bytes) else {
            return Ok(None);
        };
        let buf = Arc::new(Buffer::Heap(text));
        if read_block(&buf, visit, state, &mut part).is_none() {
            return Ok(None);
        }
        progress.advance(blocks.pos);
        spare = into_spare(buf);
    }
    part.hashes.sort_unstable();
    if part.hashes.windows(2).any(|pair| pair[0] == pair[1]) {
        return Ok(None);
    }
    Ok(Some(part))
}

/// Reads the entries of one block into `part`.
fn read_block<V: Visit>(
    buf: &Arc<Buffer>,
    visit: &V,
    state: &mut V::State,
    part: &mut Part,
) -> Option<()> {
    let bytes = buf.as_bytes();
    for line in format::lines(bytes, 0..bytes.len()) {
        if format::classify(&bytes[line.clone()], false).ok()? == LineKind::Blank {
            part.tight = false;
            continue;
        }
        let entry = EntryFacts::of(&buf[line.clone()])?;
        if part.last_added.is_some_and(|last| entry.added <= last) {
            return None;
        }
        part.first_added.get_or_insert(entry.added);
        part.last_added = Some(entry.added);
        part.entries += 1;
        part.hashes.push(entry.id_hash());
        if visit.keeps_id_hashes() && !part.nodes.contains(entry.node) {
            part.nodes.insert(entry.node.into());
        }
        part.tight &= entry.array.len() == line.len();
        let array = line.start + entry.array.start..line.start + entry.array.end;
        let text = SharedStr::slice_of(buf, array);
        if visit.keeps_travelling() {
            let travelling = entry.travelling.shifted(entry.array.start);
            visit.visit_travelling(state, text, travelling).ok()?;
        } else {
            visit.visit(state, text).ok()?;
        }
    }
    Some(())
}

/// A block's memory for the next block, if nothing else holds it.
fn into_spare(buf: Arc<Buffer>) -> Vec<u8> {
    match Arc::try_unwrap(buf) {
        Ok(Buffer::Heap(text)) => text.into_bytes(),
        _ => Vec::new(),
    }
}

/// Reads part of a file (`&File` or `File`) as blocks of whole lines.
struct Blocks<F> {
    file: F,
    pos: u64,
    end: u64,
    /// The start of a line the block before cut off.
    carry: Vec<u8>,
    block: usize,
}

impl<F: std::borrow::Borrow<File>> Blocks<F> {
    fn new(file: F, range: Range<u64>, block: usize) -> Self {
        Blocks {
            file,
            pos: range.start,
            end: range.end,
            carry: Vec::new(),
            block,
        }
    }

    /// The next block, in `spare`'s memory: whole lines, and the part's
    /// last line even without its line break. `None` at the end. A file
    /// shorter than the part is an `UnexpectedEof` error.
    fn next(&mut self, spare: Vec<u8>) -> io::Result<Option<Vec<u8>>> {
        let mut buf = spare;
        buf.clear();
        buf.append(&mut self.carry);
        loop {
            if self.pos == self.end {
                return Ok((!buf.is_empty()).then_some(buf));
            }
            let held = buf.len();
            // At least as much as is held: a long line takes few reads.
            let want = self
                .block
                .max(held)
                .min(usize::try_from(self.end - self.pos).unwrap_or(usize::MAX));
            buf.resize(held + want, 0);
            self.file
                .borrow()
                .read_exact_at(&mut buf[held..], self.pos)?;
            self.pos += want as u64;
            if let Some(last) = memchr::memrchr(b'\n', &buf[held..]) {
                let cut = held + last + 1;
                self.carry.extend_from_slice(&buf[cut..]);
                buf.truncate(cut);
                return Ok(Some(buf));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::path::Path;

    use proptest::prelude::*;

    use super::*;
    use crate::log::Order;

    /// Keeps the text of every entry it is given.
    struct Collect;

    impl Visit for Collect {
        type State = Vec<String>;
        fn start(&self) -> Vec<String> {
            Vec::new()
        }
        fn visit(&self, seen: &mut Vec<String>, entry: SharedStr) -> crate::Result<()> {
            seen.push(entry.to_string());
            Ok(())
        }
    }

    /// One line of a generated log.
    #[derive(Debug, Clone)]
    enum Line {
        /// An entry: its ID's number (a small pool, so that some repeat),
        /// padding, whether `added` steps back, and how it is written.
        Entry {
            id: u8,
            pad: usize,
            back: bool,
            shape: u8,
        },
        Blank,
        Broken,
    }

    fn line() -> impl Strategy<Value = Line> {
        prop_oneof![
            60 => (0u8..250, 0usize..90, proptest::bool::weighted(0.005), 0u8..20)
                .prop_map(|(id, pad, back, shape)| Line::Entry { id, pad, back, shape }),
            2 => Just(Line::Blank),
            1 => Just(Line::Broken),
        ]
    }

    /// The log's text, and whether the sequential read must take it when
    /// the full read does (no line it leaves to the full read).
    fn log_text(header: bool, lines: &[Line], last_break: bool) -> (String, bool) {
        let mut text = String::new();
        if header {
            text.push_str("{\"actionlog\":1,\"lastAdded\":0}\n");
        }
        let mut plain = true;
        let mut added = 0;
        for line in lines {
            match line {
                Line::Entry {
                    id,
                    pad,
                    back,
                    shape,
                } => {
                    added = if *back { added.max(1) - 1 } else { added + 1 };
                    let id = format!("{} n{} 0", 1000 + u32::from(*id), id % 7);
                    let pad = "x".repeat(*pad);
                    let entry = match shape {
                        // Spaces around, a carriage return, spaces inside.
                        0 => {
                            format!(" [{{\"type\":\"a\"}},{{\"id\":\"{id}\",\"added\":{added}}}]\t")
                        }
                        1 => {
                            format!("[{{\"type\":\"a\"}},{{\"id\":\"{id}\",\"added\":{added}}}]\r")
                        }
                        2 => format!(
                            "[ {{\"type\" : \"a\"}} , {{\"id\":\"{id}\", \"added\":{added}}} ]"
                        ),
                        // What the full read takes and this read leaves.
                        3 => {
                            plain = false;
                            format!(
                                "[{{\"type\":\"a\"}},{{\"id\":\"{}\\u0020{}\",\"added\":{added}}}]",
                                &id[..4],
                                &id[5..]
                            )
                        }
                        4 => {
                            plain = false;
                            format!("[{{\"type\":\"a\"}},{{\"id\":\"{id}\"}}]")
                        }
                        _ => format!(
                            "[{{\"type\":\"a\",\"p\":\"{pad}\"}},{{\"id\":\"{id}\",\"time\":{added},\"reasons\":[\"r\"],\"added\":{added}}}]"
                        ),
                    };
                    text.push_str(&entry);
                }
                Line::Blank => text.push_str("  "),
                Line::Broken => text.push_str("[{\"type\":\"a\"},{\"id\":"),
            }
            text.push('\n');
        }
        if !last_break && text.ends_with('\n') && !lines.is_empty() {
            text.pop();
        }
        (text, plain)
    }

    fn read_text(text: &str, sizes: Sizes) -> (tempfile::NamedTempFile, Option<Visited<Collect>>) {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(text.as_bytes()).unwrap();
        let opened = File::open(file.path()).unwrap();
        let read = read_in(sizes, "log".into(), opened, None, &Collect, &mut Silent).unwrap();
        (file, read)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn the_sequential_read_takes_what_the_full_read_takes_and_gives_its_entries(
            header in any::<bool>(),
            lines in proptest::collection::vec(line(), 0..60),
            last_break in any::<bool>(),
            block in 8usize..400,
            parallel_from in 0u64..3_000,
        ) {
            let (text, plain) = log_text(header, &lines, last_break);
            let full = super::super::parse(text.as_bytes().to_vec(), Path::new("log"));
            let (_file, read) = read_text(&text, Sizes { block, parallel_from });
            match (&full, read) {
                (Ok(stored), Some((log, seen))) => {
                    let lines: Vec<String> = stored
                        .log
                        .entries(Order::Added, None)
                        .map(|e| e.line().into_owned())
                        .collect();
                    prop_assert_eq!(log.len(), lines.len());
                    prop_assert_eq!(&seen.concat(), &lines);
                    let mut again = Vec::new();
                    let mut joined = String::new();
                    for block in log.blocks() {
                        let block = block.unwrap();
                        joined.push_str(block.text());
                        let middle = block.middle();
                        again.extend(block.entries(0..middle).map(|e| e.to_string()));
                        again.extend(block.entries(middle..block.text().len()).map(|e| e.to_string()));
                    }
                    prop_assert_eq!(&again, &lines);
                    if log.is_tight() {
                        let mut expected = lines.join("\n");
                        if last_break && !lines.is_empty() {
                            expected.push('\n');
                        }
                        prop_assert_eq!(joined, expected);
                    }
                }
                (Ok(_), None) => prop_assert!(!plain, "a plain log left to the full read"),
                (Err(_), Some(_)) => prop_assert!(false, "took a log the full read refuses: {:?}", full.err()),
                (Err(_), None) => {}
            }
        }
    }

    /// A valid log of `entries` entries, tight.
    fn valid_log(entries: u8) -> String {
        let lines: Vec<Line> = (0..entries)
            .map(|id| Line::Entry {
                id,
                pad: 50,
                back: false,
                shape: 9,
            })
            .collect();
        log_text(true, &lines, true).0
    }

    #[test]
    fn a_duplicate_or_added_going_back_in_either_part_or_across_them_is_left_to_the_full_read() {
        let text = valid_log(200);
        let sizes = Sizes {
            block: 300,
            parallel_from: 0,
        };
        let (_file, read) = read_text(&text, sizes);
        assert_eq!(read.expect("a valid log").0.len(), 200);
        let lines: Vec<&str> = text.lines().collect();
        let last_added = |i: usize| format!("\"added\":{}}}]", i);
        // Line 1 is the first entry, 200 the last; the second part starts
        // at line `seam`.
        let start = lines[0].len() + 1;
        let half = start + (text.len() - start) / 2;
        let seam = text[..half].matches('\n').count() + 1;
        assert!((90..110).contains(&seam));
        for (at, from) in [(2, 1), (150, 1), (150, 120), (seam, seam - 1)] {
            // The entry on line `at` given the ID of the entry on `from`.
            let id_of = |line: &str| {
                line[line.find("\"id\":").unwrap()..line.find(",\"time").unwrap()].to_owned()
            };
            let mut duplicate = lines.clone();
            let changed = lines[at].replace(&id_of(lines[at]), &id_of(lines[from]));
            duplicate[at] = &changed;
            let duplicate = duplicate.join("\n") + "\n";
            assert!(super::super::parse(duplicate.as_bytes().to_vec(), Path::new("log")).is_err());
            assert!(read_text(&duplicate, sizes).1.is_none(), "{at} {from}");
            // The entry on line `at` added as the one on `from`.
            let mut back = lines.clone();
            let changed = lines[at].replace(&last_added(at), &last_added(from));
            back[at] = &changed;
            let back = back.join("\n") + "\n";
            assert!(super::super::parse(back.as_bytes().to_vec(), Path::new("log")).is_err());
            assert!(read_text(&back, sizes).1.is_none(), "{at} {from}");
        }
    }

    #[test]
    fn a_first_line_longer_than_the_header_window_is_read() {
        let entry = |n: usize, pad: usize| {
            format!(
                "[{{\"type\":\"a\",\"p\":\"{}\"}},{{\"id\":\"{n} a 0\",\"time\":{n},\"added\":{n}}}]\n",
                "x".repeat(pad)
            )
        };
        let rest: String = (2..=20).map(|n| entry(n, 10)).collect();
        let long = entry(1, 3 * super::HEADER_WINDOW);
        let header = "{\"actionlog\":1,\"lastAdded\":20}\n";
        // The long line first, and after a header.
        for log in [format!("{long}{rest}"), format!("{header}{long}{rest}")] {
            let full = super::super::parse(log.as_bytes().to_vec(), Path::new("log"));
            assert!(full.is_ok(), "{:?}", full.err());
            let (_file, read) = read_text(&log, SIZES);
            let (read, seen) = read.expect("a valid log");
            assert_eq!(read.len(), 20);
            assert_eq!(seen.concat()[0].len(), long.len() - 1);
        }
    }

    #[test]
    fn the_first_of_two_threads_reports_for_the_whole_range() {
        #[derive(Default)]
        struct Heard(Vec<u64>);
        impl Progress for Heard {
            fn advance(&mut self, done: u64) {
                self.0.push(done);
            }
        }
        let mut heard = Heard::default();
        let mut first = FirstOfTwo::new(&mut heard, 100..300, 200);
        for done in [100, 150, 200, 50, 250] {
            first.advance(done);
        }
        assert_eq!(heard.0, [100, 200, 300, 100, 300]);
    }

    #[test]
    fn a_file_cut_short_between_the_two_reads_is_an_error_not_less_output() {
        let more = valid_log(99);
        let sizes = Sizes {
            block: 256,
            parallel_from: 1 << 20,
        };
        let (file, read) = read_text(&more, sizes);
        let (log, _) = read.expect("a valid log");
        assert_eq!(log.len(), 99);
        std::fs::OpenOptions::new()
            .write(true)
            .open(file.path())
            .unwrap()
            .set_len(more.len() as u64 / 2)
            .unwrap();
        let error = log.blocks().find_map(Result::err).expect("an error");
        assert!(matches!(error, Error::Conflict(_)), "{error}");
        assert!(
            error.to_string().contains("changed while it was read"),
            "{error}"
        );
    }
}
