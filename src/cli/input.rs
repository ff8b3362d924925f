//! Actions as people have them: JSON values one after another (one a line,
//! pretty-printed over many, or several on a line), each an action, an
//! `[action, meta]` pair, or an array of those (as `order --format json`
//! prints them).

use std::borrow::Cow;
use std::io::BufRead;
use std::ops::Range;

use actionlog::{Error, MetaText, json};

/// Why [`JsonValues::next_text`] has no value to give.
#[derive(Debug)]
pub enum Unread {
    Io(std::io::Error),
    /// Too long, or not UTF-8.
    Bad(Problem),
}

/// Where a value begins: its line (from 1), and the bytes before it on
/// that line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Start {
    pub line: u64,
    pub column: usize,
}

impl Start {
    /// The start of a text of its own, such as an argument.
    pub const TEXT: Start = Start { line: 1, column: 0 };
}

/// What [`JsonValues::next`] found.
#[derive(Debug, PartialEq, Eq)]
pub enum Next {
    /// A value (or, for bad input, what stands where one should), which
    /// begins there.
    Value {
        start: Start,
    },
    End,
    /// A value that begins on this line and is longer than allowed; it was
    /// not read to its end.
    TooLong {
        line: u64,
    },
}

/// Splits a stream into its top-level JSON values without parsing them:
/// it follows strings and brackets only, so that each value can be parsed
/// (and its errors reported) on its own. Lines are counted for errors.
pub struct JsonValues<R> {
    input: R,
    line: u64,
    /// Bytes read since the last line break.
    column: usize,
    /// Nothing was read yet: a byte-order mark may come.
    at_start: bool,
}

/// How many line breaks `bytes` hold, and the bytes after the last one.
fn line_breaks(bytes: &[u8]) -> (u64, Option<usize>) {
    match memchr::memrchr(b'\n', bytes) {
        None => (0, None),
        Some(last) => (
            memchr::memchr_iter(b'\n', bytes).count() as u64,
            Some(bytes.len() - last - 1),
        ),
    }
}

fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\r' | b'\n')
}

impl<R: BufRead> JsonValues<R> {
    pub fn new(input: R) -> Self {
        JsonValues {
            input,
            line: 1,
            column: 0,
            at_start: true,
        }
    }

    /// Notes what `bytes`, which were read, did to the line and column.
    fn count(&mut self, (breaks, after_last): (u64, Option<usize>), len: usize) {
        self.line += breaks;
        match after_last {
            Some(after) => self.column = after,
            None => self.column += len,
        }
    }

