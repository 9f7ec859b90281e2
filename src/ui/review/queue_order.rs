//! The order a labeler walks a queue in blind mode: a seeded shuffle, the same every time for
//! one labeler on one project (however the file is named or wherever it lies, copies
//! included), different from one labeler to the next, and unrelated to the order the pairs
//! were imported in. File order would give the answer away: each LFW fold is 300
//! same-person pairs, then 300 different.

use sha2::{Digest, Sha256};

use crate::rng::SeededRng;
use crate::store::PairId;

/// The seed of one labeler's order on one project.
pub fn seed(project_uid: &str, labeler: &str) -> u64 {
    let digest = Sha256::new().chain_update(project_uid).chain_update([0]).chain_update(labeler).finalize();
    u64::from_le_bytes(digest[..8].try_into().expect("a sha256 has 32 bytes"))
}

/// Where a pair falls in the shuffled order: a pair's place does not depend on the other
/// pairs, so a queue and any part of it (a tag, a split) keep the same relative order.
fn rank(seed: u64, pair: PairId) -> u64 {
    SeededRng::new(seed ^ (pair.0 as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)).next_u64()
}

/// Puts `pairs` in the labeler's shuffled order.
pub fn shuffle(pairs: &mut [PairId], seed: u64) {
    pairs.sort_by_cached_key(|&p| (rank(seed, p), p));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(n: i64) -> Vec<PairId> {
        (1..=n).map(PairId).collect()
    }

    fn order(uid: &str, labeler: &str, n: i64) -> Vec<PairId> {
        let mut p = pairs(n);
        shuffle(&mut p, seed(uid, labeler));
        p
    }

    #[test]
    fn the_order_is_stable_per_labeler_and_project_and_not_file_order() {
        let ana = order("5f0c", "ana", 600);
        assert_eq!(ana, order("5f0c", "ana", 600), "the same after a reload");
        assert_ne!(ana, pairs(600), "not file order");
        let mut sorted = ana.clone();
        sorted.sort();
        assert_eq!(sorted, pairs(600), "every pair exactly once");
        assert_ne!(ana, order("5f0c", "ben", 600), "another labeler walks another order");
        assert_ne!(ana, order("77aa", "ana", 600), "another project, another order");
        // A fold of 300 same then 300 different: the first 50 of the shuffle mix both halves.
        let first_half = ana[..50].iter().filter(|p| p.0 <= 300).count();
        assert!((10..=40).contains(&first_half), "{first_half} of the first 50 from the first half");
    }

    #[test]
    fn a_part_of_the_queue_keeps_the_relative_order_of_the_whole() {
        let all = order("5f0c", "ana", 100);
        let mut even: Vec<PairId> = pairs(100).into_iter().filter(|p| p.0 % 2 == 0).collect();
        shuffle(&mut even, seed("5f0c", "ana"));
        let expected: Vec<PairId> = all.into_iter().filter(|p| p.0 % 2 == 0).collect();
        assert_eq!(even, expected);
    }
}
