//! `pairscope monitor` (issue 18): is a new batch of photos (a folder, without labels) like
//! the project's photos? Each measure of [`measures`] is compared by the two-sample KS test
//! and the PSI ([`crate::analysis::drift`]); the face pass's no-face and several-faces rates
//! are shown beside. When brightness drifts darker, the project's `dark` slice says how the
//! model does on such photos. When the batch is in identity sub-folders, the built-in model's
//! scores on its pairs are compared with the project's ([`scores`]).

pub mod histogram;
pub mod measures;
mod render;
pub mod run;
pub mod scores;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::analysis::ThresholdRule;
use crate::analysis::drift::{DRIFT_RULE, DriftTest, drift};
use crate::analysis::intervals::Proportion;
use crate::curate::project_report::ProjectReport;
use crate::domain::Split;
use crate::face::{BatchOptions, FaceEngine, FaceError, ImageJob};
use crate::store::{Store, StoreError};
pub use histogram::SharedHistogram;
pub use measures::{MEASURES, PhotoMeasures};
pub use run::{MonitorRequest, MonitorStage, run};
pub use scores::{DEFAULT_MAX_PAIRS, ScoreComparison, compare_scores, project_scores};

#[derive(Debug, thiserror::Error)]
pub enum MonitorError {
    #[error("{}: {reason}", .path.display())]
    Folder { path: PathBuf, reason: String },
    #[error("face model: {0}")]
    Face(#[from] FaceError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Baseline(String),
    #[error("cancelled: nothing was compared (monitor writes nothing, so there is nothing to undo)")]
    Cancelled,
}

/// One measure compared: the test (None when a side has no values) and both medians, which
/// say which way it moved.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MeasureDrift {
    pub measure: &'static str,
    pub test: Option<DriftTest>,
    pub median_new: Option<f64>,
    pub median_baseline: Option<f64>,
    /// Both sides over the same [`histogram::BINS`] bins, as shares (None when a side has no
    /// values): what the app draws, and small enough for the JSON.
    pub histogram: Option<SharedHistogram>,
}

/// A share of the examined photos on each side (shown, not judged).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RateComparison {
    pub rate: &'static str,
    pub new: (usize, usize),
    pub baseline: (usize, usize),
}

/// The project's `dark` slice at the report's default operating point (max accuracy).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DarkSlice {
    pub pairs: u64,
    pub errors: u64,
    pub error_rate: f64,
    /// Clopper–Pearson, as every rate the report shows.
    pub error_rate_ci95: Option<[f64; 2]>,
    /// Evaluable pairs of the whole project, and the model's errors on them.
    pub evaluable: u64,
    pub overall_errors: u64,
    pub overall_error_rate: f64,
    pub overall_error_rate_ci95: Option<[f64; 2]>,
    pub threshold: f64,
}

/// Everything `pairscope monitor` prints.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MonitorReport {
    /// "the project's photos" or "the photos of split <name>".
    pub baseline: String,
    pub new_photos: usize,
    pub baseline_photos: usize,
    /// Baseline photos not yet through `pairscope embed` (left out of every measure).
    pub baseline_unmeasured: usize,
    pub rule: &'static str,
    pub measures: Vec<MeasureDrift>,
    pub rates: Vec<RateComparison>,
    /// Some when brightness drifted darker and the project has a `dark` slice with scores.
    pub dark_slice: Option<DarkSlice>,
    /// The built-in model's scores on the batch's pairs against the project's, or why not.
    pub scores: ScoreComparison,
    /// Whether any measure or score row drifted.
    pub drifted: bool,
}

/// Compares `new` with `baseline`, measure by measure.
pub fn compare(baseline_name: String, baseline: &[PhotoMeasures], new: &[PhotoMeasures]) -> MonitorReport {
    let measures: Vec<MeasureDrift> = MEASURES
        .iter()
        .map(|(name, get)| {
            let b: Vec<f64> = baseline.iter().filter_map(get).collect();
            let n: Vec<f64> = new.iter().filter_map(get).collect();
            MeasureDrift {
                measure: name,
                test: drift(&b, &n),
                median_new: median(&n),
                median_baseline: median(&b),
                histogram: SharedHistogram::of(&b, &n, histogram::BINS),
            }
        })
        .collect();
    let rate = |name: &'static str, code: &str| {
        let count = |side: &[PhotoMeasures]| {
            let examined = side.iter().filter(|m| m.was_examined());
            let total = examined.clone().count();
            (examined.filter(|m| m.status.as_deref() == Some(code)).count(), total)
        };
        RateComparison { rate: name, new: count(new), baseline: count(baseline) }
    };
    let drifted = measures.iter().any(|m| m.test.is_some_and(|t| t.drifted));
    MonitorReport {
        baseline: baseline_name,
        new_photos: new.len(),
        baseline_photos: baseline.len(),
        baseline_unmeasured: baseline.iter().filter(|m| m.status.is_none()).count(),
        rule: DRIFT_RULE,
        measures,
        rates: vec![rate("no_face", "no_face"), rate("several_faces", "several_faces")],
        dark_slice: None,
        scores: ScoreComparison::skipped("the scores were not compared"),
        drifted,
    }
}

