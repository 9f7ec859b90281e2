//! An export on a thread of its own, with its own connection to the project (SQLite WAL), so
//! copying thousands of images never holds up labeling on the I/O thread.

use std::path::{Path, PathBuf};

use crate::curate::{ExportOptions, ExportProgress, ExportReport, export_with_progress};
use crate::store::Store;
use crate::ui::jobs::job::{Job, Jobs, Owner};
use crate::ui::jobs::naming::naming;

pub struct ExportJob {
    pub target: PathBuf,
    job: Job<ExportProgress, ExportReport>,
}

impl ExportJob {
    /// Exports from the project at `project`; the job belongs to that project.
    pub fn start(
        jobs: &mut Jobs,
        project: PathBuf,
        target: PathBuf,
        options: ExportOptions,
        ctx: egui::Context,
    ) -> ExportJob {
        let owner = Owner::project(&project, "export");
        let to = target.clone();
        let job = Job::start(
            jobs,
            "pairscope-export",
            owner,
            move || ctx.request_repaint(),
            move |reporter| run(&project, &to, &options, reporter.cancel_flag(), |now| reporter.report(now)),
        );
        ExportJob { target, job }
    }

    /// Stops the export; what it wrote is removed.
    pub fn cancel(&self) {
        self.job.cancel();
    }

    pub fn cancelled(&self) -> bool {
        self.job.cancelled()
    }

    /// Images copied so far (None before the copying starts).
    pub fn progress(&self) -> Option<ExportProgress> {
        self.job.progress()
    }

    /// The outcome, once the thread has finished.
    pub fn finished(&self) -> Option<Result<ExportReport, String>> {
        self.job.finished()
    }
}

fn run(
    project: &Path,
    target: &Path,
    options: &ExportOptions,
    cancel: &std::sync::atomic::AtomicBool,
    progress: impl FnMut(ExportProgress),
) -> Result<ExportReport, String> {
    let mut store = Store::open(project).map_err(|e| e.to_string())?;
    export_with_progress(&mut store, target, options, cancel, progress).map_err(|e| naming(target, e.to_string()))
}
