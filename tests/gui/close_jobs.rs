//! Closing a project cancels its jobs and waits for them, through egui_kittest on real project
//! files: an export closed mid-copy leaves no folder (nor half of one) and records nothing; a
//! scoring run closed before its results were written writes no scores. Until the jobs have
//! stopped the app is not idle.
//!
//! Each job is held at a known point by something real, so the close lands while it runs: the
//! export by a photo that is a named pipe (reading it waits until the test writes the photo's
//! bytes), the scoring by another connection holding the project's write lock.

#![cfg(unix)]

use crate::common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::gui::{H, at_labeler_picker, open, step_until, step_until_within, text_with, type_into};
use common::held_lock::{Held, WAITING};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use pairscope::store::Store;
use pairscope::ui::{PairscopeApp, Screen, State};

/// A copy of the sitcom photos (one folder per person) in `dir`, imported as a project: this
/// test may change its photos, never the shared ones.
pub(crate) fn own_sitcom_project(dir: &Path) -> PathBuf {
    let images = dir.join("photos");
    for person in std::fs::read_dir(common::datasets().join("sitcom")).unwrap() {
        let person = person.unwrap().path();
        let to = images.join(person.file_name().unwrap());
        std::fs::create_dir_all(&to).unwrap();
        for photo in std::fs::read_dir(&person).unwrap() {
            let photo = photo.unwrap().path();
            std::fs::copy(&photo, to.join(photo.file_name().unwrap())).unwrap();
        }
    }
    let project = dir.join("sitcom.pairscope");
    common::ok(["import-folders", project.to_str().unwrap(), "--images", images.to_str().unwrap(), "--seed", "1"]);
    project
}

/// Replaces the photo an export copies first with a named pipe; returns its path and bytes.
fn first_photo_as_a_pipe(project: &Path) -> (PathBuf, Vec<u8>) {
    let mut store = Store::open(project).unwrap();
    let pairs = store.read(|tx| tx.pairs()).unwrap();
    let images = store.read(|tx| tx.all_images()).unwrap();
    // The export copies its photos in the order of their ids.
    let first = pairs.iter().flat_map(|p| [p.image_a, p.image_b]).min().expect("the project has pairs");
    let path = images[&first].full_path();
    let bytes = std::fs::read(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    let made = std::process::Command::new("mkfifo").arg(&path).status().expect("running mkfifo");
    assert!(made.success(), "mkfifo {}", path.display());
    (path, bytes)
}

pub(crate) fn curate<'a>(project: &Path) -> H<'a> {
    let project = project.to_owned();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_eframe(move |cc| PairscopeApp::with_state(cc.egui_ctx.clone(), State::default(), Some(project.clone())));
    step_until(&mut harness, "the project to load", |h| h.query_by_label("Curate").is_some());
    open(&mut harness, "Curate");
    assert_eq!(harness.state().screen(), Screen::Curate);
    harness
}

fn close_project(harness: &mut H<'_>) {
    common::gui::menu_item(harness, "Project", "Close project");
    harness.run_steps(2);
    assert!(harness.query_by_label("Close project").is_none(), "the project is closed");
}

#[test]
fn closing_the_project_during_an_export_cancels_it_and_waits_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let project = own_sitcom_project(dir.path());
    let (pipe, bytes) = first_photo_as_a_pipe(&project);
    let target = dir.path().join("export");
    let mut harness = curate(&project);

    type_into(&mut harness, "Folder", &target.display().to_string());
    harness.get_by_role_and_label(Role::Button, "Export").click();
    harness.run_steps(2);
    // The export has started copying and waits on the first photo.
    step_until(&mut harness, "the export's progress", |h| text_with(h, "images copied to").is_some());
    let progress = text_with(&harness, "images copied to").unwrap();
    assert!(progress.starts_with("0/"), "{progress}");

    close_project(&mut harness);
    assert!(!harness.state().is_idle(), "the app waits for the export it cancelled");
    // The photo arrives: the export copies it, sees the cancel before the next one and stops.
    std::fs::write(&pipe, &bytes).unwrap();
    step_until(&mut harness, "the cancelled export to stop", |h| h.state().is_idle());

    assert!(!target.exists(), "no export folder");
    let partial: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("partial"))
        .collect();
    assert!(partial.is_empty(), "what the export had written is removed: {partial:?}");
    let exports = Store::open(&project).unwrap().read(|tx| tx.exports()).unwrap();
    assert!(exports.is_empty(), "no export is recorded in the project");
    // Nothing of the closed project's export shows in the app.
    assert!(text_with(&harness, "Exported ").is_none() && text_with(&harness, "Not exported").is_none());
}

#[test]
fn closing_the_project_during_scoring_cancels_it_and_waits_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    let mut harness = at_labeler_picker(&project);
    open(&mut harness, "Model");

    // The scoring run loads the model, then waits for the lock to write its first result.
    let held = Held::take(&project);
    harness.get_by_label("Score project").click();
    step_until(&mut harness, "the scoring run to wait for the file", |h| text_with(h, WAITING).is_some());
    close_project(&mut harness);
    assert!(!harness.state().is_idle(), "the app waits for the scoring run it cancelled");
    held.release();
    step_until_within(&mut harness, "the cancelled scoring run to stop", Duration::from_secs(120), |h| {
        h.state().is_idle()
    });

    let models = Store::open(&project).unwrap().read(|tx| tx.models()).unwrap();
    let scores: u64 = models.iter().map(|m| m.scores).sum();
    assert_eq!(scores, 0, "no pair was scored after the close: {models:?}");
    assert_eq!(harness.state().scoring_outcome(), None, "nothing is reported for a closed project");
}
