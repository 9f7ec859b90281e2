//! The million-pair figures of issue 12, each beside its target, in one run.
//!
//! `cargo bench --bench million` prints them. The project is built once into
//! `target/bench/million.pairscope` (or taken from `PAIRSCOPE_MILLION_PROJECT`;
//! `PAIRSCOPE_MILLION_REBUILD=1` builds it again) the way a user would: CSV files written to
//! `target/bench/million/` are imported by the release `pairscope` binary, run as a child
//! process whose wall time and peak RSS (`wait4`) are the import figures. When the project is
//! reused, the import figures recorded when it was built are printed again. `PAIRSCOPE_BIN`
//! runs another build of the binary instead (a baseline kept aside).
//!
//! The project: 100,000 images (symbolic links in `target/bench/million/images/` to the LFW
//! photos in `../shared/datasets/lfw`, cycled, so the Review screen decodes real faces),
//! 1,000,000 pairs (half same, in four splits), scores like the built-in model's (cosine
//! similarities) for every pair under the model name `face`, and three labelers who each label
//! every pair (3,000,000 label rows, pair by pair), with 16 tags (about 1.6 per label row).
//!
//! The GUI figures use egui_kittest as `ui_frames` does: the app's `ui()` pass and layout,
//! queried by label, through the public API of `pairscope::ui` only.

#[path = "common/child_run.rs"]
mod child_run;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use child_run::pairscope;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable, by};
use pairscope::domain::Truth;
use pairscope::rng::SeededRng;
use pairscope::store::{Origin, PairId, Role as LabelerRole, Store, StoreError};
use pairscope::ui::{PairscopeApp, State};

type H<'a> = Harness<'a, PairscopeApp>;

const PAIRS: u64 = 1_000_000;
const IMAGES: u64 = 100_000;
const LABELERS: [&str; 3] = ["ana", "ben", "cy"];
/// The 16 tags and how often each applies to a pair; labelers see a tag that applies 85 % of
/// the time.
const TAGS: [(&str, f64); 16] = [
    ("dark", 0.25),
    ("blurry", 0.20),
    ("sunset", 0.10),
    ("borderline", 0.08),
    ("glasses", 0.20),
    ("hat", 0.10),
    ("profile", 0.15),
    ("occluded", 0.10),
    ("low-res", 0.12),
    ("makeup", 0.05),
    ("beard", 0.15),
    ("child", 0.05),
    ("elderly", 0.10),
    ("grayscale", 0.05),
    ("crowd", 0.10),
    ("watermark", 0.05),
];
const DRAG_STEPS: usize = 120;
const ENGINEER: &str = "eve";
const OUTSIDER: &str = "outsider";

fn bench_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench")
}

fn lfw_images() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().join("shared/datasets/lfw/images");
    let mut files = Vec::new();
    for person in std::fs::read_dir(&root).expect("../shared/datasets/lfw/images") {
        for photo in std::fs::read_dir(person.unwrap().path()).unwrap() {
            files.push(photo.unwrap().path());
        }
    }
    files.sort();
    files
}

/// A figure and its target: `(name, measured, target, pass)`.
struct Figure {
    name: String,
    value: String,
    target: String,
    pass: bool,
}

