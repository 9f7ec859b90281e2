//! The Curate screen driven through egui_kittest on the real demo project: a split is
//! previewed (and matches `plan_split`), written only after a confirmation; an export through
//! the folder dialog verifies against its manifest; the HTML report is the CLI's; a merge is
//! previewed with its conflicts, written only on "Merge".

use crate::common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::gui::{H, labeler, open, project, settle_analysis, step_until, text_of, type_into, verdict};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use pairscope::analysis::ThresholdRule;
use pairscope::curate::{self, ProjectReport, Ratios, Selection, SplitOptions};
use pairscope::domain::{Split, Truth};
use pairscope::store::{Origin, PairId, Store};
use pairscope::ui::{FileDialogs, PairscopeApp, PathRequest, Screen, State};

/// Answers every file dialog with a fixed path, as a user picking it would.
struct Answers {
    folder: PathBuf,
    save: PathBuf,
    open: PathBuf,
}

impl FileDialogs for Answers {
    fn ask(&self, request: &PathRequest) -> Option<PathBuf> {
        Some(match request {
            PathRequest::Folder { .. } => self.folder.clone(),
            PathRequest::SaveFile { .. } => self.save.clone(),
            PathRequest::OpenFile { .. } => self.open.clone(),
        })
    }
}

fn app<'a>(project: &Path, answers: Option<Answers>) -> H<'a> {
    let project = project.to_owned();
    let answers: Option<Arc<dyn FileDialogs>> = answers.map(|a| Arc::new(a) as Arc<dyn FileDialogs>);
    let mut harness =
        Harness::builder().with_size(egui::vec2(1400.0, 900.0)).with_theme(egui::Theme::Dark).build_eframe(move |cc| {
            let app = PairscopeApp::with_state(cc.egui_ctx.clone(), State::default(), Some(project.clone()));
            match answers.clone() {
                Some(a) => app.with_file_dialogs(a),
                None => app,
            }
        });
    step_until(&mut harness, "the project to load", |h| h.query_by_label("Curate").is_some());
    open(&mut harness, "Curate");
    assert_eq!(harness.state().screen(), Screen::Curate);
    harness
}

fn splits(project: &Path) -> Vec<(PairId, Option<Split>)> {
    let pairs = Store::open(project).unwrap().read(|tx| tx.pairs()).unwrap();
    pairs.into_iter().map(|p| (p.id, p.split)).collect()
}

fn button<'t>(harness: &'t H<'_>, label: &'t str) -> egui_kittest::Node<'t> {
    harness.get_by_role_and_label(Role::Button, label)
}

