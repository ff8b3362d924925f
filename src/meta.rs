//! Meta objects: reading the keys that have meaning, and editing meta text
//! while every other key keeps its place and its exact text.

use std::ops::Range;

use smallvec::SmallVec;

use crate::error::Invalid;
use crate::json::{self, Members, StringSpan};
use crate::text::{Symbol, Symbols};

/// Meta keys that `change-meta` may not touch.
pub(crate) const READ_ONLY_KEYS: [&str; 5] = ["id", "added", "time", "subprotocol", "indexes"];

/// Reasons of one entry; most entries have one or two.
pub(crate) type Reasons = SmallVec<[Symbol; 2]>;

/// The meaningful keys of one meta object, as found in its text. A key that
/// occurs twice counts with its last value, as in `JSON.parse`.
#[derive(Debug, Default)]
pub(crate) struct MetaFields {
    /// Span of the `id` string value, quotes included.
    pub(crate) id: Option<StringSpan>,
    pub(crate) time: Option<f64>,
    pub(crate) added: Option<u64>,
    pub(crate) reasons: Option<Reasons>,
    pub(crate) indexes: Option<Box<[Symbol]>>,
    /// `keepLast`: a string, or each string of an array. Empty strings are
    /// left out, as `@logux/core` skips a falsy `keepLast`.
    pub(crate) keep_last: Vec<String>,
    pub(crate) has_subprotocol: bool,
}

impl MetaFields {
    /// The same fields read from a line that starts `by` bytes later.
    pub(crate) fn shifted(mut self, by: usize) -> MetaFields {
        if let Some(id) = &mut self.id {
            id.start -= by;
            id.end -= by;
        }
        self
    }
}

/// Reads the meaningful keys of the meta object at `span` of `text`. The
/// error says which key is wrong and how. As `JSON.parse` reads an object,
/// a key's last value is the one that counts: a value that is wrong is an
/// error only if no later value of the same key takes its place.
pub(crate) fn read_fields(
    text: &str,
    span: Range<usize>,
    symbols: &mut Symbols,
) -> Result<MetaFields, Invalid> {
    let bytes = text.as_bytes();
    let mut members =
        Members::new(bytes, span.start, 1).map_err(|e| format!("meta: {}", e.message))?;
    let mut fields = MetaFields::default();
    // Keys whose last value so far is wrong, with what is wrong with it.
    let mut wrong: Vec<(String, String)> = Vec::new();
    while let Some(member) = members.next_member()? {
        let read = read_field(text, &member.key, member.value, &mut fields, Some(symbols));
        if read.is_ok() && wrong.is_empty() {
            continue;
        }
        let key = member.key.decode(text).into_owned();
        wrong.retain(|(other, _)| *other != key);
        if let Err(error) = read {
            wrong.push((key, error));
        }
    }
    match wrong.into_iter().next() {
        Some((_, error)) => Err(error.into()),
        None => Ok(fields),
    }
}

/// Reads the member `key: value` of a meta object into `fields`, if its
/// key has a meaning. Without `symbols`, reasons and indexes are checked
/// and counted but not named: each is [`Symbol::UNNAMED`].
pub(crate) fn read_field(
    text: &str,
    key: &StringSpan,
    value: Range<usize>,
    fields: &mut MetaFields,
    mut symbols: Option<&mut Symbols>,
) -> Result<(), String> {
    let bytes = text.as_bytes();
    let key = key.decode(text);
    match &*key {
        "id" => {
            if bytes[value.start] != b'"' {
                return Err("meta \"id\" must be a string".into());
            }
            fields.id = Some(StringSpan {
                start: value.start,
                end: value.end,
                escaped: text[value.clone()].contains('\\'),
            });
        }
        "time" => fields.time = Some(read_time(&text[value])?),
        "added" => fields.added = Some(read_added(&text[value])?),
        "reasons" => {
            fields.reasons = Some(
                read_names(text, value, symbols.as_deref_mut())
                    .ok_or("meta \"reasons\" must be an array of strings")?,
            )
        }
        "indexes" => {
            let checked = symbols.is_some();
            let names: Reasons = read_names(text, value, symbols)
                .ok_or("meta \"indexes\" must be an array of strings")?;
            // Names only counted are not kept.
            fields.indexes = Some(if checked {
                names.into_vec().into_boxed_slice()
            } else {
                Box::default()
            });
        }
        "keepLast" => fields.keep_last = read_keep_last(text, value)?,
        "subprotocol" => {
            if !is_subprotocol(&text[value]) {
                return Err("meta \"subprotocol\" must be a number or a string".into());
            }
            fields.has_subprotocol = true;
        }
        _ => {}
    }
    Ok(())
}

