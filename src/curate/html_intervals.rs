//! The HTML report's counts and intervals (issue 13): the door-lock sentence, the operating
//! point's rates, the FPR targets observed and demonstrated, the EER, HLP and what Fleiss' κ
//! covers. The same numbers as the text report, from the same [`Report`].

use std::fmt::Write;

use super::html_report::{escape, table};
use crate::analysis::intervals::Proportion;
use crate::analysis::{Numbers, Report, fleiss_is_partial, grouped, percent3};

const HTML: Numbers = Numbers { missing: "–" };

fn interval(ci: Option<[f64; 2]>) -> String {
    ci.map_or_else(|| "–".into(), |[lo, hi]| format!("{:.2}–{:.2}%", 100.0 * lo, 100.0 * hi))
}

fn of(k: u64, n: u64) -> String {
    format!("{}/{}", grouped(k), grouped(n))
}

/// The sentence under an FPR rule, the rates with counts and intervals, and the EER.
pub fn operating_point(h: &mut String, report: &Report) {
    let op = &report.operating_point;
    if let Some(t) = &op.fpr_target {
        let _ = writeln!(h, "<p class=\"verdict\"><b>{}</b></p>", escape(&t.claim()));
    }
    let i = &op.intervals;
    let rows: Vec<Vec<String>> = [
        ("TPR (recall)", op.tp, i.positives, i.tpr_ci95),
        ("FNR", op.fn_, i.positives, i.fnr_ci95),
        ("FPR", op.fp, i.negatives, i.fpr_ci95),
        ("accuracy", op.tp + op.tn, i.positives + i.negatives, i.accuracy_ci95),
    ]
    .iter()
    .map(|&(name, k, n, ci)| vec![name.into(), HTML.percent(Proportion::new(k, n).rate()), of(k, n), interval(ci)])
    .collect();
    table(h, &["rate", "value", "count", "95% interval"], &rows);
    let eer = &report.roc.targets.eer;
    let _ = writeln!(
        h,
        "<p>One-sided 95% upper bound of the FPR <b>{}</b>. EER <b>{}</b> at threshold {}.</p>",
        i.fpr_upper95.map_or("–".into(), percent3),
        HTML.percent(eer.rate),
        HTML.coefficient(eer.threshold)
    );
}

/// One row per FPR target: observed beside demonstrated, or how many pairs it needs.
pub fn targets(h: &mut String, report: &Report) {
    h.push_str(
        "<p>Observed: the smallest threshold with FPR ≤ f. Demonstrated: the smallest threshold whose one-sided \
         95% upper bound of the FPR is ≤ f.</p>\n",
    );
    let rows: Vec<Vec<String>> = report
        .roc
        .targets
        .points
        .0
        .iter()
        .map(|(key, p)| {
            let (at, tpr) = if p.demonstrated {
                (HTML.coefficient(p.demonstrated_threshold), HTML.percent(p.demonstrated_tpr))
            } else {
                (format!("needs ≥ {} different-person pairs", grouped(p.negatives_needed)), String::new())
            };
            vec![
                key.clone(),
                HTML.coefficient(p.threshold),
                HTML.percent(p.tpr),
                interval(p.tpr_ci95),
                of(p.false_accepts, p.negatives),
                p.fpr_upper95.map_or("–".into(), percent3),
                at,
                tpr,
            ]
        })
        .collect();
    table(
        h,
        &["FPR ≤", "threshold", "TPR", "95% interval", "false accepts", "FPR upper 95%", "demonstrated at", "its TPR"],
        &rows,
    );
}

/// HLP pooled and per labeler with verdicts and intervals.
pub fn hlp(h: &mut String, report: &Report) {
    let i = &report.hlp.intervals;
    let _ = writeln!(
        h,
        "<p>HLP (verdicts equal to the truth) <b>{}</b>: {} verdicts, 95% interval {}.</p>",
        HTML.percent(report.hlp.accuracy),
        grouped(i.verdicts),
        interval(i.accuracy_ci95)
    );
    let rows: Vec<Vec<String>> = i
        .labelers_detail
        .0
        .iter()
        .map(|(n, l)| vec![escape(n), grouped(l.verdicts), HTML.percent(l.accuracy), interval(l.accuracy_ci95)])
        .collect();
    table(h, &["labeler", "verdicts", "HLP", "95% interval"], &rows);
}

/// Overall agreement; Fleiss' κ with its pairs, grey and after α when it covers under half.
pub fn agreement(h: &mut String, report: &Report) {
    let a = &report.agreement;
    let fleiss = format!("Fleiss' κ ({} pairs)", grouped(a.fleiss_pairs));
    if fleiss_is_partial(a.fleiss_pairs, a.pairs_with_two_verdicts) {
        let why = format!(
            "Fleiss' κ covers only the {} pairs every labeler labeled, fewer than half of the {} pairs with two \
             verdicts or more; Krippendorff's α uses them all.",
            grouped(a.fleiss_pairs),
            grouped(a.pairs_with_two_verdicts)
        );
        table(
            h,
            &["Krippendorff's α", "percent agreement", &fleiss],
            &[vec![
                HTML.coefficient(a.krippendorff_alpha),
                HTML.percent(a.percent_agreement),
                format!("<span style=\"color:#999\" title=\"{why}\">{}</span>", HTML.coefficient(a.fleiss_kappa)),
            ]],
        );
        let _ = writeln!(h, "<p class=\"caption\">{why}</p>");
    } else {
        table(
            h,
            &["percent agreement", &fleiss, "Krippendorff's α"],
            &[vec![
                HTML.percent(a.percent_agreement),
                HTML.coefficient(a.fleiss_kappa),
                HTML.coefficient(a.krippendorff_alpha),
            ]],
        );
    }
}
