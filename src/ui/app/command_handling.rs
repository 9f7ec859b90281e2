//! Applying the commands the views emit, at the end of the frame (or, for review keys, before
//! any view has drawn). Disk work goes to the I/O thread; its results come back in
//! `background_results.rs`.

use std::time::Instant;

use crate::store::{Decision, Labeler, Origin, RevealHow, Store, StoreError, TagEdit};
use crate::ui::app::command::{Command, Nav};
use crate::ui::app::file_dialogs::PathRequest;
use crate::ui::app::save_queue::Edit;
use crate::ui::app::screens::Screen;
use crate::ui::app::{Loaded, PairscopeApp, PendingTurn, Transient, lock, read_all, read_opened};
use crate::ui::review::labeling::{LabelEdit, QueueKind};
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
                self.state.selection.forget_project();
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
                let (threshold, blind) = (self.state.selection.threshold, self.state.blind);
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
                    // Labels may have changed since the last read. (Curate too: its HTML report
                    // follows the model and threshold of the analysis screens.)
                    self.load_analysis();
                }
            }
            Command::Analysis(command) => self.apply_analysis(ctx, command),
            Command::Curate(command) => self.apply_curate(ctx, command),
        }
        // Whatever changed shows in the next frame, without waiting for more input.
        ctx.request_repaint();
    }
}
