//! `sync URL`: this log as a Logux client node. It sends what it added
//! since the server last acknowledged, stores what the server sends, and
//! keeps the header's `lastSynced`; with `--follow` it stays connected and
//! prints what comes, as it comes.
//!
//! The protocol itself is the library's [`Connection`]; this brings the
//! socket, the clock, the log and the output, and decides when the work is
//! done.

mod pulled;
mod pushed;

use hashbrown::HashMap;
use std::borrow::Cow;
use std::collections::VecDeque;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use actionlog::event::{AddedAndCleaned, EventKind};
use actionlog::json;
use actionlog::log::Unkept;
use actionlog::merge::{MergeOptions, add_received, report_unkept};
use actionlog::protocol::connection::{Event, IncomingMeta, Outgoing, Settings};
use actionlog::protocol::{Connection, Message};
use actionlog::text::SharedStr;

use super::add::subprotocol_json;
use super::filter::KeptForFilterArgs;
use crate::cli::config::Config;
use crate::cli::exit::{Status, UsageError};
use crate::cli::net::{Endpoint, NetError, Received, Socket, tls};
use crate::cli::output::Output;
use crate::cli::session::{Session, Stdout};
use crate::cli::signals;
use crate::cli::terminal::sanitize;
use pulled::{Pulled, PulledLines};
use pushed::PushedNews;

const EXAMPLES: &str = "Examples:
  ACTIONLOG_TOKEN=secret actionlog --node-id 10:cli sync ws://127.0.0.1:31337 --subprotocol 2
  actionlog sync wss://logux.example.com --subscribe users/10 --reason sync
  actionlog sync ws://127.0.0.1:31337 --subscribe chat/1 --follow --format jsonl";

/// The most text of actions sent in one `sync` message: Logux sends a
/// catch-up as one message, which for a big log would be more than a
/// server takes.
const SYNC_BATCH_BYTES: usize = 1 << 20;

/// How many `sync` messages of news may go unacknowledged.
const IN_FLIGHT: usize = 4;

/// How long to wait between checks of the signals while nothing comes.
const TICK: Duration = Duration::from_millis(200);

/// How long a follower gathers what comes before storing it, while it keeps
/// coming: a store rewrites the file (`lastSynced` is in its header), and
/// `@logux/server` resending a channel's actions one message each made a
/// follower rewrite its log for every action. A pause of a millisecond
/// stores at once.
const STORE_EVERY: Duration = Duration::from_millis(100);

/// Reconnection delays, as `@logux/core`'s `Reconnect` gives them.
const RECONNECT_MIN: Duration = Duration::from_millis(1000);
const RECONNECT_MAX: Duration = Duration::from_millis(5000);

/// Synchronise this log with a Logux server, as a client node.
///
/// Sends the entries added since the server last acknowledged (lastSynced
/// `sent`), except those that came from the server, with only id, time and
/// subprotocol. Stores what the server sends with the time fix, keeping
/// each by the --reason reasons and --rules (without either, received
/// actions are reported added and cleaned, as `add` does), and records
/// lastSynced. Without --follow, it ends once both sides are synced and
/// every action sent has its answer (logux/processed or logux/undo) where
/// the peer is a Logux server; with --follow it stays and prints events as
/// they happen, reconnecting when the connection drops, until SIGINT or
/// SIGTERM. Each failure has its own exit status (see --help), and leaves
/// the log as it was.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The Logux server: ws://HOST[:PORT][/PATH] or wss://HOST[:PORT][/PATH].
    #[arg(value_name = "URL")]
    url: String,

    /// The token the server checks the node ID against.
    #[arg(
        long,
        env = "ACTIONLOG_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    token: Option<String>,

    /// The application's protocol version this node speaks: a number, as
    /// @logux/core 0.10 sends it.
    #[arg(long, value_name = "N")]
    subprotocol: Option<String>,

    /// Subscribe to this channel (repeatable), as @logux/client does.
    #[arg(long = "subscribe", value_name = "CHANNEL")]
    channels: Vec<String>,

    /// A reason for every received entry (repeatable).
    #[arg(add = crate::cli::complete::reasons(), short = 'r', long = "reason", value_name = "R")]
    reasons: Vec<String>,

    /// Stay connected, print every event as it happens, reconnect after a
    /// dropped connection; SIGINT or SIGTERM end it.
    #[arg(long, short = 'f')]
    follow: bool,

    /// Trust the certificates in this PEM file for wss://, instead of the
    /// system's.
    #[arg(long, value_name = "FILE")]
    ca: Option<PathBuf>,

    /// How long to wait for each answer, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 70_000)]
    timeout: u64,

    /// Ping the server after this many idle milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 10_000)]
    ping: u64,

    #[command(flatten)]
    filters: KeptForFilterArgs,
}

pub fn run(config: Config, args: &Args) -> anyhow::Result<Status> {
    let endpoint = Endpoint::parse(&args.url)?;
    if config.log.is_stream() {
        return Err(UsageError("sync needs a log file, not standard input".into()).into());
    }
    if args.timeout == 0 || args.ping == 0 {
        return Err(UsageError("--timeout and --ping must be more than 0 ms".into()).into());
    }
    if let Some(token) = &args.token
        && token.is_empty()
    {
        return Err(UsageError("--token is empty".into()).into());
    }
    let query = args.filters.query()?;
    let tls = if endpoint.is_secure() {
        Some(tls::client_config(args.ca.as_deref())?)
    } else {
        None
    };
    let (mut session, mut news) = match PushedNews::open(&config, args, &query)? {
        Some((session, news)) => (session, Some(news)),
        None => (Session::open_released(config)?, None),
    };
    if args.follow {
        signals::catch_interrupt_and_terminate();
    }
    let mut attempt = 0u32;
    let mut from_peer = hashbrown::HashSet::new();
    loop {
        let socket = Socket::connect(&endpoint, tls.as_ref(), Duration::from_millis(args.timeout));
        let outcome = socket.map_err(anyhow::Error::from).and_then(|socket| {
            let mut link = Link::new(
                &endpoint,
                socket,
                args,
                &query,
                &mut from_peer,
                news.take(),
                &mut session,
            )?;
            attempt = 0;
            link.run(&mut session)
        });
        match outcome {
            Ok(()) => return Ok(Status::Success),
            Err(error) if args.follow && can_retry(&error) => {
                let delay = backoff(attempt);
                attempt = attempt.saturating_add(1);
                say!(
                    "actionlog: {}; connecting again in {:.1} s",
                    crate::cli::exit::describe(&error),
                    delay.as_secs_f64()
                );
                if !sleep_unless_stopped(delay) {
                    return Ok(Status::Success);
                }
            }
            Err(error) => return Err(error),
        }
    }
}

