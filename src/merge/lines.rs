//! The lines a merge appends for another log's entries, made one at a time
//! from the other log's lines, each exactly as [`super::merge`] stores it:
//! so that a big merge goes to the file as it is made, without either log
//! in memory.
//!
//! Only a merge that gives every incoming entry a reason and has no rules
//! is made so: each entry it takes then becomes one line, changes no older
//! entry and prints one event.

use std::borrow::Cow;
use std::ops::Range;

use super::{MergeOptions, incoming_meta, kept_meta, only_subprotocol, with_reasons};
use crate::entry::{Entry, check_fits, push_line, split_line};
use crate::error::{Error, Invalid, Result};
use crate::id::{IdGenerator, IdParts, MAX_SAFE_INTEGER, parse_action_id};
use crate::log::{Completed, PreparedMeta, checked_action, complete_meta};
use crate::meta::{self, MetaText};
use crate::protocol::IncomingMeta;
use crate::text::Symbols;

/// An entry of the other log: its `[action, meta]` text read as a log
/// entry is read.
#[derive(Debug)]
pub struct Incoming<'t> {
    action: &'t str,
    meta: &'t str,
    id: Cow<'t, str>,
    /// What travels of the meta, found by the structural split: the line
    /// is then made from it rather than from the meta read member by
    /// member.
    travelled: Option<Travelled<'t>>,
}

/// The raw values that travel with an entry whose ID and meta keys have no
/// escapes: the ID with its quotes (and its parts), the last `time` and
/// `subprotocol`.
#[derive(Debug)]
struct Travelled<'t> {
    id: &'t str,
    parts: IdParts,
    time: Option<&'t str>,
    subprotocol: Option<&'t str>,
}

impl<'t> Incoming<'t> {
    /// Reads the `[action, meta]` array `entry`, as the log's read takes an
    /// entry's line: its error is the one that read gives. An entry of a
    /// log that was read so (under a lock that keeps it so) is read again
    /// faster: only for the spans of its action, meta and the members that
    /// travel, which are not checked again.
    pub fn read(entry: &'t str, symbols: &mut Symbols) -> Result<Self> {
        // The action, the meta, and the quoted ID, time and subprotocol.
        let fast = crate::json::split_line_fast(entry.as_bytes(), |spans| {
            let kind = spans.action_type.as_ref()?;
            (entry.as_bytes()[kind.start] == b'"').then_some(())?;
            let (mut id, mut time, mut subprotocol) = ("", None, None);
            for member in &spans.meta_members {
                if member.key.escaped {
                    return None;
                }
                let value = &entry[member.value.clone()];
                match member.key.inner(entry) {
                    "id" => id = value,
                    "time" => time = Some(value),
                    "subprotocol" => subprotocol = Some(value),
                    _ => {}
                }
            }
            let action = &entry[spans.action.clone()];
            Some((action, &entry[spans.meta.clone()], id, time, subprotocol))
        })
        .flatten();
        if let Some((action, meta, quoted, time, subprotocol)) = fast
            && let Some(id) = quoted.strip_prefix('"').and_then(|id| id.strip_suffix('"'))
            && !id.contains('\\')
        {
            return Ok(Incoming {
                action,
                meta,
                id: Cow::Borrowed(id),
                travelled: Some(Travelled {
                    id: quoted,
                    parts: parse_action_id(id)?,
                    time,
                    subprotocol,
                }),
            });
        }
        let (split, fields) = match Entry::split_fast(entry, None) {
            Some(found) => found,
            None => {
                let split = split_line(entry)?;
                let fields = meta::read_fields(entry, split.meta.clone(), symbols)?;
                (split, fields)
            }
        };
        let id = fields
            .id
            .ok_or_else(|| Invalid::from("meta has no \"id\""))?
            .decode(entry);
        parse_action_id(&id)?;
        Ok(Incoming {
            action: &entry[split.action],
            meta: &entry[split.meta],
            id,
            travelled: None,
        })
    }

    /// The action ID.
    pub fn id(&self) -> &str {
        &self.id
    }
}

