//! `pairscope monitor` on real LFW photos: other LFW photos are stable against an LFW
//! project; the same photos darkened drift on brightness (and on no other photo measure), and
//! `--fail-on-drift` says so with its exit status. On the sitcom photos: the built-in model's
//! scores on a batch in identity folders, against the project's; and Ctrl-C.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::common;

use common::{datasets, ok, pairscope, stderr, stdout};

/// LFW photos in name order: the first `skip` left out, then `take` of them.
fn lfw_photos(skip: usize, take: usize) -> Vec<PathBuf> {
    let root = datasets().join("lfw/images");
    let mut people: Vec<PathBuf> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).collect();
    people.sort();
    let mut photos = Vec::new();
    for person in people {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&person).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        photos.extend(files);
        if photos.len() >= skip + take {
            break;
        }
    }
    photos.into_iter().skip(skip).take(take).collect()
}

/// Symlinks to `photos` in `dir/<person>/`, as import-folders reads them (nothing copied).
fn link_all(photos: &[PathBuf], dir: &Path) {
    for photo in photos {
        let person = photo.parent().unwrap().file_name().unwrap();
        std::fs::create_dir_all(dir.join(person)).unwrap();
        std::os::unix::fs::symlink(photo, dir.join(person).join(photo.file_name().unwrap())).unwrap();
    }
}

/// Each photo with every channel of every pixel times `factor`, as a PNG in `dir`.
fn write_darkened(photos: &[PathBuf], dir: &Path, factor: f32) {
    std::fs::create_dir_all(dir).unwrap();
    for photo in photos {
        let mut rgb = image::open(photo).unwrap().to_rgb8();
        rgb.pixels_mut().for_each(|p| p.0 = p.0.map(|c| (f32::from(c) * factor).round() as u8));
        rgb.save(dir.join(photo.file_stem().unwrap()).with_extension("png")).unwrap();
    }
}

fn measure<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    report["measures"].as_array().unwrap().iter().find(|m| m["measure"] == name).unwrap()
}

#[test]
fn other_lfw_photos_are_stable_and_darkened_ones_drift_on_brightness() {
    let dir = tempfile::tempdir().unwrap();
    let (base, new, dark) = (dir.path().join("base"), dir.path().join("new"), dir.path().join("dark"));
    link_all(&lfw_photos(0, 80), &base);
    let others = lfw_photos(80, 50);
    link_all(&others, &new);
    write_darkened(&others, &dark, 0.4);
    let project = dir.path().join("lfw.pairscope");
    let p = project.to_str().unwrap();
    ok(["import-folders", p, "--images", base.to_str().unwrap(), "--seed", "1"]);
    ok(["embed", p, "--quiet"]);
    tag_first_pairs_dark(&project, 12);

    let stable: serde_json::Value =
        serde_json::from_str(&ok(["monitor", p, "--images", new.to_str().unwrap(), "--json", "--fail-on-drift"]))
            .unwrap();
    assert_eq!(stable["drifted"], false, "{stable:#}");
    assert_eq!(stable["new_photos"], 50);
    let brightness = &measure(&stable, "brightness")["test"];
    assert_eq!(brightness["n_new"], 50, "{stable:#}");
    assert_eq!(brightness["ks"]["method"], "exact");
    // In identity folders: the built-in model's scores on the batch's pairs are compared too.
    assert_eq!(stable["scores"]["skipped"], serde_json::Value::Null, "{stable:#}");
    for row in stable["scores"]["rows"].as_array().unwrap() {
        assert!(row["test"]["n_new"].as_u64().unwrap() > 0 && row["test"]["drifted"] == false, "{stable:#}");
    }

    let out = pairscope(["monitor", p, "--images", dark.to_str().unwrap(), "--json", "--fail-on-drift"]);
    assert_eq!(out.status.code(), Some(3), "exit 3 on drift\n{}\n{}", stdout(&out), stderr(&out));
    let drifted: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(drifted["drifted"], true);
    let brightness = measure(&drifted, "brightness");
    assert_eq!(brightness["test"]["drifted"], true, "{drifted:#}");
    assert!(brightness["median_new"].as_f64().unwrap() < 0.6 * brightness["median_baseline"].as_f64().unwrap());
    // Only brightness among the photo measures: sharpness is relative to the brightness, the
    // faces are where they were and as sure.
    for name in ["sharpness", "face_size", "detector_confidence"] {
        eprintln!("darkened, {name}: {}", measure(&drifted, name));
        assert_eq!(measure(&drifted, name)["test"]["drifted"], false, "{name}: {drifted:#}");
    }
    // A flat folder has no identities: no pairs to score, and it says so.
    let skipped = drifted["scores"]["skipped"].as_str().unwrap();
    assert!(skipped.contains("no identity sub-folders"), "{skipped}");
    assert!(drifted["scores"]["rows"].as_array().unwrap().is_empty());
    // Darker input is tied back to the error analysis: the `dark` row of `pairscope report`.
    let report: serde_json::Value = serde_json::from_str(&ok(["report", p, "--json"])).unwrap();
    let dark_row = report["tags"].as_array().unwrap().iter().find(|t| t["tag"] == "dark").unwrap();
    assert_eq!(drifted["dark_slice"]["pairs"], 12, "{drifted:#}");
    assert_eq!(drifted["dark_slice"]["error_rate"], dark_row["error_rate"]);
    assert_eq!(drifted["dark_slice"]["threshold"], report["operating_point"]["threshold"]);
    assert_eq!(stable["dark_slice"], serde_json::Value::Null, "only when brightness drifts darker");
}

