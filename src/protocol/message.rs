//! The messages of the Logux protocol, version 5, as `@logux/core` 0.10
//! writes them: JSON arrays in WebSocket text frames. Every message read is
//! checked as `@logux/core`'s server checks it (`validate`), and its parts
//! are taken from the text it came in, so an action keeps its text.

use std::ops::Range;

use crate::json::{self, Items, Members};

/// The protocol version spoken, and the oldest one accepted.
pub const PROTOCOL: u64 = 5;

/// A message of the protocol.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    /// A client's first message: its protocol, node ID, the `added` of the
    /// newest of the server's actions it has, and its options.
    Connect {
        /// The protocol version the client speaks.
        protocol: f64,
        /// The client's node ID.
        node_id: String,
        /// The `added` of the newest of the server's actions the client has.
        synced: f64,
        /// The client's credentials and subprotocol.
        options: Options,
    },
    /// The server's answer: its protocol, node ID, and its clock when it
    /// began to handle `connect` and when it finished (the base time of
    /// the connection).
    Connected {
        /// The protocol version the server speaks.
        protocol: f64,
        /// The server's node ID.
        node_id: String,
        /// The server's clock when `connect` came and when it answered.
        time: (f64, f64),
        /// The server's credentials and subprotocol.
        options: Options,
    },
    /// Actions, each with its meta compressed (see `WireMeta`); `added`
    /// is the sender's number of the newest.
    Sync {
        /// The sender's `added` of the newest action in the message.
        added: f64,
        /// The actions and their metas.
        entries: Vec<WireEntry>,
    },
    /// Acknowledges the `sync` with this `added`.
    Synced {
        /// The `added` of the `sync` acknowledged.
        added: f64,
    },
    /// Asks whether the other node is still there.
    Ping {
        /// The sender's newest `added`.
        synced: f64,
    },
    /// The answer to `ping`.
    Pong {
        /// The sender's newest `added`.
        synced: f64,
    },
    /// An error; the sender closes the connection after it.
    Error {
        /// The error's kind, such as `wrong-format`.
        kind: String,
        /// The error's options, as JSON text.
        options: Option<String>,
    },
    /// The sender's headers, a JSON object (as text).
    Headers {
        /// The headers, a JSON object as text.
        object: String,
    },
    /// A server's debug text (`["debug","error",text]`).
    Debug {
        /// The debug text.
        text: String,
    },
    /// The protocol's greeting in verse (`@logux/core` answers it).
    Duilian {
        /// The verse.
        text: String,
    },
}

/// The options of `connect` and `connected`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Options {
    /// The sender's credentials.
    pub token: Option<String>,
    /// The application's protocol version: a number in 0.10, a string in
    /// older versions, as JSON text.
    pub subprotocol: Option<String>,
}

/// An action of a `sync` and its meta as sent.
#[derive(Debug, Clone, PartialEq)]
pub struct WireEntry {
    /// The action's JSON text, minified.
    pub action: String,
    /// Its meta, compressed.
    pub meta: WireMeta,
}

/// A meta as it travels: the ID and time relative to the connection's base
/// time, and any other keys as JSON text.
#[derive(Debug, Clone, PartialEq)]
pub struct WireMeta {
    /// The action ID.
    pub id: WireId,
    /// `time` less the connection's base time.
    pub time: f64,
    /// The other keys that travel (`subprotocol`), each with its JSON text.
    pub other: Vec<(String, String)>,
}

/// An action ID as it travels: its milliseconds less the base time, and
/// the node left out when it is the sender's.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub enum WireId {
    /// The sender's node, counter 0: the milliseconds less the base time.
    Shift(f64),
    /// The sender's node: the milliseconds less the base time, and the
    /// counter.
    ShiftCounter(f64, f64),
    /// Another node: the milliseconds less the base time, the node ID, and
    /// the counter.
    Full(f64, String, f64),
}

