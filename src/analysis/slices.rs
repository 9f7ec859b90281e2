//! Slice tables: one row per slice of evaluable pairs (a tag, a metadata value, two tags),
//! with the numbers that say where to look first.

use std::cmp::Ordering;

use serde::Serialize;

use super::confusion::{Confusion, ratio};
use super::hlp::Hlp;
use super::intervals::Proportion;

/// Slices with fewer evaluable pairs than this are listed below the ranked rows, "too few
/// pairs to rank" (`--min-support`; the GUI's setting starts here too).
pub const DEFAULT_MIN_SUPPORT: u64 = 20;

/// What a slice is, besides its display name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum SliceKey {
    /// Pairs whose consensus tags include `tag` (its index in `tag_names`).
    Tag { tag: usize },
    /// Pairs whose consensus tags include both tags (`a < b`).
    TagPair { a: usize, b: usize },
    /// Pairs whose metadata column `column` has value `value`.
    Metadata { column: usize, value: usize },
}

/// One slice: its name, what it is, and its numbers. Rows exist only for slices with at least
/// one evaluable pair, so the shares and rates over its pairs are always defined.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SliceRow {
    pub name: String,
    pub key: SliceKey,
    #[serde(flatten)]
    pub stats: SliceStats,
}

/// The numbers are read as the row's own (`row.error_rate`).
impl std::ops::Deref for SliceRow {
    type Target = SliceStats;

    fn deref(&self) -> &SliceStats {
        &self.stats
    }
}

/// A slice's numbers, shared by every table of slices (per tag, per metadata value, per tag
/// pair) and by the report's per-tag rows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SliceStats {
    /// Evaluable pairs in the slice.
    pub pairs: u64,
    /// pairs / evaluable pairs.
    pub share_of_data: f64,
    pub errors: u64,
    /// errors / all errors; `None` when the model makes no error at all.
    pub share_of_errors: Option<f64>,
    pub error_rate: f64,
    pub accuracy: f64,
    /// HLP over the verdicts on the slice's pairs; `None` without verdicts.
    pub hlp: Option<f64>,
    /// hlp − accuracy (signed).
    pub gap_to_hlp: Option<f64>,
    /// max(gap_to_hlp, 0) × share_of_data.
    pub priority: Option<f64>,
    pub fp: u64,
    #[serde(rename = "fn")]
    pub fn_: u64,
    /// Two-sided 95 % Clopper–Pearson interval of `error_rate` (errors of pairs).
    pub error_rate_ci95: Option<[f64; 2]>,
    /// The slice has at least the minimum support of pairs: it takes part in the ranking.
    /// Rows without it are listed after every ranked row, whatever the sort.
    pub ranked: bool,
}

impl SliceStats {
    /// Two-sided 95 % interval of `accuracy`: correct pairs are the complement of the errors on
    /// the same pairs, so the interval is the error rate's mirrored (Clopper–Pearson is
    /// symmetric under k ↔ n − k).
    pub fn accuracy_ci95(&self) -> Option<[f64; 2]> {
        self.error_rate_ci95.map(|[lo, hi]| [1.0 - hi, 1.0 - lo])
    }

    /// The CSV columns of [`Self::csv_cells`], in its order.
    pub const CSV_COLUMNS: [&str; 16] = [
        "pairs",
        "share_of_data",
        "errors",
        "share_of_errors",
        "error_rate",
        "accuracy",
        "hlp",
        "gap_to_hlp",
        "priority",
        "fp",
        "fn",
        "error_rate_ci95_lo",
        "error_rate_ci95_hi",
        "accuracy_ci95_lo",
        "accuracy_ci95_hi",
        "ranked",
    ];

    /// The numbers as CSV cells: full precision, empty for undefined.
    pub fn csv_cells(&self) -> [String; 16] {
        let opt = |x: Option<f64>| x.map_or(String::new(), |x| x.to_string());
        let (err, acc) = (self.error_rate_ci95, self.accuracy_ci95());
        [
            self.pairs.to_string(),
            self.share_of_data.to_string(),
            self.errors.to_string(),
            opt(self.share_of_errors),
            self.error_rate.to_string(),
            self.accuracy.to_string(),
            opt(self.hlp),
            opt(self.gap_to_hlp),
            opt(self.priority),
            self.fp.to_string(),
            self.fn_.to_string(),
            opt(err.map(|c| c[0])),
            opt(err.map(|c| c[1])),
            opt(acc.map(|c| c[0])),
            opt(acc.map(|c| c[1])),
            self.ranked.to_string(),
        ]
    }
}

