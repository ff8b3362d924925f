//! A validating JSON scanner that reports byte spans instead of building values.
//!
//! The log keeps every action and meta as the exact text it was read as, so that
//! untouched entries are written back byte for byte and big logs load without
//! allocating a tree per entry. This module checks that text is valid JSON
//! (RFC 8259, as `JSON.parse` accepts it) and finds the members of objects; the
//! few values the log needs (IDs, reasons, numbers) are decoded on demand.

use std::ops::Range;

mod structural;

pub(crate) use structural::{object_line, split_line as split_line_fast};

/// How deep an action or a meta may nest, itself counted as one level:
/// serde_json's limit, with which rules and filters read values. One limit
/// for every reader, so that nothing the scanner accepts is later skipped.
/// It also keeps the recursive scanner far from the end of the stack.
pub(crate) const MAX_VALUE_DEPTH: usize = 127;

/// The scanner's limit: the `[action, meta]` array of a log line is one
/// level more.
pub(crate) const MAX_DEPTH: usize = MAX_VALUE_DEPTH + 1;

/// A syntax error at a byte offset of the scanned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where in the text, in bytes.
    pub offset: usize,
    /// What is wrong there.
    pub message: &'static str,
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at byte {}", self.message, self.offset + 1)
    }
}

impl std::error::Error for SyntaxError {}

type Scan<T> = Result<T, SyntaxError>;

fn fail<T>(offset: usize, message: &'static str) -> Scan<T> {
    Err(SyntaxError { offset, message })
}

/// Position of the first byte at or after `pos` that is not JSON whitespace.
#[inline]
pub(crate) fn skip_ws(text: &[u8], mut pos: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = text.get(pos) {
        pos += 1;
    }
    pos
}

/// Checks the action or meta that starts at `pos` inside a log line (one
/// level down) and returns its span.
pub(crate) fn value_in_line(text: &[u8], pos: usize) -> Scan<Range<usize>> {
    let start = skip_ws(text, pos);
    let end = scan_value(text, start, 1)?;
    Ok(start..end)
}

/// Checks that `text` holds exactly one JSON value, with optional whitespace
/// around it, and returns the value's span.
pub fn whole(text: &[u8]) -> Scan<Range<usize>> {
    whole_at_depth(text, 0)
}

/// [`whole`] for an action or a meta on its own, which may nest
/// [`MAX_VALUE_DEPTH`] levels.
pub(crate) fn whole_value(text: &[u8]) -> Scan<Range<usize>> {
    whole_at_depth(text, 1)
}

/// The items' spans of a text that is one JSON array and nothing else
/// (whitespace aside), each item checked once: what [`whole`] and then
/// [`Items`] would give, in one pass.
pub(crate) fn whole_array(text: &[u8]) -> Scan<Vec<Range<usize>>> {
    let start = skip_ws(text, 0);
    let mut items = Items::new(text, start, 0)?;
    let mut spans = Vec::new();
    while let Some(item) = items.next_item()? {
        spans.push(item);
    }
    let end = skip_ws(text, items.end());
    if end != text.len() {
        return fail(end, "unexpected text after the JSON value");
    }
    Ok(spans)
}

fn whole_at_depth(text: &[u8], depth: usize) -> Scan<Range<usize>> {
    let start = skip_ws(text, 0);
    let span = start..scan_value(text, start, depth)?;
    let end = skip_ws(text, span.end);
    if end != text.len() {
        return fail(end, "unexpected text after the JSON value");
    }
    Ok(span)
}

fn scan_value(text: &[u8], pos: usize, depth: usize) -> Scan<usize> {
    match text.get(pos) {
        Some(b'{') => {
            let mut members = Members::new(text, pos, depth)?;
            while members.next_member()?.is_some() {}
            Ok(members.end())
        }
        Some(b'[') => {
            let mut items = Items::new(text, pos, depth)?;
            while items.next_item()?.is_some() {}
            Ok(items.end())
        }
        Some(b'"') => scan_string(text, pos).map(|s| s.end),
        Some(b'-' | b'0'..=b'9') => scan_number(text, pos),
        Some(b't') => literal(text, pos, b"true"),
        Some(b'f') => literal(text, pos, b"false"),
        Some(b'n') => literal(text, pos, b"null"),
        Some(_) => fail(pos, "expected a JSON value"),
        None => fail(pos, "unexpected end of input"),
    }
}

