//! One log entry: the `[action, meta]` line as text, plus the few fields of
//! its meta the log orders and filters by.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use crate::error::Invalid;
use crate::id::{IdParts, parse_action_id};
use crate::json::{self, Members};
use crate::meta::{self, MetaFields, MetaText, Reasons};
use crate::order::OrderKey;
use smallvec::SmallVec;

use crate::text::{SharedStr, Symbol, Symbols};

/// An entry of the log. Its line is the exact text written to the file; the
/// other fields are read from it and change only when the line is rewritten.
#[derive(Debug, Clone)]
pub struct Entry {
    line: SharedStr,
    action: (u32, u32),
    meta: (u32, u32),
    /// Where the ID's text stands in the line (unless it had escapes, then
    /// the decoded ID is in `extra`).
    id: (u32, u32),
    parts: IdParts,
    time: f64,
    added: u64,
    /// Whether `added` is written in the meta; files from other tools may
    /// leave it out and number entries by position.
    added_written: bool,
    /// How many of `names` are reasons; the rest are indexes.
    reason_count: u8,
    /// Reasons, then indexes: one list, so that the usual one or two
    /// reasons and an index need no allocation.
    names: SmallVec<[Symbol; 3]>,
    /// What few entries have, kept apart so that an entry stays small: a
    /// million of them are in memory next to the file.
    extra: Option<Box<Extra>>,
}

#[derive(Debug, Clone, Default)]
struct Extra {
    /// Reasons changed since the line was read (see [`ReasonsPatch`]).
    patch: Option<ReasonsPatch>,
    /// The ID, when its text in the line has escapes.
    decoded_id: Option<Box<str>>,
}

/// Reasons changed after the line was read: where the old `reasons` value
/// stands in the line, and the text of the new one. Kept instead of a new
/// copy of the line, which for a `remove-reason` over a whole log would
/// double its memory; the line is patched when it is written.
#[derive(Debug, Clone)]
struct ReasonsPatch {
    old: (u32, u32),
    /// Shared by every entry given the same reasons.
    new: Arc<str>,
}

impl ReasonsPatch {
    fn old(&self) -> Range<usize> {
        self.old.0 as usize..self.old.1 as usize
    }
}

/// Errors if a line of `len` bytes is longer than an entry may be: an
/// entry keeps the places of its parts in 32 bits.
pub(crate) fn check_fits(len: usize) -> Result<(), Invalid> {
    if len > crate::store::format::MAX_LINE_BYTES {
        Err("the entry would be longer than 4 GiB, the most an entry may take".into())
    } else {
        Ok(())
    }
}

/// An `[action, meta]` line split into its two values, both checked.
pub(crate) struct SplitLine {
    /// The span of the whole `[…]` array.
    pub(crate) array: Range<usize>,
    pub(crate) action: Range<usize>,
    pub(crate) meta: Range<usize>,
}

/// Checks that `text` is an `[action, meta]` array whose action is an object
/// with a string `type` and whose meta is an object.
pub(crate) fn split_line(text: &str) -> Result<SplitLine, Invalid> {
    let bytes = text.as_bytes();
    let start = json::skip_ws(bytes, 0);
    let expected = || Invalid::from("expected an [action, meta] array");
    if bytes.get(start) != Some(&b'[') {
        return Err(expected());
    }
    let action_start = json::skip_ws(bytes, start + 1);
    if bytes.get(action_start) != Some(&b'{') {
        return Err("the action must be a JSON object".into());
    }
    let action_end = check_action(text, action_start)?;
    let mut p = json::skip_ws(bytes, action_end);
    if bytes.get(p) != Some(&b',') {
        return Err(expected());
    }
    let meta_start = json::skip_ws(bytes, p + 1);
    if bytes.get(meta_start) != Some(&b'{') {
        return Err("the meta must be a JSON object".into());
    }
    let meta_end = json::value_in_line(bytes, meta_start)?.end;
    p = json::skip_ws(bytes, meta_end);
    if bytes.get(p) != Some(&b']') {
        return Err(expected());
    }
    let end = json::skip_ws(bytes, p + 1);
    if end != bytes.len() {
        return Err("unexpected text after the [action, meta] array".into());
    }
    Ok(SplitLine {
        array: start..p + 1,
        action: action_start..action_end,
        meta: meta_start..meta_end,
    })
}

