//! Everything derived from a snapshot once per data change, and the cheap per-threshold
//! queries the GUI runs on every threshold change.
//!
//! Evaluable pairs are sorted by score once; every grouping (distinct consensus tag sets,
//! splits, metadata values) keeps its positives' and negatives' scores sorted, so the
//! confusion counts of any slice at any threshold are two binary searches. A threshold
//! change costs O(groups × log n), independent of the number of pairs; per-tag and
//! two-tag rows are sums over the tag sets that contain them.
//!
//! Building it is linear apart from one radix sort, and on large snapshots runs on two
//! threads: one validates the labels and walks the labels of the first 2/3 of the pairs
//! (consensus, HLP, agreement, per-group human counts); the other sorts the scores, then
//! walks the labels of the remaining pairs. The two label parts merge exactly (integer
//! sums; tag-set ids renumbered), so the result is the same on one thread or two.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::sync::OnceLock;

use serde::Serialize;

use super::agreement::{self, Agreement};
use super::confusion::Confusion;
use super::hlp::{Hlp, HlpSummary};
use super::label_index::LabelIndex;
use super::pair_labels::PairLabels;
use super::roc::{self, DetPoint, RocPoint};
use super::score_groups::{Cut, ScoreGroups};
use super::score_order::{Scored, order_key, radix_sort, score_of};
use super::slices::{SliceCounts, SliceKey, SliceRow, SliceSort, sort_rows};
#[cfg(test)]
use super::snapshot::Labels;
use super::snapshot::{SPLITS, Snapshot, SnapshotError, TagBits, Truth, tag_indices};
use super::splits::{SplitRow, SplitTable};
use super::threshold::{Candidates, OperatingPoint, RuleError, ThresholdRule};

/// How many pairs there are, and how many can be evaluated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PairCounts {
    pub total: u64,
    pub with_truth: u64,
    pub scored: u64,
    /// With a truth and a score.
    pub evaluable: u64,
}

/// The tables that change with the threshold: what the GUI recomputes on every change.
#[derive(Clone, Debug, PartialEq)]
pub struct LiveTables {
    pub operating_point: OperatingPoint,
    /// Per-tag table sorted by priority.
    pub tags: Vec<SliceRow>,
    pub splits: SplitTable,
}

/// A metadata column's names, kept for its table.
#[derive(Clone, Debug)]
struct MetadataGroups {
    name: String,
    values: Vec<String>,
    groups: ScoreGroups,
    human: Vec<Hlp>,
}

/// The analysis of one snapshot, computed once per data change.
#[derive(Clone, Debug)]
pub struct Prepared {
    tag_names: Vec<String>,
    labeler_names: Vec<String>,
    counts: PairCounts,
    consensus: Vec<TagBits>,
    hlp: HlpSummary,
    agreement: Agreement,
    candidates: Candidates,
    auc: Option<f64>,
    /// Evaluable pairs in ascending score order, with their scores and truths.
    ascending_pairs: Vec<u32>,
    ascending_scores: Vec<f64>,
    ascending_positive: Vec<bool>,
    /// Evaluable pairs grouped by their (non-empty) consensus tag set.
    tagsets: ScoreGroups,
    tagset_bits: Vec<TagBits>,
    tagset_human: Vec<Hlp>,
    splits: ScoreGroups,
    split_human: Vec<Hlp>,
    metadata: Vec<MetadataGroups>,
}

impl Prepared {
    /// Validates the snapshot and derives everything that does not depend on the
    /// threshold, including agreement and the ROC area.
    ///
    /// The label side (consensus, HLP, agreement) and the score side (sorting, curves,
    /// per-group sorted scores) are independent, so on large snapshots they run on two
    /// threads. About 0.1 s for a million pairs: call it off the GUI thread, then use the
    /// per-threshold methods on every frame.
    pub fn new(snapshot: &Snapshot) -> Result<Prepared, SnapshotError> {
        let parallel = snapshot.pair_count() + snapshot.labels.len() >= PARALLEL_FROM;
        Prepared::new_on_threads(snapshot, parallel)
    }

