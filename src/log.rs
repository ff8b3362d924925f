//! The log: entries in added order, their created order, an ID index, and the
//! operations of `@logux/core`'s `Log` (add, changeMeta, removeReason).
//!
//! Entries live in slots numbered in added order; a removed entry leaves an
//! empty slot, so slot numbers held by the indexes stay valid. The created
//! order is a sorted list of slots, kept sorted on insert by binary search.

use std::cmp::Ordering;
use std::sync::Arc;

mod bulk;
mod id_index;
mod unkept;

use crate::entry::{Entry, check_action};
use crate::error::{Error, Invalid, Result};
use crate::event::{Event, EventKind};
use crate::id::{IdGenerator, parse_action_id};
use crate::json;
use crate::meta::{self, MetaText, READ_ONLY_KEYS};
use crate::order::{OrderKey, compare, is_first_older};
use crate::text::{ReleaseBehind, Symbol, Symbols, releasing};
pub use bulk::{BulkAdd, PlainAction};
use id_index::IdIndex;
pub use unkept::Unkept;

/// The two orders of a log. Not `#[non_exhaustive]`: Logux has these two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// By `isFirstOlder`, oldest first.
    #[default]
    Created,
    /// In the order entries entered this log.
    Added,
}

/// Which entries `remove_reason` and `add_reason` touch; every criterion
/// given must hold. `min_added` and `max_added` are inclusive. `ids`,
/// `index` and `except_index` are `@logux/core` 0.12's.
#[derive(Debug, Clone, Default)]
pub struct Criteria<'a> {
    /// Only the entry with this ID.
    pub id: Option<&'a str>,
    /// Only entries with one of these IDs.
    pub ids: Option<&'a [String]>,
    /// Only entries in this index.
    pub index: Option<&'a str>,
    /// Only entries not in this index.
    pub except_index: Option<&'a str>,
    /// Only entries older than this place in created order.
    pub older_than: Option<OrderKey<'a>>,
    /// Only entries younger than this place in created order.
    pub younger_than: Option<OrderKey<'a>>,
    /// Only entries added at or after this number.
    pub min_added: Option<u64>,
    /// Only entries added at or before this number.
    pub max_added: Option<u64>,
}

/// [`Criteria`] made ready for many entries: the indexes as this log's
/// symbols (`None` for an index no entry is in), the IDs as a set.
struct Lookup<'a> {
    index: Option<Option<Symbol>>,
    except_index: Option<Symbol>,
    ids: Option<hashbrown::HashSet<&'a str>>,
}

impl<'a> Criteria<'a> {
    fn lookup(&self, symbols: &Symbols) -> Lookup<'a> {
        Lookup {
            index: self.index.map(|name| symbols.get(name)),
            except_index: self.except_index.and_then(|name| symbols.get(name)),
            ids: self.ids.map(|ids| ids.iter().map(String::as_str).collect()),
        }
    }
}

impl Criteria<'_> {
    fn holds_for(&self, entry: &Entry, indexes: &Lookup<'_>) -> bool {
        let key = entry.order_key();
        self.id.is_none_or(|id| id == entry.id())
            && indexes
                .ids
                .as_ref()
                .is_none_or(|ids| ids.contains(entry.id()))
            && indexes
                .index
                .is_none_or(|index| index.is_some_and(|index| entry.in_index(index)))
            && indexes
                .except_index
                .is_none_or(|index| !entry.in_index(index))
            && self
                .older_than
                .is_none_or(|bound| is_first_older(&key, &bound))
            && self
                .younger_than
                .is_none_or(|bound| is_first_older(&bound, &key))
            && self.min_added.is_none_or(|min| entry.added() >= min)
            && self.max_added.is_none_or(|max| entry.added() <= max)
    }
}

/// Why an entry cannot join a log being built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BuildError {
    /// Its `added` is not above the one of the entry before it.
    AddedNotIncreasing { added: u64, previous: u64 },
    /// Its ID is the ID of the entry pushed as number `first` (from 0).
    DuplicateId { id: String, first: usize },
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::AddedNotIncreasing { added, previous } => write!(
                f,
                "meta \"added\" {added} is not greater than {previous} of the entry before it"
            ),
            BuildError::DuplicateId { id, .. } => write!(f, "duplicate ID {}", json::quote(id)),
        }
    }
}

/// What [`Log::verify`] found broken: a bug, never bad input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Inconsistent(String);

/// Builds a log from entries read in added order, such as the lines of a
/// file, checking that IDs are unique and `added` grows.
#[derive(Debug)]
pub(crate) struct LogBuilder {
    log: Log,
}

impl LogBuilder {
    /// `last_added` is what the file's header remembers (0 if nothing);
    /// `capacity` how many entries to expect.
    pub(crate) fn new(last_added: u64, capacity: usize) -> Self {
        let mut log = Log {
            last_added,
            ..Log::default()
        };
        log.slots.reserve_exact(capacity);
        log.ids.reserve(capacity);
        LogBuilder { log }
    }

    /// The slot of the entry pushed with this ID, if any.
    pub(crate) fn slot_of(&self, id: &str) -> Option<usize> {
        self.log.slot_of(id)
    }

    /// The names entries are interned with while they are read.
    pub(crate) fn symbols(&mut self) -> &mut Symbols {
        &mut self.log.symbols
    }

