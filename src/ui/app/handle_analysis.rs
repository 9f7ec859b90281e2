//! Applying the analysis screens' commands: the one writer of the analysis selection, runs,
//! CSV and plot exports, scoring, tags from suggestions, and opening errors in review.

use crate::analysis::{Report, ThresholdRule};
use crate::store::{Origin, PairId};
use crate::ui::analysis::command::AnalysisCommand;
use crate::ui::analysis::model_picker::ModelPicker;
use crate::ui::analysis::selection::{Effect, Scores, SelectionChange};
use crate::ui::app::file_dialogs::PathRequest;
use crate::ui::app::save_queue::Edit;
use crate::ui::app::screens::Screen;
use crate::ui::app::{Loaded, PairscopeApp, lock};
use crate::ui::jobs::scoring::{ScoringJob, ScoringModel};
use crate::ui::review::command::Nav;
use crate::ui::review::labeling::QueueKind;
use crate::ui::review::session::SliceErrors;
use crate::ui::review::view as review;

impl PairscopeApp {
    pub(in crate::ui) fn apply_analysis(&mut self, ctx: &egui::Context, command: AnalysisCommand) {
        let me = self.project.as_ref().and_then(|p| p.session.as_ref()).map(|s| s.me.id);
        match command {
            AnalysisCommand::Select(change) => self.select(change),
            AnalysisCommand::Load => self.load_analysis(),
            AnalysisCommand::SetMinSupport(pairs) => self.state.min_support = pairs,
            AnalysisCommand::Browse(slice) => self.ui.analysis.browsing = slice,
            AnalysisCommand::AugmentTag(tag) => self.augment_tag(&tag),
            AnalysisCommand::OpenInReview(pair) => self.open_in_review(ctx, pair, None),
            AnalysisCommand::OpenErrorInReview { slice, errors, pair } => {
                self.open_in_review(ctx, pair, Some(SliceErrors { slice, pairs: errors }))
            }
            AnalysisCommand::SaveRun(name) => self.save_run(name),
            AnalysisCommand::ExportCsv { suggested_name, csv } => {
                self.dialogs.ask(PathRequest::save("Export the table as CSV", &suggested_name), move |path| {
                    AnalysisCommand::WriteCsv { path, csv }.into()
                });
            }
            AnalysisCommand::WriteCsv { path, csv } => {
                self.spawn(move || Loaded::Exported {
                    result: std::fs::write(&path, csv)
                        .map(|()| Some(path.clone()))
                        .map_err(|e| format!("cannot write {}: {e}", path.display())),
                });
            }
            AnalysisCommand::SavePlotPng { suggested_name, rect } => {
                let ppp = ctx.pixels_per_point();
                let dialogs = self.dialogs.handle();
                let callback = egui::ScreenshotCallback::new(move |image| {
                    // The file dialog must not hold up the renderer that delivered the image.
                    std::thread::spawn(move || {
                        let request = PathRequest::save("Save the plot as PNG", &suggested_name);
                        let Some(path) = dialogs.ask(&request) else { return };
                        if let Err(e) = save_region_png(&image, rect, ppp, &path) {
                            tracing::error!(path = %path.display(), "cannot save the plot: {e}");
                        }
                    });
                });
                ctx.send_viewport_cmd(egui::ViewportCommand::Screenshot(callback));
            }
            AnalysisCommand::ScoreProject => self.start_scoring(ctx, ScoringModel::builtin()),
            AnalysisCommand::ScoreWithModel { name, path, spec } => {
                self.start_scoring(ctx, ScoringModel::onnx(&name, path, spec))
            }
            AnalysisCommand::BrowseEmbedder => {
                self.dialogs.ask(PathRequest::open("Score with another model", "ONNX model", &["onnx"]), |path| {
                    AnalysisCommand::SetUpEmbedder(path).into()
                });
            }
            AnalysisCommand::SetUpEmbedder(path) => {
                if path.as_os_str().is_empty() {
                    self.error = Some("Type the path of an .onnx file first.".into());
                } else {
                    self.ui.analysis.embedder_path = path.display().to_string();
                    self.ui.model_picker = Some(ModelPicker::new(path));
                }
            }
            AnalysisCommand::CancelScoring => {
                if let Some(job) = &self.scoring {
                    job.cancel();
                }
            }
            AnalysisCommand::ApplyTag { pairs, tag } => self.apply_tag(pairs, tag),
            AnalysisCommand::AcceptSuggestion { pairs, tag, name } => {
                // Without a labeler the command only says to pick one; the pairs stay listed.
                if me.is_some() {
                    self.ui.analysis.reviewed_suggestions.extend(pairs.iter().map(|&p| (p, name.clone())));
                }
                self.apply_tag(pairs, tag);
            }
            AnalysisCommand::RejectSuggestion { pairs, tag } => {
                self.ui.analysis.reviewed_suggestions.extend(pairs.iter().map(|&p| (p, tag.clone())));
                if let Some(data) = &mut self.analysis {
                    // Gone from the list at once, not after the write and the reload.
                    data.rejected.extend(pairs.iter().map(|&p| (p, tag.clone())));
                    // The suggestion lists are cached by generation.
                    data.generation = crate::ui::analysis::data::next_generation();
                }
                self.queue_save(Edit::RejectSuggestions { pairs, tag, labeler: me });
            }
        }
    }

    /// The one place the analysis selection changes.
    pub(in crate::ui) fn select(&mut self, change: SelectionChange) {
        let scores = self.analysis.as_ref().map(|a| Scores { prepared: &a.prepared, range: a.histograms.range() });
        match self.state.selection.apply(change, scores) {
            Effect::None => {}
            Effect::Reload => self.load_analysis(),
            Effect::Refused(why) => self.error = Some(why),
        }
    }

