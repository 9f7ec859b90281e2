//! Hostile models and export folders: embedders whose output is NaN or all zeros, a duplicate
//! key in `--spec`, staging folders left by killed exports, symbolic links in and around an
//! export.

mod onnx_model;

use std::path::{Path, PathBuf};
use std::process::{Child, Command};

use crate::common;
use crate::common::sitcom_project;
use crate::harness::{ProjectBytes, refused};

/// Writes one of the tiny embedders of `onnx_model` into `dir`.
fn model(dir: &Path, name: &str, factor: f32) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, onnx_model::scaled_slice_model(factor)).unwrap();
    path
}

fn succeeds<I, S>(args: I) -> (String, String)
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let out = common::pairscope(args);
    let (stdout, stderr) = (common::stdout(&out), common::stderr(&out));
    assert!(out.status.success(), "pairscope failed:\nstdout: {stdout}\nstderr: {stderr}");
    (stdout, stderr)
}

/// Embeds the sitcom project (40 photos, 160 pairs) with a model whose every output is
/// `factor` times its input, and checks the summary: every photo with a face has the status
/// bad_embedding and `reason`, images and pairs are counted apart, no empty statuses line.
fn embed_with_a_hostile_model(name: &str, factor: f32, reason: &str) {
    let dir = tempfile::tempdir().unwrap();
    let project = sitcom_project(dir.path());
    let onnx = model(dir.path(), name, factor);
    let (out, _) = succeeds([
        "embed".as_ref(),
        project.as_os_str(),
        "--model".as_ref(),
        onnx.as_os_str(),
        "--spec".as_ref(),
        "size=112x112".as_ref(),
        "--quiet".as_ref(),
    ]);
    let status_line = out.lines().find(|l| l.starts_with("statuses:")).unwrap_or_else(|| panic!("{out}"));
    let bad: u64 = status_line
        .split(", ")
        .find_map(|s| s.trim_start_matches("statuses: ").strip_prefix("bad_embedding "))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("every photo with a face has a bad embedding: {out}"));
    assert!(bad >= 30, "most of the 40 photos show a face: {out}");
    assert!(!status_line.contains("ok "), "no photo has a usable embedding: {out}");
    assert!(out.contains(&format!("without an embedding (bad_embedding {bad}")), "images counted apart: {out}");
    assert!(out.contains(&format!("bad embedding: {reason}")), "the reason is given: {out}");
    assert!(out.contains("scored 0 pairs; 160 without a score"), "pairs counted apart: {out}");
    assert!(!out.lines().any(|l| l.trim() == "statuses:"), "no empty statuses line: {out}");
    assert_eq!(common::info(&project)["models"][0]["scores"], 0, "no pair got a score: {out}");
}

#[test]
fn a_model_whose_output_is_nan_leaves_every_image_with_a_bad_embedding_status() {
    embed_with_a_hostile_model("nan.onnx", f32::NAN, "the model's output is not finite");
}

#[test]
fn a_model_whose_output_is_all_zeros_leaves_every_image_with_a_bad_embedding_status() {
    embed_with_a_hostile_model("zeros.onnx", 0.0, "the model's output has zero norm");
}

#[test]
fn embed_spec_with_a_duplicate_key_is_refused_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let project = sitcom_project(dir.path());
    let onnx = model(dir.path(), "zeros.onnx", 0.0);
    let before = ProjectBytes::of(&project);
    let stderr = refused([
        "embed".as_ref(),
        project.as_os_str(),
        "--model".as_ref(),
        onnx.as_os_str(),
        "--spec".as_ref(),
        "size=112x112,std=127.5,order=rgb,std=1".as_ref(),
    ]);
    assert!(stderr.contains("--spec") && stderr.contains("key 'std' is given twice"), "{stderr}");
    assert!(stderr.contains("'std=127.5' and 'std=1'"), "both values are quoted: {stderr}");
    before.assert_unchanged(&project, "embed --spec with a duplicate key");
}

/// A process that has ended: its PID names no running process (until the system reuses it,
/// which takes a full lap of the PID space).
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

/// A live process that sleeps until killed.
struct Sleeper(Child);

impl Sleeper {
    fn start() -> Self {
        Sleeper(Command::new("sleep").arg("600").spawn().unwrap())
    }
}