    /// Builds a log from slots read in parallel: entries in added order,
    /// `None` for lines that hold none. The slots become the log's own, so
    /// no second copy of the entries is made. The error names the slot.
    pub(crate) fn from_slots(
        slots: Vec<Option<Entry>>,
        symbols: Symbols,
        last_added: u64,
    ) -> std::result::Result<Log, (usize, BuildError)> {
        let mut log = Log {
            last_added,
            symbols,
            ..Log::default()
        };
        log.ids.reserve(slots.len());
        let mut previous = None;
        // A duplicate ID is named before an `added` out of order, here and
        // in `push`, so that every reader names the same problem first.
        for (slot, entry) in releasing(&slots) {
            if let Err(first) = log.ids.insert(entry.id(), slot as u32, &slots) {
                return Err((
                    slot,
                    BuildError::DuplicateId {
                        id: entry.id().to_owned(),
                        first: first as usize,
                    },
                ));
            }
            if let Some(previous) = previous
                && entry.added() <= previous
            {
                let error = BuildError::AddedNotIncreasing {
                    added: entry.added(),
                    previous,
                };
                return Err((slot, error));
            }
            previous = Some(entry.added());
            log.len += 1;
        }
        log.last_added = log.last_added.max(previous.unwrap_or(0));
        log.slots = slots;
        log.indexed_to = log.slots.len();
        Ok(LogBuilder { log }.finish())
    }

    pub(crate) fn push(&mut self, entry: Entry) -> std::result::Result<(), BuildError> {
        let log = &mut self.log;
        if let Some(first) = log.slot_of(entry.id()) {
            return Err(BuildError::DuplicateId {
                id: entry.id().to_owned(),
                first,
            });
        }
        if let Some(previous) = log.slots.iter().rev().flatten().next().map(Entry::added)
            && entry.added() <= previous
        {
            return Err(BuildError::AddedNotIncreasing {
                added: entry.added(),
                previous,
            });
        }
        let added = entry.added();
        log.push_slot(entry)
            .map_err(|taken| BuildError::DuplicateId {
                id: taken.1.id().to_owned(),
                first: taken.0,
            })?;
        log.last_added = log.last_added.max(added);
        Ok(())
    }

    /// The log, with its created order sorted.
    pub(crate) fn finish(self) -> Log {
        let mut log = self.log;
        log.created = created_order(&log.slots);
        log.saved_slots = log.slots.len();
        log
    }
}

/// Slots sorted by `isFirstOlder`. Rather than comparing entries, which
/// means chasing pointers and comparing node strings a million times, each
/// entry gets a key of plain numbers: the node's rank among the log's few
/// distinct nodes stands in for the node ID.
fn created_order(slots: &[Option<Entry>]) -> Vec<u32> {
    let mut nodes: hashbrown::HashMap<&str, u32> = hashbrown::HashMap::new();
    for (_, entry) in releasing(slots) {
        nodes.entry(entry.node()).or_insert(0);
    }
    let mut names: Vec<&str> = nodes.keys().copied().collect();
    names.sort_by(|a, b| crate::order::compare_js_strings(a, b));
    for (rank, name) in names.iter().enumerate() {
        nodes.insert(name, rank as u32);
    }
    // 16 bytes a key rather than 40: a million keys live next to the whole
    // log at its peak. Entries alike in time and node (rare) are put in order
    // by counter and milliseconds afterwards.
    let mut keys: Vec<(u64, u32, u32)> = releasing(slots)
        .map(|(slot, entry)| {
            (
                sortable_time(entry.time()),
                nodes[entry.node()],
                slot as u32,
            )
        })
        .collect();
    keys.sort_unstable();
    let mut order: Vec<u32> = keys.iter().map(|key| key.2).collect();
    let mut start = 0;
    while start < keys.len() {
        let end = start
            + keys[start..]
                .iter()
                .take_while(|k| k.0 == keys[start].0 && k.1 == keys[start].1)
                .count();
        if end - start > 1 {
            order[start..end].sort_unstable_by_key(|&slot| {
                let parts = live(slots, slot).id_parts();
                (parts.counter, parts.ms)
            });
        }
        start = end;
    }
    order
}

/// Where an entry goes in `created`, which `older` splits (the entries
/// older than it first), given that the newest is not older: found from the
/// end, in steps that double, then by halves. Actions come mostly a little
/// out of order (clocks of other nodes, a sync's batches), so a few
/// comparisons near the end find the place a search from the middle takes
/// twenty for in a million entries.
fn place_from_the_end(created: &[u32], older: impl Fn(&u32) -> bool) -> usize {
    // created[newer..] are all not older.
    let mut newer = created.len() - 1;
    let mut step = 1;
    let from = loop {
        if step > newer {
            break 0;
        }
        let probe = newer - step;
        if older(&created[probe]) {
            break probe + 1;
        }
        newer = probe;
        step *= 2;
    };
    from + created[from..newer].partition_point(older)
}

