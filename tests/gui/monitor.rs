//! The Monitor window driven through egui_kittest, on the demo project and real LFW photos:
//! darkened photos drift (the verdict, each measure's row and the `dark` slice are the
//! library's), Cancel stops the face pass, each refusal names what is wrong, and a labeler at
//! work does not get the window.

use crate::common;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::gui::{H, menu_item, step_until, step_until_within, text_with};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use pairscope::face::FaceEngine;
use pairscope::monitor::{self, MonitorReport};
use pairscope::store::Store;
use pairscope::ui::{FileDialogs, PairscopeApp, PathRequest, State};

/// Answers every folder dialog with one folder.
struct Pick(Mutex<Option<PathBuf>>);

impl FileDialogs for Pick {
    fn ask(&self, _: &PathRequest) -> Option<PathBuf> {
        self.0.lock().unwrap().clone()
    }
}

fn lfw() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets/lfw/images")
}

/// The first `n` LFW photos in name order, each with every channel times `factor`, as PNGs in `dir`.
fn darkened_lfw(dir: &Path, n: usize, factor: f32) {
    let mut people: Vec<PathBuf> = std::fs::read_dir(lfw()).unwrap().map(|e| e.unwrap().path()).collect();
    people.sort();
    let mut photos: Vec<PathBuf> = Vec::new();
    for person in people.into_iter().take(n) {
        let mut files: Vec<PathBuf> = std::fs::read_dir(person).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        photos.push(files.remove(0));
    }
    std::fs::create_dir_all(dir).unwrap();
    for photo in photos {
        let mut rgb = image::open(&photo).unwrap().to_rgb8();
        rgb.pixels_mut().for_each(|p| p.0 = p.0.map(|c| (f32::from(c) * factor).round() as u8));
        rgb.save(dir.join(photo.file_stem().unwrap()).with_extension("png")).unwrap();
    }
}

/// The app on `project` (no labeler yet: the analysis screens are open to it), the Monitor
/// window open, dialogs answered with `folder`.
fn monitor_window<'a>(project: &Path, folder: Option<PathBuf>) -> H<'a> {
    let project = project.to_owned();
    let pick: Arc<dyn FileDialogs> = Arc::new(Pick(Mutex::new(folder)));
    let mut harness =
        Harness::builder().with_size(egui::vec2(1024.0, 700.0)).with_theme(egui::Theme::Dark).build_eframe(move |cc| {
            PairscopeApp::with_state(cc.egui_ctx.clone(), State::default(), Some(project.clone()))
                .with_file_dialogs(pick.clone())
        });
    step_until(&mut harness, "the project to load", |h| h.query_by_label("Start labeling").is_some());
    menu_item(&mut harness, "Project", "Monitor…");
    step_until(&mut harness, "the Monitor window", |h| h.query_by_label("Folder of new photos").is_some());
    harness
}

fn click(harness: &mut H<'_>, label: &str) {
    harness.get_by_role_and_label(Role::Button, label).click();
    harness.step();
}

/// Replaces the folder field's text, as select-all and typing would.
fn type_folder(harness: &mut H<'_>, text: &str) {
    harness.get_by_label("Folder of new photos").focus();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.step();
    harness.get_by_label("Folder of new photos").type_text(text);
    harness.step();
}

/// Runs (once the folder is taken in) and waits until the run has ended.
fn run_and_wait(harness: &mut H<'_>) {
    step_until(harness, "Run to be enabled", |h| {
        !h.get_by_role_and_label(Role::Button, "Run").accesskit_node().is_disabled()
    });
    harness.run_steps(2);
    click(harness, "Run");
    assert!(!harness.state().is_idle(), "the run started");
    step_until_within(harness, "the run to end", Duration::from_secs(240), |h| h.state().is_idle());
    harness.run_steps(2);
}

/// What `pairscope monitor P --images DIR` computes, through the library.
fn library_report(project: &Path, folder: &Path) -> MonitorReport {
    let mut store = Store::open(project).unwrap();
    let engine = FaceEngine::builtin().unwrap();
    let request = monitor::MonitorRequest { folder, baseline: None, max_pairs: monitor::DEFAULT_MAX_PAIRS as usize };
    monitor::run(&mut store, &engine, &request, &AtomicBool::new(false), |_| {}, |_| Ok(())).unwrap()
}

