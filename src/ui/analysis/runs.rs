//! Saved runs (model, threshold, every metric) and the comparison of two of them per tag:
//! which slices got better, which got worse.

use crate::store::RunRecord;
use crate::ui::analysis::command::AnalysisCommand;
use crate::ui::analysis::view_state::AnalysisUi;
use crate::ui::widgets::format::{csv_line, pct, pp, right};

/// One tag's error rate in each of two runs.
#[derive(Clone, Debug, PartialEq)]
pub struct TagChange {
    pub tag: String,
    pub a: Option<f64>,
    pub b: Option<f64>,
}

impl TagChange {
    /// B − A (negative: B makes fewer errors).
    pub fn change(&self) -> Option<f64> {
        Some(self.b? - self.a?)
    }
}

fn tag_error_rates(run: &RunRecord) -> Vec<(String, f64)> {
    run.metrics["tags"]
        .as_array()
        .map(|tags| {
            tags.iter().filter_map(|t| Some((t["tag"].as_str()?.to_owned(), t["error_rate"].as_f64()?))).collect()
        })
        .unwrap_or_default()
}

/// Per tag (in either run), the error rates in A and B; the most improved first.
pub fn compare(a: &RunRecord, b: &RunRecord) -> Vec<TagChange> {
    let (ra, rb) = (tag_error_rates(a), tag_error_rates(b));
    let mut names: Vec<String> = ra.iter().chain(&rb).map(|(n, _)| n.clone()).collect();
    names.sort();
    names.dedup();
    let find = |rates: &[(String, f64)], name: &str| rates.iter().find(|(n, _)| n == name).map(|(_, r)| *r);
    let mut rows: Vec<TagChange> =
        names.into_iter().map(|tag| TagChange { a: find(&ra, &tag), b: find(&rb, &tag), tag }).collect();
    rows.sort_by(|x, y| {
        x.change().unwrap_or(f64::INFINITY).total_cmp(&y.change().unwrap_or(f64::INFINITY)).then(x.tag.cmp(&y.tag))
    });
    rows
}

fn accuracy(run: &RunRecord) -> Option<f64> {
    run.metrics["operating_point"]["accuracy"].as_f64()
}

pub(in crate::ui) fn show(ui: &mut egui::Ui, runs: &[RunRecord], view: &mut AnalysisUi) -> Vec<AnalysisCommand> {
    let mut commands = Vec::new();
    ui.heading("Runs");
    ui.horizontal(|ui| {
        ui.label("Name");
        ui.add(egui::TextEdit::singleline(&mut view.run_name).hint_text("e.g. baseline").desired_width(180.0));
        if ui.button("Save run").on_hover_text("Store the model, the threshold and every metric now.").clicked() {
            let name = if view.run_name.trim().is_empty() {
                format!("run {}", runs.len() + 1)
            } else {
                view.run_name.trim().to_owned()
            };
            commands.push(AnalysisCommand::SaveRun(name));
            view.run_name.clear();
        }
    });
    if runs.is_empty() {
        ui.weak("No saved runs yet.");
        return commands;
    }
    egui::Grid::new("runs").striped(true).min_col_width(60.0).show(ui, |ui| {
        ui.strong("Compare");
        ui.label("");
        for h in ["Run", "Model", "Rule"] {
            ui.strong(h);
        }
        for h in ["Threshold", "Accuracy"] {
            right(ui, egui::RichText::new(h).strong());
        }
        ui.strong("Saved");
        ui.end_row();
        for run in runs.iter().rev() {
            ui.radio_value(&mut view.compare[0], Some(run.id), "A").on_hover_text(format!("Compare {} as A", run.name));
            ui.radio_value(&mut view.compare[1], Some(run.id), "B").on_hover_text(format!("Compare {} as B", run.name));
            ui.label(&run.name);
            ui.label(run.model.as_deref().unwrap_or("–"));
            ui.label(&run.rule);
            right(ui, run.threshold.map(|t| format!("{t:.4}")).unwrap_or_else(|| "+inf".into()));
            right(ui, pct(accuracy(run)));
            ui.label(run.created_at.get(..16).unwrap_or(&run.created_at).replace('T', " "));
            ui.end_row();
        }
    });
    let find = |id: Option<i64>| runs.iter().find(|r| Some(r.id) == id);
    let (Some(a), Some(b)) = (find(view.compare[0]), find(view.compare[1])) else {
        ui.weak("Pick a run as A and another as B to compare them per tag.");
        return commands;
    };
    ui.add_space(6.0);
    let rows = compare(a, b);
    ui.horizontal(|ui| {
        ui.strong(format!("{} (A) vs {} (B): accuracy {} vs {}", a.name, b.name, pct(accuracy(a)), pct(accuracy(b))));
        if ui.small_button("Export CSV…").clicked() {
            let mut csv = csv_line(["tag", "error_rate_a", "error_rate_b", "change"]);
            let opt = |x: Option<f64>| x.map(|x| x.to_string()).unwrap_or_default();
            for r in &rows {
                csv += &csv_line([r.tag.clone(), opt(r.a), opt(r.b), opt(r.change())]);
            }
            commands.push(AnalysisCommand::ExportCsv { suggested_name: "runs-compared.csv".into(), csv });
        }
    });
    let dark = ui.visuals().dark_mode;
    egui::Grid::new("compare").striped(true).min_col_width(90.0).show(ui, |ui| {
        ui.strong("Tag");
        for h in ["Error rate A", "Error rate B", "Change", ""] {
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| ui.strong(h));
        }
        ui.end_row();
        for r in &rows {
            ui.label(&r.tag);
            right(ui, pct(r.a));
            right(ui, pct(r.b));
            right(ui, pp(r.change()));
            let (word, colour) = match r.change() {
                Some(c) if c < -1e-12 => {
                    ("better", if dark { egui::Color32::LIGHT_GREEN } else { egui::Color32::DARK_GREEN })
                }
                Some(c) if c > 1e-12 => ("worse", ui.visuals().error_fg_color),
                Some(_) => ("same", ui.visuals().weak_text_color()),
                None => ("", ui.visuals().weak_text_color()),
            };
            ui.colored_label(colour, word);
            ui.end_row();
        }
    });
    commands
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(id: i64, tags: serde_json::Value) -> RunRecord {
        RunRecord {
            id,
            name: format!("r{id}"),
            model: None,
            rule: "eer".into(),
            threshold: Some(0.5),
            metrics: serde_json::json!({ "tags": tags }),
            created_at: String::new(),
        }
    }

    #[test]
    fn compares_per_tag_most_improved_first() {
        let a = run(1, serde_json::json!([{"tag": "dark", "error_rate": 0.3}, {"tag": "blurry", "error_rate": 0.1}]));
        let b = run(2, serde_json::json!([{"tag": "dark", "error_rate": 0.1}, {"tag": "blurry", "error_rate": 0.2}]));
        let rows = compare(&a, &b);
        assert_eq!(rows[0].tag, "dark");
        assert!((rows[0].change().unwrap() + 0.2).abs() < 1e-12);
        assert_eq!(rows[1].tag, "blurry");
    }
}