/// A time as a number that sorts like the time: the IEEE bits with negative
/// numbers flipped. -0 becomes 0 first, since JavaScript holds them equal.
pub(crate) fn sortable_time(time: f64) -> u64 {
    let bits = if time == 0.0 { 0 } else { time.to_bits() };
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

/// An action log held in memory.
///
/// # Panics
///
/// Entries take slots, and reason and index names symbols, numbered with
/// 32 bits; slots are not reused while the log is in memory, so removed
/// entries count too. Adding an entry once 4,294,967,296 slots have been
/// taken, or a name once as many names have been seen, panics, as a `Vec`
/// does when it outgrows the address space. (An entry's line is at most
/// 4 GiB; a longer one is refused as invalid.)
#[derive(Debug, Clone, Default)]
pub struct Log {
    slots: Vec<Option<Entry>>,
    created: Vec<u32>,
    ids: IdIndex,
    symbols: Symbols,
    len: usize,
    last_added: u64,
    /// Slots below this were there when the log was loaded or last saved.
    saved_slots: usize,
    /// Whether an entry that was already saved has changed or gone, so that
    /// appending new lines is not enough to save.
    saved_entries_changed: bool,
    /// Counts changes, so a caller can tell whether an operation changed
    /// anything.
    revision: u64,
    /// Slots from here on are not in the ID index yet: a bulk add of
    /// generated IDs, which cannot be taken, leaves them out until a lookup
    /// needs them (see [`Log::ensure_indexed`]).
    indexed_to: usize,
    /// One node and the newest `(ms, counter)` of its IDs in the log, kept
    /// up to date on every insert: the node this process generates IDs for,
    /// whose new IDs are then known to be free without the index.
    own_node: Option<NewestOfNode>,
    /// The nodes of the log's entries, once many received IDs were looked
    /// up (see `Log::may_have_received`), kept up to date by every insert
    /// after: an ID whose node has no entry here is not in the log, and
    /// the ID index is not searched (a cache miss each, in a big log).
    /// Entries that go leave their node in it.
    nodes: Option<hashbrown::HashSet<Box<str>>>,
    /// How many received IDs were looked up before `nodes` was made.
    received_lookups: usize,
    /// Where a new action's meta and line are put together, kept between
    /// adds.
    scratch: String,
    line_scratch: String,
    /// Inside [`Log::adding_many`]: new slots go to the end of `created`
    /// from here on, to be put in order once (see `settle_created`).
    unsorted_from: Option<usize>,
}

/// A node, and the `(ms, counter)` of its newest ID in the log, if any.
type NewestOfNode = (Box<str>, Option<(u64, u64)>);

/// A meta for [`Log::add_prepared`]: its JSON text (without duplicate keys,
/// as [`MetaText::to_json`] writes it) and what it says about the keys an
/// add fills in, read once for many actions.
#[derive(Debug, Clone)]
pub struct PreparedMeta {
    text: String,
    id: IdOfMeta,
    has_time: bool,
    has_reasons: bool,
}

#[derive(Debug, Clone)]
enum IdOfMeta {
    Missing,
    Given(String),
    NotString,
}

impl PreparedMeta {
    /// Reads `meta` once, for the many actions it is added with.
    pub fn new(meta: &MetaText) -> Self {
        PreparedMeta {
            text: meta.to_json(),
            id: match meta.get("id") {
                None => IdOfMeta::Missing,
                Some(raw) => {
                    json::as_string(raw, 0..raw.len()).map_or(IdOfMeta::NotString, IdOfMeta::Given)
                }
            },
            has_time: meta.contains("time"),
            has_reasons: meta.contains("reasons"),
        }
    }
}

impl PreparedMeta {
    /// The meta's text, as [`MetaText::to_json`] writes it.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// The meta whose text is `text`, written as [`MetaText::to_json`]
    /// writes it, holding the string `id` and both `time` and `reasons`.
    pub(crate) fn written(text: String, id: String) -> Self {
        PreparedMeta {
            text,
            id: IdOfMeta::Given(id),
            has_time: true,
            has_reasons: true,
        }
    }

    /// Fills in what `text` (the prepared text) lacks: the ID when it was
    /// generated, the time from the ID's milliseconds `ms`, empty reasons.
    /// The keys come after the given ones, in the order a JavaScript object
    /// would get them, without building members. Returns where a generated
    /// ID's closing quote is.
    fn complete(&self, text: &mut String, generated_id: Option<&str>, ms: u64) -> usize {
        let mut id_end = 0;
        if let Some(id) = generated_id {
            open_member(text, "id");
            json::write_string(text, id);
            id_end = text.len() - 1;
            text.push('}');
        }
        if !self.has_time {
            open_member(text, "time");
            crate::id::push_number(text, ms);
            text.push('}');
        }
        if !self.has_reasons {
            open_member(text, "reasons");
            text.push_str("[]}");
        }
        id_end
    }
}

impl Log {
    /// An empty log.
    pub fn new() -> Self {
        Log::default()
    }

    fn slot_of(&self, id: &str) -> Option<usize> {
        self.ids
            .find(id, &self.slots)
            .map(|slot| slot as usize)
            .or_else(|| {
                let mut tail = self.slots[self.indexed_to..].iter();
                let found = tail.position(|e| e.as_ref().is_some_and(|e| e.id() == id));
                found.map(|i| self.indexed_to + i)
            })
    }

    /// Puts the slots a bulk add left out into the ID index.
    fn ensure_indexed(&mut self) {
        let from = self.indexed_to;
        self.ids.reserve(self.slots.len() - from);
        for slot in from..self.slots.len() {
            if let Some(entry) = &self.slots[slot] {
                let fresh = self.ids.insert(entry.id(), slot as u32, &self.slots);
                debug_assert!(fresh.is_ok(), "an unindexed ID was taken");
            }
        }
        self.indexed_to = self.slots.len();
    }

    /// Whether `(ms, counter)` is newer than every ID of `node` in the log,
    /// so that the ID made of them cannot be taken.
    fn is_newest_of(&mut self, node: &str, ms: u64, counter: u64) -> bool {
        if self.own_node.as_ref().is_none_or(|(own, _)| **own != *node) {
            self.own_node = Some((node.into(), self.newest_id_of(node)));
        }
        let (_, newest) = self.own_node.as_ref().expect("set above");
        newest.is_none_or(|newest| (ms, counter) > newest)
    }

    fn note_own_node(&mut self, entry: &Entry) {
        if let Some(nodes) = &mut self.nodes
            && !nodes.contains(entry.node())
        {
            nodes.insert(entry.node().into());
        }
        if let Some((node, newest)) = &mut self.own_node
            && entry.node() == &**node
        {
            let parts = (entry.id_parts().ms, entry.id_parts().counter);
            *newest = Some(newest.map_or(parts, |n| n.max(parts)));
        }
    }

    /// [`Log::push_slot`] for an entry whose ID is known to be free: the ID
    /// index is not touched.
    fn push_unindexed(&mut self, entry: Entry) -> u32 {
        let slot = u32::try_from(self.slots.len()).expect("over 4 billion entries");
        self.note_own_node(&entry);
        self.slots.push(Some(entry));
        self.len += 1;
        self.revision += 1;
        slot
    }

    /// Puts an entry in a new slot and the ID index, not in the created
    /// order. If its ID is taken, gives the entry back with the slot that
    /// has the ID.
    fn push_slot(&mut self, entry: Entry) -> std::result::Result<u32, Box<(usize, Entry)>> {
        self.ensure_indexed();
        let slot = u32::try_from(self.slots.len()).expect("over 4 billion entries");
        if let Err(first) = self.ids.insert(entry.id(), slot, &self.slots) {
            return Err(Box::new((first as usize, entry)));
        }
        self.note_own_node(&entry);
        self.slots.push(Some(entry));
        self.indexed_to = self.slots.len();
        self.len += 1;
        self.revision += 1;
        Ok(slot)
    }

    /// How many entries the log has.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the log has no entries.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The serial number of the newest entry ever added, removed or not.
    pub fn last_added(&self) -> u64 {
        self.last_added
    }

    /// The names of reasons and indexes, which entries hold as symbols.
    pub fn symbols(&self) -> &Symbols {
        &self.symbols
    }

    /// The entry with this action ID, if the log has it.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.slot_of(id).map(|slot| live(&self.slots, slot as u32))
    }

    /// Whether the log has an entry with this action ID.
    pub fn contains(&self, id: &str) -> bool {
        self.slot_of(id).is_some()
    }

    /// Entries in `order`, only those in `index` if one is given.
    pub fn entries<'a>(
        &'a self,
        order: Order,
        index: Option<&str>,
    ) -> Box<dyn Iterator<Item = &'a Entry> + 'a> {
        let filter = match index {
            None => None,
            Some(name) => match self.symbols.get(name) {
                Some(symbol) => Some(symbol),
                None => return Box::new(std::iter::empty()),
            },
        };
        let keep = move |entry: &&Entry| filter.is_none_or(|symbol| entry.in_index(symbol));
        match order {
            Order::Added => Box::new(self.slots.iter().flatten().filter(keep)),
            Order::Created => Box::new(
                self.created
                    .iter()
                    .map(|&slot| live(&self.slots, slot))
                    .filter(keep),
            ),
        }
    }

    /// Entries in added order from slot `from` on, each with its slot: a
    /// walk that can stop and go on later from the slot after the last
    /// one it took (while the log is not read again meanwhile).
    // For the command line, which keeps its place in the log across
    // reads; it exposes slots, which mean nothing elsewhere.
    #[doc(hidden)]
    pub fn entries_from(&self, from: usize) -> impl Iterator<Item = (usize, &Entry)> {
        self.slots
            .iter()
            .enumerate()
            .skip(from)
            .filter_map(|(slot, entry)| entry.as_ref().map(|entry| (slot, entry)))
    }

    /// The slot of the first entry added after `added`, found from the
    /// end: for walking the newest entries only.
    // For the command line, which keeps its place in the log across
    // reads; it exposes slots, which mean nothing elsewhere.
    #[doc(hidden)]
    pub fn first_slot_after(&self, added: u64) -> usize {
        self.slots
            .iter()
            .rposition(|slot| slot.as_ref().is_some_and(|entry| entry.added() <= added))
            .map_or(0, |slot| slot + 1)
    }

    /// The entries with these IDs, oldest first. Errors on the first ID that
    /// is not in the log.
    pub fn pick(&self, ids: &[String]) -> Result<Vec<&Entry>> {
        let mut seen = hashbrown::HashSet::with_capacity(ids.len());
        let mut picked = Vec::with_capacity(ids.len());
        for id in ids {
            let entry = self.get(id).ok_or_else(|| Error::NotFound(id.clone()))?;
            if seen.insert(id.as_str()) {
                picked.push(entry);
            }
        }
        picked.sort_by(|a, b| compare(&a.order_key(), &b.order_key()));
        Ok(picked)
    }

    /// The newest `(ms, counter)` among IDs of `node`, so that IDs generated
    /// in a new process continue after it.
    pub fn newest_id_of(&self, node: &str) -> Option<(u64, u64)> {
        releasing(&self.slots)
            .map(|(_, entry)| entry)
            .filter(|entry| entry.node() == node)
            .map(|entry| (entry.id_parts().ms, entry.id_parts().counter))
            .max()
    }

    /// `Log#add`. `action` must be a JSON object with a string `type`; `meta`
    /// may lack `id`, `time` and `reasons`. Returns the events in the order
    /// they happened; an add that is ignored (its ID is in the log) has none
    /// but the cleans its `keepLast` caused.
    pub fn add(
        &mut self,
        action: &str,
        meta: MetaText,
        ids: &mut IdGenerator,
        now: u64,
    ) -> Result<Vec<Event>> {
        let mut events = Vec::new();
        self.add_prepared(action, &PreparedMeta::new(&meta), ids, now, &mut events)?;
        Ok(events)
    }

    /// [`Log::add`] for many actions: the meta is serialised once by the
    /// caller, and events go to the end of `events`. On an error, `events`
    /// may have got the cleans of a `keepLast` that had already happened.
    pub fn add_prepared(
        &mut self,
        action: &str,
        meta: &PreparedMeta,
        ids: &mut IdGenerator,
        now: u64,
        events: &mut Vec<Event>,
    ) -> Result<()> {
        let action = checked_action(action)?;

        // What the meta lacks is appended to its text as it is: the order of
        // keys a JavaScript object would get, without building members. The
        // text is built in a buffer kept for the next add.
        let mut text = std::mem::take(&mut self.scratch);
        text.clear();
        text.push_str(&meta.text);
        let added = self.add_text(action, &mut text, meta, ids, now, events);
        self.scratch = text;
        added
    }

    fn add_text(
        &mut self,
        action: &str,
        text: &mut String,
        meta: &PreparedMeta,
        ids: &mut IdGenerator,
        now: u64,
        events: &mut Vec<Event>,
    ) -> Result<()> {
        let Completed {
            id,
            generated,
            parts,
            fields,
        } = complete_meta(meta, text, ids, now, &mut self.symbols)?;
        let id: &str = &id;

        let reason_count = fields.reasons.as_ref().map_or(0, |r| r.len()) + fields.keep_last.len();
        // `keepLast` takes its reason off older entries only once the new
        // entry is known to be good, so that a failed add changes nothing.
        let mut keep_last = None;
        if !fields.keep_last.is_empty() {
            add_reasons(text, &fields.keep_last)?;
            keep_last = Some(OrderKey::new(
                fields.time.unwrap_or(parts.ms as f64),
                id,
                &parts,
            ));
        }

        if reason_count == 0 {
            if !generated && self.contains(id) {
                return Ok(());
            }
            crate::entry::check_fits(action.len() + text.len() + 1)?;
            let added = Event::new(EventKind::Add, action, text);
            let cleaned = added.with_kind(EventKind::Clean);
            events.extend([added, cleaned]);
            return Ok(());
        }
        let added = self.last_added.saturating_add(1);
        if added > crate::id::MAX_SAFE_INTEGER {
            return Err(Error::input(format!(
                "the log has given out every added number (lastAdded is {})",
                self.last_added
            )));
        }
        let keep_names = fields.keep_last.clone();
        let entry = self.new_entry(action, text, fields, added)?;
        if let Some(key) = keep_last {
            let older = Criteria {
                older_than: Some(key),
                ..Criteria::default()
            };
            for keep in &keep_names {
                events.extend(self.remove_reason(keep, &older)?);
            }
        }
        // The ID index is searched once: an entry whose ID is taken is
        // dropped, and its `added` number not used.
        // A generated ID newer than any of its node's needs no lookup; the
        // index catches up when something looks an ID up.
        let known_new = generated && self.is_newest_of(ids.node(), parts.ms, parts.counter);
        if self.insert(entry, known_new) {
            self.last_added = added;
            let entry = live(&self.slots, (self.slots.len() - 1) as u32);
            events.push(Event::of(EventKind::Add, entry));
        }
        Ok(())
    }

    /// The entry of a new action with `added` as its number, the meta in
    /// `text` read into `fields`.
    fn new_entry(
        &mut self,
        action: &str,
        text: &str,
        fields: meta::MetaFields,
        added: u64,
    ) -> Result<Entry> {
        Ok(if fields.keep_last.is_empty() && fields.added.is_none() {
            // The meta read is the stored one plus `added`.
            Entry::with_added(action, text, fields, added, &mut self.line_scratch)?
        } else {
            let mut meta = MetaText::parse(text)?;
            meta.set_raw("added", added.to_string());
            Entry::new(action, &meta.to_json(), &mut self.symbols)?
        })
    }

    /// Runs `add`, which adds many entries, with the created order put
    /// right once at its end rather than at each insert: an entry that came
    /// out of created order moved every slot after its place, and a pull
    /// of a million entries spent a tenth of its time so. The changes that
    /// read the created order (a `keepLast` or `remove_reason` taking
    /// reasons off older entries, a removal) put it right first; but
    /// inside `add`, [`Log::entries`] in created order, [`Log::verify`]
    /// and a clone see the new entries at the end, unsorted. After `add`,
    /// also one that panics, the order is right.
    // For the command line's store of what a sync received, which only
    // adds; not for a library user, for the limits above.
    #[doc(hidden)]
    pub fn adding_many<R>(&mut self, add: impl FnOnce(&mut Log) -> R) -> R {
        self.settle_created();
        self.unsorted_from = Some(self.created.len());
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| add(self)));
        self.settle_created();
        self.unsorted_from = None;
        result.unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }

    /// Puts the slots [`Log::adding_many`] left at the end of `created`
    /// where they belong: by sorting the whole order again when they are
    /// many, else one at a time.
    fn settle_created(&mut self) {
        let Some(from) = self.unsorted_from else {
            return;
        };
        let new = self.created.len().saturating_sub(from);
        if new == 0 {
            return;
        }
        if new >= (from / 8).max(1) {
            self.created = created_order(&self.slots);
        } else {
            for slot in self.created.split_off(from) {
                let position = self.created_place(live(&self.slots, slot));
                self.created.insert(position, slot);
            }
        }
        self.unsorted_from = Some(self.created.len());
    }

    /// Where in `created` an entry not in it belongs.
    fn created_place(&self, entry: &Entry) -> usize {
        let key = entry.order_key();
        let slots = &self.slots;
        let older = |&slot: &u32| older_than(live(slots, slot), &key);
        if self.created.last().is_none_or(older) {
            // New actions are mostly the newest: no search.
            self.created.len()
        } else {
            place_from_the_end(&self.created, older)
        }
    }

    /// Puts a new entry in the log; `false` if its ID is taken. `known_new`:
    /// the ID cannot be taken, so the index is not searched.
    fn insert(&mut self, entry: Entry, known_new: bool) -> bool {
        let position = if self.unsorted_from.is_some() {
            self.created.len()
        } else {
            self.created_place(&entry)
        };
        let pushed = if known_new {
            Ok(self.push_unindexed(entry))
        } else {
            self.push_slot(entry)
        };
        match pushed {
            Ok(slot) => {
                self.created.insert(position, slot);
                true
            }
            Err(_) => false,
        }
    }

    /// `Log#changeMeta`: a shallow assign of `diff`'s keys. `reasons: []`
    /// removes the entry and reports it cleaned, with the diff applied.
    pub fn change_meta(&mut self, id: &str, diff: &MetaText) -> Result<Vec<Event>> {
        if let Some(key) = diff.keys().find(|key| READ_ONLY_KEYS.contains(key)) {
            return Err(Error::input(format!("Meta \"{key}\" is read-only")));
        }
        let slot = self
            .slot_of(id)
            .ok_or_else(|| Error::NotFound(id.to_owned()))?;
        let entry = live(&self.slots, slot as u32);
        let mut meta = MetaText::parse(&entry.meta())?;
        for (key, value) in diff.iter() {
            meta.set_raw(key, value);
        }
        let changed = self.rewrite(slot, &meta)?;
        let removes = diff
            .get("reasons")
            .and_then(|raw| json::as_string_array(raw, 0..raw.len()))
            .is_some_and(|reasons| reasons.is_empty());
        if removes {
            let event = Event::of(EventKind::Clean, &changed);
            self.remove_slots(&[slot as u32]);
            Ok(vec![event])
        } else {
            self.replace(slot, changed);
            Ok(Vec::new())
        }
    }

    /// The entry in `slot` with `meta` as its meta, `added` kept in the text.
    fn rewrite(&mut self, slot: usize, meta: &MetaText) -> std::result::Result<Entry, Invalid> {
        let entry = live(&self.slots, slot as u32);
        let mut meta = meta.clone();
        if !meta.contains("added") {
            meta.set_raw("added", entry.added().to_string());
        }
        let entry = entry.clone();
        entry.with_meta(&meta.to_json(), &mut self.symbols)
    }

    fn replace(&mut self, slot: usize, entry: Entry) {
        self.slots[slot] = Some(entry);
        self.note_change(slot);
    }

    fn note_change(&mut self, slot: usize) {
        self.revision += 1;
        if slot < self.saved_slots {
            self.saved_entries_changed = true;
        }
    }

    /// Empties these slots and drops them from both indexes.
    fn remove_slots(&mut self, removed: &[u32]) {
        self.settle_created();
        let mut behind = ReleaseBehind::default();
        for (i, &slot) in removed.iter().enumerate() {
            let entry = live(&self.slots, slot);
            if i % 4096 == 0 {
                behind.reached_text(entry.shared_line());
            }
            self.ids.remove(entry.id(), slot);
            self.slots[slot as usize] = None;
            self.len -= 1;
            self.note_change(slot as usize);
        }
        let slots = &self.slots;
        self.created.retain(|&slot| slots[slot as usize].is_some());
        if self.unsorted_from.is_some() {
            self.unsorted_from = Some(self.created.len());
        }
    }

    /// `Log#removeReason`: takes `reason` off every entry that meets the
    /// criteria; entries left without reasons are removed and reported
    /// cleaned, in created order.
    pub fn remove_reason(&mut self, reason: &str, criteria: &Criteria<'_>) -> Result<Vec<Event>> {
        let Some(symbol) = self.symbols.get(reason) else {
            return Ok(Vec::new());
        };
        let matching = self.matching(criteria, |entry| entry.reasons().contains(&symbol));
        self.set_reasons(matching, |reasons| {
            let first = reasons.iter().position(|&s| s == symbol).unwrap_or(0);
            reasons.remove(first);
        })
    }

    /// [`Log::remove_reason`] for the entries that `reason` alone keeps
    /// (every reason they have is `reason`): they are cleaned, and every
    /// other entry keeps it. actionlog's own, not `@logux/core`'s.
    pub fn clean_kept_only_by(
        &mut self,
        reason: &str,
        criteria: &Criteria<'_>,
    ) -> Result<Vec<Event>> {
        let Some(symbol) = self.symbols.get(reason) else {
            return Ok(Vec::new());
        };
        let matching = self.matching(criteria, |entry| {
            !entry.reasons().is_empty() && entry.reasons().iter().all(|&r| r == symbol)
        });
        self.set_reasons(matching, |reasons| reasons.clear())
    }

    /// `addReason` of `@logux/core` 0.12: puts each of `reasons` on every
    /// entry that meets the criteria and does not have it yet. Emits no
    /// events; returns how many entries changed.
    pub fn add_reason(&mut self, reasons: &[&str], criteria: &Criteria<'_>) -> Result<usize> {
        let symbols: Vec<Symbol> = reasons.iter().map(|r| self.symbols.intern(r)).collect();
        let matching = self.matching(criteria, |entry| {
            symbols.iter().any(|s| !entry.reasons().contains(s))
        });
        let changed = matching.len();
        self.set_reasons(matching, |reasons| {
            for &symbol in &symbols {
                if !reasons.contains(&symbol) {
                    reasons.push(symbol);
                }
            }
        })?;
        Ok(changed)
    }

    /// The slots, in created order, of the entries that meet `criteria`
    /// and `also`.
    fn matching(&mut self, criteria: &Criteria<'_>, also: impl Fn(&Entry) -> bool) -> Vec<u32> {
        self.settle_created();
        let lookup = criteria.lookup(&self.symbols);
        let holds = |entry: &Entry| also(entry) && criteria.holds_for(entry, &lookup);
        match criteria.id.map(|id| self.slot_of(id)) {
            Some(None) => Vec::new(),
            Some(Some(slot)) => Some(slot as u32)
                .filter(|&s| holds(live(&self.slots, s)))
                .into_iter()
                .collect(),
            None => {
                // Created order is near the file's order, in which the
                // text behind is let go of.
                let mut behind = ReleaseBehind::default();
                let mut kept = Vec::new();
                for (i, &slot) in self.created.iter().enumerate() {
                    let entry = live(&self.slots, slot);
                    if i % 4096 == 0 {
                        behind.reached_text(entry.shared_line());
                    }
                    if holds(entry) {
                        kept.push(slot);
                    }
                }
                kept
            }
        }
    }

    /// Changes the reasons of the entries in `slots` (in that order) with
    /// `change`; those left with none are removed, and reported cleaned.
    fn set_reasons(
        &mut self,
        slots: Vec<u32>,
        change: impl Fn(&mut crate::meta::Reasons),
    ) -> Result<Vec<Event>> {
        let mut events = Vec::new();
        let mut emptied = Vec::new();
        // The new reasons' text, shared by the entries left with the same.
        let mut texts: hashbrown::HashMap<crate::meta::Reasons, Arc<str>> = Default::default();
        let mut behind = ReleaseBehind::default();
        for (i, slot) in slots.into_iter().enumerate() {
            let entry = live(&self.slots, slot);
            if i % 4096 == 0 {
                behind.reached_text(entry.shared_line());
            }
            let mut reasons: crate::meta::Reasons = entry.reasons().iter().copied().collect();
            change(&mut reasons);
            let text = texts.entry(reasons.clone()).or_insert_with(|| {
                Arc::from(meta::string_array(
                    reasons.iter().map(|&s| self.symbols.name(s)),
                ))
            });
            let changed = match entry.with_reasons_text(reasons.clone(), Arc::clone(text)) {
                Some(changed) => changed,
                None => {
                    let mut meta = MetaText::parse(&entry.meta())?;
                    meta.set_strings("reasons", reasons.iter().map(|&s| self.symbols.name(s)));
                    self.rewrite(slot as usize, &meta)?
                }
            };
            if changed.reasons().is_empty() {
                events.push(Event::of(EventKind::Clean, &changed));
                emptied.push(slot);
            }
            self.replace(slot as usize, changed);
        }
        if !emptied.is_empty() {
            self.remove_slots(&emptied);
        }
        Ok(events)
    }

    /// Whether saving needs more than appending the entries added since the
    /// last save.
    pub(crate) fn needs_rewrite(&self) -> bool {
        self.saved_entries_changed
    }

    /// Entries added since the log was loaded or last saved, in added order.
    pub(crate) fn unsaved_entries(&self) -> impl Iterator<Item = &Entry> {
        self.slots[self.saved_slots..].iter().flatten()
    }

    /// Whether anything changed since the log was loaded or last saved.
    pub fn is_changed(&self) -> bool {
        self.saved_entries_changed || self.slots.len() > self.saved_slots
    }

    /// Makes `added` numbers continue after `last_added` at least: a log put
    /// back by undo must not hand out again a number it has shown.
    // For the command line's undo, which puts a log back; it can break
    // what the log keeps true.
    #[doc(hidden)]
    pub fn continue_added_after(&mut self, last_added: u64) {
        self.last_added = self.last_added.max(last_added);
    }

    /// A number that changes whenever the log does.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Takes note that the file no longer matches this log, so the next
    /// save rewrites it whole (a log put back by undo after a save).
    // For the command line's undo, which puts a log back; it can break
    // what the log keeps true.
    #[doc(hidden)]
    pub fn mark_unsaved(&mut self) {
        self.saved_entries_changed = true;
    }

    /// Takes note that the log is saved as it is now.
    pub(crate) fn mark_saved(&mut self) {
        self.saved_slots = self.slots.len();
        self.saved_entries_changed = false;
    }

    /// The log's names, to read entries from elsewhere (an archive) with
    /// symbols that compare with the log's.
    pub fn symbols_mut(&mut self) -> &mut Symbols {
        &mut self.symbols
    }

    /// Checks what every operation must keep true, for tests and fuzzing:
    /// IDs unique and all found through the index, `added` increasing in
    /// added order and never above `last_added`, the created order holding
    /// each live entry once, sorted by `isFirstOlder`. The error says what
    /// broke.
    pub fn verify(&self) -> std::result::Result<(), Inconsistent> {
        let live: Vec<(usize, &Entry)> = self
            .slots
            .iter()
            .enumerate()
            .filter_map(|(slot, e)| e.as_ref().map(|e| (slot, e)))
            .collect();
        if live.len() != self.len {
            return Err(Inconsistent(format!(
                "len {} but {} live slots",
                self.len,
                live.len()
            )));
        }
        let mut seen = hashbrown::HashSet::new();
        let mut previous_added = 0;
        for &(slot, entry) in &live {
            if !seen.insert(entry.id()) {
                return Err(Inconsistent(format!("ID {:?} twice", entry.id())));
            }
            if let Some(nodes) = &self.nodes
                && !nodes.contains(entry.node())
            {
                return Err(Inconsistent(format!(
                    "the node of ID {:?} is not among the log's nodes",
                    entry.id()
                )));
            }
            if self.slot_of(entry.id()) != Some(slot) {
                return Err(Inconsistent(format!(
                    "ID {:?} not found at its slot",
                    entry.id()
                )));
            }
            if entry.added() <= previous_added && previous_added != 0 {
                return Err(Inconsistent(format!(
                    "added {} after {previous_added}",
                    entry.added()
                )));
            }
            previous_added = entry.added();
        }
        if previous_added > self.last_added {
            return Err(Inconsistent(format!(
                "added {previous_added} above last_added {}",
                self.last_added
            )));
        }
        if self.created.len() != live.len() {
            return Err(Inconsistent(format!(
                "{} in created order, {} live",
                self.created.len(),
                live.len()
            )));
        }
        let mut in_created = hashbrown::HashSet::new();
        for &slot in &self.created {
            if self.slots.get(slot as usize).is_none_or(Option::is_none) || !in_created.insert(slot)
            {
                return Err(Inconsistent(format!(
                    "created order holds slot {slot} wrongly"
                )));
            }
        }
        for pair in self.created.windows(2) {
            let (a, b) = (key_of(&self.slots, pair[0]), key_of(&self.slots, pair[1]));
            if compare(&a, &b) != Ordering::Less {
                return Err(Inconsistent(format!(
                    "created order not sorted at slots {pair:?}"
                )));
            }
        }
        Ok(())
    }

    /// The symbol of this reason or index name, if the log has seen it.
    pub fn symbol(&self, name: &str) -> Option<Symbol> {
        self.symbols.get(name)
    }
}

