//! A fast check of a whole `[action, meta]` line for the common case.
//!
//! The scanner in [`super`] walks a line a byte (or eight) at a time, and a
//! log is mostly short strings, so it spends about 45 instructions a byte.
//! Here the line is classified 64 bytes at a time (with AVX2 where the CPU
//! has it) into bit masks: quotes that are not escaped, the bytes inside
//! strings, and so the positions where tokens start. A small state machine
//! then walks only those positions, checking each number and literal with
//! the scanner's own functions.
//!
//! It answers "valid, and here are the spans" or "not sure", never an error:
//! whatever it does not accept (bad JSON, deep nesting, a third item) goes
//! to the scanner in [`super`] and [`crate::entry::split_line`], which say
//! exactly what is wrong. So the two may differ only in speed; a property
//! test holds them to agreeing on every line the fast path accepts.

use std::cell::RefCell;
use std::ops::Range;

use smallvec::SmallVec;

use super::StringSpan;

/// Deeper lines are left to the scanner, which knows the exact limit.
const MAX_FAST_DEPTH: usize = 64;

/// One member of the action or the meta object at the top of the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MemberSpans {
    pub(crate) key: StringSpan,
    pub(crate) value: Range<usize>,
}

/// What a valid line is made of: the same spans as
/// [`crate::entry::SplitLine`], and the members of its meta in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LineSpans {
    pub(crate) array: Range<usize>,
    pub(crate) action: Range<usize>,
    pub(crate) meta: Range<usize>,
    /// The value of the action's last top-level `"type"`, if any.
    pub(crate) action_type: Option<Range<usize>>,
    pub(crate) meta_members: SmallVec<[MemberSpans; 8]>,
}

/// The masks of one line, reused from line to line.
#[derive(Default)]
struct Masks {
    /// Where tokens start: `{}[]:,`, opening quotes, the first byte of a
    /// number or a literal.
    starts: Vec<u64>,
    /// Closing quotes.
    closes: Vec<u64>,
    /// Whether the line has a backslash.
    backslash: bool,
    /// Whether whitespace stands between tokens (not in strings).
    spaced: bool,
}

thread_local! {
    static SCRATCH: RefCell<(Masks, LineSpans)> = RefCell::new((
        Masks::default(),
        LineSpans {
            array: 0..0,
            action: 0..0,
            meta: 0..0,
            action_type: None,
            meta_members: SmallVec::new(),
        },
    ));
}

/// Gives `with` the spans of `line` if it is certainly a valid
/// `[action, meta]` line with two objects; `None` when it is not, or may
/// not be. (The spans are lent, not returned: they are reused from line to
/// line, and a few hundred bytes.)
pub(crate) fn split_line<R>(line: &[u8], with: impl FnOnce(&LineSpans) -> R) -> Option<R> {
    SCRATCH.with(|scratch| {
        let mut scratch = scratch.try_borrow_mut().ok()?;
        let (masks, spans) = &mut *scratch;
        if !classify(line, masks) {
            return None;
        }
        walk(line, masks, spans)?;
        Some(with(spans))
    })
}

/// What a valid line holding one JSON object is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ObjectLine {
    /// The object, from `{` to `}`.
    pub(crate) object: Range<usize>,
    /// Where the value of its last top-level `"type"` starts, if it has one.
    pub(crate) type_at: Option<usize>,
    /// Whether the line has whitespace outside strings: between the
    /// object's tokens, or around it.
    pub(crate) spaced: bool,
}

/// The object that is all of `line` (with whitespace around it) if it is
/// certainly valid JSON; `None` when it is not, or may not be.
pub(crate) fn object_line(line: &[u8]) -> Option<ObjectLine> {
    SCRATCH.with(|scratch| {
        let mut scratch = scratch.try_borrow_mut().ok()?;
        let (masks, _) = &mut *scratch;
        if !classify(line, masks) {
            return None;
        }
        let mut walk = Walk::new(line, masks)?;
        let open = walk.tokens.next()?;
        (line[open] == b'{').then_some(())?;
        let plain = walk.plain;
        let mut type_at = None;
        let end = walk.object(|key, value| {
            if is_type(line, &key, plain) {
                type_at = Some(value.start);
            }
        })?;
        walk.tokens.next().is_none().then_some(())?;
        Some(ObjectLine {
            object: open..end,
            type_at,
            spaced: masks.spaced,
        })
    })
}