/// A received action the log cannot take: the peer's fault.
fn cannot_store(peer: String, id: &str, error: &actionlog::Error) -> NetError {
    NetError::Protocol {
        peer,
        what: format!(
            "sent an action that cannot be stored ({}): {}",
            sanitize(id),
            sanitize(&error.to_string())
        ),
    }
}

/// Whether `--follow` connects again after `error`: after a network's
/// failure, not after the server said no.
fn can_retry(error: &anyhow::Error) -> bool {
    matches!(
        error.downcast_ref::<NetError>(),
        Some(NetError::Unreachable { .. } | NetError::Dropped { .. } | NetError::Timeout { .. })
    )
}

/// `@logux/core`'s `Reconnect` delay: doubling from a second, within a
/// random half either way, at most five seconds.
fn backoff(attempt: u32) -> Duration {
    let base = RECONNECT_MIN.as_millis() as f64 * 2f64.powi(attempt.min(16) as i32);
    let jitter = (random_unit() - 0.5) * base;
    Duration::from_millis((base + jitter).clamp(0.0, RECONNECT_MAX.as_millis() as f64) as u64)
}

/// A number in `[0, 1)` that differs between processes and calls, enough
/// to spread reconnections; not for secrets.
fn random_unit() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// Sleeps for `delay`; false if a signal to stop came first.
fn sleep_unless_stopped(delay: Duration) -> bool {
    let until = Instant::now() + delay;
    while Instant::now() < until {
        if signals::caught() {
            return false;
        }
        std::thread::sleep(TICK.min(until.saturating_duration_since(Instant::now())));
    }
    !signals::caught()
}

/// What is done, and what is waited for, on one connection.
struct Link<'a> {
    endpoint: &'a Endpoint,
    args: &'a Args,
    query: &'a actionlog::query::Query,
    socket: Socket,
    connection: Connection,
    /// When each answer the peer owes is due (`connected`, `synced`,
    /// `pong`), oldest first: Logux's timeouts.
    due: VecDeque<Instant>,
    /// Our actions the server is to answer with `logux/processed` or
    /// `logux/undo`, and when the answers are due.
    unanswered: Unanswered,
    /// Received actions not yet stored.
    received: Vec<(String, IncomingMeta)>,
    /// Those a pull keeps, made into the log's lines as they came, while
    /// none needed the general add (then they join `received`).
    pulled: Option<PulledLines>,
    /// The events of received actions that nothing keeps, taken as they
    /// came (see `take`), to be reported with the next store; and the IDs
    /// of those the log already had.
    taken: Vec<actionlog::Event>,
    taken_had: hashbrown::HashSet<String>,
    /// Why printing failed (events as they came, an undo): returned by the
    /// next store once it has stored, as when the store prints them.
    print_failed: Option<std::io::Error>,
    /// Events were printed as they came since the last store: the store
    /// is done as for held ones (it writes the file, creating it).
    printed_since_store: bool,
    /// `lastSynced` as the peer has told it.
    acknowledged: u64,
    last_received: Option<u64>,
    /// When a message last went either way: a ping follows a silence.
    last_traffic: Instant,
    /// Everything sent is acknowledged: a last ping, whose pong ends the
    /// run, was sent.
    closing_ping: bool,
    done: bool,
    /// Why the connection refused the peer's last message.
    refused: Option<String>,
    /// The `wrong-protocol` this node answered the peer's handshake with.
    old_protocol: Option<String>,
    /// IDs of actions that came from the peer, never news for it: every
    /// one when following; otherwise those the log had while news were
    /// being sent, and those stored that `lastSynced.sent` has not gone
    /// past (see `take` and `store`). A pull leaves this empty. Hashed as
    /// the log's ID index hashes IDs (randomly seeded, not SipHash).
    from_peer: &'a mut hashbrown::HashSet<String>,
    /// Where sending the log's news has got to; `None` when all is sent.
    cursor: Option<Cursor>,
    /// The news read from the file as they are sent, while the session
    /// holds the log read in part (see `pushed`).
    news: Option<PushedNews>,
    /// What the peer had acknowledged when the connection opened: entries
    /// added after it are news.
    since: u64,
    /// The newest `added` of the log when the connection opened: what
    /// came after is not news for the peer.
    until: u64,
    /// `sync` messages sent and not yet acknowledged.
    in_flight: usize,
    /// Following: since when messages came that are not stored yet.
    unstored_since: Option<Instant>,
}

/// A place in the log's added order: the slot to go on from, and the
/// `added` of the entry before it.
struct Cursor {
    slot: usize,
    after: u64,
}

/// Prints the events of received actions nothing keeps as they are made
/// (`jsonl`), with none held. The first failure to write is kept (for the
/// store to return once it has stored) and nothing more is printed.
struct Printing<'a> {
    out: &'a mut Output<Stdout>,
    failed: &'a mut Option<std::io::Error>,
}

impl AddedAndCleaned for Printing<'_> {
    fn added_and_cleaned(&mut self, action: &str, meta: &str) {
        if self.failed.is_some() {
            return;
        }
        let printed = self
            .out
            .event_line(EventKind::Add, action, [meta])
            .and_then(|()| self.out.event_line(EventKind::Clean, action, [meta]));
        if let Err(error) = printed {
            *self.failed = Some(error);
        }
    }
}

