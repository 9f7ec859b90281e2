//! The Import window driven through egui_kittest, on real files: each kind of import through
//! the test dialogs (or a typed path), the preview, the problems with file and line and the
//! "skip bad rows" choice, Cancel, and "Score with the built-in model" after an import.

use crate::common;

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use common::gui::{H, menu_item, project, step_until, step_until_within, text_with, type_into};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use pairscope::store::Store;
use pairscope::ui::{FileDialogs, PairscopeApp, PathRequest, Screen, State};

/// Answers the file dialogs in the order they are asked, as a user picking each would; a
/// dialog asked for beyond them is cancelled.
#[derive(Default)]
struct Picks(Mutex<VecDeque<PathBuf>>);

impl FileDialogs for Picks {
    fn ask(&self, _: &PathRequest) -> Option<PathBuf> {
        self.0.lock().unwrap().pop_front()
    }
}

fn datasets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets")
}

/// The app on `project` (None: the welcome screen), answering dialogs with `picks`, with the
/// Import window open.
fn import_window<'a>(project: Option<&Path>, picks: Vec<PathBuf>) -> H<'a> {
    let project = project.map(Path::to_owned);
    let picks: Arc<dyn FileDialogs> = Arc::new(Picks(Mutex::new(picks.into())));
    let opened = project.is_some();
    let mut harness =
        Harness::builder().with_size(egui::vec2(1024.0, 700.0)).with_theme(egui::Theme::Dark).build_eframe(move |cc| {
            PairscopeApp::with_state(cc.egui_ctx.clone(), State::default(), project.clone())
                .with_file_dialogs(picks.clone())
        });
    if opened {
        step_until(&mut harness, "the project to load", |h| h.query_by_label("Start labeling").is_some());
        menu_item(&mut harness, "Project", "Import…");
    } else {
        step_until(&mut harness, "the welcome screen", |h| h.query_by_label("Import…").is_some());
        harness.get_by_label("Import…").click();
        harness.step();
    }
    step_until(&mut harness, "the Import window", |h| h.query_by_label("Kind:").is_some());
    harness
}

fn click(harness: &mut H<'_>, label: &str) {
    harness.get_by_role_and_label(Role::Button, label).click();
    harness.step();
}

/// Clicks the n-th "Browse…" (0: the file, 1: the images folder, last: the new project).
/// Waits for the dialog's answer (and the preview it starts).
fn browse(harness: &mut H<'_>, n: usize) {
    harness.get_all_by_label("Browse…").nth(n).expect("a Browse button").click();
    harness.step();
    step_until(harness, "the dialog's answer", |h| h.state().is_idle());
    // A window takes a frame to fit new content (the preview): click where things now are.
    harness.run_steps(2);
}

/// Clicks `button` and waits for the import to end; fails with the window's words if it ends
/// otherwise than with `ended`.
fn import_and_wait(harness: &mut H<'_>, button: &str, ended: &str) {
    // Click where the button is once the window has settled (a preview may still be coming).
    step_until(harness, "the preview", |h| h.state().is_idle());
    harness.run_steps(2);
    click(harness, button);
    step_until(harness, ended, |h| h.state().is_idle());
    harness.step();
    let all: Vec<String> =
        harness.query_all(egui_kittest::kittest::by()).filter_map(|n| common::gui::text_of(&n)).collect();
    assert!(harness.query_by_label_contains(ended).is_some(), "{all:?}");
}

/// Replaces the text of the field labelled `label`, as select-all and typing would.
fn replace_text(harness: &mut H<'_>, label: &str, text: &str) {
    let field = |h: &H<'_>| {
        let mut fields = h.query_all_by_label(label).filter(|n| n.accesskit_node().role() == Role::TextInput);
        fields.next().expect("the field").accesskit_node().id()
    };
    let id = field(harness);
    harness.get_by(|n| n.id() == id).focus();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.step();
    harness.get_by(|n| n.id() == id).type_text(text);
    harness.step();
    assert_eq!(harness.get_by(|n| n.id() == id).accesskit_node().value().as_deref(), Some(text));
}

/// A text field holds `value` (a field and its text are both nodes with it).
fn has_value(harness: &H<'_>, value: &str) -> bool {
    harness.query_all_by_value(value).next().is_some()
}

fn pair_count(project: &Path) -> usize {
    Store::open(project).unwrap().read(|tx| tx.pairs()).unwrap().len()
}

/// A pairs.txt of LFW's own lines (two folds, one pair of each truth per fold).
fn small_lfw(dir: &Path) -> PathBuf {
    let path = dir.join("pairs.txt");
    std::fs::write(&path, "2\t1\nAbel_Pacheco\t1\t4\nAbdel_Madi_Shabneh\t1\tDean_Barker\t1\nAkhmed_Zakayev\t1\t3\nAbdel_Madi_Shabneh\t1\tGiancarlo_Fisichella\t1\n")
        .unwrap();
    path
}