/// The classes of 64 bytes, one bit a byte.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Classes {
    quote: u64,
    backslash: u64,
    /// `{}[]:,`
    operator: u64,
    /// Space, tab, carriage return, line feed.
    space: u64,
    /// Bytes below 0x20.
    control: u64,
}

const QUOTE: u8 = 1;
const BACKSLASH: u8 = 2;
const OPERATOR: u8 = 4;
const SPACE: u8 = 8;
const CONTROL: u8 = 16;

static CLASS: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = CONTROL;
        b += 1;
    }
    table[b'"' as usize] = QUOTE;
    table[b'\\' as usize] = BACKSLASH;
    let mut i = 0;
    let operators = *b"{}[]:,";
    while i < operators.len() {
        table[operators[i] as usize] = OPERATOR;
        i += 1;
    }
    table[b' ' as usize] = SPACE;
    table[b'\t' as usize] |= SPACE;
    table[b'\r' as usize] |= SPACE;
    table[b'\n' as usize] |= SPACE;
    table
};

/// Classifies a byte at a time: for CPUs without AVX2, and the yardstick
/// the vector version is tested against.
fn classes_portable(block: &[u8; 64]) -> Classes {
    let mut c = Classes::default();
    for (i, &b) in block.iter().enumerate() {
        let class = CLASS[b as usize];
        let bit = 1u64 << i;
        let set = |flag: u8| if class & flag != 0 { bit } else { 0 };
        c.quote |= set(QUOTE);
        c.backslash |= set(BACKSLASH);
        c.operator |= set(OPERATOR);
        c.space |= set(SPACE);
        c.control |= set(CONTROL);
    }
    c
}

#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod avx2 {
    use super::Classes;
    use std::arch::x86_64::*;

    /// [`classes`] where the CPU has AVX2.
    #[inline]
    pub(super) fn classes_if_available(block: &[u8; 64]) -> Option<Classes> {
        // SAFETY: the CPU has AVX2, just checked (the check is cached).
        std::arch::is_x86_feature_detected!("avx2").then(|| unsafe { classes(block) })
    }

    /// [`super::classes_portable`] 32 bytes at a time.
    ///
    /// # Safety
    /// The CPU must have AVX2.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn classes(block: &[u8; 64]) -> Classes {
        // SAFETY: the two loads read the 64 bytes of `block`; the rest is
        // arithmetic on registers, which the caller's check allows.
        unsafe {
            let halves = [
                _mm256_loadu_si256(block.as_ptr().cast()),
                _mm256_loadu_si256(block.as_ptr().add(32).cast()),
            ];
            macro_rules! mask {
                ($v:ident => $e:expr) => {{
                    let low = {
                        let $v = halves[0];
                        _mm256_movemask_epi8($e) as u32
                    };
                    let high = {
                        let $v = halves[1];
                        _mm256_movemask_epi8($e) as u32
                    };
                    u64::from(low) | (u64::from(high) << 32)
                }};
            }
            macro_rules! eq {
                ($v:expr, $b:expr) => {
                    _mm256_cmpeq_epi8($v, _mm256_set1_epi8($b as i8))
                };
            }
            Classes {
                quote: mask!(v => eq!(v, b'"')),
                backslash: mask!(v => eq!(v, b'\\')),
                // `{` and `[`, `}` and `]` differ only in bit 0x20, which
                // no other byte clears into them.
                operator: mask!(v => {
                    let folded = _mm256_andnot_si256(_mm256_set1_epi8(0x20), v);
                    _mm256_or_si256(
                        _mm256_or_si256(eq!(folded, b'['), eq!(folded, b']')),
                        _mm256_or_si256(eq!(v, b':'), eq!(v, b',')),
                    )
                }),
                space: mask!(v => _mm256_or_si256(
                    _mm256_or_si256(eq!(v, b' '), eq!(v, b'\t')),
                    _mm256_or_si256(eq!(v, b'\r'), eq!(v, b'\n')),
                )),
                control: mask!(v => _mm256_cmpeq_epi8(
                    _mm256_min_epu8(v, _mm256_set1_epi8(0x1f)),
                    v
                )),
            }
        }
    }
}

fn classes(block: &[u8; 64]) -> Classes {
    #[cfg(target_arch = "x86_64")]
    if let Some(classes) = avx2::classes_if_available(block) {
        return classes;
    }
    classes_portable(block)
}