/// Writes the line of an entry whose `action` and meta (`meta_body`, its
/// text without the closing `}`) were checked, numbered `added`, to `line`;
/// returns where the meta is in it. The stored line has `added` last.
pub(crate) fn push_line(
    line: &mut String,
    action: &str,
    meta_body: &str,
    added: u64,
) -> Range<usize> {
    line.push('[');
    line.push_str(action);
    line.push(',');
    let meta_start = line.len();
    line.push_str(meta_body);
    if meta_body.trim_end() != "{" {
        line.push(',');
    }
    line.push_str("\"added\":");
    crate::id::push_number(line, added);
    line.push('}');
    let meta_end = line.len();
    line.push(']');
    meta_start..meta_end
}

/// Checks the action object at `start` and returns where it ends.
pub(crate) fn check_action(text: &str, start: usize) -> Result<usize, Invalid> {
    let bytes = text.as_bytes();
    let mut members = Members::new(bytes, start, 1)?;
    // The last `type` is the action's, as `JSON.parse` reads it.
    let mut kind = None;
    while let Some(member) = members.next_member()? {
        if member.key.decode(text) == "type" {
            kind = Some(member.value);
        }
    }
    match kind {
        None => Err("expected \"type\" in action".into()),
        Some(value) if bytes[value.start] != b'"' => Err("action \"type\" must be a string".into()),
        Some(_) => Ok(members.end()),
    }
}

impl Entry {
    /// Reads an entry from the text of one line. `added` numbers the entry
    /// if its meta does not say.
    pub fn parse(
        line: SharedStr,
        added: impl FnOnce() -> u64,
        symbols: &mut Symbols,
    ) -> Result<Entry, Invalid> {
        let (split, fields) = match Self::split_fast(&line, Some(symbols)) {
            Some(found) => found,
            None => {
                let split = split_line(&line)?;
                let fields = meta::read_fields(&line, split.meta.clone(), symbols)?;
                (split, fields)
            }
        };
        let line = if split.array == (0..line.len()) {
            line
        } else {
            line.slice(split.array.clone())
        };
        let shift = |r: Range<usize>| {
            (
                (r.start - split.array.start) as u32,
                (r.end - split.array.start) as u32,
            )
        };
        let action = shift(split.action);
        let meta_span = shift(split.meta);
        let fields = fields.shifted(split.array.start);
        Entry::from_fields(line.clone(), action, meta_span, fields, added)
    }

    /// [`split_line`] and [`meta::read_fields`] for a line the fast check
    /// accepts (without `symbols`, reasons and indexes are only counted);
    /// `None` leaves the line to them, for their exact error.
    pub(crate) fn split_fast(
        line: &str,
        mut symbols: Option<&mut Symbols>,
    ) -> Option<(SplitLine, MetaFields)> {
        json::split_line_fast(line.as_bytes(), |spans| {
            if line.as_bytes()[spans.action_type.clone()?.start] != b'"' {
                return None;
            }
            let mut fields = MetaFields::default();
            for member in &spans.meta_members {
                let value = member.value.clone();
                meta::read_field(
                    line,
                    &member.key,
                    value,
                    &mut fields,
                    symbols.as_deref_mut(),
                )
                .ok()?;
            }
            let split = SplitLine {
                array: spans.array.clone(),
                action: spans.action.clone(),
                meta: spans.meta.clone(),
            };
            Some((split, fields))
        })
        .flatten()
    }

    fn from_fields(
        line: SharedStr,
        action: (u32, u32),
        meta: (u32, u32),
        fields: MetaFields,
        added: impl FnOnce() -> u64,
    ) -> Result<Entry, Invalid> {
        let id_span = fields.id.ok_or("meta has no \"id\"")?;
        let decoded_id = id_span
            .escaped
            .then(|| id_span.decode(&line).into_owned().into_boxed_str());
        let id = (id_span.start as u32 + 1, id_span.end as u32 - 1);
        let parts = match &decoded_id {
            Some(decoded) => parse_action_id(decoded),
            None => parse_action_id(&line[id.0 as usize..id.1 as usize]),
        }?;
        let time = fields.time.unwrap_or(parts.ms as f64);
        let reasons = fields.reasons.unwrap_or_default();
        let reason_count = u8::try_from(reasons.len()).map_err(|_| "more than 255 reasons")?;
        let mut names: SmallVec<[Symbol; 3]> = reasons.into_iter().collect();
        names.extend(fields.indexes.unwrap_or_default().iter().copied());
        let (added, added_written) = match fields.added {
            Some(added) => (added, true),
            None => (added(), false),
        };
        Ok(Entry {
            line,
            action,
            meta,
            id,
            parts,
            time,
            added,
            added_written,
            reason_count,
            names,
            extra: decoded_id.map(|decoded_id| {
                Box::new(Extra {
                    patch: None,
                    decoded_id: Some(decoded_id),
                })
            }),
        })
    }

