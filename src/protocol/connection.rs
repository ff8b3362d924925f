//! One connection between two Logux nodes, run as `@logux/core` 0.10 runs
//! it (`base-node`, `client-node`, `server-node`, `connect`, `sync`,
//! `ping`), without the socket: text comes in, messages to send and events
//! come out, and the clock is given. So it can be tested message by
//! message, and the command line brings the socket.

use super::message::{Message, Options, PROTOCOL, Refused, WireEntry, WireId, WireMeta};
use crate::id::{MAX_SAFE_INTEGER, parse_action_id};
use crate::json;

/// Which end of the connection this is. Not `#[non_exhaustive]`: the
/// protocol has two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Opens the connection with `connect`, and fixes its clock by the
    /// server's.
    Client,
    /// Answers `connect`, once the caller has checked the credentials.
    Server,
}

/// What this node says of itself.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// This node's ID.
    pub node_id: String,
    /// The credentials sent with `connect` (or `connected`, on a server).
    pub token: Option<String>,
    /// The application's protocol version, as JSON text (a number in
    /// 0.10).
    pub subprotocol: Option<String>,
    /// Headers to send first, a JSON object as text.
    pub headers: Option<String>,
}

/// What the caller is to do, in order.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Send this message.
    Send(Message),
    /// A client asks to connect (server only): check its credentials, then
    /// call [`Connection::accept`] or [`Connection::refuse`].
    Authenticate {
        /// The client's node ID.
        node_id: String,
        /// How far the client has this node's actions: its
        /// `lastSynced.received`, what to send after accepting it.
        synced: u64,
        /// The client's credentials, if it sent any.
        token: Option<String>,
        /// The client's subprotocol, as JSON text.
        subprotocol: Option<String>,
        /// The client's headers, a JSON object as text.
        headers: Option<String>,
    },
    /// The handshake is done: the other node, its subprotocol, and how far
    /// this node's clock is ahead of the server's (0 on a server).
    Connected {
        /// The other node's ID.
        node_id: String,
        /// The other node's subprotocol, as JSON text.
        subprotocol: Option<String>,
        /// Milliseconds to add to the other node's times.
        time_fix: f64,
    },
    /// An action came, its meta as the other node has it (ID and time
    /// restored, the time by this node's clock).
    Action {
        /// The action's JSON text.
        action: String,
        /// Its meta.
        meta: IncomingMeta,
    },
    /// The other node has this node's actions up to `added` (its
    /// `lastSynced.sent`).
    Acknowledged(u64),
    /// This node has the other node's actions up to `added` (its
    /// `lastSynced.received`).
    Received(u64),
    /// The answer to a `ping` came (after its [`Event::Received`]).
    Pong,
    /// The other node sent an error; it closes the connection after.
    PeerError {
        /// The error's kind, such as `wrong-credentials`.
        kind: String,
        /// The error's options, as JSON text.
        options: Option<String>,
    },
    /// The other node's headers, a JSON object as text.
    Headers(String),
    /// The other node's debug text.
    Debug(String),
    /// A message this node refused, and why; the refusal is sent and the
    /// connection closed.
    Refused(String),
    /// Close the connection, after sending what came before.
    Close,
}

/// An action's meta as it came: its ID, its time by this node's clock, and
/// the other keys that travel (`subprotocol`), as JSON text.
#[derive(Debug, Clone, PartialEq)]
pub struct IncomingMeta {
    /// The action ID.
    pub id: String,
    /// `time`, by this node's clock.
    pub time: f64,
    /// The other keys that travelled, each with its JSON text.
    pub other: Vec<(String, String)>,
}

impl IncomingMeta {
    /// The meta to add the action with: what travelled, as JSON.
    pub fn to_meta(&self) -> crate::meta::MetaText {
        let mut meta = crate::meta::MetaText::default();
        meta.set_raw("id", json::quote(&self.id));
        meta.set_raw("time", json::number(self.time));
        for (key, value) in &self.other {
            meta.set_raw(key, value.clone());
        }
        meta
    }
}

