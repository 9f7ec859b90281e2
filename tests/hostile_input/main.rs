//! The hostile-input regression corpus (issue 14): one test per case an attacker or a careless
//! user tried. Each test feeds one file of `tests/fixtures/hostile/` (or one it builds, where
//! the case is a file system shape that git cannot hold: symlinks, modes, non-UTF-8 names) to
//! the real binary, asserts the message it gives, and asserts that the project it touched is
//! byte for byte what it was before.
//!
//! One module per area, so the cases of one parser sit together.

#[path = "../common/mod.rs"]
mod common;

mod augment_inputs;
mod csv_cells;
mod harness;
mod import_parsers;
mod long_values;
mod models_and_exports;
mod parquet_files;
mod projects;
