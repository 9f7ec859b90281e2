//! The Augment panel on the Curate screen, through egui_kittest on real project files: opened
//! from the dark row of Error analysis it proposes the dark recipe on train's dark pairs and
//! previews copy 1 of the first photos; its run writes a folder whose manifest verifies and
//! re-applies; "Add the derived pairs to the project" grows the project; a bad recipe says
//! which part is wrong and cannot run; Cancel leaves no folder and records nothing.

use crate::common;

use std::path::Path;

use common::gui::{
    H, at_labeler_picker, open, project, settle_analysis, start_labeling_as, step_until, step_until_within, text_with,
    type_into,
};
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use pairscope::curate::{self, Recipe};
use pairscope::store::Store;
use pairscope::ui::Screen;

const RUN: &str = "Run augment";

/// The demo project, as an engineer, on Curate with the Augment panel opened from Error
/// analysis' dark row (its name's context menu).
fn augment_from_dark_row<'a>(project: &Path) -> H<'a> {
    let mut harness = at_labeler_picker(project);
    start_labeling_as(&mut harness, "erin", "Engineer");
    open(&mut harness, "Error analysis");
    let dark = harness
        .query_all_by_label("dark")
        .find(|n| n.accesskit_node().role() == Role::Link)
        .expect("the tag table has a dark row");
    dark.click_secondary();
    harness.run_steps(2);
    harness.get_by_role_and_label(Role::Button, "Augment…").click();
    harness.run_steps(2);
    settle_analysis(&mut harness);
    assert_eq!(harness.state().screen(), Screen::Curate);
    harness
}

fn recipe_field(harness: &H<'_>) -> String {
    let field = harness.get_by_role_and_label(Role::TextInput, "Recipe");
    field.accesskit_node().value().unwrap_or_default()
}

fn run_disabled(harness: &H<'_>) -> bool {
    harness.get_by_role_and_label(Role::Button, RUN).accesskit_node().is_disabled()
}

fn pairs_in(project: &Path) -> usize {
    Store::open(project).unwrap().read(|tx| tx.pairs()).unwrap().len()
}

#[test]
fn the_dark_row_opens_the_proposed_recipe_with_a_preview_and_the_run_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let mut harness = augment_from_dark_row(&project);
    assert_eq!(recipe_field(&harness), Recipe::proposed_for_tag("dark").unwrap());

    // The count and the preview come once the form rests, before anything is written.
    step_until(&mut harness, "the preview", |h| text_with(h, "The selection holds").is_some());
    let said = text_with(&harness, "The selection holds").unwrap();
    let mut store = Store::open(&project).unwrap();
    let selection = curate::Selection {
        split: Some(pairscope::domain::Split::Train),
        require_tags: vec!["dark".into()],
        ..Default::default()
    };
    let recipe = Recipe::parse(Recipe::proposed_for_tag("dark").unwrap()).unwrap();
    let expected = curate::augment_preview(&mut store, &selection, None, None, &recipe, 1, 4).unwrap();
    drop(store);
    assert!(said.contains(&format!("{} pairs ({} images)", expected.source_pairs, expected.source_images)), "{said}");
    assert!(said.contains(&format!("makes {} derived pairs", expected.source_pairs * 2)), "{said}");
    let first = pairscope::curate::augment_preview::describe_changes(&expected.images[0].applied);
    assert!(text_with(&harness, &format!("copy 1: {first}")).is_some(), "the caption of the first image: {first}");
    assert!(first.starts_with("darken ×"), "{first}");
    assert!(run_disabled(&harness), "no folder yet");

    let folder = dir.path().join("augmented");
    type_into(&mut harness, "Into folder", &folder.display().to_string());
    assert!(!run_disabled(&harness));
    harness.get_by_role_and_label(Role::Button, RUN).click();
    harness.step();
    step_until(&mut harness, "the run", |h| text_with(h, "Augmented ").is_some() && h.state().is_idle());
    let said = text_with(&harness, "Augmented ").unwrap();
    assert!(said.contains(&format!("{} derived pairs", expected.source_pairs * 2)), "{said}");
    assert_eq!(curate::verify_export(&folder).unwrap(), Vec::<String>::new(), "every file matches the manifest");
    let (problems, remade) = curate::augment_derive::reapply_manifest(&folder).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(remade, expected.source_images * 2);
    let manifest = std::fs::read(folder.join("manifest.json")).unwrap();
    let sha: String = {
        use sha2::Digest;
        sha2::Sha256::digest(&manifest).iter().map(|b| format!("{b:02x}")).collect()
    };
    assert!(text_with(&harness, &format!("sha256 {sha}")).is_some(), "the manifest's sha256 is shown");
}

