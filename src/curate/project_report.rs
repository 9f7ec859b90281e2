//! The error-analysis report of a whole project, read once and written as HTML by both
//! `pairscope report --html` and the app's "Save HTML report…", so the two files never differ.

use std::path::Path;

use super::CurateError;
use super::html_report::{ReportPlots, html_report};
use crate::analysis::{Prepared, Report, ReportOptions, Snapshot, ThresholdRule, Truth};
use crate::store::{ScoredModel, Store};

/// A project's analysis at one operating point.
pub struct ProjectReport {
    /// The model whose scores were analysed (None: the project has no scores).
    pub model: Option<ScoredModel>,
    pub snapshot: Snapshot,
    pub prepared: Prepared,
    pub report: Report,
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
        let (model, project) = store.read(|tx| {
            let model = tx.choose_model(model)?;
            let snapshot = tx.snapshot(model.as_ref().map(|m| m.id))?;
            Ok((model, snapshot))
        })?;
        let fail = |e: &dyn std::fmt::Display| CurateError::path(store.path(), e.to_string());
        let prepared = Prepared::new(&project.snapshot).map_err(|e| fail(&e))?;
        let options = ReportOptions { trained_on_train: model.as_ref().map(|m| m.trained_on_train), ..options };
        let report = Report::with_options(&prepared, rule, &options).map_err(|e| fail(&e))?;
        Ok(ProjectReport { model, snapshot: project.snapshot, prepared, report })
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
        let plots = ReportPlots { roc: roc.as_deref(), same_scores: &same, different_scores: &different };
        let title = project.file_stem().map_or("project".into(), |s| s.to_string_lossy().into_owned());
        html_report(&title, self.model.as_ref().map(|m| m.name.as_str()), &self.report, &plots)
    }

    /// Writes the HTML page to `file`.
    pub fn write_html(&self, project: &Path, file: &Path) -> Result<(), CurateError> {
        std::fs::write(file, self.html(project)).map_err(|e| CurateError::path(file, format!("cannot write: {e}")))
    }
}
