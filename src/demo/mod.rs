//! The demo project that `cargo run --release` opens: real photos from a registry package,
//! pairs whose truth is known by construction, and simulated labelers.

mod photos;

pub use photos::photos;
