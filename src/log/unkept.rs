//! An add that nothing keeps, reported without building its meta twice.
//!
//! A client that keeps no reasons gets a `logux/processed` for each of its
//! actions a server took: a push of a million entries has a million of
//! them, each reported added and cleaned and never stored. The general add
//! builds the meta's members, writes them out, completes the text and reads
//! it back to learn it has no reasons. Here the meta, whose keys are known,
//! is written once, straight into the events' text.

use super::{Log, checked_action};
use crate::entry::check_fits;
use crate::error::Result;
use crate::event::{Event, EventKind};
use crate::id::{IdGenerator, parse_action_id};
use crate::json;
use crate::meta::is_subprotocol;

impl Log {
    /// [`Log::add`] of `action` with the meta `{"id": id, "time": time}`,
    /// and `"subprotocol"` (its JSON text) when it has one: a meta with no
    /// reasons, so the action is reported added and cleaned (unless the
    /// log has its ID) and not stored. The same events, log and generator
    /// as `add` with that meta, events going to the end of `events`.
    ///
    /// `Ok(false)`, having done nothing, when that meta is not one an add
    /// takes (a time that is not finite, a subprotocol that is neither a
    /// number nor a string): [`Log::add`] then says what is wrong.
    pub(crate) fn add_unkept(
        &mut self,
        action: &str,
        id: &str,
        time: f64,
        subprotocol: Option<&str>,
        ids: &mut IdGenerator,
        events: &mut Vec<Event>,
    ) -> Result<bool> {
        let plain_subprotocol = |value: &str| {
            is_subprotocol(value)
                && json::whole(value.as_bytes()).is_ok_and(|s| s == (0..value.len()))
        };
        if !time.is_finite() || subprotocol.is_some_and(|value| !plain_subprotocol(value)) {
            return Ok(false);
        }
        let action = checked_action(action)?;
        let parts = parse_action_id(id)?;
        if parts.node(id) == ids.node() {
            ids.observe(parts.ms, parts.counter);
        }
        if self.contains(id) {
            return Ok(true);
        }
        // The text `MetaText::to_json` writes for these members, then the
        // empty reasons `PreparedMeta::complete` appends.
        let mut meta = std::mem::take(&mut self.scratch);
        meta.clear();
        meta.push_str("{\"id\":");
        json::write_string(&mut meta, id);
        meta.push_str(",\"time\":");
        json::write_number(&mut meta, time);
        if let Some(value) = subprotocol {
            meta.push_str(",\"subprotocol\":");
            meta.push_str(value);
        }
        meta.push_str(",\"reasons\":[]}");
        let fits = check_fits(action.len() + meta.len() + 1);
        if fits.is_ok() {
            let added = Event::new(EventKind::Add, action, &meta);
            let cleaned = added.with_kind(EventKind::Clean);
            events.extend([added, cleaned]);
        }
        self.scratch = meta;
        fits?;
        Ok(true)
    }
}