/// Why a message was refused: what to answer with (`wrong-format` with the
/// text, or `unknown-message` with the name).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// The message is not what the protocol allows; the text is the message.
    WrongFormat(String),
    /// No such message in the protocol; the text is its name.
    UnknownMessage(String),
}

impl Refused {
    /// The `error` message that answers it.
    pub fn answer(&self) -> Message {
        match self {
            Refused::WrongFormat(text) => Message::Error {
                kind: "wrong-format".into(),
                options: Some(json::quote(text)),
            },
            Refused::UnknownMessage(name) => Message::Error {
                kind: "unknown-message".into(),
                options: Some(json::quote(name)),
            },
        }
    }
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::WrongFormat(text) => {
                write!(f, "wrong message format: {}", shorten(text))
            }
            Refused::UnknownMessage(name) => write!(f, "unknown message {}", json::quote(name)),
        }
    }
}

/// Text cut for a message.
fn shorten(text: &str) -> String {
    if text.len() <= 200 {
        return text.to_owned();
    }
    let mut end = 200;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// The parts of a message's text, its items as spans.
struct Parts<'a> {
    text: &'a str,
    items: Vec<Range<usize>>,
}

impl<'a> Parts<'a> {
    fn bytes(&self, i: usize) -> &'a [u8] {
        &self.text.as_bytes()[self.items[i].clone()]
    }

    fn number(&self, i: usize) -> Option<f64> {
        number(self.bytes(i))
    }

    fn string(&self, i: usize) -> Option<String> {
        json::as_string(self.text, self.items[i].clone())
    }

    fn object(&self, i: usize) -> bool {
        is_object(self.text, self.items[i].clone())
    }
}

/// A JSON number, if `bytes` are one (and within what a double holds).
fn number(bytes: &[u8]) -> Option<f64> {
    if !matches!(bytes.first(), Some(b'-' | b'0'..=b'9')) {
        return None;
    }
    // Most are whole, as times and IDs are: up to 15 digits, exact in a
    // double, so reading them as an integer gives what parsing would.
    let (negative, digits) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    if (1..=15).contains(&digits.len()) && digits.iter().all(u8::is_ascii_digit) {
        let n = digits
            .iter()
            .fold(0u64, |n, d| n * 10 + u64::from(d - b'0')) as f64;
        return Some(if negative { -n } else { n });
    }
    std::str::from_utf8(bytes)
        .ok()?
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
}

/// What `@logux/core` calls an object: a JSON object with no number under
/// `length` (which it would take for an array), the last `length` counting
/// as `JSON.parse` keeps it.
fn is_object(text: &str, span: Range<usize>) -> bool {
    let bytes = text.as_bytes();
    let Ok(mut members) = Members::new(bytes, span.start, 1) else {
        return false;
    };
    let mut numeric_length = false;
    while let Ok(Some(member)) = members.next_member() {
        if member.key.decode(text) == "length" {
            numeric_length = number(&bytes[member.value]).is_some();
        }
    }
    !numeric_length
}

