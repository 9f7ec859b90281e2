//! Applying the commands the views emit, at the end of the frame (or, for review keys, before
//! any view has drawn). Disk work goes to the I/O thread; its results come back in
//! `background_results.rs`.

use std::time::Instant;

use crate::analysis::{Report, ThresholdRule};
use crate::store::{Decision, Labeler, Origin, PairId, RevealHow, Store, StoreError, TagEdit};
use crate::ui::analysis::model_picker::ModelPicker;
use crate::ui::app::command::{Command, Nav};
use crate::ui::app::file_dialogs::PathRequest;
use crate::ui::app::save_queue::Edit;
use crate::ui::app::screens::Screen;
use crate::ui::app::{Loaded, PairscopeApp, PendingTurn, Transient, lock, read_all, read_opened};
use crate::ui::jobs::scoring::{ScoringJob, ScoringModel};
use crate::ui::review::labeling::{LabelEdit, QueueKind};
use crate::ui::review::session::SliceErrors;
use crate::ui::review::view as review;

impl PairscopeApp {
    pub(in crate::ui) fn go(&mut self, nav: Nav) {
        let Some(project) = &mut self.project else { return };
        let Some(session) = &mut project.session else { return };
        let left = session.current();
        if let Some(pair) = session.go(nav, &project.labeling) {
            self.ui.zoom = review::Zoom::default();
            let started = self.frame_started.unwrap_or_else(Instant::now);
            self.pending_turn = Some(PendingTurn { pair, frame: self.frame, started });
            self.left_pair(left);
        }
    }

    fn undo_or_redo(&mut self, undo: bool) {
        let Some(session) = self.project.as_mut().and_then(|p| p.session.as_mut()) else { return };
        let Some(edit) = session.take_undo_or_redo(undo) else { return };
        if let Some(i) = session.order.iter().position(|&p| p == edit.pair())
            && i != session.cursor
        {
            self.go(Nav::To(i));
        }
        self.save(edit, if undo { Origin::GuiUndo } else { Origin::GuiRedo });
    }

    /// A new edit by the labeler: saved, and undoable.
    fn edit(&mut self, edit: LabelEdit) {
        let Some(session) = self.project.as_mut().and_then(|p| p.session.as_mut()) else { return };
        session.record(edit.clone());
        self.save(edit, Origin::Gui);
    }

