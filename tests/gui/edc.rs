//! The EDC on the Model screen, through egui_kittest on the real demo project (real SQLite
//! file, the built-in model's scores and photo statistics): its table shows the FNMR with its
//! count and 95 % interval after discarding the lowest-quality same-person pairs, and follows
//! a change of the threshold.

use crate::common;

use std::path::Path;

use common::gui::{H, open, project, settle_analysis, step_until};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use pairscope::analysis::{EdcByQuality, EdcReport, EdcRow};
use pairscope::domain::Truth;
use pairscope::store::Store;
use pairscope::ui::{PairscopeApp, State};

fn app<'a>(project: &Path) -> H<'a> {
    let project = project.to_owned();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 1000.0))
        .build_eframe(move |cc| PairscopeApp::with_state(cc.egui_ctx.clone(), State::default(), Some(project.clone())));
    step_until(&mut harness, "the project to load", |h| h.query_by_label("Error analysis").is_some());
    open(&mut harness, "Model");
    harness
}

/// The EDC of the project file at `threshold`, and the FNMR at 0 % discarded counted here
/// directly (false non-matches, genuine pairs with statistics).
fn expected(project: &Path, threshold: f64) -> (EdcReport, (u64, u64)) {
    let mut store = Store::open(project).unwrap();
    let (snap, stats) = store
        .read(|tx| {
            let snap = tx.snapshot(tx.choose_model(None)?.map(|m| m.id))?;
            Ok::<_, pairscope::store::StoreError>((snap, tx.pair_image_stats()?))
        })
        .unwrap();
    let stats: Vec<_> = snap.pair_ids.iter().map(|id| stats.get(id).copied()).collect();
    let s = &snap.snapshot;
    let report = EdcByQuality::new(&s.score, &s.truth, &stats).report(threshold);
    let genuine =
        (0..s.score.len()).filter(|&i| s.truth[i] == Some(Truth::Same) && s.score[i].is_finite() && stats[i].is_some());
    let counted = genuine.fold((0, 0), |(k, n), i| (k + u64::from(s.score[i] < threshold), n + 1));
    (report, counted)
}

/// A percentage as the screens write it: one decimal, three significant digits below 1 %.
fn pct(x: f64) -> String {
    let p = 100.0 * x;
    if p == 0.0 || p >= 1.0 {
        format!("{p:.1} %")
    } else {
        let decimals = (2 - p.log10().floor() as i32).clamp(1, 12) as usize;
        format!("{p:.decimals$} %")
    }
}

/// The cell as the screen writes it: `3.7 % (3/81; 95 % CI 0.774–10.4 %)`.
fn cell(row: &EdcRow) -> String {
    let [lo, hi] = row.fnmr_ci95.unwrap();
    let lo = pct(lo);
    let (fnm, n) = (row.false_non_matches, row.remaining);
    format!("{} ({fnm}/{n}; 95 % CI {}–{})", pct(row.fnmr.unwrap()), lo.trim_end_matches(" %"), pct(hi))
}

/// How many labels read exactly `text`.
fn shown(harness: &H<'_>, text: &str) -> usize {
    harness.query_all_by_role_and_label(Role::Label, text).count()
}

/// Every cell of the table is on screen, as often as the report has it (a cell may repeat:
/// both rankings agree when nothing is discarded).
fn table_shown(harness: &H<'_>, edc: &EdcReport) {
    let cells: Vec<String> = edc.sharpness.iter().chain(&edc.brightness).map(cell).collect();
    for c in &cells {
        let times = cells.iter().filter(|other| *other == c).count();
        assert_eq!(shown(harness, c), times, "{c:?} is shown {times} times");
    }
}

#[test]
fn the_edc_table_shows_counts_and_intervals_and_follows_the_threshold() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let mut harness = app(&project);
    harness.get_by_role_and_label(Role::Label, "Quality against error (EDC)");
    harness.get_by_role_and_label(Role::Label, "FNMR by sharpness");
    harness.get_by_role_and_label(Role::Label, "FNMR by brightness");

    let before = harness.state().state.selection.threshold;
    let (edc, counted) = expected(&project, before);
    assert_eq!((edc.sharpness[0].false_non_matches, edc.sharpness[0].remaining), counted);
    table_shown(&harness, &edc);
    harness.get_by_role_and_label(Role::Label, "20 %");

    // A stricter rule: a higher threshold, more false non-matches.
    harness.get_by_label("FPR ≤ 1e-4").click();
    harness.run_steps(3);
    settle_analysis(&mut harness);
    let after = harness.state().state.selection.threshold;
    assert!(after > before, "{after} > {before}");
    let (moved, counted) = expected(&project, after);
    assert_eq!((moved.sharpness[0].false_non_matches, moved.sharpness[0].remaining), counted);
    assert_ne!(cell(&moved.sharpness[0]), cell(&edc.sharpness[0]), "the threshold changes the FNMR");
    table_shown(&harness, &moved);
    assert_eq!(shown(&harness, &cell(&edc.sharpness[0])), 0, "the old FNMR is gone");
}
