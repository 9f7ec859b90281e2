//! The label rows of a snapshot, editable one (pair, labeler) at a time: what a label edit
//! ([`Prepared::set_label`](super::Prepared::set_label)) needs to know about the pair's other
//! labels. The rows as read stay in their columns, indexed by pair; the few pairs edited
//! since keep their rows apart, so an edit never moves the columns.

use std::collections::HashMap;

use super::label_index::LabelIndex;
use super::pair_labels::PairLabels;
use super::snapshot::{Labels, Snapshot, SnapshotError, TagBits, Truth};

/// One labeler's label on one pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LabelRow {
    pub labeler: u32,
    /// `None`: tags without a verdict.
    pub verdict: Option<Truth>,
    pub tags: TagBits,
}

/// The label rows of every pair of a snapshot, as edits leave them.
#[derive(Clone, Debug, Default)]
pub struct LabelBook {
    labels: Labels,
    index: LabelIndex,
    pairs: usize,
    /// Pairs edited since: their rows, in labeler order.
    edited: HashMap<u32, Vec<LabelRow>>,
}

impl LabelBook {
    /// The labels of `snapshot`, taken out of it (its label columns are left empty). The
    /// labels are validated as [`Prepared::new`](super::Prepared::new) does.
    pub fn take(snapshot: &mut Snapshot) -> Result<LabelBook, SnapshotError> {
        let index = snapshot.validate_labels()?;
        let labels = std::mem::take(&mut snapshot.labels);
        Ok(LabelBook { labels, index, pairs: snapshot.pair_count(), edited: HashMap::new() })
    }

    /// Number of pairs.
    pub fn pair_count(&self) -> usize {
        self.pairs
    }

    /// The labels of `pair` (`< pair_count()`), in labeler order.
    pub fn rows(&self, pair: usize) -> Vec<LabelRow> {
        if let Some(rows) = self.edited.get(&(pair as u32)) {
            return rows.clone();
        }
        let l = &self.labels;
        let mut rows: Vec<LabelRow> = self
            .index
            .rows(pair)
            .map(|r| LabelRow { labeler: l.labeler[r], verdict: l.verdict[r], tags: l.tags[r] })
            .collect();
        rows.sort_by_key(|r| r.labeler);
        rows
    }

    /// `labeler`'s label on `pair`, if any.
    pub fn label(&self, pair: usize, labeler: u32) -> Option<LabelRow> {
        self.rows(pair).into_iter().find(|r| r.labeler == labeler)
    }

    /// Every label row, pair by pair (for preparing from scratch).
    pub fn to_labels(&self) -> Labels {
        let mut labels = Labels::default();
        for pair in 0..self.pairs {
            for row in self.rows(pair) {
                labels.push(pair as u32, row.labeler, row.verdict, row.tags);
            }
        }
        labels
    }

    pub(crate) fn set_rows(&mut self, pair: usize, rows: Vec<LabelRow>) {
        self.edited.insert(pair as u32, rows);
    }
}

/// The rows of one pair with `labeler`'s label replaced (removed when it has neither a
/// verdict nor tags, as the store keeps no such row), in labeler order.
pub(crate) fn with_label(
    mut rows: Vec<LabelRow>,
    labeler: u32,
    verdict: Option<Truth>,
    tags: TagBits,
) -> Vec<LabelRow> {
    rows.retain(|r| r.labeler != labeler);
    if verdict.is_some() || tags != 0 {
        let at = rows.partition_point(|r| r.labeler < labeler);
        rows.insert(at, LabelRow { labeler, verdict, tags });
    }
    rows
}

/// What the analysis reads of one pair's rows.
pub(crate) fn summarize(rows: &[LabelRow]) -> PairLabels {
    let mut labels = Labels::default();
    for r in rows {
        labels.push(0, r.labeler, r.verdict, r.tags);
    }
    let mut summary = PairLabels::default();
    summary.collect(&labels, 0..rows.len());
    summary
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::snapshot::Truth::{Different, Same};

    #[test]
    fn rows_follow_the_edits_in_labeler_order() {
        let mut s = Snapshot::with_pairs(3, vec!["dark".into()], vec!["a".into(), "b".into(), "c".into()]);
        s.labels.push(2, 1, Some(Same), 0);
        s.labels.push(0, 2, None, 1);
        s.labels.push(2, 0, Some(Different), 1);
        let mut book = LabelBook::take(&mut s).unwrap();
        assert!(s.labels.is_empty());
        assert_eq!(book.rows(1), vec![]);
        assert_eq!(book.label(2, 0), Some(LabelRow { labeler: 0, verdict: Some(Different), tags: 1 }));
        let rows = with_label(book.rows(2), 2, Some(Same), 0);
        assert_eq!(rows.iter().map(|r| r.labeler).collect::<Vec<_>>(), vec![0, 1, 2]);
        let rows = with_label(rows, 1, None, 0);
        assert_eq!(rows.iter().map(|r| r.labeler).collect::<Vec<_>>(), vec![0, 2], "nothing left: no row");
        book.set_rows(2, rows);
        assert_eq!(book.to_labels().labeler, vec![2, 0, 2]);
        let summary = summarize(&book.rows(2));
        assert_eq!((summary.labelers, summary.union), (2, 1));
    }

    #[test]
    fn invalid_labels_are_refused() {
        let mut s = Snapshot::with_pairs(1, vec![], vec!["a".into()]);
        s.labels.push(3, 0, None, 0);
        assert!(LabelBook::take(&mut s).is_err());
    }
}
