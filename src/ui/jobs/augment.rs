//! The Augment panel's work: its preview and its run, each a job with its own connection to
//! the project (SQLite WAL), so decoding photos and writing derived images never holds up a
//! frame or labeling on the I/O thread.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use crate::curate::augment_preview::describe_changes;
use crate::curate::{AugmentOptions, AugmentReport, ExportProgress, Recipe, Selection, augment, augment_preview};
use crate::store::Store;
use crate::ui::jobs::job::{Job, Jobs, Owner};
use crate::ui::jobs::naming::naming;

/// Source images shown in the preview.
pub const PREVIEW_IMAGES: usize = 4;
/// The longest side of a preview image on screen, in pixels.
const THUMBNAIL: u32 = 160;

/// What a preview shows: the pick (with the model and threshold of its errors), the recipe
/// and the seed.
#[derive(Clone, Debug, PartialEq)]
pub struct PreviewKey {
    pub selection: Selection,
    pub model: Option<String>,
    pub threshold: Option<f64>,
    pub recipe: Recipe,
    pub seed: u64,
}

/// The preview as the panel shows it: counts, and images ready to become textures.
pub struct PreviewShown {
    pub source_pairs: usize,
    pub source_images: usize,
    pub outside_train: usize,
    pub synthetic_left_out: usize,
    pub images: Vec<ShownImage>,
}

pub struct ShownImage {
    pub source_path: String,
    pub original: egui::ColorImage,
    pub derived: egui::ColorImage,
    /// The exact changes of copy 1: "darken ×0.43, shift +2, -1 px".
    pub caption: String,
}

pub struct AugmentPreviewJob {
    /// What is being previewed: a newer form makes this one stale.
    pub key: PreviewKey,
    job: Job<(), PreviewShown>,
}

impl AugmentPreviewJob {
    pub fn start(jobs: &mut Jobs, project: PathBuf, key: PreviewKey, ctx: egui::Context) -> AugmentPreviewJob {
        let owner = Owner::project(&project, "augment preview");
        let asked = key.clone();
        let job = Job::start(
            jobs,
            "pairscope-augment-preview",
            owner,
            move || ctx.request_repaint(),
            move |_| preview(&project, &asked),
        );
        AugmentPreviewJob { key, job }
    }

    pub fn finished(&self) -> Option<Result<PreviewShown, String>> {
        self.job.finished()
    }
}

fn preview(project: &Path, key: &PreviewKey) -> Result<PreviewShown, String> {
    let mut store = Store::open_read_only(project).map_err(|e| e.to_string())?;
    let preview = augment_preview(
        &mut store,
        &key.selection,
        key.model.as_deref(),
        key.threshold,
        &key.recipe,
        key.seed,
        PREVIEW_IMAGES,
    )
    .map_err(|e| e.to_string())?;
    Ok(PreviewShown {
        source_pairs: preview.source_pairs,
        source_images: preview.source_images,
        outside_train: preview.outside_train,
        synthetic_left_out: preview.synthetic_left_out,
        images: preview
            .images
            .into_iter()
            .map(|image| ShownImage {
                caption: describe_changes(&image.applied),
                original: thumbnail(&image.original),
                derived: thumbnail(&image.derived),
                source_path: image.source_path,
            })
            .collect(),
    })
}

/// The image at most `THUMBNAIL` pixels on its longer side, as egui draws it.
fn thumbnail(image: &image::RgbImage) -> egui::ColorImage {
    let (w, h) = image.dimensions();
    let small = if w.max(h) > THUMBNAIL {
        let scale = THUMBNAIL as f32 / w.max(h) as f32;
        let size = |v: u32| ((v as f32 * scale).round() as u32).max(1);
        image::imageops::resize(image, size(w), size(h), image::imageops::FilterType::Triangle)
    } else {
        image.clone()
    };
    egui::ColorImage::from_rgb([small.width() as usize, small.height() as usize], small.as_raw())
}

pub struct AugmentJob {
    pub target: PathBuf,
    pub add_to_project: bool,
    job: Job<ExportProgress, AugmentReport>,
}

impl AugmentJob {
    /// Augments from the project at `project`; the job belongs to that project.
    pub fn start(
        jobs: &mut Jobs,
        project: PathBuf,
        target: PathBuf,
        options: AugmentOptions,
        ctx: egui::Context,
    ) -> AugmentJob {
        let owner = Owner::project(&project, "augment");
        let to = target.clone();
        let add_to_project = options.add_to_project;
        let job = Job::start(
            jobs,
            "pairscope-augment",
            owner,
            move || ctx.request_repaint(),
            move |reporter| run(&project, &to, &options, reporter.cancel_flag(), |now| reporter.report(now)),
        );
        AugmentJob { target, add_to_project, job }
    }

    /// Stops the run; what it wrote is removed and nothing is recorded.
    pub fn cancel(&self) {
        self.job.cancel();
    }

    pub fn cancelled(&self) -> bool {
        self.job.cancelled()
    }

    /// Derived images written so far (None before the first).
    pub fn progress(&self) -> Option<ExportProgress> {
        self.job.progress()
    }

    pub fn finished(&self) -> Option<Result<AugmentReport, String>> {
        self.job.finished()
    }
}

fn run(
    project: &Path,
    target: &Path,
    options: &AugmentOptions,
    cancel: &AtomicBool,
    progress: impl FnMut(ExportProgress),
) -> Result<AugmentReport, String> {
    let mut store = Store::open(project).map_err(|e| e.to_string())?;
    augment(&mut store, target, options, cancel, progress).map_err(|e| match e {
        crate::curate::CurateError::Cancelled => "cancelled: nothing was written or recorded".to_owned(),
        e => naming(target, e.to_string()),
    })
}