    /// This entry printed as its line is, without an `added` filled in: an
    /// entry from an archive that was never stored has no number to give.
    pub(crate) fn printed_as_written(mut self) -> Entry {
        self.added_written = true;
        self
    }

    /// Numbers an entry whose meta has no `added` by its position.
    pub(crate) fn set_added_by_position(&mut self, added: u64) {
        if !self.added_written {
            self.added = added;
        }
    }

    /// Moves the entry's reasons and indexes to another symbol table.
    pub(crate) fn remap_symbols(&mut self, map: &[Symbol]) {
        for symbol in self.names.iter_mut() {
            *symbol = symbol.remapped(map);
        }
    }

    /// `range` of the line, with the reasons patch applied if it falls
    /// inside.
    fn patched(&self, range: Range<usize>) -> Cow<'_, str> {
        let text = &self.line[range.clone()];
        match self.patch() {
            Some(patch) if range.start <= patch.old().start && patch.old().end <= range.end => {
                let old = patch.old();
                let (before, after) = (old.start - range.start, old.end - range.start);
                let mut out = String::with_capacity(text.len() + patch.new.len());
                out.push_str(&text[..before]);
                out.push_str(&patch.new);
                out.push_str(&text[after..]);
                Cow::Owned(out)
            }
            _ => Cow::Borrowed(text),
        }
    }

    fn meta_range(&self) -> Range<usize> {
        self.meta.0 as usize..self.meta.1 as usize
    }

    /// The `[action,meta]` text, without a line break.
    pub fn line(&self) -> Cow<'_, str> {
        self.patched(0..self.line.len())
    }

    /// [`Entry::line`] as up to three pieces to write one after another,
    /// so that a patched line is written without being put together first.
    pub(crate) fn line_pieces(&self) -> [&str; 3] {
        match self.patch() {
            Some(patch) => [
                &self.line[..patch.old().start],
                &patch.new,
                &self.line[patch.old().end..],
            ],
            None => [&self.line, "", ""],
        }
    }

    /// How long [`Entry::line`] is, without making it or reading it (the
    /// line's bytes may be a mapped file's pages, let go of).
    pub(crate) fn line_len(&self) -> usize {
        match self.patch() {
            Some(patch) => self.line.byte_len() - patch.old().len() + patch.new.len(),
            None => self.line.byte_len(),
        }
    }

    /// The action's JSON text, as the line has it.
    pub fn action(&self) -> SharedStr {
        self.line
            .slice(self.action.0 as usize..self.action.1 as usize)
    }

    /// The meta's JSON text: the line's, with the entry's reasons as they
    /// are now.
    pub fn meta(&self) -> SharedStr {
        match self.patched(self.meta_range()) {
            Cow::Borrowed(_) => self.line.slice(self.meta_range()),
            Cow::Owned(meta) => SharedStr::from(meta),
        }
    }

    /// The meta, with `added` in it even where the file left it out.
    pub fn meta_with_added(&self) -> Cow<'_, str> {
        if self.added_written {
            return self.patched(self.meta_range());
        }
        let mut meta = MetaText::parse(&self.meta()).unwrap_or_default();
        meta.set_raw("added", self.added.to_string());
        Cow::Owned(meta.to_json())
    }

    /// The `[action,meta]` line, with `added` in the meta (see
    /// [`Entry::meta_with_added`]).
    pub fn line_with_added(&self) -> Cow<'_, str> {
        if self.added_written {
            self.line()
        } else {
            Cow::Owned(format!("[{},{}]", self.action(), self.meta_with_added()))
        }
    }

    fn patch(&self) -> Option<&ReasonsPatch> {
        self.extra.as_ref()?.patch.as_ref()
    }

    /// Where the `reasons` value read from the line stands, and the text
    /// that replaces it, if the reasons changed since.
    pub(crate) fn reasons_patch(&self) -> Option<(Range<usize>, &str)> {
        self.patch().map(|patch| (patch.old(), &*patch.new))
    }

    /// The spans of the action and of the meta in [`Entry::shared_line`].
    pub(crate) fn spans(&self) -> (Range<usize>, Range<usize>) {
        (
            self.action.0 as usize..self.action.1 as usize,
            self.meta_range(),
        )
    }

    /// The line as read or built, before any reasons patch.
    pub(crate) fn shared_line(&self) -> &SharedStr {
        &self.line
    }

    /// The action ID (`meta.id`).
    pub fn id(&self) -> &str {
        match self.extra.as_ref().and_then(|e| e.decoded_id.as_deref()) {
            Some(decoded) => decoded,
            None => &self.line[self.id.0 as usize..self.id.1 as usize],
        }
    }

    pub(crate) fn id_parts(&self) -> &IdParts {
        &self.parts
    }

    /// The node ID: the middle part of the action ID.
    pub fn node(&self) -> &str {
        self.parts.node(self.id())
    }

    /// `meta.time`, in milliseconds by this log's clock: an action from
    /// another node has its time moved by the connection's time fix, and
    /// one added without a time has its ID's milliseconds.
    pub fn time(&self) -> f64 {
        self.time
    }

    /// `meta.added`: the entry's number in added order, 0 before it is added.
    pub fn added(&self) -> u64 {
        self.added
    }

    /// Whether the line itself says `added` (else the entry is numbered by
    /// its place in the file).
    pub fn added_written(&self) -> bool {
        self.added_written
    }

    /// The reasons that keep the entry in the log, as symbols of the log's [`Symbols`].
    pub fn reasons(&self) -> &[Symbol] {
        &self.names[..usize::from(self.reason_count)]
    }

    /// The indexes the entry is in (`meta.indexes`), as symbols.
    pub fn indexes(&self) -> &[Symbol] {
        &self.names[usize::from(self.reason_count)..]
    }

    /// Whether the entry is in `index`.
    pub fn in_index(&self, index: Symbol) -> bool {
        self.indexes().contains(&index)
    }

    /// What created order compares: `time`, then the ID's parts.
    pub fn order_key(&self) -> OrderKey<'_> {
        OrderKey::new(self.time, self.id(), &self.parts)
    }

    /// The action's `type`.
    pub fn action_type(&self) -> String {
        let action = self.action();
        let [kind] = json::last_members(&action, ["type"]);
        kind.and_then(|span| json::as_string(&action, span))
            .unwrap_or_default()
    }

    /// The meta's `subprotocol` as JSON text, if it has one.
    pub fn subprotocol(&self) -> Option<String> {
        subprotocol_of(&self.meta())
    }

    /// Builds an entry from an action and a new meta text. The meta must
    /// have been checked with `meta::read_fields`.
    pub fn new(action: &str, meta_text: &str, symbols: &mut Symbols) -> Result<Entry, Invalid> {
        check_fits(action.len() + meta_text.len() + 3)?;
        let mut line = String::with_capacity(action.len() + meta_text.len() + 3);
        line.push('[');
        line.push_str(action);
        line.push(',');
        line.push_str(meta_text);
        line.push(']');
        let action_span = (1, 1 + action.len() as u32);
        let meta_span = (action_span.1 + 1, line.len() as u32 - 1);
        let line = SharedStr::from(line);
        let fields = meta::read_fields(&line, meta_span.0 as usize..meta_span.1 as usize, symbols)?;
        Entry::from_fields(line, action_span, meta_span, fields, || 0)
    }

    /// An entry for a new action whose meta, checked by `meta::read_fields`
    /// into `fields` and without `added`, gets `"added":N` as its last key.
    /// Spares reading the meta a second time.
    /// The line is put together in `scratch` and copied to the arena.
    pub(crate) fn with_added(
        action: &str,
        meta_text: &str,
        mut fields: MetaFields,
        added: u64,
        scratch: &mut String,
    ) -> Result<Entry, Invalid> {
        let body = meta_text
            .strip_suffix('}')
            .ok_or("the meta must be a JSON object")?;
        // `,"added":` and the number, at most.
        check_fits(action.len() + meta_text.len() + 3 + 27)?;
        let line = scratch;
        line.clear();
        let meta_span = push_line(line, action, body, added);
        let (meta_start, meta_end) = (meta_span.start, meta_span.end);
        if let Some(id) = &mut fields.id {
            id.start += meta_start;
            id.end += meta_start;
        }
        fields.added = Some(added);
        let action_span = (1, 1 + action.len() as u32);
        Entry::from_fields(
            SharedStr::from(line.as_str()),
            action_span,
            (meta_start as u32, meta_end as u32),
            fields,
            || added,
        )
    }

    /// This entry with other reasons, patched into the line when it is
    /// written: nothing of the meta is read again or copied. `None` where
    /// the line has no `reasons` key to patch; the caller rewrites the meta
    /// then.
    #[cfg(test)]
    pub(crate) fn with_reasons(&self, reasons: Reasons, symbols: &Symbols) -> Option<Entry> {
        let text = meta::string_array(reasons.iter().map(|&s| symbols.name(s)));
        self.with_reasons_text(reasons, Arc::from(text))
    }

    /// [`Entry::with_reasons`], given the new reasons as JSON text (which a
    /// caller changing many entries shares between them).
    pub(crate) fn with_reasons_text(&self, reasons: Reasons, text: Arc<str>) -> Option<Entry> {
        let line: &str = &self.line;
        let mut members = Members::new(line.as_bytes(), self.meta.0 as usize, 1).ok()?;
        let mut value = None;
        while let Some(member) = members.next_member().ok()? {
            if member.key.decode(line) == "reasons" {
                value = Some(member.value);
            }
        }
        let old = value?;
        let patch = ReasonsPatch {
            old: (u32::try_from(old.start).ok()?, u32::try_from(old.end).ok()?),
            new: text,
        };
        let mut entry = self.clone();
        entry.reason_count = u8::try_from(reasons.len()).ok()?;
        entry.names = reasons.iter().chain(self.indexes()).copied().collect();
        entry.extra.get_or_insert_with(Box::default).patch = Some(patch);
        Some(entry)
    }

    /// This entry with its meta replaced; the error says what is wrong with
    /// the new meta.
    pub(crate) fn with_meta(
        &self,
        meta_text: &str,
        symbols: &mut Symbols,
    ) -> Result<Entry, Invalid> {
        let mut entry = Entry::new(&self.action(), meta_text, symbols)?;
        if !entry.added_written {
            entry.added = self.added;
        }
        Ok(entry)
    }
}