impl Message {
    /// Reads a message from the text of a frame, checking it as
    /// `@logux/core`'s server does.
    pub fn parse(text: &str) -> Result<Message, Refused> {
        let wrong = || Refused::WrongFormat(text.to_owned());
        if let Some(sync) = read_sync(text) {
            return sync.ok_or_else(wrong);
        }
        let spans = json::whole_array(text.as_bytes()).map_err(|_| wrong())?;
        let parts = Parts { text, items: spans };
        let Some(name) = parts.items.first().and_then(|_| parts.string(0)) else {
            return Err(wrong());
        };
        let len = parts.items.len();
        let message = match name.as_str() {
            "connect" | "connected" => {
                let options = match len {
                    4 => Some(Options::default()),
                    5 if parts.object(4) => Some(Options::read(text, parts.items[4].clone())),
                    _ => None,
                };
                let node_id = parts.string(2);
                match (name.as_str(), options, node_id, parts.number(1)) {
                    ("connect", Some(options), Some(node_id), Some(protocol)) => {
                        parts.number(3).map(|synced| Message::Connect {
                            protocol,
                            node_id,
                            synced,
                            options,
                        })
                    }
                    ("connected", Some(options), Some(node_id), Some(protocol)) => {
                        two_numbers(&parts, 3).map(|time| Message::Connected {
                            protocol,
                            node_id,
                            time,
                            options,
                        })
                    }
                    _ => None,
                }
            }
            // A `sync` whose name is written with escapes: `read_sync`
            // reads only the plain name, and this one the same way.
            "sync" => read_sync_items(text, &parts.items[1..]),
            "synced" | "ping" | "pong" if len == 2 => {
                parts.number(1).map(|n| match name.as_str() {
                    "synced" => Message::Synced { added: n },
                    "ping" => Message::Ping { synced: n },
                    _ => Message::Pong { synced: n },
                })
            }
            "error" if len == 2 || len == 3 => parts.string(1).map(|kind| Message::Error {
                kind,
                options: (len == 3)
                    .then(|| json::minify(&text[parts.items[2].clone()]).into_owned()),
            }),
            "headers" if len == 2 && parts.object(1) => Some(Message::Headers {
                object: json::minify(&text[parts.items[1].clone()]).into_owned(),
            }),
            "debug" if len == 3 && parts.string(1).as_deref() == Some("error") => {
                parts.string(2).map(|text| Message::Debug { text })
            }
            "duilian" if len == 2 => parts.string(1).map(|text| Message::Duilian { text }),
            "synced" | "ping" | "pong" | "error" | "headers" | "debug" | "duilian" => None,
            _ => return Err(Refused::UnknownMessage(name)),
        };
        message.ok_or_else(wrong)
    }

    /// The message's JSON text.
    pub fn to_text(&self) -> String {
        let mut out = String::from("[");
        let options = |out: &mut String, options: &Options| {
            if options.token.is_some() || options.subprotocol.is_some() {
                out.push(',');
                out.push_str(&options.to_text());
            }
        };
        match self {
            Message::Connect {
                protocol,
                node_id,
                synced,
                options: opts,
            } => {
                out.push_str(&format!(
                    "\"connect\",{},{},{}",
                    json::number(*protocol),
                    json::quote(node_id),
                    json::number(*synced)
                ));
                options(&mut out, opts);
            }
            Message::Connected {
                protocol,
                node_id,
                time,
                options: opts,
            } => {
                out.push_str(&format!(
                    "\"connected\",{},{},[{},{}]",
                    json::number(*protocol),
                    json::quote(node_id),
                    json::number(time.0),
                    json::number(time.1)
                ));
                options(&mut out, opts);
            }
            Message::Sync { added, entries } => {
                // A sync carries up to a batch of entries: one allocation.
                out.reserve(entries.iter().map(|e| e.action.len() + 64).sum());
                out.push_str("\"sync\",");
                out.push_str(&json::number(*added));
                for entry in entries {
                    out.push(',');
                    out.push_str(&entry.action);
                    out.push(',');
                    entry.meta.write(&mut out, None);
                }
            }
            Message::Synced { added } => {
                out.push_str(&format!("\"synced\",{}", json::number(*added)))
            }
            Message::Ping { synced } => {
                out.push_str(&format!("\"ping\",{}", json::number(*synced)))
            }
            Message::Pong { synced } => {
                out.push_str(&format!("\"pong\",{}", json::number(*synced)))
            }
            Message::Error { kind, options } => {
                out.push_str(&format!("\"error\",{}", json::quote(kind)));
                if let Some(options) = options {
                    out.push(',');
                    out.push_str(options);
                }
            }
            Message::Headers { object } => out.push_str(&format!("\"headers\",{object}")),
            Message::Debug { text } => {
                out.push_str(&format!("\"debug\",\"error\",{}", json::quote(text)))
            }
            Message::Duilian { text } => {
                out.push_str(&format!("\"duilian\",{}", json::quote(text)))
            }
        }
        out.push(']');
        out
    }
}

