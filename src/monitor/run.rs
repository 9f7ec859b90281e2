//! One monitor run from start to end, as the CLI and the app's Monitor window both run it:
//! the baseline's measures, the new photos through the face pass (with Cancel), the measures
//! compared, the model's scores compared when the folder has identity sub-folders, and the
//! `dark` slice when the new photos are darker.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use super::{
    MonitorError, MonitorReport, PhotoMeasures, baseline_name, compare, compare_scores, dark_slice, measure_folder,
    project_scores,
};
use crate::domain::Split;
use crate::face::FaceEngine;
use crate::store::Store;

/// What to compare.
#[derive(Clone, Debug, PartialEq)]
pub struct MonitorRequest<'a> {
    pub folder: &'a Path,
    /// One split's photos instead of all the project's.
    pub baseline: Option<Split>,
    /// The most same-person pairs formed from identity folders (as many different ones).
    pub max_pairs: usize,
}

/// Where a run is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MonitorStage {
    /// Reading the project's measures.
    Baseline,
    /// New photos through the face pass so far, of all of them.
    Measuring { done: usize, total: usize },
    /// The project's scores and error analysis.
    Comparing,
}

/// Runs the whole comparison. `check_baseline` sees the project's measures before the (long)
/// face pass, so a caller can refuse a baseline with nothing measured early.
pub fn run(
    store: &mut Store,
    engine: &FaceEngine,
    request: &MonitorRequest,
    cancel: &AtomicBool,
    mut stage: impl FnMut(MonitorStage),
    check_baseline: impl FnOnce(&[PhotoMeasures]) -> Result<(), MonitorError>,
) -> Result<MonitorReport, MonitorError> {
    stage(MonitorStage::Baseline);
    let base = super::baseline(store, engine, request.baseline)?;
    check_baseline(&base)?;
    let new =
        measure_folder(engine, request.folder, cancel, |done, total| stage(MonitorStage::Measuring { done, total }))?;
    if cancel.load(Ordering::Relaxed) {
        return Err(MonitorError::Cancelled);
    }
    stage(MonitorStage::Comparing);
    let mut report = compare(baseline_name(request.baseline), &base, &new);
    let project = project_scores(store, engine, request.baseline)?;
    report.set_scores(compare_scores(&new, project, request.max_pairs));
    if report.drifted_darker() {
        report.dark_slice = dark_slice(store)?;
    }
    Ok(report)
}
