//! Taking in what other processes committed (the watch thread in `watch.rs` notices it).

use std::sync::atomic::Ordering;

use crate::ui::app::state::PairscopeApp;

impl PairscopeApp {
    /// Reads the project again if someone else changed it.
    pub(in crate::ui) fn take_outside_changes(&mut self) {
        let Some(project) = &self.project else { return };
        project.watch.paused.store(self.scoring.is_some(), Ordering::Relaxed);
        if project.watch.take_changed() {
            tracing::info!("the project changed outside this window; reading it again");
            // Its answer reads the analysis again too (once).
            self.reload();
        }
    }
}
