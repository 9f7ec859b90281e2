//! One labeler's label on one pair changes (a verdict or a tag in review): the pair's share
//! of every label-derived column is taken out and put back as it is now: HLP (overall, per
//! labeler, per split, metadata value and tag set), its consensus and tag set, the agreement
//! sums and its disagreement. Scores and truth do not change, so the score order, the
//! candidate thresholds and the curves stay. The result equals preparing the edited snapshot
//! from scratch, exactly (integer sums), in O(labels of the pair + labelers² + tags) plus a
//! binary search per moved rank and the finish of the agreement.

use std::fmt;

use super::Prepared;
use super::build::NO_RANK;
use crate::analysis::hlp::Hlp;
use crate::analysis::label_book::{LabelBook, summarize, with_label};
use crate::analysis::pair_labels::PairLabels;
use crate::analysis::snapshot::{Snapshot, TagBits, Truth, tag_mask};

/// A label edit that does not fit the prepared snapshot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LabelEditError {
    /// The pair index is not in the snapshot, or the book or snapshot is another one's.
    UnknownPair { pair: usize },
    /// The labeler index is not in the snapshot (a labeler added since it was read).
    UnknownLabeler { labeler: usize },
    /// Tag bits beyond the snapshot's tags (a tag added since it was read).
    UnknownTag { tags: TagBits },
}

impl fmt::Display for LabelEditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LabelEditError::UnknownPair { pair } => write!(f, "pair {pair} is not in the analysed snapshot"),
            LabelEditError::UnknownLabeler { labeler } => {
                write!(f, "labeler {labeler} is not in the analysed snapshot")
            }
            LabelEditError::UnknownTag { tags } => write!(f, "tags {tags:#b} are not all in the analysed snapshot"),
        }
    }
}

impl std::error::Error for LabelEditError {}

impl Prepared {
    /// Sets `labeler`'s label on `pair` to `verdict` and `tags` (neither: the label goes) and
    /// updates every table in place. `book` holds the labels this analysis was prepared from
    /// (see [`LabelBook::take`]) and is kept in step here; `snapshot` gives the pair's other
    /// columns (truth, split, metadata, override) and must be the one it was prepared from
    /// (its label columns are not read). Returns whether anything changed.
    pub fn set_label(
        &mut self,
        snapshot: &Snapshot,
        book: &mut LabelBook,
        pair: usize,
        labeler: usize,
        verdict: Option<Truth>,
        tags: TagBits,
    ) -> Result<bool, LabelEditError> {
        let n = self.consensus.len();
        if pair >= n || book.pair_count() != n || snapshot.pair_count() != n {
            return Err(LabelEditError::UnknownPair { pair });
        }
        if labeler >= self.labeler_names.len() {
            return Err(LabelEditError::UnknownLabeler { labeler });
        }
        if tags & !tag_mask(self.tag_names.len()) != 0 {
            return Err(LabelEditError::UnknownTag { tags });
        }
        let before = book.rows(pair);
        let after = with_label(before.clone(), labeler as u32, verdict, tags);
        if after == before {
            return Ok(false);
        }
        self.replace_pair_labels(snapshot, pair, &summarize(&before), &summarize(&after));
        book.set_rows(pair, after);
        Ok(true)
    }

