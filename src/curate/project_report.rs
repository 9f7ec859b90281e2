//! The error-analysis report of a whole project, read once and written as HTML by both
//! `pairscope report --html` and the app's "Save HTML report…", so the two files never differ.

use std::path::Path;

use super::CurateError;
use super::html_report::{ReportPlots, html_report};
use crate::analysis::{EdcByQuality, Prepared, Report, ReportOptions, Snapshot, ThresholdRule, Truth};
use crate::store::{ScoredModel, Store};

/// A project's analysis at one operating point.
pub struct ProjectReport {
    /// The model whose scores were analysed (None: the project has no scores).
    pub model: Option<ScoredModel>,
    pub snapshot: Snapshot,
    pub prepared: Prepared,
    pub report: Report,
    /// The genuine pairs ranked by image quality, for the EDC plot.
    pub edc: EdcByQuality,
}

impl ProjectReport {
    /// Reads the project and computes the report of `model` (None: the project's default
    /// model) at the threshold `rule` picks.
    pub fn load(store: &mut Store, model: Option<&str>, rule: ThresholdRule) -> Result<ProjectReport, CurateError> {
        ProjectReport::load_with(store, model, rule, ReportOptions::default())
    }

    /// [`ProjectReport::load`] with the slice and split options (`trained_on_train` is taken
    /// from the model).
    pub fn load_with(
        store: &mut Store,
        model: Option<&str>,
        rule: ThresholdRule,
        options: ReportOptions,
    ) -> Result<ProjectReport, CurateError> {
        let (model, project, stats) = store.read(|tx| {
            let model = tx.choose_model(model)?;
            let snapshot = tx.snapshot(model.as_ref().map(|m| m.id))?;
            Ok((model, snapshot, tx.pair_image_stats()?))
        })?;
        let fail = |e: &dyn std::fmt::Display| CurateError::path(store.path(), e.to_string());
        let prepared = Prepared::new(&project.snapshot).map_err(|e| fail(&e))?;
        let options = ReportOptions { trained_on_train: model.as_ref().map(|m| m.trained_on_train), ..options };
        let mut report = Report::with_options(&prepared, rule, &options).map_err(|e| fail(&e))?;
        let stats: Vec<_> = project.pair_ids.iter().map(|id| stats.get(id).copied()).collect();
        let edc = EdcByQuality::new(&project.snapshot.score, &project.snapshot.truth, &stats);
        report.edc = Some(edc.report(report.operating_point.threshold.unwrap_or(f64::INFINITY)));
        report.all_vs_all = super::all_vs_all_section::load(store, model.as_ref())?;
        Ok(ProjectReport { model, snapshot: project.snapshot, prepared, report, edc })
    }

    /// The self-contained HTML page, titled after the project file.
    pub fn html(&self, project: &Path) -> String {
        let snapshot = &self.snapshot;
        let scores_of = |wanted: Truth| -> Vec<f64> {
            (0..snapshot.score.len())
                .filter(|&i| snapshot.truth[i] == Some(wanted) && snapshot.score[i].is_finite())
                .map(|i| snapshot.score[i])
                .collect()
        };
        let (same, different) = (scores_of(Truth::Same), scores_of(Truth::Different));
        let roc = self.prepared.roc_curve(true);
        let plots =
            ReportPlots { roc: roc.as_deref(), same_scores: &same, different_scores: &different, edc: Some(&self.edc) };
        let title = project.file_stem().map_or("project".into(), |s| s.to_string_lossy().into_owned());
        html_report(&title, self.model.as_ref().map(|m| m.name.as_str()), &self.report, &plots)
    }

    /// Writes the HTML page to `file`.
    pub fn write_html(&self, project: &Path, file: &Path) -> Result<(), CurateError> {
        std::fs::write(file, self.html(project)).map_err(|e| CurateError::path(file, format!("cannot write: {e}")))
    }
}
