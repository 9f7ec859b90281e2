//! The worker that computes label quality (issue 15) for the open project: read under the
//! store's lock, computed after, one computation at a time. The app decides when to ask
//! (`app/label_quality.rs`).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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
    /// A computation is wanted and waits for the rest after the last one.
    pub wanted: bool,
    /// When the computation in flight started, and how long the last one took and when it
    /// ended: the next one waits as long as the last took, so a big project's labeling keeps
    /// at most half a core busy with it.
    started: Option<Instant>,
    last: Option<(Duration, Instant)>,
    worker: Background<Answer>,
}

impl LabelQualityState {
    pub fn new(ctx: &egui::Context) -> Self {
        let ctx = ctx.clone();
        LabelQualityState {
            latest: None,
            requested_for: None,
            in_flight: false,
            wanted: false,
            started: None,
            last: None,
            worker: Background::named("pairscope-quality", move || ctx.request_repaint()),
        }
    }

    /// A computation is running.
    pub fn computing(&self) -> bool {
        self.in_flight
    }

    /// Computing, or resting before a computation already wanted.
    pub fn busy(&self) -> bool {
        self.in_flight || self.wanted
    }

    /// Computations finished since the last call, with the labels' generation each was for.
    pub fn poll(&mut self) -> Vec<Answer> {
        let answers = self.worker.poll();
        if !answers.is_empty() {
            self.in_flight = false;
            let took = self.started.take().map_or(Duration::ZERO, |s| s.elapsed());
            self.last = Some((took, Instant::now()));
        }
        answers
    }

    /// How long to wait before the next computation (zero: now).
    pub fn rest(&self) -> Duration {
        self.last.map_or(Duration::ZERO, |(took, ended)| took.saturating_sub(ended.elapsed()))
    }

    pub fn request(&mut self, store: Arc<Mutex<Store>>, generation: u64, model: Option<String>) {
        self.in_flight = true;
        self.wanted = false;
        self.started = Some(Instant::now());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_computation_rests_as_long_as_the_last_one_took() {
        let mut state = LabelQualityState::new(&egui::Context::default());
        assert_eq!(state.rest(), Duration::ZERO, "the first one starts at once");
        state.last = Some((Duration::from_secs(10), Instant::now()));
        assert!(state.rest() > Duration::from_secs(9), "{:?}", state.rest());
        state.last = Some((Duration::from_millis(1), Instant::now() - Duration::from_millis(50)));
        assert_eq!(state.rest(), Duration::ZERO);
        state.wanted = true;
        assert!(state.busy() && !state.computing(), "resting counts as busy: tests and saves wait for it");
    }
}
