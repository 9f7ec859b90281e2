//! The top bar at the smallest size pairscope supports, 1024×700: every control is on screen
//! (the bar wraps rather than clips, and rarely used ones sit in menus), and "Overview" is lit
//! only where it shows, on Review.

use crate::common;

use common::gui::{H, at_labeler_picker, menu_item, project, start_labeling_as, step_until};
use egui_kittest::kittest::{NodeT, Queryable};

fn on_screen(harness: &H<'_>, label: &str) {
    let rect = harness.get_by_label(label).rect();
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1024.0, 700.0));
    assert!(screen.contains_rect(rect), "{label:?} at {rect:?} is off the 1024×700 window");
}

fn overview_lit(harness: &H<'_>) -> bool {
    harness.get_by_label("Overview").accesskit_node().toggled() == Some(egui::accesskit::Toggled::True)
}

#[test]
fn at_1024_by_700_every_top_bar_control_is_reachable_and_overview_is_lit_only_on_review() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = at_labeler_picker(&project(dir.path()));
    start_labeling_as(&mut harness, "eve", "Engineer");
    harness.set_size(egui::vec2(1024.0, 700.0));
    harness.run_steps(3);
    for label in ["Project", "Review", "Model", "Agreement", "Error analysis", "Curate", "Blind mode", "Overview"] {
        on_screen(&harness, label);
    }
    on_screen(&harness, "Labeler: eve (engineer)");
    harness.get_by_label("Project").click();
    step_until(&mut harness, "the Project menu", |h| h.query_by_label("Close project").is_some());
    for label in ["Close project", "Reload", "Tags…", "Keys (?)", "Dark", "Light", "System"] {
        on_screen(&harness, label);
    }
    harness.key_press(egui::Key::Escape);
    step_until(&mut harness, "Esc to close the menu", |h| h.query_by_label("Close project").is_none());

    assert!(!overview_lit(&harness));
    harness.get_by_label("Overview").click();
    harness.run_steps(2);
    assert!(overview_lit(&harness), "the overview is shown");
    harness.get_by_label("Model").click();
    step_until(&mut harness, "the Model screen", |h| !overview_lit(h));
    // From another screen, Overview goes back to Review and shows it.
    harness.get_by_label("Overview").click();
    harness.run_steps(2);
    assert!(overview_lit(&harness));
    menu_item(&mut harness, "Project", "Keys (?)");
    step_until(&mut harness, "the menu's Keys to open the key sheet", |h| {
        h.query_by_label("Keyboard shortcuts").is_some()
    });
}

/// A labeler's blind mode is a disabled checkbox (they cannot turn it off), drawn readable in
/// the light theme: opaque, in the normal text colour, behind a padlock.
#[test]
fn a_labelers_blind_mode_is_locked_and_readable_in_the_light_theme() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let mut harness = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1024.0, 700.0))
        .with_theme(egui::Theme::Light)
        .build_eframe(move |cc| {
            pairscope::ui::PairscopeApp::with_state(cc.egui_ctx.clone(), pairscope::ui::State::default(), Some(project))
        });
    step_until(&mut harness, "the labeler picker", |h| h.query_by_label("Start labeling").is_some());
    start_labeling_as(&mut harness, "lee", "Labeler");
    harness.run_steps(3);
    let blind = harness.get_by_label("Blind mode");
    assert!(blind.accesskit_node().is_disabled(), "a labeler cannot turn blind mode off");
    assert_eq!(blind.accesskit_node().toggled(), Some(egui::accesskit::Toggled::True));
    harness.remove_cursor();
    harness.run_steps(2);
    harness.snapshot("top_bar_labeler_light");
}