/// An add's meta completed and read, before the add looks at the log.
pub(crate) struct Completed<'m> {
    /// The meta's ID, or the one generated for it.
    pub(crate) id: std::borrow::Cow<'m, str>,
    pub(crate) generated: bool,
    pub(crate) parts: crate::id::IdParts,
    pub(crate) fields: meta::MetaFields,
}

/// What an add makes of `meta` before it looks at the log: its ID (one
/// from `ids` if it has none), its text in `text` (which holds
/// `meta.text`) completed as [`PreparedMeta::complete`] does, and read.
/// `ids` learns of an ID of its node. Shared with a merge's lines, which
/// are made without the log (`crate::merge::MergeLines`).
pub(crate) fn complete_meta<'m>(
    meta: &'m PreparedMeta,
    text: &mut String,
    ids: &mut IdGenerator,
    now: u64,
    symbols: &mut Symbols,
) -> Result<Completed<'m>> {
    let id = match &meta.id {
        IdOfMeta::Given(id) => std::borrow::Cow::Borrowed(id.as_str()),
        IdOfMeta::NotString => {
            return Err(Invalid::from("meta \"id\" must be a string").into());
        }
        IdOfMeta::Missing => std::borrow::Cow::Owned(ids.next(now)?),
    };
    let generated = matches!(meta.id, IdOfMeta::Missing);
    let parts = parse_action_id(&id)?;
    meta.complete(text, generated.then_some(&*id), parts.ms);
    let fields = meta::read_fields(text, 0..text.len(), symbols)?;
    if parts.node(&id) == ids.node() {
        ids.observe(parts.ms, parts.counter);
    }
    Ok(Completed {
        id,
        generated,
        parts,
        fields,
    })
}