impl Drop for Sleeper {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A staging folder as a killed export leaves it: some of the images copied.
fn staging_folder(parent: &Path, name: &str, pid: u32) -> PathBuf {
    let staging = parent.join(format!(".{name}.partial-{pid}"));
    std::fs::create_dir_all(staging.join("images/amy")).unwrap();
    std::fs::copy(common::datasets().join("sitcom/amy/amy1.png"), staging.join("images/amy/amy_0001.png")).unwrap();
    staging
}

#[test]
fn the_staging_folders_of_killed_exports_are_removed_by_the_next_export() {
    let dir = tempfile::tempdir().unwrap();
    let project = sitcom_project(dir.path());
    let parent = dir.path().join("exports");
    std::fs::create_dir(&parent).unwrap();
    let (first, second) = (dead_pid(), dead_pid());
    let dead = [staging_folder(&parent, "out", first), staging_folder(&parent, "out", second)];
    // A running export's folder stays, whatever process it is; so does another target's.
    let live = Sleeper::start();
    let running = staging_folder(&parent, "out", live.0.id());
    let other_target = staging_folder(&parent, "other", first);
    // A live PID that started after the folder was last changed is a reused PID.
    let reused_pid = Sleeper::start();
    let reused = staging_folder(&parent, "out", reused_pid.0.id());
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::open(&reused).unwrap().set_modified(hour_ago).unwrap();

    let out = parent.join("out");
    let (_, stderr) = succeeds(["export".as_ref(), project.as_os_str(), "--out".as_ref(), out.as_os_str()]);
    for gone in dead.iter().chain([&reused]) {
        assert!(!gone.exists(), "{} is removed: {stderr}", gone.display());
    }
    assert!(stderr.contains("removed 3 unfinished exports left by killed runs: "), "{stderr}");
    for path in dead.iter().chain([&reused]) {
        assert!(stderr.contains(&path.display().to_string()), "{} is named: {stderr}", path.display());
    }
    assert!(running.is_dir() && other_target.is_dir(), "a live export and another target's are kept");
    assert!(out.join("manifest.json").is_file(), "the export itself is made");
}

/// The sitcom project exported (without scores) into `dir/export`.
fn exported(dir: &Path) -> (PathBuf, PathBuf) {
    let project = sitcom_project(dir);
    let export = dir.join("export");
    succeeds(["export".as_ref(), project.as_os_str(), "--out".as_ref(), export.as_os_str()]);
    (project, export)
}

#[test]
fn verify_export_fails_on_a_symlink_leading_out_of_the_export() {
    let dir = tempfile::tempdir().unwrap();
    let (project, export) = exported(dir.path());
    // The same bytes, kept outside the export, and the export's file replaced by a link to them.
    let inside = export.join("images/amy/amy_0001.png");
    let outside = dir.path().join("elsewhere.png");
    std::fs::rename(&inside, &outside).unwrap();
    std::os::unix::fs::symlink(&outside, &inside).unwrap();
    let before = ProjectBytes::of(&project);

    let stderr = refused(["verify-export".as_ref(), export.as_os_str()]);
    assert!(
        stderr.contains("images/amy/amy_0001.png: images/amy/amy_0001.png is a symbolic link (to ")
            && stderr.contains("elsewhere.png"),
        "names the file and where it leads: {stderr}"
    );
    assert!(stderr.contains("1 files do not match manifest.json"), "{stderr}");

    // A linked folder on the way is found the same way.
    std::fs::remove_file(&inside).unwrap();
    std::fs::rename(&outside, &inside).unwrap();
    let moved = dir.path().join("amy-elsewhere");
    std::fs::rename(export.join("images/amy"), &moved).unwrap();
    std::os::unix::fs::symlink(&moved, export.join("images/amy")).unwrap();
    let stderr = refused(["verify-export".as_ref(), export.as_os_str()]);
    assert!(stderr.contains("images/amy is a symbolic link (to "), "{stderr}");
    before.assert_unchanged(&project, "verify-export of an export with a symlink");
}

#[test]
fn an_export_through_a_symlink_to_an_empty_folder_lands_in_that_folder() {
    let dir = tempfile::tempdir().unwrap();
    let project = sitcom_project(dir.path());
    let real = dir.path().join("real-folder");
    std::fs::create_dir(&real).unwrap();
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();

    let (out, _) = succeeds(["export".as_ref(), project.as_os_str(), "--out".as_ref(), link.as_os_str()]);
    assert!(out.contains("exported 160 pairs"), "{out}");
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link is kept");
    assert!(real.join("manifest.json").is_file(), "the export is where the link points");
    succeeds(["verify-export".as_ref(), link.as_os_str()]);
}

#[test]
fn an_export_to_a_dangling_symlink_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let project = sitcom_project(dir.path());
    let link = dir.path().join("dangling");
    std::os::unix::fs::symlink(dir.path().join("nowhere"), &link).unwrap();
    let before = ProjectBytes::of(&project);

    let stderr = refused(["export".as_ref(), project.as_os_str(), "--out".as_ref(), link.as_os_str()]);
    assert!(
        stderr.contains(&format!("{}: is a symbolic link to ", link.display())) && stderr.contains("nowhere"),
        "{stderr}"
    );
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link is not replaced");
    before.assert_unchanged(&project, "export to a dangling symlink");
}

#[test]
fn an_export_inside_a_symlink_to_a_file_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let project = sitcom_project(dir.path());
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "not a folder").unwrap();
    let link = dir.path().join("link-to-notes");
    std::os::unix::fs::symlink(&file, &link).unwrap();
    let before = ProjectBytes::of(&project);

    let stderr = refused(["export".as_ref(), project.as_os_str(), "--out".as_ref(), link.join("out").as_os_str()]);
    assert!(stderr.contains(&format!("{}: is not a folder", link.display())), "{stderr}");
    before.assert_unchanged(&project, "export inside a symlink to a file");
}
