//! The real app driven through egui_kittest, on a real project built from ../shared/datasets.

use crate::common;

use common::gui::step_until;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use pairscope::ui::{PairscopeApp, State};

#[test]
fn opens_a_project_and_shows_its_counts() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("sitcom.pairscope");
    let sitcom = common::datasets().join("sitcom");
    common::ok(["import-folders", project.to_str().unwrap(), "--images", sitcom.to_str().unwrap()]);

    let mut harness = Harness::builder()
        .with_size(egui::vec2(1000.0, 700.0))
        .build_eframe(|cc| PairscopeApp::with_state(cc.egui_ctx.clone(), State::default(), Some(project.clone())));
    step_until(&mut harness, "the project to load", |h| h.query_by_label("Pairs").is_some());
    harness.get_by_label("160");
    harness.get_by_label("80 same · 80 different · 0 unknown");
    assert_eq!(harness.state().state.recent_projects, vec![project.clone()], "remembered as recent");

    common::gui::menu_item(&mut harness, "Project", "Close project");
    harness.run();
    harness.get_by_label("Recent projects");
    assert!(harness.query_by_label("Pairs").is_none());
}

#[test]
fn a_broken_project_file_shows_an_error_and_the_app_keeps_running() {
    let dir = tempfile::tempdir().unwrap();
    let bogus = dir.path().join("notes.pairscope");
    std::fs::write(&bogus, "just some text, not a database at all, long enough to matter").unwrap();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1000.0, 700.0))
        .build_eframe(|cc| PairscopeApp::with_state(cc.egui_ctx.clone(), State::default(), Some(bogus.clone())));
    step_until(&mut harness, "the error", |h| h.query_by_label_contains("not a pairscope project").is_some());
    harness.get_by_label("Dismiss").click();
    harness.run();
    assert!(harness.query_by_label_contains("not a pairscope project").is_none());
    harness.get_by_label("Open project…");
}
