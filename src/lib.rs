//! actionlog: Logux action logs kept as JSON lines.
//!
//! The library holds the whole domain, with the semantics of `@logux/core`
//! 0.10: action IDs and `parseId` ([`id`]), the `isFirstOlder` order
//! ([`order`]), meta ([`meta`]), entries ([`entry`]), the log with its two
//! orders, indexes and operations ([`log`]), the events those operations
//! report ([`event`]), the JSON-lines file ([`store`]), queries over entries
//! ([`query`]), merging logs ([`merge`]) and the Logux protocol without
//! sockets ([`protocol`]). It knows nothing of the command line, colours or
//! terminals, and builds without them (`default-features = false`).
//!
//! The types most programs need are re-exported here.
//!
//! ```
//! use actionlog::{Access, Criteria, EventKind, IdGenerator, Location, LogFile, MetaText, Order};
//!
//! # fn main() -> actionlog::Result<()> {
//! # let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("log.jsonl");
//!
//! // Two actions kept for the reason `user/1`, added and written to the file.
//! let mut file = LogFile::open(Location::File(path.clone()), Access::Write)?;
//! let mut ids = IdGenerator::new("1:client")?;
//! let meta = MetaText::parse(r#"{"reasons":["user/1"]}"#)?;
//! let now = 1_700_000_000_000;
//! let rename = r#"{"type":"user/rename","name":"Ann"}"#;
//! file.log_mut().add(rename, meta, &mut ids, now)?;
//! let older = r#"{"type":"user/rename","name":"Bo"}"#;
//! let older_meta = MetaText::parse(r#"{"reasons":["user/1"],"time":1600000000000}"#)?;
//! file.log_mut().add(older, older_meta, &mut ids, now)?;
//! file.save()?;
//! drop(file);
//!
//! // Opened again (to write: the last step changes it), created order puts
//! // the action with the older `time` first.
//! let mut file = LogFile::open(Location::File(path), Access::Write)?;
//! let names: Vec<String> = file
//!     .log()
//!     .entries(Order::Created, None)
//!     .map(|entry| entry.action().to_string())
//!     .collect();
//! assert_eq!(names, [older, rename]);
//! let first_added = file.log().entries(Order::Added, None).next().unwrap();
//! assert_eq!(first_added.id(), "1700000000000 1:client 0");
//!
//! // Taking the reason away cleans both entries out of the log.
//! let events = file.log_mut().remove_reason("user/1", &Criteria::default())?;
//! assert_eq!(events.len(), 2);
//! assert!(events.iter().all(|event| event.kind == EventKind::Clean));
//! assert!(file.log().is_empty());
//! file.save()?;
//! # Ok(())
//! # }
//! ```

#![deny(unsafe_code)]
#![warn(missing_docs, unreachable_pub)]

pub mod archive;
pub mod check;
pub mod entry;
pub mod error;
pub mod event;
pub mod id;
// The JSON scanner logs are read with: public because the `actionlog`
// binary shares it, hidden because it is no part of the API and may change
// in any release. Its one type in the API, the syntax error, is
// `error::SyntaxError`.
#[doc(hidden)]
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
pub use query::Query;
pub use store::{Access, Location, LogFile, OpenOptions};