#[test]
fn a_split_is_previewed_then_written_only_after_confirming_the_moves() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let before = splits(&project);
    let mut harness = app(&project, None);
    assert!(button(&harness, "Apply split").accesskit_node().is_disabled(), "nothing to apply before a preview");

    harness.get_by_label("60/20/20 (small data)").click();
    harness.step();
    button(&harness, "Preview split").click();
    harness.step();
    step_until(&mut harness, "the preview", |h| h.query_by_label_contains("pairs would change split").is_some());

    // The form starts from the project's own train-dev share of train, in whole percents.
    let now = splits(&project);
    let count = |s: Split| now.iter().filter(|(_, x)| *x == Some(s)).count() as f64;
    let train_dev_percent = (100.0 * count(Split::TrainDev) / (count(Split::Train) + count(Split::TrainDev))).round();
    assert!(train_dev_percent > 0.0, "the demo has a train-dev split");
    let options = SplitOptions { ratios: Some(Ratios::SMALL), train_dev_percent, seed: 0, keep_existing: false };
    let plan = curate::plan_split(&mut Store::open(&project).unwrap(), &options).unwrap();
    assert!(plan.replaced() > 0, "the demo's own splits differ from a 60/20/20 split");
    harness.get_by_label(&format!(
        "{} pairs would change split ({} of them already in another split).",
        plan.changed(),
        plan.replaced()
    ));
    for row in &plan.preview.rows {
        let name = row.split.map_or("all", Split::as_str);
        assert!(harness.query_by_label(name).is_some(), "a row for {name}");
        assert!(harness.query_all_by_label(&row.pairs.to_string()).next().is_some(), "{name}: {} pairs", row.pairs);
        let moving =
            plan.moves.iter().filter(|(_, now, next)| *now != Some(*next) && row.split.is_none_or(|s| s == *next));
        let moving = moving.count().to_string();
        assert!(harness.query_all_by_label(&moving).next().is_some(), "{name}: {moving} moving in");
        let same = format!("{:.1} %", row.same_pct.unwrap());
        assert!(harness.query_all_by_label(&same).next().is_some(), "{name}: {same} same");
        for (tag, p) in &row.tag_pct {
            assert!(harness.query_all_by_label(&format!("{p:.1} %")).next().is_some(), "{name}: {p} % {tag}");
        }
    }
    settle_analysis(&mut harness);
    assert_eq!(splits(&project), before, "a preview writes nothing");

    harness.remove_cursor();
    harness.run();
    harness.snapshot("curate");

    button(&harness, "Apply split").click();
    harness.step();
    step_until(&mut harness, "the question", |h| h.query_by_label_contains("pairs will change split").is_some());
    harness.get_by_label(&format!("{} pairs will change split. Apply?", plan.replaced()));
    harness.run_steps(2);
    settle_analysis(&mut harness);
    assert_eq!(splits(&project), before, "asking writes nothing either");

    button(&harness, "Apply").click();
    harness.step();
    step_until(&mut harness, "the split to be written", |h| h.query_by_label_contains("Wrote the split").is_some());
    settle_analysis(&mut harness);
    let written = splits(&project);
    let planned: Vec<(PairId, Option<Split>)> = plan.moves.iter().map(|(id, _, next)| (*id, Some(*next))).collect();
    assert_eq!(written, planned, "the store holds the previewed split");
    assert!(button(&harness, "Apply split").accesskit_node().is_disabled(), "the applied plan is gone");

    // The error analysis reads the new splits.
    open(&mut harness, "Error analysis");
    let mut store = Store::open(&project).unwrap();
    let snap = store.read(|tx| tx.snapshot(tx.choose_model(None)?.map(|m| m.id))).unwrap();
    let prepared = pairscope::analysis::Prepared::new(&snap.snapshot).unwrap();
    let table = prepared.split_table(harness.state().state.selection.threshold);
    assert_eq!(
        table.rows.iter().map(|r| r.split).collect::<Vec<_>>(),
        [Split::Train, Split::TrainDev, Split::Dev, Split::Test],
        "the train-dev share the form started from is kept"
    );
    for row in &table.rows {
        assert!(harness.query_all_by_label(&row.pairs.to_string()).next().is_some(), "{:?}", row.split);
    }
}

#[test]
fn an_export_through_the_folder_dialog_verifies_and_the_html_report_is_the_clis() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let folder = dir.path().join("export");
    std::fs::create_dir(&folder).unwrap();
    let html = dir.path().join("report.html");
    let answers = Answers { folder: folder.clone(), save: html.clone(), open: PathBuf::new() };
    let mut harness = app(&project, Some(answers));

    harness.get_by_label("Consensus only").click();
    harness.step();
    button(&harness, "Choose folder…").click();
    harness.step();
    settle_analysis(&mut harness);
    button(&harness, "Export").click();
    harness.step();
    step_until(&mut harness, "the export", |h| h.query_by_label_contains("Exported ").is_some());
    settle_analysis(&mut harness);

    assert_eq!(curate::verify_export(&folder).unwrap(), Vec::<String>::new(), "every file matches the manifest");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.join("manifest.json")).unwrap()).unwrap();
    let snapshot = curate::Snapshot::load(&mut Store::open(&project).unwrap()).unwrap();
    let selection = Selection { consensus_only: true, ..Selection::default() };
    let expected = snapshot.pairs.iter().filter(|p| selection.keeps(p)).count();
    assert!(expected > 0 && expected < snapshot.pairs.len(), "consensus only leaves some pairs out");
    assert_eq!(manifest["counts"]["pairs"], expected);
    assert_eq!(manifest["selection"]["consensus_only"], true);
    let target = folder.canonicalize().unwrap();
    harness.get_by_label(&format!("Exported {expected} pairs to {}", target.display()));

    // The same folder again: refused, and the message names it.
    button(&harness, "Export").click();
    harness.step();
    step_until(&mut harness, "the refusal", |h| h.query_by_label_contains("Not exported: ").is_some());
    let text = text_of(&harness.get_by_label_contains("Not exported: ")).unwrap_or_default();
    assert!(text.contains(&folder.display().to_string()) && text.contains("not empty"), "{text}");

    button(&harness, "Save HTML report…").click();
    harness.step();
    step_until(&mut harness, "the report", |h| h.query_by_label_contains("Saved the report to").is_some());
    let written = std::fs::read_to_string(&html).unwrap();
    let rule = ThresholdRule::MaxAccuracy;
    let expected = ProjectReport::load(&mut Store::open(&project).unwrap(), None, rule).unwrap().html(&project);
    assert_eq!(written, expected, "the app writes what `pairscope report --html` writes");
}

