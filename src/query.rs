//! Filters on entries, as `order`, `stats` and `export` take them: by action
//! type, reason, node, user, creation time or ID, meta values and the
//! action's own fields.
//!
//! Each filter given must hold (AND); a filter given several values holds if
//! any of them does (OR).

use crate::entry::Entry;
use crate::error::{Error, Result};
use crate::id::parse_id;
use crate::log::Log;
use crate::order::{Place, compare};
use crate::text::{Symbol, Symbols};

/// What entries to keep. The default keeps every entry.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Action types: exact, or a prefix when the value ends with `/`.
    pub types: Vec<String>,
    /// Reasons: entries with at least one of them.
    pub reasons: Vec<String>,
    /// Node IDs, as in the action ID.
    pub nodes: Vec<String>,
    /// User IDs, the first part of the node ID (`parseId`).
    pub users: Vec<String>,
    /// Created at or after this (inclusive).
    pub since: Option<Bound>,
    /// Created at or before this (inclusive).
    pub until: Option<Bound>,
    /// Meta keys and the JSON value they must equal (`serde_json` is a
    /// public dependency for these two fields).
    pub meta: Vec<(String, serde_json::Value)>,
    /// Paths into the action (a key, then keys of the objects inside it)
    /// and the JSON value found there must equal.
    pub action: Vec<(Vec<String>, serde_json::Value)>,
}

/// A point in created order: a time in milliseconds, or an action ID (the
/// entry's own place if it is in the log, else its ID's time).
#[non_exhaustive]
#[derive(Debug, Clone)]
pub enum Bound {
    /// Milliseconds.
    Time(f64),
    /// An action ID's place.
    Id(Place),
}

impl Bound {
    /// A number is a time in milliseconds; an ISO 8601 date or date and
    /// time (`2026-11-23`, `2026-11-23T10:15:00Z`, with an offset or
    /// fractions of a second; a date alone is its midnight in UTC) is that
    /// moment; anything else must be an action ID.
    pub fn parse(text: &str) -> Result<Bound> {
        let text = text.trim();
        if let Ok(ms) = text.parse::<f64>()
            && ms.is_finite()
        {
            return Ok(Bound::Time(ms));
        }
        if let Some(ms) = iso_8601_ms(text) {
            return Ok(Bound::Time(ms));
        }
        Place::bare(text).map(Bound::Id).map_err(|e| {
            Error::input(format!(
                "expected a time in ms, an ISO 8601 date (2026-11-23T10:15:00Z) or an action ID: {e}"
            ))
        })
    }
}

