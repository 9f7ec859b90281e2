//! The HTML report's "Quality against error" section: the EDC plot (FNMR against the
//! fraction of lowest-quality genuine pairs discarded, by sharpness and by brightness) and the
//! table of `report --json`'s `edc`.

use std::fmt::Write;

use super::html_report::{H, HTML, M, W, axes, svg_open, table};
use crate::analysis::{EDC_MAX_DISCARD, EdcByQuality, EdcGenuine, EdcReport, EdcRow};

/// The section; empty when the report has no EDC.
pub(super) fn edc_section(report: Option<&EdcReport>, edc: Option<&EdcByQuality>) -> String {
    let Some(r) = report else { return String::new() };
    let mut h = String::from("<h2>Quality against error (EDC)</h2>\n");
    let _ = writeln!(
        h,
        "<p>FNMR at threshold <b>{}</b> after discarding the lowest-quality same-person pairs; a pair's quality is \
         its worse photo's. {} same-person pairs with image statistics; {} without, left out. Equal qualities are \
         discarded together, so a row may discard less than its fraction. A falling curve means that rejecting such \
         photos at capture pays.</p>",
        HTML.coefficient(r.threshold),
        r.genuine,
        r.genuine_without_statistics
    );
    if let Some(edc) = edc {
        h += &edc_svg(edc, r.threshold.unwrap_or(f64::INFINITY));
    }
    let rows: Vec<Vec<String>> = r
        .sharpness
        .iter()
        .zip(&r.brightness)
        .map(|(s, b)| {
            vec![
                format!("{:.0}%", 100.0 * s.discard),
                cell(s),
                s.discarded.to_string(),
                cell(b),
                b.discarded.to_string(),
            ]
        })
        .collect();
    table(&mut h, &["discard", "FNMR by sharpness", "discarded", "FNMR by brightness", "discarded"], &rows);
    h
}

/// `1.23% (12/975; 95% CI 0.64–2.14%)`.
fn cell(row: &EdcRow) -> String {
    HTML.proportion(row.fnmr_count())
}

/// Both step curves on one plot; the y axis goes to the largest FNMR shown.
fn edc_svg(edc: &EdcByQuality, threshold: f64) -> String {
    let curve = |g: &EdcGenuine| -> Vec<(f64, f64)> {
        let points = g.curve(threshold, EDC_MAX_DISCARD);
        let mut out = Vec::new();
        for (i, p) in points.iter().enumerate() {
            let (Some(x), Some(y)) = (p.discard_fraction(), p.fnmr()) else { continue };
            let next = points.get(i + 1).and_then(|n| n.discard_fraction()).unwrap_or(EDC_MAX_DISCARD);
            out.extend([(x, y), (next, y)]);
        }
        out
    };
    let curves = [(curve(&edc.sharpness), "#2e7d32"), (curve(&edc.brightness), "#b36b00")];
    let top = curves.iter().flat_map(|(c, _)| c.iter().map(|p| p.1)).fold(0.0, f64::max).max(1e-3);
    let mut svg = svg_open(
        "EDC: FNMR against the fraction of same-person pairs discarded, by sharpness (green) and brightness (orange)",
    );
    let x = |f: f64| M + f / EDC_MAX_DISCARD * (W - 2.0 * M);
    let y = |r: f64| H - M - r / top * (H - 2.0 * M);
    for (points, colour) in &curves {
        let points: Vec<String> = points.iter().map(|&(a, b)| format!("{:.1},{:.1}", x(a), y(b))).collect();
        let _ = write!(
            svg,
            "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{}\"/>",
            points.join(" ")
        );
    }
    let _ =
        write!(svg, "<text x=\"{}\" y=\"{}\" font-size=\"11\">{}</text>", M + 4.0, M - 4.0, HTML.percent(Some(top)));
    axes(&mut svg, "0", &format!("{:.0}%", 100.0 * EDC_MAX_DISCARD), "same-person pairs discarded", "FNMR");
    svg + "</svg>"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Truth;

    #[test]
    fn the_section_has_both_curves_and_a_row_per_fraction() {
        let score = [0.1, 0.9, 0.8, 0.7];
        let truth = [Some(Truth::Same); 4];
        let stats = [Some((9.0, 1.0)), Some((1.0, 5.0)), Some((2.0, 6.0)), None];
        let edc = EdcByQuality::new(&score, &truth, &stats);
        let report = edc.report(0.5);
        let html = edc_section(Some(&report), Some(&edc));
        assert_eq!(html.matches("<polyline").count(), 2, "{html}");
        assert_eq!(html.matches("<tr>").count(), 1 + report.sharpness.len());
        assert!(html.contains("33.33% (1/3; 95% CI"), "{html}");
        assert!(html.contains("3 same-person pairs with image statistics; 1 without"), "{html}");
        assert_eq!(edc_section(None, Some(&edc)), "");
    }
}