impl<'a> Link<'a> {
    fn new(
        endpoint: &'a Endpoint,
        socket: Socket,
        args: &'a Args,
        query: &'a actionlog::query::Query,
        from_peer: &'a mut hashbrown::HashSet<String>,
        news: Option<PushedNews>,
        session: &mut Session,
    ) -> anyhow::Result<Link<'a>> {
        let (sent, received) = session.last_synced();
        let settings = Settings {
            node_id: session.config.node_id.clone(),
            token: args.token.clone(),
            subprotocol: args.subprotocol.as_deref().map(subprotocol_json),
            headers: None,
        };
        let mut connection = Connection::client(settings, received);
        connection.set_local_added(session.log().last_added());
        // Kept by reasons alone, what a run that stores once brings is
        // made into lines as it comes, its events printed from them.
        let pulled = if news.is_none()
            && !args.follow
            && session.config.rules.is_none()
            && session.prints_events_as_made()
        {
            let options = MergeOptions {
                time_fix: 0.0,
                reasons: args.reasons.clone(),
                rules: None,
            };
            let now = session.now();
            let (log, ids) = session.log_and_ids();
            PulledLines::new(options, ids.clone(), now, log.last_added())
        } else {
            None
        };
        let mut link = Link {
            endpoint,
            args,
            query,
            socket,
            connection,
            due: VecDeque::new(),
            unanswered: Unanswered::default(),
            received: Vec::new(),
            pulled,
            taken: Vec::new(),
            taken_had: hashbrown::HashSet::new(),
            print_failed: None,
            printed_since_store: false,
            acknowledged: sent,
            last_received: None,
            last_traffic: Instant::now(),
            closing_ping: false,
            done: false,
            refused: None,
            old_protocol: None,
            from_peer,
            cursor: None,
            news,
            since: sent,
            until: 0,
            in_flight: 0,
            unstored_since: None,
        };
        let now = session.now() as f64;
        let opening = link.connection.open(received, now);
        link.handle(opening, session)?;
        Ok(link)
    }

    fn timeout(&self) -> Duration {
        Duration::from_millis(self.args.timeout)
    }

    fn peer(&self) -> String {
        self.endpoint.name.clone()
    }

    /// Runs until the work is done (or, following, until a signal), then
    /// stores what came. A follower also stores what came before a failure
    /// (it goes on after reconnecting).
    fn run(&mut self, session: &mut Session) -> anyhow::Result<()> {
        match self.exchange(session) {
            Err(error) if self.args.follow => {
                self.store(session)?;
                Err(error)
            }
            Err(error) => Err(error),
            Ok(()) => self.store(session),
        }
    }

    fn exchange(&mut self, session: &mut Session) -> anyhow::Result<()> {
        while !self.done {
            if self.args.follow && signals::caught() {
                self.socket.close();
                break;
            }
            if self
                .unstored_since
                .is_some_and(|since| since.elapsed() >= STORE_EVERY)
            {
                self.store(session)?;
            }
            let now = Instant::now();
            if let Some(due) = self
                .due
                .front()
                .copied()
                .into_iter()
                .chain(self.unanswered.earliest_due())
                .min()
                && due <= now
            {
                self.socket.close();
                return Err(NetError::Timeout {
                    peer: self.peer(),
                    ms: self.args.timeout,
                }
                .into());
            }
            if self.cursor.is_some() && self.in_flight < IN_FLIGHT && !self.socket.is_pending() {
                self.send_news(session)?;
                self.check_done()?;
                continue;
            }
            let ping_at = self.last_traffic + Duration::from_millis(self.args.ping);
            if self.connection.is_connected() && ping_at <= now {
                self.ping()?;
                continue;
            }
            let mut wait = TICK.min(ping_at.saturating_duration_since(now));
            if let Some(due) = self.due.front() {
                wait = wait.min(due.saturating_duration_since(now));
            }
            if self.unstored_since.is_some() {
                wait = wait.min(Duration::from_millis(1));
            }
            let received = match self.socket.receive(wait) {
                Err(error @ NetError::Protocol { .. }) => {
                    self.socket.refuse(&error);
                    self.socket.close();
                    return Err(error.into());
                }
                other => other?,
            };
            match received {
                // A pause in what comes: the follower stores what did.
                Received::Nothing if self.unstored_since.is_some() => self.store(session)?,
                Received::Nothing => {}
                Received::Text(text) => {
                    self.last_traffic = Instant::now();
                    let events = self.connection.receive(&text, session.now() as f64);
                    self.handle(events, session)?;
                    if self.args.follow && self.unstored_since.is_none() {
                        self.unstored_since = Some(Instant::now());
                    }
                }
            }
        }
        Ok(())
    }

    fn send(&mut self, message: &Message) -> anyhow::Result<()> {
        let answered = matches!(
            message,
            Message::Connect { .. } | Message::Sync { .. } | Message::Ping { .. }
        );
        self.send_text(message.to_text(), answered)
    }

    /// Sends a message's text; `answered`: the peer owes an answer to it.
    fn send_text(&mut self, text: String, answered: bool) -> anyhow::Result<()> {
        if answered {
            self.due.push_back(Instant::now() + self.timeout());
        }
        self.last_traffic = Instant::now();
        Ok(self.socket.send(text)?)
    }

    fn ping(&mut self) -> anyhow::Result<()> {
        let ping = self.connection.ping();
        self.send(&ping)
    }

    /// Does what the connection asks, in order.
    fn handle(&mut self, events: Vec<Event>, session: &mut Session) -> anyhow::Result<()> {
        for event in events {
            match event {
                Event::Send(message) => {
                    if let Message::Error { kind, options } = &message
                        && kind == "wrong-protocol"
                    {
                        self.old_protocol = Some(options.clone().unwrap_or_default());
                    }
                    self.send(&message)?;
                }
                Event::Connected {
                    node_id, time_fix, ..
                } => {
                    self.due.pop_front();
                    if self.args.follow {
                        say!(
                            "actionlog: connected to {} as {} (server {}, time fix {} ms)",
                            self.peer(),
                            sanitize(&session.config.node_id),
                            sanitize(&node_id),
                            json::number(time_fix)
                        );
                    }
                    // The news: what was added after the peer's last
                    // acknowledgement and up to now, not what comes from
                    // it from now on.
                    self.since = self.acknowledged;
                    self.until = session.log().last_added();
                    self.cursor = Some(Cursor { slot: 0, after: 0 });
                    self.subscribe(session)?;
                }
                Event::Action { action, meta } => self.take(action, meta, session)?,
                Event::Acknowledged(added) => {
                    self.due.pop_front();
                    self.in_flight = self.in_flight.saturating_sub(1);
                    self.acknowledged = self.acknowledged.max(added);
                }
                Event::Received(added) => self.last_received = Some(added),
                Event::Pong => {
                    self.due.pop_front();
                }
                Event::PeerError { kind, options } => {
                    self.socket.close();
                    return Err(self.peer_error(&kind, options.as_deref()).into());
                }
                Event::Headers(_) => {}
                Event::Debug(text) => {
                    let first = text.lines().next().unwrap_or_default();
                    say!("actionlog: {} says: {}", self.peer(), sanitize(first));
                }
                Event::Refused(why) => {
                    // The connection sends the protocol's error and asks to
                    // close next.
                    self.refused = Some(why);
                }
                Event::Close => {
                    self.socket.close();
                    if let Some(options) = self.old_protocol.take() {
                        return Err(NetError::Version {
                            peer: self.peer(),
                            what: format!(
                                "speaks an older Logux protocol (wrong-protocol {}): this node speaks {}",
                                sanitize(&options),
                                actionlog::protocol::PROTOCOL
                            ),
                        }
                        .into());
                    }
                    let what = self.refused.take().unwrap_or_else(|| "closed".into());
                    return Err(NetError::Protocol {
                        peer: self.peer(),
                        what: format!("sent what is not a Logux message: {}", sanitize(&what)),
                    }
                    .into());
                }
                Event::Authenticate { .. } => {}
                // A kind the library gained and this build does not know
                // of is a bug here (status 70).
                _ => {
                    self.socket.close();
                    anyhow::bail!("an event of the connection this build does not handle");
                }
            }
        }
        self.check_done()
    }

    /// Without `--follow`, the work is done when the peer owes nothing:
    /// every `sync` acknowledged and every action answered. A last ping
    /// makes sure that whatever the server sends on connecting came first.
    fn check_done(&mut self) -> anyhow::Result<()> {
        if self.args.follow
            || !self.connection.is_connected()
            || self.cursor.is_some()
            || !self.due.is_empty()
            || !self.unanswered.is_empty()
        {
            return Ok(());
        }
        if self.closing_ping {
            self.done = true;
            Ok(())
        } else {
            self.closing_ping = true;
            self.ping()
        }
    }

    /// Whether the peer is a Logux server, which answers every action with
    /// `logux/processed` or `logux/undo` (its node ID is `server:…`).
    fn peer_answers(&self) -> bool {
        let node = self.connection.remote_node();
        node == "server" || node.starts_with("server:")
    }

    /// Sends the next batch of the entries added since the peer last
    /// acknowledged, that the filters let through and that did not come
    /// from the peer, oldest first, in messages of a bounded size. At most
    /// [`IN_FLIGHT`] go unacknowledged, and the peer's answers are read in
    /// between: a peer that answers as it reads cannot be left writing to
    /// a node that only writes. The entries are read from the log as they
    /// are sent, never copied whole.
    fn send_news<'s>(&mut self, session: &'s Session) -> anyhow::Result<()> {
        let Some(cursor) = &mut self.cursor else {
            return Ok(());
        };
        let log = session.log();
        let matcher = self.query.for_log(log);
        // Each entry sent: its action, ID, time and subprotocol.
        let mut batch: Vec<(SharedStr, Cow<'s, str>, f64, Option<String>)> = Vec::new();
        let (mut bytes, mut newest, mut next) = (0, 0, None);
        let peer_node = self.connection.remote_node();
        let (since, until, from_peer) = (self.since, self.until, &*self.from_peer);
        let is_news = |added: u64, node: &str, id: &str| {
            added > since && node != peer_node && !from_peer.contains(id)
        };
        // Takes an entry into the batch; true once the batch is full.
        let mut take = |added: u64, sent: (SharedStr, Cow<'s, str>, f64, Option<String>)| {
            bytes += sent.0.len() + sent.1.len() + 32;
            newest = newest.max(added);
            batch.push(sent);
            bytes >= SYNC_BATCH_BYTES
        };
        match &mut self.news {
            Some(news) => {
                while let Some(entry) = news.next_after(since) {
                    let entry = entry?;
                    if entry.added > until {
                        break;
                    }
                    cursor.after = entry.added;
                    if is_news(entry.added, entry.node(), &entry.id)
                        && take(
                            entry.added,
                            (
                                entry.action,
                                Cow::Owned(entry.id),
                                entry.time,
                                entry.subprotocol,
                            ),
                        )
                    {
                        next = Some(());
                        break;
                    }
                }
            }
            None => {
                // The log changes under a follower (it stores as it goes,
                // and may read the file again): then find the place again
                // by `added`.
                let slot = match log.entries_from(cursor.slot.saturating_sub(1)).next() {
                    Some((slot, entry)) if cursor.slot > 0 && entry.added() == cursor.after => {
                        slot + 1
                    }
                    _ if cursor.slot == 0 => 0,
                    _ => log
                        .entries_from(0)
                        .find(|(_, e)| e.added() > cursor.after)
                        .map_or(usize::MAX, |(slot, _)| slot),
                };
                for (slot, entry) in log.entries_from(slot) {
                    if entry.added() > until {
                        break;
                    }
                    cursor.slot = slot + 1;
                    cursor.after = entry.added();
                    if is_news(entry.added(), entry.node(), entry.id())
                        && matcher.matches(entry)
                        && take(
                            entry.added(),
                            (
                                entry.action(),
                                Cow::Borrowed(entry.id()),
                                entry.time(),
                                entry.subprotocol(),
                            ),
                        )
                    {
                        next = Some(());
                        break;
                    }
                }
            }
        }
        if next.is_none() {
            // The last batch: nothing more to send after it.
            self.cursor = None;
        }
        if batch.is_empty() {
            return Ok(());
        }
        let outgoing: Vec<Outgoing<'_>> = batch
            .iter()
            .map(|(action, id, time, subprotocol)| Outgoing {
                action,
                id,
                time: *time,
                subprotocol: subprotocol.as_deref(),
            })
            .collect();
        let text = self
            .connection
            .sync(newest, &outgoing)
            .ok_or_else(|| anyhow::anyhow!("an entry of the log has an invalid ID"))?;
        if self.peer_answers() {
            let due = Instant::now() + self.timeout();
            let ids = batch.iter().map(|(_, id, _, _)| &**id);
            self.unanswered.expect(ids, due);
        }
        self.send_text(text, true)?;
        self.in_flight += 1;
        Ok(())
    }

    /// Subscribes to the channels asked for, as `@logux/client` does: a
    /// `logux/subscribe` action of this node, answered by the server. Its
    /// IDs are recorded before they are sent, so they never come again.
    fn subscribe(&mut self, session: &mut Session) -> anyhow::Result<()> {
        if self.args.channels.is_empty() {
            return Ok(());
        }
        let count = self.args.channels.len();
        let ids = session.with_ids_recorded(|session| {
            let now = session.now();
            let (_, ids) = session.log_and_ids();
            (0..count)
                .map(|_| ids.next(now).map_err(anyhow::Error::from))
                .collect::<anyhow::Result<Vec<String>>>()
        })?;
        for (channel, id) in self.args.channels.iter().zip(ids) {
            let action = format!(
                "{{\"type\":\"logux/subscribe\",\"channel\":{}}}",
                json::quote(channel)
            );
            let time = actionlog::id::parse_action_id(&id)?.ms as f64;
            let text = self
                .connection
                .sync(
                    self.acknowledged,
                    &[Outgoing {
                        action: &action,
                        id: &id,
                        time,
                        subprotocol: None,
                    }],
                )
                .ok_or_else(|| anyhow::anyhow!("a generated ID is invalid"))?;
            self.send_text(text, true)?;
            self.unanswered
                .expect(std::iter::once(id), Instant::now() + self.timeout());
        }
        Ok(())
    }

    /// A received action: kept to be stored; the answer to one of ours
    /// is taken note of, and an undo is printed.
    fn take(
        &mut self,
        action: String,
        meta: IncomingMeta,
        session: &mut Session,
    ) -> anyhow::Result<()> {
        // The connection checked the ID: its node is between its spaces.
        let bytes = meta.id.as_bytes();
        let node = match (memchr::memchr(b' ', bytes), memchr::memrchr(b' ', bytes)) {
            (Some(first), Some(last)) if first < last => &meta.id[first + 1..last],
            _ => "",
        };
        // Held in part, the log tells whether it has an ID only when the
        // ID's node, or its hash, is none of its IDs'.
        if self
            .news
            .as_ref()
            .is_some_and(|news| news.may_have(&meta.id, node))
        {
            self.read_whole(session)?;
        }
        // A peer that sends this node's own actions, which this log does
        // not have, would make it hand out IDs after them: far in the
        // future, or none at all.
        if node == session.config.node_id && !session.log().contains(&meta.id) {
            return Err(NetError::Protocol {
                peer: self.peer(),
                what: format!(
                    "sent an action under this node's own ID ({}) that this log does not have",
                    sanitize(&meta.id)
                ),
            }
            .into());
        }
        // What the peer sends is not news for it. Following, each ID is
        // noted for the links after a reconnection. Otherwise only what
        // this link may still send needs a note before it is stored (after
        // that, what came is known by its `added`): an entry of the log,
        // while news are being sent, not of the peer's own node (never
        // sent). A pull, which has no news, and a server's answers to a
        // push, which are of the server's node, need none.
        if self.args.follow
            || (self.cursor.is_some()
                && node != self.connection.remote_node()
                && session.log().contains(&meta.id))
        {
            self.from_peer.insert(meta.id.clone());
        }
        // Only an action awaiting its answer can be answered: while none
        // is, as in a pull, an action's members are not walked again.
        if !self.unanswered.is_empty() {
            self.answer(&action, session);
        }
        // Without reasons or rules nothing that comes is kept (the
        // connection lets no reasons travel), and an action not kept
        // changes nothing of the log: it is taken now, as the store would
        // take it, rather than held. Held, a push's million answers
        // (`logux/processed`) took a tenth of its memory, and were read
        // again once they had left the cache. One the store must refuse
        // is held for it. The log is read again at the store if another
        // process changed it meanwhile: an ID it gained in between is the
        // one thing an action taken now does not see.
        // Its events are printed at once where they may be: held, a
        // million answers' events took a third of the push's memory. So a
        // sync that then fails has printed them, and the next one, which
        // gets them again, prints them again (as `@logux/core` reports
        // each action as it comes).
        if self.args.reasons.is_empty() && session.config.rules.is_none() {
            let taken = if session.prints_events_as_made() {
                let (log, ids, out) = session.log_ids_and_out();
                let mut printing = Printing {
                    out,
                    failed: &mut self.print_failed,
                };
                report_unkept(log, &action, &meta, ids, &mut printing)
            } else {
                let (log, ids) = session.log_and_ids();
                report_unkept(log, &action, &meta, ids, &mut self.taken)
            }
            .map_err(|e| cannot_store(self.peer(), &meta.id, &e))?;
            match taken {
                Unkept::Reported => {
                    self.printed_since_store = true;
                    return Ok(());
                }
                Unkept::InLog => {
                    self.taken_had.insert(meta.id);
                    return Ok(());
                }
                Unkept::NeedsAdd => {}
            }
        }
        if let Some(pulled) = &mut self.pulled {
            match pulled.take(&action, &meta, session.log()) {
                Pulled::Line | Pulled::Had => return Ok(()),
                Pulled::General => {
                    // It and all after it go the general way, in order,
                    // which also refuses at the store what cannot be
                    // stored, as it would have.
                    self.received = self
                        .pulled
                        .take()
                        .map_or_else(Vec::new, PulledLines::into_received);
                }
            }
        }
        self.received.push((action, meta));
        Ok(())
    }

    /// Takes note of the answer `action` may be to one of ours, and prints
    /// an undo.
    fn answer(&mut self, action: &str, session: &mut Session) {
        let [kind, id, reason, undone] =
            json::last_members(action, ["type", "id", "reason", "action"]);
        let kind = kind.and_then(|span| json::as_str(action, span));
        if let (Some(kind @ ("logux/processed" | "logux/undo")), Some(id)) = (
            kind.as_deref(),
            id.and_then(|span| json::as_str(action, span)),
        ) && self.unanswered.answer(&id)
            && kind == "logux/undo"
        {
            let mut notice = vec![("id", json::quote(&id))];
            if let Some(reason) = reason {
                notice.push(("reason", action[reason].to_owned()));
            }
            if let Some(undone) = undone {
                notice.push(("action", action[undone].to_owned()));
            }
            // As for the events printed as they come: a failure to print
            // stops the printing, not the sync (see `Link::printed`).
            if self.print_failed.is_none()
                && let Err(error) = session
                    .out
                    .notice("undo", &notice)
                    .and_then(|()| session.out.finish())
            {
                self.print_failed = Some(error);
            }
        }
    }

    /// Reads the whole log, as it was read, into a session that held it in
    /// part, to go on as a sync that holds it does: sending from where it
    /// got to, found again by `added`.
    fn read_whole(&mut self, session: &mut Session) -> anyhow::Result<()> {
        if let Some(news) = self.news.take() {
            session.read_whole_from(news.entries())?;
            if let Some(cursor) = &mut self.cursor {
                // Nothing up to `since` is news: the walk starts after it.
                cursor.slot = usize::MAX;
                cursor.after = cursor.after.max(self.since);
            }
        }
        Ok(())
    }

    /// Stores what came, and `lastSynced`, in the file at once.
    fn store(&mut self, session: &mut Session) -> anyhow::Result<()> {
        self.unstored_since = None;
        // A log held in part is stored as a whole one is: nothing that
        // comes is kept, so its entries stay as they are, and none of them
        // came from the peer (the log is read whole first, see `take`).
        // So the walk below stops at the first entry not acknowledged, as
        // over the whole log; only `lastSynced` changes, over the lines.
        let received = std::mem::take(&mut self.received);
        let pulled = self.pulled.take().filter(|lines| lines.len() > 0);
        let (sent, last_received) = session.last_synced();
        let new_received = self.last_received.unwrap_or(last_received);
        let printed = std::mem::take(&mut self.printed_since_store);
        if received.is_empty()
            && pulled.is_none()
            && self.taken.is_empty()
            && !printed
            && self.taken_had.is_empty()
            && sent >= self.acknowledged
            && new_received == last_received
        {
            // Nothing to store: what was printed (an undo) shows now.
            return self.printed(session.out.finish());
        }
        let taken = std::mem::take(&mut self.taken);
        let taken_had = std::mem::take(&mut self.taken_had);
        let acknowledged = self.acknowledged;
        let from_peer = &*self.from_peer;
        let reasons = &self.args.reasons;
        let peer = self.peer();
        let noted = session.write_through(|session| {
            let now = session.now();
            let options = MergeOptions {
                time_fix: 0.0,
                reasons: reasons.clone(),
                rules: session.config.rules.clone(),
            };
            let mut events = taken;
            let reloaded = session.reloaded();
            let (log, ids) = session.log_and_ids();
            // Entries added from here on came from the peer; of what it
            // sent that this log already had, the IDs are kept aside.
            let before = log.last_added();
            let mut had = taken_had;
            // Lines made against the log as it was read: if another
            // process changed it since, they are added the general way.
            let (lines, received) = match pulled {
                Some(lines) if reloaded || lines.base() != before => {
                    let mut all = lines.into_received();
                    all.extend(received);
                    (None, all)
                }
                lines => (lines, received),
            };
            if let Some(lines) = &lines {
                had.extend(lines.had_ids().map(str::to_owned));
            }
            log.adding_many(|log| -> anyhow::Result<()> {
                for (action, incoming) in received {
                    let from = events.len();
                    add_received(log, &action, &incoming, &options, ids, now, &mut events)
                        .map_err(|e| cannot_store(peer.clone(), &incoming.id, &e))?;
                    // No add event: the log had it. (One added and cleaned
                    // at once, for lack of reasons, is not in the log to
                    // note.)
                    if !events[from..]
                        .iter()
                        .any(|event| event.kind == EventKind::Add)
                    {
                        had.insert(incoming.id);
                    }
                }
                Ok(())
            })?;
            let came =
                |entry: &actionlog::Entry| entry.added() > before || had.contains(entry.id());
            let (sent, _) = session.last_synced();
            let mut sent = sent.max(acknowledged);
            // What came from the peer is not news for it: `sent` goes on
            // over what it acknowledged and what it sent, up to the first
            // entry it has not got.
            let log = session.log();
            let mut entries = log.entries_from(log.first_slot_after(sent));
            let mut all_got = true;
            for (_, entry) in entries.by_ref() {
                if entry.added() <= acknowledged || came(entry) || from_peer.contains(entry.id()) {
                    sent = sent.max(entry.added());
                } else {
                    all_got = false;
                    break;
                }
            }
            // What came from the peer and `sent` stopped before is noted,
            // for a later store and for the news after a reconnection.
            let mut noted: Vec<String> = entries
                .filter(|(_, entry)| came(entry))
                .map(|(_, entry)| entry.id().to_owned())
                .collect();
            // The lines go after every entry, and all came from the peer.
            if let Some(lines) = &lines {
                if all_got {
                    sent = sent.max(lines.last_added());
                } else {
                    noted.extend(lines.ids());
                }
            }
            session.set_last_synced((sent, new_received));
            session.report(events);
            if let Some(lines) = &lines {
                session.save_with_lines(lines.text(), lines.last_added())?;
            }
            Ok((noted, lines))
        })?;
        let (noted, lines) = noted;
        self.from_peer.extend(noted);
        if self.print_failed.is_some() {
            session.drop_events();
            return self.printed(Ok(()));
        }
        // Nothing else came to print beside lines: they keep everything.
        let printing = lines
            .iter()
            .flat_map(PulledLines::events)
            .try_for_each(|(action, meta)| session.out.event_line(EventKind::Add, action, [meta]));
        self.printed(printing.and_then(|()| session.print_events()))
    }

    /// `printing`'s outcome, unless printing failed before (events as they
    /// came, an undo): then that failure, printing nothing more (the output
    /// would have a gap).
    fn printed(&mut self, printing: std::io::Result<()>) -> anyhow::Result<()> {
        match self.print_failed.take() {
            Some(error) => Err(error.into()),
            None => Ok(printing?),
        }
    }

    /// The peer's error, as this command reports it.
    fn peer_error(&self, kind: &str, options: Option<&str>) -> NetError {
        let peer = self.peer();
        let options_json: Option<serde_json::Value> =
            options.and_then(|o| serde_json::from_str(o).ok());
        let field = |name: &str| {
            options_json
                .as_ref()
                .and_then(|o| o.get(name))
                .map(|v| sanitize(&v.to_string()))
                .unwrap_or_else(|| "?".into())
        };
        match kind {
            "wrong-credentials" => NetError::Credentials {
                peer,
                hint: if self.args.token.is_none() {
                    "; no token was given: --token or ACTIONLOG_TOKEN".into()
                } else {
                    String::new()
                },
            },
            "wrong-protocol" => NetError::Version {
                peer,
                what: format!(
                    "speaks another Logux protocol (wrong-protocol): it supports {}, this node speaks {}",
                    field("supported"),
                    actionlog::protocol::PROTOCOL
                ),
            },
            "wrong-subprotocol" => NetError::Version {
                peer,
                what: format!(
                    "wants another application subprotocol (wrong-subprotocol): it supports {}, this node sent {} (--subprotocol)",
                    field("supported"),
                    field("used")
                ),
            },
            "timeout" => NetError::Timeout {
                peer,
                ms: options_json
                    .as_ref()
                    .and_then(serde_json::Value::as_u64)
                    .unwrap_or(self.args.timeout),
            },
            other => NetError::Protocol {
                peer,
                what: format!(
                    "sent the error {}{}",
                    sanitize(&json::quote(other)),
                    options
                        .map(|o| {
                            // What a peer sends may be long: a line of it.
                            let mut end = o.len().min(200);
                            while !o.is_char_boundary(end) {
                                end -= 1;
                            }
                            let more = if end < o.len() { "…" } else { "" };
                            format!(" ({}{more})", sanitize(&o[..end]))
                        })
                        .unwrap_or_default()
                ),
            },
        }
    }
}