/// Milliseconds since the Unix epoch of an ISO 8601 date (`YYYY-MM-DD`)
/// or date and time (`YYYY-MM-DDTHH:MM[:SS[.fff]]` with `Z` or `±HH:MM`;
/// a space may stand for the `T`; without a zone, UTC).
pub(crate) fn iso_8601_ms(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = bytes.get(range)?;
        if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    if bytes.len() < 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let mut ms = days_from_civil(year, month, day) as f64 * 86_400_000.0;
    let rest = &text[10..];
    if rest.is_empty() {
        return Some(ms);
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let bytes = rest.as_bytes();
    if bytes.len() < 5 || bytes[2] != b':' {
        return None;
    }
    let two = |at: usize| -> Option<i64> {
        let part = bytes.get(at..at + 2)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| ((part[0] - b'0') * 10 + (part[1] - b'0')) as i64)
    };
    let (hour, minute) = (two(0)?, two(3)?);
    let mut at = 5;
    let mut second = 0.0;
    if bytes.get(at) == Some(&b':') {
        let whole = two(at + 1)?;
        at += 3;
        let mut fraction = String::from("0");
        if matches!(bytes.get(at), Some(b'.' | b',')) {
            let start = at + 1;
            at = start;
            while bytes.get(at).is_some_and(u8::is_ascii_digit) {
                at += 1;
            }
            if at == start {
                return None;
            }
            fraction = format!("0.{}", &rest[start..at]);
        }
        second = whole as f64 + fraction.parse::<f64>().ok()?;
    }
    if hour > 23 || minute > 59 || second >= 61.0 {
        return None;
    }
    let offset_minutes = match &rest[at..] {
        "" | "Z" | "z" => 0,
        zone => {
            let sign = match zone.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let zone = zone[1..].replace(':', "");
            if zone.len() != 4 || !zone.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let (h, m): (i64, i64) = (zone[..2].parse().ok()?, zone[2..].parse().ok()?);
            if h > 23 || m > 59 {
                return None;
            }
            sign * (h * 60 + m)
        }
    };
    ms += ((hour * 60 + minute - offset_minutes) * 60_000) as f64 + (second * 1000.0).round();
    Some(ms)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar
/// (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
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

/// A bound made ready: a time alone, or an action's place.
enum Key {
    /// Before every entry of that time, after every entry before it.
    Time(f64),
    Place(Place),
}

impl Key {
    fn of(bound: &Bound, log: &Log) -> Key {
        match bound {
            Bound::Time(ms) => Key::Time(*ms),
            Bound::Id(place) => Key::Place(place.seen_in(log)),
        }
    }
}

impl Query {
    /// Whether the query keeps every entry.
    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
            && self.reasons.is_empty()
            && self.nodes.is_empty()
            && self.users.is_empty()
            && self.since.is_none()
            && self.until.is_none()
            && self.meta.is_empty()
            && self.action.is_empty()
    }

    /// `--type` values that are no type of the log but begin some, as
    /// `posts` begins `posts/add`: likely meant as `posts/`.
    pub fn type_hints(&self, log: &Log) -> Vec<String> {
        self.type_hints_among(|| {
            log.entries(crate::log::Order::Added, None)
                .map(Entry::action_type)
        })
    }

    /// [`Query::type_hints`] among the action types `types` gives.
    pub fn type_hints_among<I: Iterator<Item = String>>(
        &self,
        types: impl Fn() -> I,
    ) -> Vec<String> {
        let mut hints = Vec::new();
        for pattern in self.types.iter().filter(|t| !t.ends_with('/')) {
            let prefix = format!("{pattern}/");
            let mut exact = false;
            let mut begins = false;
            for kind in types() {
                exact |= kind == *pattern;
                begins |= kind.starts_with(&prefix);
                if exact {
                    break;
                }
            }
            if begins && !exact {
                hints.push(prefix);
            }
        }
        hints
    }

    /// Whether the query needs a log to be made ready ([`Query::for_log`]):
    /// a bound given as an ID stands where its entry is, if it is in the
    /// log.
    pub fn needs_log(&self) -> bool {
        matches!(self.since, Some(Bound::Id(_))) || matches!(self.until, Some(Bound::Id(_)))
    }

    /// The query made ready for entries read with `symbols`, which get the
    /// reasons it asks for; `None` if it [needs a log](Query::needs_log).
    /// It keeps what [`Query::for_log`] keeps of the same entries.
    pub fn for_symbols<'a>(&'a self, symbols: &mut Symbols) -> Option<Matcher<'a>> {
        if self.needs_log() {
            return None;
        }
        let bound = |bound: &Option<Bound>| match bound {
            Some(Bound::Time(ms)) => Some(Key::Time(*ms)),
            _ => None,
        };
        Some(Matcher {
            query: self,
            // An entry with none of them is left out, as `for_log` leaves
            // out every entry when the log has none of them.
            reasons: Some(self.reasons.iter().map(|r| symbols.intern(r)).collect()),
            since: bound(&self.since),
            until: bound(&self.until),
        })
    }

    /// The query made ready for the entries of `log`.
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
    /// Whether the query keeps `entry`.
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
        if !query.action.is_empty() {
            let Ok(action) = serde_json::from_str::<serde_json::Value>(&entry.action()) else {
                return false;
            };
            let found = |path: &[String]| {
                path.iter()
                    .try_fold(&action, |value, key| value.as_object()?.get(key))
            };
            if !query
                .action
                .iter()
                .all(|(path, value)| found(path) == Some(value))
            {
                return false;
            }
        }
        true
    }
}

/// Whether the action type `kind` is `pattern`, or starts with it when the
/// pattern ends in `/` (a group of types such as `posts/`).
pub(crate) fn type_matches(pattern: &str, kind: &str) -> bool {
    if pattern.ends_with('/') {
        kind.starts_with(pattern)
    } else {
        kind == pattern
    }
}

/// `since`: whether the entry is at or after `key`; else whether it is at or
/// before it.
fn after(entry: &Entry, key: &Key, since: bool) -> bool {
    let ordering = match key {
        Key::Place(place) => compare(&entry.order_key(), &place.key()),
        Key::Time(ms) => entry
            .time()
            .partial_cmp(ms)
            .unwrap_or(std::cmp::Ordering::Equal),
    };
    if since {
        ordering.is_ge()
    } else {
        ordering.is_le()
    }
}