/// Writes the start of the meta an action arrives with, as
/// [`MetaText::to_json`] writes its members `id`, `time` and, if given,
/// `subprotocol` (JSON text): the object is left open for what follows.
pub(crate) fn write_travelled(out: &mut String, id: &str, time: f64, subprotocol: Option<&str>) {
    out.push_str("{\"id\":");
    json::write_string(out, id);
    out.push_str(",\"time\":");
    json::write_number(out, time);
    if let Some(value) = subprotocol {
        out.push_str(",\"subprotocol\":");
        out.push_str(value);
    }
}

/// Whether a meta's `subprotocol` value, a JSON value's text, is one: a
/// number since @logux/core 0.10 (`"subprotocol":1`), a string such as
/// "1.0.0" before it; kept as written.
pub(crate) fn is_subprotocol(value: &str) -> bool {
    match value.as_bytes().first() {
        Some(b'"') => true,
        Some(b'-' | b'0'..=b'9') => value.parse::<f64>().is_ok_and(f64::is_finite),
        _ => false,
    }
}

/// `time`: any finite JSON number, compared as JavaScript compares numbers.
fn read_time(number: &str) -> Result<f64, String> {
    if !matches!(number.as_bytes()[0], b'-' | b'0'..=b'9') {
        return Err("meta \"time\" must be a number".into());
    }
    match number.parse::<f64>() {
        Ok(time) if time.is_finite() => Ok(time),
        _ => Err(format!("meta \"time\" {number} is out of range")),
    }
}

/// An `added` number: whole, and no larger than JavaScript counts exactly,
/// as every other number of the log.
pub(crate) fn read_added(number: &str) -> Result<u64, String> {
    number
        .parse::<u64>()
        .ok()
        .filter(|&n| n <= crate::id::MAX_SAFE_INTEGER)
        .ok_or_else(|| {
            format!(
                "meta \"added\" must be a whole number up to {}, not {number}",
                crate::id::MAX_SAFE_INTEGER
            )
        })
}

fn read_names(
    text: &str,
    span: Range<usize>,
    mut symbols: Option<&mut Symbols>,
) -> Option<Reasons> {
    let mut items = json::Items::new(text.as_bytes(), span.start, 1).ok()?;
    let mut names = Reasons::new();
    while let Some(item) = items.next_item().ok()? {
        if text.as_bytes()[item.start] != b'"' {
            return None;
        }
        let inner = &text[item.start + 1..item.end - 1];
        names.push(match symbols.as_deref_mut() {
            None => Symbol::UNNAMED,
            Some(symbols) if inner.contains('\\') => symbols.intern(&json::unescape(inner)),
            Some(symbols) => symbols.intern(inner),
        });
    }
    Some(names)
}

fn read_keep_last(text: &str, span: Range<usize>) -> Result<Vec<String>, String> {
    let invalid = || "meta \"keepLast\" must be a string or an array of strings".to_string();
    let names = match text.as_bytes()[span.start] {
        b'"' => vec![json::as_string(text, span).ok_or_else(invalid)?],
        b'[' => json::as_string_array(text, span).ok_or_else(invalid)?,
        _ => return Err(invalid()),
    };
    Ok(names.into_iter().filter(|name| !name.is_empty()).collect())
}

/// One `"key": value` of a meta being edited.
#[derive(Debug, Clone, PartialEq, Eq)]
struct MetaMember {
    key: String,
    /// The key as it was written, where that differs from how
    /// `json::write_string` writes it (it had escapes).
    raw_key: Option<String>,
    value: String,
}

/// A meta object as a list of members, for editing. Members keep the exact
/// text they were read with; setting a key keeps its place, a new key goes
/// last, as assigning to a JavaScript object does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetaText {
    members: Vec<MetaMember>,
}

impl MetaText {
    /// Reads a checked JSON object. Errors if the text is not an object.
    pub fn parse(text: &str) -> Result<Self, Invalid> {
        let span = json::whole_value(text.as_bytes())?;
        let mut members = Members::new(text.as_bytes(), span.start, 1)
            .map_err(|_| Invalid::from("expected a JSON object"))?;
        let mut meta = MetaText::default();
        while let Some(member) = members.next_member()? {
            let key = member.key.decode(text);
            let raw_key = member
                .key
                .escaped
                .then(|| text[member.key.start..member.key.end].to_owned());
            meta.set_member(&key, raw_key, text[member.value].to_owned());
        }
        Ok(meta)
    }

