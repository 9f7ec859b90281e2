//! The report as readable, aligned plain-text tables (`pairscope report` without `--json`).

use std::fmt::Write;

use super::intervals::Proportion;
use super::report::{Report, TagReport};
use super::text_intervals;
use super::text_slices::{
    DIAGNOSIS_HEADERS, SPLIT_HEADERS, TAG_HEADERS, THRESHOLD_FROM_HEADERS, TOO_FEW_TO_RANK, diagnosis_verdict,
    ranked_rows, threshold_from_heading,
};

/// How the readable renderings (these text tables, the HTML report) write numbers; they differ
/// only in the mark for an undefined value.
pub struct Numbers {
    pub missing: &'static str,
}

impl Numbers {
    /// A rate as a percentage with two decimals.
    pub fn percent(&self, x: Option<f64>) -> String {
        x.map_or_else(|| self.missing.to_string(), |x| format!("{:.2}%", 100.0 * x))
    }

    /// A signed difference in percentage points.
    pub fn points(&self, x: Option<f64>) -> String {
        x.map_or_else(|| self.missing.to_string(), |x| format!("{:+.2} pp", 100.0 * x))
    }

    /// A rate as a percentage that keeps three significant digits below 1 % (`0.107%`,
    /// `0.00383%`), where two decimals would print a bound of a door-lock FPR as `0.00%`.
    pub fn fine_percent(&self, x: Option<f64>) -> String {
        let Some(x) = x else { return self.missing.to_string() };
        let pct = 100.0 * x;
        if pct == 0.0 || pct.abs() >= 1.0 {
            return format!("{pct:.2}%");
        }
        let decimals = (2 - pct.abs().log10().floor() as i32).clamp(2, 12) as usize;
        format!("{pct:.decimals$}%")
    }

    /// A rate with the count it comes from and its two-sided 95 % Clopper–Pearson interval:
    /// `98.17% (589/600; 95% CI 96.75–99.07%)`.
    pub fn proportion(&self, p: Proportion) -> String {
        match p.ci95() {
            None => format!("{} (0/0)", self.missing),
            Some([lo, hi]) => format!(
                "{} ({}/{}; 95% CI {}–{})",
                self.fine_percent(p.rate()),
                grouped(p.k),
                grouped(p.n),
                self.fine_percent(Some(lo)).trim_end_matches('%'),
                self.fine_percent(Some(hi))
            ),
        }
    }

    /// A threshold with four significant digits (`0.4309`, `0.5000`, `12.35`, `-0.001234`):
    /// enough to read and to type back; `--json` keeps every digit.
    pub fn threshold(&self, x: Option<f64>) -> String {
        let Some(x) = x else { return self.missing.to_string() };
        if x == 0.0 || !x.is_finite() {
            return format!("{x}");
        }
        // Rounded to four significant digits first, so 0.99996 reads 1.000, not 1.0000.
        let rounded: f64 = format!("{x:.3e}").parse().unwrap_or(x);
        let decimals = (3 - rounded.abs().log10().floor() as i32).max(0) as usize;
        format!("{rounded:.decimals$}")
    }

    /// A coefficient (κ, α, AUC, priority, threshold) with four decimals.
    pub fn coefficient(&self, x: Option<f64>) -> String {
        x.map_or_else(|| self.missing.to_string(), |x| format!("{x:.4}"))
    }

    /// One row of the per-tag table: tag, pairs, of data, errors, of errors, error rate and its
    /// 95% interval, accuracy and its interval, HLP, gap to HLP, priority, FP, FN.
    pub fn tag_cells(&self, t: &TagReport) -> Vec<String> {
        vec![
            t.tag.clone(),
            t.pairs.to_string(),
            self.percent(Some(t.share_of_data)),
            t.errors.to_string(),
            self.percent(t.share_of_errors),
            self.percent(Some(t.error_rate)),
            self.interval(t.error_rate_ci95),
            self.percent(Some(t.accuracy)),
            self.interval(t.accuracy_ci95()),
            self.percent(t.hlp),
            self.points(t.gap_to_hlp),
            self.coefficient(t.priority),
            t.fp.to_string(),
            t.fn_.to_string(),
        ]
    }
}

pub(super) const TEXT: Numbers = Numbers { missing: "-" };

