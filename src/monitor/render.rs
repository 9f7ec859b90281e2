//! The monitor's report as text, for people (the JSON is its serde form).

use std::fmt::Write;

use super::{DarkSlice, MeasureDrift, MonitorReport};
use crate::analysis::intervals::Proportion;
use crate::analysis::text_intervals::interval;

/// A measure's value or a p-value: four decimals, or scientific where those would mislead.
pub fn number(v: f64) -> String {
    if v != 0.0 && (v.abs() < 1e-3 || v.abs() >= 1e5) { format!("{v:.3e}") } else { format!("{v:.4}") }
}

/// `count` of `total` with its share and 95 % interval ("-" for none examined).
pub fn share((count, total): (usize, usize)) -> String {
    if total == 0 {
        return "-".into();
    }
    let ci = Proportion::new(count as u64, total as u64).ci95();
    format!("{count}/{total} ({:.1} %, 95 % interval {})", 100.0 * count as f64 / total as f64, interval(ci))
}

/// One measure's row of the table.
fn row(out: &mut String, m: &MeasureDrift) {
    let medians = match (m.median_new, m.median_baseline) {
        (Some(n), Some(b)) => format!("{} / {}", number(n), number(b)),
        _ => "-".into(),
    };
    match &m.test {
        Some(t) => {
            let _ = writeln!(
                out,
                "{:<22} {:>13}  {:>7.4}  {:>22}  {:>8.4}  {:>21}  {}",
                m.measure,
                format!("{} / {}", t.n_new, t.n_baseline),
                t.ks.statistic,
                format!("{} ({})", number(t.ks.p_value), t.ks.method.name()),
                t.psi,
                medians,
                if t.drifted { "DRIFTED" } else { "stable" }
            );
        }
        None => {
            let _ = writeln!(out, "{:<22} not compared: a side has no values", m.measure);
        }
    }
}

pub fn render_text(r: &MonitorReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} new photos against {} ({} photos)", r.new_photos, r.baseline, r.baseline_photos);
    if r.baseline_unmeasured > 0 {
        let _ = writeln!(
            out,
            "  {} of them not yet through the face pass, left out: run `pairscope embed` first",
            r.baseline_unmeasured
        );
    }
    let _ = writeln!(out, "rule: {}\n", r.rule);
    let _ = writeln!(
        out,
        "{:<22} {:>13}  {:>7}  {:>22}  {:>8}  {:>21}  verdict",
        "measure", "n new / base", "KS D", "p-value (method)", "PSI", "median new / base"
    );
    for m in &r.measures {
        row(&mut out, m);
    }
    let _ = writeln!(out);
    match &r.scores.skipped {
        None => {
            let _ = writeln!(
                out,
                "built-in model's scores on the batch's pairs ({} faces in {} identity folders) against the \
                 project's pairs of the same truth:",
                r.scores.photos, r.scores.identities
            );
            for m in &r.scores.rows {
                row(&mut out, m);
            }
        }
        Some(reason) => {
            let _ = writeln!(out, "scores not compared: {reason}");
        }
    }
    let _ = writeln!(out);
    for rate in &r.rates {
        let _ = writeln!(
            out,
            "{} rate: new {}, baseline {} (shown, not judged)",
            rate.rate,
            share(rate.new),
            share(rate.baseline)
        );
    }
    let _ = writeln!(out, "\nverdict: {}", verdict(r));
    if r.drifted_darker() {
        let _ = writeln!(out, "{}", darker(r.dark_slice.as_ref()));
    }
    out
}

/// "stable (no measure drifted)" or "DRIFTED on brightness, …".
pub fn verdict(r: &MonitorReport) -> String {
    // The score rows (identity folders) count as measures too.
    let drifted: Vec<&str> = r
        .measures
        .iter()
        .chain(&r.scores.rows)
        .filter(|m| m.test.is_some_and(|t| t.drifted))
        .map(|m| m.measure)
        .collect();
    if drifted.is_empty() { "stable (no measure drifted)".into() } else { format!("DRIFTED on {}", drifted.join(", ")) }
}

/// What darker new photos mean for the model: the `dark` slice's error rate beside all pairs'.
pub fn darker(dark_slice: Option<&DarkSlice>) -> String {
    match dark_slice {
        Some(d) => format!(
            "the new photos are darker: they look like the project's `dark` slice, where the model errs on {:.1} % \
             of {} pairs ({}/{}, 95 % interval {}; all pairs: {:.1} % ({}/{}, 95 % interval {}), threshold {:.4}, \
             max accuracy)",
            100.0 * d.error_rate,
            d.pairs,
            d.errors,
            d.pairs,
            interval(d.error_rate_ci95),
            100.0 * d.overall_error_rate,
            d.overall_errors,
            d.evaluable,
            interval(d.overall_error_rate_ci95),
            d.threshold
        ),
        None => "the new photos are darker; the project has no scored `dark` slice to compare with".into(),
    }
}