/// The action an add was given, its whitespace around trimmed, if it is a
/// JSON object with a string `type`.
pub(crate) fn checked_action(action: &str) -> Result<&str> {
    let bytes = action.as_bytes();
    let start = json::skip_ws(bytes, 0);
    match bytes.get(start) {
        Some(b'{') => {}
        Some(b'-' | b'0'..=b'9' | b'"' | b'[' | b't' | b'f' | b'n') => {
            return Err(Invalid::from("the action must be a JSON object").into());
        }
        _ => {
            let error = json::whole(bytes).unwrap_err();
            return Err(Invalid::from(format!("action: {error}")).into());
        }
    }
    let end = check_action(action, start)?;
    if json::skip_ws(bytes, end) != bytes.len() {
        return Err(Invalid::from("action: unexpected text after the JSON value").into());
    }
    Ok(&action[start..end])
}

/// Adds `names` to the `reasons` of the meta in `text`, as `keepLast`
/// makes its name a reason of the new entry.
fn add_reasons(text: &mut String, names: &[String]) -> Result<()> {
    let mut meta = MetaText::parse(text)?;
    let mut reasons: Vec<String> = match meta.get("reasons") {
        Some(raw) => json::as_string_array(raw, 0..raw.len()).unwrap_or_default(),
        None => Vec::new(),
    };
    reasons.extend(names.iter().cloned());
    meta.set_strings("reasons", reasons.iter().map(String::as_str));
    *text = meta.to_json();
    Ok(())
}

