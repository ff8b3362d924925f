//! A push that reads the news from the file as it sends them, instead of
//! holding the log.
//!
//! A sync that keeps nothing the server sends (no `--reason`, no rules)
//! changes only the header's `lastSynced`. For it, the log is checked
//! once, on both cores, by the sequential read that `check` uses, which
//! also keeps the hash and node of every ID and notes what each entry
//! sends (a [`Record`], 64 bytes). The session holds the log read in
//! part: its header and its newest entry. The news are read again, block
//! by block, as they are sent, each made from its note, and the store
//! writes the new header over the file's lines as they are. A log held
//! whole took twice its file's size for a push of a million entries.
//!
//! The session's log lacks the entries, so an action that comes under an
//! ID whose hash the log has reads the whole log first
//! ([`super::Link::read_whole`]), from the bytes checked: the log a sync
//! that read it whole at the start holds, whatever others did since.

use std::ops::Range;

use actionlog::entry::Travelling;
use actionlog::store::{Access, LogFile, UnlockedEntries, Visit};
use actionlog::text::SharedStr;
use hashbrown::HashTable;

use super::Args;
use crate::cli::Format;
use crate::cli::config::Config;
use crate::cli::session::Session;

/// The news of a push, read from the file as they are sent.
pub(super) struct PushedNews {
    entries: UnlockedEntries,
    /// What each entry sends, as the check found it, by part of the log.
    records: Vec<Vec<Record>>,
    /// The next record: its part, and its place in it.
    next: (usize, usize),
    /// The XXH3 hash of each ID the log had when read, keyed by itself.
    ids: HashTable<u64>,
    /// The nodes of those IDs: looking for the hash of an ID of another
    /// node (a server's answers) took a tenth of a push of a million.
    nodes: hashbrown::HashSet<Box<str>>,
    /// The log's name, for the error when its lines are no longer those
    /// checked.
    name: String,
}

/// Where an entry's action, ID, ID's node and meta are in its text, and
/// its time and `added`: 64 bytes an entry, noted by the check, so that
/// the news need no second reading of their JSON when sent. The text's
/// length and hash tell whether a line read again is still the one
/// checked (another program may have changed it in place).
#[derive(Debug, Clone, Copy)]
struct Record {
    len: u32,
    hash: u64,
    action: [u32; 2],
    id: [u32; 2],
    node: [u32; 2],
    meta: [u32; 2],
    time: f64,
    added: u64,
}

impl Record {
    fn of(entry: &str, travelling: &Travelling) -> Option<Record> {
        let span = |r: std::ops::Range<usize>| -> Option<[u32; 2]> {
            Some([u32::try_from(r.start).ok()?, u32::try_from(r.end).ok()?])
        };
        Some(Record {
            len: u32::try_from(entry.len()).ok()?,
            hash: xxhash_rust::xxh3::xxh3_64(entry.as_bytes()),
            action: span(travelling.action.clone())?,
            id: span(travelling.id.clone())?,
            node: span(travelling.node.clone())?,
            meta: span(travelling.meta.clone())?,
            time: travelling.time,
            added: travelling.added,
        })
    }
}

/// The sequential read for a push: it checks the log, keeps the hashes of
/// its IDs, and notes what each entry sends.
struct KeepNews;

impl Visit for KeepNews {
    type State = Vec<Record>;
    fn start(&self) -> Vec<Record> {
        Vec::new()
    }
    fn visit(&self, _: &mut Vec<Record>, _: SharedStr) -> actionlog::Result<()> {
        Ok(())
    }
    fn keeps_id_hashes(&self) -> bool {
        true
    }
    fn keeps_travelling(&self) -> bool {
        true
    }
    fn visit_travelling(
        &self,
        records: &mut Vec<Record>,
        entry: SharedStr,
        travelling: Travelling,
    ) -> actionlog::Result<()> {
        // A line of 4 GiB or more leaves the log to the whole read.
        let record = Record::of(&entry, &travelling).ok_or_else(|| {
            actionlog::Error::Conflict("a line too long for a push's note".into())
        })?;
        records.push(record);
        Ok(())
    }
}