/// An action to send: its text, ID, time by this node's clock, and
/// subprotocol if it has one (as JSON text).
#[derive(Debug, Clone, Copy)]
pub struct Outgoing<'a> {
    /// The action's JSON text.
    pub action: &'a str,
    /// The action ID.
    pub id: &'a str,
    /// `time`, by this node's clock.
    pub time: f64,
    /// The subprotocol the action was created under, as JSON text.
    pub subprotocol: Option<&'a str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Waiting for the handshake.
    Opening,
    /// A server waiting for the caller's word on the credentials.
    Authenticating,
    Connected,
    Closed,
}

/// The meta keys that travel besides the ID and the time; any other is
/// the other node's own business and is not kept. These the other node
/// may not set at all.
const READ_ONLY: [&str; 2] = ["added", "indexes"];

/// The most messages held until the handshake ends.
const MAX_HELD: usize = 64;

/// One connection. See the module documentation.
#[derive(Debug)]
pub struct Connection {
    role: Role,
    settings: Settings,
    state: State,
    remote_node: String,
    remote_subprotocol: Option<String>,
    remote_headers: Option<String>,
    /// The server's clock when the handshake ended: IDs and times travel
    /// relative to it.
    base_time: f64,
    /// How far this node's clock is ahead of the server's.
    time_fix: f64,
    /// When `connect` was sent (client), or received (server).
    connect_at: f64,
    /// The newest `added` of this node's own log, for `ping` and `pong`.
    local_added: u64,
    /// Messages that came before the handshake ended: handled after it, as
    /// `@logux/core` does.
    held: Vec<Message>,
}

impl Connection {
    /// A client that has the other node's actions up to `received`.
    pub fn client(settings: Settings, received: u64) -> Connection {
        Connection::new(Role::Client, settings, received)
    }

    /// A server, which waits for a client's `connect`.
    pub fn server(settings: Settings) -> Connection {
        Connection::new(Role::Server, settings, 0)
    }

    fn new(role: Role, settings: Settings, received: u64) -> Connection {
        Connection {
            role,
            settings,
            state: State::Opening,
            remote_node: String::new(),
            remote_subprotocol: None,
            remote_headers: None,
            base_time: 0.0,
            time_fix: 0.0,
            connect_at: 0.0,
            local_added: received,
            held: Vec::new(),
        }
    }

    /// Whether this end is the client or the server.
    pub fn role(&self) -> Role {
        self.role
    }

    /// Whether the handshake is done and the connection open.
    pub fn is_connected(&self) -> bool {
        self.state == State::Connected
    }

    /// The other node's ID, once it said it.
    pub fn remote_node(&self) -> &str {
        &self.remote_node
    }

    /// How far this node's clock is ahead of the server's.
    pub fn time_fix(&self) -> f64 {
        self.time_fix
    }

    /// Takes note of the newest `added` of this node's log, which `ping`
    /// and `pong` tell.
    pub fn set_local_added(&mut self, added: u64) {
        self.local_added = self.local_added.max(added);
    }

    /// A client's first messages: its headers, if any, and `connect`
    /// carrying how far it has the server's actions.
    pub fn open(&mut self, received: u64, now: f64) -> Vec<Event> {
        let mut events = Vec::new();
        if let Some(headers) = &self.settings.headers {
            events.push(Event::Send(Message::Headers {
                object: headers.clone(),
            }));
        }
        self.connect_at = now;
        events.push(Event::Send(Message::Connect {
            protocol: PROTOCOL as f64,
            node_id: self.settings.node_id.clone(),
            synced: received as f64,
            options: self.options(),
        }));
        events
    }

    fn options(&self) -> Options {
        Options {
            token: self.settings.token.clone(),
            subprotocol: self.settings.subprotocol.clone(),
        }
    }

    /// Handles the text of one frame.
    pub fn receive(&mut self, text: &str, now: f64) -> Vec<Event> {
        if self.state == State::Closed {
            return Vec::new();
        }
        match Message::parse(text) {
            Ok(message) => self.handle(message, now),
            Err(refused) => self.refuse_message(&refused),
        }
    }

    fn refuse_message(&mut self, refused: &Refused) -> Vec<Event> {
        self.state = State::Closed;
        vec![
            Event::Refused(refused.to_string()),
            Event::Send(refused.answer()),
            Event::Close,
        ]
    }

