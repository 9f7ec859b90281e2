//! What `pairscope report` takes besides the rule, for the slices and splits: the minimum
//! support of a ranked slice, the split a rule is applied to, and whether the model was
//! trained on this project's train split.

use super::prepared::Prepared;
use super::report::{Report, TagReport};
use super::slices::{DEFAULT_MIN_SUPPORT, SliceSort, set_min_support, sort_rows};
use super::snapshot::Split;
use super::splits::NOT_TRAINED_HERE;
use super::threshold::ThresholdRule;
use super::threshold_from::{ThresholdFrom, ThresholdFromError};

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReportOptions {
    /// Slices with fewer evaluable pairs are listed after the ranked ones, unranked.
    pub min_support: u64,
    /// Apply the rule to this split's pairs only, and report at its threshold.
    pub threshold_from: Option<Split>,
    /// Whether the scores come from a model trained on this project's train split (None:
    /// no scores). Without, the diagnosis carries the note that it describes the data.
    pub trained_on_train: Option<bool>,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions { min_support: DEFAULT_MIN_SUPPORT, threshold_from: None, trained_on_train: None }
    }
}

impl Report {
    /// The report with these options. With `threshold_from`, `rule` runs on that split's
    /// pairs alone and everything is reported at the threshold it picks there (the operating
    /// point keeps the rule's name; `threshold_from` says on which split it ran).
    pub fn with_options(
        prepared: &Prepared,
        rule: ThresholdRule,
        options: &ReportOptions,
    ) -> Result<Report, ThresholdFromError> {
        let from = options.threshold_from.map(|split| ThresholdFrom::new(prepared, split, rule)).transpose()?;
        let mut report = match &from {
            Some(from) => {
                let mut report = Report::new(prepared, ThresholdRule::Fixed(from.threshold_or_infinity()))?;
                report.operating_point.rule = rule;
                report
            }
            None => Report::new(prepared, rule)?,
        };
        report.threshold_from = from;
        let threshold = report.operating_point.threshold.unwrap_or(f64::INFINITY);
        let mut rows = prepared.tag_table(threshold);
        set_min_support(&mut rows, options.min_support);
        sort_rows(&mut rows, SliceSort::Priority);
        report.tags = rows.into_iter().map(|r| TagReport { tag: r.name, stats: r.stats }).collect();
        report.splits.note = (options.trained_on_train == Some(false)).then(|| NOT_TRAINED_HERE.to_string());
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::snapshot::Snapshot;
    use crate::analysis::snapshot::Truth::{Different, Same};
    use serde_json::{Value, json};

    /// "rare" (2 pairs, both wrong) and "common" (30 pairs, 1 wrong); dev and test.
    fn example() -> Snapshot {
        let n = 32;
        let mut s = Snapshot::with_pairs(n, vec!["rare".into(), "common".into()], vec!["ann".into()]);
        for p in 0..n {
            let same = p % 2 == 0;
            s.truth[p] = Some(if same { Same } else { Different });
            // Right with a margin, except pairs 0, 1 (rare) and 2 (common).
            let wrong = p < 3;
            s.score[p] = if same != wrong { 0.8 + p as f64 / 1000.0 } else { 0.2 + p as f64 / 1000.0 };
            s.split[p] = Some(if p % 4 < 2 { Split::Dev } else { Split::Test });
            let tag = if p < 2 { 0 } else { 1 };
            s.labels.push(p as u32, 0, s.truth[p], 1 << tag);
        }
        s
    }

    #[test]
    fn small_slices_are_listed_last_and_unranked() {
        let p = Prepared::new(&example()).unwrap();
        let rule = ThresholdRule::Fixed(0.5);
        let report = Report::with_options(&p, rule, &ReportOptions::default()).unwrap();
        let names: Vec<(&str, bool)> = report.tags.iter().map(|t| (t.tag.as_str(), t.ranked)).collect();
        // By priority alone "rare" (100 % errors) would come first.
        assert_eq!(names, [("common", true), ("rare", false)]);
        assert!(report.tags[1].priority > report.tags[0].priority);
        let all =
            Report::with_options(&p, rule, &ReportOptions { min_support: 1, ..ReportOptions::default() }).unwrap();
        let names: Vec<(&str, bool)> = all.tags.iter().map(|t| (t.tag.as_str(), t.ranked)).collect();
        assert_eq!(names, [("rare", true), ("common", true)]);
        let [lo, hi] = report.tags[1].error_rate_ci95.unwrap();
        assert!(lo > 0.1 && hi == 1.0, "2 of 2 wrong: {lo} {hi}");
    }

    #[test]
    fn threshold_from_a_split_sets_the_whole_report() {
        let p = Prepared::new(&example()).unwrap();
        let options = ReportOptions { threshold_from: Some(Split::Dev), ..ReportOptions::default() };
        let report = Report::with_options(&p, ThresholdRule::MaxAccuracy, &options).unwrap();
        let from = report.threshold_from.as_ref().unwrap();
        let on_dev = p.split_operating_point(Split::Dev, ThresholdRule::MaxAccuracy).unwrap().unwrap();
        assert_eq!(from.threshold, Some(on_dev.threshold));
        assert_eq!(report.operating_point.threshold, Some(on_dev.threshold));
        assert_eq!(report.operating_point.rule, ThresholdRule::MaxAccuracy);
        let v: Value = serde_json::from_str(&report.to_json()).unwrap();
        assert_eq!(v["threshold_from"]["split"], json!("dev"));
        assert_eq!(v["threshold_from"]["splits"]["test"]["pairs"], json!(16));
        let options = ReportOptions { threshold_from: Some(Split::Train), ..ReportOptions::default() };
        let err = Report::with_options(&p, ThresholdRule::MaxAccuracy, &options).unwrap_err();
        assert!(err.to_string().contains("train split"), "{err}");
    }

    #[test]
    fn a_model_not_trained_here_gets_the_note() {
        let p = Prepared::new(&example()).unwrap();
        let rule = ThresholdRule::Fixed(0.5);
        let note = |trained| {
            let options = ReportOptions { trained_on_train: trained, ..ReportOptions::default() };
            Report::with_options(&p, rule, &options).unwrap().splits.note
        };
        assert_eq!(note(Some(false)).as_deref(), Some(NOT_TRAINED_HERE));
        assert_eq!(note(Some(true)), None);
        assert_eq!(note(None), None);
    }
}