    pub(in crate::ui) fn apply(&mut self, ctx: &egui::Context, command: Command) {
        let me = self.project.as_ref().and_then(|p| p.session.as_ref()).map(|s| s.me.id);
        match command {
            Command::OpenProject(path) => self.load(path, false),
            Command::OpenDemo => {
                let path = crate::demo::default_demo_path();
                self.ui.busy = Some(format!(
                    "Preparing the demo project in {} (first run: cutting faces, scoring them with the built-in model)…",
                    path.parent().unwrap_or(&path).display()
                ));
                self.spawn(move || {
                    let result = (|| {
                        if !path.exists() {
                            crate::demo::create_demo(&path, false, |_| {}).map_err(|e| e.to_string())?;
                        }
                        let store = Store::open(&path).map_err(|e| e.to_string())?;
                        read_opened(store).map_err(|e| e.to_string())
                    })();
                    Loaded::Project { path, result }
                });
            }
            Command::CreateProject(path) => self.load(path, true),
            Command::BrowseProject { create } => {
                let title = if create { "New pairscope project" } else { "Open a pairscope project" };
                let request = if create {
                    PathRequest::save(title, "project.pairscope")
                } else {
                    PathRequest::open(title, "pairscope project", &["pairscope"])
                };
                self.dialogs.ask(request, move |path| {
                    if create { Command::CreateProject(path) } else { Command::OpenProject(path) }
                });
            }
            Command::Refresh => self.reload(),
            Command::CloseProject => {
                self.project = None;
                self.state.last_project = None;
                self.ui = Transient::default();
                self.images.want(&[], 0);
                self.set_title(ctx);
            }
            Command::DismissError => self.error = None,
            Command::PickLabeler { name, role } => {
                let Some(project) = &self.project else { return };
                let store = project.store.clone();
                self.spawn(move || {
                    let mut store = lock(&store);
                    let result = store
                        .write(|tx| {
                            let (labeler, created) = tx.labeler_or_create(&name)?;
                            if created && role != labeler.role {
                                tx.set_labeler_role(labeler.id, role, Origin::Gui)?;
                                return Ok::<_, StoreError>(Labeler { role, ..labeler });
                            }
                            Ok(labeler)
                        })
                        .and_then(|labeler| read_all(&mut store).map(|(info, data)| (labeler, info, data)))
                        .map_err(|e| e.to_string());
                    Loaded::Labeler { result }
                });
            }
            Command::SetRole(labeler, role) => self
                .write_and_reload(move |s| s.write(|tx| tx.set_labeler_role(labeler, role, Origin::Gui).map(|_| ()))),
            Command::SetBlind(blind) => self.set_blind(blind),
            Command::SwitchLabeler => {
                self.left_pair(self.current_pair());
                if let Some(p) = &mut self.project {
                    p.session = None;
                }
                self.ui.adjudication = None;
                self.set_title(ctx);
            }
            Command::SetVerdict { pair, verdict } => {
                let (Some(me), Some(project)) = (me, &self.project) else { return };
                let before = project.labeling.verdict(pair, me);
                if before != Some(verdict) {
                    self.edit(LabelEdit::Verdict { pair, labeler: me, before, after: Some(verdict) });
                }
            }
            Command::ToggleTag { pair, tag } => {
                let (Some(me), Some(project)) = (me, &self.project) else { return };
                let applied = !project.labeling.has_tag(pair, me, tag);
                self.edit(LabelEdit::Tag { pair, labeler: me, tag, applied });
            }
            Command::Undo => self.undo_or_redo(true),
            Command::Redo => self.undo_or_redo(false),
            Command::Go(nav) => self.go(nav),
            Command::Reveal(pair) => self.reveal(pair, RevealHow::Key),
            Command::SelectQueue(kind) => {
                self.left_pair(self.current_pair());
                let (threshold, blind) = (self.state.threshold, self.state.blind);
                let Some(project) = &mut self.project else { return };
                let Some(session) = &mut project.session else { return };
                let order = match (kind, &session.slice_errors) {
                    (QueueKind::SliceErrors, Some(errors)) => errors.pairs.clone(),
                    _ => project.labeling.queue(kind, session.me.id, threshold, blind),
                };
                session.select(kind, order);
                self.ui.zoom = review::Zoom::default();
            }
            Command::SaveNote { pair, text } => {
                let (Some(me), Some(project)) = (me, &mut self.project) else { return };
                let edit = Edit::Note { pair, labeler: me, text };
                edit.show(&mut project.labeling);
                self.queue_save(edit);
            }
            Command::Adjudicate { pair, verdict, tags, reason, correct_truth } => {
                let Some(me) = me else { return };
                self.write_and_reload(move |s| {
                    let decision = Decision {
                        verdict,
                        tags: &tags,
                        reason: &reason,
                        correct_truth: correct_truth.then_some(verdict),
                    };
                    s.write(|tx| tx.adjudicate(pair, me, &decision, Origin::Gui))
                });
                self.ui.adjudication = None;
            }
            Command::EditTag { tag, name, description, colour, hotkey } => self.write_and_reload(move |s| {
                let edit = TagEdit { name: &name, description: &description, colour: &colour, hotkey };
                s.write(|tx| tx.edit_tag(tag, &edit, Origin::Gui)).map(|_| ())
            }),
            Command::MergeTags { from, into } => {
                self.write_and_reload(move |s| s.write(|tx| tx.merge_tags(from, into, Origin::Gui)))
            }
            Command::CreateTag(name) => {
                self.write_and_reload(move |s| s.write(|tx| tx.create_tag(&name, Origin::Gui)).map(|_| ()))
            }
            Command::ShowScreen(screen) => {
                if let Err(why) = self.may_open(screen) {
                    self.error = Some(why.into());
                    return;
                }
                self.ui.screen = screen;
                if screen != Screen::Review {
                    // Label edits are in it already; other changes since the last read are
                    // not. (Curate too: its HTML report follows the analysis screens.)
                    self.analysis_for_screen();
                }
            }
            Command::LoadAnalysis => self.load_analysis(),
            Command::NudgeThreshold(steps) => {
                let Some((lo, hi)) = self.analysis.as_ref().and_then(|a| a.histograms.range()) else { return };
                let step = (hi - lo) / 1000.0;
                self.state.threshold = (self.state.threshold + steps as f64 * step).clamp(lo, hi);
                self.ui.analysis.rule = None;
                self.ui.analysis.touched = true;
            }
            Command::ChooseModel(name) => {
                self.ui.model = Some(name);
                self.load_analysis();
            }
            Command::OpenInReview(pair) => self.open_in_review(ctx, pair, None),
            Command::OpenErrorInReview { slice, errors, pair } => {
                self.open_in_review(ctx, pair, Some(SliceErrors { slice, pairs: errors }))
            }
            Command::SaveRun(name) => self.save_run(name),
            Command::ExportCsv { suggested_name, csv } => {
                self.dialogs.ask(PathRequest::save("Export the table as CSV", &suggested_name), move |path| {
                    Command::WriteCsv { path, csv }
                });
            }
            Command::WriteCsv { path, csv } => {
                self.spawn(move || Loaded::Exported {
                    result: std::fs::write(&path, csv)
                        .map(|()| Some(path.clone()))
                        .map_err(|e| format!("cannot write {}: {e}", path.display())),
                });
            }
            Command::SavePlotPng { suggested_name, rect } => {
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
            Command::ScoreProject => self.start_scoring(ctx, ScoringModel::builtin()),
            Command::ScoreWithModel { name, path, spec } => {
                self.start_scoring(ctx, ScoringModel::onnx(&name, path, spec))
            }
            Command::BrowseEmbedder => {
                self.dialogs.ask(PathRequest::open("Score with another model", "ONNX model", &["onnx"]), |path| {
                    Command::SetUpEmbedder(path)
                });
            }
            Command::SetUpEmbedder(path) => {
                if path.as_os_str().is_empty() {
                    self.error = Some("Type the path of an .onnx file first.".into());
                } else {
                    self.ui.embedder_path = path.display().to_string();
                    self.ui.model_picker = Some(ModelPicker::new(path));
                }
            }
            Command::CancelScoring => {
                if let Some(job) = &self.scoring {
                    job.cancel();
                }
            }
            Command::ApplyTag { pairs, tag } => {
                let Some(me) = me else {
                    self.error =
                        Some("Pick a labeler first (Review): accepted suggestions are tagged in their name.".into());
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
            }
            Command::Curate(command) => self.apply_curate(ctx, command),
            Command::RejectSuggestion { pairs, tag } => {
                if let Some(data) = &mut self.analysis {
                    // Gone from the list at once, not after the write and the reload.
                    data.rejected.extend(pairs.iter().map(|&p| (p, tag.clone())));
                }
                self.queue_save(Edit::RejectSuggestions { pairs, tag, labeler: me });
            }
        }
        // Whatever changed shows in the next frame, without waiting for more input.
        ctx.request_repaint();
    }

    fn start_scoring(&mut self, ctx: &egui::Context, model: ScoringModel) {
        if self.scoring.is_none()
            && let Some(project) = &self.project
        {
            self.scoring = Some(ScoringJob::start(project.path.clone(), model, ctx.clone()));
            self.scoring_outcome = None;
        }
    }

    /// Opens a pair in review: in the queue of a slice's errors when it comes from the error
    /// browser, else in the queue on screen (or all pairs, if the pair is not in it).
    fn open_in_review(&mut self, ctx: &egui::Context, pair: PairId, errors: Option<SliceErrors>) {
        let (threshold, blind) = (self.state.threshold, self.state.blind);
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
        let threshold = self.state.threshold;
        let rule = match self.ui.analysis.rule {
            Some(rule) => rule.to_string(),
            None => ThresholdRule::Fixed(threshold).to_string(),
        };
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
