//! A monitor run on a thread of its own, with its own connection to the project: reading the
//! baseline, the face pass over every new photo (minutes on a large folder), and the `dark`
//! slice's error rate when the new photos are darker, all off the frame.

use std::path::{Path, PathBuf};

use crate::domain::Split;
use crate::face::FaceEngine;
use crate::monitor::{
    self, DEFAULT_MAX_PAIRS, MonitorError, MonitorReport, MonitorRequest, MonitorStage, baseline_name,
};
use crate::quote::quote;
use crate::store::Store;
use crate::ui::jobs::job::{Job, Jobs, Owner, Reporter};

/// Where a run is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MonitorProgress {
    /// Loading the face model and the project's measures.
    Baseline,
    /// New photos through the face pass so far, of all of them.
    Measuring { done: usize, total: usize },
    /// Comparing: the project's scores and, for darker photos, its `dark` slice.
    Comparing,
}

/// Why a run stopped: said in the window, naming what was wrong.
pub const CANCELLED: &str = "cancelled";

pub struct MonitorJob {
    job: Job<MonitorProgress, MonitorReport>,
}

impl MonitorJob {
    pub fn start(
        jobs: &mut Jobs,
        project: PathBuf,
        folder: PathBuf,
        split: Option<Split>,
        ctx: egui::Context,
    ) -> MonitorJob {
        let owner = Owner::project(&project, "monitor");
        let job = Job::start(
            jobs,
            "pairscope-monitor",
            owner,
            move || ctx.request_repaint(),
            move |reporter| run(&project, &folder, split, reporter),
        );
        MonitorJob { job }
    }

    pub fn cancel(&self) {
        self.job.cancel();
    }

    pub fn cancelled(&self) -> bool {
        self.job.cancelled()
    }

    pub fn progress(&self) -> Option<MonitorProgress> {
        self.job.progress()
    }

    /// The report once the thread has finished; a panic arrives as an error naming it.
    pub fn finished(&self) -> Option<Result<MonitorReport, String>> {
        self.job.finished()
    }
}

fn run(
    project: &Path,
    folder: &Path,
    split: Option<Split>,
    reporter: &Reporter<MonitorProgress>,
) -> Result<MonitorReport, String> {
    let shown = folder.display().to_string();
    if !folder.is_dir() {
        return Err(format!("The folder of new photos {} does not exist (or is not a folder).", quote(&shown)));
    }
    reporter.report(MonitorProgress::Baseline);
    let mut store = Store::open(project).map_err(|e| format!("{}: {e}", project.display()))?;
    let engine = FaceEngine::builtin().map_err(|e| format!("face model: {e}"))?;
    let name = baseline_name(split);
    let request = MonitorRequest { folder, baseline: split, max_pairs: DEFAULT_MAX_PAIRS as usize };
    let cancel = reporter.cancel_flag();
    let report = monitor::run(
        &mut store,
        &engine,
        &request,
        cancel,
        |stage| match stage {
            MonitorStage::Baseline => {}
            MonitorStage::Measuring { done, total } => reporter.report(MonitorProgress::Measuring { done, total }),
            MonitorStage::Comparing => reporter.report(MonitorProgress::Comparing),
        },
        // Refused before the face pass: with nothing measured there is nothing to compare.
        |base| {
            if base.iter().all(|m| m.status.is_none()) {
                return Err(MonitorError::Baseline(format!(
                    "none of {name} ({} photos) has been through the face pass yet. Score the project with the \
                     built-in model first (Model screen)",
                    base.len()
                )));
            }
            Ok(())
        },
    );
    let report = match report {
        Ok(r) => r,
        Err(MonitorError::Cancelled) => return Err(CANCELLED.into()),
        Err(MonitorError::Baseline(why)) => return Err(format!("Baseline: {why}.")),
        Err(MonitorError::Folder { path, reason }) => {
            return Err(format!("The folder of new photos: {}: {reason}.", path.display()));
        }
        Err(e) => return Err(format!("{e}")),
    };
    Ok(report)
}