/// Makes the lines of a merge's entries, numbered after a log's newest
/// `added`: what [`super::merge`] stores for each entry it takes.
#[derive(Debug, Clone)]
// For the command line's merge, which writes the lines straight to the
// file: no part of the API.
#[doc(hidden)]
pub struct MergeLines {
    options: MergeOptions,
    ids: IdGenerator,
    now: u64,
    last_added: u64,
    symbols: Symbols,
    /// Where each meta is put together, kept between lines.
    text: String,
    /// The options' reasons as the meta's `reasons` value.
    reasons: String,
}

impl MergeLines {
    /// Lines for a merge under `options` into a log whose newest entry is
    /// numbered `last_added`, with `ids` its node's generator. `None` for
    /// a merge that needs the log: one with rules (which may set
    /// `keepLast` or prune the history), or without reasons (whose
    /// entries are cleaned at once).
    pub fn new(options: MergeOptions, ids: IdGenerator, now: u64, last_added: u64) -> Option<Self> {
        (options.rules.is_none() && !options.reasons.is_empty()).then(|| MergeLines {
            ids,
            now,
            last_added,
            reasons: meta::string_array(options.reasons.iter().map(String::as_str)),
            options,
            symbols: Symbols::default(),
            text: String::new(),
        })
    }

    /// Writes the line of `incoming`, numbered after the last, to `line`
    /// (cleared first), without its `\n`, and returns where its meta is
    /// in it. The caller has made sure the log does not hold its ID. An
    /// error is the one [`super::merge`] gives, and leaves the numbering
    /// as it was.
    pub fn line(&mut self, incoming: &Incoming<'_>, line: &mut String) -> Result<Range<usize>> {
        if let Some(travelled) = &incoming.travelled
            && let Some(meta) = self.line_of_travelled(incoming, travelled, line)?
        {
            return Ok(meta);
        }
        let mut meta = incoming_meta(&MetaText::parse(incoming.meta)?, self.options.time_fix);
        with_reasons(&mut meta, &self.options);
        self.line_of_prepared(incoming.action, &PreparedMeta::new(&meta), line)
    }

    /// The line [`super::add_received`] stores for an action a connection
    /// received, as [`MergeLines::line`] makes it; `None`, having done
    /// nothing, for one whose meta has keys besides those that travel
    /// (which may ask for changes of older entries: the general add's).
    pub fn line_of_received(
        &mut self,
        action: &str,
        meta: &IncomingMeta,
        line: &mut String,
    ) -> Result<Option<Range<usize>>> {
        let Some(subprotocol) = only_subprotocol(meta) else {
            return Ok(None);
        };
        if meta.time.is_finite() && subprotocol.is_none_or(meta::is_subprotocol) {
            // The meta `kept_meta` writes, which reads back as it was
            // written: made at once.
            let action = checked_action(action)?;
            let parts = parse_action_id(&meta.id)?;
            let added = next_added(self.last_added)?;
            let body = &mut self.text;
            body.clear();
            meta::write_travelled(body, &meta.id, meta.time, subprotocol);
            body.push_str(",\"reasons\":");
            body.push_str(&self.reasons);
            return self
                .push_written(action, &meta.id, parts, added, line)
                .map(Some);
        }
        let Some(prepared) = kept_meta(meta, &self.options.reasons) else {
            return Ok(None);
        };
        self.line_of_prepared(action, &prepared, line).map(Some)
    }

    /// Whether [`MergeLines::line_of_received`] makes the line of this
    /// action (`false`: it is for the general add), without numbering it:
    /// the checks the general add makes of an action before it finds that
    /// the log has its ID, which are all it does with one (but take note
    /// of an ID of this node). Its error is that add's.
    pub fn check_received(
        &mut self,
        action: &str,
        meta: &IncomingMeta,
        line: &mut String,
    ) -> Result<bool> {
        let last_added = self.last_added;
        let made = self.line_of_received(action, meta, line);
        self.last_added = last_added;
        made.map(|made| made.is_some())
    }

