//! The Curate screen in the app: drawing it from what the app holds, applying its commands and
//! taking in their results. Plans, previews and writes run on the I/O thread, exports as a job
//! of their own; nothing waits in a frame.

use crate::analysis::ReportOptions;
use crate::curate::{ProjectReport, apply_split, merge_labels, plan_split, preview_merge};
use crate::store::Role;
use crate::ui::app::command::Command;
use crate::ui::app::file_dialogs::PathRequest;
use crate::ui::app::{Loaded, PairscopeApp, lock};
use crate::ui::curate::state::{CurateCommand, CurateLoaded, Planned, merge_summary};
use crate::ui::curate::view::{self, CurateData};
use crate::ui::jobs::export::ExportJob;
use crate::ui::jobs::naming::naming;

impl PairscopeApp {
    /// Draws the Curate screen with the parts of the app it shows.
    pub(in crate::ui) fn show_curate(&mut self, ui: &mut egui::Ui) -> Vec<Command> {
        let project = self.project.as_ref();
        let data = CurateData {
            info: project.and_then(|p| p.info.as_ref()),
            tags: project.map(|p| p.labeling.data.tags.iter().map(|t| t.name.clone()).collect()).unwrap_or_default(),
            threshold: self.state.selection.threshold,
            model: self.analysis.as_ref().and_then(|a| a.model.as_ref()).map(|m| m.name.as_str()),
            adjudicators: project
                .map(|p| {
                    let labelers = p.labeling.data.labelers.iter();
                    labelers.filter(|l| l.role == Role::Adjudicator).map(|l| l.name.clone()).collect()
                })
                .unwrap_or_default(),
        };
        view::show(ui, data, &mut self.ui.curate).into_iter().map(Command::from).collect()
    }

    pub(in crate::ui) fn apply_curate(&mut self, ctx: &egui::Context, command: CurateCommand) {
        if matches!(
            command,
            CurateCommand::BrowseAugmentFolder
                | CurateCommand::AugmentFolderChosen(_)
                | CurateCommand::StartAugment { .. }
                | CurateCommand::CancelAugment
        ) {
            return self.apply_augment(ctx, command);
        }
        let Some(project) = &self.project else { return };
        let store = project.store.clone();
        let project_path = project.path.clone();
        let curate = &mut self.ui.curate;
        match command {
            CurateCommand::PreviewSplit(options) => {
                curate.split.planning = true;
                curate.split.outcome = None;
                self.spawn(move || {
                    let result = plan_split(&mut lock(&store), &options).map(Box::new).map_err(|e| e.to_string());
                    Loaded::Curate(Box::new(CurateLoaded::SplitPlanned(result)))
                });
            }
            CurateCommand::ApplySplit => {
                let split = &mut curate.split;
                split.confirm = false;
                let Some(plan) = split.plan.as_ref().filter(|_| !split.applying).map(|p| p.plan.clone()) else {
                    return;
                };
                split.applying = true;
                // The user saw how many pairs move and confirmed it: moving them is what was asked.
                self.spawn(move || {
                    let result = apply_split(&mut lock(&store), &plan, true, "gui").map_err(|e| e.to_string());
                    Loaded::Curate(Box::new(CurateLoaded::SplitApplied(result)))
                });
            }
            CurateCommand::BrowseExportFolder => {
                self.dialogs.ask(PathRequest::folder("Export into a new or empty folder"), |path| {
                    CurateCommand::ExportFolderChosen(path).into()
                });
            }
            CurateCommand::ExportFolderChosen(path) => curate.export.folder = path.display().to_string(),
            CurateCommand::StartExport { target, options } => {
                // One export at a time: a second click while one runs does nothing.
                if curate.export.job.is_none() {
                    curate.export.outcome = None;
                    curate.export.job =
                        Some(ExportJob::start(&mut self.jobs, project_path, target, options, ctx.clone()));
                }
            }
            CurateCommand::CancelExport => {
                if let Some(job) = &curate.export.job {
                    job.cancel();
                }
            }
            CurateCommand::BrowseHtmlReport => {
                let name = format!(
                    "{}-report.html",
                    project_path.file_stem().map_or("project".into(), |s| s.to_string_lossy().into_owned())
                );
                self.dialogs.ask(PathRequest::save("Save the HTML report", &name), |path| {
                    CurateCommand::SaveHtmlReport(path).into()
                });
            }
            CurateCommand::SaveHtmlReport(file) => {
                curate.export.html_busy = true;
                curate.export.html = None;
                // The report of what the analysis screens show: their model and threshold.
                let model = self.state.selection.model.clone();
                let rule = self.state.selection.report_rule();
                let options = ReportOptions {
                    min_support: self.state.min_support,
                    threshold_from: self.state.selection.threshold_split,
                    ..ReportOptions::default()
                };
                self.spawn(move || {
                    let result = ProjectReport::load_with(&mut lock(&store), model.as_deref(), rule, options)
                        .and_then(|report| report.write_html(&project_path, &file))
                        .map(|()| file.clone())
                        .map_err(|e| naming(&file, e.to_string()));
                    Loaded::Curate(Box::new(CurateLoaded::HtmlSaved(result)))
                });
            }
            CurateCommand::BrowseMergeSource => {
                let request =
                    PathRequest::open("Merge labels from another project", "pairscope project", &["pairscope"]);
                self.dialogs.ask(request, |path| CurateCommand::PreviewMerge(path).into());
            }
            CurateCommand::PreviewMerge(from) => {
                let merge = &mut curate.merge;
                merge.path = from.display().to_string();
                merge.busy = true;
                merge.preview = None;
                merge.outcome = None;
                self.spawn(move || {
                    let result = preview_merge(&mut lock(&store), &from).map_err(|e| naming(&from, e.to_string()));
                    Loaded::Curate(Box::new(CurateLoaded::MergePreviewed { from, result }))
                });
            }
            // Applied in `apply_augment`.
            CurateCommand::BrowseAugmentFolder
            | CurateCommand::AugmentFolderChosen(_)
            | CurateCommand::StartAugment { .. }
            | CurateCommand::CancelAugment => {}
            CurateCommand::Merge(from) => {
                let merge = &mut curate.merge;
                if merge.busy {
                    return;
                }
                merge.busy = true;
                merge.outcome = None;
                self.spawn(move || {
                    let result = merge_labels(&mut lock(&store), &from).map_err(|e| naming(&from, e.to_string()));
                    Loaded::Curate(Box::new(CurateLoaded::Merged { from, result }))
                });
            }
        }
    }

