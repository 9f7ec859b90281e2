//! Applying the Import window's commands, starting its preview when typing pauses, and taking
//! in how an import ended.

use std::time::Instant;

use crate::import::ImportKind;
use crate::ui::analysis::command::AnalysisCommand;
use crate::ui::app::PairscopeApp;
use crate::ui::app::command::Command;
use crate::ui::app::file_dialogs::PathRequest;
use crate::ui::app::screens::Screen;
use crate::ui::import::command::{ImportCommand, ImportField};
use crate::ui::import::form::{Ended, ImportForm, PreviewState};
use crate::ui::import::window;
use crate::ui::jobs::import::{ImportJob, PreviewJob};

impl PairscopeApp {
    /// Import reads truth and scores (and shows them in its preview): it opens for whoever may
    /// open the analysis screens, never for a labeler at work.
    pub(in crate::ui) fn may_import(&self) -> Result<(), &'static str> {
        self.may_open(Screen::Curate)
    }

    pub(in crate::ui) fn apply_import(&mut self, ctx: &egui::Context, command: ImportCommand) {
        match command {
            ImportCommand::Show(true) => {
                if let Err(why) = self.may_import() {
                    self.error = Some(why.into());
                } else if self.import.is_none() {
                    self.import = Some(ImportForm::new(self.project.is_some()));
                }
            }
            ImportCommand::Show(false) => {
                // A running import is cancelled (it writes nothing); its job ends on its own.
                if let Some(job) = self.import.take().and_then(|f| f.job) {
                    job.cancel();
                }
            }
            ImportCommand::Kind(kind) => self.import.iter_mut().for_each(|f| f.set_kind(kind)),
            ImportCommand::Browse(field) => self.browse_for_import(field),
            ImportCommand::Picked(field, path) => self.import.iter_mut().for_each(|f| f.pick(field, &path)),
            ImportCommand::Start => self.start_import(ctx, false),
            ImportCommand::SkipBadRows => self.start_import(ctx, true),
            ImportCommand::Cancel => {
                if let Some(job) = self.import.as_ref().and_then(|f| f.job.as_ref()) {
                    job.cancel();
                }
            }
            ImportCommand::ScoreWithBuiltinModel => {
                self.import = None;
                self.apply(ctx, Command::ShowScreen(Screen::Model));
                self.apply(ctx, AnalysisCommand::ScoreProject.into());
            }
        }
    }

    fn browse_for_import(&mut self, field: ImportField) {
        let Some(form) = &self.import else { return };
        let kind = form.kind;
        let request = match field {
            ImportField::Input if kind == ImportKind::Folders => {
                PathRequest::folder("The folder with one folder per person")
            }
            ImportField::Input => {
                PathRequest::open(&format!("Import: {}", kind.title()), kind.title(), kind.extensions())
            }
            ImportField::Images => PathRequest::folder("The folder the image paths are relative to"),
            ImportField::NewProject => PathRequest::save("New pairscope project", "project.pairscope"),
        };
        self.dialogs.ask(request, move |path| ImportCommand::Picked(field, path).into());
    }

    fn start_import(&mut self, ctx: &egui::Context, skipping_bad: bool) {
        let project_path = self.project.as_ref().map(|p| p.path.clone());
        let Some(form) = &mut self.import else { return };
        if form.job.is_some() {
            return;
        }
        let request = match (&form.ended, skipping_bad) {
            (Some(Ended::Failed { request, .. }), true) => Ok(request.clone().skipping_bad()),
            _ => form.request(),
        };
        let request = match request {
            Ok(request) => request,
            Err(why) => {
                self.error = Some(why);
                return;
            }
        };
        let (project, create) = match (form.new_project_path(), project_path) {
            (Some(Ok(path)), _) => {
                let create = !path.exists();
                (path, create)
            }
            (None, Some(open)) => (open, false),
            (Some(Err(why)), _) => {
                self.error = Some(why);
                return;
            }
            (None, None) => return,
        };
        form.ended = None;
        form.job = Some(ImportJob::start(&mut self.jobs, project, create, request, ctx.clone()));
    }

    /// Starts the preview once typing has paused; takes in finished previews and imports.
    pub(in crate::ui) fn poll_import(&mut self, ctx: &egui::Context) {
        let Some(form) = &mut self.import else { return };
        let now = Instant::now();
        if let Some((kind, input)) = form.preview_due(now) {
            form.preview = PreviewState::Loading(PreviewJob::start(&mut self.jobs, kind, input, ctx.clone()));
        } else if let Some(wait) = form.preview_wait(now) {
            ctx.request_repaint_after(wait);
        }
        if let PreviewState::Loading(job) = &form.preview
            && let Some(result) = job.finished()
        {
            let key = job.key.clone();
            form.preview = match result {
                Ok(preview) => PreviewState::Ready { key, preview },
                Err(message) => PreviewState::Failed { key, message },
            };
        }
        let Some(outcome) = form.job.as_ref().and_then(|j| j.finished()) else { return };
        let job = form.job.take().expect("a finished job");
        match outcome {
            Ok(outcome) => {
                form.ended = Some(Ended::Imported {
                    summary: outcome.summary(LISTED),
                    pairs_added: outcome.pairs_added(),
                    project: job.project.clone(),
                });
                let into_open = self.project.as_ref().is_some_and(|p| p.path == job.project);
                // A new project opens; the open one is read again (its own connection wrote it).
                self.commands.push(if into_open { Command::Refresh } else { Command::OpenProject(job.project) });
                form.new_project = None;
            }
            Err(failure) => form.ended = Some(Ended::Failed { failure, request: job.request }),
        }
    }

    pub(in crate::ui) fn show_import(&mut self, ctx: &egui::Context) {
        let Some(form) = &mut self.import else { return };
        let opening = self.project.is_none() || self.ui.busy.is_some();
        let commands = window::show(ctx, form, opening);
        self.commands.extend(commands.into_iter().map(Command::Import));
    }
}

/// Skipped rows listed in the summary after an import.
const LISTED: usize = 200;