/// A labeler tags the project's first `n` pairs `dark` (through import-labels).
fn tag_first_pairs_dark(project: &Path, n: usize) {
    let mut store = pairscope::store::Store::open(project).unwrap();
    let mut pairs = store.read(|tx| tx.pair_image_hashes()).unwrap();
    pairs.sort_by_key(|p| p.1.clone());
    let rows: String = pairs.iter().take(n).map(|p| format!("{},ann,,dark\n", p.1)).collect();
    drop(store);
    let csv = project.with_extension("labels.csv");
    std::fs::write(&csv, format!("pair_id,labeler,verdict,tags\n{rows}")).unwrap();
    ok([Path::new("import-labels"), project, Path::new("--csv"), &csv]);
}

/// Symlinks to the sitcom photos in `dir`, each in the folder `folder(person, file stem)`.
fn link_sitcom(dir: &Path, folder: impl Fn(&str, &str) -> String) {
    let sitcom = datasets().join("sitcom");
    for person in std::fs::read_dir(&sitcom).unwrap().map(|e| e.unwrap().path()) {
        let name = person.file_name().unwrap().to_str().unwrap().to_owned();
        for photo in std::fs::read_dir(&person).unwrap().map(|e| e.unwrap().path()) {
            let stem = photo.file_stem().unwrap().to_str().unwrap();
            let to = dir.join(folder(&name, stem));
            std::fs::create_dir_all(&to).unwrap();
            std::os::unix::fs::symlink(&photo, to.join(photo.file_name().unwrap())).unwrap();
        }
    }
}

fn monitor_json(project: &Path, images: &Path) -> (Option<i32>, serde_json::Value) {
    let out = pairscope([
        Path::new("monitor"),
        project,
        Path::new("--images"),
        images,
        Path::new("--json"),
        Path::new("--fail-on-drift"),
    ]);
    let json = serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    (out.status.code(), json)
}

fn score_row<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    report["scores"]["rows"].as_array().unwrap().iter().find(|m| m["measure"] == name).unwrap()
}

#[test]
fn identity_folders_compare_the_models_scores_and_wrong_identities_drift() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    let right = dir.path().join("right");
    link_sitcom(&right, |person, _| person.to_owned());
    // Before `embed` the project has no scores of the built-in model: said, not failed.
    let (code, unscored) = monitor_json(&project, &right);
    assert_eq!(code, Some(0), "{unscored:#}");
    let skipped = unscored["scores"]["skipped"].as_str().unwrap();
    assert!(skipped.contains("no scores of the built-in model"), "{skipped}");

    ok([Path::new("embed"), &project, Path::new("--quiet")]);
    let (code, same_layout) = monitor_json(&project, &right);
    assert_eq!(code, Some(0), "{same_layout:#}");
    assert_eq!(
        (same_layout["scores"]["photos"].as_u64(), same_layout["scores"]["identities"].as_u64()),
        (Some(40), Some(8))
    );
    // 8 people with 5 photos: all 80 same-person pairs, and 80 different-person ones.
    let same = score_row(&same_layout, "same_person_score");
    assert_eq!(
        (same["test"]["n_new"].as_u64(), same["test"]["drifted"].as_bool()),
        (Some(80), Some(false)),
        "{same_layout:#}"
    );
    assert_eq!(score_row(&same_layout, "different_person_score")["test"]["n_new"], 80);

    // The same photos filed by photo number: each "identity" holds 8 different people, so the
    // batch's same-person scores look like different-person ones.
    let wrong = dir.path().join("wrong");
    link_sitcom(&wrong, |_, stem| format!("take{}", stem.trim_start_matches(|c: char| c.is_alphabetic())));
    let (code, mixed) = monitor_json(&project, &wrong);
    assert_eq!(code, Some(3), "--fail-on-drift covers the scores: {mixed:#}");
    let same = score_row(&mixed, "same_person_score");
    eprintln!("wrong identities, same_person_score: {same}");
    assert_eq!(same["test"]["drifted"], true, "{mixed:#}");
    assert!(same["median_new"].as_f64().unwrap() < 0.5 * same["median_baseline"].as_f64().unwrap(), "{same}");
    for name in ["brightness", "sharpness", "face_size"] {
        assert_eq!(measure(&mixed, name)["test"]["drifted"], false, "the same photos: {mixed:#}");
    }
    let text = ok([Path::new("monitor"), &project, Path::new("--images"), &wrong, Path::new("-q")]);
    assert!(text.contains("verdict: DRIFTED on same_person_score"), "{text}");
}

#[cfg(unix)]
#[test]
fn ctrl_c_cancels_the_monitor_with_a_message_and_a_failing_status() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sitcom_project(dir.path());
    let many = dir.path().join("many");
    link_all(&lfw_photos(0, 600), &many);
    let mut monitor = Command::new(env!("CARGO_BIN_EXE_pairscope"))
        .args([Path::new("monitor"), &project, Path::new("--images"), &many])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr_lines = BufReader::new(monitor.stderr.take().unwrap()).lines();
    let first = stderr_lines.next().expect("the monitor says something").unwrap();
    assert!(first.starts_with("measuring the photos of"), "{first}");
    std::thread::sleep(std::time::Duration::from_millis(500));
    // SAFETY: kill(2) on our own child's pid.
    assert_eq!(unsafe { libc::kill(monitor.id() as i32, libc::SIGINT) }, 0);
    let rest: Vec<String> = stderr_lines.map(|l| l.unwrap()).collect();
    let status = monitor.wait().unwrap();
    assert_eq!(status.code(), Some(1), "a clean exit with a failing status, not death by signal: {rest:?}");
    assert!(rest.iter().any(|l| l.contains("cancelled: nothing was compared")), "{rest:?}");
}