/// `[number, number]` at item `i`.
fn two_numbers(parts: &Parts<'_>, i: usize) -> Option<(f64, f64)> {
    let numbers = items(parts.text, parts.items[i].clone())?;
    match numbers.as_slice() {
        [a, b] => Some((
            number(&parts.text.as_bytes()[a.clone()])?,
            number(&parts.text.as_bytes()[b.clone()])?,
        )),
        _ => None,
    }
}

/// The items of the array at `span`.
fn items(text: &str, span: Range<usize>) -> Option<Vec<Range<usize>>> {
    let mut items = Items::new(text.as_bytes(), span.start, 1).ok()?;
    let mut found = Vec::new();
    while let Some(item) = items.next_item().ok()? {
        found.push(item);
    }
    Some(found)
}

impl Options {
    fn read(text: &str, span: Range<usize>) -> Options {
        let object = &text[span];
        let [token, subprotocol] = json::last_members(object, ["token", "subprotocol"]);
        Options {
            token: token.and_then(|v| json::as_string(object, v)),
            subprotocol: subprotocol
                .map(|v| json::minify(&object[v]).into_owned())
                .filter(|raw| raw != "null" && raw != "0" && raw != "\"\"" && raw != "false"),
        }
    }

    fn to_text(&self) -> String {
        let mut members = Vec::new();
        if let Some(token) = &self.token {
            members.push(format!("\"token\":{}", json::quote(token)));
        }
        if let Some(subprotocol) = &self.subprotocol {
            members.push(format!("\"subprotocol\":{subprotocol}"));
        }
        format!("{{{}}}", members.join(","))
    }
}

impl WireEntry {
    /// The span of the action that starts at `start`, at `depth`, if it is
    /// what `validate` asks (an object with a string `type`). Its members
    /// are walked once, which checks them.
    fn read_action(text: &str, start: usize, depth: usize) -> Option<Range<usize>> {
        let bytes = text.as_bytes();
        let mut members = Members::new(bytes, start, depth).ok()?;
        let mut kind = None;
        // The last `length`, as `JSON.parse` keeps it, tells an array.
        let mut numeric_length = false;
        while let Some(member) = members.next_member().ok()? {
            match &*member.key.decode(text) {
                "length" => numeric_length = number(&bytes[member.value]).is_some(),
                "type" => kind = Some(member.value),
                _ => {}
            }
        }
        if numeric_length || bytes.get(kind?.start) != Some(&b'"') {
            return None;
        }
        Some(start..members.end())
    }

    /// The meta that starts at `start`, at `depth`, if it is what
    /// `validate` asks (an object with a numeric `time` and an ID in one
    /// of its three forms), and where it ends.
    fn read_meta(text: &str, start: usize, depth: usize) -> Option<(WireMeta, usize)> {
        let bytes = text.as_bytes();
        let mut members = Members::new(bytes, start, depth).ok()?;
        let mut id = None;
        let mut time = None;
        let mut numeric_length = false;
        let mut other: Vec<(String, String)> = Vec::new();
        while let Some(member) = members.next_member().ok()? {
            let key = member.key.decode(text);
            match &*key {
                "id" => id = Some(member.value),
                "time" => time = Some(member.value),
                _ => {
                    if key == "length" {
                        numeric_length = number(&bytes[member.value.clone()]).is_some();
                    }
                    // The last of a key given twice counts.
                    other.retain(|(k, _)| *k != key);
                    other.push((
                        key.into_owned(),
                        json::minify(&text[member.value]).into_owned(),
                    ));
                }
            }
        }
        if numeric_length {
            return None;
        }
        let time = number(&bytes[time?])?;
        let id = WireId::read(text, id?)?;
        Some((WireMeta { id, time, other }, members.end()))
    }

    fn new(text: &str, action: Range<usize>, meta: WireMeta) -> WireEntry {
        WireEntry {
            action: json::minify(&text[action]).into_owned(),
            meta,
        }
    }
}

