//! "Score project": a face model (the built-in one or a user's ONNX embedder) scores every
//! pair on a thread of its own, with its own connection to the project (SQLite WAL: labels
//! keep saving meanwhile). The UI reads the progress each frame and never waits on the model,
//! not even while it loads.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::face::{EmbedderSpec, FaceEngine};
use crate::scoring::{Progress, ScoreSummary, score_project};
use crate::store::{ModelKind, Store, Waiting};
use crate::ui::jobs::job::{Job, Jobs, Owner};

/// The model name the built-in embedder's scores are stored under (as `pairscope embed`).
const BUILTIN: &str = "builtin";

/// Which model scores the project, and the name its scores are stored under.
#[derive(Clone, Debug, PartialEq)]
pub struct ScoringModel {
    pub name: String,
    /// None: the built-in embedder.
    pub file: Option<(PathBuf, EmbedderSpec)>,
}

impl ScoringModel {
    pub fn builtin() -> Self {
        ScoringModel { name: BUILTIN.into(), file: None }
    }

    /// A user's ONNX embedder fed as `spec` says (as `pairscope embed --model --spec`).
    pub fn onnx(name: &str, path: PathBuf, spec: EmbedderSpec) -> Self {
        ScoringModel { name: name.trim().into(), file: Some((path, spec)) }
    }

    fn kind(&self) -> ModelKind {
        if self.file.is_some() { ModelKind::Onnx } else { ModelKind::Embedded }
    }

    /// Loads the model (seconds of disk and CPU: scoring thread only).
    fn engine(&self) -> Result<FaceEngine, String> {
        match &self.file {
            None => FaceEngine::builtin().map_err(|e| format!("face model: {e}")),
            // The error names the file (the engine's messages name it too, but not always in full).
            Some((path, spec)) => {
                FaceEngine::with_embedder_file(path, *spec).map_err(|e| format!("{}: {e}", path.display()))
            }
        }
    }
}

pub struct ScoringJob {
    model: String,
    /// Set while a batch of results waits for another pairscope to finish writing.
    waiting: Arc<AtomicBool>,
    job: Job<Progress, ScoreSummary>,
}

impl ScoringJob {
    /// Scores the project at `path`; the job belongs to that project.
    pub fn start(jobs: &mut Jobs, path: PathBuf, model: ScoringModel, ctx: egui::Context) -> ScoringJob {
        let waiting = Arc::new(AtomicBool::new(false));
        let (w, name, wake) = (waiting.clone(), model.name.clone(), ctx.clone());
        let owner = Owner::project(&path, "scoring");
        let job = Job::start(
            jobs,
            "pairscope-score",
            owner,
            move || ctx.request_repaint(),
            move |reporter| {
                let engine = model.engine()?;
                let mut store = Store::open(&path).map_err(|e| e.to_string())?;
                store.on_wait(move |now| {
                    w.store(now == Waiting::Started, Ordering::Relaxed);
                    wake.request_repaint();
                });
                score_project(&mut store, &engine, &model.name, model.kind(), reporter.cancel_flag(), |progress| {
                    reporter.report(progress)
                })
                .map_err(|e| e.to_string())
            },
        );
        ScoringJob { model: name, waiting, job }
    }

    /// The name the scores are stored under.
    pub fn model(&self) -> &str {
        &self.model
    }

    pub fn cancel(&self) {
        self.job.cancel();
    }

    pub fn cancelled(&self) -> bool {
        self.job.cancelled()
    }

    /// Whether the results wait for another pairscope to finish writing the project.
    pub fn waiting(&self) -> bool {
        self.waiting.load(Ordering::Relaxed)
    }

    pub fn progress(&self) -> Option<Progress> {
        self.job.progress()
    }

    /// The outcome, once the thread has finished.
    pub fn finished(&self) -> Option<Result<ScoreSummary, String>> {
        self.job.finished()
    }
}

/// `120/7 437 images · 35.2 images/s · ETA 3 min 28 s`.
pub fn describe(p: &Progress) -> String {
    let secs = p.elapsed.as_secs_f64();
    let rate = if secs > 0.0 { p.done as f64 / secs } else { 0.0 };
    let eta = if rate > 0.0 && p.total >= p.done {
        let left = ((p.total - p.done) as f64 / rate).round() as u64;
        if left >= 60 { format!("ETA {} min {} s", left / 60, left % 60) } else { format!("ETA {left} s") }
    } else {
        "ETA –".into()
    };
    format!("{}/{} images · {rate:.1} images/s · {eta}", p.done, p.total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn describes_rate_and_eta() {
        let p = Progress { done: 100, total: 400, elapsed: Duration::from_secs(10) };
        assert_eq!(describe(&p), "100/400 images · 10.0 images/s · ETA 30 s");
        let p = Progress { done: 10, total: 1000, elapsed: Duration::from_secs(10) };
        assert_eq!(describe(&p), "10/1000 images · 1.0 images/s · ETA 16 min 30 s");
    }
}
