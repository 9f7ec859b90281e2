//! The GUI tests: the real app (`PairscopeApp`) on real project files, driven through
//! egui_kittest by role and label, and one test that types into the real window under Xvfb.
//!
//! One binary for all of them, one module per screen or behaviour: each test binary links the
//! whole app (egui, wgpu, ONNX Runtime), so one per file cost gigabytes of disk and a link each.

#[path = "../common/mod.rs"]
mod common;

mod actions;
mod analysis_edits;
mod app;
mod augment;
mod blind;
mod close_jobs;
mod curate;
mod edc;
mod hub;
mod import;
mod keys;
mod label_quality;
mod model;
mod monitor;
mod numbers;
mod read_only;
mod real_window;
mod replay;
mod review;
mod saving;
mod screens;
mod selection;
mod slices;
mod top_bar;