#[test]
fn lfw_from_the_welcome_screen_makes_a_project_and_offers_to_score_it() {
    let dir = tempfile::tempdir().unwrap();
    let pairs = small_lfw(dir.path());
    let images = datasets().join("lfw/images");
    let mut harness = import_window(None, vec![pairs.clone(), images.clone()]);
    assert!(
        harness.get_by_role_and_label(Role::Button, "Scores CSV / Parquet").accesskit_node().is_disabled(),
        "scores need a project with pairs"
    );
    browse(&mut harness, 0);
    step_until(&mut harness, "the picked file", |h| has_value(h, pairs.to_str().unwrap()));
    browse(&mut harness, 1);
    step_until(&mut harness, "the preview", |h| h.query_by_label_contains("Preview: 4 of 4 rows").is_some());
    assert!(harness.query_by_label("Abel_Pacheco/Abel_Pacheco_0001.jpg").is_some(), "the first pair's first photo");
    // The new project is proposed beside the input, named after its folder.
    let folder = dir.path().file_name().unwrap().to_str().unwrap();
    let created = dir.path().join(format!("{folder}.pairscope"));
    assert!(has_value(&harness, created.to_str().unwrap()));

    import_and_wait(&mut harness, "Import", "Imported into");
    assert_eq!(pair_count(&created), 4);
    let summary = text_with(&harness, "imported 4 pairs").expect("the CLI's summary");
    assert!(summary.contains("7 new images"), "{summary}");
    step_until(&mut harness, "the new project to open", |h| h.query_by_label("Start labeling").is_some());

    click(&mut harness, "Score with the built-in model");
    assert_eq!(harness.state().screen(), Screen::Model);
    step_until_within(&mut harness, "the scores", std::time::Duration::from_secs(240), |h| h.state().is_idle());
    let models = Store::open(&created).unwrap().read(|tx| tx.models()).unwrap();
    assert_eq!(models.iter().map(|m| m.scores).sum::<u64>(), 4, "every pair scored by the built-in model");
}

#[test]
fn a_pairs_csv_with_bad_rows_lists_them_and_imports_the_good_ones_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let before = pair_count(&project);
    let csv = dir.path().join("new pairs.csv");
    std::fs::write(&csv, "image_a,image_b,truth,camera\nimg20.jpg,img21.jpg,same,door\nimg16.jpg,img17.jpg,maybe,door\nimg99.jpg,img1.jpg,same,hall\n")
        .unwrap();
    let mut harness = import_window(Some(&project), vec![datasets().join("celebrity-pairs")]);
    click(&mut harness, "Pairs CSV / Parquet");
    // Typed, as where no file dialog is available.
    type_into(&mut harness, "File", csv.to_str().unwrap());
    browse(&mut harness, 1);
    step_until(&mut harness, "the preview", |h| h.query_by_label_contains("Preview: 3 of 3 rows").is_some());
    assert!(harness.query_by_label("kept as metadata").is_some(), "camera is not one of pairscope's columns");
    assert!(harness.query_by_label("maybe").is_some());

    import_and_wait(&mut harness, "Import", "bad rows; nothing was imported");
    assert_eq!(pair_count(&project), before, "a refused import writes nothing");
    assert!(text_with(&harness, "new pairs.csv:3: truth").is_some(), "the bad truth, with file and line");
    assert!(text_with(&harness, "new pairs.csv:4: image img99.jpg not found").is_some());

    import_and_wait(&mut harness, "Import the good rows, skip the 2 bad ones", "Imported into");
    assert_eq!(pair_count(&project), before + 1);
    assert!(text_with(&harness, "imported 1 pairs").unwrap().contains("2 skipped"));
    step_until(&mut harness, "the overview to count it", |h| h.query_by_label(&(before + 1).to_string()).is_some());
}

#[test]
fn identity_folders_bring_same_and_different_person_pairs() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = import_window(None, vec![datasets().join("sitcom"), dir.path().join("sitcom")]);
    click(&mut harness, "Identity folders");
    browse(&mut harness, 0);
    step_until(&mut harness, "the preview", |h| h.query_by_label_contains("8 identities, 40 photos").is_some());
    type_into(&mut harness, "Different-person pairs", "30");
    browse(&mut harness, 1); // the new project's file
    import_and_wait(&mut harness, "Import", "Imported into");
    let created = dir.path().join("sitcom.pairscope");
    let pairs = Store::open(&created).unwrap().read(|tx| tx.pairs()).unwrap();
    // 8 people × C(5,2) same-person pairs, and the 30 asked for.
    assert_eq!(pairs.len(), 8 * 10 + 30);
}

/// The demo project's first `n` pair ids.
fn demo_pair_ids(project: &Path, n: usize) -> Vec<String> {
    let pairs = Store::open(project).unwrap().read(|tx| tx.pairs()).unwrap();
    pairs.into_iter().filter_map(|p| p.external_id).take(n).collect()
}