/// A figure, printed at once too (a later step may take long, or give up).
fn figure(name: &str, value: String, target: &str, pass: bool) -> Figure {
    let f = Figure { name: name.into(), value, target: target.into(), pass };
    eprintln!("{} {}: {} (target {})", if f.pass { "PASS" } else { "MISS" }, f.name, f.value, f.target);
    f
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn mb(bytes: u64) -> String {
    format!("{:.0} MB", bytes as f64 / 1e6)
}

// ---------------------------------------------------------------------------------------------
// The input files.

fn write_inputs(dir: &Path) {
    let done = dir.join("inputs.done");
    if done.is_file() {
        return;
    }
    std::fs::create_dir_all(dir.join("images")).unwrap();
    eprintln!("writing the million-pair inputs into {} (once)…", dir.display());
    let photos = lfw_images();
    for i in 0..IMAGES {
        let link = dir.join(format!("images/{i:06}.jpg"));
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&photos[i as usize % photos.len()], &link).unwrap();
    }
    let mut rng = SeededRng::new(12);
    let mut seen = std::collections::HashSet::with_capacity(PAIRS as usize);
    let mut pairs = std::io::BufWriter::new(std::fs::File::create(dir.join("pairs.csv")).unwrap());
    let mut scores = std::io::BufWriter::new(std::fs::File::create(dir.join("scores.csv")).unwrap());
    let mut labels = std::io::BufWriter::new(std::fs::File::create(dir.join("labels.csv")).unwrap());
    writeln!(pairs, "pair_id,image_a,image_b,truth,split").unwrap();
    writeln!(scores, "pair_id,score").unwrap();
    writeln!(labels, "pair_id,labeler,verdict,tags").unwrap();
    let mut n = 0;
    while n < PAIRS {
        let (a, b) = (rng.below(IMAGES), rng.below(IMAGES));
        if a == b || !seen.insert((a.min(b), a.max(b))) {
            continue;
        }
        let id = format!("m{n:07}");
        let truth = if rng.below(2) == 0 { Truth::Same } else { Truth::Different };
        let split = match rng.below(100) {
            0..70 => "train",
            70..75 => "train-dev",
            75..88 => "dev",
            _ => "test",
        };
        writeln!(pairs, "{id},{a:06}.jpg,{b:06}.jpg,{},{split}", truth.as_str()).unwrap();
        // Cosine similarities as the built-in model gives them: same around 0.55, different
        // around 0.1, overlapping in the tails.
        let noise = (rng.unit() + rng.unit() + rng.unit() - 1.5) * 0.3;
        let score = match truth {
            Truth::Same => 0.55 + noise,
            Truth::Different => 0.1 + noise,
        };
        writeln!(scores, "{id},{:.5}", score.clamp(-1.0, 1.0)).unwrap();
        let applies: Vec<&str> = TAGS.iter().filter(|(_, p)| rng.unit() < *p).map(|(t, _)| *t).collect();
        let hard = applies.iter().any(|t| matches!(*t, "dark" | "blurry" | "borderline"));
        for labeler in LABELERS {
            let wrong = rng.below(1000) < if hard { 80 } else { 20 };
            let verdict = match (truth, wrong) {
                (t, false) => t,
                (Truth::Same, true) => Truth::Different,
                (Truth::Different, true) => Truth::Same,
            };
            let tags: Vec<&str> = applies.iter().copied().filter(|_| rng.below(100) < 85).collect();
            writeln!(labels, "{id},{labeler},{},{}", verdict.as_str(), tags.join(";")).unwrap();
        }
        n += 1;
    }
    for mut file in [pairs, scores, labels] {
        file.flush().unwrap();
    }
    std::fs::write(done, "").unwrap();
}

// ---------------------------------------------------------------------------------------------
// Running the binary.

fn os(s: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(s)
}

#[derive(serde::Serialize, serde::Deserialize)]
struct BuildFigures {
    import_pairs_s: f64,
    import_pairs_rss: u64,
    import_scores_s: f64,
    import_labels_s: f64,
    import_labels_rss: u64,
}