    fn fill(&mut self) -> std::io::Result<&[u8]> {
        loop {
            match self.input.fill_buf() {
                Ok(_) => return self.input.fill_buf(),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// The next value as text, read into `value`: `None` at the end. An
    /// object may be as long as an entry's line; an array `max_array`
    /// bytes. `what` names the input in errors.
    pub fn next_text<'v>(
        &mut self,
        value: &'v mut Vec<u8>,
        max_array: u64,
        what: &str,
    ) -> Result<Option<(Start, &'v str)>, Unread> {
        let max = actionlog::store::format::MAX_LINE_BYTES;
        let start = match self.next(value, max, max_array).map_err(Unread::Io)? {
            Next::End => return Ok(None),
            Next::Value { start } => start,
            Next::TooLong { line } => {
                return Err(Unread::Bad(Problem {
                    line,
                    error: Error::input(format!(
                        "{what}: longer than {max} bytes, the most an entry may take"
                    )),
                }));
            }
        };
        match std::str::from_utf8(value) {
            Ok(text) => Ok(Some((start, text))),
            Err(_) => Err(Unread::Bad(Problem {
                line: start.line,
                error: Error::input(format!("{what}: not UTF-8")),
            })),
        }
    }

    /// Reads the next value into `value`. An object may take `max_object`
    /// bytes; an array (which may hold a whole log) `max_array`. Something
    /// that is neither is read to the end of its line.
    pub fn next(
        &mut self,
        value: &mut Vec<u8>,
        max_object: usize,
        max_array: u64,
    ) -> std::io::Result<Next> {
        value.clear();
        if std::mem::take(&mut self.at_start) && self.fill()?.starts_with(b"\xef\xbb\xbf") {
            // A byte-order mark, as some editors write: not part of the JSON.
            self.input.consume(3);
        }
        let first = loop {
            let available = self.fill()?;
            if available.is_empty() {
                return Ok(Next::End);
            }
            let spaces = available.iter().take_while(|&&b| is_space(b)).count();
            let first = available.get(spaces).copied();
            let breaks = line_breaks(&available[..spaces]);
            self.input.consume(spaces);
            self.count(breaks, spaces);
            if let Some(first) = first {
                break first;
            }
        };
        let start = Start {
            line: self.line,
            column: self.column,
        };
        let line = start.line;
        let max = if first == b'[' {
            usize::try_from(max_array).unwrap_or(usize::MAX)
        } else {
            max_object
        };
        let mut depth = 0usize;
        let mut in_string = false;
        let mut escaped = false;
        let container = first == b'{' || first == b'[';
        loop {
            let available = self.fill()?;
            if available.is_empty() {
                // Unfinished: parsing it says what is missing.
                return Ok(Next::Value { start });
            }
            let mut end = None;
            let mut i = 0;
            while i < available.len() {
                if !container {
                    if let Some(at) = memchr::memchr(b'\n', &available[i..]) {
                        end = Some(i + at);
                    }
                    break;
                }
                if escaped {
                    escaped = false;
                    i += 1;
                    continue;
                }
                if in_string {
                    match memchr::memchr2(b'"', b'\\', &available[i..]) {
                        None => i = available.len(),
                        Some(at) => {
                            i += at;
                            if available[i] == b'"' {
                                in_string = false;
                            } else {
                                escaped = true;
                            }
                            i += 1;
                        }
                    }
                    continue;
                }
                match available[i] {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            end = Some(i + 1);
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            let taken = end.unwrap_or(available.len());
            if value.len() + taken > max {
                return Ok(Next::TooLong { line });
            }
            value.extend_from_slice(&available[..taken]);
            self.input.consume(taken);
            self.count(line_breaks(&value[value.len() - taken..]), taken);
            if end.is_some() {
                return Ok(Next::Value { start });
            }
        }
    }
}

/// One action found in a value: the line it begins on, the action
/// (compact JSON) and its meta, if it came as a pair.
pub struct Found<'a> {
    pub line: u64,
    pub action: Cow<'a, str>,
    pub meta: Option<MetaText>,
}

/// What went wrong with a value, and on which line.
#[derive(Debug)]
pub struct Problem {
    pub line: u64,
    pub error: Error,
}

/// Lines and bytes in a value, for its errors: where each line break is,
/// found once (a value may be a whole log's array, and each of its items
/// asks).
pub struct Lines<'a> {
    text: &'a [u8],
    start: Start,
    breaks: std::cell::OnceCell<Vec<usize>>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a [u8], start: Start) -> Self {
        Lines {
            text,
            start,
            breaks: std::cell::OnceCell::new(),
        }
    }

    /// The line of `offset` and its byte on that line (from 1).
    pub fn position(&self, offset: usize) -> (u64, usize) {
        let offset = offset.min(self.text.len());
        let breaks = self
            .breaks
            .get_or_init(|| memchr::memchr_iter(b'\n', self.text).collect());
        match breaks.partition_point(|&at| at < offset) {
            0 => (self.start.line, self.start.column + offset + 1),
            before => {
                let line_start = breaks[before - 1] + 1;
                (self.start.line + before as u64, offset - line_start + 1)
            }
        }
    }

    pub fn line(&self, offset: usize) -> u64 {
        self.position(offset).0
    }
}

/// A JSON syntax error in `text`, named by its line and its byte there.
pub fn syntax_problem(what: &str, text: &[u8], start: Start, error: &json::SyntaxError) -> Problem {
    let content = text.len() - text.iter().rev().take_while(|&&b| is_space(b)).count();
    if content == 0 {
        return Problem {
            line: start.line,
            error: Error::input(format!("{what}: empty: expected a JSON value")),
        };
    }
    if error.offset >= content {
        // A value cut short: where it begins is what helps (a line of
        // JSON lines that lost its end swallows the lines after it).
        return Problem {
            line: start.line,
            error: Error::input(format!(
                "{what}: invalid JSON: {}: the value that begins on this line does not end",
                error.message
            )),
        };
    }
    let (line, byte) = Lines::new(text, start).position(error.offset);
    let begun = if line == start.line {
        String::new()
    } else {
        format!(" (in the value that begins on line {})", start.line)
    };
    Problem {
        line,
        error: Error::input(format!(
            "{what}: invalid JSON: {} at byte {byte}{begun}",
            error.message
        )),
    }
}

/// A JSON syntax error in an argument: named by its byte there (and its
/// line, for an argument of several).
pub fn argument_problem(what: &str, text: &str, error: &json::SyntaxError) -> Error {
    if text.trim().is_empty() {
        return Error::input(format!("{what}: empty: expected a JSON value"));
    }
    let (line, byte) = Lines::new(text.as_bytes(), Start::TEXT).position(error.offset);
    let on_line = if line > 1 {
        format!(" of line {line}")
    } else {
        String::new()
    };
    Error::input(format!(
        "{what}: invalid JSON: {} at byte {byte}{on_line}",
        error.message
    ))
}

struct Value<'a> {
    what: &'a str,
    text: &'a str,
    lines: Lines<'a>,
}

