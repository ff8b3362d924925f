//! `serve`: this log as a Logux node that clients connect to, as
//! `@logux/core`'s `ServerNode` runs with a store: each connection a server
//! node on the one log.
//!
//! A thread per connection speaks the protocol ([`Connection`]); one
//! thread, this command's, owns the log and the output. Connections ask it
//! to store what their client sent and to catch a client up; it stores
//! under the log's lock (other actionlog processes keep working on the
//! file), prints the events, answers the sender with `logux/processed` as
//! a Logux server does, and sends the new actions on to the other clients.

use std::collections::HashMap;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::time::{Duration, Instant};

use actionlog::merge::{MergeOptions, add_incoming};
use actionlog::protocol::connection::{Event, IncomingMeta, Outgoing, Settings};
use actionlog::protocol::{Connection, Message};
use actionlog::{EventKind, Order, json};

use super::add::subprotocol_json;
use crate::cli::config::Config;
use crate::cli::exit::{Status, UsageError};
use crate::cli::net::{NetError, Received, Socket};
use crate::cli::session::Session;
use crate::cli::signals;
use crate::cli::terminal::sanitize;

const EXAMPLES: &str = "Examples:
  actionlog --log shared.jsonl serve --reason sync
  ACTIONLOG_TOKEN=secret actionlog serve --listen 0.0.0.0:31337 --subprotocol 2
  actionlog serve --tokens tokens.json --min-subprotocol 2";

/// How long to wait between looks at the signals and the queues.
const TICK: Duration = Duration::from_millis(50);

/// The most actions sent in one `sync` when catching a client up.
const CATCH_UP_BATCH: usize = 1000;

/// Batches waiting for one client: a client this far behind is let go.
const OUTBOX: usize = 1024;

/// Requests from the connections that the log's thread has not taken yet:
/// beyond this, a client that floods waits on its own connection.
const QUEUE: usize = 64;

/// Serve this log to Logux clients over WebSocket (ws://).
///
/// Every connection is a Logux server node on this log, speaking protocol
/// 5 as @logux/core 0.10 does. What a client sends is stored (with the
/// --reason reasons and --rules; without either, reported added and
/// cleaned), answered with logux/processed as @logux/server answers, and
/// sent on to the other connected clients. A client that connects is sent
/// what the log added since the `synced` it gives. Events are printed as
/// they happen; SIGINT or SIGTERM ends it, with everything stored.
///
/// Without --token or --tokens any client is let in. The node ID is the
/// --node-id with `server:` before it, so clients know a server.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Where to listen: loopback unless asked.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:31337")]
    listen: SocketAddr,

    /// The token every client must give.
    #[arg(
        long,
        env = "ACTIONLOG_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN",
        conflicts_with = "tokens"
    )]
    token: Option<String>,

    /// A JSON file mapping user IDs to their tokens: {"10": "secret"}.
    #[arg(long, value_name = "FILE")]
    tokens: Option<PathBuf>,

    /// The application's protocol version this node speaks (a number).
    #[arg(long, value_name = "N")]
    subprotocol: Option<String>,

    /// Refuse clients whose subprotocol is lower (wrong-subprotocol).
    #[arg(long, value_name = "N")]
    min_subprotocol: Option<f64>,

    /// A reason for every received entry (repeatable).
    #[arg(add = crate::cli::complete::reasons(), short = 'r', long = "reason", value_name = "R")]
    reasons: Vec<String>,

    /// The most clients connected at once; more are turned away.
    #[arg(long, value_name = "N", default_value_t = 256)]
    max_connections: usize,

    /// How long to wait for each answer, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 70_000)]
    timeout: u64,

    /// Ping a client after this many idle milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 20_000)]
    ping: u64,
}

/// Who may connect.
#[derive(Debug, Clone)]
enum Credentials {
    Anyone,
    Token(String),
    /// User ID to token.
    PerUser(HashMap<String, String>),
}