fn literal(text: &[u8], pos: usize, word: &[u8]) -> Scan<usize> {
    if text[pos..].starts_with(word) {
        Ok(pos + word.len())
    } else {
        fail(pos, "expected a JSON value")
    }
}

fn scan_number(text: &[u8], pos: usize) -> Scan<usize> {
    let digits = |mut p: usize| {
        while text.get(p).is_some_and(u8::is_ascii_digit) {
            p += 1;
        }
        p
    };
    let mut p = pos;
    if text[p] == b'-' {
        p += 1;
    }
    match text.get(p) {
        Some(b'0') => p += 1,
        Some(b'1'..=b'9') => p = digits(p),
        _ => return fail(p, "invalid number"),
    }
    if text.get(p) == Some(&b'.') {
        let after = digits(p + 1);
        if after == p + 1 {
            return fail(after, "invalid number");
        }
        p = after;
    }
    if let Some(b'e' | b'E') = text.get(p) {
        p += 1;
        if let Some(b'+' | b'-') = text.get(p) {
            p += 1;
        }
        let after = digits(p);
        if after == p {
            return fail(after, "invalid number");
        }
        p = after;
    }
    Ok(p)
}

/// A scanned string: its span including the quotes, and whether it holds
/// escapes (if not, the text between the quotes is its value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringSpan {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) escaped: bool,
}

impl StringSpan {
    /// The raw text between the quotes.
    pub(crate) fn inner<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start + 1..self.end - 1]
    }

    /// The decoded value of the string.
    pub fn decode<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        let inner = self.inner(text);
        if self.escaped {
            std::borrow::Cow::Owned(unescape(inner))
        } else {
            std::borrow::Cow::Borrowed(inner)
        }
    }
}

/// Bytes that end the fast run through a string: the quote, the backslash and
/// control characters, which JSON does not allow raw.
static STRING_STOP: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

fn scan_string(text: &[u8], pos: usize) -> Scan<StringSpan> {
    let mut p = pos + 1;
    let mut escaped = false;
    loop {
        p = next_string_stop(text, p);
        match text.get(p) {
            Some(b'"') => {
                return Ok(StringSpan {
                    start: pos,
                    end: p + 1,
                    escaped,
                });
            }
            Some(b'\\') => {
                escaped = true;
                match text.get(p + 1) {
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => p += 2,
                    Some(b'u') => {
                        let hex = text.get(p + 2..p + 6);
                        if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                            return fail(p, "invalid \\u escape in string");
                        }
                        p += 6;
                    }
                    _ => return fail(p, "invalid escape in string"),
                }
            }
            Some(_) => return fail(p, "control character in string"),
            None => return fail(pos, "unterminated string"),
        }
    }
}

/// The position of the first quote, backslash or control character at or
/// after `p` (or the end of `text`), looking at eight bytes at a time.
/// Strings are most of a log's bytes, so this is its hottest loop.
#[inline]
fn next_string_stop(text: &[u8], mut p: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const QUOTES: u64 = u64::from_ne_bytes([b'"'; 8]);
    const SLASHES: u64 = u64::from_ne_bytes([b'\\'; 8]);
    const SPACES: u64 = u64::from_ne_bytes([0x20; 8]);
    while let Some(chunk) = text.get(p..p + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let quote = word ^ QUOTES;
        let slash = word ^ SLASHES;
        // Flags bytes below 0x20, equal to '"' or equal to '\\'. A false flag
        // can only sit above a true one, so the lowest flag is exact.
        let stops = ((word.wrapping_sub(SPACES) & !word)
            | (quote.wrapping_sub(ONES) & !quote)
            | (slash.wrapping_sub(ONES) & !slash))
            & HIGHS;
        if stops != 0 {
            return p + (stops.trailing_zeros() / 8) as usize;
        }
        p += 8;
    }
    while p < text.len() && !STRING_STOP[text[p] as usize] {
        p += 1;
    }
    p
}

