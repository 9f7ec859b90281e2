//! The demo project that `cargo run --release` opens: real photos from a registry package,
//! pairs whose truth is known by construction (two faces of one group photo are different
//! people; a face and a changed copy of itself are the same person), simulated labelers, and
//! scores from the built-in model.

mod assemble;
mod photos;
pub mod recipe;
mod simulated;

pub use assemble::{DemoError, DemoSummary, create_demo, default_demo_path};
pub use photos::photos;
pub use recipe::Recipe;
pub use simulated::SIMULATED_LABELERS;