/// The `subprotocol` of the meta object `meta`, as JSON text, if it has
/// one: [`Entry::subprotocol`] of the entry with that meta.
pub fn subprotocol_of(meta: &str) -> Option<String> {
    // Most metas have none: only one that may (its name, or an escape
    // that could spell it) is read.
    // Built once: building a finder for each meta cost more than the
    // search.
    static NAME: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"subprotocol"));
    if NAME.find(meta.as_bytes()).is_none() && memchr::memchr(b'\\', meta.as_bytes()).is_none() {
        return None;
    }
    let [subprotocol] = json::last_members(meta, ["subprotocol"]);
    subprotocol.map(|span| meta[span].to_owned())
}

/// What a sync sends of an entry, and its `added`, found in its line by
/// the fast split that checks it, without making an [`Entry`]: for a push,
/// which reads the news from the file as it sends them (see
/// [`crate::store::Visit::visit_travelling`]). Each is what
/// [`Entry::parse`] of the line gives.
#[derive(Debug, Clone, PartialEq)]
pub struct Travelling {
    /// Where the action is in the line.
    pub action: Range<usize>,
    /// Where the ID is in the line, between its quotes.
    pub id: Range<usize>,
    /// Where the ID's node is in the line.
    pub node: Range<usize>,
    /// As [`Entry::time`].
    pub time: f64,
    /// `meta.added`, which the line says.
    pub added: u64,
    /// Where the meta is in the line: [`subprotocol_of`] it is
    /// [`Entry::subprotocol`].
    pub meta: Range<usize>,
}

