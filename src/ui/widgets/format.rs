//! Numbers and CSV as every screen writes them.

use crate::analysis::intervals::Proportion;

/// `0.1234` → `12.3 %`; None → `–`.
pub(in crate::ui) fn pct(x: Option<f64>) -> String {
    match x {
        Some(x) if x.is_finite() => format!("{:.1} %", x * 100.0),
        _ => "–".into(),
    }
}

/// A percentage that keeps three significant digits below 1 % (`0.107 %`), where one decimal
/// would print a door-lock FPR bound as `0.1 %` or `0.0 %`.
pub(in crate::ui) fn fine_pct(x: Option<f64>) -> String {
    match x {
        Some(x) if x.is_finite() => {
            let p = 100.0 * x;
            if p == 0.0 || p.abs() >= 1.0 {
                format!("{p:.1} %")
            } else {
                let decimals = (2 - p.abs().log10().floor() as i32).clamp(1, 12) as usize;
                format!("{p:.decimals$} %")
            }
        }
        _ => "–".into(),
    }
}

/// A rate with the count it comes from: `12.5 % (3/24)`.
pub(in crate::ui) fn rate(p: Proportion) -> String {
    format!("{} ({}/{})", fine_pct(p.rate()), count(p.k), count(p.n))
}

/// A 95 % interval as the tables write it: `4.1–18.0 %`, or `–`.
pub(in crate::ui) fn interval(ci: Option<[f64; 2]>) -> String {
    ci.map_or_else(
        || "–".into(),
        |[lo, hi]| format!("{}–{}", fine_pct(Some(lo)).trim_end_matches(" %"), fine_pct(Some(hi))),
    )
}

/// Its two-sided 95 % Clopper–Pearson interval: `95 % CI 2.7–32.4 %`.
pub(in crate::ui) fn ci(p: Proportion) -> String {
    match p.ci95() {
        Some(c) => format!("95 % CI {}", interval(Some(c))),
        None => "no pairs".into(),
    }
}

/// The rate, its count and its interval in one cell: `12.5 % (3/24; 95 % CI 2.7–32.4 %)`.
pub(in crate::ui) fn rate_ci(p: Proportion) -> String {
    match p.ci95() {
        Some(_) => format!("{} ({}/{}; {})", fine_pct(p.rate()), count(p.k), count(p.n), ci(p)),
        None => "– (0/0)".into(),
    }
}

/// A signed percentage-point difference: `+1.2 pp`.
pub(in crate::ui) fn pp(x: Option<f64>) -> String {
    match x {
        Some(x) if x.is_finite() => format!("{:+.1} pp", x * 100.0),
        _ => "–".into(),
    }
}

/// A statistic in [−1, 1] (κ, α) with three decimals.
pub(in crate::ui) fn stat(x: Option<f64>) -> String {
    match x {
        Some(x) if x.is_finite() => format!("{x:.3}"),
        _ => "–".into(),
    }
}

/// Thousands separated by a thin space: `12 345`.
pub(in crate::ui) fn count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// A right-aligned label (numbers line up in a column).
pub(in crate::ui) fn right(ui: &mut egui::Ui, text: impl Into<egui::WidgetText>) -> egui::Response {
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| ui.label(text)).inner
}

/// One CSV field, spreadsheet-safe ([`crate::csv_cells`]) and quoted when it must be.
pub(in crate::ui) fn csv_field(s: &str) -> String {
    let s = crate::csv_cells::neutralise(s);
    if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.into_owned() }
}

/// A line of CSV.
pub(in crate::ui) fn csv_line<S: AsRef<str>>(fields: impl IntoIterator<Item = S>) -> String {
    let fields: Vec<String> = fields.into_iter().map(|f| csv_field(f.as_ref())).collect();
    fields.join(",") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_numbers() {
        assert_eq!(pct(Some(0.1234)), "12.3 %");
        assert_eq!(pct(None), "–");
        assert_eq!(pp(Some(-0.012)), "-1.2 pp");
        assert_eq!(count(1234567), "1 234 567");
        assert_eq!(count(12), "12");
        assert_eq!(csv_line(["a,b", "c\"d", "e"]), "\"a,b\",\"c\"\"d\",e\n");
        assert_eq!(csv_line(["=HYPERLINK(\"x\")", "-0.25", "@a"]), "\"'=HYPERLINK(\"\"x\"\")\",-0.25,'@a\n");
    }

    #[test]
    fn formats_rates_with_counts_and_intervals() {
        assert_eq!(fine_pct(Some(0.001_071_2)), "0.107 %");
        assert_eq!(fine_pct(Some(0.125)), "12.5 %");
        assert_eq!(rate(Proportion::new(3, 24)), "12.5 % (3/24)");
        assert_eq!(ci(Proportion::new(0, 2795)), "95 % CI 0.0–0.132 %");
        assert_eq!(rate_ci(Proportion::new(3, 24)), "12.5 % (3/24; 95 % CI 2.7–32.4 %)");
        assert_eq!(rate_ci(Proportion::new(0, 0)), "– (0/0)");
    }
}
