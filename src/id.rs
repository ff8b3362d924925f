//! Action IDs (`"<ms> <nodeId> <counter>"`), node IDs and `parseId`.
//!
//! An ID is accepted only in its canonical form: three parts split by single
//! spaces, the first and last plain decimal numbers without leading zeros and
//! no larger than JavaScript's `Number.MAX_SAFE_INTEGER`. Logux itself only
//! ever generates such IDs; refusing others is what makes `isFirstOlder` a
//! strict total order (`"1 a 01"` and `"1 a 1"` would otherwise tie).

use crate::error::Error;

/// The largest integer a JavaScript number holds exactly.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// The parts of a checked action ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdParts {
    /// Milliseconds the creating node read from its clock.
    pub ms: u64,
    /// Byte range of the node ID inside the ID text.
    pub(crate) node_start: u32,
    pub(crate) node_end: u32,
    /// Counter for IDs created in the same millisecond.
    pub counter: u64,
}

impl IdParts {
    /// The node ID inside `id`, the text these parts were parsed from.
    ///
    /// # Panics
    ///
    /// If `id` is shorter than the text the parts came from.
    pub fn node<'a>(&self, id: &'a str) -> &'a str {
        &id[self.node_start as usize..self.node_end as usize]
    }
}

/// Why a text is not an action ID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid action ID {}: {why}", quote_id(.id))]
pub struct InvalidId {
    id: String,
    why: &'static str,
}

impl InvalidId {
    /// The text that is not an ID.
    pub fn id(&self) -> &str {
        &self.id
    }
}

/// Parses an action ID, explaining what is wrong with it if it is not one.
pub fn parse_action_id(id: &str) -> Result<IdParts, InvalidId> {
    let bad = |why: &'static str| InvalidId {
        id: id.to_owned(),
        why,
    };
    let bytes = id.as_bytes();
    let (Some(first), Some(last)) = (memchr::memchr(b' ', bytes), memchr::memrchr(b' ', bytes))
    else {
        return Err(bad("expected \"<ms> <node ID> <counter>\""));
    };
    if first == last {
        return Err(bad("expected \"<ms> <node ID> <counter>\""));
    }
    let node = &bytes[first + 1..last];
    if node.is_empty() || memchr::memchr(b' ', node).is_some() {
        return Err(bad("the node ID must be one word without spaces"));
    }
    let ms = canonical_number(&bytes[..first])
        .ok_or_else(|| bad("the time must be a whole number of milliseconds"))?;
    let counter = canonical_number(&bytes[last + 1..])
        .ok_or_else(|| bad("the counter must be a whole number"))?;
    let node_start = u32::try_from(first + 1).map_err(|_| bad("too long"))?;
    let node_end = u32::try_from(last).map_err(|_| bad("too long"))?;
    Ok(IdParts {
        ms,
        node_start,
        node_end,
        counter,
    })
}

/// A decimal integer without sign or leading zeros, at most 2^53 - 1.
pub(crate) fn canonical_number(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() || digits.len() > 16 || (digits.len() > 1 && digits[0] == b'0') {
        return None;
    }
    let mut value: u64 = 0;
    for &digit in digits {
        if !digit.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u64::from(digit - b'0');
    }
    (value <= MAX_SAFE_INTEGER).then_some(value)
}

/// Checks a node ID: not empty, no spaces.
pub fn check_node_id(node: &str) -> Result<(), Error> {
    if node.is_empty() {
        Err(Error::input("the node ID is empty"))
    } else if node.contains(' ') {
        Err(Error::input(format!(
            "invalid node ID {}: spaces are not allowed",
            quote_id(node)
        )))
    } else {
        Ok(())
    }
}

/// What `parseId` of `@logux/core` reads from a node ID or an action ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeIdParts<'a> {
    /// The first `:`-separated part, when there are at least two.
    pub user_id: Option<&'a str>,
    /// The first two parts (or the whole ID when it has one part).
    pub client_id: &'a str,
    /// The whole node ID.
    pub node_id: &'a str,
}

/// `parseId`: splits `user:client:tab`; given a full action ID, uses its
/// middle part.
pub fn parse_id(id: &str) -> NodeIdParts<'_> {
    let node_id = if id.contains(' ') {
        id.split(' ').nth(1).unwrap_or("")
    } else {
        id
    };
    let mut colons = node_id.match_indices(':').map(|(i, _)| i);
    match colons.next() {
        None => NodeIdParts {
            user_id: None,
            client_id: node_id,
            node_id,
        },
        Some(first) => NodeIdParts {
            user_id: Some(&node_id[..first]),
            client_id: &node_id[..colons.next().unwrap_or(node_id.len())],
            node_id,
        },
    }
}

/// An ID or node ID made safe to show inside an error message.
pub(crate) fn quote_id(id: &str) -> String {
    crate::json::quote(id)
}

/// Generates action IDs for one node, as `Log#generateId` does: the clock's
/// milliseconds, and a counter when the clock has not moved on.
#[derive(Debug, Clone)]
pub struct IdGenerator {
    node: String,
    last_time: u64,
    sequence: u64,
}

impl IdGenerator {
    /// A generator for `node`, which must be a valid node ID (no spaces).
    pub fn new(node: impl Into<String>) -> Result<Self, Error> {
        let node = node.into();
        check_node_id(&node)?;
        Ok(IdGenerator {
            node,
            last_time: 0,
            sequence: 0,
        })
    }

    /// The node whose IDs this generates.
    pub fn node(&self) -> &str {
        &self.node
    }