/// A `sync` read as it is checked, in one pass over the text: `None` when
/// the message does not begin as a `sync` (then it is read as any other
/// message is), `Some(None)` when it is one the protocol does not allow
/// (not JSON, or not what `validate` asks).
fn read_sync(text: &str) -> Option<Option<Message>> {
    let bytes = text.as_bytes();
    let mut items = Items::new(bytes, json::skip_ws(bytes, 0), 0).ok()?;
    let name = items.next_item().ok()??;
    if &text[name] != "\"sync\"" {
        return None;
    }
    let mut read = || {
        let added = number(&bytes[items.next_item().ok()??])?;
        let depth = items.item_depth();
        let mut entries = Vec::new();
        while let Some(start) = items.next_start().ok()? {
            let action = WireEntry::read_action(text, start, depth)?;
            items.resume(action.end);
            let start = items.next_start().ok()??;
            let (meta, end) = WireEntry::read_meta(text, start, depth)?;
            items.resume(end);
            entries.push(WireEntry::new(text, action, meta));
        }
        (json::skip_ws(bytes, items.end()) == bytes.len())
            .then_some(Message::Sync { added, entries })
    };
    Some(read())
}

/// The `sync` whose items after its name are `items`, already checked.
fn read_sync_items(text: &str, items: &[Range<usize>]) -> Option<Message> {
    let (added, pairs) = items.split_first()?;
    if !pairs.len().is_multiple_of(2) {
        return None;
    }
    let added = number(&text.as_bytes()[added.clone()])?;
    let entries = pairs
        .chunks(2)
        .map(|pair| {
            let action = WireEntry::read_action(text, pair[0].start, 1)?;
            let (meta, _) = WireEntry::read_meta(text, pair[1].start, 1)?;
            Some(WireEntry::new(text, action, meta))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Message::Sync { added, entries })
}

impl WireId {
    fn read(text: &str, span: Range<usize>) -> Option<WireId> {
        let bytes = text.as_bytes();
        if let Some(shift) = number(&bytes[span.clone()]) {
            return Some(WireId::Shift(shift));
        }
        // At most three items are read: a fourth makes it no ID.
        let mut items = Items::new(bytes, span.start, 1).ok()?;
        let mut parts: [Range<usize>; 4] = Default::default();
        let mut count = 0;
        while let Some(item) = items.next_item().ok()? {
            if count == parts.len() {
                return None;
            }
            parts[count] = item;
            count += 1;
        }
        match &parts[..count] {
            [shift, counter] => Some(WireId::ShiftCounter(
                number(&bytes[shift.clone()])?,
                number(&bytes[counter.clone()])?,
            )),
            [shift, node, counter] => Some(WireId::Full(
                number(&bytes[shift.clone()])?,
                json::as_string(text, node.clone())?,
                number(&bytes[counter.clone()])?,
            )),
            _ => None,
        }
    }

    fn write(&self, out: &mut String) {
        match self {
            WireId::Shift(shift) => json::write_number(out, *shift),
            WireId::ShiftCounter(shift, counter) => {
                out.push('[');
                json::write_number(out, *shift);
                out.push(',');
                json::write_number(out, *counter);
                out.push(']');
            }
            WireId::Full(shift, node, counter) => {
                out.push('[');
                json::write_number(out, *shift);
                out.push(',');
                json::write_string(out, node);
                out.push(',');
                json::write_number(out, *counter);
                out.push(']');
            }
        }
    }
}

impl WireMeta {
    /// Writes the meta, `also` (a key and its JSON text) after its other
    /// keys.
    pub(crate) fn write(&self, out: &mut String, also: Option<(&str, &str)>) {
        out.push_str("{\"id\":");
        self.id.write(out);
        out.push_str(",\"time\":");
        json::write_number(out, self.time);
        let other = self.other.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        for (key, value) in other.chain(also) {
            out.push(',');
            json::write_string(out, key);
            out.push(':');
            out.push_str(value);
        }
        out.push('}');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sync_reads_the_same_in_one_pass_as_through_its_checked_items() {
        // A `sync` named with an escape is read item by item after the
        // whole text is checked; one named plainly, in one pass.
        for text in [
            r#"["sync",1,{"type":"echo","payload":"hi"},{"id":15,"time":15}]"#,
            r#"["sync",0,{"id":"1 10:x:y 0","type":"logux/processed"},{"id":[12,1],"time":12,"subprotocol":2}]"#,
            r#"["sync",1,{"type":"a"},{"id":[3,"rust:c1",0],"time":-3.5},{"type":"b","n":[1,{"x":null}]},{"time":1e3,"id":[-7,2]}]"#,
            r#" [ "sync" , 2 ] "#,
            r#"["sync",1,{"type":"a","length":1,"length":"x"},{"id":1,"time":1,"length":2,"length":{}}]"#,
            r#"["sync"]"#,
            r#"["sync","1"]"#,
            r#"["sync",1,{"type":"a"}]"#,
            r#"["sync",1,{"type":1},{"id":1,"time":1}]"#,
            r#"["sync",1,{"type":"a","length":5},{"id":1,"time":1}]"#,
            r#"["sync",1,{"type":"a"},{"id":1,"time":1}] x"#,
            r#"["sync",1,{"type":"a"},{"id":1,"time":1},]"#,
            r#"["sync",1,{"type":"a"},{"id":[1,2,3],"time":1}]"#,
            r#"["sync",1,{"type":"a"},{"id":[1,"n",2,3],"time":1}]"#,
            r#"["sync",1,{"type":"a"},{"id":1}]"#,
            r#"["sync",1,{"type":"a","x":[1,]},{"id":1,"time":1}]"#,
            r#"["sync",1,{"type":"a"},{"id":1,"time":1,"x":tru}]"#,
            r#"["sync",1,{"type":"a"},{"id":1,"time":01}]"#,
            r#"["sync",1,{"type":"a"},{"id":1,"time":1}"#,
            r#"["sync",1,[],{"id":1,"time":1}]"#,
            r#"["sync",1,{"type":"a"},1]"#,
        ] {
            let escaped = text.replacen("\"sync\"", "\"\\u0073ync\"", 1);
            let (plain, through_items) = (Message::parse(text), Message::parse(&escaped));
            match (&plain, &through_items) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{text}"),
                (Err(Refused::WrongFormat(_)), Err(Refused::WrongFormat(_))) => {}
                _ => panic!("{text}: {plain:?} against {through_items:?}"),
            }
        }
    }

    #[test]
    fn whole_numbers_read_as_parsing_reads_them() {
        for text in [
            "0",
            "-0",
            "7",
            "-12",
            "123456789012345",
            "-999999999999999",
            "1234567890123456",
            "9007199254740993",
            "1e3",
            "1.5",
            "-0.0",
            "12345678901234567890123",
        ] {
            let parsed: f64 = text.parse().unwrap();
            let read = number(text.as_bytes()).unwrap();
            assert_eq!(read.to_bits(), parsed.to_bits(), "{text}");
        }
        assert_eq!(number(b"x"), None);
    }

    #[test]
    fn reads_and_writes_the_messages_as_logux_sends_them() {
        for text in [
            r#"["connect",5,"10:abc:t1",0,{"token":"secret-10","subprotocol":2}]"#,
            r#"["connect",5,"10:abc:t1",0]"#,
            r#"["connected",5,"server:hu_wyRY5",[1795458185374,1795458185375],{"subprotocol":2}]"#,
            r#"["sync",1,{"type":"echo","payload":"hi"},{"id":15,"time":15}]"#,
            r#"["sync",0,{"id":"1795458255718 10:x:y 0","type":"logux/processed"},{"id":[12,1],"time":12,"subprotocol":2}]"#,
            r#"["sync",1,{"type":"logux/subscribe","channel":"a"},{"id":[3,"rust:c1",0],"time":3}]"#,
            r#"["sync",2]"#,
            r#"["synced",1]"#,
            r#"["ping",0]"#,
            r#"["pong",0]"#,
            r#"["error","wrong-credentials"]"#,
            r#"["error","wrong-subprotocol",{"supported":1,"used":0}]"#,
            r#"["headers",{"env":"development"}]"#,
            r#"["debug","error","Action \"1 a 0\" was denied"]"#,
        ] {
            let message = Message::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(message.to_text(), text);
        }
    }

    #[test]
    fn refuses_what_validate_refuses() {
        for (text, refused) in [
            ("hello", Refused::WrongFormat("hello".into())),
            (r#"{"a":1}"#, Refused::WrongFormat(r#"{"a":1}"#.into())),
            (r#"["foo",1]"#, Refused::UnknownMessage("foo".into())),
            (r#"[1,2]"#, Refused::WrongFormat("[1,2]".into())),
        ] {
            assert_eq!(Message::parse(text), Err(refused));
        }
        for text in [
            r#"["connect","5","10:abc:t1",0]"#,
            r#"["connect",5,"n",0,null]"#,
            r#"["connect",5,"n",0,[]]"#,
            r#"["connected",5,"n",[1],{}]"#,
            r#"["debug","info","x"]"#,
            r#"["sync",1,{"type":"a"}]"#,
            r#"["sync",1,{"type":1},{"id":1,"time":1}]"#,
            r#"["sync",1,{"type":"a","length":5},{"id":1,"time":1}]"#,
            r#"["sync",1,{"type":"a"},{"id":1,"time":1,"length":2}]"#,
            r#"["sync",1,{"type":"a","length":"x","length":1},{"id":1,"time":1}]"#,
            r#"["headers",{"length":"x","length":0}]"#,
            r#"["sync",1,{"type":"a","type":2},{"id":1,"time":1}]"#,
            r#"["sync",1,{"type":"a"},{"id":1,"time":1}] x"#,
            r#"["sync",1,{"type":"a"},{"id":1,"time":1},]"#,
            r#"["sync",1,{"type":"a"},{"id":"1 a 0","time":1}]"#,
            r#"["sync",1,{"type":"a"},{"id":[1,2,3],"time":1}]"#,
            r#"["sync",1,{"type":"a"},{"id":1}]"#,
            r#"["ping"]"#,
            r#"["synced",1,2]"#,
            r#"["headers",null]"#,
            r#"["error",1]"#,
        ] {
            assert!(
                matches!(Message::parse(text), Err(Refused::WrongFormat(_))),
                "{text}"
            );
        }
        // What `JSON.parse` takes: whitespace around, the last of a key
        // given twice, a `length` that is not a number.
        let message = Message::parse(
            " [\"sync\", 1, {\"type\":2, \"type\":\"a\", \"length\":\"x\"}, {\"time\":1, \"id\":1, \"length\":null}]\n",
        );
        assert_eq!(
            message.map(|m| m.to_text()),
            Ok(
                r#"["sync",1,{"type":2,"type":"a","length":"x"},{"id":1,"time":1,"length":null}]"#
                    .into()
            )
        );
        // A numeric `length` that a later one replaces does not make an
        // array (a meta keeps the last of a key, as it travels on).
        for (text, read) in [
            (
                r#"["sync",1,{"type":"a","length":1,"length":"x"},{"id":1,"time":1,"length":2,"length":{}}]"#,
                r#"["sync",1,{"type":"a","length":1,"length":"x"},{"id":1,"time":1,"length":{}}]"#,
            ),
            (
                r#"["headers",{"length":0,"length":"x"}]"#,
                r#"["headers",{"length":0,"length":"x"}]"#,
            ),
        ] {
            assert_eq!(Message::parse(text).map(|m| m.to_text()), Ok(read.into()));
        }
    }
}
