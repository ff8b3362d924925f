//! The one line a change ends with on a terminal: how many entries were
//! added and cleaned, and which reasons were taken off (or put on) entries
//! that stayed, which the events alone do not show.

use std::collections::{BTreeMap, HashMap};

use actionlog::text::Symbol;
use actionlog::{Event, EventKind, Log};

/// Every entry's reasons before a command, by the entry's `added`.
pub struct Before {
    reasons: HashMap<u64, Vec<Symbol>>,
}

impl Before {
    pub fn of(log: &Log) -> Before {
        let reasons = log
            .entries(actionlog::Order::Added, None)
            .map(|entry| (entry.added(), entry.reasons().to_vec()))
            .collect();
        Before { reasons }
    }

    /// The line for what changed from this to `log`, with the command's
    /// `events`. The log's names only grow, so a name of the earlier log
    /// is found in the later one.
    pub fn line(&self, log: &Log, events: &[Event], dry_run: bool) -> String {
        let count = |kind| events.iter().filter(|e| e.kind == kind).count();
        let (added, cleaned) = (count(EventKind::Add), count(EventKind::Clean));
        let mut taken_off: BTreeMap<&str, usize> = BTreeMap::new();
        let mut put_on: BTreeMap<&str, usize> = BTreeMap::new();
        for entry in log.entries(actionlog::Order::Added, None) {
            let Some(before) = self.reasons.get(&entry.added()) else {
                continue;
            };
            let now = entry.reasons();
            // Counted as many times as they stand: a reason may be there
            // twice (keepLast adds its own again, as @logux/core does).
            let times =
                |list: &[Symbol], reason: &Symbol| list.iter().filter(|r| *r == reason).count();
            let mut seen: Vec<Symbol> = Vec::new();
            for reason in before.iter().chain(now) {
                if seen.contains(reason) {
                    continue;
                }
                seen.push(*reason);
                let (was, is) = (times(before, reason), times(now, reason));
                let name = log.symbols().name(*reason);
                if was > is {
                    *taken_off.entry(name).or_default() += 1;
                } else if is > was {
                    *put_on.entry(name).or_default() += 1;
                }
            }
        }
        let mut parts = vec![counts_line(added, cleaned)];
        let list = |counts: &BTreeMap<&str, usize>| {
            counts
                .iter()
                .map(|(name, n)| {
                    format!(
                        "{} ({})",
                        super::terminal::sanitize(&actionlog::json::quote(name)),
                        n
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !taken_off.is_empty() {
            parts.push(format!(
                "reasons taken off entries that stayed: {}",
                list(&taken_off)
            ));
        }
        if !put_on.is_empty() {
            parts.push(format!("reasons put on entries: {}", list(&put_on)));
        }
        let line = parts.join("; ");
        if dry_run {
            format!("dry run, nothing changed: {line}")
        } else {
            line
        }
    }
}

/// How many entries were added and cleaned: the line's first part, and all
/// of it for a change that only added or cleaned.
pub fn counts_line(added: usize, cleaned: usize) -> String {
    format!(
        "{added} added, {cleaned} cleaned",
        added = plural(added, "entry", "entries"),
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