#[test]
fn adding_the_derived_pairs_grows_the_project() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let before = pairs_in(&project);
    let mut harness = augment_from_dark_row(&project);
    type_into(&mut harness, "Into folder", &dir.path().join("more").display().to_string());
    harness.get_by_label("Add the derived pairs to the project").click();
    harness.step();
    let loads = harness.state().analysis_loads();
    harness.get_by_role_and_label(Role::Button, RUN).click();
    harness.step();
    step_until(&mut harness, "the run", |h| text_with(h, "Augmented ").is_some() && h.state().is_idle());
    let said = text_with(&harness, "(source augment)").expect("the added counts");
    let after = pairs_in(&project);
    assert!(after > before, "{before} → {after}");
    assert!(said.contains(&format!("added {} pairs", after - before)), "{said}");
    // The open project is read again, so the analysis follows.
    step_until(&mut harness, "the reload", |h| h.state().is_idle() && h.state().analysis_loads() > loads);
}

#[test]
fn a_bad_recipe_says_which_part_and_cannot_run() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let mut harness = augment_from_dark_row(&project);
    type_into(&mut harness, "Into folder", &dir.path().join("never").display().to_string());
    assert!(!run_disabled(&harness));
    type_into(&mut harness, "Recipe", ", blur=99");
    harness.run_steps(2);
    let error = Recipe::parse(&recipe_field(&harness)).unwrap_err();
    assert!(error.contains("recipe part 3"), "{error}");
    assert!(text_with(&harness, &error).is_some(), "the parse error is shown: {error}");
    assert!(run_disabled(&harness));
}

#[cfg(unix)]
#[test]
fn cancel_leaves_no_folder_and_records_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let project = crate::close_jobs::own_sitcom_project(dir.path());
    // The run reads its photos in id order: the last of them is a named pipe, so the run waits
    // there (after writing the others) until the test writes the photo's bytes. The preview
    // shows the first pairs' photos, never this one.
    let mut store = Store::open(&project).unwrap();
    let pairs = store.read(|tx| tx.pairs()).unwrap();
    let images = store.read(|tx| tx.all_images()).unwrap();
    drop(store);
    let mut shown = Vec::new();
    for id in pairs.iter().flat_map(|p| [p.image_a, p.image_b]) {
        if shown.len() < 4 && !shown.contains(&id) {
            shown.push(id);
        }
    }
    let last = pairs.iter().flat_map(|p| [p.image_a, p.image_b]).max().unwrap();
    assert!(!shown.contains(&last), "the preview does not read the pipe");
    let pipe = images[&last].full_path();
    let bytes = std::fs::read(&pipe).unwrap();
    std::fs::remove_file(&pipe).unwrap();
    assert!(std::process::Command::new("mkfifo").arg(&pipe).status().unwrap().success());

    let mut harness = crate::close_jobs::curate(&project);
    // Declared after the harness, so dropped before it: the photo is written even when the
    // test fails, and the job (which the harness waits for) is never left on the pipe.
    let (release, released) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        let _ = released.recv();
        let _ = std::fs::write(&pipe, &bytes);
    });
    harness.get_by_label("Augment").click();
    harness.run_steps(2);
    type_into(&mut harness, "Recipe", "flip");
    let folder = dir.path().join("cancelled");
    type_into(&mut harness, "Into folder", &folder.display().to_string());
    harness.get_by_role_and_label(Role::Button, RUN).click();
    harness.step();
    step_until_within(&mut harness, "the run to reach the pipe", std::time::Duration::from_secs(300), |h| {
        text_with(h, "derived images written").is_some_and(|t| !t.starts_with("0/"))
    });
    harness.get_by_role_and_label(Role::Button, "Cancel").click();
    harness.step();
    release.send(()).unwrap();
    step_until(&mut harness, "the cancelled run to stop", |h| text_with(h, "Not augmented").is_some());
    assert!(text_with(&harness, "Not augmented").unwrap().contains("cancelled"));
    assert!(!folder.exists(), "no folder");
    let partial = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().contains("partial"))
        .count();
    assert_eq!(partial, 0, "the staging folder is removed");
    assert!(Store::open(&project).unwrap().read(|tx| tx.exports()).unwrap().is_empty(), "nothing recorded");
}