    pub(in crate::ui) fn receive_curate(&mut self, loaded: CurateLoaded) {
        let curate = &mut self.ui.curate;
        match loaded {
            CurateLoaded::SplitPlanned(result) => {
                let split = &mut curate.split;
                split.planning = false;
                match result {
                    Ok(plan) => split.plan = Some(Planned::new(plan)),
                    Err(e) => {
                        split.plan = None;
                        split.outcome = Some(Err(e));
                    }
                }
            }
            CurateLoaded::SplitApplied(result) => {
                let split = &mut curate.split;
                split.applying = false;
                match result {
                    Ok(changed) => {
                        split.plan = None;
                        split.outcome = Some(Ok(format!("Wrote the split: {changed} pairs changed split.")));
                        // The split table of the error analysis (and the overview's counts) follow.
                        self.reload();
                    }
                    Err(e) => split.outcome = Some(Err(e)),
                }
            }
            CurateLoaded::HtmlSaved(result) => {
                curate.export.html_busy = false;
                curate.export.html = Some(result);
            }
            CurateLoaded::MergePreviewed { from, result } => {
                let merge = &mut curate.merge;
                merge.busy = false;
                match result {
                    Ok(report) => merge.preview = Some((from, report)),
                    Err(e) => merge.outcome = Some(Err(e)),
                }
            }
            CurateLoaded::Merged { from, result } => {
                let merge = &mut curate.merge;
                merge.busy = false;
                match result {
                    Ok(report) => {
                        merge.preview = None;
                        merge.outcome = Some(Ok(format!("Merged from {}: {}", from.display(), merge_summary(&report))));
                        self.reload();
                    }
                    Err(e) => merge.outcome = Some(Err(e)),
                }
            }
        }
    }

    /// Takes in a finished export.
    pub(in crate::ui) fn poll_export(&mut self) {
        let export = &mut self.ui.curate.export;
        if let Some(outcome) = export.job.as_ref().and_then(ExportJob::finished) {
            export.job = None;
            export.outcome = Some(outcome);
        }
    }
}
