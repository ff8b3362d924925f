//! Events a change to the log reports, as `Log#on('add' | 'clean')` does.
//!
//! A bulk add reports a million events that wait until the log is saved, so
//! an event is kept small: one slice holding the action and the meta, most
//! often a slice of the entry's own line, with no text copied.

use std::borrow::Cow;
use std::fmt;

use crate::entry::Entry;
use crate::text::SharedStr;

/// What happened to an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EventKind {
    /// An entry was accepted, with its final meta.
    Add,
    /// An entry left the log, or was never stored for lack of reasons.
    Clean,
}

impl EventKind {
    /// The name `@logux/core` gives the event: `add` or `clean`.
    pub fn name(self) -> &'static str {
        match self {
            EventKind::Add => "add",
            EventKind::Clean => "clean",
        }
    }
}

/// One event: what happened, to which action, with which meta.
#[derive(Clone)]
pub struct Event {
    /// Whether the entry was added or cleaned.
    pub kind: EventKind,
    /// The action, then whatever separates it from the meta, then the meta.
    text: SharedStr,
    action_len: u32,
    meta_start: u32,
    /// Where in `text` a `reasons` value stands that the event shows as
    /// `[]` (an entry cleaned by taking its last reason), or `0..0`.
    emptied_reasons: (u32, u32),
}

impl Event {
    /// An event for this action and meta, each JSON text.
    pub(crate) fn new(kind: EventKind, action: &str, meta: &str) -> Self {
        Event {
            kind,
            text: SharedStr::concat(&[action, ",", meta]),
            action_len: len32(action.len()),
            meta_start: len32(action.len() + 1),
            emptied_reasons: (0, 0),
        }
    }

    /// The event of `entry` as it is now.
    pub(crate) fn of(kind: EventKind, entry: &Entry) -> Self {
        let (action, meta) = entry.spans();
        match entry.reasons_patch() {
            None => Event {
                kind,
                text: entry.shared_line().slice(action.start..meta.end),
                action_len: len32(action.len()),
                meta_start: len32(meta.start - action.start),
                emptied_reasons: (0, 0),
            },
            Some((old, "[]")) if meta.start <= old.start && old.end <= meta.end => Event {
                kind,
                text: entry.shared_line().slice(action.start..meta.end),
                action_len: len32(action.len()),
                meta_start: len32(meta.start - action.start),
                emptied_reasons: (
                    len32(old.start - action.start),
                    len32(old.end - action.start),
                ),
            },
            Some(_) => Event::new(kind, &entry.action(), &entry.meta()),
        }
    }

    /// The same action and meta, another kind (sharing the text).
    pub(crate) fn with_kind(&self, kind: EventKind) -> Self {
        Event {
            kind,
            ..self.clone()
        }
    }

    /// The action's JSON text.
    pub fn action(&self) -> &str {
        &self.text[..self.action_len as usize]
    }

    /// The meta in up to three pieces to write one after another.
    // For the command line's output, which writes the pieces as they are.
    #[doc(hidden)]
    pub fn meta_pieces(&self) -> [&str; 3] {
        let (start, end) = (
            self.emptied_reasons.0 as usize,
            self.emptied_reasons.1 as usize,
        );
        let meta = self.meta_start as usize;
        if start == end {
            [&self.text[meta..], "", ""]
        } else {
            [&self.text[meta..start], "[]", &self.text[end..]]
        }
    }

    /// The meta's JSON text, as the event shows it.
    pub fn meta(&self) -> Cow<'_, str> {
        match self.meta_pieces() {
            [whole, "", ""] => Cow::Borrowed(whole),
            pieces => Cow::Owned(pieces.concat()),
        }
    }

    /// `{"event":"add","action":{…},"meta":{…}}`.
    pub fn to_json(&self) -> String {
        format!(
            "{{\"event\":\"{}\",\"action\":{},\"meta\":{}}}",
            self.kind.name(),
            self.action(),
            self.meta()
        )
    }
}

/// What takes the events of an action reported added and cleaned at
/// once, which nothing keeps: a list of events, or something that prints
/// them as they come and keeps none (a push's million answers).
pub trait AddedAndCleaned {
    /// `action` (its JSON text) was added with `meta` (its JSON text) and
    /// cleaned at once.
    fn added_and_cleaned(&mut self, action: &str, meta: &str);
}

impl AddedAndCleaned for Vec<Event> {
    fn added_and_cleaned(&mut self, action: &str, meta: &str) {
        let added = Event::new(EventKind::Add, action, meta);
        let cleaned = added.with_kind(EventKind::Clean);
        self.extend([added, cleaned]);
    }
}

impl PartialEq for Event {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind && self.action() == other.action() && self.meta() == other.meta()
    }
}

impl Eq for Event {}

impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Event")
            .field("kind", &self.kind)
            .field("action", &self.action())
            .field("meta", &self.meta())
            .finish()
    }
}

fn len32(len: usize) -> u32 {
    u32::try_from(len).expect("an entry's line is under 4 GiB")
}

/// `events` in their order, letting go of the mapped text of a big log
/// behind them as they go (see `text::ReleaseBehind`): for printing the
/// events of a change to most of a big log, which would otherwise bring the
/// whole file back into memory beside them.
// For the command line's output.
#[doc(hidden)]
pub fn releasing(events: &[Event]) -> impl Iterator<Item = &Event> {
    let mut behind = crate::text::ReleaseBehind::default();
    events.iter().enumerate().map(move |(i, event)| {
        if i % 4096 == 0 {
            behind.reached_text(&event.text);
        }
        event
    })
}