/// Bit i set when an odd number of bits at or below i are set in `x`.
#[inline]
fn prefix_xor(mut x: u64) -> u64 {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    x
}

/// The bytes escaped by a backslash, given the backslashes of a block;
/// `carry` says whether the first byte of the block is escaped, and is set
/// for the next block. (simdjson's branchless method: runs of backslashes
/// escape every other byte, starting after the run's first.)
#[inline]
fn escaped(backslash: u64, carry: &mut u64) -> u64 {
    const EVEN: u64 = 0x5555_5555_5555_5555;
    let backslash = backslash & !*carry;
    let follows_escape = (backslash << 1) | *carry;
    let odd_starts = backslash & !EVEN & !follows_escape;
    let (even_starts, overflow) = odd_starts.overflowing_add(backslash);
    *carry = u64::from(overflow);
    (EVEN ^ (even_starts << 1)) & follows_escape
}

/// Fills `masks` for `line`; false when the line is certainly not valid
/// (a control character or a bad escape in a string, a string left open).
fn classify(line: &[u8], masks: &mut Masks) -> bool {
    masks.starts.clear();
    masks.closes.clear();
    masks.backslash = false;
    masks.spaced = false;
    let mut escape_carry = 0u64;
    let mut in_string_carry = 0u64;
    let mut scalar_carry = 0u64;
    for (index, chunk) in line.chunks(64).enumerate() {
        // The bytes of the block that are the line's, not filling.
        let real = if chunk.len() == 64 {
            !0
        } else {
            (1u64 << chunk.len()) - 1
        };
        let c = match <&[u8; 64]>::try_from(chunk) {
            Ok(block) => classes(block),
            Err(_) => {
                // The last piece, filled up with spaces: outside a string
                // they are whitespace, inside one the string stays open.
                let mut block = [b' '; 64];
                block[..chunk.len()].copy_from_slice(chunk);
                classes(&block)
            }
        };
        masks.backslash |= c.backslash != 0;
        let escaped = escaped(c.backslash, &mut escape_carry);
        if escaped != 0 && !escapes_valid(line, index * 64, escaped) {
            return false;
        }
        let quotes = c.quote & !escaped;
        let in_string = prefix_xor(quotes) ^ in_string_carry;
        in_string_carry = ((in_string as i64) >> 63) as u64;
        if c.control & in_string != 0 {
            return false;
        }
        // Opening quotes count as inside, closing ones as neither.
        let outside = !(in_string | quotes);
        masks.spaced |= c.space & outside & real != 0;
        let scalar = outside & !(c.operator | c.space);
        let scalar_starts = scalar & !((scalar << 1) | scalar_carry);
        scalar_carry = scalar >> 63;
        masks
            .starts
            .push((c.operator & outside) | (quotes & in_string) | scalar_starts);
        masks.closes.push(quotes & !in_string);
    }
    in_string_carry == 0
}

/// Whether every escaped byte of the block at `base` is one JSON allows
/// after a backslash (and a `u` has four hex digits). A backslash outside a
/// string is refused later, as a token that is no value.
#[cold]
fn escapes_valid(line: &[u8], base: usize, mut escaped: u64) -> bool {
    while escaped != 0 {
        let at = base + escaped.trailing_zeros() as usize;
        escaped &= escaped - 1;
        match line.get(at) {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {}
            Some(b'u') => {
                if !line
                    .get(at + 1..at + 5)
                    .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
                {
                    return false;
                }
            }
            _ => return false,
        }
    }
    true
}

/// The first set bit at or after `from`.
#[inline]
fn next_bit(masks: &[u64], from: usize) -> Option<usize> {
    let mut block = from / 64;
    let mut bits = masks.get(block)? & (!0u64 << (from % 64));
    loop {
        if bits != 0 {
            return Some(block * 64 + bits.trailing_zeros() as usize);
        }
        block += 1;
        bits = *masks.get(block)?;
    }
}

/// The token starts of a line, in order.
struct Tokens<'a> {
    starts: &'a [u64],
    block: usize,
    bits: u64,
}

impl Tokens<'_> {
    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.bits == 0 {
            self.block += 1;
            self.bits = *self.starts.get(self.block)?;
        }
        let at = self.block * 64 + self.bits.trailing_zeros() as usize;
        self.bits &= self.bits - 1;
        Some(at)
    }
}