    fn handle(&mut self, message: Message, now: f64) -> Vec<Event> {
        let before_handshake = matches!(
            message,
            Message::Connect { .. }
                | Message::Connected { .. }
                | Message::Error { .. }
                | Message::Debug { .. }
                | Message::Headers { .. }
        );
        if self.state != State::Connected && !before_handshake {
            // Held as `@logux/core` holds them, but not without end: a
            // node that never authenticates cannot fill memory this way.
            if self.held.len() >= MAX_HELD {
                return self.refuse_message(&Refused::WrongFormat(format!(
                    "more than {MAX_HELD} messages before the handshake ended"
                )));
            }
            self.held.push(message);
            return Vec::new();
        }
        match message {
            Message::Connect {
                protocol,
                node_id,
                synced,
                options,
            } => self.on_connect(protocol, node_id, whole(synced), options, now),
            Message::Connected {
                protocol,
                node_id,
                time,
                options,
            } => self.on_connected(protocol, node_id, time, options, now),
            Message::Sync { added, entries } => self.on_sync(added, entries),
            Message::Synced { added } => vec![Event::Acknowledged(whole(added))],
            Message::Ping { synced } => vec![
                Event::Received(whole(synced)),
                Event::Send(Message::Pong {
                    synced: self.local_added as f64,
                }),
            ],
            Message::Pong { synced } => vec![Event::Received(whole(synced)), Event::Pong],
            Message::Error { kind, options } => vec![Event::PeerError { kind, options }],
            Message::Headers { object } => {
                self.remote_headers = Some(object.clone());
                vec![Event::Headers(object)]
            }
            Message::Debug { text } => vec![Event::Debug(text)],
            Message::Duilian { text } => {
                if text == "金木水火土" {
                    vec![Event::Send(Message::Duilian {
                        text: "板城烧锅酒".into(),
                    })]
                } else {
                    Vec::new()
                }
            }
        }
    }

    /// The protocol's error for an old protocol, and the end.
    fn check_protocol(&mut self, used: f64) -> Option<Vec<Event>> {
        if used >= PROTOCOL as f64 {
            return None;
        }
        self.state = State::Closed;
        Some(vec![
            Event::Send(Message::Error {
                kind: "wrong-protocol".into(),
                options: Some(format!(
                    "{{\"supported\":{PROTOCOL},\"used\":{}}}",
                    json::number(used)
                )),
            }),
            Event::Close,
        ])
    }

    fn on_connect(
        &mut self,
        protocol: f64,
        node_id: String,
        synced: u64,
        options: Options,
        now: f64,
    ) -> Vec<Event> {
        if self.role != Role::Server || self.state != State::Opening {
            return self.refuse_message(&Refused::WrongFormat("[\"connect\"]".into()));
        }
        self.connect_at = now;
        self.remote_node = node_id.clone();
        if let Some(refused) = self.check_protocol(protocol) {
            return refused;
        }
        self.remote_subprotocol = options.subprotocol.clone();
        self.state = State::Authenticating;
        vec![Event::Authenticate {
            node_id,
            synced,
            token: options.token,
            subprotocol: options.subprotocol,
            headers: self.remote_headers.clone(),
        }]
    }

    /// Lets the client in (server only, after [`Event::Authenticate`]):
    /// headers, if any, and `connected` with the time the handshake began
    /// and `now`, which becomes the base time; then what the client sent
    /// meanwhile.
    pub fn accept(&mut self, now: f64) -> Vec<Event> {
        if self.state != State::Authenticating {
            return Vec::new();
        }
        self.base_time = now;
        self.state = State::Connected;
        let mut events = Vec::new();
        if let Some(headers) = &self.settings.headers {
            events.push(Event::Send(Message::Headers {
                object: headers.clone(),
            }));
        }
        events.push(Event::Send(Message::Connected {
            protocol: PROTOCOL as f64,
            node_id: self.settings.node_id.clone(),
            time: (self.connect_at, now),
            options: self.options(),
        }));
        events.push(Event::Connected {
            node_id: self.remote_node.clone(),
            subprotocol: self.remote_subprotocol.clone(),
            time_fix: 0.0,
        });
        events.extend(self.replay(now));
        events
    }