#[test]
fn darkened_photos_drift_and_the_window_says_what_the_library_computes() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::gui::project(dir.path());
    let folder = dir.path().join("dark");
    darkened_lfw(&folder, 12, 0.35);
    let mut harness = monitor_window(&project, Some(folder.clone()));
    harness.get_by_label("Browse…").click();
    step_until(&mut harness, "the dialog's answer", |h| h.state().is_idle());
    harness.run_steps(2);
    run_and_wait(&mut harness);

    let expected = library_report(&project, &folder);
    assert!(expected.drifted_darker(), "darkened photos are darker: {expected:?}");
    let verdict = text_with(&harness, "Verdict: ").expect("the overall verdict");
    assert_eq!(verdict, format!("Verdict: {}", monitor::verdict(&expected)));
    assert!(text_with(&harness, "12 new photos against the project's photos").is_some());
    // One row per measure: its name, KS D, p-value with its method, PSI, both n and both medians.
    // (The demo's photos were cached before the detector's score was kept: no confidence there.)
    let compared = expected.measures.iter().filter(|m| m.test.is_some()).count();
    assert!(compared >= 3, "{expected:?}");
    assert_eq!(harness.query_all_by_label("KS D").count(), compared);
    for m in &expected.measures {
        assert!(harness.query_by_label(&m.measure.replace('_', " ")).is_some(), "a row for {}", m.measure);
        let Some(t) = m.test else {
            assert!(text_with(&harness, "Not compared: the baseline has no values").is_some(), "{}", m.measure);
            continue;
        };
        let shown = |h: &H<'_>, text: &str| h.query_all_by_label(text).next().is_some();
        assert!(shown(&harness, &format!("{:.4}", t.ks.statistic)), "KS D of {}", m.measure);
        let p = format!("{} ({})", monitor::number(t.ks.p_value), t.ks.method.name());
        assert!(shown(&harness, &p), "p-value of {}: {p}", m.measure);
        assert!(shown(&harness, &format!("{:.4}", t.psi)), "PSI of {}", m.measure);
        assert!(shown(&harness, &format!("{} / {}", t.n_new, t.n_baseline)), "n of {}", m.measure);
    }
    let skipped = expected.scores.skipped.as_deref().expect("a flat folder: no identities to pair");
    assert!(text_with(&harness, &format!("Model scores not compared: {skipped}")).is_some(), "{skipped}");
    let drifted = expected.measures.iter().filter(|m| m.test.is_some_and(|t| t.drifted)).count();
    assert!(drifted >= 1);
    assert_eq!(harness.query_all_by_label("drifted").count(), drifted);
    assert_eq!(harness.query_all_by_label("stable").count(), compared - drifted);
    // The face pass's rates with counts and intervals, and the dark slice as the CLI words it.
    let no_face = text_with(&harness, "no-face rate: new ").expect("the no-face rate");
    assert!(no_face.contains(&monitor::share(expected.rates[0].new)), "{no_face}");
    let dark = text_with(&harness, "`dark` slice").expect("the dark slice's sentence");
    let slice = expected.dark_slice.as_ref().expect("the demo has a scored `dark` slice");
    assert!(
        dark.contains(&format!(
            "errs on {:.1} % of {} pairs ({}/{},",
            100.0 * slice.error_rate,
            slice.pairs,
            slice.errors,
            slice.pairs
        )),
        "{dark}"
    );
}

#[test]
fn cancel_stops_the_face_pass_and_each_refusal_names_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::gui::project(dir.path());
    // All of LFW (7,437 photos): long enough to cancel.
    let mut harness = monitor_window(&project, None);
    type_folder(&mut harness, lfw().to_str().unwrap());
    harness.run_steps(2);
    click(&mut harness, "Run");
    step_until_within(&mut harness, "the face pass", Duration::from_secs(120), |h| {
        h.query_by_label_contains("Photos measured: ").is_some()
    });
    click(&mut harness, "Cancel");
    step_until(&mut harness, "the cancel", |h| h.query_by_label("Cancelled: nothing was compared.").is_some());
    assert!(harness.state().is_idle() && harness.query_by_label_contains("Verdict").is_none());

    // A folder that does not exist, then one without photos: each named.
    let missing = dir.path().join("no such folder");
    type_folder(&mut harness, missing.to_str().unwrap());
    run_and_wait(&mut harness);
    let said = text_with(&harness, "does not exist").expect("the missing folder named");
    assert!(said.contains("no such folder"), "{said}");
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    type_folder(&mut harness, empty.to_str().unwrap());
    run_and_wait(&mut harness);
    let said = text_with(&harness, "holds no image files").expect("the empty folder named");
    assert!(said.contains("empty"), "{said}");
}

#[test]
fn a_project_never_through_the_face_pass_has_no_baseline_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("pairs.csv");
    std::fs::write(&csv, "image_a,image_b,truth\nimg20.jpg,img21.jpg,same\n").unwrap();
    let project = dir.path().join("mine.pairscope");
    let mut store = Store::create(&project).unwrap();
    let images = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets/celebrity-pairs");
    pairscope::import::import_pairs(&mut store, &csv, &images, false).unwrap();
    drop(store);
    let folder = dir.path().join("new");
    darkened_lfw(&folder, 2, 1.0);
    let mut harness = monitor_window(&project, Some(folder));
    harness.get_by_label("Browse…").click();
    step_until(&mut harness, "the dialog's answer", |h| h.state().is_idle());
    run_and_wait(&mut harness);
    let all: Vec<String> =
        harness.query_all(egui_kittest::kittest::by()).filter_map(|n| common::gui::text_of(&n)).collect();
    let said = text_with(&harness, "Baseline: none of").unwrap_or_else(|| panic!("the baseline's refusal: {all:?}"));
    assert!(said.contains("the project's photos (2 photos)") && said.contains("Score the project"), "{said}");
}

#[test]
fn a_labeler_at_work_does_not_get_the_monitor() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::gui::project(dir.path());
    let mut harness = common::gui::at_labeler_picker(&project);
    common::gui::start_labeling(&mut harness, "lena");
    harness.get_by_label("Project").click();
    step_until(&mut harness, "the menu", |h| h.query_by_label("Monitor…").is_some());
    assert!(harness.get_by_label("Monitor…").accesskit_node().is_disabled());
    drop(harness);
    // An engineer does.
    let mut harness = common::gui::at_labeler_picker(&project);
    common::gui::start_labeling_as(&mut harness, "erin", "Engineer");
    harness.get_by_label("Project").click();
    step_until(&mut harness, "the menu", |h| h.query_by_label("Monitor…").is_some());
    assert!(!harness.get_by_label("Monitor…").accesskit_node().is_disabled());
}
