//! Counts over a log's entries, for `stats`: by action type, reason, node,
//! user and index, the span of creation times, and the entries whose `time`
//! differs most from their ID's (clock skew between nodes).

use crate::entry::Entry;
use crate::id::parse_id;
use crate::log::Log;
use crate::text::Symbols;

/// Figures about a log's entries.
#[derive(Debug, Default)]
pub struct Stats {
    /// How many entries.
    pub entries: usize,
    /// The oldest and newest `time`.
    pub span: Option<(f64, f64)>,
    /// Action types.
    pub types: Counts,
    /// Reasons.
    pub reasons: Counts,
    /// Node IDs.
    pub nodes: Counts,
    /// User IDs (`parseId`).
    pub users: Counts,
    /// Indexes.
    pub indexes: Counts,
    /// Up to 10 entries with the largest `time - ID ms`, largest first.
    pub skewed: Vec<Skew>,
}

/// Names and how many entries have each, most first (then by name).
#[derive(Debug, Default)]
pub struct Counts(pub Vec<(String, usize)>);

/// An entry whose `time` is not the time in its ID.
#[derive(Debug, Clone, PartialEq)]
pub struct Skew {
    /// The action ID.
    pub id: String,
    /// `meta.time`.
    pub time: f64,
    /// `time` minus the milliseconds in the ID.
    pub skew: f64,
}

/// How many skewed entries are listed.
pub(crate) const SKEWED: usize = 10;

impl Stats {
    /// Stats over `entries` of `log`.
    pub fn of<'a>(log: &'a Log, entries: impl Iterator<Item = &'a Entry>) -> Stats {
        let mut tally = Tally::default();
        for entry in entries {
            tally.add(entry, log.symbols());
        }
        tally.finish()
    }
}

/// Stats being counted, an entry at a time: what a read that keeps no
/// entry counts with.
#[derive(Debug, Default)]
pub struct Tally {
    stats: Stats,
    types: Names,
    reasons: Names,
    nodes: Names,
    users: Names,
    indexes: Names,
    skewed: Vec<Skew>,
}

/// How many entries have each name so far. Hashed, not sorted: a log's
/// entries are a million lookups, and the counts are sorted once at the
/// end.
type Names = hashbrown::HashMap<String, usize>;

impl Tally {
    /// Counts `entry`, whose reasons and indexes are named in `symbols`.
    pub fn add(&mut self, entry: &Entry, symbols: &Symbols) {
        let stats = &mut self.stats;
        stats.entries += 1;
        let time = entry.time();
        stats.span = Some(
            stats
                .span
                .map_or((time, time), |(a, b)| (a.min(time), b.max(time))),
        );
        count(&mut self.types, &entry.action_type());
        for &reason in entry.reasons() {
            count(&mut self.reasons, symbols.name(reason));
        }
        for &index in entry.indexes() {
            count(&mut self.indexes, symbols.name(index));
        }
        let node = entry.node();
        count(&mut self.nodes, node);
        if let Some(user) = parse_id(node).user_id {
            count(&mut self.users, user);
        }
        let skew = time - entry.id_parts().ms as f64;
        if skew != 0.0 {
            self.skewed.push(Skew {
                id: entry.id().to_owned(),
                time,
                skew,
            });
            if self.skewed.len() > 4 * SKEWED {
                keep_most_skewed(&mut self.skewed);
            }
        }
    }

    /// Adds what `other` counted (other entries of the same log).
    pub fn merge(&mut self, other: Tally) {
        let stats = &mut self.stats;
        stats.entries += other.stats.entries;
        if let Some((first, last)) = other.stats.span {
            stats.span = Some(
                stats
                    .span
                    .map_or((first, last), |(a, b)| (a.min(first), b.max(last))),
            );
        }
        for (mine, theirs) in [
            (&mut self.types, other.types),
            (&mut self.reasons, other.reasons),
            (&mut self.nodes, other.nodes),
            (&mut self.users, other.users),
            (&mut self.indexes, other.indexes),
        ] {
            for (name, n) in theirs {
                *mine.entry(name).or_insert(0) += n;
            }
        }
        self.skewed.extend(other.skewed);
        keep_most_skewed(&mut self.skewed);
    }

    /// The figures, once every entry has been seen.
    pub fn finish(mut self) -> Stats {
        keep_most_skewed(&mut self.skewed);
        let mut stats = self.stats;
        stats.skewed = self.skewed;
        stats.types = Counts::sorted(self.types);
        stats.reasons = Counts::sorted(self.reasons);
        stats.nodes = Counts::sorted(self.nodes);
        stats.users = Counts::sorted(self.users);
        stats.indexes = Counts::sorted(self.indexes);
        stats
    }
}

/// One more for `name`, which is most often counted already.
fn count(counts: &mut Names, name: &str) {
    match counts.get_mut(name) {
        Some(n) => *n += 1,
        None => {
            counts.insert(name.to_owned(), 1);
        }
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
    fn sorted(counts: impl IntoIterator<Item = (String, usize)>) -> Counts {
        let mut counts: Vec<(String, usize)> = counts.into_iter().collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Counts(counts)
    }
}