/// Decodes the text between a string's quotes. The text must have been
/// checked by the scanner. A lone surrogate becomes U+FFFD, since Rust strings
/// cannot hold one.
pub(crate) fn unescape(inner: &str) -> String {
    let mut out = String::with_capacity(inner.len());
    let mut rest = inner;
    while let Some(slash) = rest.find('\\') {
        out.push_str(&rest[..slash]);
        let code = rest.as_bytes()[slash + 1];
        rest = &rest[slash + 2..];
        let ch = match code {
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = u16::from_str_radix(&rest[..4], 16).unwrap_or(0xFFFD);
                rest = &rest[4..];
                if (0xD800..0xDC00).contains(&unit) && rest.starts_with("\\u") {
                    match u16::from_str_radix(&rest[2..6], 16) {
                        Ok(low) if (0xDC00..0xE000).contains(&low) => {
                            rest = &rest[6..];
                            let code = 0x10000
                                + ((u32::from(unit) - 0xD800) << 10)
                                + (u32::from(low) - 0xDC00);
                            char::from_u32(code).unwrap_or('\u{FFFD}')
                        }
                        _ => '\u{FFFD}',
                    }
                } else {
                    char::from_u32(u32::from(unit)).unwrap_or('\u{FFFD}')
                }
            }
            other => char::from(other),
        };
        out.push(ch);
    }
    out.push_str(rest);
    out
}

/// Writes `value` as a JSON string literal, escaping only what JSON requires
/// (as `JSON.stringify` does).
pub fn write_string(out: &mut String, value: &str) {
    out.reserve(value.len() + 2);
    out.push('"');
    // Most strings (keys, IDs, reasons) need no escape: copy them whole.
    if !value.bytes().any(|b| STRING_STOP[b as usize]) {
        out.push_str(value);
        out.push('"');
        return;
    }
    let mut run = 0;
    for (i, b) in value.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..0x20 => "",
            _ => continue,
        };
        out.push_str(&value[run..i]);
        if escape.is_empty() {
            out.push_str(&format!("\\u{b:04x}"));
        } else {
            out.push_str(escape);
        }
        run = i + 1;
    }
    out.push_str(&value[run..]);
    out.push('"');
}

/// `value` as a JSON string literal.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    write_string(&mut out, value);
    out
}

/// One `"key": value` pair of an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The key, as it stands in the text (quotes and escapes included).
    pub key: StringSpan,
    /// Where the value stands in the text.
    pub value: Range<usize>,
}

/// The elements of an array or an object: the separators between them and
/// the closing bracket. The element itself is the caller's to scan.
struct Elements<'a> {
    text: &'a [u8],
    pos: usize,
    depth: usize,
    close: u8,
    first: bool,
    done: bool,
}

impl<'a> Elements<'a> {
    fn new(text: &'a [u8], pos: usize, depth: usize, open: u8, close: u8) -> Scan<Self> {
        if text.get(pos) != Some(&open) {
            return fail(
                pos,
                if open == b'{' {
                    "expected an object"
                } else {
                    "expected an array"
                },
            );
        }
        if depth >= MAX_DEPTH {
            return fail(pos, "JSON nested too deeply");
        }
        Ok(Elements {
            text,
            pos: pos + 1,
            depth,
            close,
            first: true,
            done: false,
        })
    }