/// Columns padded to their widest cell: the first left-aligned, the rest right-aligned.
pub(super) fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let width = |cell: &str| cell.chars().count();
    let mut widths: Vec<usize> = headers.iter().map(|h| width(h)).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    let mut out = String::new();
    let mut line = |cells: Vec<&str>| {
        let mut text = String::from("  ");
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            let pad = " ".repeat(w - width(cell));
            if i == 0 {
                text.push_str(cell);
                text.push_str(&pad);
            } else {
                text.push_str("  ");
                text.push_str(&pad);
                text.push_str(cell);
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(headers.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
    out
}

/// A count with thousands separated by commas: `29,956`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The whole report as text.
pub fn render_text(r: &Report) -> String {
    let mut out = String::new();
    let p = &r.pairs;
    let _ = writeln!(
        out,
        "Pairs: {} total, {} with truth, {} scored, {} evaluable",
        p.total, p.with_truth, p.scored, p.evaluable
    );

    let op = &r.operating_point;
    let threshold = match op.threshold {
        None => "none (nothing predicted same)".to_string(),
        t => TEXT.threshold(t),
    };
    let _ = writeln!(out, "\nOperating point ({}): threshold {threshold}", op.rule);
    let fnr = op.recall.map(|r| 1.0 - r);
    out.push_str(&table(
        &["tp", "fp", "tn", "fn", "accuracy", "precision", "recall", "F1", "FPR", "FNR"],
        &[vec![
            op.tp.to_string(),
            op.fp.to_string(),
            op.tn.to_string(),
            op.fn_.to_string(),
            TEXT.percent(op.accuracy),
            TEXT.percent(op.precision),
            TEXT.percent(op.recall),
            TEXT.percent(op.f1),
            TEXT.percent(op.fpr),
            TEXT.percent(fnr),
        ]],
    ));
    text_intervals::operating_point_rates(&mut out, op, &r.roc, op.fpr_target.map(|t| t.claim()));

    let _ = writeln!(out, "\nROC: AUC {}", TEXT.coefficient(r.roc.auc));
    let _ = writeln!(out, "TPR at FPR <= f: observed (the smallest threshold with FPR <= f) and demonstrated");
    let _ = writeln!(out, "(the smallest threshold whose one-sided 95% upper bound on the FPR is <= f)");
    text_intervals::fpr_targets(&mut out, &r.roc);

    text_intervals::hlp(&mut out, &r.hlp);

    let a = &r.agreement;
    let _ = writeln!(out, "\nAgreement on verdicts");
    text_intervals::agreement(&mut out, a);
    if !a.cohen_kappa.is_empty() {
        let rows: Vec<Vec<String>> = a
            .cohen_kappa
            .iter()
            .map(|k| vec![k.a.clone(), k.b.clone(), k.n.to_string(), TEXT.coefficient(k.kappa)])
            .collect();
        let _ = writeln!(out, "\nCohen's kappa");
        out.push_str(&table(&["labeler a", "labeler b", "pairs", "kappa"], &rows));
    }
    if !a.tags.0.is_empty() {
        let rows: Vec<Vec<String>> = a
            .tags
            .0
            .iter()
            .map(|(tag, t)| {
                vec![tag.clone(), TEXT.percent(t.percent_agreement), TEXT.coefficient(t.krippendorff_alpha)]
            })
            .collect();
        let _ = writeln!(out, "\nAgreement on tags");
        out.push_str(&table(&["tag", "agreement", "alpha"], &rows));
    }

    out.push_str(&slices_and_splits(r));
    out
}

/// The per-tag table (unranked rows below a line), the split table, the diagnosis and the
/// threshold set on one split.
fn slices_and_splits(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\nTags (by priority = max(gap to HLP, 0) x share of data)");
    if r.tags.is_empty() {
        let _ = writeln!(out, "  no tag has an evaluable pair");
    } else {
        let rows: Vec<Vec<String>> = r.tags.iter().map(|t| TEXT.tag_cells(t)).collect();
        let ranked = ranked_rows(&r.tags);
        for (i, line) in table(&TAG_HEADERS, &rows).lines().enumerate() {
            if i == ranked + 1 {
                let _ = writeln!(out, "  -- {TOO_FEW_TO_RANK} --");
            }
            let _ = writeln!(out, "{line}");
        }
    }

    let _ = writeln!(out, "\nSplits");
    out.push_str(&table(&SPLIT_HEADERS, &TEXT.split_rows(r)));
    let _ = writeln!(out, "\nDiagnosis (95% intervals: Newcombe)");
    let mut rows = TEXT.diagnosis_rows(r);
    if let Some(i) = r.splits.diagnosis.terms().iter().position(|(c, _)| Some(*c) == r.splits.diagnosis.largest) {
        rows[i].push("<- largest".into());
    }
    out.push_str(&table(&DIAGNOSIS_HEADERS, &rows));
    let _ = writeln!(out, "  {}", diagnosis_verdict(r));
    if let Some(note) = &r.splits.note {
        let _ = writeln!(out, "  Note: {note}");
    }
    if let Some(heading) = threshold_from_heading(r, &TEXT) {
        let _ = writeln!(out, "\n{heading}");
        out.push_str(&table(&THRESHOLD_FROM_HEADERS, &TEXT.threshold_from_rows(r)));
    }
    super::edc_report::render_edc_text(&mut out, r.edc.as_ref());
    out.push_str(&super::all_vs_all::all_vs_all_text(r.all_vs_all.as_ref()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::snapshot::Truth::{Different, Same};
    use crate::analysis::snapshot::{Snapshot, Split};
    use crate::analysis::threshold::ThresholdRule;

    #[test]
    fn table_aligns_columns() {
        let t = table(&["name", "n"], &[vec!["a".into(), "10".into()], vec!["longer".into(), "2".into()]]);
        assert_eq!(t, "  name     n\n  a       10\n  longer   2\n");
    }

    #[test]
    fn formats() {
        assert_eq!(TEXT.percent(Some(0.12345)), "12.35%");
        assert_eq!(TEXT.percent(None), "-");
        assert_eq!(TEXT.points(Some(-0.015)), "-1.50 pp");
        assert_eq!(TEXT.coefficient(Some(0.5)), "0.5000");
        assert_eq!(TEXT.fine_percent(Some(0.001_071_2)), "0.107%");
        assert_eq!(TEXT.fine_percent(Some(3.831e-5)), "0.00383%");
        assert_eq!(TEXT.fine_percent(Some(0.0)), "0.00%");
        assert_eq!(TEXT.fine_percent(Some(0.9817)), "98.17%");
        assert_eq!(grouped(29_956), "29,956");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(5_000_000_000), "5,000,000,000");
        assert_eq!(TEXT.proportion(Proportion::new(3, 10)), "30.00% (3/10; 95% CI 6.67–65.25%)");
        assert_eq!(TEXT.proportion(Proportion::new(0, 2795)), "0.00% (0/2,795; 95% CI 0.00–0.132%)");
        assert_eq!(TEXT.proportion(Proportion::new(0, 0)), "- (0/0)");
    }

    #[test]
    fn renders_every_section() {
        let mut s = Snapshot::with_pairs(4, vec!["dark".into()], vec!["ann".into(), "bob".into()]);
        s.score = vec![0.9, 0.8, 0.4, 0.2];
        s.truth = vec![Some(Same), Some(Different), Some(Same), Some(Different)];
        s.split = vec![Some(Split::Train), Some(Split::Train), Some(Split::Dev), None];
        s.labels.push(0, 0, Some(Same), 1);
        s.labels.push(0, 1, Some(Same), 1);
        let r = Report::from_snapshot(&s, ThresholdRule::Fixed(0.5)).unwrap();
        let text = render_text(&r);
        for needle in [
            "Pairs: 4 total",
            "Operating point (fixed 0.5): threshold 0.5000",
            "AUC 0.7500",
            "Human-level performance: 100.00%",
            "Cohen's kappa",
            "Agreement on tags",
            "dark",
            "train-dev",
            "too small to tell which gap is largest",
            "95% CI",
        ] {
            if needle == "train-dev" {
                assert!(!text.contains(needle), "empty splits have no row");
            } else {
                assert!(text.contains(needle), "missing {needle:?} in\n{text}");
            }
        }
        assert!(!text.contains("NaN"));
    }

    #[test]
    fn rates_carry_counts_and_intervals_and_a_partial_fleiss_goes_last() {
        // ann and bob label all four pairs; cy labels one: Fleiss' κ covers 1 of 4 pairs.
        let mut s = Snapshot::with_pairs(4, vec![], vec!["ann".into(), "bob".into(), "cy".into()]);
        s.score = vec![0.9, 0.8, 0.4, 0.2];
        s.truth = vec![Some(Same), Some(Different), Some(Same), Some(Different)];
        for p in 0..4 {
            let t = s.truth[p as usize];
            s.labels.push(p, 0, t, 0);
            s.labels.push(p, 1, t, 0);
        }
        s.labels.push(0, 2, Some(Different), 0);
        let r = Report::from_snapshot(&s, ThresholdRule::MaxFpr(1e-4)).unwrap();
        let text = render_text(&r);
        for needle in [
            "FPR ≤ 0.01 % is not demonstrated: 2 different-person pairs, 0 false accepts, upper bound 77.6 %; \
             it needs ≥ 29,956.",
            "TPR (recall)  50.00%    1/2",
            "needs >= 29,956 different-person pairs",
            "EER 50.00% at threshold 0.8000",
            "9 verdicts, 95% interval",
            "cy              1    0.00%    0.00-97.50%",
            "Fleiss' kappa (1 pairs)",
            "Note: Fleiss' kappa covers only the 1 pairs every labeler labeled, fewer than half of the 4",
        ] {
            assert!(text.contains(needle), "missing {needle:?} in\n{text}");
        }
        let at = |needle: &str| text.find(needle).unwrap();
        assert!(at("Krippendorff's alpha") < at("Fleiss' kappa ("), "α leads:\n{text}");
    }

    #[test]
    fn thresholds_read_with_four_significant_digits() {
        let t = |x| TEXT.threshold(Some(x));
        assert_eq!(t(0.4309419095516205), "0.4309");
        assert_eq!(t(0.22830533981323242), "0.2283");
        assert_eq!(t(0.5), "0.5000");
        assert_eq!(t(0.99996), "1.000");
        assert_eq!(t(12.3456), "12.35");
        assert_eq!(t(-0.0012344), "-0.001234");
        assert_eq!(t(0.0), "0");
        assert_eq!(TEXT.threshold(None), "-");
    }
}
