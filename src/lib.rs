//! actionlog: Logux action logs kept as JSON lines.
//!
//! The library holds the whole domain, with the semantics of `@logux/core`
//! 0.10: action IDs and `parseId` ([`id`]), the `isFirstOlder` order
//! ([`order`]), meta ([`meta`]), entries ([`entry`]), the log with its two
//! orders, indexes and operations ([`log`]), the events those operations
//! report ([`event`]) and the JSON-lines file ([`store`]). It knows nothing of
//! the command line, colours or terminals.

#![deny(unsafe_code)]

pub mod archive;
pub mod check;
pub mod entry;
pub mod error;
pub mod event;
pub mod id;
pub mod json;
pub mod log;
pub mod merge;
pub mod meta;
pub mod order;
pub mod protocol;
pub mod query;
pub mod rules;
pub mod stats;
pub mod store;
mod sys;
pub mod text;

pub use entry::Entry;
pub use error::{Error, Result};
pub use event::{Event, EventKind};
pub use id::IdGenerator;
pub use log::{Criteria, Log, Order};
pub use meta::MetaText;
pub use order::{OrderKey, Place, is_first_older};