    /// Turns the client away (server only) with the protocol's error
    /// `kind` (`wrong-credentials`, `wrong-subprotocol`) and its options as
    /// JSON text.
    pub fn refuse(&mut self, kind: &str, options: Option<String>) -> Vec<Event> {
        self.state = State::Closed;
        vec![
            Event::Send(Message::Error {
                kind: kind.into(),
                options,
            }),
            Event::Close,
        ]
    }

    fn on_connected(
        &mut self,
        protocol: f64,
        node_id: String,
        time: (f64, f64),
        options: Options,
        now: f64,
    ) -> Vec<Event> {
        if self.role != Role::Client || self.state != State::Opening {
            return self.refuse_message(&Refused::WrongFormat("[\"connected\"]".into()));
        }
        self.remote_node = node_id.clone();
        if let Some(refused) = self.check_protocol(protocol) {
            return refused;
        }
        self.base_time = time.1;
        // Half the round trip, less the time the server spent on the
        // credentials, is how long `connect` took to get there.
        let auth_time = time.1 - time.0;
        let round_trip = now - self.connect_at - auth_time;
        self.time_fix = (self.connect_at - time.0 + round_trip / 2.0).floor();
        if !self.time_fix.is_finite() || !self.base_time.is_finite() {
            return self.refuse_message(&Refused::WrongFormat(format!(
                "connected with times {} and {}, which give no time fix",
                json::number(time.0),
                json::number(time.1)
            )));
        }
        self.remote_subprotocol = options.subprotocol.clone();
        self.state = State::Connected;
        let mut events = vec![Event::Connected {
            node_id,
            subprotocol: options.subprotocol,
            time_fix: self.time_fix,
        }];
        events.extend(self.replay(now));
        events
    }

    fn replay(&mut self, now: f64) -> Vec<Event> {
        let held = std::mem::take(&mut self.held);
        let mut events = Vec::new();
        for message in held {
            if self.state != State::Connected {
                break;
            }
            events.extend(self.handle(message, now));
        }
        events
    }

    /// The actions of a `sync`, restored; all or, if one is not sound,
    /// none: the message is refused.
    fn on_sync(&mut self, added: f64, entries: Vec<WireEntry>) -> Vec<Event> {
        let mut events = Vec::with_capacity(entries.len() + 2);
        for entry in entries {
            match self.restore(entry) {
                Ok(event) => events.push(event),
                Err(why) => {
                    let mut refused = self.refuse_message(&Refused::WrongFormat(why.clone()));
                    refused[0] = Event::Refused(why);
                    return refused;
                }
            }
        }
        events.push(Event::Received(whole(added)));
        events.push(Event::Send(Message::Synced { added }));
        events
    }

    /// An action as it came, its ID and time restored; an error naming
    /// what is not sound (an ID that is not one, a read-only key).
    fn restore(&self, entry: WireEntry) -> Result<Event, String> {
        let WireEntry { action, meta } = entry;
        let (shift, node, counter) = match &meta.id {
            WireId::Shift(shift) => (*shift, self.remote_node.as_str(), 0.0),
            WireId::ShiftCounter(shift, counter) => (*shift, self.remote_node.as_str(), *counter),
            WireId::Full(shift, node, counter) => (*shift, node.as_str(), *counter),
        };
        let mut id = String::with_capacity(node.len() + 24);
        json::write_number(&mut id, shift + self.base_time);
        id.push(' ');
        id.push_str(node);
        id.push(' ');
        json::write_number(&mut id, counter);
        parse_action_id(&id).map_err(|e| e.to_string())?;
        if let Some((key, _)) = meta
            .other
            .iter()
            .find(|(key, _)| READ_ONLY.contains(&key.as_str()))
        {
            return Err(format!("meta {} is read-only", json::quote(key)));
        }
        let time = meta.time + self.base_time + self.time_fix;
        let other = meta
            .other
            .into_iter()
            .filter(|(key, _)| key == "subprotocol")
            .collect();
        Ok(Event::Action {
            action,
            meta: IncomingMeta { id, time, other },
        })
    }

