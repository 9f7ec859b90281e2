//! The demo project: its committed recipe is what the code writes, and `pairscope demo
//! --no-gui` builds a project with every screen's content (scores, labels, splits).

use crate::common;

use common::{info, ok};
use pairscope::demo::{self, Recipe};
use pairscope::face::FaceEngine;

#[test]
fn the_committed_recipe_is_what_the_project_writes() {
    let engine = FaceEngine::builtin().unwrap();
    let fresh = demo::recipe::generate(&engine, demo::photos(), demo::recipe::DEFAULT_SEED).unwrap();
    assert_eq!(
        fresh.to_json(),
        include_str!("../../sample-data/demo-recipe.json"),
        "regenerate it with `cargo run -- demo --write-recipe sample-data/demo-recipe.json`"
    );
    assert_eq!(Recipe::embedded(), fresh);
}

#[test]
fn recipe_truth_is_by_construction_and_labels_are_human_like() {
    let recipe = Recipe::embedded();
    let faces: usize = recipe.photos.iter().map(|p| p.faces.len()).sum();
    assert!((18..=26).contains(&faces), "about 23 faces in the six photos, found {faces}");
    for pair in &recipe.pairs {
        let photo_face = |name: &str| {
            let image = recipe.images.iter().find(|i| i.name == name).expect("pair images exist");
            (image.photo, image.face)
        };
        let (a, b) = (photo_face(&pair.image_a), photo_face(&pair.image_b));
        assert_eq!(a.0, b.0, "pairs stay inside one photo");
        assert_eq!(pair.truth == "same", a.1 == b.1, "{}: same ⇔ the same face", pair.id);
    }
    // Simulated labelers err more on dark and borderline pairs than on the rest.
    let error_rate = |hard: bool| {
        let (mut wrong, mut all) = (0.0, 0.0);
        for label in &recipe.labels {
            let pair = recipe.pairs.iter().find(|p| p.id == label.pair).unwrap();
            let is_hard = pair.applied_tags.iter().any(|t| t == "dark" || t == "borderline");
            if is_hard == hard {
                all += 1.0;
                wrong += f64::from(u8::from(label.verdict != pair.truth));
            }
        }
        wrong / all
    };
    assert!(error_rate(true) > error_rate(false), "{} vs {}", error_rate(true), error_rate(false));
    let labelers: std::collections::BTreeSet<_> = recipe.labels.iter().map(|l| l.labeler.as_str()).collect();
    assert_eq!(labelers.len(), 3);
    assert!(labelers.iter().all(|l| l.starts_with("sim-")), "named as simulated: {labelers:?}");
}

#[test]
fn demo_no_gui_builds_a_scored_labeled_split_project() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("demo").join("demo.pairscope");
    let out = ok(["demo", project.to_str().unwrap(), "--no-gui"]);
    assert!(out.contains("created the demo project"), "{out}");
    let recipe = Recipe::embedded();
    let i = info(&project);
    assert_eq!(i["pairs"], recipe.pairs.len());
    assert_eq!(i["images"], recipe.images.len());
    let labelers = i["labelers"].as_array().unwrap();
    assert_eq!(labelers.len(), 3);
    assert!(labelers.iter().all(|l| l["simulated"] == true));
    let scores = i["models"][0]["scores"].as_u64().unwrap();
    assert!(scores as usize >= recipe.pairs.len() * 9 / 10, "most pairs scored: {scores}");
    assert_eq!(i["splits"].as_array().unwrap().len(), 4, "train, train-dev, dev and test: {}", i["splits"]);

    let again = ok(["demo", project.to_str().unwrap(), "--no-gui"]);
    assert!(again.contains("--replace recreates it"), "an existing demo is kept: {again}");
    let out = ok(["demo", project.to_str().unwrap(), "--no-gui", "--replace"]);
    assert!(out.contains("created the demo project"), "{out}");
    assert_eq!(info(&project)["label_events"], i["label_events"], "recreated, not added to");
}