/// Our actions a server is still to answer, sent in batches that share a
/// due time. Due times only grow (a fixed timeout after each send), so the
/// earliest is the oldest batch with an answer missing: found at once, where
/// a walk over every unanswered ID, once a message, made a push of a
/// million actions quadratic.
///
/// A server answers in the order it was sent to, so the awaited IDs wait in
/// that order and an answer is first compared with the oldest: a push of a
/// million actions spent a tenth of its time looking each answer up in a
/// table too big for the cache. The first answer that is not the oldest
/// puts every awaited ID in a table, which serves from then on.
#[derive(Debug, Default)]
struct Unanswered {
    /// The awaited IDs in the order sent, a batch at a time, while answers
    /// have come in that order.
    in_order: VecDeque<SentIds>,
    /// Each awaited ID's batch number, once an answer came out of order.
    batch_of: Option<HashMap<String, u64>>,
    /// From the oldest batch with an answer missing: its due time and how
    /// many answers it lacks. Batch numbers count up from `first`.
    batches: VecDeque<(Instant, usize)>,
    first: u64,
}

/// The IDs of one batch still awaited in the order sent, in one text: a
/// push's million awaited IDs were a million strings.
#[derive(Debug)]
struct SentIds {
    number: u64,
    text: String,
    /// Where each ID ends in `text`.
    ends: Vec<u32>,
    /// How many are answered: the oldest awaited is the next.
    answered: usize,
}

