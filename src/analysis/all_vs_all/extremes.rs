//! The k most extreme comparisons of one kind (the hardest impostors: highest scores; the
//! weakest genuine comparisons: lowest scores), kept in a bounded heap.

use std::collections::BinaryHeap;

/// One comparison: rows `a < b` and their score.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ScoredPair {
    pub a: u32,
    pub b: u32,
    pub score: f32,
}

/// Orders so that the heap's top is the entry to drop first: for `highest`, the lowest
/// score, and among equal scores the larger (a, b), so ties keep the earlier rows.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Entry {
    rank: u32,
    a: u32,
    b: u32,
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (std::cmp::Reverse(self.rank), self.a, self.b).cmp(&(std::cmp::Reverse(other.rank), other.a, other.b))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

#[derive(Clone)]
pub(super) struct Extremes {
    capacity: usize,
    /// Keep the highest scores (else the lowest).
    highest: bool,
    heap: BinaryHeap<Entry>,
}

impl Extremes {
    pub(super) fn new(capacity: usize, highest: bool) -> Self {
        Extremes { capacity, highest, heap: BinaryHeap::with_capacity(capacity + 1) }
    }

    /// `key` is the score's ordered key (see `bins::key`).
    #[inline]
    pub(super) fn offer(&mut self, key: u32, a: u32, b: u32) {
        let rank = if self.highest { key } else { !key };
        if self.heap.len() == self.capacity {
            match self.heap.peek() {
                Some(top) if rank > top.rank || (rank == top.rank && (a, b) < (top.a, top.b)) => {}
                _ => return,
            }
        }
        self.heap.push(Entry { rank, a, b });
        if self.heap.len() > self.capacity {
            self.heap.pop();
        }
    }

    pub(super) fn merge(&mut self, other: Extremes) {
        for e in other.heap {
            let key = if self.highest { e.rank } else { !e.rank };
            self.offer(key, e.a, e.b);
        }
    }

    /// The kept comparisons, most extreme first.
    pub(super) fn into_sorted(self) -> Vec<ScoredPair> {
        let highest = self.highest;
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|e| ScoredPair {
                a: e.a,
                b: e.b,
                score: super::bins::from_key(if highest { e.rank } else { !e.rank }),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::bins::key;
    use super::*;

    #[test]
    fn keeps_the_k_most_extreme_with_ties_to_the_earlier_rows() {
        let mut high = Extremes::new(2, true);
        let mut low = Extremes::new(2, false);
        for (a, b, s) in [(0, 1, 0.5f32), (0, 2, 0.9), (1, 2, 0.5), (0, 3, 0.1), (2, 3, 0.5)] {
            high.offer(key(s), a, b);
            low.offer(key(s), a, b);
        }
        let pairs = |v: Vec<ScoredPair>| v.iter().map(|p| (p.a, p.b, p.score)).collect::<Vec<_>>();
        assert_eq!(pairs(high.into_sorted()), vec![(0, 2, 0.9), (0, 1, 0.5)]);
        assert_eq!(pairs(low.into_sorted()), vec![(0, 3, 0.1), (0, 1, 0.5)]);
    }
}
