//! The index from action IDs to slots.
//!
//! Each bucket keeps 32 bits of the ID's hash beside the slot. Growing the
//! table rehashes from those bits alone, without reading a million entries
//! scattered over memory, and a lookup reads an entry only when the stored
//! bits match.

use hashbrown::{DefaultHashBuilder, HashTable};
use std::hash::BuildHasher;

use crate::entry::Entry;

#[derive(Debug, Clone, Default)]
pub(super) struct IdIndex {
    table: HashTable<Indexed>,
    hasher: DefaultHashBuilder,
}

#[derive(Debug, Clone, Copy)]
struct Indexed {
    slot: u32,
    hash: u32,
}

/// The table's 64-bit hash from the stored 32 bits: multiplying by an odd
/// constant spreads them over the high bits hashbrown tags buckets with.
fn spread(hash: u32) -> u64 {
    u64::from(hash).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

fn spread_of(indexed: &Indexed) -> u64 {
    spread(indexed.hash)
}

fn live(slots: &[Option<Entry>], slot: u32) -> &Entry {
    slots[slot as usize]
        .as_ref()
        .expect("the ID index points at live slots")
}

impl IdIndex {
    fn short_hash(&self, id: &str) -> u32 {
        let full = self.hasher.hash_one(id);
        (full >> 32) as u32 ^ full as u32
    }

    pub(crate) fn reserve(&mut self, additional: usize) {
        self.table.reserve(additional, spread_of);
    }

    /// The slot holding `id`.
    pub(crate) fn find(&self, id: &str, slots: &[Option<Entry>]) -> Option<u32> {
        let hash = self.short_hash(id);
        self.table
            .find(spread(hash), |i| {
                i.hash == hash && live(slots, i.slot).id() == id
            })
            .map(|i| i.slot)
    }

    /// Indexes `slot` under `id`, unless `id` is taken: then the slot that
    /// has it.
    pub(crate) fn insert(
        &mut self,
        id: &str,
        slot: u32,
        slots: &[Option<Entry>],
    ) -> Result<(), u32> {
        let hash = self.short_hash(id);
        let found = self.table.entry(
            spread(hash),
            |i| i.hash == hash && live(slots, i.slot).id() == id,
            spread_of,
        );
        match found {
            hashbrown::hash_table::Entry::Occupied(taken) => Err(taken.get().slot),
            hashbrown::hash_table::Entry::Vacant(free) => {
                free.insert(Indexed { slot, hash });
                Ok(())
            }
        }
    }

    /// Takes `slot`, which holds `id`, out of the index.
    pub(crate) fn remove(&mut self, id: &str, slot: u32) {
        let hash = self.short_hash(id);
        if let Ok(found) = self.table.find_entry(spread(hash), |i| i.slot == slot) {
            found.remove();
        }
    }
}