    /// New analysis data arrived: a rule sets the threshold anew, and review counts the errors
    /// of the model the analysis used.
    pub(in crate::ui) fn analysis_arrived(&mut self) {
        let Some(data) = &self.analysis else { return };
        self.state.selection.follow(Scores { prepared: &data.prepared, range: data.histograms.range() });
        let model = data.model.as_ref().map(|m| m.name.as_str());
        if let Some(project) = &mut self.project {
            project.labeling.use_model(model);
        }
    }

    /// Sets the threshold by a rule (as the rule buttons do).
    pub fn apply_rule(&mut self, rule: ThresholdRule) {
        self.select(SelectionChange::Rule(rule));
    }

    /// Applies a tag as the labeler at work on these pairs (accepted suggestions, the error
    /// browser's menu).
    fn apply_tag(&mut self, pairs: Vec<PairId>, tag: crate::store::TagId) {
        let me = self.project.as_ref().and_then(|p| p.session.as_ref()).map(|s| s.me.id);
        let Some(me) = me else {
            self.error = Some("Pick a labeler first (Review): accepted suggestions are tagged in their name.".into());
            return;
        };
        self.write_and_reload(move |s| {
            s.write(|tx| {
                for &pair in &pairs {
                    tx.set_pair_tag(pair, me, tag, true, Origin::Gui)?;
                }
                Ok(())
            })
        });
        // The write's reread marks the analysis out of date (read again once, when shown).
    }

    fn start_scoring(&mut self, ctx: &egui::Context, model: ScoringModel) {
        if self.scoring.is_none()
            && let Some(project) = &self.project
        {
            self.scoring = Some(ScoringJob::start(&mut self.jobs, project.path.clone(), model, ctx.clone()));
            self.scoring_outcome = None;
        }
    }

    /// Opens a pair in review: in the queue of a slice's errors when it comes from the error
    /// browser, else in the queue on screen (or all pairs, if the pair is not in it).
    fn open_in_review(&mut self, ctx: &egui::Context, pair: PairId, errors: Option<SliceErrors>) {
        let (threshold, blind) = (self.state.selection.threshold, self.state.blind);
        let Some(project) = &mut self.project else { return };
        let Some(session) = &mut project.session else {
            // Review without a labeler is the labeler picker over the overview: stay here.
            self.error = Some("Pick a labeler first (Review): a pair opens in review as the labeler at work.".into());
            return;
        };
        self.ui.screen = Screen::Review;
        // The overview, left open on the review screen, would hide the pair.
        self.ui.show_overview = false;
        self.ui.zoom = review::Zoom::default();
        if let Some(errors) = errors {
            session.select(QueueKind::SliceErrors, errors.pairs.clone());
            session.slice_errors = Some(errors);
        } else if !session.order.contains(&pair) {
            session.select(QueueKind::All, project.labeling.queue(QueueKind::All, session.me.id, threshold, blind));
        }
        match session.order.iter().position(|&p| p == pair) {
            Some(i) if i != session.cursor => self.go(Nav::To(i)),
            _ => {}
        }
        ctx.request_repaint();
    }

    /// Stores the report at the current threshold as a run, on the I/O thread.
    fn save_run(&mut self, name: String) {
        let (Some(project), Some(data)) = (&self.project, &self.analysis) else { return };
        let store = project.store.clone();
        let prepared = data.prepared.clone();
        let model = data.model.as_ref().map(|m| m.id);
        let threshold = self.state.selection.threshold;
        let rule = self.state.selection.report_rule().to_string();
        self.spawn(move || {
            let result = Report::new(&prepared, ThresholdRule::Fixed(threshold))
                .map_err(|e| e.to_string())
                .and_then(|report| serde_json::to_value(&report).map_err(|e| e.to_string()))
                .and_then(|metrics| {
                    lock(&store)
                        .write(|tx| tx.save_run(&name, model, &rule, Some(threshold), &metrics))
                        .map(|_| ())
                        .map_err(|e| e.to_string())
                });
            Loaded::Written { result }
        });
        self.load_analysis();
    }
}

/// Crops a screenshot to a plot's rectangle (in points) and writes it as PNG.
pub(in crate::ui) fn save_region_png(
    image: &egui::ColorImage,
    rect: egui::Rect,
    pixels_per_point: f32,
    path: &std::path::Path,
) -> Result<(), String> {
    let region = image.region(&rect, Some(pixels_per_point));
    let [w, h] = region.size;
    let img = image::RgbaImage::from_raw(w as u32, h as u32, region.as_raw().to_vec())
        .ok_or_else(|| format!("bad screenshot size {w}x{h}"))?;
    img.save(path).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plot_region_is_cropped_and_written_as_png() {
        // 4x3 points at 2 pixels per point: 8x6 pixels; red on the left half, blue on the right.
        let mut image = egui::ColorImage::filled([8, 6], egui::Color32::RED);
        for y in 0..6 {
            for x in 4..8 {
                image.pixels[y * 8 + x] = egui::Color32::BLUE;
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plot.png");
        let rect = egui::Rect::from_min_max(egui::pos2(2.0, 1.0), egui::pos2(4.0, 3.0));
        save_region_png(&image, rect, 2.0, &path).unwrap();
        let saved = image::open(&path).unwrap().to_rgba8();
        assert_eq!(saved.dimensions(), (4, 4));
        assert!(saved.pixels().all(|p| p.0 == [0, 0, 255, 255]), "only the blue half was inside the rectangle");
        let bad = save_region_png(&image, rect, 2.0, &dir.path().join("missing/plot.png"));
        assert!(bad.unwrap_err().contains("missing/plot.png"));
    }
}