fn flip(t: Option<Truth>) -> Option<Truth> {
    Some(if t == Some(Truth::Same) { Truth::Different } else { Truth::Same })
}

#[test]
fn a_merge_is_previewed_with_its_conflicts_and_written_only_on_merge() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let copy = dir.path().join("laptop.pairscope");
    std::fs::copy(&project, &copy).unwrap();
    let mut main = Store::open(&project).unwrap();
    let mut laptop = Store::open(&copy).unwrap();
    let pairs: Vec<PairId> = main.read(|tx| tx.pairs()).unwrap().into_iter().map(|p| p.id).collect();
    let (p0, p1) = (pairs[0], pairs[1]);
    let (ana, ben) = (labeler(&mut main, "sim-ana"), labeler(&mut main, "sim-ben"));
    let ana_before = verdict(&mut main, p0, "sim-ana");
    let ben_before = verdict(&mut main, p1, "sim-ben");
    // On the copy: ana changes her verdict on p0 (comes in) and ben his on p1; here ben
    // clears his on p1 meanwhile (a conflict).
    laptop
        .write(|tx| {
            tx.set_verdict(p0, ana, flip(ana_before), Origin::Gui)?;
            tx.set_verdict(p1, ben, flip(ben_before), Origin::Gui)
        })
        .unwrap();
    main.write(|tx| tx.set_verdict(p1, ben, None, Origin::Gui)).unwrap();
    drop(laptop);
    let expected = curate::preview_merge(&mut main, &copy).unwrap();
    assert_eq!((expected.verdicts_changed, expected.conflicts.len()), (1, 1));
    let events = main.read(|tx| tx.event_count()).unwrap();
    drop(main);

    let mut harness = app(&project, None);
    type_into(&mut harness, "Other project", copy.to_str().unwrap());
    button(&harness, "Preview merge").click();
    harness.step();
    step_until(&mut harness, "the merge preview", |h| h.query_by_label_contains("would bring in").is_some());
    settle_analysis(&mut harness);
    harness.get_by_label_contains(&format!(
        "{} verdicts changed, {} tags applied, {} tags removed, {} audit events copied; 1 conflicts",
        expected.verdicts_changed, expected.tags_applied, expected.tags_removed, expected.events_copied
    ));
    harness.get_by_label_contains("Conflicts (1)");
    let conflict = &expected.conflicts[0];
    assert_eq!(conflict.labeler, "sim-ben");
    for cell in [&conflict.pair, &conflict.labeler, &conflict.here, &conflict.there] {
        assert!(harness.query_all_by_label(cell).next().is_some(), "the conflict shows {cell}");
    }
    let mut main = Store::open(&project).unwrap();
    assert_eq!(main.read(|tx| tx.event_count()).unwrap(), events, "a preview writes nothing");
    assert_eq!(verdict(&mut main, p0, "sim-ana"), ana_before);
    drop(main);

    button(&harness, "Merge").click();
    harness.step();
    step_until(&mut harness, "the merge", |h| h.query_by_label_contains("Merged from").is_some());
    settle_analysis(&mut harness);
    let mut main = Store::open(&project).unwrap();
    assert_eq!(verdict(&mut main, p0, "sim-ana"), flip(ana_before), "the change came in");
    assert_eq!(verdict(&mut main, p1, "sim-ben"), None, "the conflict kept this project's label");
    assert!(harness.query_by_label_contains("would bring in").is_none(), "the preview is gone once merged");
}
