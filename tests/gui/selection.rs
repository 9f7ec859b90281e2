//! One analysis selection (model, threshold, rule) read by every screen: in a project with two
//! models whose scores disagree, Review's "Model errors" queue and the error-analysis tables
//! count the errors of the same model at the same threshold, whichever model is chosen. Real
//! demo project (real SQLite file, real photos, the built-in model's scores).

use crate::common;

use std::collections::HashSet;
use std::path::Path;

use common::gui::{
    H, at_labeler_picker, open, project, settle_analysis, start_labeling_as, step_until, text_of, type_into,
};
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use pairscope::analysis::{Prepared, ThresholdRule};
use pairscope::store::{ModelKind, PairId, Store};
use pairscope::ui::Computations;

/// A model named to sort before the built-in one, so that "the first model by name" is not
/// the analysis' default.
const OTHER: &str = "aaa-outside";

/// The pairs `model` gets wrong at `threshold`, computed here from the project file.
fn errors_of(project: &Path, model: &str, threshold: f64) -> HashSet<PairId> {
    let mut store = Store::open(project).unwrap();
    let snap = store
        .read(|tx| {
            let model = tx.choose_model(Some(model))?;
            tx.snapshot(model.map(|m| m.id))
        })
        .unwrap();
    let prepared = Prepared::new(&snap.snapshot).unwrap();
    prepared.error_pairs(threshold).into_iter().map(|i| snap.pair_ids[i as usize]).collect()
}

/// The count in "At this threshold the model makes N errors on …".
fn errors_in_summary(harness: &H<'_>) -> usize {
    let text = text_of(&harness.get_by_label_contains("At this threshold the model makes")).unwrap_or_default();
    let n = text.trim_start_matches("At this threshold the model makes ").split(" errors").next().unwrap_or("");
    n.replace(' ', "").parse().unwrap_or_else(|_| panic!("a count in {text:?}"))
}

/// Opens Review's "Model errors" queue and returns its pairs.
fn model_errors_queue(harness: &mut H<'_>) -> HashSet<PairId> {
    harness.get_by_label("Review").click();
    harness.run_steps(2);
    step_until(harness, "the queues", |h| h.query_by_label_contains("Model errors (").is_some());
    harness.get_by_label_contains("Model errors (").click();
    harness.run_steps(2);
    let pairs: HashSet<PairId> = harness.state().queue_pairs().into_iter().collect();
    harness.get_by_label(&format!("Model errors ({})", pairs.len()));
    pairs
}

#[test]
fn model_errors_and_the_tables_count_the_errors_of_the_same_model() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let builtin = {
        let mut store = Store::open(&project).unwrap();
        let builtin = store.read(|tx| tx.choose_model(None)).unwrap().expect("the demo is scored");
        assert_eq!(builtin.kind, ModelKind::Embedded);
        assert!(OTHER < builtin.name.as_str(), "the other model sorts first");
        // Scores that disagree with the built-in model's: its order reversed.
        let snap = store.read(|tx| tx.snapshot(Some(builtin.id))).unwrap();
        store
            .write(|tx| {
                let (other, _) = tx.model_or_create(OTHER, ModelKind::Imported, None)?;
                for (i, &pair) in snap.pair_ids.iter().enumerate() {
                    let score = snap.snapshot.score[i];
                    if score.is_finite() {
                        tx.set_score(pair, other, 1.0 - score)?;
                    }
                }
                Ok::<_, pairscope::store::StoreError>(())
            })
            .unwrap();
        builtin
    };

    let mut harness = at_labeler_picker(&project);
    start_labeling_as(&mut harness, "erin", "Engineer");
    open(&mut harness, "Error analysis");
    harness.get_by_label(&format!("Model: {}", builtin.name));
    let threshold = harness.state().state.selection.threshold;
    let expected = errors_of(&project, &builtin.name, threshold);
    assert_ne!(expected, errors_of(&project, OTHER, threshold), "the two models disagree at this threshold");
    assert_eq!(errors_in_summary(&harness), expected.len(), "the tables count the built-in model's errors");
    assert_eq!(model_errors_queue(&mut harness), expected, "Model errors lists the same pairs");

    // Choose the other model: both follow it.
    open(&mut harness, "Model");
    harness.get_by_label("Scores of").click();
    harness.run_steps(3);
    harness.get_by_label_contains(&format!("{OTHER} (")).click();
    harness.run_steps(2);
    settle_analysis(&mut harness);
    harness.get_by_label(&format!("Model: {OTHER}"));
    open(&mut harness, "Error analysis");
    let threshold = harness.state().state.selection.threshold;
    let expected = errors_of(&project, OTHER, threshold);
    assert_ne!(expected, errors_of(&project, &builtin.name, threshold));
    assert_eq!(errors_in_summary(&harness), expected.len(), "the tables count the other model's errors");
    assert_eq!(model_errors_queue(&mut harness), expected, "Model errors follows the model chosen");

    // The export's "model errors only" exports those same pairs, with no model picked for it.
    let folder = dir.path().join("errors");
    open(&mut harness, "Curate");
    harness.get_by_label("model errors only").click();
    harness.step();
    type_into(&mut harness, "Folder", folder.to_str().unwrap());
    harness.get_by_role_and_label(Role::Button, "Export").click();
    harness.step();
    step_until(&mut harness, "the export", |h| h.query_by_label_contains("Exported ").is_some());
    let exported = std::fs::read_to_string(folder.join("pairs.csv")).unwrap();
    let names: HashSet<String> =
        exported.lines().skip(1).map(|line| line.split(',').next().unwrap_or_default().to_owned()).collect();
    let pairs = Store::open(&project).unwrap().read(|tx| tx.pairs()).unwrap();
    let name = |id: PairId| pairs.iter().find(|p| p.id == id).and_then(|p| p.external_id.clone()).unwrap();
    assert_eq!(names, expected.iter().map(|&id| name(id)).collect(), "the export holds the analysis' errors");
}