impl PushedNews {
    /// A session holding the log read in part and the news to send, for a
    /// sync that keeps nothing and is done once synced; `None` to read the
    /// log whole (any trouble with the file is then that read's to name).
    pub(super) fn open(
        config: &Config,
        args: &Args,
        query: &actionlog::query::Query,
    ) -> anyhow::Result<Option<(Session, PushedNews)>> {
        if args.follow
            || !args.reasons.is_empty()
            || !args.channels.is_empty()
            || config.rules.is_some()
            || config.archive.is_some()
            || config.format != Format::Jsonl
            || !query.is_empty()
        {
            return Ok(None);
        }
        let Ok(read) = LogFile::options(Access::Read)
            .progress(Box::new(crate::cli::progress::Bar::for_stderr()))
            .open_sequential(&config.log, &KeepNews)
        else {
            return Ok(None);
        };
        // Lines as actionlog writes them: the new header then goes over
        // them as they are, and the file is what a whole save writes.
        let Some((log, records)) = read.read().filter(|(log, _)| log.is_tight()) else {
            return Ok(None);
        };
        // Under the lock the sequential read holds: the same file. Without
        // this node's newest ID, which a push of its own entries would
        // find on every line: the session generates none.
        let Some(session) = Session::open_sparse_released(config.clone(), &[])? else {
            return Ok(None);
        };
        let mut ids = HashTable::with_capacity(log.id_hashes().len());
        for &hash in log.id_hashes() {
            ids.insert_unique(hash, hash, |&hash| hash);
        }
        let nodes = log.id_nodes().map(Box::from).collect();
        let entries = log.into_unlocked_entries();
        // Without the lock (none could be taken, or a link pointed
        // elsewhere between the reads), the two may be of other files.
        if !session.read_with(&entries) {
            return Ok(None);
        }
        let news = PushedNews {
            entries,
            records,
            next: (0, 0),
            ids,
            nodes,
            name: config.log.display_path().display().to_string(),
        };
        Ok(Some((session, news)))
    }

    /// The entries, read from the file as it was checked.
    pub(super) fn entries(&self) -> &UnlockedEntries {
        &self.entries
    }

    /// Whether the log may have had an entry with the ID `id`, whose node
    /// is `node`, when read: a no is certain.
    pub(super) fn may_have(&self, id: &str, node: &str) -> bool {
        if !self.nodes.contains(node) {
            return false;
        }
        let hash = xxhash_rust::xxh3::xxh3_64(id.as_bytes());
        self.ids.find(hash, |&other| other == hash).is_some()
    }

    /// The log's next entry added after `since`, in added order; `None`
    /// after the last. Those before are passed over without being made
    /// into news: a push of what is new in a big log sends its end.
    pub(super) fn next_after(&mut self, since: u64) -> Option<anyhow::Result<News>> {
        loop {
            let line = match self.entries.next() {
                Some(Ok(line)) => line,
                Some(Err(error)) => return Some(Err(error.into())),
                // Fewer lines than were checked: the file changed.
                None if self.next_record().is_some() => return Some(Err(self.changed())),
                None => return None,
            };
            // The line as checked; one that is not is another program's
            // change, made without the lock.
            let news = match self.next_record() {
                Some(record) if record.added <= since && record.len as usize == line.len() => {
                    continue;
                }
                Some(record) => News::of(&line, &record),
                None => None,
            };
            return Some(news.ok_or_else(|| self.changed()));
        }
    }

    /// The error for a log whose lines are no longer those checked:
    /// another program's change, made without the lock.
    fn changed(&self) -> anyhow::Error {
        actionlog::Error::Conflict(format!(
            "{} changed while it was read, by a program that did not take its lock",
            self.name
        ))
        .into()
    }

    /// The record of the next entry.
    fn next_record(&mut self) -> Option<Record> {
        loop {
            let (part, at) = self.next;
            match self.records.get(part) {
                Some(records) if at < records.len() => {
                    self.next.1 += 1;
                    return Some(records[at]);
                }
                Some(_) => self.next = (part + 1, 0),
                None => return None,
            }
        }
    }
}

/// An entry of the log as a push sends it.
pub(super) struct News {
    pub action: SharedStr,
    pub id: String,
    /// Where the ID's node is in it.
    pub node: Range<usize>,
    pub time: f64,
    pub added: u64,
    pub subprotocol: Option<String>,
}

impl News {
    /// The entry `line`, as `record` notes it; `None` if the line is not
    /// the one noted.
    fn of(line: &SharedStr, record: &Record) -> Option<News> {
        let span = |[start, end]: [u32; 2]| {
            let (start, end) = (start as usize, end as usize);
            (start <= end
                && end <= line.len()
                && line.is_char_boundary(start)
                && line.is_char_boundary(end))
            .then_some(start..end)
        };
        if record.len as usize != line.len()
            || record.hash != xxhash_rust::xxh3::xxh3_64(line.as_bytes())
        {
            return None;
        }
        let id = span(record.id)?;
        let node = span(record.node)?;
        if node.start < id.start || node.end > id.end {
            return None;
        }
        Some(News {
            action: line.slice(span(record.action)?),
            id: line[id.clone()].to_owned(),
            node: node.start - id.start..node.end - id.start,
            time: record.time,
            added: record.added,
            subprotocol: actionlog::entry::subprotocol_of(&line[span(record.meta)?]),
        })
    }

    /// The node of its ID.
    pub fn node(&self) -> &str {
        &self.id[self.node.clone()]
    }
}