    /// Where the next element starts, or `None` after the closing bracket.
    fn next_start(&mut self) -> Scan<Option<usize>> {
        if self.done {
            return Ok(None);
        }
        let text = self.text;
        let mut p = skip_ws(text, self.pos);
        if text.get(p) == Some(&self.close) {
            self.pos = p + 1;
            self.done = true;
            return Ok(None);
        }
        if !self.first {
            let object = self.close == b'}';
            match text.get(p) {
                Some(b',') => p = skip_ws(text, p + 1),
                Some(_) if object => return fail(p, "expected ',' or '}' in object"),
                Some(_) => return fail(p, "expected ',' or ']' in array"),
                None if object => return fail(p, "unexpected end of input in object"),
                None => return fail(p, "unexpected end of input in array"),
            }
        }
        self.first = false;
        Ok(Some(p))
    }
}

/// Walks the members of the object that starts at `pos`, checking each value.
pub struct Members<'a>(Elements<'a>);

impl<'a> Members<'a> {
    /// Starts at the `{` at `pos`.
    pub fn new(text: &'a [u8], pos: usize, depth: usize) -> Scan<Self> {
        Elements::new(text, pos, depth, b'{', b'}').map(Members)
    }

    /// The next member, or `None` after the closing `}`.
    pub fn next_member(&mut self) -> Scan<Option<Member>> {
        let Some(mut p) = self.0.next_start()? else {
            return Ok(None);
        };
        let text = self.0.text;
        if text.get(p) != Some(&b'"') {
            return fail(p, "expected a string key in object");
        }
        let key = scan_string(text, p)?;
        p = skip_ws(text, key.end);
        if text.get(p) != Some(&b':') {
            return fail(p, "expected ':' after object key");
        }
        let start = skip_ws(text, p + 1);
        let end = scan_value(text, start, self.0.depth + 1)?;
        self.0.pos = end;
        Ok(Some(Member {
            key,
            value: start..end,
        }))
    }

    /// The position after the closing `}`; valid once `next_member` gave `None`.
    pub(crate) fn end(&self) -> usize {
        self.0.pos
    }
}

/// Walks the items of the array that starts at `pos`, checking each one.
pub struct Items<'a>(Elements<'a>);

impl<'a> Items<'a> {
    /// Starts at the `[` at `pos`.
    pub fn new(text: &'a [u8], pos: usize, depth: usize) -> Scan<Self> {
        Elements::new(text, pos, depth, b'[', b']').map(Items)
    }

    /// The next item's span, or `None` after the closing `]`.
    pub fn next_item(&mut self) -> Scan<Option<Range<usize>>> {
        let Some(p) = self.0.next_start()? else {
            return Ok(None);
        };
        let end = scan_value(self.0.text, p, self.0.depth + 1)?;
        self.0.pos = end;
        Ok(Some(p..end))
    }

    /// The position after the closing `]`; valid once `next_item` gave `None`.
    pub(crate) fn end(&self) -> usize {
        self.0.pos
    }

    /// Where the next item starts, or `None` after the closing `]`, for a
    /// caller that reads the item itself (checking it as `next_item` would,
    /// at depth [`Items::item_depth`]) and then calls [`Items::resume`]
    /// with its end: one pass where `next_item` and a second read would
    /// take two.
    pub(crate) fn next_start(&mut self) -> Scan<Option<usize>> {
        self.0.next_start()
    }

    /// The depth the items are at, for [`Members::new`] or [`Items::new`]
    /// on an item.
    pub(crate) fn item_depth(&self) -> usize {
        self.0.depth + 1
    }

    /// Goes on after an item the caller read, which ended at `end`.
    pub(crate) fn resume(&mut self, end: usize) {
        self.0.pos = end;
    }
}

/// The spans of the object `text`'s members named in `keys`: the last of
/// each (as `JSON.parse` keeps it), in one pass that copies no key. `None`
/// for a name it lacks, and for every name when `text` is not an object.
pub fn last_members<const N: usize>(text: &str, keys: [&str; N]) -> [Option<Range<usize>>; N] {
    let mut found = [const { None }; N];
    let Ok(mut members) = Members::new(text.as_bytes(), 0, 0) else {
        return found;
    };
    while let Ok(Some(member)) = members.next_member() {
        let key = member.key.decode(text);
        if let Some(at) = keys.iter().position(|k| *k == key) {
            found[at] = Some(member.value);
        }
    }
    found
}