    /// [`Prepared::new`] on two threads or one; the results are identical.
    pub(crate) fn new_on_threads(snapshot: &Snapshot, parallel: bool) -> Result<Prepared, SnapshotError> {
        snapshot.validate_pairs()?;
        let n = snapshot.pair_count();
        let (labels, scores) = if parallel {
            // Two threads of about equal work (measured with perf on the benchmark): label
            // validation and the labels of the first 2/3 of the pairs; the scores, then the
            // labels of the rest once the label index is ready.
            let split_at = n * 2 / 3;
            let index: OnceLock<Result<LabelIndex, SnapshotError>> = OnceLock::new();
            std::thread::scope(|scope| {
                let other = scope.spawn(|| {
                    let scores = ScoreSide::new(snapshot);
                    let labels = index.wait().as_ref().ok().map(|index| LabelSide::new(snapshot, index, split_at..n));
                    (scores, labels)
                });
                let index = index.get_or_init(|| snapshot.validate_labels()).as_ref().map_err(Clone::clone)?;
                let mut labels = LabelSide::new(snapshot, index, 0..split_at);
                let (scores, later) = other.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                labels.merge(later.expect("the label index is valid on both threads"));
                Ok::<_, SnapshotError>((labels, scores))
            })?
        } else {
            let index = snapshot.validate_labels()?;
            (LabelSide::new(snapshot, &index, 0..n), ScoreSide::new(snapshot))
        };
        let agreement = labels.agreement.finish(&labels.hlp.gave_verdicts);
        let tagset_of_item: Vec<u32> =
            scores.ascending_pairs.iter().map(|&p| labels.tagset_of_pair[p as usize]).collect();
        let tagsets = ScoreGroups::build(labels.tagset_bits.len(), &scores.ascending_positive, |i| {
            let id = tagset_of_item[i];
            (id != NO_TAGSET).then_some(id)
        });
        let metadata = snapshot
            .metadata
            .iter()
            .zip(scores.metadata)
            .zip(labels.metadata_human)
            .map(|((column, groups), human)| MetadataGroups {
                name: column.name.clone(),
                values: column.values.clone(),
                groups,
                human,
            })
            .collect();
        Ok(Prepared {
            tag_names: snapshot.tag_names.clone(),
            labeler_names: snapshot.labeler_names.clone(),
            counts: scores.counts,
            consensus: labels.consensus,
            hlp: labels.hlp,
            agreement,
            candidates: scores.candidates,
            auc: scores.auc,
            ascending_pairs: scores.ascending_pairs,
            ascending_scores: scores.ascending_scores,
            ascending_positive: scores.ascending_positive,
            tagsets,
            tagset_bits: labels.tagset_bits,
            tagset_human: labels.tagset_human,
            splits: scores.splits,
            split_human: labels.split_human,
            metadata,
        })
    }

    pub fn tag_names(&self) -> &[String] {
        &self.tag_names
    }

    pub fn labeler_names(&self) -> &[String] {
        &self.labeler_names
    }

    /// Names of the metadata columns, in snapshot order.
    pub fn metadata_names(&self) -> impl Iterator<Item = &str> {
        self.metadata.iter().map(|m| m.name.as_str())
    }

    pub fn pair_counts(&self) -> PairCounts {
        self.counts
    }

    /// Consensus tags per pair (overrides applied).
    pub fn consensus(&self) -> &[TagBits] {
        &self.consensus
    }

    pub fn hlp(&self) -> &HlpSummary {
        &self.hlp
    }

    pub fn agreement(&self) -> &Agreement {
        &self.agreement
    }

    /// Evaluable pairs with truth `same` / `different`.
    pub fn positives(&self) -> u64 {
        self.candidates.positives()
    }

    pub fn negatives(&self) -> u64 {
        self.candidates.negatives()
    }

