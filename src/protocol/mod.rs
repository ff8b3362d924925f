//! The Logux protocol, version 5, as `@logux/core` 0.10 speaks it: the
//! messages ([`message`]) and one connection's handshake, time fix,
//! compressed IDs and `lastSynced` bookkeeping ([`connection`]). No
//! sockets: the command line carries the text over WebSocket.

pub mod connection;
pub mod message;

pub use connection::{
    Connection, Event as ConnectionEvent, IncomingMeta, Outgoing, Role, Settings,
};
pub use message::{Message, PROTOCOL, Refused};
