//! The Augment panel in the app: opening it from a tag row, applying its commands, starting its
//! preview once the form rests and taking in its preview and its run. Nothing waits in a frame.

use std::time::Instant;

use crate::ui::app::PairscopeApp;
use crate::ui::app::command::Command;
use crate::ui::app::file_dialogs::PathRequest;
use crate::ui::app::screens::Screen;
use crate::ui::curate::augment_state::{PreviewTile, Previewed};
use crate::ui::curate::state::CurateCommand;
use crate::ui::jobs::augment::{AugmentJob, AugmentPreviewJob};

impl PairscopeApp {
    /// The model and threshold of the analysis: what "model errors only" means.
    pub(in crate::ui) fn analysed(&self) -> Option<(&str, f64)> {
        let model = self.analysis.as_ref().and_then(|a| a.model.as_ref()).map(|m| m.name.as_str());
        model.map(|m| (m, self.state.selection.threshold))
    }

    /// Switches to Curate with the Augment panel open on `tag`'s pairs (train's, when the
    /// project has splits) and the recipe proposed for the tag.
    pub(in crate::ui) fn augment_tag(&mut self, tag: &str) {
        if let Err(why) = self.may_open(Screen::Curate) {
            self.error = Some(why.into());
            return;
        }
        let has_splits = self
            .project
            .as_ref()
            .and_then(|p| p.info.as_ref())
            .is_some_and(|info| info.splits.iter().any(|(_, n)| *n > 0));
        self.ui.curate.augment.open_for_tag(tag, has_splits);
        self.commands.push(Command::ShowScreen(Screen::Curate));
    }

    /// Applies the Augment panel's commands (the rest of Curate's are in `apply_curate`).
    pub(in crate::ui) fn apply_augment(&mut self, ctx: &egui::Context, command: CurateCommand) {
        let Some(project) = &self.project else { return };
        let project_path = project.path.clone();
        match command {
            CurateCommand::BrowseAugmentFolder => {
                self.dialogs.ask(PathRequest::folder("Augment into a new or empty folder"), |path| {
                    CurateCommand::AugmentFolderChosen(path).into()
                });
            }
            CurateCommand::AugmentFolderChosen(path) => self.ui.curate.augment.folder = path.display().to_string(),
            CurateCommand::StartAugment { target, options } => {
                if options.add_to_project && self.refused_read_only() {
                    return;
                }
                // One run at a time: a second click while one runs does nothing.
                let augment = &mut self.ui.curate.augment;
                if augment.job.is_none() {
                    augment.outcome = None;
                    augment.job = Some(AugmentJob::start(&mut self.jobs, project_path, target, options, ctx.clone()));
                }
            }
            CurateCommand::CancelAugment => {
                if let Some(job) = &self.ui.curate.augment.job {
                    job.cancel();
                }
            }
            _ => {}
        }
    }

    /// Starts the preview once the form has rested; takes in finished previews and runs.
    pub(in crate::ui) fn poll_augment(&mut self, ctx: &egui::Context) {
        let Some(project_path) = self.project.as_ref().map(|p| p.path.clone()) else { return };
        let key = self.ui.curate.augment.open.then(|| self.ui.curate.augment.key(self.analysed())).flatten();
        let augment = &mut self.ui.curate.augment;
        let now = Instant::now();
        if let Some(due) = augment.preview_due(key, now) {
            augment.preview_job = Some(AugmentPreviewJob::start(&mut self.jobs, project_path, due, ctx.clone()));
        } else if let Some(wait) = augment.preview_wait(now) {
            ctx.request_repaint_after(wait);
        }
        if let Some(job) = &augment.preview_job
            && let Some(result) = job.finished()
        {
            let key = job.key.clone();
            augment.preview_job = None;
            match result {
                Ok(shown) => {
                    let tiles = shown
                        .images
                        .into_iter()
                        .enumerate()
                        .map(|(i, image)| PreviewTile {
                            original: ctx.load_texture(
                                format!("augment-original-{i}"),
                                image.original,
                                egui::TextureOptions::LINEAR,
                            ),
                            derived: ctx.load_texture(
                                format!("augment-derived-{i}"),
                                image.derived,
                                egui::TextureOptions::LINEAR,
                            ),
                            source_path: image.source_path,
                            caption: image.caption,
                        })
                        .collect();
                    augment.preview_error = None;
                    augment.previewed = Some(Previewed {
                        key,
                        source_pairs: shown.source_pairs,
                        source_images: shown.source_images,
                        outside_train: shown.outside_train,
                        synthetic_left_out: shown.synthetic_left_out,
                        tiles,
                    });
                }
                Err(why) => {
                    augment.previewed = None;
                    augment.preview_error = Some((key, why));
                }
            }
        }
        if let Some(outcome) = augment.job.as_ref().and_then(AugmentJob::finished) {
            let added = augment.job.take().is_some_and(|job| job.add_to_project);
            if added && outcome.is_ok() {
                // The open project is read again (the run's own connection wrote it), so the
                // analysis tables follow.
                self.commands.push(Command::Refresh);
                // Its pairs are in the project now: the counts of the preview are of before.
                augment.resting = None;
                augment.previewed = None;
            }
            augment.outcome = Some(outcome);
        }
    }
}
