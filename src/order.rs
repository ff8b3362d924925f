//! `isFirstOlder`: the order in which every node sorts actions.
//!
//! Compare `time`; on a tie the node IDs as JavaScript compares strings (by
//! UTF-16 code units); then the counters; then the milliseconds of the ID.

use std::cmp::Ordering;

use crate::id::InvalidId;
use crate::id::{IdParts, parse_action_id};

/// What the order looks at in one meta: its `time` and its ID's parts.
#[derive(Debug, Clone, Copy)]
pub struct OrderKey<'a> {
    pub(crate) time: f64,
    pub(crate) node: &'a str,
    pub(crate) counter: u64,
    pub(crate) ms: u64,
}

impl<'a> OrderKey<'a> {
    /// The key of a meta with this `time` and ID (`parts` parsed from `id`).
    ///
    /// # Panics
    ///
    /// If `parts` were parsed from a longer ID than `id`.
    pub fn new(time: f64, id: &'a str, parts: &IdParts) -> Self {
        OrderKey {
            time,
            node: parts.node(id),
            counter: parts.counter,
            ms: parts.ms,
        }
    }

    /// A bare ID counts as `{id, time: parseInt(id)}`.
    pub fn from_bare_id(id: &'a str) -> Result<Self, InvalidId> {
        let parts = parse_action_id(id)?;
        Ok(OrderKey::new(parts.ms as f64, id, &parts))
    }
}

/// An action's place in created order, owned so that the log may change
/// while it is held: the ID, and the `time` it is compared with. That is
/// its entry's time when the log has the action, else the milliseconds in
/// the ID, as `isFirstOlder` reads a bare ID (`removeReason`'s
/// `olderThan`, `is-older`, `--since`).
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    time: f64,
    id: String,
    parts: IdParts,
}

impl Place {
    /// The place of a bare ID: its own milliseconds for a time.
    pub(crate) fn bare(id: &str) -> Result<Place, InvalidId> {
        let parts = parse_action_id(id)?;
        Ok(Place {
            time: parts.ms as f64,
            id: id.to_owned(),
            parts,
        })
    }

    /// The place of `id` in `log`: its entry's time if the log has it.
    pub fn in_log(id: &str, log: &crate::Log) -> Result<Place, InvalidId> {
        Ok(Place::bare(id)?.seen_in(log))
    }

    /// This place, moved to its entry's time if `log` has the action.
    pub(crate) fn seen_in(&self, log: &crate::Log) -> Place {
        Place {
            time: log.get(&self.id).map_or(self.parts.ms as f64, |e| e.time()),
            ..self.clone()
        }
    }

    /// The action ID.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The place's time: its entry's `time`, or the milliseconds in the ID.
    pub fn time(&self) -> f64 {
        self.time
    }

    /// What [`compare`] reads of this place.
    pub fn key(&self) -> OrderKey<'_> {
        OrderKey::new(self.time, &self.id, &self.parts)
    }
}

/// `Less` when `a` is older than `b`.
pub fn compare(a: &OrderKey<'_>, b: &OrderKey<'_>) -> Ordering {
    // partial_cmp, not total_cmp: JavaScript holds -0 and 0 equal. Times are
    // always finite, so there is no NaN to meet.
    a.time
        .partial_cmp(&b.time)
        .unwrap_or(Ordering::Equal)
        .then_with(|| compare_js_strings(a.node, b.node))
        .then(a.counter.cmp(&b.counter))
        .then(a.ms.cmp(&b.ms))
}

/// `isFirstOlder(a, b)`.
pub fn is_first_older(a: &OrderKey<'_>, b: &OrderKey<'_>) -> bool {
    compare(a, b) == Ordering::Less
}

/// Compares strings as JavaScript's `<` does: by UTF-16 code units. This
/// differs from Rust's byte order only where a character above U+FFFF meets
/// one in U+E000..U+FFFF.
pub(crate) fn compare_js_strings(a: &str, b: &str) -> Ordering {
    let (ab, bb) = (a.as_bytes(), b.as_bytes());
    let Some(diff) = ab.iter().zip(bb).position(|(x, y)| x != y) else {
        return ab.len().cmp(&bb.len());
    };
    if ab[diff] < 0x80 && bb[diff] < 0x80 {
        return ab[diff].cmp(&bb[diff]);
    }
    let boundary = (0..=diff)
        .rev()
        .find(|&i| a.is_char_boundary(i))
        .unwrap_or(0);
    let ca = a[boundary..].chars().next().unwrap_or('\0');
    let cb = b[boundary..].chars().next().unwrap_or('\0');
    utf16_rank(ca).cmp(&utf16_rank(cb))
}

/// The first UTF-16 code unit of a character, then the character itself to
/// order two characters that share a high surrogate.
fn utf16_rank(c: char) -> (u32, u32) {
    let code = c as u32;
    if code >= 0x10000 {
        (0xD800 + ((code - 0x10000) >> 10), code)
    } else {
        (code, code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: &str, time: f64) -> OrderKey<'_> {
        let parts = parse_action_id(id).unwrap();
        OrderKey::new(time, id, &parts)
    }

    #[test]
    fn time_then_node_then_counter_then_ms() {
        assert!(is_first_older(&key("5 b 0", 1.0), &key("1 a 0", 2.0)));
        assert!(is_first_older(&key("5 a 0", 2.0), &key("1 b 0", 2.0)));
        assert!(is_first_older(&key("5 a 0", 2.0), &key("1 a 1", 2.0)));
        assert!(is_first_older(&key("1 a 0", 2.0), &key("5 a 0", 2.0)));
        assert!(!is_first_older(&key("1 a 0", 2.0), &key("1 a 0", 2.0)));
    }

    #[test]
    fn a_place_is_its_entrys_time_in_the_log_else_its_ids() {
        let mut log = crate::Log::default();
        let mut ids = crate::IdGenerator::new("n").unwrap();
        let meta = crate::MetaText::parse(r#"{"id":"5 n 0","time":9,"reasons":["r"]}"#).unwrap();
        log.add(r#"{"type":"a"}"#, meta, &mut ids, 1).unwrap();
        let bare = Place::bare("5 n 0").unwrap();
        assert_eq!((bare.id(), bare.time()), ("5 n 0", 5.0));
        let placed = Place::in_log("5 n 0", &log).unwrap();
        assert_eq!(placed.time(), 9.0);
        assert_eq!(bare.seen_in(&log), placed);
        assert_eq!(Place::in_log("7 n 0", &log).unwrap().time(), 7.0);
        // At time 9, "5 n 0" is younger than "7 n 0" at time 7.
        let other = Place::bare("7 n 0").unwrap();
        assert!(is_first_older(&other.key(), &placed.key()));
        assert!(is_first_older(&bare.key(), &other.key()));
        assert!(Place::bare("5 n").is_err());
    }

    #[test]
    fn strings_compare_by_utf16_units() {
        // U+1F600 is D83D DE00 in UTF-16, so it sorts before U+FF61.
        assert_eq!(compare_js_strings("\u{1F600}", "\u{FF61}"), Ordering::Less);
        assert_eq!(
            compare_js_strings("\u{FF61}", "\u{1F600}"),
            Ordering::Greater
        );
        assert_eq!(
            compare_js_strings("a\u{1F600}", "a\u{1F601}"),
            Ordering::Less
        );
        assert_eq!(compare_js_strings("ab", "a"), Ordering::Greater);
        assert_eq!(compare_js_strings("B", "a"), Ordering::Less);
        assert_eq!(compare_js_strings("é", "z"), Ordering::Greater);
    }
}
