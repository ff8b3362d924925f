//! The network under the Logux protocol: WebSocket text frames over TCP,
//! with TLS for `wss://`. The messages themselves are the library's
//! ([`actionlog::protocol`]); this only carries their text, with a deadline
//! on every wait so that pings, timeouts and signals are seen to.

pub mod tls;

use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::ServerName;
use tungstenite::protocol::WebSocketConfig;
use tungstenite::{Message as Frame, WebSocket};

use super::exit::UsageError;
use super::terminal::sanitize;

/// The most a message from a peer may hold. Logux sends one action per
/// message when live; a catch-up after a long time away is one message
/// with every action since, so this is generous.
pub const MAX_MESSAGE_BYTES: usize = 64 << 20;

/// Where a Logux server listens: `ws://HOST[:PORT][/PATH]` or `wss://…`.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// The URL as given, for the handshake.
    url: String,
    /// The URL made safe to print: every message about the peer names it.
    pub name: String,
    secure: bool,
    host: String,
    port: u16,
}

impl Endpoint {
    /// Whether it is `wss://`.
    pub fn is_secure(&self) -> bool {
        self.secure
    }

    pub fn parse(url: &str) -> Result<Endpoint, UsageError> {
        let name = sanitize(url);
        let wrong = |why: &str| UsageError(format!("URL {name}: {why}"));
        let uri: tungstenite::http::Uri = url
            .parse()
            .map_err(|_| wrong("not a URL; give ws://HOST[:PORT][/PATH] or wss://…"))?;
        let secure = match uri.scheme_str() {
            Some("ws") => false,
            Some("wss") => true,
            _ => return Err(wrong("a Logux server's URL starts with ws:// or wss://")),
        };
        let host = uri
            .host()
            .filter(|host| !host.is_empty())
            .ok_or_else(|| wrong("it names no host"))?;
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let port = uri.port_u16().unwrap_or(if secure { 443 } else { 80 });
        Ok(Endpoint {
            url: url.to_owned(),
            name,
            secure,
            host,
            port,
        })
    }
}

/// Why talking to a peer failed. Each kind has its own exit status.
#[derive(Debug, thiserror::Error)]
pub enum NetError {
    /// No connection could be made: the name does not resolve, nothing
    /// listens, TLS or the WebSocket handshake failed.
    #[error("cannot connect to {peer}: {reason}")]
    Unreachable { peer: String, reason: String },
    /// The connection ended before the work was done.
    #[error("{peer} closed the connection{}", reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default())]
    Dropped {
        peer: String,
        reason: Option<String>,
    },
    /// The peer did not answer in time.
    #[error("{peer} did not answer within {ms} ms (timeout)")]
    Timeout { peer: String, ms: u64 },
    /// The peer refused the token (`wrong-credentials`).
    #[error("{peer} refused the credentials (wrong-credentials){hint}")]
    Credentials { peer: String, hint: String },
    /// The peer speaks another protocol or application subprotocol
    /// (`wrong-protocol`, `wrong-subprotocol`).
    #[error("{peer} {what}")]
    Version { peer: String, what: String },
    /// The peer broke the protocol, or said it was broken.
    #[error("{peer}: {what}")]
    Protocol { peer: String, what: String },
}

/// The stream under the WebSocket, and the moment by which the handshake
/// must be done: a peer that sends its handshake a byte at a time gets no
/// more than that in all.
struct Stream {
    transport: Transport,
    deadline: Option<std::time::Instant>,
}

enum Transport {
    Plain(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, TcpStream>>),
}

impl Stream {
    fn new(transport: Transport, timeout: Duration) -> Stream {
        Stream {
            transport,
            deadline: Some(std::time::Instant::now() + timeout),
        }
    }

    fn tcp(&self) -> &TcpStream {
        match &self.transport {
            Transport::Plain(tcp) => tcp,
            Transport::Tls(tls) => &tls.sock,
        }
    }

    /// Within the handshake, bounds the next read or write by what is left
    /// of its time.
    fn within_deadline(&self) -> io::Result<()> {
        let Some(deadline) = self.deadline else {
            return Ok(());
        };
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the handshake took too long",
            ));
        }
        self.tcp().set_read_timeout(Some(left))?;
        self.tcp().set_write_timeout(Some(left))
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.within_deadline()?;
        match &mut self.transport {
            Transport::Plain(tcp) => tcp.read(buf),
            Transport::Tls(tls) => tls.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.within_deadline()?;
        match &mut self.transport {
            Transport::Plain(tcp) => tcp.write(buf),
            Transport::Tls(tls) => tls.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.transport {
            Transport::Plain(tcp) => tcp.flush(),
            Transport::Tls(tls) => tls.flush(),
        }
    }
}

/// What a wait on the socket brought.
#[derive(Debug)]
pub enum Received {
    /// A message's text, as the frame brought it (not copied).
    Text(tungstenite::Utf8Bytes),
    /// Nothing within the wait.
    Nothing,
}

