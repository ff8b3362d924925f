//! The IDs a log shares with another, as a merge finds them before it
//! appends (see [`super::OpenOptions::open_sparse_among`]): a merge of a
//! log into one that has its entries already (merged before) finds every
//! one. They are kept as one text and a table of their spans, by hash:
//! the text and 12 bytes an ID in a table that grows by doubling, against
//! about 64 bytes an ID for a set of strings.

use hashbrown::HashTable;

/// A set of action IDs.
#[derive(Debug, Default)]
pub struct SharedIds {
    text: String,
    /// Where each ID is in `text`, with 32 bits of its XXH3 hash.
    table: HashTable<Span>,
}

#[derive(Debug, Clone, Copy)]
struct Span {
    hash: u32,
    start: u32,
    len: u32,
}

/// The 32 bits of a 64-bit hash kept, and the table's hash made from them
/// again (multiplying by an odd constant spreads them over the high bits
/// hashbrown tags buckets with).
fn short(hash: u64) -> u32 {
    (hash >> 32) as u32 ^ hash as u32
}

fn spread(hash: u32) -> u64 {
    u64::from(hash).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

impl SharedIds {
    /// Whether the set holds `id`.
    pub fn contains(&self, id: &str) -> bool {
        let hash = short(xxhash_rust::xxh3::xxh3_64(id.as_bytes()));
        self.table
            .find(spread(hash), |span| {
                span.hash == hash && self.id(span) == id
            })
            .is_some()
    }

    /// How many IDs the set holds.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// Whether the set holds none.
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// Adds `id`, whose XXH3 hash is `hash`, unless it is there. `false`
    /// when the set can hold no more: 4 GiB of IDs.
    #[must_use]
    pub(crate) fn insert(&mut self, id: &str, hash: u64) -> bool {
        let hash = short(hash);
        let text = &self.text;
        if self
            .table
            .find(spread(hash), |span| {
                span.hash == hash && span_of(text, span) == id
            })
            .is_some()
        {
            return true;
        }
        let (Ok(start), Ok(len)) = (u32::try_from(self.text.len()), u32::try_from(id.len())) else {
            return false;
        };
        if start.checked_add(len).is_none() {
            return false;
        }
        self.text.push_str(id);
        let span = Span { hash, start, len };
        self.table
            .insert_unique(spread(hash), span, |span| spread(span.hash));
        true
    }

    /// Every ID of `other` too; `false` if they do not fit.
    #[must_use]
    pub(crate) fn extend(&mut self, other: &SharedIds) -> bool {
        other.table.iter().all(|span| {
            let id = span_of(&other.text, span);
            self.insert(id, xxhash_rust::xxh3::xxh3_64(id.as_bytes()))
        })
    }

    fn id(&self, span: &Span) -> &str {
        span_of(&self.text, span)
    }
}

fn span_of<'t>(text: &'t str, span: &Span) -> &'t str {
    &text[span.start as usize..][..span.len as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_what_was_put_in_once() {
        let hash = |id: &str| xxhash_rust::xxh3::xxh3_64(id.as_bytes());
        let mut ids = SharedIds::default();
        for id in ["1 a 0", "2 b 0", "1 a 0", ""] {
            assert!(ids.insert(id, hash(id)));
        }
        let mut more = SharedIds::default();
        assert!(more.insert("3 é 1", hash("3 é 1")));
        assert!(more.insert("2 b 0", hash("2 b 0")));
        assert!(ids.extend(&more));
        assert_eq!(ids.len(), 4);
        for id in ["1 a 0", "2 b 0", "", "3 é 1"] {
            assert!(ids.contains(id), "{id:?}");
        }
        assert!(!ids.contains("1 a 1"));
        // The same hash for another ID is another ID.
        let mut clash = SharedIds::default();
        assert!(clash.insert("1 a 0", 7));
        assert!(clash.insert("2 b 0", 7));
        assert_eq!(clash.len(), 2);
    }
}