impl Travelling {
    /// What travels of the entry whose line is `line`, from what the fast
    /// split found in it; `None` leaves the line to [`Entry::parse`]: a
    /// line it refuses, one with an ID written with escapes or without
    /// `added`.
    pub(crate) fn from_split(
        line: &str,
        split: &SplitLine,
        fields: &MetaFields,
    ) -> Option<Travelling> {
        let added = fields.added?;
        let id = fields.id.as_ref().filter(|id| !id.escaped)?;
        let id = id.start + 1..id.end - 1;
        let parts = parse_action_id(&line[id.clone()]).ok()?;
        if fields.reasons.as_ref().is_some_and(|r| r.len() > 255) {
            return None;
        }
        Some(Travelling {
            action: split.action.clone(),
            node: id.start + parts.node_start as usize..id.start + parts.node_end as usize,
            id,
            time: fields.time.unwrap_or(parts.ms as f64),
            added,
            meta: split.meta.clone(),
        })
    }

    /// The same, of the text that starts `by` bytes into the line.
    pub(crate) fn shifted(&self, by: usize) -> Travelling {
        let shift = |r: &Range<usize>| r.start - by..r.end - by;
        Travelling {
            action: shift(&self.action),
            id: shift(&self.id),
            node: shift(&self.node),
            time: self.time,
            added: self.added,
            meta: shift(&self.meta),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Pieces of the lines of logs written by actionlog and by others.
    const ACTIONS: &[&str] = &[
        r#"{"type":"a"}"#,
        r#"{ "type" : "b" , "x" : [ 1 , "]" ] }"#,
        r#"{"t\u0079pe":"e","s":"a \"b\" \\ c"}"#,
        r#"{"type":1}"#,
    ];
    const IDS: &[&str] = &[
        r#""id":"1 a 0""#,
        r#""id":"1700000000000 10:x 3""#,
        r#""id":"2 b\u0063 1""#,
        r#""id":"01 a 0""#,
        r#""i\u0064":"5 c 0""#,
        "",
    ];
    const METAS: &[&str] = &[
        "",
        r#""time":5"#,
        r#""time": -1.5e3"#,
        r#""time":"5""#,
        r#""subprotocol":"1.0.0""#,
        r#""subprotocol" : 2"#,
        r#""subprot\u006fcol":3"#,
        r#""reasons":["r","s"]"#,
        r#""reasons":"r""#,
        r#""x":{"time":9,"added":3}"#,
        r#""added":"2""#,
    ];
    const ADDED: &[&str] = &["", r#""added":7"#, r#""added":0"#, r#""added": 12 "#];

    /// What travels of `line`, as the check of a log finds it.
    fn travelling_of(line: &str) -> Option<Travelling> {
        let (split, fields) = Entry::split_fast(line, None)?;
        Travelling::from_split(line, &split, &fields)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(600))]

        /// What a push sends of a line read without making an entry is
        /// what the entry made from it gives.
        #[test]
        fn what_travels_of_a_line_is_what_its_entry_gives(
            action in 0..ACTIONS.len(),
            id in 0..IDS.len(),
            metas in proptest::collection::vec(0..METAS.len(), 0..4),
            added in 0..ADDED.len(),
            spaced in any::<bool>(),
            order in any::<bool>(),
        ) {
            let mut members: Vec<&str> = metas.iter().map(|&m| METAS[m]).collect();
            members.push(IDS[id]);
            members.push(ADDED[added]);
            if order {
                members.reverse();
            }
            members.retain(|m| !m.is_empty());
            let comma = if spaced { " , " } else { "," };
            let line = format!("[{}{comma}{{{}}}]", ACTIONS[action], members.join(comma));
            let entry = Entry::parse(SharedStr::from(line.as_str()), || 99, &mut Symbols::default());
            match (travelling_of(&line), entry) {
                (Some(travelling), Ok(entry)) => {
                    prop_assert!(entry.added_written());
                    prop_assert_eq!(&line[travelling.action.clone()], &*entry.action());
                    prop_assert_eq!(&line[travelling.id.clone()], entry.id());
                    prop_assert_eq!(&line[travelling.node.clone()], entry.node());
                    prop_assert_eq!(travelling.time.to_bits(), entry.time().to_bits());
                    prop_assert_eq!(travelling.added, entry.added());
                    prop_assert_eq!(subprotocol_of(&line[travelling.meta.clone()]), entry.subprotocol());
                }
                (Some(_), Err(error)) => prop_assert!(false, "the entry is refused: {error}"),
                // Left to the entry: a line with escapes, without
                // `added`, or with a value a later one of its key puts
                // right; and what the entry refuses.
                (None, Ok(entry)) => prop_assert!(
                    !entry.added_written()
                        || line.contains('\\')
                        || ["01 a", r#":"2""#, r#":"5""#, r#":"r""#].iter().any(|odd| line.contains(odd)),
                    "not read: {line}"
                ),
                (None, Err(_)) => {}
            }
        }
    }

    #[test]
    fn an_invalid_line_says_why_and_keeps_the_error_it_comes_from() {
        let mut symbols = Symbols::default();
        let mut parse = |line: &str| Entry::parse(SharedStr::from(line), || 1, &mut symbols);
        let Err(Invalid::Syntax(syntax)) = parse(r#"[{"type":"a"},{"id":"1 a 0",]"#) else {
            panic!("not a syntax error");
        };
        assert_eq!(syntax.offset, 28);
        let Err(Invalid::Id(id)) = parse(r#"[{"type":"a"},{"id":"1 a"}]"#) else {
            panic!("not an ID error");
        };
        assert_eq!(id.id(), "1 a");
        assert_eq!(
            parse(r#"[{"kind":"a"},{"id":"1 a 0"}]"#).unwrap_err(),
            Invalid::from("expected \"type\" in action")
        );
    }

    #[test]
    fn an_entry_stays_small() {
        // A million entries sit in memory beside a 200 MB log; the memory
        // budget of twice the file size leaves about 190 bytes for each.
        assert!(
            std::mem::size_of::<Entry>() <= 128,
            "{}",
            std::mem::size_of::<Entry>()
        );
        assert_eq!(
            std::mem::size_of::<Option<Entry>>(),
            std::mem::size_of::<Entry>()
        );
    }

    #[test]
    fn splicing_reasons_keeps_every_span_right() {
        let mut symbols = Symbols::default();
        let text = r#"[ {"type":"a"} , {"reasons":["x","yy"],"z":1,"id":"5 n\u0041 2","time":5,"added":3} ]"#;
        let entry = Entry::parse(SharedStr::from(text), || 0, &mut symbols).unwrap();
        for names in [vec![], vec!["x"], vec!["x", "yy", "a much longer reason"]] {
            let reasons: Reasons = names.iter().map(|n| symbols.intern(n)).collect();
            let spliced = entry.with_reasons(reasons, &symbols).unwrap();
            let again = Entry::parse(
                SharedStr::from(spliced.line().into_owned()),
                || 0,
                &mut symbols,
            )
            .unwrap();
            assert_eq!(spliced.id(), "5 nA 2");
            assert_eq!(spliced.id(), again.id());
            assert_eq!(spliced.node(), "nA");
            assert_eq!(&*spliced.meta(), &*again.meta());
            assert_eq!(&*spliced.action(), r#"{"type":"a"}"#);
            assert_eq!(spliced.reasons(), again.reasons());
            assert_eq!(spliced.added(), 3);
        }
        let plain = r#"[{"type":"a"},{"reasons":["x"],"id":"5 n 2","added":3}]"#;
        let entry = Entry::parse(SharedStr::from(plain), || 0, &mut symbols).unwrap();
        let spliced = entry.with_reasons(Reasons::new(), &symbols).unwrap();
        assert_eq!(
            spliced.line(),
            r#"[{"type":"a"},{"reasons":[],"id":"5 n 2","added":3}]"#
        );
        assert_eq!(spliced.line_len(), spliced.line().len());
        assert_eq!(spliced.id(), "5 n 2");
        // A second change patches the line as read, not the first patch.
        let again = spliced
            .with_reasons(Reasons::from_slice(&[symbols.intern("q")]), &symbols)
            .unwrap();
        assert_eq!(
            again.line(),
            r#"[{"type":"a"},{"reasons":["q"],"id":"5 n 2","added":3}]"#
        );
    }
}