fn median(values: &[f64]) -> Option<f64> {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2]),
        _ => Some((v[n / 2 - 1] + v[n / 2]) / 2.0),
    }
}

impl MonitorReport {
    /// Puts in the score comparison; a drifted score row makes the report drifted too.
    pub fn set_scores(&mut self, scores: ScoreComparison) {
        self.drifted |= scores.rows.iter().any(|m| m.test.is_some_and(|t| t.drifted));
        self.scores = scores;
    }

    /// Whether brightness drifted, and to darker photos.
    pub fn drifted_darker(&self) -> bool {
        self.measures.iter().any(|m| {
            m.measure == "brightness"
                && m.test.is_some_and(|t| t.drifted)
                && matches!((m.median_new, m.median_baseline), (Some(n), Some(b)) if n < b)
        })
    }
}

/// The project's photos (or those in pairs of `split`), as `embed` measured them under the
/// built-in model.
pub fn baseline(
    store: &mut Store,
    engine: &FaceEngine,
    split: Option<Split>,
) -> Result<Vec<PhotoMeasures>, MonitorError> {
    let photos = store.read(|tx| tx.monitored_photos(&engine.identity().sha256, split))?;
    if photos.is_empty() {
        let whose = split.map_or("the project".to_owned(), |s| format!("split {}", s.as_str()));
        return Err(MonitorError::Baseline(format!("{whose} has no photos to compare with")));
    }
    Ok(photos.iter().map(PhotoMeasures::from_project).collect())
}

/// Runs the face pass over every image file under `dir` (sub-folders included), in name
/// order. `progress(done, total)` after each photo. Setting `cancel` stops it after the photos
/// in flight, with [`MonitorError::Cancelled`].
pub fn measure_folder(
    engine: &FaceEngine,
    dir: &Path,
    cancel: &AtomicBool,
    mut progress: impl FnMut(usize, usize),
) -> Result<Vec<PhotoMeasures>, MonitorError> {
    let files = image_files(dir)?;
    let jobs: Vec<ImageJob> =
        files.iter().enumerate().map(|(i, path)| ImageJob { id: i as i64, path: path.clone() }).collect();
    let mut out: Vec<Option<PhotoMeasures>> = vec![None; jobs.len()];
    let mut done = 0;
    let batch = engine.run_batch(&jobs, &BatchOptions::default(), cancel, |r| {
        done += 1;
        progress(done, jobs.len());
        if let Some(slot) = out.get_mut(r.id as usize) {
            *slot = Some(PhotoMeasures::from_result(&r, identity_folder(dir, &r.path)));
        }
    })?;
    if batch.cancelled || cancel.load(Ordering::Relaxed) {
        return Err(MonitorError::Cancelled);
    }
    Ok(out.into_iter().flatten().collect())
}

/// The folder directly under `dir` that holds `path` (at any depth), as `import-folders`
/// names a person; None for a file directly in `dir`.
fn identity_folder(dir: &Path, path: &Path) -> Option<String> {
    let mut parts = path.strip_prefix(dir).ok()?.components();
    let first = parts.next()?;
    parts.next().map(|_| first.as_os_str().to_string_lossy().into_owned())
}

/// Image files under `dir`, sorted; a symlinked folder seen before is not read twice.
fn image_files(dir: &Path) -> Result<Vec<PathBuf>, MonitorError> {
    let fail = |path: &Path, e: std::io::Error| MonitorError::Folder { path: path.to_owned(), reason: e.to_string() };
    let mut seen = HashSet::new();
    let mut todo = vec![dir.to_owned()];
    let mut files = Vec::new();
    while let Some(folder) = todo.pop() {
        if !seen.insert(folder.canonicalize().map_err(|e| fail(&folder, e))?) {
            continue;
        }
        for entry in std::fs::read_dir(&folder).map_err(|e| fail(&folder, e))? {
            let path = entry.map_err(|e| fail(&folder, e))?.path();
            if path.is_dir() {
                todo.push(path);
            } else if path.is_file() && crate::import::has_image_extension(&path) {
                files.push(path);
            }
        }
    }
    if files.is_empty() {
        return Err(MonitorError::Folder { path: dir.to_owned(), reason: "holds no image files".into() });
    }
    files.sort();
    Ok(files)
}

/// The project's `dark` slice under its default model, at the max-accuracy threshold; None
/// when it has no scores, no threshold or no `dark` pairs.
pub fn dark_slice(store: &mut Store) -> Result<Option<DarkSlice>, MonitorError> {
    let loaded = ProjectReport::load(store, None, ThresholdRule::MaxAccuracy)
        .map_err(|e| MonitorError::Baseline(e.to_string()))?;
    let (report, Some(threshold)) = (&loaded.report, loaded.report.operating_point.threshold) else {
        return Ok(None);
    };
    let op = &report.operating_point;
    let evaluable = op.tp + op.fp + op.tn + op.fn_;
    let Some(dark) = report.tags.iter().find(|t| t.tag == "dark").filter(|t| t.pairs > 0 && evaluable > 0) else {
        return Ok(None);
    };
    let overall_errors = op.fp + op.fn_;
    Ok(Some(DarkSlice {
        pairs: dark.pairs,
        errors: dark.errors,
        error_rate: dark.error_rate,
        error_rate_ci95: dark.error_rate_ci95,
        evaluable,
        overall_errors,
        overall_error_rate: overall_errors as f64 / evaluable as f64,
        overall_error_rate_ci95: Proportion::new(overall_errors, evaluable).ci95(),
        threshold,
    }))
}

