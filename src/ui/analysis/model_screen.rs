//! The model screen: how the scores separate same from different pairs, where the threshold
//! sits (histograms, ROC, DET), what it yields (confusion matrix, rates, TPR at fixed FPRs),
//! and saved runs to compare.

use std::path::PathBuf;

use egui_plot::{Bar, BarChart, Legend, Line, Plot, Points, VLine};

use crate::analysis::{Confusion, probit};
use crate::ui::analysis::AnalysisView;
use crate::ui::analysis::command::AnalysisCommand;
use crate::ui::analysis::data::AnalysisData;
use crate::ui::analysis::error_browser::{fn_colour, fp_colour};
use crate::ui::analysis::fpr_claims;
use crate::ui::analysis::header;
use crate::ui::analysis::runs;
use crate::ui::analysis::selection::SelectionChange;
use crate::ui::analysis::view_state::AnalysisUi;
use crate::ui::widgets::format::{count, right, stat};
use crate::ui::widgets::plots;

/// The scoring job as the Model screen shows it.
pub(in crate::ui) enum Scoring<'a> {
    /// No model is scoring; what the last run did, if any.
    Idle { outcome: Option<&'a str> },
    Running {
        /// Done / total (0 while the model loads).
        fraction: f32,
        /// What it is doing, for a reader.
        text: String,
        /// Waiting for another writer to finish.
        waiting: bool,
        cancelled: bool,
    },
}

pub(in crate::ui) fn show(
    ui: &mut egui::Ui,
    at: AnalysisView<'_>,
    view: &mut AnalysisUi,
    scoring: Scoring<'_>,
) -> Vec<AnalysisCommand> {
    let mut commands = Vec::new();
    let data = at.data;
    let threshold = header::show(ui, data, at.selection, view, &mut commands);
    scoring_bar(ui, scoring, &mut view.embedder_path, &mut commands);
    if data.models.len() > 1 {
        ui.horizontal(|ui| {
            let label = ui.label("Scores of");
            let current = data.model.as_ref().map(|m| m.name.clone()).unwrap_or_default();
            egui::ComboBox::from_id_salt("model")
                .selected_text(&current)
                .show_ui(ui, |ui| {
                    for m in &data.models {
                        if ui
                            .selectable_label(m.name == current, format!("{} ({} scores)", m.name, count(m.scores)))
                            .clicked()
                        {
                            commands.push(AnalysisCommand::Select(SelectionChange::Model(m.name.clone())));
                        }
                    }
                })
                .response
                .labelled_by(label.id);
        });
    }
    let target = fpr_claims::selected_target(at.selection.rule);
    fpr_claims::claim(ui, &data.prepared, target);
    super::all_vs_all_view::claim(ui, data, target);
    ui.separator();
    let confusion = data.prepared.confusion_at(threshold);
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        let plot_height = 230.0;
        ui.columns(3, |cols| {
            let titles = [
                ("Scores: same vs different".to_owned(), "histogram.png"),
                (format!("ROC (AUC {})", stat(data.prepared.auc())), "roc.png"),
                ("DET (probit axes)".to_owned(), "det.png"),
            ];
            for (i, (col, (title, file))) in cols.iter_mut().zip(titles).enumerate() {
                let save = col
                    .horizontal(|ui| {
                        ui.strong(title);
                        ui.small_button("Save PNG…").on_hover_text("Save this plot as a PNG image.").clicked()
                    })
                    .inner;
                let rect = match i {
                    0 => histogram(col, data, threshold, plot_height),
                    1 => roc(col, data, &confusion, plot_height),
                    _ => det(col, data, &confusion, plot_height),
                };
                if save {
                    commands.push(AnalysisCommand::SavePlotPng { suggested_name: file.into(), rect });
                }
            }
        });
        ui.add_space(8.0);
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.strong("Confusion matrix");
                confusion_matrix(ui, &confusion);
            });
            ui.add_space(24.0);
            ui.vertical(|ui| {
                ui.strong("At this threshold");
                fpr_claims::rates(ui, &confusion);
                fpr_claims::eer(ui, &data.prepared);
            });
            ui.add_space(12.0);
            ui.vertical(|ui| {
                ui.strong("TPR at FPR: observed and demonstrated at 95 %");
                // Scrolls sideways in a window too narrow for all its columns.
                egui::ScrollArea::horizontal().id_salt("tpr at fpr").show(ui, |ui| {
                    fpr_claims::targets(ui, &data.prepared);
                });
            });
        });
        ui.add_space(12.0);
        commands.extend(runs::show(ui, &data.runs, view));
        super::all_vs_all_view::show(ui, data);
        super::edc_view::show(ui, data, threshold);
        ui.add_space(12.0);
        if let Some(rect) = super::calibration_view::show(ui, at.quality.0)
            && ui.small_button("Save PNG…").on_hover_text("Save the reliability plot as a PNG image.").clicked()
        {
            commands.push(AnalysisCommand::SavePlotPng { suggested_name: "reliability.png".into(), rect });
        }
    });
    commands
}