    fn set_member(&mut self, key: &str, raw_key: Option<String>, value: String) {
        match self.members.iter_mut().find(|m| m.key == key) {
            Some(member) => member.value = value,
            None => self.members.push(MetaMember {
                key: key.to_owned(),
                raw_key,
                value,
            }),
        }
    }

    /// The raw JSON value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.members
            .iter()
            .find(|m| m.key == key)
            .map(|m| m.value.as_str())
    }

    /// Whether the meta has `key`.
    pub fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Sets `key` to a raw JSON value.
    pub fn set_raw(&mut self, key: &str, value: impl Into<String>) {
        self.set_member(key, None, value.into());
    }

    /// Takes `key` out, if it is there.
    pub fn remove(&mut self, key: &str) {
        self.members.retain(|m| m.key != key);
    }

    /// Sets `key` to a JSON string.
    pub fn set_string(&mut self, key: &str, value: &str) {
        self.set_raw(key, json::quote(value));
    }

    /// Sets `key` to a JSON array of strings.
    pub fn set_strings<'a>(&mut self, key: &str, values: impl IntoIterator<Item = &'a str>) {
        self.set_raw(key, string_array(values));
    }

    /// Keys in order.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> {
        self.members.iter().map(|m| m.key.as_str())
    }

    /// Every `(key, raw value)` in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.members
            .iter()
            .map(|m| (m.key.as_str(), m.value.as_str()))
    }

    /// The meta as a JSON object, its keys in order.
    pub fn to_json(&self) -> String {
        let size: usize = self
            .members
            .iter()
            .map(|m| m.raw_key.as_ref().map_or(m.key.len() + 2, String::len) + m.value.len() + 2)
            .sum();
        let mut out = String::with_capacity(size + 2);
        out.push('{');
        for (i, member) in self.members.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            match &member.raw_key {
                Some(raw) => out.push_str(raw),
                None => json::write_string(&mut out, &member.key),
            }
            out.push(':');
            out.push_str(&member.value);
        }
        out.push('}');
        out
    }
}

/// A JSON array of strings.
pub fn string_array<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::from("[");
    for (i, value) in values.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json::write_string(&mut out, value);
    }
    out.push(']');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editing_keeps_other_members_as_written() {
        let mut meta =
            MetaText::parse(r#"{ "b" : 1.50, "reasons": ["x"], "\u0061": {"z": 1e3} }"#).unwrap();
        meta.set_strings("reasons", ["y", "z"]);
        meta.set_raw("added", "4");
        meta.set_raw("a", "2");
        assert_eq!(
            meta.to_json(),
            r#"{"b":1.50,"reasons":["y","z"],"\u0061":2,"added":4}"#
        );
    }

    #[test]
    fn reads_fields_and_names_the_bad_key() {
        let mut symbols = Symbols::default();
        let text = r#"{"id":"1 a 0","time":-0,"reasons":["r","s"],"keepLast":["k",""],"added":3}"#;
        let fields = read_fields(text, 0..text.len(), &mut symbols).unwrap();
        assert_eq!(fields.time, Some(-0.0));
        assert_eq!(fields.added, Some(3));
        assert_eq!(fields.reasons.unwrap().len(), 2);
        assert_eq!(fields.keep_last, vec!["k".to_string()]);
        for (bad, message) in [
            (
                r#"{"reasons":"a"}"#,
                "meta \"reasons\" must be an array of strings",
            ),
            (
                r#"{"reasons":[1]}"#,
                "meta \"reasons\" must be an array of strings",
            ),
            (r#"{"time":"1"}"#, "meta \"time\" must be a number"),
            (r#"{"time":1e999}"#, "meta \"time\" 1e999 is out of range"),
            (
                r#"{"added":-1}"#,
                "meta \"added\" must be a whole number up to 9007199254740991, not -1",
            ),
            (
                r#"{"added":9007199254740992}"#,
                "meta \"added\" must be a whole number up to 9007199254740991, not 9007199254740992",
            ),
            (r#"{"id":1}"#, "meta \"id\" must be a string"),
            (
                r#"{"keepLast":5}"#,
                "meta \"keepLast\" must be a string or an array of strings",
            ),
        ] {
            let err = read_fields(bad, 0..bad.len(), &mut symbols).unwrap_err();
            assert_eq!(err.to_string(), message);
        }
    }
}
