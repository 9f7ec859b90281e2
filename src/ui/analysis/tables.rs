//! What the analysis screens draw, computed once per change of what it depends on (the
//! selection, the data's generation, a sort order), never once per frame: a million-pair
//! project must not be scanned and sorted sixty times a second while nothing changes.

use crate::analysis::image_quality::ImageSuggestion;
use crate::analysis::{Confusion, SliceKey, SliceRow, Split, SplitPoint, SplitTable, set_min_support, split_points};
use crate::store::{LabelerId, PairId};
use crate::ui::analysis::data::AnalysisData;
use crate::ui::analysis::slice_table::{self, SortState};

/// Tag combinations need at least this many pairs to be listed.
pub const MIN_COMBINATION_PAIRS: u64 = 5;
/// The worst combinations shown.
pub const COMBINATIONS: usize = 10;

/// How many times the analysis screens computed what they draw, by kind (tests check that
/// frames without a change compute nothing).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Computations {
    /// The error-analysis tables (all of them at once).
    pub tables: u64,
    /// A slice's errors for the error browser, most wrong first.
    pub error_lists: u64,
    /// A suggestion's histogram or list of pairs.
    pub suggestions: u64,
}

/// One value and the key it was computed for.
pub(in crate::ui) struct Cached<K, V> {
    entry: Option<(K, V)>,
}

impl<K, V> Default for Cached<K, V> {
    fn default() -> Self {
        Cached { entry: None }
    }
}

impl<K: PartialEq, V> Cached<K, V> {
    /// The value for `key`, computed (and counted in `computations`) only when the key changed.
    pub fn get(&mut self, key: K, computations: &mut u64, compute: impl FnOnce() -> V) -> &mut V {
        if self.entry.as_ref().is_none_or(|(k, _)| *k != key) {
            *computations += 1;
            self.entry = Some((key, compute()));
        }
        &mut self.entry.as_mut().expect("filled above").1
    }
}

/// What the error-analysis tables depend on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(in crate::ui) struct TablesKey {
    pub generation: u64,
    /// The threshold's bits (a float compares as it is stored).
    pub threshold: u64,
    pub metadata_column: usize,
    /// Slices with fewer evaluable pairs are not ranked.
    pub min_support: u64,
    pub tag_sort: SortState,
    pub metadata_sort: SortState,
    pub combo_sort: SortState,
}

/// The error-analysis screen's numbers at one threshold, rows in the order shown.
pub(in crate::ui) struct Tables {
    pub confusion: Confusion,
    pub tags: Vec<SliceRow>,
    /// None: the pairs have no metadata columns.
    pub metadata: Option<Vec<SliceRow>>,
    pub combinations: Vec<SliceRow>,
    pub splits: SplitTable,
    /// Every split's confusion, FPR and FNR at the threshold, with intervals.
    pub split_points: Vec<(Split, SplitPoint)>,
}

impl Tables {
    pub fn compute(data: &AnalysisData, threshold: f64, key: &TablesKey) -> Tables {
        let prepared = &data.prepared;
        let mut tags = prepared.tag_table(threshold);
        set_min_support(&mut tags, key.min_support);
        slice_table::sort(&mut tags, key.tag_sort);
        let mut metadata = prepared.metadata_table(key.metadata_column, threshold);
        if let Some(rows) = &mut metadata {
            set_min_support(rows, key.min_support);
            slice_table::sort(rows, key.metadata_sort);
        }
        // The worst ranked ones by priority, then in the order asked for.
        let mut combinations = prepared.tag_pair_table(threshold, MIN_COMBINATION_PAIRS);
        set_min_support(&mut combinations, key.min_support);
        slice_table::sort(&mut combinations, SortState::default());
        combinations.truncate(COMBINATIONS);
        slice_table::sort(&mut combinations, key.combo_sort);
        Tables {
            confusion: prepared.confusion_at(threshold),
            tags,
            metadata,
            combinations,
            splits: prepared.split_table(threshold),
            split_points: split_points(prepared, threshold),
        }
    }
}

pub(in crate::ui) type TablesCache = Cached<TablesKey, Tables>;

/// What the error browser's list depends on.
#[derive(Clone, Debug, PartialEq)]
pub(in crate::ui) struct BrowserKey {
    pub generation: u64,
    pub threshold: u64,
    pub slice: SliceKey,
}

/// One slice's errors, the most wrong first.
pub(in crate::ui) struct SliceErrors {
    /// Dense indices into the analysis' columns.
    pub errors: Vec<u32>,
    pub pairs: Vec<PairId>,
    /// How many of them are false positives.
    pub false_positives: usize,
}

impl SliceErrors {
    pub fn compute(data: &AnalysisData, slice: &SliceKey, threshold: f64) -> SliceErrors {
        let errors = data.slice_errors(slice, threshold);
        let pairs = errors.iter().map(|&i| data.pair_ids[i as usize]).collect();
        let false_positives = errors
            .iter()
            .filter(|&&i| data.snapshot.truth[i as usize] == Some(crate::analysis::Truth::Different))
            .count();
        SliceErrors { errors, pairs, false_positives }
    }
}

pub(in crate::ui) type BrowserCache = Cached<BrowserKey, SliceErrors>;

/// What a list of suggested tags depends on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(in crate::ui) struct SuggestionKey {
    pub generation: u64,
    /// Labels change whether I tagged a pair so myself.
    pub labeling: Option<u64>,
    pub me: Option<LabelerId>,
    /// The measure's bound's bits.
    pub below: u64,
    /// Sizes of the sets of suggestions reviewed in this window and rejected for good: both
    /// only grow.
    pub reviewed: usize,
    pub rejected: usize,
}

/// One measure's values over the measured photos, binned for the histogram.
pub(in crate::ui) struct MeasureStats {
    pub lo: f64,
    pub hi: f64,
    pub bins: Vec<u64>,
    pub width: f64,
}

impl MeasureStats {
    pub fn new(values: &[f64], bins: usize) -> MeasureStats {
        let (lo, hi) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
        let width = ((hi - lo) / bins as f64).max(1e-9);
        let mut counts = vec![0u64; bins];
        for v in values {
            counts[(((v - lo) / width) as usize).min(bins - 1)] += 1;
        }
        MeasureStats { lo, hi, bins: counts, width }
    }
}

/// One suggestion's histogram (per data) and list, photo by photo (per data, labels and bound).
#[derive(Default)]
pub(in crate::ui) struct SuggestionCache {
    pub stats: Cached<u64, MeasureStats>,
    pub list: Cached<SuggestionKey, Vec<ImageSuggestion>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_computed_again_only_when_its_key_changes() {
        let mut cache: Cached<u64, u64> = Cached::default();
        let mut computations = 0;
        assert_eq!(*cache.get(1, &mut computations, || 10), 10);
        assert_eq!(*cache.get(1, &mut computations, || 20), 10);
        assert_eq!(computations, 1);
        assert_eq!(*cache.get(2, &mut computations, || 30), 30);
        assert_eq!(computations, 2);
    }

    #[test]
    fn measure_stats_bin_every_value() {
        let values: Vec<f64> = (0..100).map(f64::from).collect();
        let stats = MeasureStats::new(&values, 10);
        assert_eq!(stats.bins.iter().sum::<u64>(), 100);
        assert_eq!((stats.lo, stats.hi), (0.0, 99.0));
        assert_eq!(stats.bins[0], 10);
    }
}