/// An open WebSocket to a peer.
pub struct Socket {
    ws: WebSocket<Stream>,
    peer: String,
    /// Some of what was sent is not written yet.
    pending: bool,
    last_flush: std::time::Instant,
}

/// Why a handshake that went on past its deadline failed.
const TOO_LONG: &str = "the WebSocket handshake took too long";

/// How long one write may wait for the peer before what is left is
/// queued, so that this node goes on reading.
const WRITE_SLICE: Duration = Duration::from_millis(2);

/// How often what waits to be written is tried again while messages come.
const FLUSH_EVERY: Duration = Duration::from_millis(10);

fn would_block(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

fn ws_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .max_message_size(Some(MAX_MESSAGE_BYTES))
        .max_frame_size(Some(MAX_MESSAGE_BYTES))
        // Frames are written out by `Socket::flush` only, when the peer
        // takes them: never while a message waits to be queued.
        .write_buffer_size(usize::MAX / 2)
}

impl Socket {
    /// Connects to `endpoint`, within `timeout` for each step.
    pub fn connect(
        endpoint: &Endpoint,
        tls: Option<&Arc<rustls::ClientConfig>>,
        timeout: Duration,
    ) -> Result<Socket, NetError> {
        let peer = endpoint.name.clone();
        let unreachable = |reason: String| NetError::Unreachable {
            peer: peer.clone(),
            reason: sanitize(&reason),
        };
        let addresses: Vec<_> = (endpoint.host.as_str(), endpoint.port)
            .to_socket_addrs()
            .map_err(|e| unreachable(format!("cannot resolve {}: {e}", endpoint.host)))?
            .collect();
        let mut last = None;
        let mut tcp = None;
        for address in addresses {
            match TcpStream::connect_timeout(&address, timeout) {
                Ok(stream) => {
                    tcp = Some(stream);
                    break;
                }
                Err(e) => last = Some(e),
            }
        }
        let tcp = tcp.ok_or_else(|| {
            unreachable(last.map_or_else(
                || format!("{} has no address", endpoint.host),
                |e| e.to_string(),
            ))
        })?;
        tcp.set_nodelay(true).ok();
        tcp.set_read_timeout(Some(timeout)).ok();
        tcp.set_write_timeout(Some(timeout)).ok();
        let stream = if endpoint.secure {
            let config = tls.ok_or_else(|| unreachable("TLS is not set up".into()))?;
            let name = ServerName::try_from(endpoint.host.clone())
                .map_err(|e| unreachable(format!("{}: {e}", endpoint.host)))?;
            let connection = rustls::ClientConnection::new(Arc::clone(config), name)
                .map_err(|e| unreachable(e.to_string()))?;
            Stream::new(
                Transport::Tls(Box::new(rustls::StreamOwned::new(connection, tcp))),
                timeout,
            )
        } else {
            Stream::new(Transport::Plain(tcp), timeout)
        };
        let (ws, _) = tungstenite::client::client_with_config(
            endpoint.url.as_str(),
            stream,
            Some(ws_config()),
        )
        .map_err(|e| match e {
            tungstenite::HandshakeError::Failure(e) => {
                let mut reason = describe(&e);
                if reason.contains("certificate") {
                    reason.push_str(" (for a server of a private CA, give --ca FILE)");
                }
                unreachable(reason)
            }
            tungstenite::HandshakeError::Interrupted(_) => unreachable(TOO_LONG.into()),
        })?;
        Ok(Socket::opened(ws, peer))
    }

    /// The socket once its handshake is done: no deadline from now on but
    /// each wait's own.
    fn opened(mut ws: WebSocket<Stream>, peer: String) -> Socket {
        ws.get_mut().deadline = None;
        Socket {
            ws,
            peer,
            pending: false,
            last_flush: std::time::Instant::now(),
        }
    }

    /// Takes a connection a client opened: the WebSocket handshake, within
    /// `timeout`, on any path (as Logux's server takes it).
    pub fn accept(tcp: TcpStream, timeout: Duration) -> Result<Socket, NetError> {
        let peer = tcp
            .peer_addr()
            .map_or_else(|_| "a client".to_owned(), |a| a.to_string());
        tcp.set_nodelay(true).ok();
        tcp.set_read_timeout(Some(timeout)).ok();
        tcp.set_write_timeout(Some(timeout)).ok();
        let stream = Stream::new(Transport::Plain(tcp), timeout);
        let ws = tungstenite::accept_with_config(stream, Some(ws_config())).map_err(|e| {
            NetError::Unreachable {
                peer: peer.clone(),
                reason: match e {
                    tungstenite::HandshakeError::Failure(e) => sanitize(&describe(&e)),
                    tungstenite::HandshakeError::Interrupted(_) => TOO_LONG.into(),
                },
            }
        })?;
        Ok(Socket::opened(ws, peer))
    }

    /// Answers a message that could not be read (too big, not text) with
    /// the protocol's `wrong-format`, as any message that is not one.
    pub fn refuse(&mut self, why: &NetError) {
        let answer = actionlog::protocol::Refused::WrongFormat(why.to_string()).answer();
        let _ = self.send(answer.to_text());
    }

