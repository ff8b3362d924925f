//! Many plain actions added at once, as `add` reads them from standard
//! input: each action's line made straight from its text, exactly as
//! [`Log::add_prepared`](super::Log::add_prepared) makes it, without an
//! entry or an event in memory for each, so that a million of them go to
//! the file as they are made.
//!
//! Only adds that need nothing of the log but its newest `added` and the
//! newest ID of this node are made so: every action gets a new ID, keeps a
//! reason and changes no older entry.

use std::borrow::Cow;
use std::ops::Range;

use super::{IdOfMeta, PreparedMeta};
use crate::entry::{check_fits, push_line};
use crate::error::{Error, Result};
use crate::id::{IdGenerator, MAX_SAFE_INTEGER, parse_action_id};
use crate::json;
use crate::meta;
use crate::text::Symbols;

/// An action object alone on a line of input, checked as an add checks
/// it: valid JSON, with a string `type`; and as it is stored, without
/// whitespace between its tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
// For the command line's bulk add, as `BulkAdd`.
#[doc(hidden)]
pub struct PlainAction<'t>(Cow<'t, str>);

impl<'t> PlainAction<'t> {
    /// The action that is all of `line` (whitespace around it aside), when
    /// it is certainly one; `None` when it is not, or may not be: the
    /// line is then for [`Log::add_prepared`](super::Log::add_prepared),
    /// which says what is wrong with it.
    pub fn find(line: &'t str) -> Option<Self> {
        let trimmed = line.trim_matches([' ', '\t', '\n', '\r']);
        let found = json::object_line(trimmed.as_bytes())?;
        let type_at = found.type_at?;
        (trimmed.as_bytes()[type_at] == b'"').then_some(())?;
        Some(PlainAction(if found.spaced {
            Cow::Owned(json::minify(trimmed).into_owned())
        } else {
            Cow::Borrowed(trimmed)
        }))
    }

    /// The action's JSON text, minified.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Makes the lines of actions added with one meta, each with a new ID.
#[derive(Debug, Clone)]
// For the command line's bulk add, which writes the lines straight to
// the file: no part of the API.
#[doc(hidden)]
pub struct BulkAdd<'m> {
    meta: &'m PreparedMeta,
    ids: IdGenerator,
    now: u64,
    last_added: u64,
    /// The metas, made once: each is `head`, its ID's counter, then
    /// `tail` (without the closing `}`), for IDs made in millisecond `ms`.
    ms: u64,
    head: String,
    tail: String,
    /// The meta of the line being made, without the closing `}`.
    body: String,
}

impl<'m> BulkAdd<'m> {
    /// Lines for actions added with `meta` after the entry numbered
    /// `last_added`, their IDs from `ids` at `now`. `None` where an add
    /// needs more than its line: a meta with an ID of its own (which may
    /// be taken), with `keepLast` (which changes older entries), with
    /// `added`, or without reasons (such an action is cleaned at once);
    /// and a meta that is not valid, which an add reports.
    pub fn new(
        meta: &'m PreparedMeta,
        ids: IdGenerator,
        now: u64,
        last_added: u64,
    ) -> Option<Self> {
        if !matches!(meta.id, IdOfMeta::Missing) {
            return None;
        }
        let mut bulk = BulkAdd {
            meta,
            ids,
            now,
            last_added,
            ms: 0,
            head: String::new(),
            tail: String::new(),
            body: String::new(),
        };
        // Every meta is the first one with another ID counter and `added`.
        let text = bulk.template(bulk.ids.clone().next(now).ok()?)?;
        let fields = meta::read_fields(&text, 0..text.len(), &mut Symbols::default()).ok()?;
        let reasons = fields.reasons.as_ref().map_or(0, |reasons| reasons.len());
        (reasons > 0 && fields.keep_last.is_empty() && fields.added.is_none()).then_some(bulk)
    }

    /// Makes the meta of the ID `id` as an add does, and from it the
    /// template for the IDs of its millisecond; returns the meta.
    fn template(&mut self, id: String) -> Option<String> {
        let parts = parse_action_id(&id).ok()?;
        let mut text = self.meta.text.clone();
        let id_end = self.meta.complete(&mut text, Some(&id), parts.ms);
        let counter = itoa::Buffer::new().format(parts.counter).len();
        let counter_start = id_end.checked_sub(counter)?;
        (text.get(counter_start..id_end)? == &id[id.len() - counter..]).then_some(())?;
        self.ms = parts.ms;
        self.head = text[..counter_start].to_owned();
        self.tail = text[id_end..text.len() - 1].to_owned();
        Some(text)
    }