impl Value<'_> {
    fn line(&self, offset: usize) -> u64 {
        self.lines.line(offset)
    }

    fn expected(&self, offset: usize) -> Problem {
        Problem {
            line: self.line(offset),
            error: Error::input(format!(
                "{}: expected an action object, an [action, meta] pair, or an array of those",
                self.what
            )),
        }
    }
}

/// The actions in one value: an action object; an `[action, meta]` pair;
/// or an array of actions and pairs. A two-item array of objects is a pair
/// unless its second object has a `type`, which makes both actions.
/// `what` names the value in errors.
pub fn actions_in<'a>(
    what: &'a str,
    value: &'a str,
    begins: Start,
) -> Result<Vec<Found<'a>>, Problem> {
    let at = Value {
        what,
        text: value,
        lines: Lines::new(value.as_bytes(), begins),
    };
    let bytes = value.as_bytes();
    let trimmed = value.trim_start_matches(|c| is_space(c as u8));
    let start = value.len() - trimmed.len();
    if trimmed.starts_with('{') {
        // `add` checks the action; checking it here too would read every
        // byte of a million actions once more.
        return Ok(vec![Found {
            line: at.line(start),
            action: json::minify(trimmed.trim_end_matches(|c| is_space(c as u8))),
            meta: None,
        }]);
    }
    if let Err(e) = json::whole(bytes) {
        return Err(syntax_problem(what, bytes, begins, &e));
    }
    if !trimmed.starts_with('[') {
        return Err(at.expected(start));
    }
    let items = items_of(bytes, start).ok_or_else(|| at.expected(start))?;
    let is_object = |span: &Range<usize>| bytes[span.start] == b'{';
    if let [action, meta] = &items[..]
        && is_object(action)
        && is_object(meta)
        && !has_type(&value[meta.clone()])
    {
        return Ok(vec![pair(&at, start, action, meta)?]);
    }
    items
        .iter()
        .map(|item| {
            if is_object(item) {
                return Ok(Found {
                    line: at.line(item.start),
                    action: json::minify(&value[item.clone()]),
                    meta: None,
                });
            }
            if bytes[item.start] != b'[' {
                return Err(at.expected(item.start));
            }
            match &items_of(bytes, item.start).ok_or_else(|| at.expected(item.start))?[..] {
                [action, meta] if is_object(action) && is_object(meta) => {
                    pair(&at, item.start, action, meta)
                }
                _ => Err(at.expected(item.start)),
            }
        })
        .collect()
}