impl SentIds {
    fn get(&self, index: usize) -> &str {
        let start = index
            .checked_sub(1)
            .map_or(0, |before| self.ends[before] as usize);
        &self.text[start..self.ends[index] as usize]
    }

    fn oldest(&self) -> Option<&str> {
        (self.answered < self.ends.len()).then(|| self.get(self.answered))
    }

    fn awaited(&self) -> impl Iterator<Item = &str> {
        (self.answered..self.ends.len()).map(|index| self.get(index))
    }
}

impl Unanswered {
    /// Waits for answers to `ids`, due at `due`. An ID awaited already (a
    /// link sends each of its log's entries once, so none is) would wait
    /// for an answer each time.
    fn expect<I: AsRef<str>>(&mut self, ids: impl IntoIterator<Item = I>, due: Instant) {
        let number = self.first + self.batches.len() as u64;
        self.batches.push_back((due, 0));
        let mut sent = SentIds {
            number,
            text: String::new(),
            ends: Vec::new(),
            answered: 0,
        };
        for id in ids {
            let id = id.as_ref();
            if let Some(batch) = self.batches.back_mut() {
                batch.1 += 1;
            }
            match &mut self.batch_of {
                Some(batch_of) => {
                    // Sent again: it waits in its new batch only.
                    if let Some(old) = batch_of.insert(id.to_owned(), number)
                        && let Some(batch) = self.batches.get_mut((old - self.first) as usize)
                    {
                        batch.1 -= 1;
                    }
                }
                None => {
                    sent.text.push_str(id);
                    let end = u32::try_from(sent.text.len()).expect("a batch is under 4 GiB");
                    sent.ends.push(end);
                }
            }
        }
        if !sent.ends.is_empty() {
            self.in_order.push_back(sent);
        }
        self.drop_answered();
    }

