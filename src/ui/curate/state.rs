//! The Curate screen's view state, the commands its panels emit, and what the I/O thread
//! hands back. Nothing here is written to the project before the user confirms it.

use std::path::PathBuf;

use crate::curate::{AugmentOptions, ExportOptions, ExportReport, MergeReport, Ratios, SplitOptions, SplitPlan};
use crate::store::ProjectInfo;
use crate::ui::curate::augment_state::AugmentUi;
use crate::ui::curate::pick_form::{Pick, PickForm};
use crate::ui::jobs::export::ExportJob;

/// What the Curate screen's panels ask for.
#[derive(Clone, Debug, PartialEq)]
pub enum CurateCommand {
    /// Plan a split (on the I/O thread) and show its preview; nothing is written.
    PreviewSplit(SplitOptions),
    /// Write the split previewed last (the user has confirmed moving pairs, if any move).
    ApplySplit,
    /// Ask for the folder to export into.
    BrowseExportFolder,
    ExportFolderChosen(PathBuf),
    /// Export on a thread of its own.
    StartExport {
        target: PathBuf,
        options: ExportOptions,
    },
    CancelExport,
    /// Ask where to save the HTML report.
    BrowseHtmlReport,
    SaveHtmlReport(PathBuf),
    /// Ask for the project to merge labels from.
    BrowseMergeSource,
    /// What merging the labels of this project would do; nothing is written.
    PreviewMerge(PathBuf),
    /// Merge the labels of this project (previewed before).
    Merge(PathBuf),
    /// Ask for the folder to augment into.
    BrowseAugmentFolder,
    AugmentFolderChosen(PathBuf),
    /// Augment on a thread of its own.
    StartAugment {
        target: PathBuf,
        options: AugmentOptions,
    },
    CancelAugment,
}

/// Results of the Curate screen's work on the I/O thread.
pub(in crate::ui) enum CurateLoaded {
    SplitPlanned(Result<Box<SplitPlan>, String>),
    /// Pairs whose split changed.
    SplitApplied(Result<usize, String>),
    HtmlSaved(Result<PathBuf, String>),
    MergePreviewed {
        from: PathBuf,
        result: Result<MergeReport, String>,
    },
    Merged {
        from: PathBuf,
        result: Result<MergeReport, String>,
    },
}

#[derive(Default)]
pub(in crate::ui) struct CurateUi {
    pub split: SplitUi,
    pub export: ExportUi,
    pub augment: AugmentUi,
    pub merge: MergeUi,
}

/// How the split shares are chosen, as `pairscope split --ratios` spells them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(in crate::ui) enum RatioPreset {
    /// Small or large by the number of pairs.
    #[default]
    Auto,
    Small,
    Large,
    Custom,
}

impl RatioPreset {
    pub const ALL: [RatioPreset; 4] = [RatioPreset::Auto, RatioPreset::Small, RatioPreset::Large, RatioPreset::Custom];

    pub fn title(self) -> &'static str {
        match self {
            RatioPreset::Auto => "Auto (by size)",
            RatioPreset::Small => "60/20/20 (small data)",
            RatioPreset::Large => "98/1/1 (large data)",
            RatioPreset::Custom => "Custom",
        }
    }
}

pub(in crate::ui) struct SplitUi {
    pub preset: RatioPreset,
    /// train/dev/test, e.g. "70/15/15" (used with `RatioPreset::Custom`).
    pub custom: String,
    /// Percent of train carved out as train-dev.
    pub train_dev: f64,
    pub seed: u64,
    pub keep_existing: bool,
    pub planning: bool,
    pub plan: Option<Planned>,
    /// The "pairs will change split" question is open.
    pub confirm: bool,
    pub applying: bool,
    /// What the last preview or apply said (Err: why it failed).
    pub outcome: Option<Result<String, String>>,
    /// The form has taken the project's own train-dev share as its starting point.
    pub fitted: bool,
}

impl SplitUi {
    /// Starts the train-dev field at the project's current share (train-dev of train plus
    /// train-dev), so a first preview does not move every train-dev pair back into train.
    pub fn fit_to(&mut self, info: &ProjectInfo) {
        if std::mem::replace(&mut self.fitted, true) {
            return;
        }
        let of = |name: &str| info.splits.iter().find(|(s, _)| s == name).map_or(0, |(_, n)| *n);
        let (train, train_dev) = (of("train"), of("train-dev"));
        if train_dev > 0 {
            // Whole percents: the field shows what was used, not 32.8358…
            self.train_dev = (100.0 * train_dev as f64 / (train + train_dev) as f64).round();
        }
    }
}