/// The spans of the items of the array at `start` (already known to be
/// valid JSON); `None` if there is no array there.
pub fn items_of(bytes: &[u8], start: usize) -> Option<Vec<Range<usize>>> {
    if bytes.get(start) != Some(&b'[') {
        return None;
    }
    let mut items = json::Items::new(bytes, start, 0).ok()?;
    let mut spans = Vec::new();
    while let Some(span) = items.next_item().ok()? {
        spans.push(span);
    }
    Some(spans)
}

fn has_type(object: &str) -> bool {
    MetaText::parse(object).is_ok_and(|members| members.contains("type"))
}

fn pair<'a>(
    at: &Value<'a>,
    offset: usize,
    action: &Range<usize>,
    meta: &Range<usize>,
) -> Result<Found<'a>, Problem> {
    let parsed = MetaText::parse(&json::minify(&at.text[meta.clone()])).map_err(|e| Problem {
        line: at.line(meta.start),
        error: Error::Invalid(e),
    })?;
    Ok(Found {
        line: at.line(offset),
        action: json::minify(&at.text[action.clone()]),
        meta: Some(parsed),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(input: &str) -> Vec<(u64, String)> {
        let mut values = JsonValues::new(input.as_bytes());
        let mut out = Vec::new();
        let mut buf = Vec::new();
        loop {
            match values.next(&mut buf, 1000, 1000).unwrap() {
                Next::Value { start } => {
                    out.push((start.line, String::from_utf8(buf.clone()).unwrap()))
                }
                Next::End => return out,
                Next::TooLong { line } => panic!("too long at {line}"),
            }
        }
    }

    #[test]
    fn values_follow_strings_and_brackets() {
        assert_eq!(
            values("{\"a\":\"}{\\\"\"}{\"b\":[1]}\n\n[\n 1,\n {\"c\": \"]\"}\n]\nnull x\n"),
            vec![
                (1, "{\"a\":\"}{\\\"\"}".to_owned()),
                (1, "{\"b\":[1]}".to_owned()),
                (3, "[\n 1,\n {\"c\": \"]\"}\n]".to_owned()),
                (7, "null x".to_owned()),
            ]
        );
        assert_eq!(values("{\"a\":1"), vec![(1, "{\"a\":1".to_owned())]);
    }

    #[test]
    fn arrays_hold_actions_and_pairs() {
        let kinds = |value: &str| -> Vec<(String, bool)> {
            actions_in("input", value, Start::TEXT)
                .unwrap_or_else(|p| panic!("{}", p.error))
                .into_iter()
                .map(|f| (f.action.into_owned(), f.meta.is_some()))
                .collect()
        };
        assert_eq!(
            kinds(r#"[{"type":"a"},{"reasons":["r"]}]"#),
            [(r#"{"type":"a"}"#.to_owned(), true)]
        );
        assert_eq!(
            kinds(r#"[{"type":"a"},{"type":"b"}]"#),
            [
                (r#"{"type":"a"}"#.to_owned(), false),
                (r#"{"type":"b"}"#.to_owned(), false)
            ]
        );
        assert_eq!(
            kinds("[\n[{\"type\": \"a\"},{}],\n{\"type\":\"b\"}\n]"),
            [
                (r#"{"type":"a"}"#.to_owned(), true),
                (r#"{"type":"b"}"#.to_owned(), false)
            ]
        );
        assert!(actions_in("input", "[1]", Start::TEXT).is_err());
        assert!(actions_in("input", "[[{\"type\":\"a\"}]]", Start::TEXT).is_err());
        let problem = actions_in("input", "[\n{]", Start { line: 4, column: 0 })
            .err()
            .expect("a problem");
        assert_eq!(problem.line, 5);
        assert_eq!(
            problem.error.to_string(),
            "input: invalid JSON: expected a string key in object at byte 2 \
             (in the value that begins on line 4)"
        );
        let problem = actions_in("input", "[\n{", Start { line: 4, column: 0 })
            .err()
            .expect("a problem");
        assert_eq!(problem.line, 4);
        assert!(
            problem
                .error
                .to_string()
                .ends_with("the value that begins on this line does not end")
        );
    }
}