    /// Sends one message's text, or queues what the peer is not reading
    /// yet: a write never waits for the peer, which may be writing to
    /// this node at the same time (see [`Socket::flush`]).
    pub fn send(&mut self, text: String) -> Result<(), NetError> {
        match self.ws.write(Frame::text(text)) {
            Ok(()) => {}
            Err(tungstenite::Error::Io(e)) if would_block(&e) => {}
            Err(e) => return Err(self.failed(&e)),
        }
        // Behind what the peer has not taken yet, it waits its turn.
        if self.pending {
            return Ok(());
        }
        self.flush().map(|_| ())
    }

    /// Writes what is queued, as far as the peer takes it now; whether all
    /// of it went.
    pub fn flush(&mut self) -> Result<bool, NetError> {
        self.last_flush = std::time::Instant::now();
        self.ws
            .get_ref()
            .tcp()
            .set_write_timeout(Some(WRITE_SLICE))
            .ok();
        match self.ws.flush() {
            Ok(()) => {
                self.pending = false;
                Ok(true)
            }
            Err(tungstenite::Error::Io(e)) if would_block(&e) => {
                self.pending = true;
                Ok(false)
            }
            Err(e) => Err(self.failed(&e)),
        }
    }

    /// Whether some of what was sent waits for the peer to read it.
    pub fn is_pending(&self) -> bool {
        self.pending
    }

    /// Waits up to `wait` for a message.
    pub fn receive(&mut self, wait: Duration) -> Result<Received, NetError> {
        // What waits to be written goes first, as far as it can: the
        // peer may be waiting for it before it writes anything more.
        // Not before each message read, though: a peer that writes many
        // small messages must be read at its pace.
        if self.pending && self.last_flush.elapsed() >= FLUSH_EVERY {
            self.flush()?;
        }
        // While some waits to be written, look only briefly for what comes,
        // and come back to writing.
        let wait = if self.pending {
            Duration::from_millis(1)
        } else {
            // A zero timeout would mean no timeout at all.
            wait.max(Duration::from_millis(1))
        };
        self.ws.get_ref().tcp().set_read_timeout(Some(wait)).ok();
        loop {
            return match self.ws.read() {
                Ok(Frame::Text(text)) => Ok(Received::Text(text)),
                // Node's `ws` hands a binary frame to JSON.parse as text.
                Ok(Frame::Binary(bytes)) => match tungstenite::Utf8Bytes::try_from(bytes) {
                    Ok(text) => Ok(Received::Text(text)),
                    Err(_) => Err(NetError::Protocol {
                        peer: self.peer.clone(),
                        what: "sent a binary frame that is not UTF-8 text".into(),
                    }),
                },
                Ok(Frame::Close(_)) => Err(NetError::Dropped {
                    peer: self.peer.clone(),
                    reason: None,
                }),
                Ok(Frame::Ping(_) | Frame::Pong(_) | Frame::Frame(_)) => continue,
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    Ok(Received::Nothing)
                }
                Err(tungstenite::Error::Io(e)) if e.kind() == io::ErrorKind::Interrupted => {
                    Ok(Received::Nothing)
                }
                Err(e) => Err(self.failed(&e)),
            };
        }
    }

    /// Closes the connection, as Logux does: a close frame, no code.
    pub fn close(&mut self) {
        self.ws.close(None).ok();
        // Sends what the close queued; the peer's answer is not waited for.
        self.ws.flush().ok();
    }

    fn failed(&self, error: &tungstenite::Error) -> NetError {
        match error {
            tungstenite::Error::Capacity(e) => NetError::Protocol {
                peer: self.peer.clone(),
                what: format!("sent a message over the limit of {MAX_MESSAGE_BYTES} bytes ({e})"),
            },
            tungstenite::Error::Io(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                NetError::Dropped {
                    peer: self.peer.clone(),
                    reason: Some("it stopped reading what was sent".into()),
                }
            }
            tungstenite::Error::Io(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::BrokenPipe
                        | io::ErrorKind::ConnectionReset
                        | io::ErrorKind::ConnectionAborted
                        | io::ErrorKind::UnexpectedEof
                ) =>
            {
                NetError::Dropped {
                    peer: self.peer.clone(),
                    reason: None,
                }
            }
            tungstenite::Error::ConnectionClosed
            | tungstenite::Error::AlreadyClosed
            | tungstenite::Error::Protocol(
                tungstenite::error::ProtocolError::ResetWithoutClosingHandshake,
            ) => NetError::Dropped {
                peer: self.peer.clone(),
                reason: None,
            },
            other => NetError::Dropped {
                peer: self.peer.clone(),
                reason: Some(sanitize(&describe(other))),
            },
        }
    }
}

/// A WebSocket error in words a user can act on.
fn describe(error: &tungstenite::Error) -> String {
    match error {
        tungstenite::Error::Http(response) => format!(
            "the server answered HTTP {} instead of a WebSocket",
            response.status()
        ),
        tungstenite::Error::Io(e) => e.to_string(),
        other => other.to_string(),
    }
}