impl Default for SplitUi {
    fn default() -> Self {
        SplitUi {
            preset: RatioPreset::default(),
            custom: "70/15/15".into(),
            train_dev: 0.0,
            seed: 0,
            keep_existing: false,
            fitted: false,
            planning: false,
            plan: None,
            confirm: false,
            applying: false,
            outcome: None,
        }
    }
}

impl SplitUi {
    /// The options the form asks for, as `pairscope split` would read them.
    pub fn options(&self) -> Result<SplitOptions, String> {
        let ratios = match self.preset {
            RatioPreset::Auto => None,
            RatioPreset::Small => Some(Ratios::SMALL),
            RatioPreset::Large => Some(Ratios::LARGE),
            RatioPreset::Custom => Some(Ratios::parse(&self.custom)?),
        };
        Ok(SplitOptions {
            ratios,
            train_dev_percent: self.train_dev,
            seed: self.seed,
            keep_existing: self.keep_existing,
        })
    }

    /// The preview on screen is of the options the form shows now.
    pub fn plan_is_current(&self) -> bool {
        matches!((&self.plan, self.options()), (Some(p), Ok(options)) if p.plan.options == options)
    }
}

/// A previewed plan and how many pairs it moves, counted once when it arrives (a plan can
/// hold millions of pairs; the frame only reads the counts).
pub(in crate::ui) struct Planned {
    pub plan: Box<SplitPlan>,
    /// Pairs whose split would change (including pairs without one yet).
    pub changed: usize,
    /// Of those, pairs that already have another split.
    pub replaced: usize,
    /// Per split (in `Split::ALL` order): pairs that would change into it.
    pub moving_in: [usize; 4],
}

impl Planned {
    pub fn new(plan: Box<SplitPlan>) -> Planned {
        let mut moving_in = [0; 4];
        for (_, now, next) in &plan.moves {
            if *now != Some(*next) {
                moving_in[next.index()] += 1;
            }
        }
        Planned { changed: plan.changed(), replaced: plan.replaced(), moving_in, plan }
    }
}

#[derive(Default)]
pub(in crate::ui) struct ExportUi {
    /// Which pairs.
    pub pick: PickForm,
    pub stamp: bool,
    /// The folder to export into (typed, or chosen in the dialog).
    pub folder: String,
    pub job: Option<ExportJob>,
    pub outcome: Option<Result<ExportReport, String>>,
    pub html_busy: bool,
    pub html: Option<Result<PathBuf, String>>,
}

impl ExportUi {
    /// The export's options; `analysed` is the model and threshold of the analysis, which
    /// decide the errors of "model errors only".
    pub fn options(&self, analysed: Option<(&str, f64)>) -> ExportOptions {
        let Pick { selection, model, threshold } = self.pick.pick(analysed, true);
        ExportOptions { selection, model, threshold, stamp: self.stamp, origin: "gui".into() }
    }
}

#[derive(Default)]
pub(in crate::ui) struct MergeUi {
    /// The other project (typed, or chosen in the dialog).
    pub path: String,
    pub busy: bool,
    /// The preview of merging from this file.
    pub preview: Option<(PathBuf, MergeReport)>,
    /// What the last preview or merge said (Err: why it failed).
    pub outcome: Option<Result<String, String>>,
}

/// What a merge brings in, in one line.
pub(in crate::ui) fn merge_summary(report: &MergeReport) -> String {
    format!(
        "{} verdicts changed, {} tags applied, {} tags removed, {} audit events copied; {} conflicts kept as they are here.",
        report.verdicts_changed,
        report.tags_applied,
        report.tags_removed,
        report.events_copied,
        report.conflicts.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_split_form_reads_as_the_cli_does() {
        let mut form = SplitUi::default();
        assert_eq!(form.options().unwrap().ratios, None, "auto: chosen by size");
        form.preset = RatioPreset::Large;
        assert_eq!(form.options().unwrap().ratios, Some(Ratios::LARGE));
        form.preset = RatioPreset::Custom;
        form.custom = "70/15/15".into();
        assert_eq!(form.options().unwrap().ratios, Ratios::parse("70/15/15").ok());
        form.custom = "70/30".into();
        assert!(form.options().unwrap_err().contains("70/30"), "the message quotes what was typed");
        assert!(!form.plan_is_current(), "no preview yet");
    }
}
