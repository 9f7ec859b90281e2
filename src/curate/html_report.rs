//! A self-contained HTML report of the error analysis, for people who will not open the app:
//! the tables of `pairscope report` and inline SVG plots (score histogram, ROC). No external
//! resources, so it can be mailed or archived as one file.

use std::fmt::Write;

use super::html_intervals;
use crate::analysis::{EdcByQuality, Numbers, Report, RocPoint};

/// What the plots need besides the report.
pub struct ReportPlots<'a> {
    pub roc: Option<&'a [RocPoint]>,
    /// Scores of evaluable same-person and different-person pairs.
    pub same_scores: &'a [f64],
    pub different_scores: &'a [f64],
    /// The genuine pairs ranked by image quality, for the EDC plot.
    pub edc: Option<&'a EdcByQuality>,
}

pub fn html_report(title: &str, model: Option<&str>, report: &Report, plots: &ReportPlots) -> String {
    let mut h = String::new();
    let t = escape(title);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t} — pairscope report</title>\n<style>{CSS}</style></head><body>\n<h1>{t}</h1>\n"
    );
    let p = &report.pairs;
    let _ = writeln!(
        h,
        "<p>{} pairs, {} with a truth, {} scored by <b>{}</b>; {} evaluable.</p>",
        p.total,
        p.with_truth,
        p.scored,
        escape(model.unwrap_or("no model")),
        p.evaluable
    );

    let op = &report.operating_point;
    h += "<h2>Operating point</h2>\n";
    let _ = writeln!(
        h,
        "<p>Rule <b>{}</b>, threshold <b>{}</b>.</p>",
        escape(&op.rule.to_string()),
        HTML.coefficient(op.threshold)
    );
    table(
        &mut h,
        &["TP", "FP", "TN", "FN", "accuracy", "precision", "recall", "F1", "FPR"],
        &[vec![
            op.tp.to_string(),
            op.fp.to_string(),
            op.tn.to_string(),
            op.fn_.to_string(),
            HTML.percent(op.accuracy),
            HTML.percent(op.precision),
            HTML.percent(op.recall),
            HTML.percent(op.f1),
            HTML.percent(op.fpr),
        ]],
    );
    html_intervals::operating_point(&mut h, report);
    h += "<div class=\"plots\">";
    h += &histogram_svg(plots.same_scores, plots.different_scores, op.threshold);
    if let Some(roc) = plots.roc {
        h += &roc_svg(roc, op.fpr, op.recall);
    }
    h += "</div>\n<p class=\"caption\">Left: scores of <span style=\"color:#2e8b57\">same-person</span> and \
          <span style=\"color:#d9534f\">different-person</span> pairs; the dashed line is the threshold. \
          Right: ROC curve; the dot is the operating point.</p>\n";
    let _ = writeln!(h, "<p>ROC AUC <b>{}</b>.</p>", HTML.coefficient(report.roc.auc));
    html_intervals::targets(&mut h, report);

    super::html_slices::slices_and_splits(&mut h, report);

    h += "<h2>Human-level performance and agreement</h2>\n";
    html_intervals::hlp(&mut h, report);
    html_intervals::agreement(&mut h, report);
    let a = &report.agreement;
    let rows: Vec<Vec<String>> = a
        .cohen_kappa
        .iter()
        .map(|c| vec![escape(&c.a), escape(&c.b), c.n.to_string(), HTML.coefficient(c.kappa)])
        .collect();
    table(&mut h, &["labeler", "labeler", "pairs", "Cohen's κ"], &rows);
    let rows: Vec<Vec<String>> = a
        .tags
        .0
        .iter()
        .map(|(n, t)| vec![escape(n), HTML.percent(t.percent_agreement), HTML.coefficient(t.krippendorff_alpha)])
        .collect();
    table(&mut h, &["tag", "agreement", "α"], &rows);
    h += &super::html_edc::edc_section(report.edc.as_ref(), plots.edc);
    h += &super::all_vs_all_section::html(report.all_vs_all.as_ref());
    h += "<p class=\"foot\">Made by pairscope.</p>\n</body></html>\n";
    h
}

const CSS: &str = "body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#222}\
h1{font-size:1.6em}h2{margin-top:1.8em;border-bottom:1px solid #ddd}\
table{border-collapse:collapse;margin:.6em 0}td,th{padding:3px 10px;border-bottom:1px solid #eee}\
th{text-align:left;background:#f6f6f6}td.n{text-align:right;font-variant-numeric:tabular-nums}\
.plots{display:flex;gap:24px;flex-wrap:wrap}.verdict{font-size:1.1em}.caption{color:#555;font-size:.92em}.foot{color:#888;margin-top:3em}";