/// Opens a new last member `"key":` in the JSON object `text`, dropping its
/// closing brace: the caller writes the value and the brace.
fn open_member(text: &mut String, key: &str) {
    text.pop();
    if text.len() > 1 {
        text.push(',');
    }
    json::write_string(text, key);
    text.push(':');
}

fn live(slots: &[Option<Entry>], slot: u32) -> &Entry {
    slots[slot as usize]
        .as_ref()
        .expect("indexes point at live slots")
}

/// Whether `entry` is older than `key`: `compare`, with the entry's ID
/// read only when the times tie. Reading it touches the entry's text,
/// somewhere else in memory for each entry a search meets.
fn older_than(entry: &Entry, key: &OrderKey<'_>) -> bool {
    match entry.time().partial_cmp(&key.time) {
        Some(Ordering::Less) => true,
        Some(Ordering::Greater) => false,
        _ => compare(&entry.order_key(), key) == Ordering::Less,
    }
}

fn key_of(slots: &[Option<Entry>], slot: u32) -> OrderKey<'_> {
    live(slots, slot).order_key()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The search from the end finds the place the search from the
        /// middle does, wherever it is.
        #[test]
        fn the_place_from_the_end_is_the_place(
            mut created in proptest::collection::vec(0u32..1_000, 1..300),
            key in 0u32..1_000,
        ) {
            created.sort_unstable();
            let newest = *created.last().unwrap();
            let key = key.min(newest);
            let older = |slot: &u32| *slot < key;
            prop_assert_eq!(
                super::place_from_the_end(&created, older),
                created.partition_point(older)
            );
        }
    }
}
