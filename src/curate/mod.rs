//! Curation: balanced identity-grouped splits, exports with a manifest and lineage, merging
//! labels from another project, and the augmentations that synthesise data for a slice.
//!
//! Everything here reads the project through [`snapshot::Snapshot`], one consistent view of
//! pairs, labels and consensus tags, so a split preview and an export agree on what a pair's
//! consensus is.

pub mod all_vs_all_section;
pub mod augment;
mod augment_add;
pub mod augment_derive;
pub mod augment_preview;
pub mod augment_run;
pub mod consensus;
pub mod embeddings_parquet;
mod error;
pub mod export;
mod export_tables;
mod export_target;
mod html_edc;
mod html_intervals;
pub mod html_report;
mod html_slices;
mod lfw_txt;
pub mod manifest;
pub mod merge;
pub mod names;
mod parquet;
pub mod pick;
pub mod project_report;
pub mod quality;
pub mod recipe;
pub mod report_csv;
pub mod report_parquet;
pub mod selection;
pub mod snapshot;
pub mod split;
pub mod stale_exports;
pub(crate) mod typed_parquet;

pub use augment_add::Added;
pub use augment_preview::{AugmentPreview, augment_preview};
pub use augment_run::{AugmentOptions, AugmentReport, augment};
pub use error::CurateError;
pub use export::{ExportOptions, ExportProgress, ExportReport, export, export_with_progress};
pub use manifest::{FileEntry, verify_export};
pub use merge::{MergeReport, merge_labels, preview_merge};
pub use project_report::ProjectReport;
pub use recipe::Recipe;
pub use selection::Selection;

pub use snapshot::Snapshot;
pub use split::{Ratios, SplitOptions, SplitPlan, apply_split, plan_split};
pub use stale_exports::{StaleExports, remove_stale_exports};
