//! Filters on entries, as `order`, `stats` and `export` take them: by action
//! type, reason, node, user, creation time or ID, and meta values.
//!
//! Each filter given must hold (AND); a filter given several values holds if
//! any of them does (OR).

use crate::entry::Entry;
use crate::error::{Error, Result};
use crate::id::{IdParts, parse_action_id, parse_id};
use crate::log::Log;
use crate::order::{OrderKey, compare};
use crate::text::Symbol;

/// What entries to keep. The default keeps every entry.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Action types: exact, or a prefix when the value ends with `/`.
    pub types: Vec<String>,
    pub reasons: Vec<String>,
    /// Node IDs, as in the action ID.
    pub nodes: Vec<String>,
    /// User IDs, the first part of the node ID (`parseId`).
    pub users: Vec<String>,
    /// Created at or after this (inclusive).
    pub since: Option<Bound>,
    /// Created at or before this (inclusive).
    pub until: Option<Bound>,
    /// Meta keys and the JSON value they must equal.
    pub meta: Vec<(String, serde_json::Value)>,
}

/// A point in created order: a time in milliseconds, or an action ID (the
/// entry's own place if it is in the log, else its ID's time).
#[derive(Debug, Clone)]
pub enum Bound {
    Time(f64),
    Id(String),
}

impl Bound {
    /// A number is a time; anything else must be an action ID.
    pub fn parse(text: &str) -> Result<Bound> {
        let text = text.trim();
        if let Ok(ms) = text.parse::<f64>()
            && ms.is_finite()
        {
            return Ok(Bound::Time(ms));
        }
        parse_action_id(text)
            .map(|_| Bound::Id(text.to_owned()))
            .map_err(|e| Error::input(format!("expected a time in ms or an action ID: {e}")))
    }
}

/// A query made ready for one log: names turned into the log's symbols,
/// bounds into order keys.
pub struct Matcher<'a> {
    query: &'a Query,
    /// `None`: a reason was asked for that no entry has.
    reasons: Option<Vec<Symbol>>,
    since: Option<Key>,
    until: Option<Key>,
}

/// An order key that owns its ID text.
struct Key {
    time: f64,
    id: String,
    parts: IdParts,
}

impl Key {
    fn of(bound: &Bound, log: &Log) -> Key {
        match bound {
            Bound::Time(ms) => Key {
                time: *ms,
                id: String::new(),
                parts: IdParts {
                    ms: 0,
                    node_start: 0,
                    node_end: 0,
                    counter: 0,
                },
            },
            Bound::Id(id) => {
                let parts = parse_action_id(id).expect("checked by Bound::parse");
                let time = log.get(id).map_or(parts.ms as f64, Entry::time);
                Key {
                    time,
                    id: id.clone(),
                    parts,
                }
            }
        }
    }

    fn order_key(&self) -> Option<OrderKey<'_>> {
        (!self.id.is_empty()).then(|| OrderKey::new(self.time, &self.id, &self.parts))
    }
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
            && self.reasons.is_empty()
            && self.nodes.is_empty()
            && self.users.is_empty()
            && self.since.is_none()
            && self.until.is_none()
            && self.meta.is_empty()
    }

    pub fn for_log<'a>(&'a self, log: &Log) -> Matcher<'a> {
        let reasons = if self.reasons.is_empty() {
            Some(Vec::new())
        } else {
            let found: Vec<Symbol> = self.reasons.iter().filter_map(|r| log.symbol(r)).collect();
            (!found.is_empty()).then_some(found)
        };
        Matcher {
            query: self,
            reasons,
            since: self.since.as_ref().map(|b| Key::of(b, log)),
            until: self.until.as_ref().map(|b| Key::of(b, log)),
        }
    }
}

impl Matcher<'_> {
    pub fn matches(&self, entry: &Entry) -> bool {
        let query = self.query;
        let Some(reasons) = &self.reasons else {
            return false;
        };
        if !reasons.is_empty() && !entry.reasons().iter().any(|r| reasons.contains(r)) {
            return false;
        }
        if !query.nodes.is_empty() && !query.nodes.iter().any(|n| n == entry.node()) {
            return false;
        }
        if !query.users.is_empty() {
            let user = parse_id(entry.node()).user_id;
            if !query.users.iter().any(|u| Some(u.as_str()) == user) {
                return false;
            }
        }
        if let Some(since) = &self.since
            && !after(entry, since, true)
        {
            return false;
        }
        if let Some(until) = &self.until
            && !after(entry, until, false)
        {
            return false;
        }
        if !query.types.is_empty() {
            let kind = entry.action_type();
            if !query.types.iter().any(|t| type_matches(t, &kind)) {
                return false;
            }
        }
        if !query.meta.is_empty() {
            // Each value on its own: one that serde_json cannot hold (a
            // number past a double) must not hide the others.
            let Ok(meta) = crate::meta::MetaText::parse(&entry.meta()) else {
                return false;
            };
            let equal = |key: &str, value: &serde_json::Value| {
                meta.get(key)
                    .and_then(|raw| serde_json::from_str::<serde_json::Value>(raw).ok())
                    .is_some_and(|found| found == *value)
            };
            if !query.meta.iter().all(|(key, value)| equal(key, value)) {
                return false;
            }
        }
        true
    }
}

/// Whether the action type `kind` is `pattern`, or starts with it when the
/// pattern ends in `/` (a group of types such as `posts/`).
pub fn type_matches(pattern: &str, kind: &str) -> bool {
    if pattern.ends_with('/') {
        kind.starts_with(pattern)
    } else {
        kind == pattern
    }
}

/// `since`: whether the entry is at or after `key`; else whether it is at or
/// before it.
fn after(entry: &Entry, key: &Key, since: bool) -> bool {
    let ordering = match key.order_key() {
        Some(bound) => compare(&entry.order_key(), &bound),
        None => entry
            .time()
            .partial_cmp(&key.time)
            .unwrap_or(std::cmp::Ordering::Equal),
    };
    if since {
        ordering.is_ge()
    } else {
        ordering.is_le()
    }
}
