//! Frame times of the analysis screens on the full LFW set (5,605 pairs, scored by the built-in
//! model, three labelers' verdicts and tags), while the threshold slider is dragged, and the time
//! from opening the project to its first paint.
//!
//! `cargo bench --bench ui_frames` prints the figures. The project is built once into
//! `target/bench/lfw-3-labelers.pairscope` (import, score every image, label: a few minutes),
//! or taken from `PAIRSCOPE_BENCH_PROJECT`.
//!
//! A frame here is what the CPU does for it: the app's `ui()` pass with egui's layout
//! (`Harness::step`), plus tessellation into meshes. Painting the meshes is the GPU's work and
//! is not included (this machine has none; software rasterising says nothing about a desktop).

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use pairscope::domain::Truth;
use pairscope::face::FaceEngine;
use pairscope::rng::SeededRng;
use pairscope::store::{ModelKind, Origin, Store, StoreError};
use pairscope::ui::{PairscopeApp, State};

type H<'a> = Harness<'a, PairscopeApp>;

const DRAG_STEPS: usize = 120;

fn datasets() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().expect("the repository has a parent").join("shared/datasets")
}

/// LFW imported, scored and labeled by three simulated labelers (built once).
fn project() -> PathBuf {
    if let Some(path) = std::env::var_os("PAIRSCOPE_BENCH_PROJECT") {
        return PathBuf::from(path);
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench/lfw-3-labelers.pairscope");
    if path.is_file() {
        return path;
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let building = path.with_extension("building");
    let _ = std::fs::remove_file(&building);
    let mut store = Store::create(&building).unwrap();
    let lfw = datasets().join("lfw");
    pairscope::import::import_lfw(&mut store, &lfw.join("pairs.txt"), &lfw.join("images"), true).unwrap();
    eprintln!("scoring the LFW images with the built-in model (once)…");
    let engine = FaceEngine::builtin().unwrap();
    let cancel = AtomicBool::new(false);
    pairscope::scoring::score_project(&mut store, &engine, "builtin", ModelKind::Embedded, &cancel, |_| {}).unwrap();
    label(&mut store);
    drop(store);
    std::fs::rename(&building, &path).unwrap();
    path
}

/// Three labelers: right on most pairs, wrong more often on dark and blurry ones; each tags
/// the darkest and blurriest tenth, missing some.
fn label(store: &mut Store) {
    store
        .write(|tx| {
            let pairs = tx.pairs()?;
            let stats = tx.pair_image_stats()?;
            let mut values: Vec<(f64, f64)> = stats.values().copied().collect();
            values.sort_by(|a, b| a.0.total_cmp(&b.0));
            let dark_below = values[values.len() / 10].0;
            values.sort_by(|a, b| a.1.total_cmp(&b.1));
            let blurry_below = values[values.len() / 10].1;
            let (dark, blurry) = (tx.find_tag("dark")?.unwrap().id, tx.find_tag("blurry")?.unwrap().id);
            for (seed, name) in ["ana", "ben", "cy"].into_iter().enumerate() {
                let me = tx.labeler_or_create(name)?.0.id;
                let mut rng = SeededRng::new(seed as u64 + 7);
                for p in &pairs {
                    let Some(truth) = p.truth else { continue };
                    let (b, s) = stats.get(&p.id).copied().unwrap_or((f64::MAX, f64::MAX));
                    let hard = b < dark_below || s < blurry_below;
                    let wrong = rng.below(1000) < if hard { 80 } else { 20 };
                    let verdict = match (truth, wrong) {
                        (t, false) => t,
                        (Truth::Same, true) => Truth::Different,
                        (Truth::Different, true) => Truth::Same,
                    };
                    tx.set_verdict(p.id, me, Some(verdict), Origin::Cli)?;
                    for (tag, applies) in [(dark, b < dark_below), (blurry, s < blurry_below)] {
                        if applies && rng.below(100) < 85 {
                            tx.set_pair_tag(p.id, me, tag, true, Origin::Cli)?;
                        }
                    }
                }
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
}

fn step_until(harness: &mut H<'_>, what: &str, done: impl Fn(&H<'_>) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while !done(harness) {
        assert!(Instant::now() < deadline, "gave up waiting for {what}");
        harness.step();
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// One frame's CPU work: the ui pass with layout, then tessellation.
fn frame(harness: &mut H<'_>) -> (Duration, Duration) {
    let started = Instant::now();
    harness.step();
    let layout = started.elapsed();
    let shapes = harness.output().shapes.clone();
    let started = Instant::now();
    let meshes = harness.ctx.tessellate(shapes, harness.ctx.pixels_per_point());
    std::hint::black_box(meshes);
    (layout, started.elapsed())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn drag_slider(harness: &mut H<'_>, screen: &str) {
    harness.get_by_label(screen).click();
    step_until(harness, "the analysis", |h| h.state().analysis_ready() && h.state().is_idle());
    harness.run_steps(3);
    let slider = harness.get_by_role(Role::Slider).rect();
    let (from, to) =
        (egui::pos2(slider.left() + 4.0, slider.center().y), egui::pos2(slider.right() - 4.0, slider.center().y));
    harness.hover_at(from);
    harness.step();
    harness.drag_at(from);
    harness.step();
    let t0 = harness.state().state.selection.threshold;
    let mut totals = Vec::with_capacity(DRAG_STEPS);
    let (mut layout_sum, mut tess_sum) = (Duration::ZERO, Duration::ZERO);
    for i in 1..=DRAG_STEPS {
        harness.hover_at(from + (to - from) * (i as f32 / DRAG_STEPS as f32));
        let (layout, tess) = frame(harness);
        layout_sum += layout;
        tess_sum += tess;
        totals.push(layout + tess);
    }
    harness.drop_at(to);
    harness.step();
    let t1 = harness.state().state.selection.threshold;
    assert!(t1 > t0, "the drag moved the threshold ({t0} → {t1})");
    totals.sort();
    let n = DRAG_STEPS as u32;
    println!(
        "{screen:<15} {DRAG_STEPS} frames, threshold {t0:.3} → {t1:.3}: median {}, p95 {}, max {} \
         (mean ui+layout {}, tessellation {}); {:.0} fps at the p95",
        ms(percentile(&totals, 0.5)),
        ms(percentile(&totals, 0.95)),
        ms(*totals.last().unwrap()),
        ms(layout_sum / n),
        ms(tess_sum / n),
        1.0 / percentile(&totals, 0.95).as_secs_f64(),
    );
}

fn main() {
    // `cargo test --benches` runs bench binaries with no `--bench` flag: only check they build.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let project = project();
    let opened = Instant::now();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_eframe(|cc| PairscopeApp::with_state(cc.egui_ctx.clone(), State::default(), Some(project.clone())));
    step_until(&mut harness, "the project", |h| h.query_by_label("Start labeling").is_some());
    let first_paint = opened.elapsed();
    harness.get_by_label("Error analysis").click();
    step_until(&mut harness, "the analysis", |h| h.state().analysis_ready());
    harness.step();
    let analysis_paint = opened.elapsed();
    println!("project {}", project.display());
    println!(
        "open → first paint of the project {}; → first paint of the error analysis {}",
        ms(first_paint),
        ms(analysis_paint)
    );
    for screen in ["Model", "Error analysis"] {
        drag_slider(&mut harness, screen);
    }
    // Agreement does not depend on the threshold: frames there are redraws as the mouse moves.
    harness.get_by_label("Agreement").click();
    step_until(&mut harness, "the analysis", |h| h.state().analysis_ready() && h.state().is_idle());
    let mut totals: Vec<Duration> = (0..DRAG_STEPS)
        .map(|i| {
            harness.hover_at(egui::pos2(200.0 + i as f32 * 8.0, 400.0));
            let (layout, tess) = frame(&mut harness);
            layout + tess
        })
        .collect();
    totals.sort();
    println!(
        "{:<15} {DRAG_STEPS} frames of mouse movement: median {}, p95 {}, max {}",
        "Agreement",
        ms(percentile(&totals, 0.5)),
        ms(percentile(&totals, 0.95)),
        ms(*totals.last().unwrap())
    );
}