    /// Takes note of an ID of this node that already exists, so that the next
    /// generated one comes after it even when the clock is behind.
    pub fn observe(&mut self, ms: u64, counter: u64) {
        if (ms, counter) > (self.last_time, self.sequence) {
            self.last_time = ms;
            self.sequence = counter;
        }
    }

    /// The newest `(ms, counter)` generated or observed; `(0, 0)` at first,
    /// as in `@logux/core`.
    pub fn state(&self) -> (u64, u64) {
        (self.last_time, self.sequence)
    }

    /// The next ID for a clock reading of `now` milliseconds. An error,
    /// changing nothing, when the ID would hold a number past 2^53 - 1 (a
    /// clock or a counter that far on), which no ID may.
    pub fn next(&mut self, now: u64) -> Result<String, Error> {
        self.next_parts(now)?;
        let mut id = String::with_capacity(self.node.len() + 24);
        push_number(&mut id, self.last_time);
        id.push(' ');
        id.push_str(&self.node);
        id.push(' ');
        push_number(&mut id, self.sequence);
        Ok(id)
    }

    /// [`IdGenerator::next`], as the ID's milliseconds and counter.
    pub(crate) fn next_parts(&mut self, now: u64) -> Result<(u64, u64), Error> {
        let (time, sequence) = self.peek(now)?;
        self.last_time = time;
        self.sequence = sequence;
        Ok((time, sequence))
    }

    /// The time and counter of the next ID, without taking it.
    pub(crate) fn peek(&self, now: u64) -> Result<(u64, u64), Error> {
        if now <= self.last_time {
            if self.sequence >= MAX_SAFE_INTEGER {
                return Err(Error::input(format!(
                    "node {} has used every counter of millisecond {}",
                    quote_id(&self.node),
                    self.last_time
                )));
            }
            Ok((self.last_time, self.sequence + 1))
        } else if now > MAX_SAFE_INTEGER {
            Err(Error::input(format!(
                "the clock reads {now} ms, past the largest time an ID can hold ({MAX_SAFE_INTEGER})"
            )))
        } else {
            Ok((now, 0))
        }
    }

    /// The state after `count` more IDs at `now`, without taking them: what
    /// to record before handing them out.
    pub fn state_after(&self, count: u64, now: u64) -> Result<(u64, u64), Error> {
        if count == 0 {
            return Ok(self.state());
        }
        let (time, first) = self.peek(now)?;
        let last = first
            .checked_add(count - 1)
            .filter(|&n| n <= MAX_SAFE_INTEGER)
            .ok_or_else(|| {
                Error::input(format!(
                    "{count} IDs do not fit in the counters left to node {} in millisecond {time}",
                    quote_id(&self.node)
                ))
            })?;
        Ok((time, last))
    }
}

/// Appends the decimal digits of `n`, without the formatting machinery:
/// IDs are made once per action added, a million times in a bulk add.
pub(crate) fn push_number(out: &mut String, n: u64) {
    out.push_str(itoa::Buffer::new().format(n));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_canonical_ids() {
        let id = "1564508138460 380:R7BNGAP5:px3-J3oc 12";
        let parts = parse_action_id(id).unwrap();
        assert_eq!(parts.ms, 1564508138460);
        assert_eq!(parts.node(id), "380:R7BNGAP5:px3-J3oc");
        assert_eq!(parts.counter, 12);
    }

    #[test]
    fn refuses_other_ids() {
        for bad in [
            "",
            "1",
            "1 a",
            "1  a 0",
            "1 a b 0",
            "01 a 0",
            "1 a 01",
            "-1 a 0",
            "1 a -0",
            "9007199254740992 a 0",
            "1.5 a 0",
            " 1 a 0",
            "1 a 0 ",
            "a b c",
        ] {
            assert!(parse_action_id(bad).is_err(), "{bad:?}");
        }
        assert!(parse_action_id("9007199254740991 a 0").is_ok());
    }

    #[test]
    fn parse_id_matches_logux() {
        let p = parse_id("1 a:b:c 0");
        assert_eq!(
            (p.user_id, p.client_id, p.node_id),
            (Some("a"), "a:b", "a:b:c")
        );
        let p = parse_id("a");
        assert_eq!((p.user_id, p.client_id, p.node_id), (None, "a", "a"));
        let p = parse_id("10:uImkcF4z");
        assert_eq!((p.user_id, p.client_id), (Some("10"), "10:uImkcF4z"));
    }

    #[test]
    fn generator_counts_within_one_millisecond_and_never_goes_back() {
        let mut g = IdGenerator::new("n").unwrap();
        assert_eq!(g.next(5).unwrap(), "5 n 0");
        assert_eq!(g.next(5).unwrap(), "5 n 1");
        assert_eq!(g.next(4).unwrap(), "5 n 2");
        assert_eq!(g.next(6).unwrap(), "6 n 0");
        g.observe(10, 3);
        assert_eq!(g.next(7).unwrap(), "10 n 4");
        assert_eq!(g.state_after(3, 7).unwrap(), (10, 7));
        assert_eq!(g.state_after(2, 11).unwrap(), (11, 1));
    }

    #[test]
    fn generator_refuses_ids_past_what_an_id_holds() {
        let mut g = IdGenerator::new("n").unwrap();
        assert!(g.next(MAX_SAFE_INTEGER + 1).is_err());
        assert_eq!(g.state(), (0, 0));
        g.observe(5, MAX_SAFE_INTEGER - 1);
        assert_eq!(g.state_after(1, 5).unwrap(), (5, MAX_SAFE_INTEGER));
        assert!(g.state_after(2, 5).is_err());
        assert!(g.next(5).is_ok());
        assert!(g.next(5).is_err());
        assert_eq!(g.next(6).unwrap(), "6 n 0");
    }
}
