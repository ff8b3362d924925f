//! Counts over a log's entries, for `stats`: by action type, reason, node,
//! user and index, the span of creation times, and the entries whose `time`
//! differs most from their ID's (clock skew between nodes).

use std::collections::BTreeMap;

use crate::entry::Entry;
use crate::id::parse_id;
use crate::log::Log;

#[derive(Debug, Default)]
pub struct Stats {
    pub entries: usize,
    /// The oldest and newest `time`.
    pub span: Option<(f64, f64)>,
    pub types: Counts,
    pub reasons: Counts,
    pub nodes: Counts,
    pub users: Counts,
    pub indexes: Counts,
    /// Up to [`SKEWED`] entries with the largest `time - ID ms`, largest first.
    pub skewed: Vec<Skew>,
}

/// Names and how many entries have each, most first (then by name).
#[derive(Debug, Default)]
pub struct Counts(pub Vec<(String, usize)>);

#[derive(Debug, Clone, PartialEq)]
pub struct Skew {
    pub id: String,
    pub time: f64,
    /// `time` minus the milliseconds in the ID.
    pub skew: f64,
}

/// How many skewed entries are listed.
pub const SKEWED: usize = 10;

impl Stats {
    /// Stats over `entries` of `log`.
    pub fn of<'a>(log: &'a Log, entries: impl Iterator<Item = &'a Entry>) -> Stats {
        let mut stats = Stats::default();
        let mut types = BTreeMap::new();
        let mut reasons = BTreeMap::new();
        let mut nodes = BTreeMap::new();
        let mut users = BTreeMap::new();
        let mut indexes = BTreeMap::new();
        let mut skewed: Vec<Skew> = Vec::new();
        let symbols = log.symbols();
        for entry in entries {
            stats.entries += 1;
            let time = entry.time();
            stats.span = Some(
                stats
                    .span
                    .map_or((time, time), |(a, b)| (a.min(time), b.max(time))),
            );
            *types.entry(entry.action_type()).or_insert(0) += 1;
            for &reason in entry.reasons() {
                *reasons.entry(symbols.name(reason).to_owned()).or_insert(0) += 1;
            }
            for &index in entry.indexes() {
                *indexes.entry(symbols.name(index).to_owned()).or_insert(0) += 1;
            }
            let node = entry.node();
            *nodes.entry(node.to_owned()).or_insert(0) += 1;
            if let Some(user) = parse_id(node).user_id {
                *users.entry(user.to_owned()).or_insert(0) += 1;
            }
            let skew = time - entry.id_parts().ms as f64;
            if skew != 0.0 {
                skewed.push(Skew {
                    id: entry.id().to_owned(),
                    time,
                    skew,
                });
                if skewed.len() > 4 * SKEWED {
                    keep_most_skewed(&mut skewed);
                }
            }
        }
        keep_most_skewed(&mut skewed);
        stats.skewed = skewed;
        stats.types = Counts::sorted(types);
        stats.reasons = Counts::sorted(reasons);
        stats.nodes = Counts::sorted(nodes);
        stats.users = Counts::sorted(users);
        stats.indexes = Counts::sorted(indexes);
        stats
    }
}

fn keep_most_skewed(skewed: &mut Vec<Skew>) {
    skewed.sort_by(|a, b| {
        b.skew
            .abs()
            .total_cmp(&a.skew.abs())
            .then_with(|| a.id.cmp(&b.id))
    });
    skewed.truncate(SKEWED);
}

impl Counts {
    fn sorted(counts: BTreeMap<String, usize>) -> Counts {
        let mut counts: Vec<(String, usize)> = counts.into_iter().collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Counts(counts)
    }
}