    /// Takes note of the answer to `id`; `false` if none was awaited.
    fn answer(&mut self, id: &str) -> bool {
        let number = match &mut self.batch_of {
            None => match self.in_order.front_mut() {
                None => None,
                Some(oldest) if oldest.oldest() == Some(id) => {
                    oldest.answered += 1;
                    let number = oldest.number;
                    if oldest.oldest().is_none() {
                        self.in_order.pop_front();
                    }
                    Some(number)
                }
                Some(_) => {
                    let mut batch_of = HashMap::new();
                    for sent in self.in_order.drain(..) {
                        for awaited in sent.awaited() {
                            batch_of.insert(awaited.to_owned(), sent.number);
                        }
                    }
                    self.batch_of.insert(batch_of).remove(id)
                }
            },
            Some(batch_of) => batch_of.remove(id),
        };
        let Some(number) = number else {
            return false;
        };
        if let Some(batch) = self.batches.get_mut((number - self.first) as usize) {
            batch.1 -= 1;
        }
        self.drop_answered();
        true
    }

    fn drop_answered(&mut self) {
        while self
            .batches
            .front()
            .is_some_and(|&(_, missing)| missing == 0)
        {
            self.batches.pop_front();
            self.first += 1;
        }
    }

    /// When the oldest missing answer is due.
    fn earliest_due(&self) -> Option<Instant> {
        self.batches.front().map(|&(due, _)| due)
    }

