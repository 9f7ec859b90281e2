//! Saved runs (model, threshold, every metric) and the comparison of two of them per tag:
//! which slices got better, which got worse.

use crate::analysis::intervals::{Proportion, newcombe_difference};
use crate::store::RunRecord;
use crate::ui::analysis::command::AnalysisCommand;
use crate::ui::analysis::view_state::AnalysisUi;
use crate::ui::widgets::format::{csv_line, pp, rate, rate_ci, right};

/// One tag's errors in each of two runs.
#[derive(Clone, Debug, PartialEq)]
pub struct TagChange {
    pub tag: String,
    pub a: Option<Proportion>,
    pub b: Option<Proportion>,
}

/// Whether B's error rate differs from A's by more than chance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Better,
    Worse,
    /// The 95 % interval of the change holds 0: these pairs cannot tell.
    Unclear,
}

impl TagChange {
    /// B − A (negative: B makes fewer errors).
    pub fn change(&self) -> Option<f64> {
        Some(self.b?.rate()? - self.a?.rate()?)
    }

    /// The 95 % interval of B − A (Newcombe's hybrid score interval; conservative here, as
    /// both runs usually rate the same pairs).
    pub fn change_ci(&self) -> Option<[f64; 2]> {
        let (a, b) = (self.a?, self.b?);
        newcombe_difference(b.k, b.n, a.k, a.n)
    }

    /// Better or worse only when the interval of the change leaves out 0.
    pub fn direction(&self) -> Option<Direction> {
        let [lo, hi] = self.change_ci()?;
        Some(if hi < 0.0 {
            Direction::Better
        } else if lo > 0.0 {
            Direction::Worse
        } else {
            Direction::Unclear
        })
    }
}

