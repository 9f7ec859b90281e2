//! The error-analysis screen's minimum support (slices with fewer pairs are listed below a
//! divider, never ranked; the setting survives a restart) and the choice of the split the
//! threshold rules run on (the threshold is then the rule's on that split's pairs alone).
//! Real demo project (real SQLite file, real photos, the built-in model's scores).

use crate::common;

use common::gui::{H, at_labeler_picker, open, project, start_labeling_as, text_of};
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use pairscope::analysis::{Prepared, Split, ThresholdRule};
use pairscope::store::Store;

const MIN_SUPPORT: &str = "Minimum pairs to rank a slice";
const DIVIDER: &str = "too few pairs to rank";

fn engineer_at_error_analysis(harness: &mut H<'_>) {
    start_labeling_as(harness, "erin", "Engineer");
    open(harness, "Error analysis");
}

#[test]
fn the_minimum_support_sets_which_slices_are_ranked_and_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let mut harness = at_labeler_picker(&project);
    engineer_at_error_analysis(&mut harness);
    assert_eq!(harness.state().state.min_support, 20, "the default of report --min-support");

    // More pairs than any slice has: every slice is listed below the divider.
    harness.get_by_role_and_label(Role::SpinButton, MIN_SUPPORT).set_value_accesskit(100_000.0);
    harness.run_steps(3);
    assert_eq!(harness.state().state.min_support, 100_000);
    let divider = harness.query_all_by_label(DIVIDER).count();
    assert!(divider >= 1, "the tag table lists its slices below \"{DIVIDER}\"");

    // Every slice has a pair: all are ranked, no divider.
    harness.get_by_role_and_label(Role::SpinButton, MIN_SUPPORT).set_value_accesskit(1.0);
    harness.run_steps(3);
    assert_eq!(harness.state().state.min_support, 1);
    assert_eq!(harness.query_all_by_label(DIVIDER).count(), 0);

    // Kept like the threshold: in the state the app stores.
    let stored = serde_json::to_value(&harness.state().state).unwrap();
    assert_eq!(stored["min_support"], 1, "{stored}");
}

#[test]
fn rules_run_on_the_split_chosen_and_the_split_table_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let on_dev = {
        let mut store = Store::open(&project).unwrap();
        let snap = store
            .read(|tx| {
                let model = tx.choose_model(None)?;
                tx.snapshot(model.map(|m| m.id))
            })
            .unwrap();
        let prepared = Prepared::new(&snap.snapshot).unwrap();
        let all = prepared.operating_point(ThresholdRule::MaxAccuracy).unwrap().threshold;
        let dev = prepared.split_operating_point(Split::Dev, ThresholdRule::MaxAccuracy).unwrap().unwrap().threshold;
        assert_ne!(all, dev, "the demo's dev split picks a threshold of its own");
        dev
    };
    let mut harness = at_labeler_picker(&project);
    engineer_at_error_analysis(&mut harness);
    assert_eq!(harness.state().state.selection.threshold_split, None, "rules start on all pairs");

    harness.get_by_role_and_label(Role::ComboBox, "Rules on").click();
    harness.run_steps(2);
    let dev = harness
        .query_all_by_role(Role::Button)
        .find(|n| text_of(n).is_some_and(|t| t.starts_with("dev (")))
        .expect("dev is offered, with its pairs");
    dev.click();
    harness.run_steps(3);
    let selection = &harness.state().state.selection;
    assert_eq!(selection.threshold_split, Some(Split::Dev));
    assert_eq!(selection.rule, Some(ThresholdRule::MaxAccuracy));
    assert_eq!(selection.threshold, on_dev, "max accuracy on dev's pairs alone");
    harness.get_by_label("The threshold is set by max-accuracy on the dev split's pairs only.");

    // Another rule runs on dev too.
    harness.get_by_label("EER").click();
    harness.run_steps(2);
    let eer_on_dev = {
        let mut store = Store::open(&project).unwrap();
        let snap = store.read(|tx| tx.snapshot(tx.choose_model(None)?.map(|m| m.id))).unwrap();
        let prepared = Prepared::new(&snap.snapshot).unwrap();
        prepared.split_operating_point(Split::Dev, ThresholdRule::Eer).unwrap().unwrap().threshold
    };
    assert_eq!(harness.state().state.selection.threshold, eer_on_dev);
    harness.get_by_label("The threshold is set by eer on the dev split's pairs only.");
    assert!(harness.query_all_by_label("95% interval").count() >= 1, "the split table has intervals");

    // Back to all pairs.
    harness.get_by_role_and_label(Role::ComboBox, "Rules on").click();
    harness.run_steps(2);
    harness.get_by_role_and_label(Role::Button, "all pairs").click();
    harness.run_steps(3);
    assert_eq!(harness.state().state.selection.threshold_split, None);
    assert!(harness.query_by_label_contains("split's pairs only").is_none());
}