pub(super) fn table(h: &mut String, headers: &[&str], rows: &[Vec<String>]) {
    h.push_str("<table><tr>");
    for header in headers {
        let _ = write!(h, "<th>{header}</th>");
    }
    h.push_str("</tr>\n");
    for row in rows {
        h.push_str("<tr>");
        for cell in row {
            let numeric = cell.chars().next().is_some_and(|c| c.is_ascii_digit() || c == '-' || c == '+' || c == '[');
            let _ = write!(h, "<td{}>{cell}</td>", if numeric { " class=\"n\"" } else { "" });
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</table>\n");
}

/// Text from a user (tag and labeler names, the project's name) made safe for HTML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

pub(super) const HTML: Numbers = Numbers { missing: "–" };

pub(super) const W: f64 = 460.0;
pub(super) const H: f64 = 300.0;
pub(super) const M: f64 = 40.0;

/// Same-person and different-person score histograms, with the threshold as a line.
fn histogram_svg(same: &[f64], different: &[f64], threshold: Option<f64>) -> String {
    let all = same.iter().chain(different).copied().filter(|s| s.is_finite());
    let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), s| (lo.min(s), hi.max(s)));
    let mut svg = svg_open("Score histogram: same person (green) and different people (red)");
    if !(lo.is_finite() && hi > lo) {
        svg += "<text x=\"60\" y=\"150\">no scores</text></svg>";
        return svg;
    }
    const BINS: usize = 40;
    let bin = |s: f64| (((s - lo) / (hi - lo) * BINS as f64) as usize).min(BINS - 1);
    let count = |scores: &[f64]| {
        let mut c = [0usize; BINS];
        scores.iter().filter(|s| s.is_finite()).for_each(|s| c[bin(*s)] += 1);
        c
    };
    let (cs, cd) = (count(same), count(different));
    let peak = cs.iter().chain(&cd).copied().max().unwrap_or(1).max(1) as f64;
    let x = |s: f64| M + (s - lo) / (hi - lo) * (W - 2.0 * M);
    let bar_w = (W - 2.0 * M) / BINS as f64;
    for (counts, colour) in [(cd, "#d9534f"), (cs, "#2e8b57")] {
        for (i, n) in counts.iter().enumerate().filter(|(_, n)| **n > 0) {
            let bh = *n as f64 / peak * (H - 2.0 * M);
            let _ = write!(
                svg,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{colour}\" fill-opacity=\"0.55\"/>",
                M + i as f64 * bar_w,
                H - M - bh,
                bar_w,
                bh
            );
        }
    }
    if let Some(t) = threshold.filter(|t| (lo..=hi).contains(t)) {
        let _ = write!(
            svg,
            "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{M}\" y2=\"{1}\" stroke=\"#222\" stroke-dasharray=\"4 3\"/>",
            x(t),
            H - M
        );
    }
    axes(&mut svg, &format!("{lo:.2}"), &format!("{hi:.2}"), "score", "pairs");
    svg + "</svg>"
}

/// The ROC curve with the operating point.
fn roc_svg(roc: &[RocPoint], fpr: Option<f64>, tpr: Option<f64>) -> String {
    let mut svg = svg_open("ROC curve with the operating point");
    let x = |f: f64| M + f * (W - 2.0 * M);
    let y = |t: f64| H - M - t * (H - 2.0 * M);
    let points: Vec<String> = roc.iter().map(|p| format!("{:.1},{:.1}", x(p.fpr), y(p.tpr))).collect();
    let _ =
        write!(svg, "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#ccc\"/>", x(0.0), y(0.0), x(1.0), y(1.0));
    let _ =
        write!(svg, "<polyline fill=\"none\" stroke=\"#3b6fb6\" stroke-width=\"2\" points=\"{}\"/>", points.join(" "));
    if let (Some(f), Some(t)) = (fpr, tpr) {
        let _ = write!(svg, "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"5\" fill=\"#222\"/>", x(f), y(t));
    }
    axes(&mut svg, "0", "1", "false positive rate", "true positive rate");
    svg + "</svg>"
}

pub(super) fn svg_open(title: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" role=\"img\" aria-label=\"{title}\"><title>{title}</title>"
    )
}

pub(super) fn axes(svg: &mut String, x_lo: &str, x_hi: &str, x_name: &str, y_name: &str) {
    let _ = write!(
        svg,
        "<line x1=\"{M}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\" stroke=\"#444\"/><line x1=\"{M}\" y1=\"{M}\" x2=\"{M}\" y2=\"{b}\" stroke=\"#444\"/>\
         <text x=\"{M}\" y=\"{t1}\" font-size=\"11\">{x_lo}</text><text x=\"{r}\" y=\"{t1}\" font-size=\"11\" text-anchor=\"end\">{x_hi}</text>\
         <text x=\"{mid}\" y=\"{t2}\" font-size=\"12\" text-anchor=\"middle\">{x_name}</text>\
         <text x=\"12\" y=\"{midy}\" font-size=\"12\" transform=\"rotate(-90 12 {midy})\" text-anchor=\"middle\">{y_name}</text>",
        b = H - M,
        r = W - M,
        t1 = H - M + 14.0,
        t2 = H - 8.0,
        mid = W / 2.0,
        midy = H / 2.0
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_is_escaped() {
        assert_eq!(escape("<b>\"x\" & 'y'</b>"), "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;");
    }

    #[test]
    fn histogram_bins_every_score_and_draws_the_threshold() {
        let svg = histogram_svg(&[0.6, 0.7, 0.7], &[0.0, 0.1], Some(0.4));
        assert_eq!(svg.matches("<rect").count(), 4, "{svg}");
        assert!(svg.contains("stroke-dasharray"), "threshold line");
        assert!(histogram_svg(&[], &[], None).contains("no scores"));
    }
}