/// Decodes a checked JSON value that must be a string.
pub fn as_string(text: &str, span: Range<usize>) -> Option<String> {
    as_str(text, span).map(std::borrow::Cow::into_owned)
}

/// [`as_string`], borrowed from `text` when the string has no escapes.
pub fn as_str(text: &str, span: Range<usize>) -> Option<std::borrow::Cow<'_, str>> {
    if text.as_bytes().get(span.start) != Some(&b'"') {
        return None;
    }
    let s = scan_string(text.as_bytes(), span.start).ok()?;
    Some(s.decode(text))
}

/// Decodes a checked JSON value that must be an array of strings.
pub fn as_string_array(text: &str, span: Range<usize>) -> Option<Vec<String>> {
    let mut items = Items::new(text.as_bytes(), span.start, 0).ok()?;
    let mut out = Vec::new();
    while let Some(item) = items.next_item().ok()? {
        out.push(as_string(text, item)?);
    }
    Some(out)
}

/// A number as `JSON.stringify` writes it: whole numbers (up to 2^53)
/// without a fraction, `null` for what is not finite.
pub fn number(n: f64) -> String {
    let mut out = String::new();
    write_number(&mut out, n);
    out
}

/// [`number`], written at the end of `out`.
pub(crate) fn write_number(out: &mut String, n: f64) {
    if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        out.push_str(itoa::Buffer::new().format(n as i64));
    } else {
        match serde_json::Number::from_f64(n) {
            Some(n) => out.push_str(&n.to_string()),
            None => out.push_str("null"),
        }
    }
}

/// Whether `text` may have whitespace outside its strings, without reading
/// the strings: such whitespace is a tab, a line break, or a space at either
/// end or next to one of `{}[]:,` (two JSON values never touch, so every run
/// of it has a structural character on one side). Spaces inside strings
/// rarely are, so most already minified lines are told apart without a full
/// scan.
fn may_have_whitespace_between_tokens(text: &[u8]) -> bool {
    let structural = |at: Option<&u8>| matches!(at, Some(b'{' | b'}' | b'[' | b']' | b':' | b','));
    memchr::memchr3(b'\t', b'\n', b'\r', text).is_some()
        || memchr::memchr_iter(b' ', text).any(|i| {
            i == 0
                || i + 1 == text.len()
                || structural(text.get(i - 1))
                || structural(text.get(i + 1))
        })
}