    // ---- per threshold -------------------------------------------------------------

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
        for (g, &bits) in self.tagset_bits.iter().enumerate() {
            let counts = self.tagset_counts(g, cut);
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
        for (g, &bits) in self.tagset_bits.iter().enumerate() {
            if bits.count_ones() < 2 {
                continue;
            }
            let counts = self.tagset_counts(g, cut);
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
                (pairs > 0).then(|| SplitRow {
                    split,
                    pairs,
                    errors: c.errors(),
                    error_rate: c.errors() as f64 / pairs as f64,
                    human_error: self.split_human[split.index()].error(),
                })
            })
            .collect();
        SplitTable::new(rows, self.hlp.overall.error())
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

    fn tagset_counts(&self, g: usize, cut: Cut) -> SliceCounts {
        SliceCounts { confusion: self.tagsets.confusion(g, cut), human: self.tagset_human[g] }
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

/// Snapshots this large (pairs + label rows) are prepared on two threads.
const PARALLEL_FROM: usize = 50_000;
/// Tag-set id of a pair without consensus tags or not evaluable.
const NO_TAGSET: u32 = u32::MAX;
/// Split code of a pair without split, in the sort payload.
const NO_SPLIT: u32 = 0b111;

fn is_evaluable(snapshot: &Snapshot, pair: usize) -> bool {
    snapshot.truth[pair].is_some() && !snapshot.score[pair].is_nan()
}

/// What comes from the labels of a range of pairs: consensus, HLP, agreement sums, and per
/// group the human verdict counts of its evaluable pairs (sums need no score order).
/// Parts over consecutive ranges merge, so the work can be split between two threads.
struct LabelSide {
    /// Per pair of the range.
    consensus: Vec<TagBits>,
    hlp: HlpSummary,
    agreement: agreement::Sums,
    /// Per pair of the range: the id of its consensus tag set among evaluable pairs, or
    /// `NO_TAGSET`.
    tagset_of_pair: Vec<u32>,
    tagset_ids: TagsetIds,
    tagset_bits: Vec<TagBits>,
    tagset_human: Vec<Hlp>,
    split_human: Vec<Hlp>,
    metadata_human: Vec<Vec<Hlp>>,
}

impl LabelSide {
    /// One pass over the labels of the pairs in `range`.
    fn new(snapshot: &Snapshot, index: &LabelIndex, range: Range<usize>) -> Self {
        let labels = &snapshot.labels;
        let mut side = LabelSide {
            consensus: Vec::with_capacity(range.len()),
            hlp: HlpSummary::new(snapshot.labeler_names.len()),
            agreement: agreement::Sums::new(snapshot),
            tagset_of_pair: Vec::with_capacity(range.len()),
            tagset_ids: TagsetIds::new(snapshot.tag_names.len()),
            tagset_bits: Vec::new(),
            tagset_human: Vec::new(),
            split_human: vec![Hlp::default(); SPLITS.len()],
            metadata_human: snapshot.metadata.iter().map(|m| vec![Hlp::default(); m.values.len()]).collect(),
        };
        let mut pair = PairLabels::default();
        for p in range {
            // Rows grouped by pair (the usual case) are sliced directly.
            match index.contiguous(p) {
                Some(rows) => pair.collect(labels, rows),
                None => pair.collect(labels, index.rows(p)),
            }
            let human = side.hlp.tally(&pair.verdicts, snapshot.truth[p]);
            side.agreement.add(p, &pair);
            let bits = snapshot.consensus_override[p].unwrap_or_else(|| pair.consensus());
            side.consensus.push(bits);
            let evaluable = is_evaluable(snapshot, p);
            let tagset = if evaluable && bits != 0 { side.tagset_id(bits, human) } else { NO_TAGSET };
            side.tagset_of_pair.push(tagset);
            if !evaluable {
                continue;
            }
            if let Some(split) = snapshot.split[p] {
                side.split_human[split.index()] += human;
            }
            for (groups, column) in side.metadata_human.iter_mut().zip(&snapshot.metadata) {
                if let Some(code) = column.codes[p] {
                    groups[code as usize] += human;
                }
            }
        }
        side
    }

    /// The id of tag set `bits`, adding `human` to its counts.
    fn tagset_id(&mut self, bits: TagBits, human: Hlp) -> u32 {
        let (tagset_bits, tagset_human) = (&mut self.tagset_bits, &mut self.tagset_human);
        let id = self.tagset_ids.get_or_insert(bits, || {
            tagset_bits.push(bits);
            tagset_human.push(Hlp::default());
            tagset_bits.len() as u32 - 1
        });
        tagset_human[id as usize] += human;
        id
    }

    /// Appends the part for the pairs right after ours; its tag-set ids are renumbered.
    fn merge(&mut self, later: LabelSide) {
        self.consensus.extend(later.consensus);
        self.hlp.merge(&later.hlp);
        self.agreement.merge(later.agreement);
        let renumber: Vec<u32> = later
            .tagset_bits
            .iter()
            .zip(later.tagset_human)
            .map(|(&bits, human)| self.tagset_id(bits, human))
            .collect();
        self.tagset_of_pair
            .extend(later.tagset_of_pair.iter().map(|&id| if id == NO_TAGSET { id } else { renumber[id as usize] }));
        for (mine, theirs) in self.split_human.iter_mut().zip(later.split_human) {
            *mine += theirs;
        }
        for (mine, theirs) in self.metadata_human.iter_mut().zip(later.metadata_human) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                *a += b;
            }
        }
    }
}