/// A recursive descent over the token starts: the code's place is the
/// parser's state, which branch predictors follow better than a table.
struct Walk<'a> {
    line: &'a [u8],
    closes: &'a [u64],
    tokens: Tokens<'a>,
    /// No backslash anywhere in the line: no key needs decoding.
    plain: bool,
}

fn walk(line: &[u8], masks: &Masks, spans: &mut LineSpans) -> Option<()> {
    let mut walk = Walk::new(line, masks)?;
    let open = walk.tokens.next()?;
    (line[open] == b'[').then_some(())?;
    let action_start = walk.tokens.next()?;
    (line[action_start] == b'{').then_some(())?;
    let plain = walk.plain;
    let escaped =
        |key: &Range<usize>| !plain && memchr::memchr(b'\\', &line[key.clone()]).is_some();
    let mut action_type = None;
    let action_end = walk.object(|key, value| {
        if is_type(line, &key, plain) {
            action_type = Some(value);
        }
    })?;
    let comma = walk.tokens.next()?;
    (line[comma] == b',').then_some(())?;
    let meta_start = walk.tokens.next()?;
    (line[meta_start] == b'{').then_some(())?;
    let meta_members = &mut spans.meta_members;
    meta_members.clear();
    let meta_end = walk.object(|key, value| {
        meta_members.push(MemberSpans {
            key: StringSpan {
                start: key.start,
                end: key.end,
                escaped: escaped(&key),
            },
            value,
        });
    })?;
    let close = walk.tokens.next()?;
    (line[close] == b']').then_some(())?;
    walk.tokens.next().is_none().then_some(())?;
    spans.array = open..close + 1;
    spans.action = action_start..action_end;
    spans.meta = meta_start..meta_end;
    spans.action_type = action_type;
    Some(())
}

impl<'a> Walk<'a> {
    /// A walk over the token starts of `line`, classified in `masks`;
    /// `None` for a line without tokens.
    fn new(line: &'a [u8], masks: &'a Masks) -> Option<Self> {
        Some(Walk {
            line,
            closes: &masks.closes,
            tokens: Tokens {
                starts: &masks.starts,
                block: 0,
                bits: *masks.starts.first()?,
            },
            plain: !masks.backslash,
        })
    }

    /// The end of the string whose opening quote is at `at`.
    #[inline]
    fn string_end(&self, at: usize) -> Option<usize> {
        next_bit(self.closes, at + 1).map(|close| close + 1)
    }

    /// Checks the object of the line's array whose `{` was the last token,
    /// telling `member` the span of each key (quotes included) and value.
    /// Returns where the object ends.
    fn object(&mut self, mut member: impl FnMut(Range<usize>, Range<usize>)) -> Option<usize> {
        let line = self.line;
        let mut at = self.tokens.next()?;
        if line[at] == b'}' {
            return Some(at + 1);
        }
        loop {
            (line[at] == b'"').then_some(())?;
            let key_end = self.string_end(at)?;
            let colon = self.tokens.next()?;
            (line[colon] == b':').then_some(())?;
            let value_start = self.tokens.next()?;
            let value_end = self.value(value_start, 2)?;
            member(at..key_end, value_start..value_end);
            let next = self.tokens.next()?;
            match line[next] {
                b',' => at = self.tokens.next()?,
                b'}' => return Some(next + 1),
                _ => return None,
            }
        }
    }

    /// Checks the value that starts at `at`, `depth` levels down, and
    /// returns where it ends.
    fn value(&mut self, at: usize, depth: usize) -> Option<usize> {
        let line = self.line;
        match line[at] {
            b'"' => self.string_end(at),
            b'{' => {
                (depth < MAX_FAST_DEPTH).then_some(())?;
                let mut next = self.tokens.next()?;
                if line[next] == b'}' {
                    return Some(next + 1);
                }
                loop {
                    (line[next] == b'"').then_some(())?;
                    self.string_end(next)?;
                    let colon = self.tokens.next()?;
                    (line[colon] == b':').then_some(())?;
                    let value = self.tokens.next()?;
                    self.value(value, depth + 1)?;
                    let after = self.tokens.next()?;
                    match line[after] {
                        b',' => next = self.tokens.next()?,
                        b'}' => return Some(after + 1),
                        _ => return None,
                    }
                }
            }
            b'[' => {
                (depth < MAX_FAST_DEPTH).then_some(())?;
                let mut next = self.tokens.next()?;
                if line[next] == b']' {
                    return Some(next + 1);
                }
                loop {
                    self.value(next, depth + 1)?;
                    let after = self.tokens.next()?;
                    match line[after] {
                        b',' => next = self.tokens.next()?,
                        b']' => return Some(after + 1),
                        _ => return None,
                    }
                }
            }
            b'-' | b'0'..=b'9' => {
                let end = super::scan_number(line, at).ok()?;
                self.scalar_end(end)
            }
            b't' => self.literal(at, b"true"),
            b'f' => self.literal(at, b"false"),
            b'n' => self.literal(at, b"null"),
            _ => None,
        }
    }