/// "Score project" with the built-in model or another `.onnx`, or the progress and Cancel while
/// a model scores.
fn scoring_bar(ui: &mut egui::Ui, scoring: Scoring<'_>, path: &mut String, commands: &mut Vec<AnalysisCommand>) {
    ui.horizontal_wrapped(|ui| match scoring {
        Scoring::Running { fraction, text, waiting, cancelled } => {
            ui.add(egui::ProgressBar::new(fraction).desired_width(240.0).show_percentage());
            ui.label(text);
            if waiting {
                ui.weak(crate::store::WAITING_MESSAGE);
            }
            if cancelled {
                ui.weak("Cancelling…");
            } else if ui.button("Cancel").clicked() {
                commands.push(AnalysisCommand::CancelScoring);
            }
        }
        Scoring::Idle { outcome } => {
            if ui
                .button("Score project")
                .on_hover_text("Score every pair with the built-in face model (cached embeddings are reused).")
                .clicked()
            {
                commands.push(AnalysisCommand::ScoreProject);
            }
            ui.separator();
            if ui
                .button("Open another .onnx…")
                .on_hover_text("Score the project with your own ONNX face embedder.")
                .clicked()
            {
                commands.push(AnalysisCommand::BrowseEmbedder);
            }
            let label = ui.label("or path");
            let field = ui
                .add(egui::TextEdit::singleline(path).desired_width(220.0).hint_text("/path/to/model.onnx"))
                .labelled_by(label.id);
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if ui.add_enabled(!path.trim().is_empty(), egui::Button::new("Use this file…")).clicked() || entered {
                commands.push(AnalysisCommand::SetUpEmbedder(PathBuf::from(path.trim())));
            }
            if let Some(outcome) = outcome {
                ui.label(outcome);
            }
        }
    });
}

fn histogram(ui: &mut egui::Ui, data: &AnalysisData, threshold: f64, height: f32) -> egui::Rect {
    let h = &data.histograms;
    let dark = ui.visuals().dark_mode;
    let bars = |counts: &[u64]| -> Vec<Bar> {
        counts
            .iter()
            .enumerate()
            .map(|(i, &n)| Bar::new(h.min + (i as f64 + 0.5) * h.width, n as f64).width(h.width))
            .collect()
    };
    // Headroom above the tallest bar, so the legend in the top corner never covers a bar.
    let tallest = h.same.iter().chain(&h.different).copied().max().unwrap_or(0) as f64;
    Plot::new("histogram")
        .height(height)
        .legend(Legend::default())
        .include_y(tallest * 1.6)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .x_axis_label("score")
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new("same", bars(&h.same)).color(fn_colour(dark).gamma_multiply(0.7)));
            plot.bar_chart(BarChart::new("different", bars(&h.different)).color(fp_colour(dark).gamma_multiply(0.7)));
            plot.vline(VLine::new("threshold", threshold).color(plots::marker(dark)).width(2.0));
        })
        .response
        .rect
}

fn roc(ui: &mut egui::Ui, data: &AnalysisData, c: &Confusion, height: f32) -> egui::Rect {
    let r = c.rates();
    let dark = ui.visuals().dark_mode;
    plots::unit_square("roc", height, "FPR", "TPR")
        .show(ui, |plot| {
            plot.line(Line::new("ROC", data.roc.clone()).color(plots::curve(dark)).allow_band(false));
            if let (Some(fpr), Some(tpr)) = (r.fpr, r.recall) {
                plot.points(Points::new("operating point", vec![[fpr, tpr]]).radius(5.0).color(plots::marker(dark)));
            }
        })
        .response
        .rect
}