/// What comes from the scores: evaluable pairs in score order, candidate thresholds, AUC,
/// and the sorted scores of each split and metadata value.
struct ScoreSide {
    counts: PairCounts,
    ascending_pairs: Vec<u32>,
    ascending_scores: Vec<f64>,
    ascending_positive: Vec<bool>,
    candidates: Candidates,
    auc: Option<f64>,
    splits: ScoreGroups,
    metadata: Vec<ScoreGroups>,
}

impl ScoreSide {
    fn new(snapshot: &Snapshot) -> Self {
        let n = snapshot.pair_count();
        // The sort carries truth and split along, so grouping by split reads in order.
        let records: Vec<Scored> = (0..n)
            .filter(|&p| is_evaluable(snapshot, p))
            .map(|p| {
                let positive = snapshot.truth[p] == Some(Truth::Same);
                let split = snapshot.split[p].map_or(NO_SPLIT, |s| s.index() as u32);
                Scored { key: order_key(snapshot.score[p]), pair: p as u32, payload: u32::from(positive) << 31 | split }
            })
            .collect();
        // Stable, on records in pair order: ties stay in pair order, deterministically.
        let sorted = radix_sort(records);
        let mut ascending_pairs = Vec::with_capacity(sorted.len());
        let mut ascending_scores = Vec::with_capacity(sorted.len());
        let mut ascending_positive = Vec::with_capacity(sorted.len());
        for r in &sorted {
            ascending_pairs.push(r.pair);
            ascending_scores.push(score_of(r.key));
            ascending_positive.push(r.payload >> 31 == 1);
        }
        let counts = PairCounts {
            total: n as u64,
            with_truth: snapshot.truth.iter().filter(|t| t.is_some()).count() as u64,
            scored: snapshot.score.iter().filter(|s| !s.is_nan()).count() as u64,
            evaluable: sorted.len() as u64,
        };
        let candidates =
            Candidates::from_descending(ascending_scores.iter().copied().zip(ascending_positive.iter().copied()).rev());
        let auc = roc::auc(&ascending_scores, &ascending_positive);
        let splits = ScoreGroups::build(SPLITS.len(), &ascending_positive, |i| {
            let split = sorted[i].payload & NO_SPLIT;
            (split != NO_SPLIT).then_some(split)
        });
        let metadata = snapshot
            .metadata
            .iter()
            .map(|column| {
                // Gathered once (missing as u32::MAX): the build reads codes twice, in rank order.
                let codes: Vec<u32> =
                    ascending_pairs.iter().map(|&p| column.codes[p as usize].unwrap_or(u32::MAX)).collect();
                ScoreGroups::build(column.values.len(), &ascending_positive, |i| {
                    (codes[i] != u32::MAX).then_some(codes[i])
                })
            })
            .collect();
        ScoreSide { counts, ascending_pairs, ascending_scores, ascending_positive, candidates, auc, splits, metadata }
    }
}

