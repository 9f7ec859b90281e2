//! A monitor run on a thread of its own, with its own connection to the project: reading the
//! baseline, the face pass over every new photo (minutes on a large folder), and the `dark`
//! slice's error rate when the new photos are darker, all off the frame.

use std::path::{Path, PathBuf};

use crate::domain::Split;
use crate::face::FaceEngine;
use crate::monitor::{MonitorReport, baseline, baseline_name, compare, dark_slice, measure_folder};
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
    /// The project's error analysis, for the `dark` slice.
    DarkSlice,
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
    let base = baseline(&mut store, &engine, split).map_err(|e| format!("Baseline: {e}."))?;
    if base.iter().all(|m| m.status.is_none()) {
        return Err(format!(
            "Baseline: none of {name} ({} photos) has been through the face pass yet. Score the project with the \
             built-in model first (Model screen).",
            base.len()
        ));
    }
    let cancel = reporter.cancel_flag();
    let measured = measure_folder(&engine, folder, cancel, |done, total| {
        reporter.report(MonitorProgress::Measuring { done, total })
    });
    let new = measured.map_err(|e| format!("The folder of new photos: {e}."))?;
    if cancel.load(std::sync::atomic::Ordering::Relaxed) {
        return Err(CANCELLED.into());
    }
    let mut report = compare(name, &base, &new);
    if report.drifted_darker() {
        reporter.report(MonitorProgress::DarkSlice);
        report.dark_slice = dark_slice(&mut store).map_err(|e| format!("The `dark` slice: {e}"))?;
    }
    Ok(report)
}