/// A checked JSON value without the whitespace between its tokens (itself
/// when it has none).
pub fn minify(value: &str) -> std::borrow::Cow<'_, str> {
    let bytes = value.as_bytes();
    if !may_have_whitespace_between_tokens(bytes) {
        return std::borrow::Cow::Borrowed(value);
    }
    let mut out = String::new();
    let mut run = 0;
    let mut p = 0;
    while p < bytes.len() {
        match bytes[p] {
            b'"' => {
                p = scan_string(bytes, p).map_or(bytes.len(), |s| s.end);
            }
            b' ' | b'\t' | b'\n' | b'\r' => {
                out.push_str(&value[run..p]);
                p = skip_ws(bytes, p);
                run = p;
            }
            _ => p += 1,
        }
    }
    if run == 0 {
        return std::borrow::Cow::Borrowed(value);
    }
    out.push_str(&value[run..]);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_array_is_what_whole_and_items_read() {
        for text in [
            "[]",
            " [ ] ",
            "[1,2]",
            "[1,2,]",
            "[1 2]",
            "[1,2] x",
            "[1,2]]",
            "{}",
            "1",
            "",
            "[[[]]]",
            "[\"a\",{\"b\":[1]}]\n",
            "[\"a\"",
            "[1,{\"a\":}]",
            "\t[null]\r\n",
        ] {
            let expected = whole(text.as_bytes()).ok().and_then(|span| {
                let mut items = Items::new(text.as_bytes(), span.start, 0).ok()?;
                let mut spans = Vec::new();
                while let Some(item) = items.next_item().ok()? {
                    spans.push(item);
                }
                Some(spans)
            });
            assert_eq!(whole_array(text.as_bytes()).ok(), expected, "{text:?}");
        }
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(whole_array(deep.as_bytes()).is_err() && whole(deep.as_bytes()).is_err());
    }

    #[test]
    fn last_members_are_the_last_of_each_name() {
        let text = r#"{"type":"a","id":"x","type":"b","o":{"type":"c"}}"#;
        let [kind, id, missing] = last_members(text, ["type", "id", "none"]);
        assert_eq!(kind.map(|s| &text[s]), Some(r#""b""#));
        assert_eq!(id.map(|s| &text[s]), Some(r#""x""#));
        assert_eq!(missing, None);
        assert_eq!(last_members("[1]", ["type"]), [None]);
        let escaped = r#"{"\u0074ype":"t"}"#;
        let [escaped_kind] = last_members(escaped, ["type"]);
        assert_eq!(escaped_kind.map(|s| &escaped[s]), Some(r#""t""#));
    }

    #[test]
    fn accepts_what_json_parse_accepts() {
        for ok in [
            r#"{}"#,
            r#"[]"#,
            r#"{"a":[1,-2.5e+3,0,true,false,null,"x\"\\\/\b\f\n\r\t\u00e9"]}"#,
            " \t\r\n[ 1 , { \"b\" : [ ] } ] ",
            "\"\u{10FFFF}\"",
            "-0.0E-0",
        ] {
            assert!(whole(ok.as_bytes()).is_ok(), "{ok}");
        }
    }

    #[test]
    fn refuses_what_json_parse_refuses() {
        for bad in [
            "",
            "{",
            "[1,]",
            "{,}",
            "{\"a\"}",
            "{\"a\":1,}",
            "01",
            "1.",
            "1e",
            "-",
            ".5",
            "+1",
            "\"\u{1}\"",
            "\"\\x\"",
            "\"\\u12\"",
            "tru",
            "nul",
            "[1 2]",
            "{1:2}",
            "\"abc",
            "1 2",
            "NaN",
        ] {
            assert!(whole(bad.as_bytes()).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn refuses_deep_nesting_without_overflowing() {
        let deep = "[".repeat(100_000);
        assert_eq!(
            whole(deep.as_bytes()).unwrap_err().message,
            "JSON nested too deeply"
        );
    }

    #[test]
    fn unescapes_and_quotes_round_trip() {
        let raw = r#""a\"b\\c\/d\u00e9\ud83d\ude00\n\u0001""#;
        let span = whole(raw.as_bytes()).unwrap();
        let decoded = as_string(raw, span).unwrap();
        assert_eq!(decoded, "a\"b\\c/dé😀\n\u{1}");
        assert_eq!(quote(&decoded), r#""a\"b\\c/dé😀\n\u0001""#);
        assert_eq!(unescape(r"\ud800x"), "\u{FFFD}x");
    }

    #[test]
    fn strings_end_at_the_first_stop_byte_wherever_it_falls() {
        for len in 0..40 {
            for stop in ["\"", "\\n", "\u{1}", "\u{1f}"] {
                let body = "é".repeat(len / 2) + &"x".repeat(len % 2);
                let text = format!("\"{body}{stop}rest\"");
                let scanned = scan_string(text.as_bytes(), 0);
                match stop {
                    "\"" => assert_eq!(scanned.unwrap().end, body.len() + 2),
                    "\\n" => assert!(scanned.unwrap().escaped),
                    _ => assert_eq!(scanned.unwrap_err().offset, body.len() + 1),
                }
            }
        }
    }

    #[test]
    fn minify_keeps_string_spaces() {
        assert_eq!(
            minify(r#"{ "a b" : [ 1 , "c d" ] }"#),
            r#"{"a b":[1,"c d"]}"#
        );
    }
}