/// Ids of distinct tag sets: a direct table for up to 16 tags, else a hash map.
enum TagsetIds {
    Direct(Vec<u32>),
    Hashed(HashMap<TagBits, u32, BuildHasherDefault<MixHasher>>),
}

impl TagsetIds {
    fn new(tags: usize) -> Self {
        if tags <= 16 { TagsetIds::Direct(vec![NO_TAGSET; 1 << tags]) } else { TagsetIds::Hashed(HashMap::default()) }
    }

    fn get_or_insert(&mut self, bits: TagBits, new_id: impl FnOnce() -> u32) -> u32 {
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
#[derive(Default)]
struct MixHasher(u64);

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::snapshot::Split;
    use crate::analysis::snapshot::Truth::{Different, Same};

    /// Six pairs, tags "dark" (bit 0) and "blurry" (bit 1), two labelers.
    ///
    /// pair score truth split   consensus  verdicts (ann, bob)
    /// 0    0.9   same  train   dark       same, same
    /// 1    0.8   diff  train   dark+blur  same, diff
    /// 2    0.4   same  dev     blurry     diff, diff
    /// 3    0.2   diff  dev     -          diff, -
    /// 4    NaN   same  test    dark       same, -
    /// 5    0.7   -     test    dark       same, same
    fn example() -> Snapshot {
        let mut s = Snapshot::with_pairs(6, vec!["dark".into(), "blurry".into()], vec!["ann".into(), "bob".into()]);
        s.score = vec![0.9, 0.8, 0.4, 0.2, f64::NAN, 0.7];
        s.truth = vec![Some(Same), Some(Different), Some(Same), Some(Different), Some(Same), None];
        s.split = vec![
            Some(Split::Train),
            Some(Split::Train),
            Some(Split::Dev),
            Some(Split::Dev),
            Some(Split::Test),
            Some(Split::Test),
        ];
        let l = &mut s.labels;
        l.push(0, 0, Some(Same), 0b01);
        l.push(0, 1, Some(Same), 0b00);
        l.push(1, 0, Some(Same), 0b11);
        l.push(1, 1, Some(Different), 0b11);
        l.push(2, 0, Some(Different), 0b10);
        l.push(2, 1, Some(Different), 0b10);
        l.push(3, 0, Some(Different), 0b00);
        l.push(4, 0, Some(Same), 0b01);
        l.push(5, 0, Some(Same), 0b01);
        l.push(5, 1, Some(Same), 0b01);
        s
    }

    #[test]
    fn pair_counts_and_consensus() {
        let p = Prepared::new(&example()).unwrap();
        assert_eq!(p.pair_counts(), PairCounts { total: 6, with_truth: 5, scored: 5, evaluable: 4 });
        assert_eq!(p.consensus(), &[0b01, 0b11, 0b10, 0b00, 0b01, 0b01]);
        assert_eq!(p.hlp().overall, Hlp { correct: 5, total: 8 });
    }

    #[test]
    fn overrides_replace_consensus_and_tag_only_labelers_count() {
        let mut s = example();
        // Pair 3: ann tags "blurry" with a verdict, bob tags nothing and gives none → one of
        // two is half → blurry. Pair 0: the adjudicator says "blurry" only.
        s.labels.tags[6] = 0b10;
        s.labels.push(3, 1, None, 0b00);
        s.consensus_override[0] = Some(0b10);
        let p = Prepared::new(&s).unwrap();
        assert_eq!(p.consensus()[3], 0b10);
        assert_eq!(p.consensus()[0], 0b10);
        assert_eq!(p.hlp().overall, Hlp { correct: 5, total: 8 }, "no verdict, no count");
    }

    #[test]
    fn tag_table_by_hand_at_threshold_half() {
        // At 0.5: pair 1 (diff, 0.8) is a false positive, pair 2 (same, 0.4) a false
        // negative; pairs 0 and 3 are right. 2 errors over 4 evaluable pairs.
        let p = Prepared::new(&example()).unwrap();
        let rows = p.tag_table(0.5);
        assert_eq!(rows.len(), 2);
        let dark = rows.iter().find(|r| r.name == "dark").unwrap();
        // dark: pairs 0, 1 → 1 error (fp); humans on them: 2 + 1 right of 4.
        assert_eq!((dark.pairs, dark.errors, dark.fp, dark.fn_), (2, 1, 1, 0));
        assert_eq!(dark.share_of_data, 0.5);
        assert_eq!(dark.share_of_errors, Some(0.5));
        assert_eq!(dark.accuracy, 0.5);
        assert_eq!(dark.hlp, Some(0.75));
        assert_eq!(dark.gap_to_hlp, Some(0.25));
        assert_eq!(dark.priority, Some(0.125));
        let blurry = rows.iter().find(|r| r.name == "blurry").unwrap();
        // blurry: pairs 1, 2 → 2 errors; humans: pair 1 1/2, pair 2 0/2.
        assert_eq!((blurry.pairs, blurry.errors, blurry.fp, blurry.fn_), (2, 2, 1, 1));
        assert_eq!(blurry.accuracy, 0.0);
        assert_eq!(blurry.hlp, Some(0.25));
        assert_eq!(blurry.priority, Some(0.125));
        assert_eq!(rows[0].name, "blurry", "priority tie broken by error rate");
        assert_eq!(p.error_pairs(0.5), vec![1, 2]);
        assert_eq!(p.confusion_at(0.5).errors(), 2);
    }

    #[test]
    fn tag_pairs_and_metadata() {
        let mut s = example();
        s.metadata.push(crate::analysis::snapshot::MetadataColumn {
            name: "camera".into(),
            values: vec!["a".into(), "b".into(), "unused".into()],
            codes: vec![Some(0), Some(0), Some(1), None, Some(1), Some(0)],
        });
        let p = Prepared::new(&s).unwrap();
        let combos = p.tag_pair_table(0.5, 1);
        assert_eq!(combos.len(), 1);
        assert_eq!(combos[0].name, "dark + blurry");
        assert_eq!((combos[0].pairs, combos[0].errors), (1, 1));
        assert!(p.tag_pair_table(0.5, 2).is_empty());
        let camera = p.metadata_table(0, 0.5).unwrap();
        assert_eq!(camera.len(), 2, "empty values have no row");
        let a = camera.iter().find(|r| r.name == "a").unwrap();
        assert_eq!((a.pairs, a.errors), (2, 1));
        assert!(p.metadata_table(1, 0.5).is_none());
        assert_eq!(p.metadata_names().collect::<Vec<_>>(), vec!["camera"]);
    }

    #[test]
    fn split_table_by_hand() {
        let p = Prepared::new(&example()).unwrap();
        let t = p.split_table(0.5);
        assert_eq!(t.rows.len(), 2, "test has no evaluable pair");
        let train = t.row(Split::Train).unwrap();
        assert_eq!((train.pairs, train.errors, train.error_rate), (2, 1, 0.5));
        // Humans on train: pair 0 2/2, pair 1 1/2 → error 1/4.
        assert_eq!(train.human_error, Some(0.25));
        let dev = t.row(Split::Dev).unwrap();
        assert_eq!((dev.pairs, dev.errors), (2, 1));
        assert_eq!(t.human_error, Some(0.375));
        assert_eq!(t.diagnosis.avoidable_bias, Some(0.125));
        assert_eq!(t.diagnosis.variance, None);
    }

    #[test]
    fn live_tables_follow_the_rule() {
        let p = Prepared::new(&example()).unwrap();
        let live = p.live(ThresholdRule::MaxAccuracy).unwrap();
        // Candidates: +∞ (2 right), 0.9 (3), 0.8 (2), 0.4 (3), 0.2 (2) → 0.9.
        assert_eq!(live.operating_point.threshold, 0.9);
        assert_eq!(live.tags, p.tag_table(0.9));
        assert!(p.live(ThresholdRule::Fixed(f64::NAN)).is_err());
    }

    #[test]
    fn negative_zero_is_zero() {
        let mut s = Snapshot::with_pairs(2, vec![], vec![]);
        s.score = vec![-0.0, 0.0];
        s.truth = vec![Some(Same), Some(Different)];
        let p = Prepared::new(&s).unwrap();
        assert_eq!(p.roc_curve(false).unwrap().len(), 2);
        assert_eq!(p.confusion_at(0.0).tp, 1);
    }

    #[test]
    fn two_threads_give_the_same_results_as_one() {
        let mut s = example();
        s.metadata.push(crate::analysis::snapshot::MetadataColumn {
            name: "camera".into(),
            values: vec!["a".into(), "b".into()],
            codes: vec![Some(0), Some(1), Some(1), None, Some(0), Some(0)],
        });
        for pairs in [0, 1, 5, 6] {
            let mut t = s.clone();
            t.score.truncate(pairs);
            t.truth.truncate(pairs);
            t.split.truncate(pairs);
            t.consensus_override.truncate(pairs);
            t.metadata[0].codes.truncate(pairs);
            let keep: Vec<usize> = (0..t.labels.len()).filter(|&r| (t.labels.pair[r] as usize) < pairs).collect();
            let l = t.labels.clone();
            t.labels = Labels::default();
            for r in keep {
                t.labels.push(l.pair[r], l.labeler[r], l.verdict[r], l.tags[r]);
            }
            let one = Prepared::new_on_threads(&t, false).unwrap();
            let two = Prepared::new_on_threads(&t, true).unwrap();
            assert_eq!(one.agreement(), two.agreement(), "{pairs} pairs");
            for threshold in [0.3, 0.5, 0.85] {
                assert_eq!(one.tag_table(threshold), two.tag_table(threshold));
                assert_eq!(one.split_table(threshold), two.split_table(threshold));
                assert_eq!(one.metadata_table(0, threshold), two.metadata_table(0, threshold));
            }
            let rule = ThresholdRule::MaxAccuracy;
            assert_eq!(
                crate::analysis::Report::new(&one, rule).unwrap(),
                crate::analysis::Report::new(&two, rule).unwrap()
            );
        }
    }

    #[test]
    fn many_tags_use_the_hashed_tag_set_ids_with_the_same_results() {
        let few = example();
        let mut many = few.clone();
        // 20 tags: "dark" and "blurry" become tags 18 and 19.
        many.tag_names = (0..18).map(|t| format!("unused{t}")).collect();
        many.tag_names.extend(few.tag_names.iter().cloned());
        for tags in &mut many.labels.tags {
            *tags <<= 18;
        }
        let (a, b) = (Prepared::new(&few).unwrap(), Prepared::new(&many).unwrap());
        assert!(matches!(TagsetIds::new(20), TagsetIds::Hashed(_)));
        for t in [0.3, 0.5, 0.85] {
            let strip = |rows: Vec<SliceRow>| -> Vec<(String, u64, u64)> {
                rows.into_iter().map(|r| (r.name, r.stats.pairs, r.stats.errors)).collect()
            };
            assert_eq!(strip(a.tag_table(t)), strip(b.tag_table(t)));
            assert_eq!(strip(a.tag_pair_table(t, 1)), strip(b.tag_pair_table(t, 1)));
        }
    }

    #[test]
    fn invalid_snapshots_are_errors() {
        let mut s = example();
        s.split.pop();
        assert!(Prepared::new(&s).is_err());
        // Invalid labels are caught on either path.
        let mut s = example();
        s.labels.push(0, 0, None, 0);
        for parallel in [false, true] {
            let err = Prepared::new_on_threads(&s, parallel).unwrap_err();
            assert!(matches!(err, SnapshotError::DuplicateLabel { .. }), "{err}");
        }
    }
}
