//! pairscope: find where a face-verification model fails, and why.
//!
//! The library holds everything; the binary is a thin CLI/GUI front. See DEVELOPERS.md for
//! the architecture: `analysis` is pure and depends on nothing of ours, `store` is the only
//! code that touches SQLite, and `ui` and `cli` sit on top of everything.

pub mod all_vs_all;
pub mod analysis;
pub mod cli;
pub mod csv_cells;
pub mod curate;
pub mod demo;
pub mod domain;
pub mod face;
/// The team hub on PostgreSQL (issue 16).
pub mod hub;
pub mod import;
/// Is a new batch of photos like the project's? (`pairscope monitor`, issue 18)
pub mod monitor;
mod orphans;
pub mod quote;
pub mod rng;
pub mod scoring;
pub mod store;
pub mod ui;
