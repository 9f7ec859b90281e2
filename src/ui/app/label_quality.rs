//! Label quality of the open project (issue 15), kept live: after the labels change and every
//! edit is saved, it is computed again on a worker of its own (read under the store's lock,
//! computed after), at most one computation at a time. No frame waits for it.

use std::sync::Arc;

use crate::ui::app::PairscopeApp;
use crate::ui::review::quality_queues::ReviewQuality;

impl PairscopeApp {
    /// Takes in a finished computation, and asks for a new one when the labels moved on and
    /// every edit is saved (a computation must not miss an edit the screen shows).
    pub(in crate::ui) fn keep_label_quality_live(&mut self, ctx: &egui::Context) {
        let model = self.state.selection.model.clone();
        let saved = self.saves.len() == 0;
        let Some(project) = &mut self.project else { return };
        let mut failed = None;
        for (generation, result) in project.quality.poll() {
            match result {
                Ok(quality) => {
                    let unchanged = project.labeling.generation == generation;
                    project.labeling.set_quality(Arc::new(ReviewQuality::new(&quality)));
                    // Setting the quality moves the labels' generation on; that is no change
                    // of labels to compute again for.
                    if unchanged && let Some(asked) = &mut project.quality.requested_for {
                        asked.0 = project.labeling.generation;
                    }
                    project.quality.latest = Some(quality);
                }
                // On screen, like every failure; the queues keep the last result.
                Err(e) => failed = Some(format!("label quality: {e}")),
            }
        }
        let wanted = (project.labeling.generation, model);
        let settled = project.quality.requested_for.as_ref() == Some(&wanted);
        if saved && !project.quality.computing() && !settled {
            let rest = project.quality.rest();
            if rest.is_zero() {
                project.quality.request(project.store.clone(), wanted.0, wanted.1);
            } else {
                project.quality.wanted = true;
                ctx.request_repaint_after(rest);
            }
        }
        if failed.is_some() {
            self.error = failed;
        }
    }
}