impl Credentials {
    fn admit(&self, node_id: &str, token: Option<&str>) -> bool {
        let user = node_id
            .split(' ')
            .next()
            .unwrap_or("")
            .split(':')
            .next()
            .unwrap_or("");
        // As @logux/server: no client may pass for the server.
        if user == "server" || node_id == "server" {
            return false;
        }
        match self {
            Credentials::Anyone => true,
            Credentials::Token(expected) => token == Some(expected.as_str()),
            Credentials::PerUser(tokens) => {
                let user = if node_id.contains(':') { user } else { node_id };
                tokens
                    .get(user)
                    .is_some_and(|expected| token == Some(expected.as_str()))
            }
        }
    }

    fn read(args: &Args, limit: u64) -> anyhow::Result<Credentials> {
        if let Some(token) = &args.token {
            if token.is_empty() {
                return Err(UsageError("--token is empty".into()).into());
            }
            return Ok(Credentials::Token(token.clone()));
        }
        let Some(path) = &args.tokens else {
            return Ok(Credentials::Anyone);
        };
        let name = sanitize(&path.display().to_string());
        let bytes = actionlog::store::read_untrusted(path, limit)?;
        let tokens: HashMap<String, String> = serde_json::from_slice(&bytes).map_err(|e| {
            actionlog::Error::input(format!(
                "--tokens {name}: expected a JSON object of user IDs to token strings: {e}"
            ))
        })?;
        if tokens.values().any(String::is_empty) {
            return Err(
                actionlog::Error::input(format!("--tokens {name}: a token is empty")).into(),
            );
        }
        Ok(Credentials::PerUser(tokens))
    }
}

/// What the log's thread is asked by a connection.
enum Request {
    /// A client is in: send it what it lacks, and on from now.
    Joined {
        client: u64,
        node: String,
        synced: u64,
        outbox: SyncSender<Outbound>,
    },
    /// Actions a client sent, to store and send on; those not its own
    /// (`false`) are only answered, with `logux/undo`.
    Store {
        client: u64,
        actions: Vec<(String, IncomingMeta, bool)>,
    },
    Left {
        client: u64,
    },
}

/// An action for a client, and the `added` it has here (0: not stored).
#[derive(Clone)]
struct Forward {
    action: String,
    id: String,
    time: f64,
    subprotocol: Option<String>,
    added: u64,
}

/// What the log's thread tells a connection.
enum Outbound {
    Sync(Vec<Forward>),
    /// Everything the client lacked when it joined, oldest first: the
    /// entries themselves (their text is shared, not copied), made into
    /// messages a batch at a time by the connection, as the client takes
    /// them, so that the hub is not held up and the client's first batch
    /// does not wait for the last.
    CatchUp(Vec<actionlog::Entry>),
}

/// What every connection needs to know.
#[derive(Clone)]
struct Shared {
    node_id: String,
    subprotocol: Option<String>,
    min_subprotocol: Option<f64>,
    credentials: Credentials,
    timeout: Duration,
    ping: Duration,
    clock: crate::cli::config::Clock,
}

