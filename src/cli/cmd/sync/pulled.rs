//! What a pull stores, made into the log's lines as it comes: a million
//! received actions held until the store, then added to the log in memory
//! and written from it, took 2.8 times the file they came to. Their lines
//! take about the file.

use std::ops::Range;

use actionlog::merge::{MergeLines, MergeOptions};
use actionlog::protocol::connection::IncomingMeta;
use actionlog::{IdGenerator, Log, MetaText, json};
use hashbrown::HashTable;

/// The lines of the received actions a pull keeps, numbered on from the
/// log's newest `added` when the first came.
pub struct PulledLines {
    maker: MergeLines,
    base: u64,
    /// The lines, each with its `\n`.
    text: String,
    /// Where each line starts in `text`, and how long its action is.
    starts: Vec<usize>,
    action_lens: Vec<u32>,
    /// Each line's number, by 32 bits of the hash of its ID as the line
    /// writes it (kept beside the number).
    ids: HashTable<(u32, u32)>,
    /// An ID as a line writes it, and a line, made in place.
    quoted: String,
    line: String,
}

/// What became of a received action.
pub enum Pulled {
    /// Its line is made.
    Line,
    /// The log, or a line before, has its ID: nothing is stored.
    Had,
    /// Nothing is done: it needs the general add (its meta has more than
    /// travels with every action).
    General,
}

impl PulledLines {
    /// Lines for a pull that keeps what comes by `options` (reasons, no
    /// rules), into a log whose newest entry is numbered `base`. `None`
    /// for options that need the log.
    pub fn new(options: MergeOptions, ids: IdGenerator, now: u64, base: u64) -> Option<Self> {
        Some(PulledLines {
            maker: MergeLines::new(options, ids, now, base)?,
            base,
            text: String::new(),
            starts: Vec::new(),
            action_lens: Vec::new(),
            ids: HashTable::new(),
            quoted: String::new(),
            line: String::new(),
        })
    }

    /// Makes the line of a received action, as the general add would store
    /// it into `log` after the lines before (see [`MergeLines`]); its error
    /// is that add's.
    pub fn take(
        &mut self,
        action: &str,
        meta: &IncomingMeta,
        log: &Log,
    ) -> actionlog::Result<Pulled> {
        if log.contains(&meta.id) {
            return Ok(Pulled::Had);
        }
        self.quoted.clear();
        json::write_string(&mut self.quoted, &meta.id);
        let hash = short_hash(&self.quoted);
        let (text, starts, lens, quoted) =
            (&self.text, &self.starts, &self.action_lens, &self.quoted);
        if self
            .ids
            .find(spread(hash), |&(kept, line)| {
                kept == hash
                    && quoted_id_of(text, starts, lens, line as usize).starts_with(quoted.as_str())
            })
            .is_some()
        {
            return Ok(Pulled::Had);
        }
        let Some(meta_span) = self.maker.line_of_received(action, meta, &mut self.line)? else {
            return Ok(Pulled::General);
        };
        let (Ok(number), Ok(action_len)) = (
            u32::try_from(self.starts.len()),
            u32::try_from(meta_span.start - 2),
        ) else {
            return Ok(Pulled::General);
        };
        self.starts.push(self.text.len());
        self.action_lens.push(action_len);
        self.text.push_str(&self.line);
        self.text.push('\n');
        self.ids
            .insert_unique(spread(hash), (hash, number), |&(kept, _)| spread(kept));
        Ok(Pulled::Line)
    }

    /// How many lines there are.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// The log's newest `added` the lines are numbered on from.
    pub fn base(&self) -> u64 {
        self.base
    }

    /// The `added` of the last line.
    pub fn last_added(&self) -> u64 {
        self.maker.last_added()
    }

    /// The lines, each with its `\n`.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Each line's action and meta, in order: its `add` event.
    pub fn events(&self) -> impl Iterator<Item = (&str, &str)> {
        (0..self.len()).map(|line| {
            let (action, meta) = spans(&self.text, &self.starts, &self.action_lens, line);
            (&self.text[action], &self.text[meta])
        })
    }

    /// The IDs of the lines, in order.
    pub fn ids(&self) -> impl Iterator<Item = String> + '_ {
        self.events().map(|(_, meta)| {
            MetaText::parse(meta)
                .ok()
                .and_then(|meta| {
                    meta.get("id")
                        .and_then(|raw| json::as_string(raw, 0..raw.len()))
                })
                .unwrap_or_default()
        })
    }

    /// The actions again as they came, for the general add: when the log
    /// changed under the lines, or an action needs that add.
    pub fn into_received(self) -> Vec<(String, IncomingMeta)> {
        self.events()
            .map(|(action, meta)| {
                let meta = MetaText::parse(meta).unwrap_or_default();
                let id = meta
                    .get("id")
                    .and_then(|raw| json::as_string(raw, 0..raw.len()))
                    .unwrap_or_default();
                let time = meta
                    .get("time")
                    .and_then(|raw| raw.parse().ok())
                    .unwrap_or(0.0);
                let other = meta
                    .get("subprotocol")
                    .map(|raw| vec![("subprotocol".to_owned(), raw.to_owned())])
                    .unwrap_or_default();
                (action.to_owned(), IncomingMeta { id, time, other })
            })
            .collect()
    }
}

/// 32 bits of the XXH3 hash of `text`, and the table's hash made from
/// them again (multiplying by an odd constant spreads them over the high
/// bits hashbrown tags buckets with).
fn short_hash(text: &str) -> u32 {
    let hash = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
    (hash >> 32) as u32 ^ hash as u32
}

fn spread(hash: u32) -> u64 {
    u64::from(hash).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// The action's and the meta's spans in `text` of line `line`: `[`, the
/// action, `,`, the meta, `]`.
fn spans(text: &str, starts: &[usize], lens: &[u32], line: usize) -> (Range<usize>, Range<usize>) {
    let start = starts[line] + 1;
    let action = start..start + lens[line] as usize;
    let end = starts.get(line + 1).copied().unwrap_or(text.len()) - 2;
    (action.clone(), action.end + 1..end)
}

/// The text of line `line` from its ID's opening quote on: its meta begins
/// `{"id":` (see `kept_meta`).
fn quoted_id_of<'t>(text: &'t str, starts: &[usize], lens: &[u32], line: usize) -> &'t str {
    let (_, meta) = spans(text, starts, lens, line);
    &text[meta.start + "{\"id\":".len()..meta.end]
}
