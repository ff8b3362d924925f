//! A push that reads the news from the file as it sends them, instead of
//! holding the log.
//!
//! A sync that keeps nothing the server sends (no `--reason`, no rules)
//! changes only the header's `lastSynced`. For it, the log is checked
//! once, on both cores, by the sequential read that `check` uses, which
//! also keeps the hash of every ID (8 bytes an entry). The session holds
//! the log read in part: its header, its newest entry and this node's
//! newest ID. The news are read again, block by block, as they are sent,
//! and the store writes the new header over the file's lines as they are.
//! A log held whole took twice its file's size for a push of a million
//! entries.
//!
//! The session's log lacks the entries, so an action that comes under an
//! ID whose hash the log has reads the whole log first
//! ([`super::Link::read_whole`]), from the bytes checked: the log a sync
//! that read it whole at the start holds, whatever others did since.

use std::ops::Range;

use actionlog::Entry;
use actionlog::entry::Travelling;
use actionlog::store::{Access, KeepIdHashes, LogFile, UnlockedEntries};
use actionlog::text::SharedStr;
use actionlog::text::Symbols;
use hashbrown::HashTable;

use super::Args;
use crate::cli::Format;
use crate::cli::config::Config;
use crate::cli::session::Session;

/// The news of a push, read from the file as they are sent.
pub(super) struct PushedNews {
    entries: UnlockedEntries,
    /// The XXH3 hash of each ID the log had when read, keyed by itself.
    ids: HashTable<u64>,
    /// The nodes of those IDs: looking for the hash of an ID of another
    /// node (a server's answers) took a tenth of a push of a million.
    nodes: hashbrown::HashSet<Box<str>>,
    symbols: Symbols,
    /// The log's name, for the error when its lines are no longer those
    /// checked.
    name: String,
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
            .open_sequential(&config.log, &KeepIdHashes)
        else {
            return Ok(None);
        };
        // Lines as actionlog writes them: the new header then goes over
        // them as they are, and the file is what a whole save writes.
        let Some((log, _)) = read.read().filter(|(log, _)| log.is_tight()) else {
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
            ids,
            nodes,
            symbols: Symbols::default(),
            name: config.log.display_path().display().to_string(),
        };
        Ok(Some((session, news)))
    }

    /// The entries, read from the file as it was checked.
    pub(super) fn entries(&self) -> &UnlockedEntries {
        &self.entries
    }

    /// Whether the log may have had an entry with the ID `id` when read: a
    /// no is certain.
    pub(super) fn may_have(&self, id: &str) -> bool {
        // The node as `parse_action_id` finds it in a valid ID.
        let bytes = id.as_bytes();
        let node = match (memchr::memchr(b' ', bytes), memchr::memrchr(b' ', bytes)) {
            (Some(first), Some(last)) if first < last => &id[first + 1..last],
            _ => return false,
        };
        if !self.nodes.contains(node) {
            return false;
        }
        let hash = xxhash_rust::xxh3::xxh3_64(id.as_bytes());
        self.ids.find(hash, |&other| other == hash).is_some()
    }

    /// The log's next entry, in added order; `None` after the last.
    pub(super) fn next(&mut self) -> Option<anyhow::Result<News>> {
        let line = match self.entries.next()? {
            Ok(line) => line,
            Err(error) => return Some(Err(error.into())),
        };
        if let Some(travelling) = Travelling::of(&line) {
            return Some(Ok(News {
                action: line.slice(travelling.action.clone()),
                id: line[travelling.id.clone()].to_owned(),
                node: travelling.node.start - travelling.id.start
                    ..travelling.node.end - travelling.id.start,
                time: travelling.time,
                added: travelling.added,
                subprotocol: travelling.subprotocol(&line),
            }));
        }
        // Checked when read: a line that is not as it was is another
        // program's change, made without the lock.
        let entry = Entry::parse(line, || 0, &mut self.symbols)
            .ok()
            .filter(Entry::added_written);
        Some(entry.map(|entry| News::of(&entry)).ok_or_else(|| {
            actionlog::Error::Conflict(format!(
                "{} changed while it was read, by a program that did not take its lock",
                self.name
            ))
            .into()
        }))
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
    fn of(entry: &Entry) -> News {
        let id = entry.id().to_owned();
        let node = entry.node();
        // The node comes after the ID's first space.
        let start = id.find(' ').map_or(0, |at| at + 1);
        News {
            action: entry.action(),
            node: start..start + node.len(),
            id,
            time: entry.time(),
            added: entry.added(),
            subprotocol: entry.subprotocol(),
        }
    }

    /// The node of its ID.
    pub fn node(&self) -> &str {
        &self.id[self.node.clone()]
    }
}