/// The project, built from the CSV files by the binary (once), and the import figures.
fn project() -> (PathBuf, BuildFigures, bool) {
    let inputs = bench_dir().join("million");
    let path = std::env::var_os("PAIRSCOPE_MILLION_PROJECT")
        .map(PathBuf::from)
        .unwrap_or_else(|| bench_dir().join("million.pairscope"));
    let recorded = path.with_extension("figures.json");
    let rebuild = std::env::var_os("PAIRSCOPE_MILLION_REBUILD").is_some();
    if path.is_file()
        && !rebuild
        && let Some(figures) = std::fs::read(&recorded).ok().and_then(|b| serde_json::from_slice(&b).ok())
    {
        return (path, figures, false);
    }
    write_inputs(&inputs);
    let building = path.with_extension("building");
    for stale in [building.clone(), building.with_extension("building-wal"), building.with_extension("building-shm")] {
        let _ = std::fs::remove_file(stale);
    }
    let p = building.as_os_str();
    let csv = |name: &str| inputs.join(name).into_os_string();
    eprintln!("import-pairs…");
    let pairs_run = pairscope(&[
        os("import-pairs"),
        p,
        os("--csv"),
        &csv("pairs.csv"),
        os("--images"),
        inputs.join("images").as_os_str(),
    ]);
    eprintln!("{}", pairs_run.stdout.trim());
    eprintln!("import-scores…");
    let scores_run = pairscope(&[os("import-scores"), p, os("--csv"), &csv("scores.csv"), os("--model"), os("face")]);
    eprintln!("{}", scores_run.stdout.trim());
    eprintln!("import-labels…");
    let labels_run = pairscope(&[os("import-labels"), p, os("--csv"), &csv("labels.csv")]);
    eprintln!("{}", labels_run.stdout.trim());
    // The engineer who opens the project in the GUI figures.
    let mut store = Store::open(&building).unwrap();
    store
        .write(|tx| {
            let (eve, _) = tx.labeler_or_create(ENGINEER)?;
            tx.set_labeler_role(eve.id, LabelerRole::Engineer, Origin::Cli)?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
    drop(store);
    for (from, to) in [("building", "pairscope"), ("building-wal", "pairscope-wal"), ("building-shm", "pairscope-shm")]
    {
        let (from, to) = (path.with_extension(from), path.with_extension(to));
        if from.exists() {
            std::fs::rename(from, to).unwrap();
        } else {
            let _ = std::fs::remove_file(to);
        }
    }
    let figures = BuildFigures {
        import_pairs_s: pairs_run.wall.as_secs_f64(),
        import_pairs_rss: pairs_run.peak_rss,
        import_scores_s: scores_run.wall.as_secs_f64(),
        import_labels_s: labels_run.wall.as_secs_f64(),
        import_labels_rss: labels_run.peak_rss,
    };
    std::fs::write(&recorded, serde_json::to_vec_pretty(&figures).unwrap()).unwrap();
    (path, figures, true)
}

// ---------------------------------------------------------------------------------------------
// The GUI.

/// Steps until `done`; false (said on stderr) after two minutes, so the figures go on.
fn step_until(harness: &mut H<'_>, what: &str, done: impl Fn(&H<'_>) -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(120);
    while !done(harness) {
        if Instant::now() > deadline {
            eprintln!("gave up waiting for {what} after 120 s");
            return false;
        }
        harness.step();
        std::thread::sleep(Duration::from_millis(1));
    }
    true
}

/// The text of the first node whose label contains `part`.
fn text_with(harness: &H<'_>, part: &str) -> Option<String> {
    harness.query_all(by()).filter_map(|n| n.accesskit_node().label()).find(|text| text.contains(part))
}

fn frame(harness: &mut H<'_>) -> Duration {
    let started = Instant::now();
    harness.step();
    let shapes = harness.output().shapes.clone();
    std::hint::black_box(harness.ctx.tessellate(shapes, harness.ctx.pixels_per_point()));
    started.elapsed()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// (current, peak) resident set of this process.
fn own_rss() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
            * 1024
    };
    (kb("VmRSS:"), kb("VmHWM:"))
}