    /// The line of an add of `action` with `prepared`, as
    /// [`crate::log::Log::add_prepared`] stores it, numbered after the last.
    fn line_of_prepared(
        &mut self,
        action: &str,
        prepared: &PreparedMeta,
        line: &mut String,
    ) -> Result<Range<usize>> {
        let action = checked_action(action)?;
        // The generator moves only when the line is good.
        let mut ids = self.ids.clone();
        let text = &mut self.text;
        text.clear();
        text.push_str(prepared.text());
        let Completed { fields, .. } =
            complete_meta(prepared, text, &mut ids, self.now, &mut self.symbols)?;
        if !fields.keep_last.is_empty() || fields.added.is_some() || fields.reasons.is_none() {
            // What travels between nodes and the options' reasons are all
            // an incoming meta has.
            return Err(Invalid::from("a merged meta holds keys no merge gives it").into());
        }
        let added = next_added(self.last_added)?;
        let body = text
            .strip_suffix('}')
            .ok_or_else(|| Invalid::from("the meta must be a JSON object"))?;
        // As `Entry::with_added` counts: `,"added":` and the number, at most.
        check_fits(action.len() + text.len() + 3 + 27)?;
        line.clear();
        let meta = push_line(line, action, body, added);
        self.ids = ids;
        self.last_added = added;
        Ok(meta)
    }

    /// [`MergeLines::line`] from what travelled, read by the structural
    /// split: the meta's text written as [`super::merge`] builds it (the
    /// keys that travel in their order, then `reasons`, then a `time` made
    /// from the ID where none came), without reading it member by member.
    /// `None`, having done nothing, for a time the fix takes out of range,
    /// which the general way reports.
    fn line_of_travelled(
        &mut self,
        incoming: &Incoming<'_>,
        travelled: &Travelled<'_>,
        line: &mut String,
    ) -> Result<Option<Range<usize>>> {
        let fix = self.options.time_fix;
        let fixed;
        let time = match travelled.time {
            Some(raw) if fix != 0.0 => {
                let time = raw.parse::<f64>().unwrap_or(0.0) + fix;
                if !time.is_finite() {
                    return Ok(None);
                }
                fixed = crate::json::number(time);
                Some(fixed.as_str())
            }
            time => time,
        };
        let parts = travelled.parts;
        let added = next_added(self.last_added)?;
        let body = &mut self.text;
        body.clear();
        body.push_str("{\"id\":");
        body.push_str(travelled.id);
        if let Some(time) = time {
            body.push_str(",\"time\":");
            body.push_str(time);
        }
        if let Some(subprotocol) = travelled.subprotocol {
            body.push_str(",\"subprotocol\":");
            body.push_str(subprotocol);
        }
        body.push_str(",\"reasons\":");
        body.push_str(&self.reasons);
        if time.is_none() {
            body.push_str(",\"time\":");
            crate::id::push_number(body, parts.ms);
        }
        self.push_written(incoming.action, &incoming.id, parts, added, line)
            .map(Some)
    }

    /// Ends a line whose meta a fast way wrote into `self.text` (without
    /// its closing brace): the line of `action` numbered `added`, written
    /// to `line`, where its meta is returned; the generator takes note of
    /// `id` (with `parts`) if it is of its node. Nothing changes if the
    /// line would be too long.
    fn push_written(
        &mut self,
        action: &str,
        id: &str,
        parts: IdParts,
        added: u64,
        line: &mut String,
    ) -> Result<Range<usize>> {
        // As `Entry::with_added` counts: the closing brace, `,"added":`
        // and the number, at most.
        check_fits(action.len() + self.text.len() + 4 + 27)?;
        if parts.node(id) == self.ids.node() {
            self.ids.observe(parts.ms, parts.counter);
        }
        line.clear();
        let meta = push_line(line, action, &self.text, added);
        self.last_added = added;
        Ok(meta)
    }

    /// The generator after the IDs of the lines made so far.
    pub fn ids(&self) -> &IdGenerator {
        &self.ids
    }

    /// The `added` of the last line made.
    pub fn last_added(&self) -> u64 {
        self.last_added
    }
}