    /// Writes the line of the next action to `line` (cleared first),
    /// without its `\n`, and returns where its meta is in it. An error is
    /// the one [`Log::add_prepared`](super::Log::add_prepared) gives.
    pub fn line(&mut self, action: &PlainAction<'_>, line: &mut String) -> Result<Range<usize>> {
        // Nothing changes until the line is known to be good.
        let (ms, counter) = self.ids.peek(self.now)?;
        if ms != self.ms {
            // A generator only moves to another millisecond at its first
            // ID; made the long way all the same, should it ever.
            let id = self.ids.clone().next(self.now)?;
            self.template(id)
                .ok_or_else(|| Error::input("cannot make the meta of a new ID"))?;
        }
        let added = self.last_added.saturating_add(1);
        if added > MAX_SAFE_INTEGER {
            return Err(Error::input(format!(
                "the log has given out every added number (lastAdded is {})",
                self.last_added
            )));
        }
        let action = action.as_str();
        self.body.clear();
        self.body.push_str(&self.head);
        self.body.push_str(itoa::Buffer::new().format(counter));
        self.body.push_str(&self.tail);
        // As `Entry::with_added` counts: `,"added":` and the number, at most.
        check_fits(action.len() + self.body.len() + 4 + 27)?;
        self.ids.next_parts(self.now)?;
        line.clear();
        let meta = push_line(line, action, &self.body, added);
        self.last_added = added;
        Ok(meta)
    }

    /// The generator after the IDs given so far.
    pub fn ids(&self) -> &IdGenerator {
        &self.ids
    }