fn gui_figures(project: &Path, figures: &mut Vec<Figure>) {
    let opened = Instant::now();
    let owned = project.to_owned();
    let mut harness = Harness::builder().with_size(egui::vec2(1400.0, 900.0)).build_eframe(move |cc| {
        PairscopeApp::with_state(cc.egui_ctx.clone(), State::default(), Some(owned)).labeling_as(Some(ENGINEER.into()))
    });
    let review_label = format!("Labeler: {ENGINEER} (engineer)");
    let reached = step_until(&mut harness, "the review screen", |h| {
        h.state().current_pair().is_some() && h.query_by_label(&review_label).is_some()
    });
    let open = opened.elapsed();
    if !reached {
        figures.push(figure("open → usable Review (as a labeler)", "not within 120 s".into(), "< 2 s", false));
        return;
    }
    figures.push(figure("open → usable Review (as a labeler)", secs(open), "< 2 s", open < Duration::from_secs(2)));
    let _ = step_until(&mut harness, "the first saves and decodes", |h| h.state().is_idle());

    // Error analysis once, so the verdict below is a change to tables already shown.
    harness.get_by_label("Error analysis").click();
    let _ = step_until(&mut harness, "the analysis", |h| h.state().analysis_ready() && h.state().is_idle());
    harness.get_by_label("Review").click();
    let _ = step_until(&mut harness, "the review screen", |h| h.query_by_label("Same (S)").is_some());
    harness.run_steps(2);
    // Shown = applied to what Review draws, which is also when it joins the save queue.
    let before = harness.state().unsaved_edits();
    let judged = harness.state().current_pair().expect("a pair on screen");
    let started = Instant::now();
    harness.key_press(egui::Key::S);
    harness.step();
    let shown = harness.state().unsaved_edits() > before;
    figures.push(figure(
        "verdict key shown in the same frame",
        format!(
            "{} ({before} → {} edits shown, not yet saved)",
            if shown { "yes" } else { "no" },
            harness.state().unsaved_edits()
        ),
        "yes",
        shown,
    ));
    // Until the tables show it: open Error analysis, and wait for its data and the save.
    harness.get_by_label("Error analysis").click();
    harness.step();
    let updated = step_until(&mut harness, "the analysis after the verdict", |h| {
        h.state().analysis_ready() && h.state().is_idle()
    });
    let tables = started.elapsed();
    figures.push(figure(
        "verdict → analysis tables updated (key, then Error analysis ready)",
        if updated { ms(tables) } else { "not within 120 s".into() },
        "< 50 ms",
        updated && tables < Duration::from_millis(50),
    ));

    // The threshold slider dragged on Error analysis: CPU per frame.
    harness.run_steps(3);
    let slider = harness.get_by_role(Role::Slider).rect();
    let (from, to) =
        (egui::pos2(slider.left() + 4.0, slider.center().y), egui::pos2(slider.right() - 4.0, slider.center().y));
    harness.hover_at(from);
    harness.step();
    harness.drag_at(from);
    harness.step();
    let mut frames: Vec<Duration> = (1..=DRAG_STEPS)
        .map(|i| {
            harness.hover_at(from + (to - from) * (i as f32 / DRAG_STEPS as f32));
            frame(&mut harness)
        })
        .collect();
    harness.drop_at(to);
    harness.step();
    frames.sort();
    let p95 = percentile(&frames, 0.95);
    figures.push(figure(
        "Error analysis frame while dragging the threshold, p95",
        format!("{} (median {})", ms(p95), ms(percentile(&frames, 0.5))),
        "< 8 ms",
        p95 < Duration::from_millis(8),
    ));

    // Ten labels written by another process (here: another connection), seen on Overview.
    harness.get_by_label("Review").click();
    let _ = step_until(&mut harness, "the review screen", |h| h.query_by_label("Same (S)").is_some());
    harness.get_by_label("Overview").click();
    harness.run_steps(2);
    let mut other = Store::open(project).unwrap();
    let pairs: Vec<PairId> = (1..=10).map(PairId).collect();
    other
        .write(|tx| {
            let (outsider, _) = tx.labeler_or_create(OUTSIDER)?;
            for &pair in &pairs {
                tx.set_verdict(pair, outsider.id, Some(Truth::Same), Origin::Cli)?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
    let committed = Instant::now();
    let want = format!("{OUTSIDER}: 10 verdicts");
    let visible = step_until(&mut harness, "the outside labels", |h| text_with(h, &want).is_some());
    let seen = committed.elapsed();
    figures.push(figure(
        "10 labels by another process visible (Overview)",
        if visible { secs(seen) } else { "not within 120 s".into() },
        "< 1 s",
        visible && seen < Duration::from_secs(1),
    ));
    let (rss, peak) = own_rss();
    figures.push(figure(
        "memory of the open app (RSS of this process)",
        format!("{} (peak {})", mb(rss), mb(peak)),
        "< 1 GB",
        rss < 1_000_000_000,
    ));
    drop(harness);
    // Put the project back as it was, so the next run measures the same thing.
    other
        .write(|tx| {
            let outsider = tx.find_labeler(OUTSIDER)?.expect("written above").id;
            let eve = tx.find_labeler(ENGINEER)?.expect("created with the project").id;
            for &pair in &pairs {
                tx.set_verdict(pair, outsider, None, Origin::Cli)?;
            }
            tx.set_verdict(judged, eve, None, Origin::Cli)?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
}

fn main() {
    // `cargo test --benches` runs bench binaries with no `--bench` flag: only check they build.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    // `RUST_LOG=pairscope=info` shows when the app read, prepared and painted what.
    tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::from_default_env()).init();
    let (project, build, fresh) = project();
    let mut figures = Vec::new();
    let when = if fresh { "" } else { " (recorded when the project was built)" };
    figures.push(figure(
        &format!("import-pairs, 1M rows{when}"),
        format!("{:.1} s, peak RSS {}", build.import_pairs_s, mb(build.import_pairs_rss)),
        "< 20 s",
        build.import_pairs_s < 20.0,
    ));
    figures.push(figure(
        &format!("import-scores, 1M rows{when}"),
        format!("{:.1} s", build.import_scores_s),
        "(no target)",
        true,
    ));
    figures.push(figure(
        &format!("import-labels, 3M rows: time{when}"),
        format!("{:.1} s", build.import_labels_s),
        "< 60 s",
        build.import_labels_s < 60.0,
    ));
    figures.push(figure(
        &format!("import-labels, 3M rows: peak RSS{when}"),
        mb(build.import_labels_rss),
        "< 500 MB",
        build.import_labels_rss < 500_000_000,
    ));
    let report = pairscope(&[os("report"), project.as_os_str(), os("--json")]);
    figures.push(figure(
        "report --json",
        format!("{:.2} s, peak RSS {}", report.wall.as_secs_f64(), mb(report.peak_rss)),
        "< 1 s",
        report.wall < Duration::from_secs(1),
    ));
    // Where report's time goes, through the library calls it makes.
    let mut store = Store::open(&project).unwrap();
    let started = Instant::now();
    let (model, loaded) = store
        .read(|tx| {
            let model = tx.choose_model(None)?;
            Ok((model.clone(), tx.snapshot(model.map(|m| m.id))?))
        })
        .unwrap();
    let read = started.elapsed();
    let started = Instant::now();
    let prepared = pairscope::analysis::Prepared::new(&loaded.snapshot).unwrap();
    let prepare = started.elapsed();
    let started = Instant::now();
    let numbers = pairscope::analysis::Report::new(&prepared, pairscope::analysis::ThresholdRule::MaxAccuracy).unwrap();
    let compute = started.elapsed();
    let started = Instant::now();
    std::hint::black_box(numbers.to_json());
    let json = started.elapsed();
    drop((store, model, loaded, prepared, numbers));
    figures.push(figure(
        "  report's parts: snapshot read / Prepared::new / Report::new / to_json",
        format!("{} / {} / {} / {}", ms(read), ms(prepare), ms(compute), ms(json)),
        "(breakdown)",
        true,
    ));
    let size = std::fs::metadata(&project).map(|m| m.len()).unwrap_or(0)
        + std::fs::metadata(project.with_extension("pairscope-wal")).map(|m| m.len()).unwrap_or(0);
    figures.push(figure("project file (with its WAL)", mb(size), "≤ 800 MB", size <= 800_000_000));
    if std::env::var_os("PAIRSCOPE_MILLION_NO_GUI").is_none() {
        gui_figures(&project, &mut figures);
    }
    println!("project {}", project.display());
    for f in &figures {
        println!("{:<4} {:<72} {:<40} target {}", if f.pass { "PASS" } else { "MISS" }, f.name, f.value, f.target);
    }
}
