//! Applying the commands the views emit, at the end of the frame (or, for review keys, before
//! any view has drawn). Disk work goes to the I/O thread; its results come back in
//! `background_results.rs`.

use crate::store::Store;
use crate::ui::app::command::Command;
use crate::ui::app::file_dialogs::PathRequest;
use crate::ui::app::screens::Screen;
use crate::ui::app::{Loaded, PairscopeApp, Transient, read_opened};

impl PairscopeApp {
    pub(in crate::ui) fn apply(&mut self, ctx: &egui::Context, command: Command) {
        let _me = self.project.as_ref().and_then(|p| p.session.as_ref()).map(|s| s.me.id);
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
                self.cancel_project_jobs();
                self.project = None;
                self.state.last_project = None;
                self.ui = Transient::default();
                self.state.selection.forget_project();
                self.images.want(&[], 0);
                self.set_title(ctx);
            }
            Command::DismissError => self.error = None,
            Command::ToggleDebugOverlay => self.ui.debug_overlay = !self.ui.debug_overlay,
            Command::HubPasswordWindow(open) => {
                if let Some(hub) = self.project.as_mut().and_then(|p| p.hub.as_mut()) {
                    hub.password_window = open;
                    hub.password_field.clear();
                }
            }
            Command::GiveHubPassword => {
                if let Some(hub) = self.project.as_mut().and_then(|p| p.hub.as_mut()) {
                    hub.give_password();
                }
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
            Command::Analysis(command) => self.apply_analysis(ctx, command),
            Command::Curate(command) => self.apply_curate(ctx, command),
            Command::Review(command) => self.apply_review(ctx, command),
            Command::Import(command) => self.apply_import(ctx, command),
            Command::Monitor(command) => self.apply_monitor(ctx, command),
        }
        // Whatever changed shows in the next frame, without waiting for more input.
        ctx.request_repaint();
    }

    /// Closing the project (or opening another) stops its jobs: an export removes what it
    /// wrote, scoring keeps the batches it committed. They stop on their own threads and the
    /// app is busy until they have; what they finish is for a project no longer open.
    pub(in crate::ui) fn cancel_project_jobs(&mut self) {
        if let Some(project) = &self.project {
            self.jobs.cancel_project(&project.path);
        }
        self.scoring = None;
        self.ui.curate.export.job = None;
        self.ui.curate.augment.job = None;
        // The preview is of this project's photos.
        let augment = &mut self.ui.curate.augment;
        (augment.preview_job, augment.previewed, augment.preview_error, augment.resting) = (None, None, None, None);
    }
}
