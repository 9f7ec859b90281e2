//! Label quality of the open project (issue 15), kept live: after the labels change and every
//! edit is saved, it is computed again on a worker of its own (read under the store's lock,
//! computed after), at most one computation at a time. No frame waits for it.

use std::sync::{Arc, Mutex};

use crate::curate::quality::{ProjectQuality, QualityRead};
use crate::store::Store;
use crate::ui::app::PairscopeApp;
use crate::ui::app::loaded::lock;
use crate::ui::jobs::background::Background;
use crate::ui::review::quality_queues::ReviewQuality;

type Answer = (u64, Result<Arc<ProjectQuality>, String>);

pub(in crate::ui) struct LabelQualityState {
    /// The last computation, of the labels at `computed_for`.
    pub latest: Option<Arc<ProjectQuality>>,
    /// Why the last computation failed, if it did.
    pub error: Option<String>,
    /// The labels' generation the latest request was made for.
    requested_for: Option<(u64, Option<String>)>,
    in_flight: bool,
    worker: Background<Answer>,
}

impl LabelQualityState {
    pub fn new(ctx: &egui::Context) -> Self {
        let ctx = ctx.clone();
        LabelQualityState {
            latest: None,
            error: None,
            requested_for: None,
            in_flight: false,
            worker: Background::named("pairscope-quality", move || ctx.request_repaint()),
        }
    }

    pub fn busy(&self) -> bool {
        self.in_flight
    }

    fn request(&mut self, store: Arc<Mutex<Store>>, generation: u64, model: Option<String>) {
        self.in_flight = true;
        self.requested_for = Some((generation, model.clone()));
        self.worker.spawn(
            move || {
                let read = QualityRead::read(&mut lock(&store), model.as_deref()).map_err(|e| e.to_string());
                (generation, read.map(|r| Arc::new(r.compute())))
            },
            move |panic| (generation, Err(format!("label quality failed: {panic}"))),
        );
    }
}

impl PairscopeApp {
    /// Takes in a finished computation, and asks for a new one when the labels moved on and
    /// every edit is saved (a computation must not miss an edit the screen shows).
    pub(in crate::ui) fn keep_label_quality_live(&mut self) {
        let model = self.state.selection.model.clone();
        let saved = self.saves.len() == 0;
        let Some(project) = &mut self.project else { return };
        for (generation, result) in project.quality.worker.poll() {
            project.quality.in_flight = false;
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
                    project.quality.error = None;
                }
                Err(e) => project.quality.error = Some(e),
            }
        }
        let wanted = (project.labeling.generation, model);
        let settled = project.quality.requested_for.as_ref() == Some(&wanted);
        if saved && !project.quality.in_flight && !settled {
            project.quality.request(project.store.clone(), wanted.0, wanted.1);
        }
    }
}