    fn is_empty(&self) -> bool {
        self.in_order.is_empty() && self.batch_of.as_ref().is_none_or(HashMap::is_empty)
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::Unanswered;

    fn ids(names: &[&str]) -> Vec<String> {
        names.iter().map(|&n| n.to_owned()).collect()
    }

    #[test]
    fn the_earliest_due_is_the_oldest_batch_with_an_answer_missing() {
        let start = Instant::now();
        let (first, second) = (start, start + Duration::from_secs(1));
        let mut unanswered = Unanswered::default();
        assert_eq!(unanswered.earliest_due(), None);
        unanswered.expect(ids(&["a", "b"]), first);
        unanswered.expect(ids(&["c"]), second);
        assert!(!unanswered.answer("x"));
        assert!(unanswered.answer("a"));
        assert_eq!(unanswered.earliest_due(), Some(first));
        assert!(unanswered.answer("b"));
        assert!(!unanswered.answer("b"));
        assert_eq!(unanswered.earliest_due(), Some(second));
        assert!(!unanswered.is_empty());
        assert!(unanswered.answer("c"));
        assert_eq!(unanswered.earliest_due(), None);
        assert!(unanswered.is_empty());
    }

    #[test]
    fn an_id_sent_again_once_answers_are_out_of_order_waits_in_its_new_batch() {
        let start = Instant::now();
        let later = start + Duration::from_secs(1);
        let mut unanswered = Unanswered::default();
        unanswered.expect(ids(&["a", "c"]), start);
        unanswered.expect(ids(&["b"]), later);
        assert!(unanswered.answer("c"));
        unanswered.expect(ids(&["a"]), later);
        assert_eq!(unanswered.earliest_due(), Some(later));
        assert!(unanswered.answer("b"));
        assert!(unanswered.answer("a"));
        assert!(unanswered.is_empty());
        assert_eq!(unanswered.earliest_due(), None);
    }

    /// What the answers did before they were taken in order: every awaited
    /// ID in a table.
    #[derive(Default)]
    struct Model {
        batch_of: std::collections::HashMap<String, u64>,
        batches: Vec<(Instant, usize)>,
    }

    impl Model {
        fn expect(&mut self, ids: Vec<String>, due: Instant) {
            let number = self.batches.len() as u64;
            self.batches.push((due, ids.len()));
            for id in ids {
                self.batch_of.insert(id, number);
            }
        }

        fn answer(&mut self, id: &str) -> bool {
            let Some(number) = self.batch_of.remove(id) else {
                return false;
            };
            self.batches[number as usize].1 -= 1;
            true
        }

        fn earliest_due(&self) -> Option<Instant> {
            self.batches.iter().find(|b| b.1 > 0).map(|b| b.0)
        }
    }

    proptest::proptest! {
        #[test]
        fn answers_in_any_order_are_taken_as_a_table_takes_them(
            steps in proptest::collection::vec((0u8..4, 0usize..40), 1..60)
        ) {
            // Each step sends a batch of new IDs or answers one, chosen
            // among those sent (answered or not) and some never sent.
            let start = Instant::now();
            let (mut unanswered, mut model) = (Unanswered::default(), Model::default());
            let mut sent = 0usize;
            for (i, (kind, pick)) in steps.into_iter().enumerate() {
                if kind == 0 {
                    let batch: Vec<String> = (sent..sent + pick % 4).map(|n| n.to_string()).collect();
                    sent += batch.len();
                    let due = start + Duration::from_millis(i as u64);
                    unanswered.expect(batch.clone(), due);
                    model.expect(batch, due);
                } else {
                    // Mostly the oldest unanswered, as a server answers.
                    let id = if kind < 3 {
                        (0..sent).map(|n| n.to_string()).find(|id| model.batch_of.contains_key(id))
                            .unwrap_or_else(|| "x".into())
                    } else {
                        pick.to_string()
                    };
                    proptest::prop_assert_eq!(unanswered.answer(&id), model.answer(&id), "{}", id);
                }
                proptest::prop_assert_eq!(unanswered.earliest_due(), model.earliest_due());
                proptest::prop_assert_eq!(unanswered.is_empty(), model.batch_of.is_empty());
            }
        }
    }
}