    /// The text of the `sync` of `entries`, oldest first, whose newest this
    /// log added as `added`: IDs and times made relative to the base time,
    /// the time by the server's clock, the node left out where it is this
    /// one. Written straight from the entries, each action copied once:
    /// a push sends every entry of the log. `None` if an ID is invalid.
    pub fn sync(&self, added: u64, entries: &[Outgoing<'_>]) -> Option<String> {
        let mut out =
            String::with_capacity(entries.iter().map(|e| e.action.len() + 64).sum::<usize>() + 16);
        out.push_str("[\"sync\",");
        json::write_number(&mut out, added as f64);
        for entry in entries {
            let parts = parse_action_id(entry.id).ok()?;
            let node = parts.node(entry.id);
            let shift = parts.ms as f64 - self.base_time;
            let id = match (node == self.settings.node_id, parts.counter) {
                (true, 0) => WireId::Shift(shift),
                (true, counter) => WireId::ShiftCounter(shift, counter as f64),
                (false, counter) => WireId::Full(shift, node.to_owned(), counter as f64),
            };
            let meta = WireMeta {
                id,
                time: entry.time - self.time_fix - self.base_time,
                other: Vec::new(),
            };
            out.push(',');
            out.push_str(entry.action);
            out.push(',');
            meta.write(&mut out, entry.subprotocol.map(|s| ("subprotocol", s)));
        }
        out.push(']');
        Some(out)
    }

    /// A `ping`, telling the newest `added` of this node's log.
    pub fn ping(&self) -> Message {
        Message::Ping {
            synced: self.local_added as f64,
        }
    }

    /// Ends the connection: nothing more is handled.
    pub fn close(&mut self) {
        self.state = State::Closed;
    }
}

/// A count from the other node: a whole number at least 0, else 0 (as a
/// server's `sync` of actions it did not store says `added` 0).
fn whole(n: f64) -> u64 {
    if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= MAX_SAFE_INTEGER as f64 {
        n as u64
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(events: &[Event]) -> Vec<String> {
        events
            .iter()
            .filter_map(|event| match event {
                Event::Send(message) => Some(message.to_text()),
                _ => None,
            })
            .collect()
    }

    fn client() -> Connection {
        Connection::client(
            Settings {
                node_id: "10:abc:t1".into(),
                token: Some("secret-10".into()),
                subprotocol: Some("2".into()),
                headers: None,
            },
            0,
        )
    }

    #[test]
    fn a_client_connects_as_logux_client_does_and_fixes_its_clock() {
        let mut node = client();
        assert_eq!(
            sent(&node.open(0, 1_000_000.0)),
            [r#"["connect",5,"10:abc:t1",0,{"token":"secret-10","subprotocol":2}]"#]
        );
        // The server's clock is 60 s behind; 20 ms there and back, 4 of
        // them on the credentials.
        let events = node.receive(
            r#"["connected",5,"server:x",[940008,940012],{"subprotocol":2}]"#,
            1_000_020.0,
        );
        assert_eq!(
            events,
            [Event::Connected {
                node_id: "server:x".into(),
                subprotocol: Some("2".into()),
                time_fix: 60_000.0,
            }]
        );
        assert!(node.is_connected());
    }

    #[test]
    fn ids_and_times_travel_relative_to_the_base_time() {
        let mut node = client();
        node.open(0, 1000.0);
        node.receive(r#"["connected",5,"server:x",[1000,1000]]"#, 1000.0);
        let sync = node
            .sync(
                2,
                &[
                    Outgoing {
                        action: r#"{"type":"a"}"#,
                        id: "985 10:abc:t1 0",
                        time: 985.0,
                        subprotocol: None,
                    },
                    Outgoing {
                        action: r#"{"type":"b"}"#,
                        id: "1012 10:abc:t1 1",
                        time: 1012.0,
                        subprotocol: Some("2"),
                    },
                    Outgoing {
                        action: r#"{"type":"c"}"#,
                        id: "1015 11:x:y 0",
                        time: 1015.0,
                        subprotocol: None,
                    },
                ],
            )
            .unwrap();
        assert_eq!(
            sync,
            r#"["sync",2,{"type":"a"},{"id":-15,"time":-15},{"type":"b"},{"id":[12,1],"time":12,"subprotocol":2},{"type":"c"},{"id":[15,"11:x:y",0],"time":15}]"#
        );
        let events = node.receive(
            r#"["sync",0,{"type":"echoed"},{"id":24,"time":24,"subprotocol":2},{"type":"p","id":"1 a 0"},{"id":[31,1],"time":30}]"#,
            1040.0,
        );
        assert_eq!(
            events,
            [
                Event::Action {
                    action: r#"{"type":"echoed"}"#.into(),
                    meta: IncomingMeta {
                        id: "1024 server:x 0".into(),
                        time: 1024.0,
                        other: vec![("subprotocol".into(), "2".into())],
                    },
                },
                Event::Action {
                    action: r#"{"type":"p","id":"1 a 0"}"#.into(),
                    meta: IncomingMeta {
                        id: "1031 server:x 1".into(),
                        time: 1030.0,
                        other: Vec::new(),
                    },
                },
                Event::Received(0),
                Event::Send(Message::Synced { added: 0.0 }),
            ]
        );
    }

    #[test]
    fn a_server_lets_a_client_in_after_its_credentials_and_holds_what_came_before() {
        let mut node = Connection::server(Settings {
            node_id: "server:me".into(),
            subprotocol: Some("2".into()),
            headers: Some(r#"{"env":"development"}"#.into()),
            ..Settings::default()
        });
        let events = node.receive(r#"["connect",5,"rust:c1",0,{"token":"t"}]"#, 500.0);
        assert_eq!(
            events,
            [Event::Authenticate {
                node_id: "rust:c1".into(),
                synced: 0,
                token: Some("t".into()),
                subprotocol: None,
                headers: None,
            }]
        );
        // A sync before the answer waits for it.
        assert_eq!(
            node.receive(
                r#"["sync",1,{"type":"a"},{"id":[0,"rust:c1",0],"time":0}]"#,
                501.0
            ),
            []
        );
        let events = node.accept(502.0);
        assert_eq!(
            sent(&events),
            [
                r#"["headers",{"env":"development"}]"#,
                r#"["connected",5,"server:me",[500,502],{"subprotocol":2}]"#,
                r#"["synced",1]"#,
            ]
        );
        assert!(
            events
                .iter()
                .any(|e| matches!(e, Event::Action { meta, .. } if meta.id == "502 rust:c1 0"))
        );
    }

    #[test]
    fn bad_messages_get_the_protocols_error_and_store_nothing() {
        let mut node = client();
        node.open(0, 0.0);
        node.receive(r#"["connected",5,"server:x",[0,0]]"#, 0.0);
        for (text, answer) in [
            ("hello", r#"["error","wrong-format","hello"]"#),
            (r#"["foo"]"#, r#"["error","unknown-message","foo"]"#),
            (
                r#"["sync",1,{"type":"a"},{"id":[1,"two words",0],"time":1}]"#,
                r#"["error","wrong-format","invalid action ID \"1 two words 0\": the node ID must be one word without spaces"]"#,
            ),
            (
                r#"["sync",1,{"type":"a"},{"id":1,"time":1},{"type":"b"},{"id":2,"time":2,"added":7}]"#,
                r#"["error","wrong-format","meta \"added\" is read-only"]"#,
            ),
        ] {
            let mut node = client();
            node.open(0, 0.0);
            node.receive(r#"["connected",5,"server:x",[0,0]]"#, 0.0);
            let events = node.receive(text, 0.0);
            assert_eq!(sent(&events), [answer], "{text}");
            assert!(!events.iter().any(|e| matches!(e, Event::Action { .. })));
            assert_eq!(events.last(), Some(&Event::Close));
        }
        let mut old = Connection::server(Settings::default());
        assert_eq!(
            sent(&old.receive(r#"["connect",4,"a:b",0]"#, 0.0)),
            [r#"["error","wrong-protocol",{"supported":5,"used":4}]"#]
        );
    }

    #[test]
    fn a_node_that_never_authenticates_cannot_pile_up_messages() {
        let mut node = Connection::server(Settings::default());
        for _ in 0..MAX_HELD {
            assert_eq!(node.receive(r#"["ping",1]"#, 0.0), []);
        }
        let events = node.receive(r#"["ping",1]"#, 0.0);
        assert_eq!(
            sent(&events),
            [r#"["error","wrong-format","more than 64 messages before the handshake ended"]"#]
        );
        assert_eq!(events.last(), Some(&Event::Close));
    }
}