#[test]
fn labels_scores_and_identities_go_into_the_open_project() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let ids = demo_pair_ids(&project, 3);
    let labels = dir.path().join("labels.csv");
    let rows: String = ids.iter().map(|id| format!("{id},zoe,same,dark;night\n")).collect();
    std::fs::write(&labels, format!("pair_id,labeler,verdict,tags\n{rows}")).unwrap();
    let scores = dir.path().join("arcface-r50.csv");
    let rows: String = ids.iter().enumerate().map(|(i, id)| format!("{id},0.{i}5\n")).collect();
    std::fs::write(&scores, format!("pair_id,score\n{rows}")).unwrap();

    let mut harness = import_window(Some(&project), vec![labels.clone(), scores.clone()]);
    click(&mut harness, "Labels CSV / Parquet");
    browse(&mut harness, 0);
    step_until(&mut harness, "the preview", |h| h.query_by_label_contains("Preview: 3 of 3 rows").is_some());
    import_and_wait(&mut harness, "Import", "Imported into");
    assert!(text_with(&harness, "imported 3 labels").is_some());
    let mut store = Store::open(&project).unwrap();
    let zoe = common::gui::labeler(&mut store, "zoe");
    assert!(store.read(|tx| tx.labelers()).unwrap().iter().any(|l| l.id == zoe));
    assert!(harness.query_by_role_and_label(Role::Button, "Score with the built-in model").is_none(), "no new pairs");

    click(&mut harness, "Scores CSV / Parquet");
    browse(&mut harness, 0);
    // The model is named after its file.
    step_until(&mut harness, "the model's name", |h| has_value(h, "arcface-r50"));
    import_and_wait(&mut harness, "Import", "Imported into");
    let model = store.read(|tx| tx.find_model("arcface-r50")).unwrap().expect("the model");
    let scored = store.read(|tx| tx.scores_of(model.id)).unwrap();
    assert_eq!(scored.len(), 3);

    // Identities: who is in each photo, matched by path in the images folder.
    let csv = dir.path().join("identities.csv");
    let pair = store.read(|tx| tx.pairs()).unwrap().remove(0);
    let first = store.read(|tx| tx.image(pair.image_a)).unwrap();
    std::fs::write(&csv, format!("image,identity\n{},Person One\n", first.path)).unwrap();
    click(&mut harness, "Identities CSV / Parquet");
    replace_text(&mut harness, "File", csv.to_str().unwrap());
    step_until(&mut harness, "the preview", |h| h.query_by_label_contains("Preview: 1 of 1 rows").is_some());
    // The demo's photos know who is in them already: this import corrects one.
    harness.get_by_label("Replace identities the project already holds").click();
    import_and_wait(&mut harness, "Import", "Imported into");
    assert!(text_with(&harness, "1 replaced").is_some(), "{:?}", text_with(&harness, "identities"));
    let identities = store.read(|tx| tx.image_identities()).unwrap();
    assert!(identities.iter().any(|(id, who)| *id == first.id && who == "Person One"));
}

#[test]
fn cancel_writes_nothing_and_a_labeler_cannot_import() {
    let dir = tempfile::tempdir().unwrap();
    // All of LFW: hashing its 7,437 photos takes long enough to cancel.
    let mut harness = import_window(None, vec![datasets().join("lfw/pairs.txt"), datasets().join("lfw/images")]);
    browse(&mut harness, 0);
    browse(&mut harness, 1);
    let created = dir.path().join("lfw.pairscope");
    replace_text(&mut harness, "New project file", created.to_str().unwrap());
    click(&mut harness, "Import");
    step_until(&mut harness, "the hashing", |h| h.query_by_label_contains("Hashing images").is_some());
    click(&mut harness, "Cancel");
    step_until(&mut harness, "the cancel", |h| h.query_by_label_contains("Cancelled: nothing").is_some());
    assert!(!created.exists(), "a cancelled import leaves no project behind");
    assert!(harness.state().is_idle());

    // A labeler at work never sees the Import window: it previews truth and scores.
    let project = project(dir.path());
    let mut harness = common::gui::at_labeler_picker(&project);
    common::gui::start_labeling(&mut harness, "lena");
    harness.get_by_label("Project").click();
    step_until(&mut harness, "the menu", |h| h.query_by_label("Import…").is_some());
    assert!(harness.get_by_label("Import…").accesskit_node().is_disabled());
}

#[test]
fn the_demo_says_what_it_is_until_dismissed_and_other_projects_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = common::gui::at_labeler_picker(&project(dir.path()));
    assert!(harness.query_by_label("This is the demo project").is_some());
    assert!(text_with(&harness, "Three simulated labelers").is_some());
    click(&mut harness, "Got it");
    harness.step();
    assert!(harness.state().state.demo_intro_dismissed, "remembered across restarts (eframe storage)");
    assert!(harness.query_by_label("This is the demo project").is_none());

    // A project of one's own is not the demo.
    let csv = dir.path().join("pairs.csv");
    std::fs::write(&csv, "image_a,image_b,truth\nimg20.jpg,img21.jpg,same\n").unwrap();
    let mine = dir.path().join("mine.pairscope");
    let mut store = Store::create(&mine).unwrap();
    pairscope::import::import_pairs(&mut store, &csv, &datasets().join("celebrity-pairs"), false).unwrap();
    drop(store);
    let harness = common::gui::at_labeler_picker(&mine);
    assert!(harness.query_by_label("This is the demo project").is_none());
}
