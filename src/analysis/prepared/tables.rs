//! The per-threshold queries the GUI runs on every threshold change (each a few binary
//! searches per group), and the curves, which do not depend on the threshold.

use super::Prepared;
use crate::analysis::confusion::Confusion;
use crate::analysis::roc::{self, DetPoint, RocPoint};
use crate::analysis::score_groups::Cut;
use crate::analysis::slices::{SliceCounts, SliceKey, SliceRow, SliceSort, sort_rows};
use crate::analysis::snapshot::{SPLITS, tag_indices};
use crate::analysis::splits::{SplitRow, SplitTable};
use crate::analysis::threshold::{OperatingPoint, RuleError, ThresholdRule};

use super::LiveTables;

impl Prepared {
    /// Confusion counts over all evaluable pairs (a NaN threshold behaves as +∞).
    pub fn confusion_at(&self, threshold: f64) -> Confusion {
        self.candidates.confusion_at(threshold)
    }

    /// The operating point a rule picks; O(log n) for every rule.
    pub fn operating_point(&self, rule: ThresholdRule) -> Result<OperatingPoint, RuleError> {
        self.candidates.operating_point(rule)
    }

    /// Operating point, per-tag table and split table at the threshold a rule picks.
    pub fn live(&self, rule: ThresholdRule) -> Result<LiveTables, RuleError> {
        let operating_point = self.operating_point(rule)?;
        let t = operating_point.threshold;
        Ok(LiveTables { operating_point, tags: self.tag_table(t), splits: self.split_table(t) })
    }

    /// One row per tag with at least one evaluable pair in its slice, sorted by priority.
    pub fn tag_table(&self, threshold: f64) -> Vec<SliceRow> {
        let cut = self.cut(threshold);
        let mut acc = vec![SliceCounts::default(); self.tag_names.len()];
        for (g, bits) in self.tagsets.groups() {
            let counts = self.tagsets.counts(g, cut);
            for tag in tag_indices(bits) {
                acc[tag] += counts;
            }
        }
        let rows = acc
            .into_iter()
            .enumerate()
            .map(|(tag, counts)| (SliceKey::Tag { tag }, self.tag_names[tag].clone(), counts));
        self.rows(threshold, rows)
    }

    /// Slices of two tags with at least `min_pairs` evaluable pairs (and at least one),
    /// worst first (sorted by priority).
    pub fn tag_pair_table(&self, threshold: f64, min_pairs: u64) -> Vec<SliceRow> {
        let tags = self.tag_names.len();
        let cut = self.cut(threshold);
        let mut acc = vec![SliceCounts::default(); tags * tags];
        for (g, bits) in self.tagsets.groups() {
            if bits.count_ones() < 2 {
                continue;
            }
            let counts = self.tagsets.counts(g, cut);
            for a in tag_indices(bits) {
                for b in tag_indices(bits & !((2 << a) - 1)) {
                    acc[a * tags + b] += counts;
                }
            }
        }
        let rows = (0..tags)
            .flat_map(|a| (a + 1..tags).map(move |b| (a, b)))
            .filter(|&(a, b)| acc[a * tags + b].confusion.total() >= min_pairs.max(1))
            .map(|(a, b)| {
                let name = format!("{} + {}", self.tag_names[a], self.tag_names[b]);
                (SliceKey::TagPair { a, b }, name, acc[a * tags + b])
            });
        self.rows(threshold, rows)
    }

    /// The same table as [`Prepared::tag_table`], one row per value of a metadata column
    /// (pairs without a value are left out). `None` for an unknown column.
    pub fn metadata_table(&self, column: usize, threshold: f64) -> Option<Vec<SliceRow>> {
        let m = self.metadata.get(column)?;
        let cut = self.cut(threshold);
        let rows = (0..m.values.len()).map(|value| {
            let counts = SliceCounts { confusion: m.groups.confusion(value, cut), human: m.human[value] };
            (SliceKey::Metadata { column, value }, m.values[value].clone(), counts)
        });
        Some(self.rows(threshold, rows))
    }

    /// Model error per split next to human error, and the diagnosis.
    pub fn split_table(&self, threshold: f64) -> SplitTable {
        let cut = self.cut(threshold);
        let rows = SPLITS
            .iter()
            .filter_map(|&split| {
                let c = self.splits.confusion(split.index(), cut);
                let pairs = c.total();
                (pairs > 0).then(|| SplitRow::new(split, pairs, c.errors(), self.split_human[split.index()].error()))
            })
            .collect();
        SplitTable::new(rows, self.hlp.overall)
    }

    /// The evaluable pairs the model gets wrong at `threshold`, in ascending pair order.
    pub fn error_pairs(&self, threshold: f64) -> Vec<u32> {
        let cut = self.cut(threshold).0 as usize;
        let (below, above) = self.ascending_positive.split_at(cut);
        let mut errors: Vec<u32> = below
            .iter()
            .enumerate()
            .filter(|&(_, &p)| p)
            .map(|(i, _)| self.ascending_pairs[i])
            .chain(above.iter().enumerate().filter(|&(_, &p)| !p).map(|(i, _)| self.ascending_pairs[cut + i]))
            .collect();
        errors.sort_unstable();
        errors
    }

    // ---- curves (threshold-independent, computed on demand) ------------------------

    /// Area under the ROC curve (ties count one half, as scikit-learn's
    /// `roc_auc_score`); `None` without both positives and negatives.
    pub fn auc(&self) -> Option<f64> {
        self.auc
    }

    /// The ROC curve from threshold +∞ down, one point per candidate (as scikit-learn's
    /// `roc_curve`; `drop_intermediate` drops the points on straight segments the same
    /// way). `None` without both positives and negatives.
    pub fn roc_curve(&self, drop_intermediate: bool) -> Option<Vec<RocPoint>> {
        roc::roc_curve(&self.candidates, drop_intermediate)
    }

    /// FPR and FNR at every candidate, from threshold +∞ down.
    pub fn det_curve(&self) -> Option<Vec<DetPoint>> {
        roc::det_curve(&self.candidates)
    }

    /// The best TPR with FPR ≤ `max_fpr` (the recall of the `max-fpr` rule); `None`
    /// without both positives and negatives.
    pub fn tpr_at_fpr(&self, max_fpr: f64) -> Option<f64> {
        if self.positives() == 0 || self.negatives() == 0 || max_fpr.is_nan() {
            return None;
        }
        let i = self.candidates.max_fpr(max_fpr);
        self.candidates.confusion(i).rates().recall
    }

    // ---- helpers -------------------------------------------------------------------

    fn cut(&self, threshold: f64) -> Cut {
        Cut::new(&self.ascending_scores, threshold)
    }

    fn rows(&self, threshold: f64, slices: impl Iterator<Item = (SliceKey, String, SliceCounts)>) -> Vec<SliceRow> {
        let all_errors = self.confusion_at(threshold).errors();
        let evaluable = self.counts.evaluable;
        let mut rows: Vec<SliceRow> =
            slices.filter_map(|(key, name, counts)| SliceRow::new(name, key, counts, evaluable, all_errors)).collect();
        sort_rows(&mut rows, SliceSort::Priority);
        rows
    }
}
