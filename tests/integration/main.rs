//! The integration tests that need no window: the CLI on real files, the face pipeline on real
//! photos, the analysis against reference fixtures, curation, the team hub on a real PostgreSQL
//! server, and the architecture rules.
//!
//! One binary for all of them, one module per area: each test binary links the whole app, so
//! one per file cost gigabytes of disk and a link each.

#[path = "../common/mod.rs"]
mod common;

mod analysis_reference;
mod architecture;
mod cli_all_vs_all;
mod cli_augment;
mod cli_completions;
mod cli_demonstrated;
mod cli_edc;
mod cli_embed;
mod cli_export_embeddings;
mod cli_identities;
mod cli_import;
mod cli_import_blind;
mod cli_monitor;
mod cli_parquet;
mod cli_quality;
mod cli_report;
mod cli_report_splits;
mod cli_roles;
mod cli_writers;
mod crash_labeling;
mod curate_augment;
mod curate_blind_marks;
mod curate_consensus;
mod curate_export;
mod curate_merge;
mod curate_split;
mod demo_project;
mod embedded_assets;
mod face_pipeline;
mod hub_access;
mod hub_assignments;
mod hub_decisions;
mod hub_faults;
mod hub_password;
mod hub_sync;
mod hub_tag_definitions;