#[test]
fn the_analysis_computes_once_per_change_not_once_per_frame() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let mut harness = at_labeler_picker(&project);
    start_labeling_as(&mut harness, "erin", "Engineer");
    open(&mut harness, "Error analysis");
    let computations = |h: &H<'_>| h.state().analysis_computations();
    let first = computations(&harness);
    assert!(first.tables >= 1 && first.suggestions >= 1, "drawn once: {first:?}");

    harness.run_steps(10);
    assert_eq!(computations(&harness), first, "frames without a change compute nothing");

    // A new threshold: the tables once; the suggestions do not depend on it.
    let threshold = harness.state().state.selection.threshold;
    harness.key_press(egui::Key::ArrowLeft);
    harness.run_steps(5);
    assert_ne!(harness.state().state.selection.threshold, threshold, "the arrow moved the threshold");
    let nudged = computations(&harness);
    assert_eq!(nudged, Computations { tables: first.tables + 1, ..first });

    // A tab switch computes again only what new data makes stale: nothing while the data is
    // kept (its generation unchanged); while it is reloaded (each switch reads it again until
    // label changes update it in place), the tables at most once per generation that arrived.
    let generations = |h: &H<'_>| h.state().analysis_data_generation().expect("the analysis is ready");
    let before = generations(&harness);
    open(&mut harness, "Model");
    let on_model = generations(&harness);
    open(&mut harness, "Error analysis");
    let after = generations(&harness);
    harness.run_steps(5);
    let switched = computations(&harness);
    if after == before {
        assert_eq!(switched, nudged, "a tab switch over unchanged data computes nothing");
    } else {
        let arrived = u64::from(on_model != before) + u64::from(after != on_model);
        let grew = switched.tables - nudged.tables;
        assert!((1..=arrived).contains(&grew), "{grew} computations for generations {before} → {on_model} → {after}");
    }
    harness.run_steps(10);
    assert_eq!(computations(&harness), switched, "and nothing more once it is drawn");

    // The error browser sorts a slice's errors once, not every frame.
    harness.get_by_label("FPR ≤ 1e-4").click();
    harness.run_steps(3);
    let threshold = harness.state().state.selection.threshold;
    let mut store = Store::open(&project).unwrap();
    let snap = store.read(|tx| tx.snapshot(tx.choose_model(None)?.map(|m| m.id))).unwrap();
    let table = Prepared::new(&snap.snapshot).unwrap().tag_table(threshold);
    let tag = table.into_iter().max_by_key(|r| r.errors).expect("tagged pairs").name;
    // The first label of that name is the tag table's row.
    harness.query_all_by_label(&tag).next().expect("the tag's row").click();
    harness.run_steps(3);
    assert!(harness.state().error_browser_pairs().is_some(), "the error browser is open");
    let browsing = computations(&harness);
    assert_eq!(browsing.error_lists, switched.error_lists + 1);
    harness.run_steps(10);
    assert_eq!(computations(&harness), browsing, "the open browser computes nothing more");
}

#[test]
fn reviews_threshold_field_sets_the_analysis_threshold_and_ends_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let mut harness = at_labeler_picker(&project);
    start_labeling_as(&mut harness, "erin", "Engineer");
    open(&mut harness, "Error analysis");
    harness.get_by_label("EER").click();
    harness.run_steps(2);
    let eer = harness.state().state.selection.threshold;
    assert_eq!(harness.state().state.selection.rule, Some(ThresholdRule::Eer));

    // Review's field beside "Model errors" is the same threshold, set by hand.
    harness.get_by_label("Review").click();
    harness.run_steps(2);
    step_until(&mut harness, "the queues", |h| h.query_by_label_contains("Model errors (").is_some());
    let wanted = if eer > 0.3 { eer - 0.1 } else { eer + 0.1 };
    harness.get_by_role_and_label(Role::SpinButton, "Threshold").set_value_accesskit(wanted);
    harness.run_steps(2);
    let selection = &harness.state().state.selection;
    assert!((selection.threshold - wanted).abs() < 1e-9, "{} set, {wanted} wanted", selection.threshold);
    assert_eq!(selection.rule, None, "a threshold set by hand ends the rule");

    // Back on the analysis (read again on the way), the rule does not take it back.
    open(&mut harness, "Error analysis");
    let threshold = harness.state().state.selection.threshold;
    assert!((threshold - wanted).abs() < 1e-9, "the analysis kept {wanted}, shows {threshold}");
    let errors = errors_of(
        &project,
        &Store::open(&project).unwrap().read(|tx| tx.choose_model(None)).unwrap().unwrap().name,
        threshold,
    );
    assert_eq!(errors_in_summary(&harness), errors.len());
}