fn tag_errors(run: &RunRecord) -> Vec<(String, Proportion)> {
    run.metrics["tags"]
        .as_array()
        .map(|tags| {
            tags.iter()
                .filter_map(|t| {
                    let (errors, pairs) = (t["errors"].as_u64()?, t["pairs"].as_u64()?);
                    let name = t["tag"].as_str()?.to_owned();
                    (errors <= pairs).then(|| (name, Proportion::new(errors, pairs)))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Per tag (in either run), the errors in A and B; the most improved first.
pub fn compare(a: &RunRecord, b: &RunRecord) -> Vec<TagChange> {
    let (ra, rb) = (tag_errors(a), tag_errors(b));
    let mut names: Vec<String> = ra.iter().chain(&rb).map(|(n, _)| n.clone()).collect();
    names.sort();
    names.dedup();
    let find = |rates: &[(String, Proportion)], name: &str| rates.iter().find(|(n, _)| n == name).map(|(_, r)| *r);
    let mut rows: Vec<TagChange> =
        names.into_iter().map(|tag| TagChange { a: find(&ra, &tag), b: find(&rb, &tag), tag }).collect();
    rows.sort_by(|x, y| {
        x.change().unwrap_or(f64::INFINITY).total_cmp(&y.change().unwrap_or(f64::INFINITY)).then(x.tag.cmp(&y.tag))
    });
    rows
}

/// The run's accuracy as right predictions of evaluable pairs.
fn accuracy(run: &RunRecord) -> Option<Proportion> {
    let op = &run.metrics["operating_point"];
    let count = |key: &str| op[key].as_u64();
    let (tp, fp, tn, fn_) = (count("tp")?, count("fp")?, count("tn")?, count("fn")?);
    Some(Proportion::new(tp + tn, tp + fp + tn + fn_))
}

fn accuracy_text(run: &RunRecord) -> String {
    accuracy(run).map_or_else(|| "–".into(), rate_ci)
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
            right(ui, accuracy_text(run));
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
        ui.strong(format!("{} (A) vs {} (B): accuracy {} vs {}", a.name, b.name, accuracy_text(a), accuracy_text(b)));
        if ui.small_button("Export CSV…").clicked() {
            let mut csv = csv_line([
                "tag",
                "errors_a",
                "pairs_a",
                "error_rate_a",
                "errors_b",
                "pairs_b",
                "error_rate_b",
                "change",
                "change_ci95_lo",
                "change_ci95_hi",
            ]);
            let opt = |x: Option<f64>| x.map(|x| x.to_string()).unwrap_or_default();
            let int = |x: Option<u64>| x.map(|x| x.to_string()).unwrap_or_default();
            for r in &rows {
                let ci = r.change_ci();
                csv += &csv_line([
                    r.tag.clone(),
                    int(r.a.map(|p| p.k)),
                    int(r.a.map(|p| p.n)),
                    opt(r.a.and_then(|p| p.rate())),
                    int(r.b.map(|p| p.k)),
                    int(r.b.map(|p| p.n)),
                    opt(r.b.and_then(|p| p.rate())),
                    opt(r.change()),
                    opt(ci.map(|c| c[0])),
                    opt(ci.map(|c| c[1])),
                ]);
            }
            commands.push(AnalysisCommand::ExportCsv { suggested_name: "runs-compared.csv".into(), csv });
        }
    });
    let dark = ui.visuals().dark_mode;
    egui::Grid::new("compare").striped(true).min_col_width(90.0).show(ui, |ui| {
        ui.strong("Tag");
        for h in ["Error rate A", "Error rate B", "Change", "95 % CI of change", ""] {
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| ui.strong(h));
        }
        ui.end_row();
        for r in &rows {
            ui.label(&r.tag);
            right(ui, r.a.map_or_else(|| "–".into(), rate));
            right(ui, r.b.map_or_else(|| "–".into(), rate));
            right(ui, pp(r.change()));
            right(
                ui,
                r.change_ci().map_or_else(|| "–".into(), |[lo, hi]| format!("{} to {}", pp(Some(lo)), pp(Some(hi)))),
            );
            let (word, colour) = match r.direction() {
                Some(Direction::Better) => {
                    ("better", if dark { egui::Color32::LIGHT_GREEN } else { egui::Color32::DARK_GREEN })
                }
                Some(Direction::Worse) => ("worse", ui.visuals().error_fg_color),
                Some(Direction::Unclear) => ("no clear change", ui.visuals().weak_text_color()),
                None => ("", ui.visuals().weak_text_color()),
            };
            ui.colored_label(colour, word).on_hover_text(
                "Better or worse only when the 95 % interval of the change leaves out 0; \
                 otherwise these pairs cannot tell the runs apart.",
            );
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
        let tag =
            |name: &str, errors: u64, pairs: u64| serde_json::json!({"tag": name, "errors": errors, "pairs": pairs});
        let a = run(1, serde_json::json!([tag("dark", 300, 1000), tag("blurry", 1, 10)]));
        let b = run(2, serde_json::json!([tag("dark", 100, 1000), tag("blurry", 2, 10)]));
        let rows = compare(&a, &b);
        assert_eq!(rows[0].tag, "dark");
        assert!((rows[0].change().unwrap() + 0.2).abs() < 1e-12);
        assert_eq!(rows[1].tag, "blurry");
        assert_eq!(rows[1].a, Some(Proportion::new(1, 10)));
    }

    #[test]
    fn better_or_worse_only_beyond_chance() {
        let tag = |errors: u64, pairs: u64| serde_json::json!([{"tag": "dark", "errors": errors, "pairs": pairs}]);
        let change =
            |a: (u64, u64), b: (u64, u64)| compare(&run(1, tag(a.0, a.1)), &run(2, tag(b.0, b.1)))[0].direction();
        // 300 → 100 errors in 1,000 pairs: clearly better; 1 → 2 in 10: chance.
        assert_eq!(change((300, 1000), (100, 1000)), Some(Direction::Better));
        assert_eq!(change((100, 1000), (300, 1000)), Some(Direction::Worse));
        assert_eq!(change((1, 10), (2, 10)), Some(Direction::Unclear));
        assert_eq!(change((1, 10), (0, 0)), None);
    }
}