/// The `added` after `last_added`, if there is one to give.
fn next_added(last_added: u64) -> Result<u64> {
    let added = last_added.saturating_add(1);
    if added > MAX_SAFE_INTEGER {
        return Err(Error::input(format!(
            "the log has given out every added number (lastAdded is {last_added})"
        )));
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::log::{Log, Order};
    use crate::merge::merge;

    /// Values of an incoming meta's keys, as other logs write them.
    const TIMES: &[&str] = &[
        "",
        r#""time":5"#,
        r#""time": 1.5e3"#,
        r#""time":-0"#,
        r#""time":7.0"#,
    ];
    const SUBPROTOCOLS: &[&str] = &["", r#""subprotocol":"1.0.0""#, r#""subprotocol": 2"#];
    const OTHER_KEYS: &[&str] = &[
        "",
        r#""reasons":["x"]"#,
        r#""reasons":[]"#,
        r#""indexes":["i"]"#,
        r#""x": {"a": [1, {"b":null}]}"#,
        r#""keepLast":"k""#,
        r#""id":"9 z 9""#,
        r#""ti\u006de":9"#,
    ];
    const NODES: &[&str] = &["a", "me", r"b\u0063", "10:x"];
    const ACTIONS: &[&str] = &[
        r#"{"type":"a"}"#,
        r#"{ "type" : "b" , "x" : [ 1 , 2 ] }"#,
        r#"{"t\u0079pe":"e","s":"a \"b\" \\ c"}"#,
        r#"{"type":"h","n":-0.5e-3,"m":null,"o":{}}"#,
    ];

    /// One entry of the other log: its ID's parts and meta's pieces.
    type Piece = ((u64, usize, u64), (usize, usize, usize), usize, bool);

    fn other_text(pieces: &[Piece]) -> String {
        let mut text = String::new();
        for (n, ((ms, node, counter), (time, sub, other), action, spaced)) in
            pieces.iter().enumerate()
        {
            let mut members = vec![format!(r#""id":"{ms} {} {counter}""#, NODES[*node])];
            for piece in [TIMES[*time], SUBPROTOCOLS[*sub], OTHER_KEYS[*other]] {
                if !piece.is_empty() {
                    members.push(piece.to_owned());
                }
            }
            members.push(format!(r#""added":{}"#, n + 1));
            let comma = if *spaced { " , " } else { "," };
            let meta = format!("{{{}}}", members.join(comma));
            let line = format!("[{}{comma}{meta}]", ACTIONS[*action]);
            text.push_str(if *spaced { " " } else { "" });
            text.push_str(&line);
            text.push('\n');
        }
        text
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn merge_lines_are_what_a_merge_stores(
            pieces in proptest::collection::vec(
                (
                    (1u64..4, 0..NODES.len(), 0u64..3),
                    (0..TIMES.len(), 0..SUBPROTOCOLS.len(), 0..OTHER_KEYS.len()),
                    0..ACTIONS.len(),
                    any::<bool>(),
                ),
                1..7,
            ),
            held in proptest::collection::vec(any::<bool>(), 7),
            time_fix in prop_oneof![Just(0.0), Just(-3.0), Just(0.25)],
            reasons in prop_oneof![
                Just(vec!["r".to_owned()]),
                Just(vec!["r".to_owned(), "s".to_owned()]),
                Just(vec!["é\"q".to_owned()]),
            ],
            seen in prop_oneof![Just(None), (0u64..5, 0u64..5).prop_map(Some)],
            now in 0u64..3_000,
        ) {
            let text = other_text(&pieces);
            // IDs that come twice make no log.
            let Ok(other) = crate::store::parse(text.clone().into_bytes(), "other".as_ref()) else {
                return Ok(());
            };
            let other = other.log;
            let options = MergeOptions { time_fix, reasons, rules: None };
            let mut ids = IdGenerator::new("me").unwrap();
            if let Some((ms, counter)) = seen {
                ids.observe(ms, counter);
            }
            // This log holds some of the other's IDs already.
            let mut log = Log::new();
            for (entry, _) in other.entries(Order::Added, None).zip(&held).filter(|(_, h)| **h) {
                let meta = MetaText::parse(&format!(
                    r#"{{"id":{},"reasons":["mine"]}}"#,
                    crate::json::quote(entry.id())
                ))
                .unwrap();
                log.add(r#"{"type":"mine"}"#, meta, &mut IdGenerator::new("x").unwrap(), 1)
                    .unwrap();
            }
            let before = log.last_added();

            let mut general_log = log.clone();
            let mut general_ids = ids.clone();
            let general = merge(&mut general_log, &other, &options, &mut general_ids, now);

            let mut lines = MergeLines::new(options.clone(), ids.clone(), now, before).unwrap();
            let mut symbols = Symbols::default();
            let mut made = Vec::new();
            let mut failed = None;
            let mut line = String::new();
            for file_line in text.lines() {
                let incoming = Incoming::read(file_line.trim(), &mut symbols).unwrap();
                if log.contains(incoming.id()) {
                    continue;
                }
                match lines.line(&incoming, &mut line) {
                    Ok(meta) => made.push((line.clone(), line[meta].to_owned())),
                    Err(e) => {
                        failed = Some(e.to_string());
                        break;
                    }
                }
            }
            match general {
                Ok(events) => {
                    prop_assert_eq!(failed, None);
                    let stored: Vec<String> = general_log
                        .entries(Order::Added, None)
                        .filter(|entry| entry.added() > before)
                        .map(|entry| {
                            let mut line = Vec::new();
                            crate::store::format::write_entry(&mut line, entry).unwrap();
                            String::from_utf8(line).unwrap().trim_end().to_owned()
                        })
                        .collect();
                    let made_lines: Vec<&String> = made.iter().map(|(line, _)| line).collect();
                    prop_assert_eq!(stored.iter().collect::<Vec<_>>(), made_lines);
                    prop_assert_eq!(events.len(), made.len());
                    for (event, (line, meta)) in events.iter().zip(&made) {
                        let start = format!("[{},", event.action());
                        prop_assert!(line.starts_with(&start), "{} {}", line, start);
                        let event_meta = event.meta();
                        prop_assert_eq!(event_meta.as_ref(), meta.as_str());
                    }
                    prop_assert_eq!(lines.ids().state(), general_ids.state());
                    prop_assert_eq!(lines.last_added(), general_log.last_added());
                }
                Err(general) => prop_assert_eq!(failed, Some(general.to_string())),
            }
        }

        #[test]
        fn received_lines_are_what_a_received_action_stores(
            received in proptest::collection::vec(
                (
                    (1u64..4, 0..NODES.len(), 0u64..3),
                    prop_oneof![Just(5.0), Just(-0.0), Just(1.5e3), Just(7.25), Just(f64::INFINITY)],
                    prop_oneof![
                        Just(vec![]),
                        Just(vec![("subprotocol", "\"1.0.0\"")]),
                        Just(vec![("subprotocol", "2")]),
                        Just(vec![("subprotocol", "{}")]),
                        Just(vec![("keepLast", "\"k\"")]),
                        Just(vec![("x", "{\"a\": [1]}")]),
                    ],
                    0..ACTIONS.len(),
                ),
                1..6,
            ),
            reasons in prop_oneof![
                Just(vec!["r".to_owned()]),
                Just(vec!["é\"q".to_owned(), "s".to_owned()]),
            ],
            now in 0u64..3_000,
        ) {
            let options = MergeOptions { time_fix: 0.0, reasons, rules: None };
            let ids = IdGenerator::new("me").unwrap();
            let mut log = Log::new();
            let mut lines = MergeLines::new(options.clone(), ids.clone(), now, 0).unwrap();
            let mut general_ids = ids.clone();
            let mut line = String::new();
            for ((ms, node, counter), time, other, action) in received {
                let node = NODES[node].replace("\\u0063", "c");
                let meta = IncomingMeta {
                    id: format!("{ms} {node} {counter}"),
                    time,
                    other: other.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
                };
                if log.contains(&meta.id) {
                    continue;
                }
                let mut events = Vec::new();
                let general = crate::merge::add_received(
                    &mut log, ACTIONS[action], &meta, &options, &mut general_ids, now, &mut events,
                );
                match lines.line_of_received(ACTIONS[action], &meta, &mut line) {
                    Ok(None) => {
                        // Left to the general add: a meta with other keys.
                        prop_assert!(meta.other.iter().any(|(k, _)| k != "subprotocol"));
                        return Ok(());
                    }
                    Ok(Some(meta_span)) => {
                        prop_assert!(general.is_ok());
                        let entry = log.get(&meta.id).unwrap();
                        let mut stored = Vec::new();
                        crate::store::format::write_entry(&mut stored, entry).unwrap();
                        let stored = String::from_utf8(stored).unwrap();
                        prop_assert_eq!(stored.trim_end(), line.as_str());
                        prop_assert_eq!(events.len(), 1);
                        let event_meta = events[0].meta();
                        prop_assert_eq!(event_meta.as_ref(), &line[meta_span]);
                    }
                    Err(e) => prop_assert_eq!(general.map_err(|e| e.to_string()), Err(e.to_string())),
                }
                prop_assert_eq!(lines.last_added(), log.last_added());
            }
        }
    }
}
