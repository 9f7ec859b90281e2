//! `pairscope monitor` on real LFW photos: other LFW photos are stable against an LFW
//! project; the same photos darkened drift on brightness, and `--fail-on-drift` says so with
//! its exit status.

use std::path::{Path, PathBuf};

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

    let out = pairscope(["monitor", p, "--images", dark.to_str().unwrap(), "--json", "--fail-on-drift"]);
    assert_eq!(out.status.code(), Some(3), "exit 3 on drift\n{}\n{}", stdout(&out), stderr(&out));
    let drifted: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(drifted["drifted"], true);
    let brightness = measure(&drifted, "brightness");
    assert_eq!(brightness["test"]["drifted"], true, "{drifted:#}");
    assert!(brightness["median_new"].as_f64().unwrap() < 0.6 * brightness["median_baseline"].as_f64().unwrap());
    assert_eq!(measure(&drifted, "face_size")["test"]["drifted"], false, "the faces are where they were: {drifted:#}");
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
