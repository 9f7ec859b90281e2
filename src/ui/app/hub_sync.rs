//! A copy of a team hub's project, kept in sync while open (issue 16): after the labels change
//! and every edit is saved (a sync must not miss an edit the screen shows), when another copy
//! sent changes, and on a timer. Changes it brings are read in like any outside change.

use crate::ui::app::PairscopeApp;
use crate::ui::review::labeling::QueueKind;

impl PairscopeApp {
    pub(in crate::ui) fn keep_hub_synced(&mut self, ctx: &egui::Context) {
        let saved = self.saves.len() == 0;
        let Some(project) = &mut self.project else { return };
        let Some(hub) = &mut project.hub else { return };
        let (brought, changed) = hub.poll();
        // "My assignments" open: every sync also tops the queue up.
        let take = project.session.as_ref().is_some_and(|s| s.queue == QueueKind::MyAssignments);
        if saved && hub.due(project.labeling.generation, take) {
            hub.request(project.store.clone(), project.labeling.generation, take);
        }
        if !hub.syncing() {
            ctx.request_repaint_after(hub.due_in());
        }
        if changed {
            tracing::info!(brought, "the hub brought changes or assignments; reading the project again");
            self.reload();
        }
    }
}