    fn replace_pair_labels(&mut self, snapshot: &Snapshot, pair: usize, before: &PairLabels, after: &PairLabels) {
        let truth = snapshot.truth[pair];
        let old_human = self.count_verdicts(&before.verdicts, truth, false);
        let new_human = self.count_verdicts(&after.verdicts, truth, true);
        for &(labeler, _) in before.verdicts.iter().chain(&after.verdicts) {
            let l = labeler as usize;
            self.hlp.gave_verdicts[l] = self.verdicts_given[l] > 0;
        }
        let swap = |h: &mut Hlp| {
            *h -= old_human;
            *h += new_human;
        };

        let old_bits = self.consensus[pair];
        let new_bits = snapshot.consensus_override[pair].unwrap_or_else(|| after.consensus());
        self.consensus[pair] = new_bits;
        let rank = self.rank_of_pair[pair];
        if rank != NO_RANK {
            if let Some(split) = snapshot.split[pair] {
                swap(&mut self.split_human[split.index()]);
            }
            for (groups, column) in self.metadata.iter_mut().zip(&snapshot.metadata) {
                if let Some(code) = column.codes[pair] {
                    swap(&mut groups.human[code as usize]);
                }
            }
            let from = (old_bits != 0).then(|| self.tagsets.group_of(old_bits));
            let to = (new_bits != 0).then(|| self.tagsets.group_of(new_bits));
            if let Some(g) = from {
                *self.tagsets.human_mut(g) -= old_human;
            }
            if let Some(g) = to {
                *self.tagsets.human_mut(g) += new_human;
            }
            if from != to {
                self.tagsets.move_rank(rank, self.ascending_positive[rank as usize], from, to);
            }
        }

        self.agreement_sums.count(before, false);
        self.agreement_sums.count(after, true);
        let mut disagreements = std::mem::take(&mut self.agreement.disagreements);
        // In place when the pair stays a disagreement (or stays none): the list can be long.
        let at = disagreements.partition_point(|d| (d.pair as usize) < pair);
        let listed = disagreements.get(at).is_some_and(|d| d.pair as usize == pair);
        match (listed, after.disagreement(pair)) {
            (true, Some(d)) => disagreements[at] = d,
            (true, None) => {
                disagreements.remove(at);
            }
            (false, Some(d)) => disagreements.insert(at, d),
            (false, None) => {}
        }
        self.agreement = self.agreement_sums.agreement(&self.hlp.gave_verdicts, disagreements);
    }

    /// Adds (`up`) or takes back one pair's verdicts in the HLP counts; returns the pair's own.
    fn count_verdicts(&mut self, verdicts: &[(u32, Truth)], truth: Option<Truth>, up: bool) -> Hlp {
        let mut pair = Hlp::default();
        for &(labeler, verdict) in verdicts {
            let l = labeler as usize;
            let right = Hlp { correct: u64::from(Some(verdict) == truth), total: 1 };
            if up {
                self.verdicts_given[l] += 1;
            } else {
                self.verdicts_given[l] -= 1;
            }
            if truth.is_some() {
                pair += right;
                if up {
                    self.hlp.labelers[l] += right;
                } else {
                    self.hlp.labelers[l] -= right;
                }
            }
        }
        if up {
            self.hlp.overall += pair;
        } else {
            self.hlp.overall -= pair;
        }
        pair
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::snapshot::Truth::{Different, Same};

    #[test]
    fn edits_outside_the_snapshot_are_errors() {
        let mut s = Snapshot::with_pairs(2, vec!["dark".into()], vec!["ann".into()]);
        let mut p = Prepared::new(&s).unwrap();
        let mut book = LabelBook::take(&mut s).unwrap();
        assert_eq!(p.set_label(&s, &mut book, 2, 0, Some(Same), 0), Err(LabelEditError::UnknownPair { pair: 2 }));
        assert_eq!(p.set_label(&s, &mut book, 0, 1, Some(Same), 0), Err(LabelEditError::UnknownLabeler { labeler: 1 }));
        assert_eq!(p.set_label(&s, &mut book, 0, 0, None, 0b10), Err(LabelEditError::UnknownTag { tags: 0b10 }));
        assert_eq!(p.set_label(&s, &mut book, 0, 0, None, 0), Ok(false), "no label, none set: nothing changed");
        assert_eq!(p.set_label(&s, &mut book, 1, 0, Some(Different), 1), Ok(true));
        assert_eq!(p.consensus(), &[0, 1]);
        assert!(p.hlp().gave_verdicts[0]);
    }
}
