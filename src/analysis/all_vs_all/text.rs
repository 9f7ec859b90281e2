//! The all-vs-all result as a few readable lines, each labeled with its number of
//! comparisons; the text report prints them and the HTML report lists them.

use super::AllVsAllReport;

/// A rate small enough to need more than two decimals of a percentage: 1.23e-4.
fn rate(x: Option<f64>) -> String {
    match x {
        None => "-".into(),
        Some(0.0) => "0".into(),
        Some(x) if x >= 0.01 => format!("{:.2}%", 100.0 * x),
        Some(x) => format!("{x:.2e}"),
    }
}

fn interval(ci: Option<[f64; 2]>) -> String {
    ci.map_or("-".into(), |[lo, hi]| format!("[{}, {}]", rate(Some(lo)), rate(Some(hi))))
}

fn threshold(t: Option<f64>) -> String {
    t.map_or("none (nothing accepted)".into(), |t| format!("{t:.4}"))
}

/// The title line first, then one line per fact.
pub fn all_vs_all_lines(r: &AllVsAllReport) -> Vec<String> {
    let mut lines = vec![format!(
        "All-vs-all (model {}): {} images of {} identities; {} comparisons: {} genuine, {} impostor",
        r.model,
        r.images,
        r.identities,
        r.genuine + r.impostors,
        r.genuine,
        r.impostors
    )];
    if let Some(eer) = &r.eer {
        lines.push(format!(
            "EER {} at threshold {} (over {} comparisons)",
            rate(Some(eer.rate)),
            threshold(eer.threshold.map(f64::from)),
            r.genuine + r.impostors
        ));
    }
    for (key, p) in &r.points.0 {
        let demonstrated = if p.demonstrated {
            format!(
                "FMR ≤ {key} demonstrated at threshold {}, TMR {}",
                threshold(p.demonstrated_threshold),
                rate(p.demonstrated_tmr)
            )
        } else {
            format!("FMR ≤ {key} is not demonstrated: it needs ≥ {} impostors", p.impostors_needed.unwrap_or(0))
        };
        lines.push(format!(
            "FMR {key}: threshold {}; {} false accepts of {} impostors, FMR {} {} (upper bound {}); \
             TMR {} ({} false rejects of {} genuine, FNMR {}); {demonstrated}",
            threshold(p.threshold),
            p.false_accepts,
            p.impostors,
            rate(p.fmr),
            interval(p.fmr_ci95),
            rate(p.fmr_upper95),
            rate(p.tmr),
            p.false_rejects,
            p.genuine,
            interval(p.fnmr_ci95),
        ));
    }
    if let Some(top) = r.hardest_impostors.first() {
        lines.push(format!(
            "Hardest impostor of {}: {} ({}) and {} ({}), score {:.4}",
            r.impostors, top.image_a, top.identity_a, top.image_b, top.identity_b, top.score
        ));
    }
    lines
}

/// For `render_text`: a blank line, the title, the facts indented; nothing when not computed.
pub fn all_vs_all_text(r: Option<&AllVsAllReport>) -> String {
    let Some(r) = r else { return String::new() };
    let mut out = String::from("\n");
    for (i, line) in all_vs_all_lines(r).into_iter().enumerate() {
        out += if i == 0 { "" } else { "  " };
        out += &line;
        out.push('\n');
    }
    out
}
