//! The text report's counts and intervals (issue 13): the operating point's rates, the FPR
//! targets observed and demonstrated, the EER, HLP, and what Fleiss' κ covers.

use std::fmt::Write;

use super::fpr_target::percent3;
use super::intervals::Proportion;
use super::report::{AgreementReport, HlpReport, OperatingPointReport, RocReport};
use super::report_intervals::fleiss_is_partial;
use super::text::grouped;
use super::text::{Numbers, table};

const TEXT: Numbers = Numbers { missing: "-" };

/// `12/345`.
fn fraction(k: u64, n: u64) -> String {
    format!("{}/{}", grouped(k), grouped(n))
}

/// `95.80-97.81%`, or `-`.
pub fn interval(ci: Option<[f64; 2]>) -> String {
    ci.map_or_else(|| "-".to_string(), |[lo, hi]| format!("{:.2}-{:.2}%", 100.0 * lo, 100.0 * hi))
}

/// The operating point's rates, each with its count and 95 % interval, and the one-sided
/// upper bound of the FPR. Leads with the door-lock sentence under an FPR rule.
pub fn operating_point_rates(out: &mut String, op: &OperatingPointReport, roc: &RocReport, claim: Option<String>) {
    if let Some(claim) = claim {
        let _ = writeln!(out, "  {claim}");
    }
    let i = &op.intervals;
    let correct = op.tp + op.tn;
    let rows = [
        ("TPR (recall)", op.tp, i.positives, i.tpr_ci95),
        ("FNR", op.fn_, i.positives, i.fnr_ci95),
        ("FPR", op.fp, i.negatives, i.fpr_ci95),
        ("accuracy", correct, i.positives + i.negatives, i.accuracy_ci95),
    ];
    let mut rows: Vec<Vec<String>> = rows
        .iter()
        .map(|&(name, k, n, ci)| {
            vec![name.to_string(), TEXT.percent(Proportion::new(k, n).rate()), fraction(k, n), interval(ci)]
        })
        .collect();
    rows[2].push(i.fpr_upper95.map_or("-".into(), percent3));
    for row in rows.iter_mut().filter(|r| r.len() < 5) {
        row.push(String::new());
    }
    out.push_str(&table(&["rate", "value", "count", "95% interval", "upper 95%"], &rows));
    let eer = &roc.targets.eer;
    let _ = writeln!(
        out,
        "  EER {} at threshold {}",
        TEXT.percent(eer.rate),
        if eer.threshold.is_some() { TEXT.threshold(eer.threshold) } else { "none".into() }
    );
}

/// One row per FPR target: the observed point (threshold, TPR with count and interval, false
/// accepts, upper bound) beside the demonstrated one, or how many pairs it needs.
pub fn fpr_targets(out: &mut String, roc: &RocReport) {
    let rows: Vec<Vec<String>> = roc
        .targets
        .points
        .0
        .iter()
        .map(|(key, p)| {
            let mut row = vec![
                key.clone(),
                p.threshold.map_or("none".into(), |t| format!("{t:.4}")),
                TEXT.percent(p.tpr),
                interval(p.tpr_ci95),
                fraction(p.false_accepts, p.negatives),
                p.fpr_upper95.map_or("-".into(), percent3),
            ];
            if p.demonstrated {
                row.push(p.demonstrated_threshold.map_or("none (accept nothing)".into(), |t| format!("{t:.4}")));
                row.push(TEXT.percent(p.demonstrated_tpr));
            } else {
                row.push(format!("needs >= {} different-person pairs", grouped(p.negatives_needed)));
                row.push(String::new());
            }
            row
        })
        .collect();
    out.push_str(&table(
        &["FPR <=", "threshold", "TPR", "95% interval", "false accepts", "FPR upper 95%", "demonstrated at", "its TPR"],
        &rows,
    ));
}

/// The HLP line and table, each with its verdicts and interval.
pub fn hlp(out: &mut String, h: &HlpReport) {
    let i = &h.intervals;
    let _ = writeln!(
        out,
        "\nHuman-level performance: {} (human error {}; {} verdicts, 95% interval {})",
        TEXT.percent(h.accuracy),
        TEXT.percent(h.accuracy.map(|a| 1.0 - a)),
        grouped(i.verdicts),
        interval(i.accuracy_ci95)
    );
    if !i.labelers_detail.0.is_empty() {
        let rows: Vec<Vec<String>> = i
            .labelers_detail
            .0
            .iter()
            .map(|(name, l)| {
                vec![name.clone(), grouped(l.verdicts), TEXT.percent(l.accuracy), interval(l.accuracy_ci95)]
            })
            .collect();
        out.push_str(&table(&["labeler", "verdicts", "HLP", "95% interval"], &rows));
    }
}

/// The overall agreement rows: Fleiss' κ always with its pairs; when it covers fewer than half
/// of the pairs with two verdicts or more, Krippendorff's α first and a note why.
pub fn agreement(out: &mut String, a: &AgreementReport) {
    let partial = fleiss_is_partial(a.fleiss_pairs, a.pairs_with_two_verdicts);
    let fleiss = vec![format!("Fleiss' kappa ({} pairs)", grouped(a.fleiss_pairs)), TEXT.coefficient(a.fleiss_kappa)];
    let alpha = vec!["Krippendorff's alpha".into(), TEXT.coefficient(a.krippendorff_alpha)];
    let percent = vec!["percent agreement".into(), TEXT.percent(a.percent_agreement)];
    let rows = if partial { vec![alpha, percent, fleiss] } else { vec![percent, fleiss, alpha] };
    out.push_str(&table(&["measure", "value"], &rows));
    if partial {
        let _ = writeln!(
            out,
            "  Note: Fleiss' kappa covers only the {} pairs every labeler labeled, fewer than half of the {} \
             pairs with two verdicts or more; Krippendorff's alpha uses them all.",
            grouped(a.fleiss_pairs),
            grouped(a.pairs_with_two_verdicts)
        );
    }
}
