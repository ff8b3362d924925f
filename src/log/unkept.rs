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
use crate::event::AddedAndCleaned;
use crate::id::{IdGenerator, parse_action_id};
use crate::json;
use crate::meta::{is_subprotocol, write_travelled};

/// Received IDs looked up before the log's nodes are gathered, at least;
/// and at least an eighth of the log's entries, so that gathering them
/// costs little beside the lookups it saves.
const NODES_AFTER_LOOKUPS: usize = 1024;

/// What an add that nothing keeps ([`crate::merge::report_unkept`]) did
/// with an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unkept {
    /// Reported added and cleaned.
    Reported,
    /// Nothing: the log has its ID, so the add is ignored.
    InLog,
    /// Nothing: its meta is not one an add takes, which the general add
    /// must say.
    NeedsAdd,
}

impl Log {
    /// Whether the log may have an ID of `node`: not if no entry is of it. A push gets an answer of the server's node for each action,
    /// none of which is in the log. After enough lookups the log's nodes
    /// are gathered once and kept up to date (see `Log::nodes`).
    fn may_have_received(&mut self, node: &str) -> bool {
        if self.nodes.is_none() {
            self.received_lookups += 1;
            if self.received_lookups < NODES_AFTER_LOOKUPS.max(self.len() / 8) {
                return true;
            }
            let mut nodes = hashbrown::HashSet::new();
            for entry in self.slots.iter().flatten() {
                if !nodes.contains(entry.node()) {
                    nodes.insert(Box::<str>::from(entry.node()));
                }
            }
            self.nodes = Some(nodes);
        }
        self.nodes.as_ref().is_none_or(|nodes| nodes.contains(node))
    }

    /// [`Log::add`] of `action` with the meta `{"id": id, "time": time}`,
    /// and `"subprotocol"` (its JSON text) when it has one: a meta with no
    /// reasons, so the action is reported added and cleaned (unless the
    /// log has its ID) and not stored. The same events, log and generator
    /// as `add` with that meta, the events given to `events`.
    ///
    /// [`Unkept::NeedsAdd`], having done nothing, when that meta is not one
    /// an add takes (a time that is not finite, a subprotocol that is
    /// neither a number nor a string): [`Log::add`] then says what is wrong.
    pub(crate) fn add_unkept(
        &mut self,
        action: &str,
        id: &str,
        time: f64,
        subprotocol: Option<&str>,
        ids: &mut IdGenerator,
        events: &mut (impl AddedAndCleaned + ?Sized),
    ) -> Result<Unkept> {
        let plain_subprotocol = |value: &str| {
            is_subprotocol(value)
                && json::whole(value.as_bytes()).is_ok_and(|s| s == (0..value.len()))
        };
        if !time.is_finite() || subprotocol.is_some_and(|value| !plain_subprotocol(value)) {
            return Ok(Unkept::NeedsAdd);
        }
        let action = checked_action(action)?;
        let parts = parse_action_id(id)?;
        if parts.node(id) == ids.node() {
            ids.observe(parts.ms, parts.counter);
        }
        if self.may_have_received(parts.node(id)) && self.contains(id) {
            return Ok(Unkept::InLog);
        }
        // The text `MetaText::to_json` writes for these members, then the
        // empty reasons `PreparedMeta::complete` appends.
        let mut meta = std::mem::take(&mut self.scratch);
        meta.clear();
        write_travelled(&mut meta, id, time, subprotocol);
        meta.push_str(",\"reasons\":[]}");
        let fits = check_fits(action.len() + meta.len() + 1);
        if fits.is_ok() {
            events.added_and_cleaned(action, &meta);
        }
        self.scratch = meta;
        fits?;
        Ok(Unkept::Reported)
    }
}

#[cfg(test)]
mod tests {
    use crate::id::IdGenerator;
    use crate::log::Log;
    use crate::meta::MetaText;

    fn kept(log: &mut Log, ids: &mut IdGenerator, id: &str) {
        let mut meta = MetaText::default();
        meta.set_string("id", id);
        meta.set_strings("reasons", ["r"]);
        log.add(r#"{"type":"kept"}"#, meta, ids, 0).unwrap();
    }

    /// How many events an answer with `id` gets: 2 when the log lacks it.
    fn reported(log: &mut Log, ids: &mut IdGenerator, id: &str) -> usize {
        let mut events = Vec::new();
        let taken = log
            .add_unkept(r#"{"type":"answer"}"#, id, 1.0, None, ids, &mut events)
            .unwrap();
        assert_ne!(taken, super::Unkept::NeedsAdd);
        events.len()
    }

    #[test]
    fn the_log_s_nodes_answer_for_its_ids_once_gathered_and_after_inserts() {
        let mut log = Log::new();
        let mut ids = IdGenerator::new("gen").unwrap();
        kept(&mut log, &mut ids, "1 a 0");
        kept(&mut log, &mut ids, "1 b 0");
        // Enough answers of a node the log lacks to gather its nodes.
        for n in 0..2 * super::NODES_AFTER_LOOKUPS {
            assert_eq!(reported(&mut log, &mut ids, &format!("{n} server 0")), 2);
        }
        assert!(log.nodes.is_some());
        // IDs the log has, of the nodes gathered and of one added after.
        assert_eq!(reported(&mut log, &mut ids, "1 a 0"), 0);
        assert_eq!(reported(&mut log, &mut ids, "1 b 0"), 0);
        assert_eq!(reported(&mut log, &mut ids, "2 a 0"), 2);
        kept(&mut log, &mut ids, "5 c 0");
        assert_eq!(reported(&mut log, &mut ids, "5 c 0"), 0);
        assert!(log.verify().is_ok());
    }
}
