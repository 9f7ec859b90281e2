//! A copy of a team hub's project, kept in sync while open (issue 16): after the labels change
//! and every edit is saved (a sync must not miss an edit the screen shows), when another copy
//! sent changes, and on a timer. Changes it brings are read in like any outside change.

use crate::ui::app::PairscopeApp;

impl PairscopeApp {
    pub(in crate::ui) fn keep_hub_synced(&mut self, ctx: &egui::Context) {
        let saved = self.saves.len() == 0;
        let Some(project) = &mut self.project else { return };
        let Some(hub) = &mut project.hub else { return };
        let brought = hub.poll();
        if saved && hub.due(project.labeling.generation) {
            hub.request(project.store.clone(), project.labeling.generation);
        }
        if !hub.syncing() {
            ctx.request_repaint_after(hub.due_in());
        }
        if brought > 0 {
            tracing::info!(brought, "the hub brought other labelers' changes; reading the project again");
            self.reload();
        }
    }
}
