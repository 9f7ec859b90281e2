//! An import on a thread of its own, with its own connection to the project (SQLite WAL), so
//! hashing thousands of photos never holds up a frame. A preview (the first rows of a file) runs
//! the same way: both read the disk.

use std::path::{Path, PathBuf};

use crate::import::{
    ImportControl, ImportError, ImportKind, ImportOutcome, ImportPreview, ImportProgress, ImportRequest, Problem,
    preview, run_import,
};
use crate::store::{Store, StoreError};
use crate::ui::jobs::job::{Job, Jobs, Owner};

/// Why an import wrote nothing, kept whole so the window can list the problems.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportFailure {
    pub message: String,
    /// The bad rows, with file and line (empty when the file as a whole cannot be used).
    pub problems: Vec<Problem>,
    /// The same import with the bad rows skipped would go through.
    pub may_skip_bad: bool,
    pub cancelled: bool,
}

impl From<ImportError> for ImportFailure {
    fn from(error: ImportError) -> Self {
        // The CLI's words for a refusal name its flag; here a button does that.
        let message = match &error {
            ImportError::Refused { file, problems } | ImportError::RefusedWhole { file, problems } => format!(
                "{}: {} bad row{}; nothing was imported",
                file.display(),
                problems.len(),
                if problems.len() == 1 { "" } else { "s" }
            ),
            other => other.to_string(),
        };
        ImportFailure {
            message,
            problems: error.problems().to_vec(),
            may_skip_bad: matches!(error, ImportError::Refused { .. }),
            cancelled: matches!(error, ImportError::Cancelled),
        }
    }
}

pub type ImportResult = Result<ImportOutcome, ImportFailure>;

pub struct ImportJob {
    pub request: ImportRequest,
    /// The project imported into.
    pub project: PathBuf,
    job: Job<ImportProgress, ImportResult>,
}

impl ImportJob {
    /// Imports into the project at `project`, creating it if `create` (no file is left behind
    /// if that import fails).
    pub fn start(
        jobs: &mut Jobs,
        project: PathBuf,
        create: bool,
        request: ImportRequest,
        ctx: egui::Context,
    ) -> ImportJob {
        let owner = Owner::project(&project, "import");
        let (to, what) = (project.clone(), request.clone());
        let job = Job::start(
            jobs,
            "pairscope-import",
            owner,
            move || ctx.request_repaint(),
            move |reporter| {
                let report = |now| reporter.report(now);
                let control = ImportControl::new(reporter.cancel_flag(), &report);
                Ok(run(&to, create, &what, control))
            },
        );
        ImportJob { request, project, job }
    }

    pub fn cancel(&self) {
        self.job.cancel();
    }

    pub fn cancelled(&self) -> bool {
        self.job.cancelled()
    }

    pub fn progress(&self) -> Option<ImportProgress> {
        self.job.progress()
    }

    /// The outcome once the thread has finished; a panic arrives as a failure naming it.
    pub fn finished(&self) -> Option<ImportResult> {
        self.job.finished().map(|outcome| {
            outcome.unwrap_or_else(|panic| {
                Err(ImportFailure { message: panic, problems: Vec::new(), may_skip_bad: false, cancelled: false })
            })
        })
    }
}

fn run(project: &Path, create: bool, request: &ImportRequest, control: ImportControl<'_>) -> ImportResult {
    let import = |store: &mut Store| run_import(store, request, control);
    if create {
        Store::create_with(project, import).map_err(ImportFailure::from)
    } else {
        let mut store = Store::open(project).map_err(|e: StoreError| ImportFailure::from(ImportError::from(e)))?;
        import(&mut store).map_err(ImportFailure::from)
    }
}

/// The first rows of an input, read off the frame.
pub struct PreviewJob {
    /// What is being previewed: a newer request makes this one stale.
    pub key: (ImportKind, PathBuf),
    job: Job<(), ImportPreview>,
}

impl PreviewJob {
    pub fn start(jobs: &mut Jobs, kind: ImportKind, input: PathBuf, ctx: egui::Context) -> PreviewJob {
        let owner = Owner { project: None, feature: "import preview" };
        let path = input.clone();
        let job = Job::start(
            jobs,
            "pairscope-import-preview",
            owner,
            move || ctx.request_repaint(),
            move |_| preview(kind, &path).map_err(|e| e.to_string()),
        );
        PreviewJob { key: (kind, input), job }
    }

    pub fn finished(&self) -> Option<Result<ImportPreview, String>> {
        self.job.finished()
    }
}
