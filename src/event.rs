//! Events a change to the log reports, as `Log#on('add' | 'clean')` does.

use crate::entry::Entry;
use crate::text::SharedStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// An entry was accepted, with its final meta.
    Add,
    /// An entry left the log, or was never stored for lack of reasons.
    Clean,
}

impl EventKind {
    pub fn name(self) -> &'static str {
        match self {
            EventKind::Add => "add",
            EventKind::Clean => "clean",
        }
    }
}

/// One event: what happened, to which action, with which meta.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub kind: EventKind,
    pub action: SharedStr,
    pub meta: SharedStr,
}

impl Event {
    pub fn new(kind: EventKind, action: SharedStr, meta: SharedStr) -> Self {
        Event { kind, action, meta }
    }

    pub fn of(kind: EventKind, entry: &Entry) -> Self {
        Event::new(kind, entry.action(), entry.meta())
    }

    /// `{"event":"add","action":{…},"meta":{…}}`.
    pub fn to_json(&self) -> String {
        format!(
            "{{\"event\":\"{}\",\"action\":{},\"meta\":{}}}",
            self.kind.name(),
            self.action,
            self.meta
        )
    }
}
