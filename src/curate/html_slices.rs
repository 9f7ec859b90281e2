//! The HTML report's per-tag, per-split and threshold-from sections, with counts and 95 %
//! intervals (the cells are the text report's, see `analysis::text_slices`).

use std::fmt::Write;

use super::html_report::{HTML, escape, table};
use crate::analysis::{
    DIAGNOSIS_HEADERS, Report, SPLIT_HEADERS, TAG_HEADERS, THRESHOLD_FROM_HEADERS, TOO_FEW_TO_RANK, diagnosis_verdict,
    ranked_rows, threshold_from_heading,
};

pub(super) fn slices_and_splits(h: &mut String, report: &Report) {
    *h += "<h2>Where to work first: per tag</h2>\n<p>Priority = max(gap to human level, 0) × share of the data. \
           Intervals are two-sided 95 % Clopper–Pearson.</p>\n";
    let rows: Vec<Vec<String>> = report
        .tags
        .iter()
        .map(|t| {
            let mut cells = HTML.tag_cells(t);
            cells[0] = escape(&cells[0]);
            cells
        })
        .collect();
    let ranked = ranked_rows(&report.tags);
    table(h, &TAG_HEADERS, &rows[..ranked]);
    if ranked < rows.len() {
        let _ = writeln!(h, "<p><b>{}</b> (listed, never ranked first):</p>", capitalized(TOO_FEW_TO_RANK));
        table(h, &TAG_HEADERS, &rows[ranked..]);
    }

    *h += "<h2>Bias, variance and data mismatch</h2>\n";
    table(h, &SPLIT_HEADERS, &HTML.split_rows(report));
    *h +=
        "<p>Each term is a difference of two error rates; its 95 % interval is Newcombe's hybrid score interval.</p>\n";
    table(h, &DIAGNOSIS_HEADERS, &HTML.diagnosis_rows(report));
    let _ = writeln!(h, "<p class=\"verdict\">{}</p>", escape(&diagnosis_verdict(report)));
    if let Some(note) = &report.splits.note {
        let _ = writeln!(h, "<p class=\"caption\">Note: {}</p>", escape(note));
    }
    if let Some(heading) = threshold_from_heading(report, &HTML) {
        let _ = writeln!(h, "<h2>Threshold set on one split</h2>\n<p>{}.</p>", escape(&heading));
        table(h, &THRESHOLD_FROM_HEADERS, &HTML.threshold_from_rows(report));
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}
