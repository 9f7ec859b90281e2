//! A verdict given in review shows in the error analysis without the analysis being read and
//! prepared again: driven through egui_kittest on a copy of the real demo project, the tag
//! table read through its "Export CSV…" button (the file dialog answered with a temporary path).

use crate::common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::gui::{H, open, project, settle, start_labeling_as, step_until};
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use pairscope::analysis::{Prepared, Truth};
use pairscope::store::{PairId, Store};
use pairscope::ui::{FileDialogs, PairscopeApp, PathRequest, State};

/// Tall enough for the whole Error analysis screen.
const WINDOW: egui::Vec2 = egui::vec2(1400.0, 1800.0);

struct Answer(PathBuf);

impl FileDialogs for Answer {
    fn ask(&self, _: &PathRequest) -> Option<PathBuf> {
        Some(self.0.clone())
    }
}

/// The analysis of the project file, computed here independently of the app, and its pair ids.
fn prepared(project: &Path) -> (Prepared, Vec<PairId>) {
    let mut store = Store::open(project).unwrap();
    let snap = store.read(|tx| tx.snapshot(tx.choose_model(None)?.map(|m| m.id))).unwrap();
    (Prepared::new(&snap.snapshot).unwrap(), snap.pair_ids)
}

/// The per-tag table as its CSV export writes it (the first "Export CSV…" is its button).
fn tag_table_csv(harness: &mut H<'_>, csv: &Path) -> String {
    let _ = std::fs::remove_file(csv);
    harness.query_all_by_label("Export CSV…").next().expect("the tag table's Export CSV…").click();
    harness.run_steps(2);
    step_until(harness, "the CSV", |h| h.state().is_idle() && csv.is_file());
    std::fs::read_to_string(csv).unwrap()
}

#[test]
fn a_verdict_changes_the_error_analysis_without_reading_the_analysis_again() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let csv = dir.path().join("tags.csv");
    let (project_path, dialogs) = (project.clone(), Arc::new(Answer(csv.clone())));
    let mut harness = Harness::builder().with_size(WINDOW).build_eframe(move |cc| {
        PairscopeApp::with_state(cc.egui_ctx.clone(), State::default(), Some(project_path.clone()))
            .with_file_dialogs(dialogs.clone())
    });
    step_until(&mut harness, "the labeler picker", |h| h.query_by_label("Start labeling").is_some());
    start_labeling_as(&mut harness, "ada", "Engineer");
    settle(&mut harness);
    open(&mut harness, "Error analysis");
    let before = tag_table_csv(&mut harness, &csv);
    let loads = harness.state().analysis_loads();

    // In review: walk to a pair the tag table counts (a truth, a score and consensus tags).
    harness.get_by_label("Review").click();
    harness.run_steps(2);
    settle(&mut harness);
    let (analysis, pair_ids) = prepared(&project);
    // At -∞ every negative is an error, at +∞ every positive: together, the evaluable pairs.
    let mut evaluable = analysis.error_pairs(f64::NEG_INFINITY);
    evaluable.extend(analysis.error_pairs(f64::INFINITY));
    let counted = |pair: PairId| {
        let i = pair_ids.binary_search(&pair).unwrap();
        evaluable.contains(&(i as u32)) && analysis.consensus()[i] != 0
    };
    for _ in 0..50 {
        if harness.state().current_pair().is_some_and(counted) {
            break;
        }
        harness.key_press(Key::ArrowRight);
        harness.run_steps(1);
    }
    let pair = harness.state().current_pair().filter(|&p| counted(p)).expect("a counted pair among the first 50");
    // A verdict against the truth: the labelers' accuracy on the pair's slices drops.
    let mut store = Store::open(&project).unwrap();
    let truth = store.read(|tx| tx.review_data()).unwrap().pairs.iter().find(|p| p.id == pair).unwrap().truth;
    harness.key_press(if truth == Some(Truth::Same) { Key::D } else { Key::S });
    harness.run_steps(2);
    settle(&mut harness);

    harness.get_by_label("Error analysis").click();
    harness.run_steps(2);
    let after = tag_table_csv(&mut harness, &csv);
    assert_eq!(harness.state().analysis_loads(), loads, "the analysis was not read again");
    assert_ne!(after, before, "the verdict shows in the tag table");

    // The table shown is the one preparing the project file from scratch gives.
    let threshold = harness.state().state.selection.threshold;
    let table = prepared(&project).0.tag_table(threshold);
    let mut expected: Vec<String> = table.iter().map(|r| format!("{},{}", r.name, r.csv_cells().join(","))).collect();
    let mut shown: Vec<String> = after.lines().skip(1).map(String::from).collect();
    expected.sort();
    shown.sort();
    assert_eq!(shown, expected);
}