    /// The `added` of the last line made.
    pub fn last_added(&self) -> u64 {
        self.last_added
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::log::Log;
    use crate::meta::MetaText;
    use crate::{Event, Order};

    /// Pieces of a meta given to `add`: some make a bulk add impossible.
    const META_KEYS: &[&str] = &[
        r#""reasons":["a","b"]"#,
        r#""reasons":["é\"q"]"#,
        r#""reasons":[]"#,
        r#""time":5"#,
        r#""time":-1.5e3"#,
        r#""indexes":["i"]"#,
        r#""subprotocol":"1.0.0""#,
        r#""tab":"x\u0041""#,
        r#""nested":{"a":[1,{"b":null}]}"#,
        r#""keepLast":"k""#,
        r#""id":"1 a 0""#,
        r#""added":3"#,
        r#""time":"soon""#,
        r#""reasons":"r""#,
    ];

    const ACTIONS: &[&str] = &[
        r#"{"type":"a"}"#,
        r#"{ "type" : "b" , "x" : [ 1 , 2 ] }"#,
        r#"{"type":"c","type":"d"}"#,
        r#"{"t\u0079pe":"e","s":"a \"b\" \\ c"}"#,
        r#"{"x":{"type":1},"type":"f\u00e9","y":true}"#,
        "\t{\"type\":\"g\",\"z\":\"🍕\"}\r",
        r#"{"type":"h","n":-0.5e-3,"m":null,"o":{}}"#,
    ];

    /// What the general add made: each line as stored and each event.
    fn general(
        meta: &PreparedMeta,
        ids: &mut IdGenerator,
        now: u64,
        last_added: u64,
        actions: &[&str],
    ) -> std::result::Result<(Vec<String>, Vec<Event>), (usize, String)> {
        let mut log = Log::new();
        log.continue_added_after(last_added);
        let mut events = Vec::new();
        for (n, action) in actions.iter().enumerate() {
            // As `add` gives each value found in its input.
            let action = json::minify(action.trim_matches([' ', '\t', '\n', '\r']));
            log.add_prepared(&action, meta, ids, now, &mut events)
                .map_err(|e| (n, e.to_string()))?;
        }
        let lines = log
            .entries(Order::Added, None)
            .map(|entry| {
                let mut line = Vec::new();
                crate::store::format::write_entry(&mut line, entry).unwrap();
                String::from_utf8(line).unwrap()
            })
            .collect();
        Ok((lines, events))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn a_bulk_add_makes_what_an_add_makes(
            keys in proptest::sample::subsequence(META_KEYS, 0..4),
            picks in proptest::collection::vec(0..ACTIONS.len(), 1..6),
            node in prop_oneof![Just("n"), Just("10:abc"), Just("ü\"x")],
            seen in prop_oneof![Just(None), (0u64..3_000, 0u64..20).prop_map(Some)],
            now in 0u64..3_000,
            last_added in prop_oneof![0u64..5, Just(MAX_SAFE_INTEGER - 2)],
        ) {
            let text = format!("{{{}}}", keys.join(","));
            let meta = PreparedMeta::new(&MetaText::parse(&text).unwrap());
            let mut ids = IdGenerator::new(node).unwrap();
            if let Some((ms, counter)) = seen {
                ids.observe(ms, counter);
            }
            let actions: Vec<&str> = picks.iter().map(|&i| ACTIONS[i]).collect();
            let Some(mut bulk) = BulkAdd::new(&meta, ids.clone(), now, last_added) else {
                // Only what needs the log, or what an add refuses.
                let bulkable = !keys.iter().any(|k| {
                    k.starts_with(r#""keepLast""#) || k.starts_with(r#""id""#)
                        || k.starts_with(r#""added""#) || k.contains("soon")
                        || *k == r#""reasons":"r""#
                }) && keys
                    .iter()
                    .rev()
                    .find(|k| k.starts_with(r#""reasons""#))
                    .is_some_and(|k| k.starts_with(r#""reasons":["#) && !k.ends_with("[]"));
                prop_assert!(!bulkable, "{text}");
                return Ok(());
            };
            let mut general_ids = ids.clone();
            let result = general(&meta, &mut general_ids, now, last_added, &actions);
            let mut line = String::new();
            let mut made = Vec::new();
            let mut failed = None;
            for (n, action) in actions.iter().enumerate() {
                let action = PlainAction::find(action).expect("a plain action");
                match bulk.line(&action, &mut line) {
                    Ok(meta) => made.push((
                        format!("{line}\n"),
                        action.as_str().to_owned(),
                        line[meta].to_owned(),
                    )),
                    Err(e) => {
                        failed = Some((n, e.to_string()));
                        break;
                    }
                }
            }
            match result {
                Ok((lines, events)) => {
                    prop_assert_eq!(failed, None);
                    let bulk_lines: Vec<&String> = made.iter().map(|(l, _, _)| l).collect();
                    prop_assert_eq!(lines.iter().collect::<Vec<_>>(), bulk_lines);
                    prop_assert_eq!(events.len(), made.len());
                    for (event, (_, action, meta)) in events.iter().zip(&made) {
                        prop_assert_eq!(event.action(), action.as_str());
                        let event_meta = event.meta();
                        prop_assert_eq!(event_meta.as_ref(), meta.as_str());
                    }
                    prop_assert_eq!(bulk.ids().state(), general_ids.state());
                    prop_assert_eq!(bulk.last_added(), last_added + actions.len() as u64);
                }
                // The general add failed (every added number given out):
                // so does the bulk one, at the same action and so.
                Err(general) => prop_assert_eq!(failed, Some(general)),
            }
        }
    }

    #[test]
    fn only_an_object_alone_on_its_line_is_plain() {
        for line in ACTIONS {
            assert!(PlainAction::find(line).is_some(), "{line}");
        }
        assert_eq!(
            PlainAction::find(" { \"type\" : \"a b\" } ")
                .unwrap()
                .as_str(),
            r#"{"type":"a b"}"#
        );
        for line in [
            "",
            "   ",
            r#"[{"type":"a"}]"#,
            r#"{"type":"a"}{"type":"b"}"#,
            r#"{"type":"a"} x"#,
            r#"{"type":1}"#,
            r#"{"kind":"a"}"#,
            r#"{"x":{"type":"a"}}"#,
            r#"{"type":"a",}"#,
            "{\"type\":\"a\u{1}\"}",
            r#"{"type":"a\x"}"#,
            "\u{feff}{\"type\":\"a\"}",
            "{\"type\":\"a\"}\u{a0}",
        ] {
            assert_eq!(PlainAction::find(line), None, "{line:?}");
        }
    }
}
