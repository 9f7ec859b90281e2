//! The analysis engine: pure functions over a columnar [`Snapshot`] of a project. No I/O,
//! no GUI; it uses nothing else of ours.
//!
//! Typical use:
//! - once per data change: [`Prepared::new`] (validates, derives consensus tags, HLP,
//!   agreement, sorted scores per slice, AUC);
//! - on every threshold change: [`Prepared::live`] (operating point, per-tag table, split
//!   table), or the single tables ([`Prepared::tag_table`], [`Prepared::metadata_table`],
//!   [`Prepared::tag_pair_table`], [`Prepared::split_table`]);
//! - on a label edit (one labeler, one pair): [`Prepared::set_label`] with the
//!   [`LabelBook`] of the snapshot's labels, in place and exact;
//! - for the CLI: [`Report::new`] / [`Report::from_snapshot`], serialized with serde or
//!   rendered by [`render_text`].
//!
//! Definitions (issue 4): a pair is evaluable when it has a truth and a score; predicted
//! `same` ⇔ score ≥ threshold; an error is an evaluable pair predicted wrongly.

pub mod activelab;
mod agreement;
/// Every image against every other one, by identity (issue 13).
pub mod all_vs_all;
pub mod calibration;
/// Connected components of items sharing keys (splits, folds).
pub mod components;
mod confusion;
mod consensus;
pub mod crowdlab;
/// Has a measure's distribution moved: KS, PSI and a verdict (issue 18).
pub mod drift;
mod edc;
mod edc_report;
#[cfg(test)]
mod edit_properties;
mod fpr_target;
mod hlp;
/// Suggested `dark` / `blurry` tags, one per image.
pub mod image_quality;
/// How sure a rate is: exact binomial intervals and demonstrated bounds.
pub mod intervals;
mod kfold;
mod kolmogorov;
mod label_book;
mod label_index;
/// Label quality: calibrated P(same), CROWDLAB, the review queues, labeler quality.
pub mod label_quality;
mod pair_labels;
mod prepared;
#[cfg(test)]
mod properties;
mod report;
mod report_intervals;
mod report_options;
mod roc;
mod score_groups;
mod score_order;
mod slices;
/// The input, built by the store.
pub mod snapshot;
mod splits;
mod text;
pub(crate) mod text_intervals;
mod text_slices;
mod threshold;
mod threshold_from;

pub use agreement::{Agreement, CohenKappa, Disagreement, TagAgreement};
pub use confusion::{Confusion, Rates, predicted};
pub use consensus::{consensus_of, tags_named};
pub use edc::{EDC_MAX_DISCARD, EDC_TABLE_FRACTIONS, EdcGenuine, EdcPoint};
pub use edc_report::{EdcByQuality, EdcReport, EdcRow};
pub use fpr_target::{Eer, FprTarget, ThresholdPoint, percent3, target_percent};
pub use hlp::{Hlp, HlpSummary};
pub use kfold::{FoldResult, KFold, KFoldError, contiguous_folds, kfold_accuracy};
pub use label_book::{LabelBook, LabelRow};
pub use prepared::{LabelEditError, LiveTables, PairCounts, Prepared};
pub use report::{
    AgreementReport, CohenReport, HlpReport, Named, OperatingPointReport, Report, ReportError, RocReport, SplitReport,
    SplitsReport, TagReport,
};
pub use report_intervals::{
    FprPointReport, HlpIntervals, LabelerHlp, OperatingPointIntervals, RocTargets, fleiss_is_partial,
};
pub use report_options::ReportOptions;
pub use roc::{DetPoint, RocPoint, TPR_AT_FPR, probit};
pub use slices::{
    DEFAULT_MIN_SUPPORT, SliceKey, SliceRow, SliceSort, SliceStats, natural_cmp, ranked_first, set_min_support,
    sort_rows,
};
pub use snapshot::{
    Labels, MAX_PAIRS, MAX_TAGS, MetadataColumn, SPLITS, Snapshot, SnapshotError, Split, TagBits, Truth, tag_indices,
    tag_mask,
};
pub use splits::{Component, Diagnosis, DiagnosisIntervals, NOT_TRAINED_HERE, SplitRow, SplitTable};
pub use text::{Numbers, grouped, render_text};
pub use text_slices::{
    DIAGNOSIS_HEADERS, SPLIT_HEADERS, TAG_HEADERS, THRESHOLD_FROM_HEADERS, TOO_FEW_TO_RANK, diagnosis_verdict,
    ranked_rows, threshold_from_heading,
};
pub use threshold::{OperatingPoint, RuleError, ThresholdRule};
pub use threshold_from::{SplitPoint, ThresholdFrom, ThresholdFromError, split_points};
