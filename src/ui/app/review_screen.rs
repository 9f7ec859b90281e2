//! The review side of a frame: what the review views are given (narrow borrows of the app's
//! state) and where their commands go.

use crate::ui::app::PairscopeApp;
use crate::ui::app::command::Command;
use crate::ui::review::command::ReviewCommand;
use crate::ui::review::demo_intro;
use crate::ui::review::{adjudication, cheat_sheet, labeler_picker, note_editor, overview, queues, tag_editor, view};

impl PairscopeApp {
    fn push_review(&mut self, commands: Vec<ReviewCommand>) {
        self.commands.extend(commands.into_iter().map(Command::Review));
    }

    /// The review screen: the queues, the adjudication panel and the pair.
    pub(in crate::ui) fn show_review(&mut self, ui: &mut egui::Ui, ctx: &egui::Context) {
        self.prefetch(ctx);
        let Some(project) = &self.project else { return };
        let Some(session) = &project.session else { return };
        let labeling = &project.labeling;
        let blind = self.state.blind;
        let threshold = self.state.selection.threshold;
        // The analysis' threshold, within the range of its slider.
        let range = self.analysis.as_ref().and_then(|a| a.histograms.range()).unwrap_or((f64::MIN, f64::MAX));
        let (mut commands, new_threshold) =
            queues::show(ui, labeling, session, blind, (threshold, range), &mut self.ui.queue_counts);
        commands.extend(adjudication::show(ui, labeling, session, blind, &mut self.ui.adjudication));
        let on_screen = view::OnScreen {
            labeling,
            session,
            images: &self.images,
            threshold,
            blind,
            last_turn: self.ui.debug_overlay.then(|| self.last_page_turn()).flatten(),
            save_status: self.save_status(),
        };
        let (more, drawn) = view::show(ui, &on_screen, &mut self.ui.zoom);
        commands.extend(more);
        self.push_review(commands);
        if let Some(threshold) = new_threshold {
            self.commands.push(Command::set_threshold(threshold));
        }
        if let Some(pair) = drawn {
            self.drawn(pair);
            // A verdict's time runs from the first frame showing both photos.
            if let Some(session) = self.project.as_mut().and_then(|p| p.session.as_mut()) {
                session.showing(pair);
            }
        }
    }

    /// Review without a labeler: the labeler picker over the overview (or the overview alone,
    /// when asked for during a session).
    pub(in crate::ui) fn show_overview(&mut self, ui: &mut egui::Ui) {
        let Some(project) = &self.project else { return };
        let mut commands = Vec::new();
        if project.info.as_ref().is_some_and(|i| i.demo) && !self.state.demo_intro_dismissed {
            commands.extend(demo_intro::show(ui));
        }
        if project.session.is_none() {
            let labelers = &project.labeling.data.labelers;
            commands.extend(labeler_picker::show(ui, labelers, &mut self.ui.labeler_field, &mut self.ui.new_role));
            ui.separator();
        }
        commands.extend(overview::show(ui, &project.path, project.info.as_ref()));
        self.push_review(commands);
    }

    /// The windows of a labeler at work: the key sheet and the note editor.
    pub(in crate::ui) fn show_review_windows(&mut self, ctx: &egui::Context) {
        let Some(project) = &self.project else { return };
        let mut commands = cheat_sheet::show(ctx, self.ui.cheat_sheet, &project.labeling);
        commands.extend(note_editor::show(ctx, self.ui.note.as_mut()));
        self.push_review(commands);
    }

    /// The tag editor, while open.
    pub(in crate::ui) fn show_tag_editor(&mut self, ctx: &egui::Context) {
        let Some(project) = &self.project else { return };
        let commands = tag_editor::show(ctx, self.ui.tag_editor.as_mut(), &project.labeling.data.tags);
        self.push_review(commands);
    }
}
