//! The worker that computes label quality (issue 15) for the open project: read under the
//! store's lock, computed after, one computation at a time. The app decides when to ask
//! (`app/label_quality.rs`).

use std::sync::{Arc, Mutex};

use crate::curate::quality::{ProjectQuality, QualityRead};
use crate::store::Store;
use crate::ui::jobs::background::{Background, lock};

pub(in crate::ui) type Answer = (u64, Result<Arc<ProjectQuality>, String>);

pub(in crate::ui) struct LabelQualityState {
    /// The last computation, of the labels at `computed_for`.
    pub latest: Option<Arc<ProjectQuality>>,
    /// The labels' generation the latest request was made for.
    pub requested_for: Option<(u64, Option<String>)>,
    in_flight: bool,
    worker: Background<Answer>,
}

impl LabelQualityState {
    pub fn new(ctx: &egui::Context) -> Self {
        let ctx = ctx.clone();
        LabelQualityState {
            latest: None,
            requested_for: None,
            in_flight: false,
            worker: Background::named("pairscope-quality", move || ctx.request_repaint()),
        }
    }

    pub fn busy(&self) -> bool {
        self.in_flight
    }

    /// Computations finished since the last call, with the labels' generation each was for.
    pub fn poll(&mut self) -> Vec<Answer> {
        let answers = self.worker.poll();
        if !answers.is_empty() {
            self.in_flight = false;
        }
        answers
    }

    pub fn request(&mut self, store: Arc<Mutex<Store>>, generation: u64, model: Option<String>) {
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