    fn literal(&self, at: usize, word: &[u8]) -> Option<usize> {
        self.line[at..].starts_with(word).then_some(())?;
        self.scalar_end(at + word.len())
    }

    /// A number or literal ends at `end`: the byte there must not continue
    /// it (`1x`, `truex`).
    #[inline]
    fn scalar_end(&self, end: usize) -> Option<usize> {
        match self.line.get(end) {
            Some(&next) if CLASS[next as usize] & (QUOTE | OPERATOR | SPACE) == 0 => None,
            _ => Some(end),
        }
    }
}

/// Whether the key at `key` (quotes included) is `"type"`, written plainly
/// or, unless the line is `plain` (has no backslash), with escapes.
#[inline]
fn is_type(line: &[u8], key: &Range<usize>, plain: bool) -> bool {
    &line[key.clone()] == b"\"type\""
        || (!plain
            && memchr::memchr(b'\\', &line[key.clone()]).is_some()
            && key_is(line, key, "type"))
}

/// Whether the key with escapes at `key` decodes to `name`.
#[cold]
fn key_is(line: &[u8], key: &Range<usize>, name: &str) -> bool {
    std::str::from_utf8(&line[key.start + 1..key.end - 1])
        .is_ok_and(|inner| super::unescape(inner) == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vector_and_portable_classes_agree() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let alphabet = b"{}[]:,\" \t\r\n\\az09\x01\x1f\x7f\x80\xff\xc3";
        for _ in 0..2000 {
            let mut block = [0u8; 64];
            for b in &mut block {
                *b = if next() % 4 == 0 {
                    next() as u8
                } else {
                    alphabet[(next() % alphabet.len() as u64) as usize]
                };
            }
            assert_eq!(classes(&block), classes_portable(&block), "{block:?}");
        }
    }

    #[test]
    fn escapes_are_found_across_blocks() {
        let mut carry = 0;
        // A run of three backslashes: the third escapes the next byte.
        assert_eq!(escaped(0b0111, &mut carry), 0b1010);
        assert_eq!(carry, 0);
        // A backslash as the last byte escapes the next block's first.
        assert_eq!(escaped(1 << 63, &mut carry), 0);
        assert_eq!(carry, 1);
        assert_eq!(escaped(0b1, &mut carry), 0b1);
        assert_eq!(carry, 0);
    }

    #[test]
    fn finds_the_spans_of_a_line() {
        let line =
            br#" [ {"type":"a","x":[1,{"type":2}]} , {"id":"1 a 0","time":5,"r":{"a":[]}} ] "#;
        let spans = split_line(line, LineSpans::clone).unwrap();
        let text = std::str::from_utf8(line).unwrap();
        assert_eq!(&text[spans.array.clone()], text.trim());
        assert_eq!(
            &text[spans.action.clone()],
            r#"{"type":"a","x":[1,{"type":2}]}"#
        );
        assert_eq!(&text[spans.action_type.unwrap()], r#""a""#);
        let members: Vec<_> = spans
            .meta_members
            .iter()
            .map(|m| (&text[m.key.start..m.key.end], &text[m.value.clone()]))
            .collect();
        assert_eq!(
            members,
            [
                (r#""id""#, r#""1 a 0""#),
                (r#""time""#, "5"),
                (r#""r""#, r#"{"a":[]}"#)
            ]
        );
    }

    #[test]
    fn leaves_what_is_not_a_plain_valid_line_to_the_scanner() {
        for line in [
            "",
            "[]",
            "[{}]",
            "[{},{},{}]",
            "[1,{}]",
            "{}",
            r#"[{"a":1},{}] x"#,
            r#"[{"a":01},{}]"#,
            r#"[{"a":1x},{}]"#,
            r#"[{"a":tru},{}]"#,
            r#"[{"a":"\x"},{}]"#,
            r#"[{"a":"\u12"},{}]"#,
            "[{\"a\":\"\u{1}\"},{}]",
            r#"[{"a":"b},{}]"#,
            r#"[{"a" "b"},{}]"#,
            r#"[{"a":1,},{}]"#,
            r#"[{,"a":1},{}]"#,
            r#"[{"a":[1,]},{}]"#,
            r#"[{"a":[1}},{}]"#,
            r#"[{"a":\"b"},{}]"#,
            r#"[{"a":1}{},{}]"#,
            r#"[{"a":1},{}]]"#,
        ] {
            assert_eq!(
                split_line(line.as_bytes(), LineSpans::clone),
                None,
                "{line}"
            );
        }
    }
}

#[cfg(test)]
mod agreement {
    //! The fast check against the scanner, on lines made of JSON's pieces
    //! put together at random, and on good lines with one byte changed.

    use proptest::prelude::*;

    use super::{LineSpans, split_line};
    use crate::json::Members;

    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "{",
            "}",
            "[",
            "]",
            ":",
            ",",
            " ",
            "\t",
            "\"type\"",
            "\"id\"",
            "\"t\\u0079pe\"",
            "\"a\\\"b\"",
            "\"\\\\\"",
            "\"é\"",
            "\"1 a 0\"",
            "1",
            "-0.5e3",
            "01",
            "1.",
            "true",
            "nul",
            "null",
            "\\",
            "\"",
            "\u{1}",
            "x",
            "\"\\u12\"",
            "\"\\q\"",
        ])
    }

    fn good_line() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            r#"[{"type":"a"},{"id":"1 a 0","time":1}]"#,
            r#" [ { "type" : "a" , "x" : [ 1 , { } , [ ] ] } , { "id" : "1 a 0" } ] "#,
            r#"[{"type":"a","t":"x\"y\\","type":"b"},{"id":"1 \u0061 0","reasons":["r","s"],"added":3}]"#,
            r#"[{"type":"a","n":[true,false,null,-1.5E+2,0]},{"id":"1 a 0","indexes":["i"],"keepLast":"k","subprotocol":"1.0.0"}]"#,
        ])
        .prop_map(str::to_owned)
    }

    fn line() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            prop::collection::vec(piece(), 0..24).prop_map(|p| p.concat().into_bytes()),
            (
                good_line(),
                any::<prop::sample::Index>(),
                any::<u8>(),
                0u8..3
            )
                .prop_map(|(line, at, byte, how)| {
                    let mut bytes = line.into_bytes();
                    let at = at.index(bytes.len());
                    let byte = b"{}[]:,\" \\0aeu\x01"[byte as usize % 14];
                    match how {
                        0 => bytes[at] = byte,
                        1 => bytes.insert(at, byte),
                        _ => {
                            bytes.remove(at);
                        }
                    }
                    bytes
                }),
            good_line().prop_map(String::into_bytes),
        ]
    }

    /// What the scanner makes of a line: its spans, the action's `type`
    /// value and the meta's members.
    fn scanned(text: &str) -> Option<LineSpans> {
        let split = crate::entry::split_line(text).ok()?;
        let bytes = text.as_bytes();
        let mut action_type = None;
        let mut members = Members::new(bytes, split.action.start, 1).ok()?;
        while let Some(member) = members.next_member().ok()? {
            if member.key.decode(text) == "type" {
                action_type = Some(member.value);
            }
        }
        let mut meta_members = smallvec::SmallVec::new();
        let mut members = Members::new(bytes, split.meta.start, 1).ok()?;
        while let Some(member) = members.next_member().ok()? {
            meta_members.push(super::MemberSpans {
                key: member.key,
                value: member.value,
            });
        }
        Some(LineSpans {
            array: split.array,
            action: split.action,
            meta: split.meta,
            action_type,
            meta_members,
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        #[test]
        fn the_fast_check_and_the_scanner_agree(bytes in line()) {
            let fast = split_line(&bytes, LineSpans::clone);
            let Ok(text) = std::str::from_utf8(&bytes) else {
                return Ok(());
            };
            // `split_line` also wants a string `type`, which the fast
            // check leaves to its callers.
            let fast = fast.filter(|s| {
                s.action_type.as_ref().is_some_and(|t| bytes[t.start] == b'"')
            });
            // The lines here nest far less than the fast check's limit: it
            // must take every line the scanner takes, with the same spans.
            prop_assert_eq!(fast, scanned(text), "{}", text);
        }
    }
}
