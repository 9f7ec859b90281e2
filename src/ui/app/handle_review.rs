//! Applying the review side's commands ([`ReviewCommand`]): the labeler, blind mode, verdicts,
//! tags, notes, queues, adjudication and the review windows. Label edits are shown at once and
//! saved through the save queue; other writes go to the I/O thread and the project is re-read.

use std::time::Instant;

use crate::store::{Decision, Labeler, Origin, RevealHow, StoreError, TagEdit};
use crate::ui::app::save_queue::Edit;
use crate::ui::app::{Loaded, PairscopeApp, PendingTurn, lock};
use crate::ui::review::command::{Nav, ReviewCommand};
use crate::ui::review::labeling::{LabelEdit, QueueKind};
use crate::ui::review::note_editor::NoteDraft;
use crate::ui::review::tag_editor::TagEditor;
use crate::ui::review::view as review;

impl PairscopeApp {
    pub(in crate::ui) fn apply_review(&mut self, ctx: &egui::Context, command: ReviewCommand) {
        let me = self.project.as_ref().and_then(|p| p.session.as_ref()).map(|s| s.me.id);
        match command {
            ReviewCommand::DismissDemoIntro => self.state.demo_intro_dismissed = true,
            ReviewCommand::PickLabeler { name, role } => {
                let Some(project) = &self.project else { return };
                let store = project.store.clone();
                let read_only = project.read_only.is_some();
                self.spawn(move || {
                    let mut store = lock(&store);
                    // Read only: a labeler the project knows may look; a new one cannot be added.
                    let known = |store: &mut crate::store::Store| match store.read(|tx| tx.find_labeler(&name))? {
                        Some(labeler) => Ok(labeler),
                        None => Err(StoreError::CannotWrite {
                            path: store.path().to_owned(),
                            why: store.read_only().unwrap_or(crate::store::WriteRefused::OpenedToRead),
                        }),
                    };
                    let labeler = if read_only {
                        known(&mut store)
                    } else {
                        store.write(|tx| {
                            let (labeler, created) = tx.labeler_or_create(&name)?;
                            if created && role != labeler.role {
                                tx.set_labeler_role(labeler.id, role, Origin::Gui)?;
                                return Ok::<_, StoreError>(Labeler { role, ..labeler });
                            }
                            Ok(labeler)
                        })
                    };
                    // The labelers only: on a big project a whole read takes seconds, and
                    // nothing else changed.
                    let result = labeler
                        .and_then(|labeler| store.read(|tx| tx.labelers()).map(|all| (labeler, all)))
                        .map_err(|e| e.to_string());
                    Loaded::Labeler { result }
                });
            }
            ReviewCommand::SetRole(labeler, role) => self
                .write_and_reload(move |s| s.write(|tx| tx.set_labeler_role(labeler, role, Origin::Gui).map(|_| ()))),
            ReviewCommand::SetBlind(blind) => self.set_blind(blind),
            ReviewCommand::SwitchLabeler => {
                self.left_pair(self.current_pair());
                if let Some(p) = &mut self.project {
                    p.session = None;
                }
                self.ui.adjudication = None;
                self.set_title(ctx);
            }
            ReviewCommand::SetVerdict { pair, verdict } => {
                let (Some(me), Some(project)) = (me, &self.project) else { return };
                let before = project.labeling.verdict(pair, me);
                if before != Some(verdict) {
                    let elapsed_ms = project.session.as_ref().and_then(|s| s.looked_at(pair));
                    self.edit_timed(LabelEdit::Verdict { pair, labeler: me, before, after: Some(verdict) }, elapsed_ms);
                }
            }
            ReviewCommand::ToggleTag { pair, tag } => {
                let (Some(me), Some(project)) = (me, &self.project) else { return };
                let applied = !project.labeling.has_tag(pair, me, tag);
                self.edit(LabelEdit::Tag { pair, labeler: me, tag, applied });
            }
            ReviewCommand::Undo => self.undo_or_redo(true),
            ReviewCommand::Redo => self.undo_or_redo(false),
            ReviewCommand::Go(nav) => self.go(nav),
            ReviewCommand::Reveal(pair) => self.reveal(pair, RevealHow::Key),
            ReviewCommand::SelectQueue(kind) => {
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
            ReviewCommand::ToggleGold(pair) => {
                let (Some(me), Some(project)) = (me, &self.project) else { return };
                let gold = !project.labeling.data.gold.contains(&pair);
                self.write_and_reload(move |s| s.write(|tx| tx.set_gold(pair, me, gold, Origin::Gui)).map(|_| ()));
            }
            ReviewCommand::PinTagExample { tag, pair, positive } => {
                let Some(me) = me else { return };
                self.write_and_reload(move |s| s.write(|tx| tx.pin_tag_example(tag, pair, positive, me, Origin::Gui)));
            }
            ReviewCommand::OpenNote(pair) => {
                let (Some(me), Some(project)) = (me, &self.project) else { return };
                let text = project.labeling.data.notes.get(&(pair, me)).map(String::as_str).unwrap_or("");
                self.ui.note = Some(NoteDraft::new(pair, text));
            }
            ReviewCommand::CloseNote => self.ui.note = None,
            ReviewCommand::SaveNote { pair, text } => {
                self.ui.note = None;
                if self.refused_read_only() {
                    return;
                }
                let (Some(me), Some(project)) = (me, &mut self.project) else { return };
                let edit = Edit::Note { pair, labeler: me, text };
                edit.show(&mut project.labeling);
                self.queue_save(edit);
            }
            ReviewCommand::Adjudicate { pair, verdict, tags, reason, correct_truth } => {
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
            ReviewCommand::OpenTagEditor => {
                let Some(project) = &self.project else { return };
                self.ui.tag_editor = Some(TagEditor::new(&project.labeling.data.tags));
            }
            ReviewCommand::CloseTagEditor => self.ui.tag_editor = None,
            ReviewCommand::EditTag { tag, name, description, colour, hotkey } => self.write_and_reload(move |s| {
                let edit = TagEdit { name: &name, description: &description, colour: &colour, hotkey };
                s.write(|tx| tx.edit_tag(tag, &edit, Origin::Gui)).map(|_| ())
            }),
            ReviewCommand::MergeTags { from, into } => {
                self.write_and_reload(move |s| s.write(|tx| tx.merge_tags(from, into, Origin::Gui)))
            }
            ReviewCommand::CreateTag(name) => {
                self.write_and_reload(move |s| s.write(|tx| tx.create_tag(&name, Origin::Gui)).map(|_| ()))
            }
            ReviewCommand::ShowOverview(show) => {
                if show && !self.ui.show_overview {
                    // The counts were read when the project opened; labeling changed them.
                    self.reload();
                }
                self.ui.show_overview = show;
            }
            ReviewCommand::ToggleCheatSheet => self.ui.cheat_sheet = !self.ui.cheat_sheet,
            ReviewCommand::CloseCheatSheet => self.ui.cheat_sheet = false,
            ReviewCommand::ResetZoom => self.ui.zoom = review::Zoom::default(),
        }
    }

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
        if self.refused_read_only() {
            return;
        }
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
        self.edit_timed(edit, None);
    }

    fn edit_timed(&mut self, edit: LabelEdit, elapsed_ms: Option<u64>) {
        if self.refused_read_only() {
            return;
        }
        let Some(session) = self.project.as_mut().and_then(|p| p.session.as_mut()) else { return };
        session.record(edit.clone());
        self.save_timed(edit, Origin::Gui, elapsed_ms);
    }
}