/// The raw counts a row is computed from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct SliceCounts {
    pub(crate) confusion: Confusion,
    pub(crate) human: Hlp,
}

impl std::ops::AddAssign for SliceCounts {
    fn add_assign(&mut self, o: SliceCounts) {
        self.confusion += o.confusion;
        self.human.add(o.human.correct, o.human.total);
    }
}

impl SliceRow {
    /// The row of a slice, given the totals over all evaluable pairs. `None` for an empty
    /// slice.
    pub(crate) fn new(
        name: String,
        key: SliceKey,
        counts: SliceCounts,
        evaluable: u64,
        all_errors: u64,
    ) -> Option<SliceRow> {
        let c = counts.confusion;
        let pairs = c.total();
        if pairs == 0 {
            return None;
        }
        let errors = c.errors();
        let share_of_data = pairs as f64 / evaluable as f64;
        let error_rate = errors as f64 / pairs as f64;
        let accuracy = c.correct() as f64 / pairs as f64;
        let hlp = counts.human.accuracy();
        let gap_to_hlp = hlp.map(|h| h - accuracy);
        let stats = SliceStats {
            pairs,
            share_of_data,
            errors,
            share_of_errors: ratio(errors, all_errors),
            error_rate,
            accuracy,
            hlp,
            gap_to_hlp,
            priority: gap_to_hlp.map(|g| g.max(0.0) * share_of_data),
            fp: c.fp,
            fn_: c.fn_,
            error_rate_ci95: Proportion::new(errors, pairs).ci95(),
            ranked: pairs >= DEFAULT_MIN_SUPPORT,
        };
        Some(SliceRow { name, key, stats })
    }
}

/// A column to sort a slice table by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SliceSort {
    #[default]
    Priority,
    ErrorRate,
    Errors,
    Pairs,
    GapToHlp,
    Name,
}

/// Marks the rows with at least `min_support` pairs as ranked, the others not (then sort them
/// again: unranked rows go last).
pub fn set_min_support(rows: &mut [SliceRow], min_support: u64) {
    for row in rows {
        row.stats.ranked = row.pairs >= min_support;
    }
}

/// Ranked rows before unranked ones, whatever else the order: a slice of 2 pairs must never
/// top a table because its one error makes a rate of 50 %.
pub fn ranked_first(x: &SliceRow, y: &SliceRow) -> Ordering {
    y.ranked.cmp(&x.ranked)
}

/// Sorts rows by `by` (largest first; names A→Z), missing values last, unranked rows after the
/// ranked ones; ties by priority, error rate, errors, then name, so the order never depends on
/// the input order.
pub fn sort_rows(rows: &mut [SliceRow], by: SliceSort) {
    rows.sort_by(|x, y| {
        let primary = ranked_first(x, y).then_with(|| match by {
            SliceSort::Priority => desc(x.priority, y.priority),
            SliceSort::ErrorRate => desc(Some(x.error_rate), Some(y.error_rate)),
            SliceSort::Errors => y.errors.cmp(&x.errors),
            SliceSort::Pairs => y.pairs.cmp(&x.pairs),
            SliceSort::GapToHlp => desc(x.gap_to_hlp, y.gap_to_hlp),
            SliceSort::Name => natural_cmp(&x.name, &y.name),
        });
        primary
            .then_with(|| desc(x.priority, y.priority))
            .then_with(|| desc(Some(x.error_rate), Some(y.error_rate)))
            .then_with(|| y.errors.cmp(&x.errors))
            .then_with(|| natural_cmp(&x.name, &y.name))
    });
}

