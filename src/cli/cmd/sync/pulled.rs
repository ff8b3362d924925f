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
    /// The actions whose ID the log or a line before had, each with how
    /// many lines came before it: nothing to store, unless another
    /// process changes the log meanwhile (see [`PulledLines::into_received`]).
    had: Vec<(usize, String, IncomingMeta)>,
    /// An ID as a line writes it, and a line, made in place.
    quoted: String,
    line: String,
}

/// What became of a received action.
pub enum Pulled {
    /// Its line is made.
    Line,
    /// The log, or a line before, has its ID: nothing is stored (the
    /// general add checks it all the same, and it passed).
    Had,
    /// It needs the general add, which also says what is wrong with it:
    /// its meta has more than travels with every action, or it cannot be
    /// stored. It and the actions after it go that way.
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
            had: Vec::new(),
            quoted: String::new(),
            line: String::new(),
        })
    }

    /// Makes the line of a received action, as the general add would store
    /// it into `log` after the lines before (see [`MergeLines`]).
    pub fn take(&mut self, action: &str, meta: &IncomingMeta, log: &Log) -> Pulled {
        self.quoted.clear();
        json::write_string(&mut self.quoted, &meta.id);
        let hash = short_hash(&self.quoted);
        let (text, starts, lens, quoted) =
            (&self.text, &self.starts, &self.action_lens, &self.quoted);
        let had = log.contains(&meta.id)
            || self
                .ids
                .find(spread(hash), |&(kept, line)| {
                    kept == hash
                        && quoted_id_of(text, starts, lens, line as usize)
                            .starts_with(quoted.as_str())
                })
                .is_some();
        if had {
            // The general add checks an action before it finds its ID
            // taken, and refuses one it cannot store all the same.
            return match self.maker.check_received(action, meta, &mut self.line) {
                Ok(true) => {
                    self.had
                        .push((self.starts.len(), action.to_owned(), meta.clone()));
                    Pulled::Had
                }
                Ok(false) | Err(_) => Pulled::General,
            };
        }
        let Ok(number) = u32::try_from(self.starts.len()) else {
            return Pulled::General;
        };
        let meta_span = match self.maker.line_of_received(action, meta, &mut self.line) {
            Ok(Some(meta_span)) => meta_span,
            Ok(None) | Err(_) => return Pulled::General,
        };
        // A line is at most 4 GiB (`check_fits`), its action less.
        let action_len = u32::try_from(meta_span.start - 2).unwrap_or(u32::MAX);
        self.starts.push(self.text.len());
        self.action_lens.push(action_len);
        self.text.push_str(&self.line);
        self.text.push('\n');
        self.ids
            .insert_unique(spread(hash), (hash, number), |&(kept, _)| spread(kept));
        Pulled::Line
    }

    /// The IDs of the actions the log or a line before had.
    pub fn had_ids(&self) -> impl Iterator<Item = &str> {
        self.had.iter().map(|(_, _, meta)| meta.id.as_str())
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

    /// The actions again as they came, in the order they came (those the
    /// log had too), for the general add: when the log changed under the
    /// lines, or an action needs that add.
    pub fn into_received(self) -> Vec<(String, IncomingMeta)> {
        let mut had = self.had.iter().peekable();
        let mut received = Vec::with_capacity(self.len() + self.had.len());
        for (line, (action, meta)) in self.events().enumerate() {
            while let Some((_, action, meta)) = had.next_if(|(before, ..)| *before == line) {
                received.push((action.clone(), meta.clone()));
            }
            received.push(line_as_received(action, meta));
        }
        received.extend(had.map(|(_, action, meta)| (action.clone(), meta.clone())));
        received
    }
}

/// A line's action and meta as the action came (its meta what travelled).
fn line_as_received(action: &str, meta: &str) -> (String, IncomingMeta) {
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