pub use render::{darker, number, render_text, share, verdict};

/// How the report names its baseline.
pub fn baseline_name(split: Option<Split>) -> String {
    match split {
        Some(split) => format!("the photos of split {}", split.as_str()),
        None => "the project's photos".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo(brightness: f64, status: &str) -> PhotoMeasures {
        let face = status != "no_face";
        PhotoMeasures {
            brightness: Some(brightness),
            sharpness: Some(100.0 + brightness),
            face_size: face.then_some(120.0 + (brightness * 1000.0) % 7.0),
            detector_confidence: face.then_some(0.99),
            status: Some(status.into()),
            ..Default::default()
        }
    }

    fn spread(n: usize, scale: f64) -> Vec<PhotoMeasures> {
        (0..n).map(|i| photo(scale * (0.3 + 0.4 * ((i * 37) % n) as f64 / n as f64), "ok")).collect()
    }

    #[test]
    fn darker_photos_drift_on_brightness_and_say_so() {
        let base = spread(60, 1.0);
        let mut dark = spread(40, 0.4);
        dark.push(photo(0.1, "no_face"));
        let r = compare("the project's photos".into(), &base, &dark);
        let brightness = &r.measures[0];
        assert_eq!(brightness.measure, "brightness");
        assert!(brightness.test.unwrap().drifted && r.drifted && r.drifted_darker(), "{r:?}");
        let bins = brightness.histogram.as_ref().expect("both sides have values");
        assert_eq!((bins.baseline.len(), bins.new.len(), bins.edges.len()), (histogram::BINS, histogram::BINS, 21));
        assert_eq!(r.rates[0], RateComparison { rate: "no_face", new: (1, 41), baseline: (0, 60) });
        let text = render_text(&MonitorReport { dark_slice: None, ..r.clone() });
        assert!(text.contains("verdict: DRIFTED on brightness"), "{text}");
        assert!(text.contains("no scored `dark` slice"), "{text}");
        assert!(text.contains(DRIFT_RULE), "{text}");
        let dark_slice = DarkSlice {
            pairs: 12,
            errors: 3,
            error_rate: 0.25,
            error_rate_ci95: Proportion::new(3, 12).ci95(),
            evaluable: 120,
            overall_errors: 6,
            overall_error_rate: 0.05,
            overall_error_rate_ci95: Proportion::new(6, 120).ci95(),
            threshold: 0.4,
        };
        let text = render_text(&MonitorReport { dark_slice: Some(dark_slice), ..r });
        // Every rate with its count and 95 % interval (Clopper–Pearson 3/12: 5.49–57.19 %).
        assert!(text.contains("errs on 25.0 % of 12 pairs (3/12, 95 % interval 5.49-57.19%;"), "{text}");
        assert!(text.contains("all pairs: 5.0 % (6/120, 95 % interval 1.86-10.57%)"), "{text}");
        assert!(text.contains("no_face rate: new 1/41 (2.4 %, 95 % interval 0.06-12.86%)"), "{text}");
    }

    #[test]
    fn brighter_photos_drift_but_are_not_darker_and_the_same_photos_are_stable() {
        let base = spread(60, 1.0);
        let bright = spread(40, 2.0);
        let r = compare("x".into(), &base, &bright);
        assert!(r.drifted && !r.drifted_darker(), "{r:?}");
        let same = compare("x".into(), &base, &base);
        assert!(!same.drifted, "{same:?}");
        assert!(render_text(&same).contains("verdict: stable"));
    }

    #[test]
    fn a_photo_s_identity_is_its_folder_directly_under_the_batch() {
        let dir = Path::new("/batch");
        assert_eq!(identity_folder(dir, Path::new("/batch/amy/amy1.png")).as_deref(), Some("amy"));
        assert_eq!(identity_folder(dir, Path::new("/batch/amy/day2/a.png")).as_deref(), Some("amy"));
        assert_eq!(identity_folder(dir, Path::new("/batch/loose.png")), None);
    }

    #[test]
    fn photos_not_yet_measured_are_counted_and_left_out() {
        let mut base = spread(30, 1.0);
        base.push(PhotoMeasures::default());
        let r = compare("x".into(), &base, &spread(30, 1.0));
        assert_eq!(r.baseline_unmeasured, 1);
        assert_eq!(r.measures[0].test.unwrap().n_baseline, 30);
        assert!(render_text(&r).contains("run `pairscope embed` first"));
    }
}
