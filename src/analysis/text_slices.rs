//! The per-tag, per-split and threshold-from tables of the readable renderings (the text
//! report and the HTML report share the cells; each adds its own markup).

use super::report::{Report, TagReport};
use super::text::Numbers;

/// The per-tag table's headings, in the order of [`Numbers::tag_cells`].
pub const TAG_HEADERS: [&str; 14] = [
    "tag",
    "pairs",
    "of data",
    "errors",
    "of errors",
    "error rate",
    "95% CI",
    "accuracy",
    "95% CI",
    "HLP",
    "gap to HLP",
    "priority",
    "fp",
    "fn",
];

/// Where the unranked rows of the per-tag table start (they come last).
pub const TOO_FEW_TO_RANK: &str = "too few pairs to rank";

pub const SPLIT_HEADERS: [&str; 5] = ["split", "pairs", "errors", "error", "95% CI"];
pub const DIAGNOSIS_HEADERS: [&str; 3] = ["term", "value", "95% CI"];
pub const THRESHOLD_FROM_HEADERS: [&str; 13] =
    ["split", "pairs", "tp", "fp", "tn", "fn", "accuracy", "95% CI", "FPR", "95% CI", "FNR", "95% CI", "negatives"];

impl Numbers {
    /// A 95 % interval of a rate, in percent: `[1.23%, 4.56%]`.
    pub fn interval(&self, ci: Option<[f64; 2]>) -> String {
        ci.map_or_else(|| self.missing.to_string(), |[lo, hi]| format!("[{:.2}%, {:.2}%]", 100.0 * lo, 100.0 * hi))
    }

    /// A 95 % interval of a difference, in percentage points: `[-1.50, +4.00] pp`.
    pub fn interval_points(&self, ci: Option<[f64; 2]>) -> String {
        ci.map_or_else(|| self.missing.to_string(), |[lo, hi]| format!("[{:+.2}, {:+.2}] pp", 100.0 * lo, 100.0 * hi))
    }

    /// The split table: one row per split with evaluable pairs, then the humans (their
    /// verdicts on pairs with a truth, of which wrong).
    pub fn split_rows(&self, r: &Report) -> Vec<Vec<String>> {
        let s = &r.splits;
        let mut rows: Vec<Vec<String>> = s
            .splits
            .0
            .iter()
            .map(|(name, row)| {
                vec![
                    name.clone(),
                    row.pairs.to_string(),
                    row.errors.to_string(),
                    self.percent(Some(row.error_rate)),
                    self.interval(row.error_rate_ci95),
                ]
            })
            .collect();
        let human = crate::analysis::intervals::Proportion::new(s.human.total - s.human.correct, s.human.total);
        rows.push(vec![
            "human (verdicts)".into(),
            s.human.total.to_string(),
            human.k.to_string(),
            self.percent(s.human_error),
            self.interval(human.ci95()),
        ]);
        rows
    }

    /// The diagnosis: each term, its value and its 95 % interval.
    pub fn diagnosis_rows(&self, r: &Report) -> Vec<Vec<String>> {
        let d = &r.splits.diagnosis;
        d.terms()
            .iter()
            .map(|&(c, v)| vec![c.name().replace('_', " "), self.points(v), self.interval_points(d.interval(c))])
            .collect()
    }

    /// The split table at the threshold a rule picked on one split.
    pub fn threshold_from_rows(&self, r: &Report) -> Vec<Vec<String>> {
        let Some(from) = &r.threshold_from else { return Vec::new() };
        from.splits
            .0
            .iter()
            .map(|(name, p)| {
                vec![
                    name.clone(),
                    p.pairs.to_string(),
                    p.tp.to_string(),
                    p.fp.to_string(),
                    p.tn.to_string(),
                    p.fn_.to_string(),
                    self.percent(p.accuracy),
                    self.interval(p.accuracy_ci95),
                    self.percent(p.fpr),
                    self.interval(p.fpr_ci95),
                    self.percent(p.fnr),
                    self.interval(p.fnr_ci95),
                    p.negatives.to_string(),
                ]
            })
            .collect()
    }
}

/// How many of the per-tag rows are ranked (they come first).
pub fn ranked_rows(tags: &[TagReport]) -> usize {
    tags.iter().take_while(|t| t.ranked).count()
}

/// What the diagnosis concludes, in one sentence.
pub fn diagnosis_verdict(r: &Report) -> String {
    let d = &r.splits.diagnosis;
    match d.largest {
        Some(c) => {
            let value = d.terms().into_iter().find(|&(k, _)| k == c).and_then(|(_, v)| v);
            let value = Numbers { missing: "-" }.points(value);
            format!("Largest: {} ({value}): {}.", c.name().replace('_', " "), c.advice())
        }
        None if d.too_small_to_tell() => {
            "No term's 95% interval excludes 0: the splits are too small to tell which gap is largest.".into()
        }
        None => "No term is positive.".into(),
    }
}

/// The heading of the threshold-from table: which rule on which split, and the threshold.
pub fn threshold_from_heading(r: &Report, numbers: &Numbers) -> Option<String> {
    let from = r.threshold_from.as_ref()?;
    Some(format!(
        "Threshold {} set by {} on the {} split's pairs only, measured on every split",
        numbers.coefficient(from.threshold),
        from.rule,
        from.split.name()
    ))
}
