//! Ids of distinct consensus tag sets, looked up per pair while building and per edit.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::build::NO_TAGSET;
use crate::analysis::snapshot::TagBits;

/// Ids of distinct tag sets: a direct table for up to 16 tags, else a hash map.
#[derive(Clone, Debug)]
pub(super) enum TagsetIds {
    Direct(Vec<u32>),
    Hashed(HashMap<TagBits, u32, BuildHasherDefault<MixHasher>>),
}

impl TagsetIds {
    pub(super) fn new(tags: usize) -> Self {
        if tags <= 16 { TagsetIds::Direct(vec![NO_TAGSET; 1 << tags]) } else { TagsetIds::Hashed(HashMap::default()) }
    }

    pub(super) fn get_or_insert(&mut self, bits: TagBits, new_id: impl FnOnce() -> u32) -> u32 {
        match self {
            TagsetIds::Direct(table) => {
                let slot = &mut table[bits as usize];
                if *slot == NO_TAGSET {
                    *slot = new_id();
                }
                *slot
            }
            TagsetIds::Hashed(map) => *map.entry(bits).or_insert_with(new_id),
        }
    }
}

/// A fast hasher for u64 keys (tag sets): one multiply, high bits first. Not DoS-resistant,
/// which is fine for keys we build ourselves.
#[derive(Default, Clone, Debug)]
pub(super) struct MixHasher(u64);

impl Hasher for MixHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0 ^ x).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(32);
    }
}