fn det(ui: &mut egui::Ui, data: &AnalysisData, c: &Confusion, height: f32) -> egui::Rect {
    let r = c.rates();
    let dark = ui.visuals().dark_mode;
    let mut height = height;
    if data.det.len() < 2 && data.all_vs_all.is_none() {
        // An empty plot would look broken: say why it is empty.
        let said = ui.weak(
            "No curve: at every threshold the FPR or the FNR is 0, and probit axes cannot show 0. The ROC shows \
             these pairs.",
        );
        height = (height - said.rect.height() - ui.spacing().item_spacing.y).max(40.0);
    }
    let mut plot = Plot::new("det").height(height);
    if data.all_vs_all.is_some() {
        // Two curves: say which is which.
        plot = plot.legend(Legend::default());
    }
    plot.allow_drag(false)
        .allow_scroll(false)
        .x_axis_label("FPR")
        .y_axis_label("FNR")
        .x_grid_spacer(plots::probit_grid)
        .y_grid_spacer(plots::probit_grid)
        .x_axis_formatter(|m, _| plots::probit_label(m.value))
        .y_axis_formatter(|m, _| plots::probit_label(m.value))
        .include_x(probit(DET_FLOOR).unwrap_or(-4.75))
        .include_x(probit(0.5).unwrap_or(0.0))
        .include_y(probit(1e-3).unwrap_or(-3.0))
        .include_y(probit(0.5).unwrap_or(0.0))
        .label_formatter(|_| None)
        .show(ui, |plot| {
            plot.line(Line::new("DET", data.det.clone()).color(plots::curve(dark)).allow_band(false));
            if let Some(all) = &data.all_vs_all {
                let comparisons = all.report.genuine + all.report.impostors;
                let name = format!("all-vs-all ({} comparisons)", count(comparisons));
                plot.line(Line::new(name, all.det.clone()).color(plots::second_curve(dark)).allow_band(false));
            }
            if let Some((x, y, at_edge)) = det_point(r.fpr, r.fnr) {
                let colour = plots::marker(dark);
                if at_edge {
                    // A rate of 0 has no probit: drawn on the axis edge, hollow, and named.
                    let name = "operating point (a rate of 0, drawn at the edge)";
                    plot.points(Points::new(name, vec![[x, y]]).radius(7.0).filled(false).color(colour));
                } else {
                    plot.points(Points::new("operating point", vec![[x, y]]).radius(5.0).color(colour));
                }
            }
        })
        .response
        .rect
}

/// The lowest rate the DET axes show.
const DET_FLOOR: f64 = 1e-6;

/// The operating point on probit axes; a rate of 0 (or below the floor) sits on the axis edge
/// at the floor, and `at_edge` says so. `None` when a rate is undefined.
fn det_point(fpr: Option<f64>, fnr: Option<f64>) -> Option<(f64, f64, bool)> {
    let axis = |rate: f64| -> Option<(f64, bool)> {
        if rate < DET_FLOOR {
            Some((probit(DET_FLOOR)?, true))
        } else {
            Some((probit(rate.min(1.0 - DET_FLOOR))?, false))
        }
    };
    let (x, x_edge) = axis(fpr?)?;
    let (y, y_edge) = axis(fnr?)?;
    Some((x, y, x_edge || y_edge))
}

fn confusion_matrix(ui: &mut egui::Ui, c: &Confusion) {
    egui::Grid::new("confusion").striped(true).min_col_width(90.0).show(ui, |ui| {
        ui.label("");
        right(ui, egui::RichText::new("predicted same").strong());
        right(ui, egui::RichText::new("predicted different").strong());
        ui.end_row();
        ui.strong("truly same");
        right(ui, format!("TP {}", count(c.tp)));
        right(ui, format!("FN {}", count(c.fn_)));
        ui.end_row();
        ui.strong("truly different");
        right(ui, format!("FP {}", count(c.fp)));
        right(ui, format!("TN {}", count(c.tn)));
        ui.end_row();
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operating_point_at_fpr_0_is_drawn_at_the_edge_not_dropped() {
        let edge = probit(DET_FLOOR).unwrap();
        let (x, y, at_edge) = det_point(Some(0.0), Some(0.07)).unwrap();
        assert_eq!(x, edge);
        assert!((y - probit(0.07).unwrap()).abs() < 1e-12);
        assert!(at_edge);
        let (_, y, at_edge) = det_point(Some(0.1), Some(0.0)).unwrap();
        assert_eq!((y, at_edge), (edge, true));
        assert!(!det_point(Some(0.1), Some(0.2)).unwrap().2);
        assert_eq!(det_point(None, Some(0.2)), None);
    }
}