pub fn run(mut config: Config, args: &Args) -> anyhow::Result<Status> {
    if config.log.is_stream() {
        return Err(UsageError("serve needs a log file, not standard input".into()).into());
    }
    if args.timeout == 0 || args.ping == 0 || args.max_connections == 0 {
        return Err(UsageError(
            "--timeout, --ping and --max-connections must be more than 0".into(),
        )
        .into());
    }
    if args.min_subprotocol.is_some_and(|n| !n.is_finite()) {
        return Err(UsageError("--min-subprotocol must be a number".into()).into());
    }
    let credentials = Credentials::read(args, config.stream_limit)?;
    if !config.node_id.starts_with("server:") {
        config.node_id = format!("server:{}", config.node_id);
    }
    let listener = TcpListener::bind(args.listen)
        .map_err(|e| actionlog::Error::io(format!("cannot listen on {}", args.listen), e))?;
    listener.set_nonblocking(true)?;
    let shared = Shared {
        node_id: config.node_id.clone(),
        subprotocol: args.subprotocol.as_deref().map(subprotocol_json),
        min_subprotocol: args.min_subprotocol,
        credentials,
        timeout: Duration::from_millis(args.timeout),
        ping: Duration::from_millis(args.ping),
        clock: config.clock,
    };
    let mut session = Session::open_released(config)?;
    signals::catch_interrupt_and_terminate();
    say!(
        "actionlog: serving {} as {} on ws://{}",
        sanitize(&session.location().display_path().display().to_string()),
        sanitize(&shared.node_id),
        listener.local_addr().unwrap_or(args.listen)
    );
    let (requests, incoming) = mpsc::sync_channel::<Request>(QUEUE);
    let mut hub = Hub {
        clients: HashMap::new(),
        reasons: args.reasons.clone(),
    };
    let mut next_client = 0u64;
    let open = Arc::new(AtomicUsize::new(0));
    while !signals::caught() {
        loop {
            match listener.accept() {
                Ok((tcp, address)) => {
                    if open.load(Ordering::SeqCst) >= args.max_connections {
                        say!(
                            "actionlog: turned away {address}: {} clients are connected already (--max-connections)",
                            args.max_connections
                        );
                        drop(tcp);
                        continue;
                    }
                    next_client += 1;
                    let client = next_client;
                    let shared = shared.clone();
                    let requests = requests.clone();
                    let open = Arc::clone(&open);
                    open.fetch_add(1, Ordering::SeqCst);
                    std::thread::spawn(move || {
                        serve_client(client, tcp, address, &shared, &requests);
                        let _ = requests.send(Request::Left { client });
                        open.fetch_sub(1, Ordering::SeqCst);
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => break,
                Err(e) => {
                    say!("actionlog: accepting a connection failed: {e}");
                    break;
                }
            }
        }
        match incoming.recv_timeout(TICK) {
            Ok(request) => hub.handle(request, &mut session)?,
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        // What else came meanwhile, without waiting.
        while let Ok(request) = incoming.try_recv() {
            hub.handle(request, &mut session)?;
        }
    }
    say!("actionlog: stopped; everything received is stored");
    Ok(Status::Success)
}

/// The log's thread: the connected clients' outboxes.
struct Hub {
    clients: HashMap<u64, (String, SyncSender<Outbound>)>,
    reasons: Vec<String>,
}

impl Hub {
    fn handle(&mut self, request: Request, session: &mut Session) -> anyhow::Result<()> {
        match request {
            Request::Joined {
                client,
                node,
                synced,
                outbox,
            } => {
                session.refresh()?;
                let catch_up: Vec<actionlog::Entry> = session
                    .log()
                    .entries(Order::Added, None)
                    .filter(|e| e.added() > synced && e.node() != node)
                    .cloned()
                    .collect();
                // One message, whatever its size: the hub never waits on a
                // client.
                let _ = outbox.try_send(Outbound::CatchUp(catch_up));
                self.clients.insert(client, (node, outbox));
            }
            Request::Left { client } => {
                self.clients.remove(&client);
            }
            Request::Store { client, actions } => self.store(client, actions, session)?,
        }
        Ok(())
    }

    /// Stores what `client` sent, answers it, and sends the new actions to
    /// the others.
    fn store(
        &mut self,
        client: u64,
        actions: Vec<(String, IncomingMeta, bool)>,
        session: &mut Session,
    ) -> anyhow::Result<()> {
        let stored = session.write_through(|session| {
            let now = session.now();
            let options = MergeOptions {
                time_fix: 0.0,
                reasons: self.reasons.clone(),
                rules: session.config.rules.clone(),
            };
            let mut events = Vec::new();
            let mut new = Vec::new();
            let mut answers = Vec::new();
            let (log, ids) = session.log_and_ids();
            for (action, incoming, own) in &actions {
                if !own {
                    // As @logux/server: a client adds only its own actions.
                    answers.push(undo(action, &incoming.id, "denied", ids, now)?);
                    continue;
                }
                let added = add_incoming(log, action, incoming.to_meta(), &options, ids, now);
                let added = match added {
                    Ok(added) => added,
                    // One client's bad action costs neither the others nor
                    // the server: it is left out, and the client told.
                    Err(e) => {
                        say!(
                            "actionlog: left out {} from client {client}: {}",
                            sanitize(&incoming.id),
                            sanitize(&e.to_string())
                        );
                        answers.push(undo(action, &incoming.id, "error", ids, now)?);
                        continue;
                    }
                };
                if added.iter().any(|e| e.kind == EventKind::Add) {
                    let stored = log.get(&incoming.id).map_or(0, actionlog::Entry::added);
                    new.push(Forward {
                        action: action.clone(),
                        id: incoming.id.clone(),
                        time: incoming.time,
                        subprotocol: incoming
                            .other
                            .iter()
                            .find(|(k, _)| k == "subprotocol")
                            .map(|(_, v)| v.clone()),
                        added: stored,
                    });
                }
                events.extend(added);
                answers.push(processed(&incoming.id, ids, now)?);
            }
            session.report(events);
            Ok((new, answers))
        });
        session.print_events()?;
        let (new, mut answers) = match stored {
            Ok(stored) => stored,
            Err(error) => {
                // The file could not be written: the clients' actions are
                // not acknowledged as processed, and the server goes on.
                say!(
                    "actionlog: could not store what client {client} sent: {}",
                    crate::cli::exit::describe(&error)
                );
                return Ok(());
            }
        };
        let mut behind = Vec::new();
        for (other, (_, outbox)) in &self.clients {
            let batch = if *other == client {
                std::mem::take(&mut answers)
            } else if new.is_empty() {
                continue;
            } else {
                new.clone()
            };
            if let Err(TrySendError::Full(_)) = outbox.try_send(Outbound::Sync(batch)) {
                behind.push(*other);
            }
        }
        // A client this far behind is let go: its connection closes, and
        // the others are not held up, nor memory filled, for it.
        for other in behind {
            self.clients.remove(&other);
        }
        Ok(())
    }
}

fn forward(entry: &actionlog::Entry) -> Forward {
    Forward {
        action: entry.action().to_string(),
        id: entry.id().to_owned(),
        time: entry.time(),
        subprotocol: entry.subprotocol(),
        added: entry.added(),
    }
}

/// `logux/processed` for the action `id`, as @logux/server sends it.
fn processed(id: &str, ids: &mut actionlog::IdGenerator, now: u64) -> actionlog::Result<Forward> {
    answer(
        format!(
            "{{\"id\":{},\"type\":\"logux/processed\"}}",
            json::quote(id)
        ),
        ids,
        now,
    )
}

/// `logux/undo` of `action`, as @logux/server sends it.
fn undo(
    action: &str,
    id: &str,
    reason: &str,
    ids: &mut actionlog::IdGenerator,
    now: u64,
) -> actionlog::Result<Forward> {
    answer(
        format!(
            "{{\"action\":{action},\"id\":{},\"reason\":{},\"type\":\"logux/undo\"}}",
            json::quote(id),
            json::quote(reason)
        ),
        ids,
        now,
    )
}

fn answer(
    action: String,
    ids: &mut actionlog::IdGenerator,
    now: u64,
) -> actionlog::Result<Forward> {
    let id = ids.next(now)?;
    let time = actionlog::id::parse_action_id(&id)?.ms as f64;
    Ok(Forward {
        action,
        id,
        time,
        subprotocol: None,
        added: 0,
    })
}

/// One client's connection, to its end.
fn serve_client(
    client: u64,
    tcp: TcpStream,
    address: SocketAddr,
    shared: &Shared,
    requests: &SyncSender<Request>,
) {
    if let Err(error) = tcp.set_nonblocking(false) {
        say!("actionlog: client {address}: {error}");
        return;
    }
    let socket = match Socket::accept(tcp, shared.timeout) {
        Ok(socket) => socket,
        Err(error) => {
            say!("actionlog: client {address}: {error}");
            return;
        }
    };
    let mut link = ClientLink {
        client,
        address,
        shared,
        socket,
        connection: Connection::server(Settings {
            node_id: shared.node_id.clone(),
            token: None,
            subprotocol: shared.subprotocol.clone(),
            // What @logux/client looks for before it stays on ws://.
            headers: Some(r#"{"env":"development"}"#.into()),
        }),
        opened: Instant::now(),
        due: std::collections::VecDeque::new(),
        last_traffic: Instant::now(),
        outbox: None,
        added: 0,
    };
    match link.run(requests) {
        Ok(()) => {}
        Err(error) => say!("actionlog: {}", crate::cli::exit::describe(&error)),
    }
    link.socket.close();
    if link.outbox.is_some() {
        say!(
            "actionlog: client {} ({address}) left",
            sanitize(link.connection.remote_node())
        );
    }
}

struct ClientLink<'a> {
    client: u64,
    address: SocketAddr,
    shared: &'a Shared,
    socket: Socket,
    connection: Connection,
    opened: Instant,
    due: std::collections::VecDeque<Instant>,
    last_traffic: Instant,
    outbox: Option<Receiver<Outbound>>,
    /// The newest `added` sent to the client.
    added: u64,
}

impl ClientLink<'_> {
    fn name(&self) -> String {
        let node = self.connection.remote_node();
        if node.is_empty() {
            format!("client {}", self.address)
        } else {
            format!("client {} ({})", sanitize(node), self.address)
        }
    }

    fn run(&mut self, requests: &SyncSender<Request>) -> anyhow::Result<()> {
        loop {
            if signals::caught() {
                return Ok(());
            }
            let now = Instant::now();
            if !self.connection.is_connected() && now - self.opened > self.shared.timeout {
                return Err(NetError::Timeout {
                    peer: self.name(),
                    ms: self.shared.timeout.as_millis() as u64,
                }
                .into());
            }
            if self.due.front().is_some_and(|due| *due <= now) {
                return Err(NetError::Timeout {
                    peer: self.name(),
                    ms: self.shared.timeout.as_millis() as u64,
                }
                .into());
            }
            if self.connection.is_connected() && now - self.last_traffic >= self.shared.ping {
                let ping = self.connection.ping();
                self.send(&ping)?;
            }
            self.deliver()?;
            let received = match self.socket.receive(TICK) {
                Err(NetError::Dropped { .. }) => return Ok(()),
                Err(error @ NetError::Protocol { .. }) => {
                    self.socket.refuse(&error);
                    return Err(error.into());
                }
                other => other?,
            };
            let Received::Text(text) = received else {
                continue;
            };
            self.last_traffic = Instant::now();
            let events = self
                .connection
                .receive(&text, self.shared.clock.now() as f64);
            if !self.handle(events, requests)? {
                return Ok(());
            }
        }
    }

    fn send(&mut self, message: &Message) -> anyhow::Result<()> {
        let answered = matches!(message, Message::Sync { .. } | Message::Ping { .. });
        self.send_text(message.to_text(), answered)
    }

    /// Sends a message's text; `answered`: the client owes an answer to it.
    fn send_text(&mut self, text: String, answered: bool) -> anyhow::Result<()> {
        if answered {
            self.due.push_back(Instant::now() + self.shared.timeout);
        }
        self.last_traffic = Instant::now();
        Ok(self.socket.send(text)?)
    }

    /// Sends the client what the log's thread has for it, while the
    /// client keeps up: what it does not read yet waits in the outbox,
    /// which holds [`OUTBOX`] batches; a client further behind is let go.
    fn deliver(&mut self) -> anyhow::Result<()> {
        while !self.socket.is_pending() {
            let Some(outbox) = &self.outbox else {
                return Ok(());
            };
            match outbox.try_recv() {
                Ok(Outbound::Sync(batch)) => self.send_batch(batch)?,
                Ok(Outbound::CatchUp(entries)) => self.catch_up(entries)?,
                Err(mpsc::TryRecvError::Empty) => return Ok(()),
                Err(mpsc::TryRecvError::Disconnected) => {
                    return Err(NetError::Dropped {
                        peer: self.name(),
                        reason: Some(format!(
                            "it fell more than {OUTBOX} messages behind and was let go"
                        )),
                    }
                    .into());
                }
            }
        }
        Ok(())
    }

    /// Sends what a client lacked when it joined before anything else,
    /// as a Logux server sends it right after `connected` (a client that
    /// pings to learn it is synchronised hears the pong after it), one
    /// batch at a time as the client takes them.
    fn catch_up(&mut self, entries: Vec<actionlog::Entry>) -> anyhow::Result<()> {
        let mut entries = entries.into_iter().peekable();
        while entries.peek().is_some() {
            while self.socket.is_pending() {
                if signals::caught() || self.due.front().is_some_and(|due| *due <= Instant::now()) {
                    return Err(NetError::Timeout {
                        peer: self.name(),
                        ms: self.shared.timeout.as_millis() as u64,
                    }
                    .into());
                }
                self.socket.flush()?;
            }
            let batch: Vec<Forward> = entries
                .by_ref()
                .take(CATCH_UP_BATCH)
                .map(|e| forward(&e))
                .collect();
            self.send_batch(batch)?;
        }
        Ok(())
    }

    /// Waits for the hub's answer to joining (the catch-up), and sends it.
    fn wait_for_catch_up(&mut self) -> anyhow::Result<()> {
        loop {
            let Some(outbox) = &self.outbox else {
                return Ok(());
            };
            match outbox.recv_timeout(TICK) {
                Ok(Outbound::CatchUp(entries)) => return self.catch_up(entries),
                Ok(Outbound::Sync(batch)) => self.send_batch(batch)?,
                Err(RecvTimeoutError::Timeout) if !signals::caught() => {}
                Err(_) => return Ok(()),
            }
        }
    }

    fn send_batch(&mut self, batch: Vec<Forward>) -> anyhow::Result<()> {
        // Answers are not stored (`added` 0): they tell the newest sent
        // so far, as Logux does for actions it did not store.
        let added = batch
            .iter()
            .map(|f| f.added)
            .max()
            .unwrap_or(0)
            .max(self.added);
        self.added = added;
        self.connection.set_local_added(self.added);
        let outgoing: Vec<Outgoing<'_>> = batch
            .iter()
            .map(|f| Outgoing {
                action: &f.action,
                id: &f.id,
                time: f.time,
                subprotocol: f.subprotocol.as_deref(),
            })
            .collect();
        if let Some(text) = self.connection.sync(added, &outgoing) {
            self.send_text(text, true)?;
        }
        Ok(())
    }

    /// Does what the connection asks; false once it is to close.
    fn handle(
        &mut self,
        events: Vec<Event>,
        requests: &SyncSender<Request>,
    ) -> anyhow::Result<bool> {
        let mut actions = Vec::new();
        let mut open = true;
        for event in events {
            match event {
                Event::Send(message) => self.send(&message)?,
                Event::Authenticate {
                    node_id,
                    synced,
                    token,
                    subprotocol,
                    ..
                } => {
                    let used = subprotocol
                        .as_deref()
                        .and_then(|s| s.parse::<f64>().ok())
                        .unwrap_or(0.0);
                    let answer = match self.shared.min_subprotocol {
                        Some(min) if used < min => self.connection.refuse(
                            "wrong-subprotocol",
                            Some(format!(
                                "{{\"supported\":{},\"used\":{}}}",
                                json::number(min),
                                subprotocol.as_deref().unwrap_or("0")
                            )),
                        ),
                        _ if !self.shared.credentials.admit(&node_id, token.as_deref()) => {
                            say!("actionlog: {}: wrong credentials", self.name());
                            self.connection.refuse("wrong-credentials", None)
                        }
                        _ => {
                            let (tx, rx) = mpsc::sync_channel(OUTBOX);
                            self.outbox = Some(rx);
                            send_request(
                                requests,
                                Request::Joined {
                                    client: self.client,
                                    node: node_id.clone(),
                                    synced,
                                    outbox: tx,
                                },
                            )?;
                            self.connection.accept(self.shared.clock.now() as f64)
                        }
                    };
                    // What the answer asks for, in the same way.
                    open &= self.handle(answer, requests)?;
                    if open {
                        // The catch-up comes first, before anything else.
                        self.wait_for_catch_up()?;
                    }
                }
                Event::Connected { node_id, .. } => {
                    say!(
                        "actionlog: client {} connected from {}",
                        sanitize(&node_id),
                        self.address
                    );
                }
                Event::Action { action, meta } => {
                    let own = actionlog::id::parse_action_id(&meta.id).is_ok_and(|parts| {
                        client_id(parts.node(&meta.id)) == client_id(self.connection.remote_node())
                    });
                    if !own {
                        say!(
                            "actionlog: {}: denied {}, an action of another client",
                            self.name(),
                            sanitize(&meta.id)
                        );
                    }
                    actions.push((action, meta, own));
                }
                Event::Acknowledged(_) | Event::Pong => {
                    self.due.pop_front();
                }
                Event::Received(_) | Event::Headers(_) => {}
                Event::PeerError { kind, options } => {
                    say!(
                        "actionlog: {} sent the error {}{}",
                        self.name(),
                        sanitize(&json::quote(&kind)),
                        options
                            .map(|o| format!(" ({})", sanitize(&o)))
                            .unwrap_or_default()
                    );
                }
                Event::Debug(text) => {
                    say!("actionlog: {} says: {}", self.name(), sanitize(&text));
                }
                Event::Refused(why) => {
                    say!("actionlog: {}: {}", self.name(), sanitize(&why));
                }
                Event::Close => open = false,
                // A kind the library gained and this build does not know
                // of is a bug here: the client is let go, and what it sent
                // before is stored.
                _ => {
                    say!(
                        "actionlog: {}: an event of the connection this build does not handle (a bug in actionlog); closing",
                        self.name()
                    );
                    open = false;
                }
            }
        }
        if !actions.is_empty() {
            send_request(
                requests,
                Request::Store {
                    client: self.client,
                    actions,
                },
            )?;
        }
        Ok(open)
    }
}

/// A node's client: `user:client` of `user:client:tab`, as `parseId` reads
/// it, or the whole node ID when it has no `:`.
fn client_id(node: &str) -> &str {
    let mut parts = node.splitn(3, ':');
    match (parts.next(), parts.next()) {
        (Some(user), Some(client)) => &node[..user.len() + 1 + client.len()],
        _ => node,
    }
}

/// Hands a request to the log's thread, waiting while its queue is full
/// (so a client that floods is slowed on its own connection).
fn send_request(requests: &SyncSender<Request>, request: Request) -> anyhow::Result<()> {
    let mut request = request;
    loop {
        match requests.try_send(request) {
            Ok(()) => return Ok(()),
            Err(TrySendError::Full(back)) => {
                if signals::caught() {
                    return Ok(());
                }
                request = back;
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(TrySendError::Disconnected(_)) => return Ok(()),
        }
    }
}
