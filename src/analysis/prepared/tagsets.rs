//! Evaluable pairs grouped by their (non-empty) consensus tag set, as the per-tag tables read
//! them, kept exact when a label edit moves a pair from one tag set to another.
//!
//! The groups are built once as sorted ranks ([`ScoreGroups`]). Rebuilding them after an
//! edit would cost O(n); instead a pair moved since is kept in small sorted lists per group
//! (ranks moved in, ranks moved out), so a move costs a binary search and a count is the
//! built count plus the moves: still a few binary searches per group and threshold.

use super::tagset_ids::TagsetIds;
use crate::analysis::confusion::Confusion;
use crate::analysis::hlp::Hlp;
use crate::analysis::score_groups::{Cut, ScoreGroups};
use crate::analysis::slices::SliceCounts;
use crate::analysis::snapshot::TagBits;

#[derive(Clone, Debug)]
pub(super) struct Tagsets {
    /// The groups as built; groups added by edits (ids ≥ `built`) have no entry here.
    base: ScoreGroups,
    built: usize,
    ids: TagsetIds,
    /// Per group: its tag set and the human verdict counts of its pairs.
    bits: Vec<TagBits>,
    human: Vec<Hlp>,
    /// Per group (as long as needed): the ranks moved in and out since the build.
    moves: Vec<Moves>,
    /// Per group: its pairs now (groups emptied by edits stay, and are skipped).
    sizes: Vec<u32>,
}

/// Ranks moved into or out of one group, sorted; `[negatives, positives]`.
#[derive(Clone, Debug, Default)]
struct Moves {
    into: [Vec<u32>; 2],
    out: [Vec<u32>; 2],
}

impl Tagsets {
    pub(super) fn new(base: ScoreGroups, ids: TagsetIds, bits: Vec<TagBits>, human: Vec<Hlp>) -> Self {
        let sizes = (0..bits.len()).map(|g| base.len(g) as u32).collect();
        Tagsets { base, built: bits.len(), ids, bits, human, moves: Vec::new(), sizes }
    }

    /// The groups with pairs, and their tag sets.
    pub(super) fn groups(&self) -> impl Iterator<Item = (usize, TagBits)> + '_ {
        self.bits.iter().enumerate().filter(|&(g, _)| self.sizes[g] > 0).map(|(g, &bits)| (g, bits))
    }

    /// Model and human counts of group `g` at a threshold.
    pub(super) fn counts(&self, g: usize, cut: Cut) -> SliceCounts {
        let mut c = if g < self.built { self.base.confusion(g, cut) } else { Confusion::default() };
        if let Some(moves) = self.moves.get(g) {
            // (below the cut, at or above it) of sorted ranks.
            let split = |ranks: &[u32]| {
                let below = ranks.partition_point(|&r| r < cut.0) as u64;
                (below, ranks.len() as u64 - below)
            };
            let ([neg_in, pos_in], [neg_out, pos_out]) = (&moves.into, &moves.out);
            let (fn_in, tp_in) = split(pos_in);
            let (tn_in, fp_in) = split(neg_in);
            let (fn_out, tp_out) = split(pos_out);
            let (tn_out, fp_out) = split(neg_out);
            c.tp = c.tp + tp_in - tp_out;
            c.fn_ = c.fn_ + fn_in - fn_out;
            c.tn = c.tn + tn_in - tn_out;
            c.fp = c.fp + fp_in - fp_out;
        }
        SliceCounts { confusion: c, human: self.human[g] }
    }

    /// The group of tag set `bits` (non-empty), added if new.
    pub(super) fn group_of(&mut self, bits: TagBits) -> usize {
        let (all, human, sizes) = (&mut self.bits, &mut self.human, &mut self.sizes);
        self.ids.get_or_insert(bits, || {
            all.push(bits);
            human.push(Hlp::default());
            sizes.push(0);
            all.len() as u32 - 1
        }) as usize
    }

    /// Human verdict counts of group `g`, to update in place.
    pub(super) fn human_mut(&mut self, g: usize) -> &mut Hlp {
        &mut self.human[g]
    }

    /// Moves the pair at `rank` (a positive or not) from group `from` to group `to` (`None`:
    /// no group, its consensus is empty).
    pub(super) fn move_rank(&mut self, rank: u32, positive: bool, from: Option<usize>, to: Option<usize>) {
        let side = usize::from(positive);
        if let Some(g) = from {
            self.sizes[g] -= 1;
            let moves = self.moves_of(g);
            // Moved in since the build: undo that; else it was built there.
            if !remove_sorted(&mut moves.into[side], rank) {
                insert_sorted(&mut moves.out[side], rank);
            }
        }
        if let Some(g) = to {
            self.sizes[g] += 1;
            let moves = self.moves_of(g);
            if !remove_sorted(&mut moves.out[side], rank) {
                insert_sorted(&mut moves.into[side], rank);
            }
        }
    }

    fn moves_of(&mut self, g: usize) -> &mut Moves {
        if self.moves.len() <= g {
            self.moves.resize_with(g + 1, Moves::default);
        }
        &mut self.moves[g]
    }
}

/// Removes `x` from sorted `v`; false if it was not there.
fn remove_sorted(v: &mut Vec<u32>, x: u32) -> bool {
    match v.binary_search(&x) {
        Ok(i) => {
            v.remove(i);
            true
        }
        Err(_) => false,
    }
}

fn insert_sorted(v: &mut Vec<u32>, x: u32) {
    if let Err(i) = v.binary_search(&x) {
        v.insert(i, x);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_count_like_a_rebuild() {
        // Ranks 0..6 ascending; positives at 1, 3, 5. Groups: 0 = {0, 1, 2}, 1 = {3, 4}, 5 alone.
        let positive = [false, true, false, true, false, true];
        let scores = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
        let build = |group: &[Option<u32>]| ScoreGroups::build(3, &positive, |i| group[i]);
        let mut ids = TagsetIds::new(2);
        for bits in 1..=3 {
            ids.get_or_insert(bits, || bits as u32 - 1);
        }
        let before = [Some(0), Some(0), Some(0), Some(1), Some(1), None];
        let mut sets = Tagsets::new(build(&before), ids, vec![1, 2, 3], vec![Hlp::default(); 3]);
        // Rank 1 (positive) to group 1, rank 4 out of any group, rank 5 into group 2, rank 1
        // back and on to group 2.
        sets.move_rank(1, true, Some(0), Some(1));
        sets.move_rank(4, false, Some(1), None);
        sets.move_rank(5, true, None, Some(2));
        sets.move_rank(1, true, Some(1), Some(0));
        sets.move_rank(1, true, Some(0), Some(2));
        let after = [Some(0), Some(2), Some(0), Some(1), None, Some(2)];
        let rebuilt = build(&after);
        for g in 0..3 {
            for t in [0.0, 0.15, 0.25, 0.45, 0.55, 1.0] {
                let cut = Cut::new(&scores, t);
                assert_eq!(sets.counts(g, cut).confusion, rebuilt.confusion(g, cut), "group {g} at {t}");
            }
        }
        assert_eq!(sets.groups().collect::<Vec<_>>(), vec![(0, 1), (1, 2), (2, 3)]);
        sets.move_rank(3, true, Some(1), None);
        assert_eq!(sets.groups().collect::<Vec<_>>(), vec![(0, 1), (2, 3)], "an emptied group is skipped");
        assert_eq!(sets.group_of(2), 1);
        assert_eq!(sets.group_of(3), 2);
    }
}
