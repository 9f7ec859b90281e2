//! Pure analysis over columnar snapshots of a project. No I/O, no egui; uses nothing of ours.

pub mod snapshot;

pub use snapshot::{Split, Truth};