/// Names in the order people read them: runs of digits compare as numbers, so "fold 2"
/// comes before "fold 10" (a plain string order puts 10 between 1 and 2).
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a, b);
    loop {
        let (Some(ca), Some(cb)) = (a.chars().next(), b.chars().next()) else {
            return a.len().cmp(&b.len());
        };
        let order = if ca.is_ascii_digit() && cb.is_ascii_digit() {
            let run = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
            let (na, nb) = (&a[..run(a)], &b[..run(b)]);
            let (ta, tb) = (na.trim_start_matches('0'), nb.trim_start_matches('0'));
            let order = ta.len().cmp(&tb.len()).then_with(|| ta.cmp(tb)).then_with(|| na.len().cmp(&nb.len()));
            (a, b) = (&a[na.len()..], &b[nb.len()..]);
            order
        } else {
            (a, b) = (&a[ca.len_utf8()..], &b[cb.len_utf8()..]);
            ca.cmp(&cb)
        };
        if order != Ordering::Equal {
            return order;
        }
    }
}

/// Descending order with `None` last.
fn desc(x: Option<f64>, y: Option<f64>) -> Ordering {
    match (x, y) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(tp: u64, fp: u64, tn: u64, fn_: u64, correct: u64, total: u64) -> SliceCounts {
        SliceCounts { confusion: Confusion { tp, fp, tn, fn_ }, human: Hlp { correct, total } }
    }

    #[test]
    fn row_by_hand() {
        // 10 pairs in the slice of 40 evaluable; 3 errors of 12 overall; humans 9/10 right.
        let row = SliceRow::new("dark".into(), SliceKey::Tag { tag: 0 }, counts(4, 1, 3, 2, 9, 10), 40, 12).unwrap();
        assert_eq!(row.pairs, 10);
        assert_eq!(row.share_of_data, 0.25);
        assert_eq!(row.errors, 3);
        assert_eq!(row.share_of_errors, Some(0.25));
        assert_eq!(row.error_rate, 0.3);
        assert_eq!(row.accuracy, 0.7);
        assert_eq!(row.hlp, Some(0.9));
        assert!((row.gap_to_hlp.unwrap() - 0.2).abs() < 1e-15);
        assert!((row.priority.unwrap() - 0.05).abs() < 1e-15);
        assert_eq!((row.fp, row.fn_), (1, 2));
    }

    #[test]
    fn negative_gap_has_zero_priority_and_missing_parts_are_none() {
        let row = SliceRow::new("a".into(), SliceKey::Tag { tag: 0 }, counts(1, 0, 1, 0, 1, 2), 2, 0).unwrap();
        assert_eq!(row.gap_to_hlp, Some(-0.5));
        assert_eq!(row.priority, Some(0.0));
        assert_eq!(row.share_of_errors, None);
        let row = SliceRow::new("a".into(), SliceKey::Tag { tag: 0 }, counts(1, 0, 0, 0, 0, 0), 2, 1).unwrap();
        assert_eq!((row.hlp, row.gap_to_hlp, row.priority), (None, None, None));
        assert!(SliceRow::new("a".into(), SliceKey::Tag { tag: 0 }, SliceCounts::default(), 2, 1).is_none());
    }

    #[test]
    fn sorts_by_priority_with_missing_last() {
        let make = |name: &str, c| SliceRow::new(name.into(), SliceKey::Tag { tag: 0 }, c, 10, 5).unwrap();
        let mut rows = vec![
            make("none", counts(1, 0, 0, 0, 0, 0)),
            make("low", counts(2, 0, 0, 0, 2, 2)),
            make("high", counts(0, 1, 1, 0, 2, 2)),
            make("also-low", counts(2, 0, 0, 0, 2, 2)),
        ];
        sort_rows(&mut rows, SliceSort::Priority);
        let names: Vec<_> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, vec!["high", "also-low", "low", "none"]);
        sort_rows(&mut rows, SliceSort::Name);
        assert_eq!(rows[0].name, "also-low");
    }

    #[test]
    fn names_sort_with_their_numbers_as_numbers() {
        let mut names = vec!["fold 10", "fold 2", "fold 1", "fold=03", "fold 1b", "dark", "fold 100", "fold"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(names, ["dark", "fold", "fold 1", "fold 1b", "fold 2", "fold 10", "fold 100", "fold=03"]);
        assert_eq!(natural_cmp("a007", "a7"), Ordering::Greater, "equal numbers: the shorter spelling first");
        assert_eq!(natural_cmp("a7", "a7"), Ordering::Equal);
        assert_eq!(natural_cmp("é2", "é10"), Ordering::Less);
    }
}
