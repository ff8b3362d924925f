//! Bringing another node's entries into this log, as Logux sync would: each
//! action once, with only the meta keys that travel between nodes.

use crate::error::Result;
use crate::event::{AddedAndCleaned, Event};
use crate::id::IdGenerator;
use crate::log::{Log, Order, PreparedMeta, Unkept};
use crate::meta::MetaText;
use crate::protocol::IncomingMeta;
use crate::rules::Rules;

mod lines;
pub use lines::{Incoming, MergeLines};

/// The meta keys that go from one node to another with an action; the
/// others (`added`, `reasons`, `indexes`, …) belong to the log they are in.
pub(crate) const SYNCED_KEYS: [&str; 3] = ["id", "time", "subprotocol"];

/// How entries from another log are added to this one.
#[derive(Debug, Clone, Default)]
pub struct MergeOptions {
    /// Added to every incoming `time`: the difference between the two
    /// nodes' clocks, as a Logux connection applies it on receipt.
    pub time_fix: f64,
    /// Reasons every incoming entry gets. Without any, incoming actions are
    /// reported added and cleaned, as `add` does.
    pub reasons: Vec<String>,
    /// Applied to every incoming action, as to an added one.
    pub rules: Option<Rules>,
}

/// The meta an entry of another log arrives with: its synchronised keys,
/// `time` moved by `time_fix`.
pub fn incoming_meta(meta: &MetaText, time_fix: f64) -> MetaText {
    let mut incoming = MetaText::default();
    for key in SYNCED_KEYS {
        let Some(raw) = meta.get(key) else { continue };
        if key == "time" && time_fix != 0.0 {
            let time = raw.parse::<f64>().unwrap_or(0.0) + time_fix;
            incoming.set_raw(key, crate::json::number(time));
        } else {
            incoming.set_raw(key, raw.to_owned());
        }
    }
    incoming
}

/// Adds the entries of `other`, in the order `other` added them, to `log`.
/// An ID already in `log` is skipped. Returns the events, as `add` reports
/// them.
pub fn merge(
    log: &mut Log,
    other: &Log,
    options: &MergeOptions,
    ids: &mut IdGenerator,
    now: u64,
) -> Result<Vec<Event>> {
    let mut events = Vec::new();
    for entry in other.entries(Order::Added, None) {
        if log.contains(entry.id()) {
            continue;
        }
        let meta = MetaText::parse(&entry.meta())?;
        let meta = incoming_meta(&meta, options.time_fix);
        events.extend(add_incoming(log, &entry.action(), meta, options, ids, now)?);
    }
    Ok(events)
}

/// Adds one action that came from another node, its `meta` holding what
/// travelled: with the options' reasons (when there are any) and rules,
/// as an added action gets them. Returns the events.
pub fn add_incoming(
    log: &mut Log,
    action: &str,
    mut meta: MetaText,
    options: &MergeOptions,
    ids: &mut IdGenerator,
    now: u64,
) -> Result<Vec<Event>> {
    with_reasons(&mut meta, options);
    if let Some(rules) = &options.rules {
        rules.apply(action, &mut meta)?;
    }
    let mut events = log.add(action, meta, ids, now)?;
    if let Some(rules) = &options.rules {
        events.extend(rules.prune_history(log)?);
    }
    Ok(events)
}

/// Gives an incoming `meta` the options' reasons, if there are any.
fn with_reasons(meta: &mut MetaText, options: &MergeOptions) {
    if !options.reasons.is_empty() {
        meta.set_strings("reasons", options.reasons.iter().map(String::as_str));
    }
}

/// [`add_incoming`] of an action a connection received, its events put at
/// the end of `events`. One that neither the options nor its meta give a
/// reason (a server's `logux/processed` to a client that keeps none) is
/// reported without its meta being built and read again.
pub fn add_received(
    log: &mut Log,
    action: &str,
    meta: &IncomingMeta,
    options: &MergeOptions,
    ids: &mut IdGenerator,
    now: u64,
    events: &mut Vec<Event>,
) -> Result<()> {
    if options.rules.is_none() {
        if options.reasons.is_empty() {
            if report_unkept(log, action, meta, ids, events)? != Unkept::NeedsAdd {
                return Ok(());
            }
        } else if let Some(prepared) = kept_meta(meta, &options.reasons) {
            // The meta's text as `add_incoming` builds it, written at once.
            return log.add_prepared(action, &prepared, ids, now, events);
        }
    }
    events.extend(add_incoming(
        log,
        action,
        meta.to_meta(),
        options,
        ids,
        now,
    )?);
    Ok(())
}

/// The meta [`add_incoming`] gives a received action that `reasons` keep,
/// written as its text straight from what travelled (the ID, the time, a
/// subprotocol), not built member by member; `None` for one with other
/// keys, which takes the general way.
pub(crate) fn kept_meta(meta: &IncomingMeta, reasons: &[String]) -> Option<PreparedMeta> {
    let subprotocol = only_subprotocol(meta)?;
    let mut text = String::with_capacity(meta.id.len() + 64);
    crate::meta::write_travelled(&mut text, &meta.id, meta.time, subprotocol);
    text.push_str(",\"reasons\":");
    text.push_str(&crate::meta::string_array(
        reasons.iter().map(String::as_str),
    ));
    text.push('}');
    Some(PreparedMeta::written(text, meta.id.clone()))
}

/// The meta's subprotocol (`Some(None)` without one) when it has no other
/// key besides the ID and the time, as a connection gives it.
pub(crate) fn only_subprotocol(meta: &IncomingMeta) -> Option<Option<&str>> {
    match meta.other.as_slice() {
        [] => Some(None),
        [(key, value)] if key == "subprotocol" => Some(Some(value)),
        _ => None,
    }
}

/// [`add_received`] of an action under options without reasons or rules,
/// when it is one its meta gives no reason either: it is reported added
/// and cleaned to `events` (unless the log has its ID) and never stored.
/// [`Unkept::NeedsAdd`], having done nothing, for one that needs the
/// general add.
pub fn report_unkept(
    log: &mut Log,
    action: &str,
    meta: &IncomingMeta,
    ids: &mut IdGenerator,
    events: &mut (impl AddedAndCleaned + ?Sized),
) -> Result<Unkept> {
    let Some(subprotocol) = only_subprotocol(meta) else {
        return Ok(Unkept::NeedsAdd);
    };
    log.add_unkept(action, &meta.id, meta.time, subprotocol, ids, events)
}
