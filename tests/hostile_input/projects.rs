//! Project files in the wrong place or state (issue 14, items 3, 8 and 9): read-only files,
//! folders and mounts are read, never misdiagnosed, and a write to them names the file; no
//! command leaves a stray project behind (not `info` on an empty file, not a failed import);
//! labeler names follow the tag rules.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common;
use crate::common::sitcom_project;
use crate::harness::{ProjectBytes, corpus, refused};

/// Takes writing away from a file or folder while it lives (`chmod` and, as root, who ignores
/// modes, `chattr +i`), and gives it back on drop, even when the test fails.
struct Frozen(PathBuf);

impl Frozen {
    fn new(path: &Path) -> Frozen {
        let mode = if path.is_dir() { 0o555 } else { 0o444 };
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
        let frozen = Frozen(path.to_owned());
        if is_root() {
            let status = Command::new("chattr").arg("+i").arg(path).status().expect("running chattr");
            assert!(status.success(), "chattr +i {}", path.display());
        }
        frozen
    }
}

impl Drop for Frozen {
    fn drop(&mut self) {
        if is_root() {
            let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
        }
        let mode = if self.0.is_dir() { 0o755 } else { 0o644 };
        let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(mode));
    }
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// A folder mounted read-only (a bind mount of another), unmounted on drop. None where this
/// process may not mount (not root, or in a container without the right).
struct ReadOnlyMount(PathBuf);

impl ReadOnlyMount {
    fn new(source: &Path, target: &Path) -> Option<ReadOnlyMount> {
        std::fs::create_dir(target).unwrap();
        let mounted = Command::new("mount").arg("--bind").arg("-o").arg("ro").arg(source).arg(target).status();
        let mount = ReadOnlyMount(target.to_owned());
        // Older mount(8) ignores "ro" on a bind and needs a remount to make it read-only.
        let read_only = mounted.is_ok_and(|s| s.success())
            && Command::new("mount").args(["-o", "remount,bind,ro"]).arg(target).status().is_ok_and(|s| s.success());
        read_only.then_some(mount)
    }
}

impl Drop for ReadOnlyMount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// The files in `dir`, by name.
fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// A sitcom project alone in a folder of its own, `dir/NAME/sitcom.pairscope`.
fn project_in_folder(dir: &Path, name: &str) -> PathBuf {
    let folder = dir.join(name);
    std::fs::create_dir(&folder).unwrap();
    sitcom_project(&folder)
}

fn ok_stdout(args: &[&str]) -> String {
    let out = common::pairscope(args);
    assert!(out.status.success(), "pairscope {args:?} failed:\n{}", common::stderr(&out));
    common::stdout(&out)
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

// Item 3: read-only projects.

#[test]
fn info_and_report_read_a_project_on_a_read_only_mount() {
    let dir = tempfile::tempdir().unwrap();
    let project = project_in_folder(dir.path(), "source");
    let Some(mount) = ReadOnlyMount::new(&dir.path().join("source"), &dir.path().join("mounted")) else {
        eprintln!("skipped: this process may not mount a folder read-only");
        return;
    };
    let mounted = mount.0.join("sitcom.pairscope");
    let before = ProjectBytes::of(&project);
    assert!(ok_stdout(&["info", path(&mounted)]).contains("pairs    160"));
    let json: serde_json::Value = serde_json::from_str(&ok_stdout(&["report", path(&mounted), "--json"])).unwrap();
    assert_eq!(json["pairs"]["total"], 160);
    before.assert_unchanged(&project, "info and report on a read-only mount");
    assert_eq!(files_in(&mount.0), ["sitcom.pairscope"]);
}

#[test]
fn info_and_report_read_a_project_in_a_read_only_folder() {
    let dir = tempfile::tempdir().unwrap();
    let project = project_in_folder(dir.path(), "shared");
    let before = ProjectBytes::of(&project);
    let _frozen = Frozen::new(project.parent().unwrap());
    assert!(ok_stdout(&["info", path(&project)]).contains("pairs    160"));
    let tables = dir.path().join("tables");
    ok_stdout(&["report", path(&project), "--csv", path(&tables)]);
    assert!(tables.join("per_tag.csv").exists() || files_in(&tables).len() > 1, "{:?}", files_in(&tables));
    before.assert_unchanged(&project, "info and report in a read-only folder");
    assert_eq!(files_in(project.parent().unwrap()), ["sitcom.pairscope"]);
}

#[test]
fn info_reads_a_read_only_file_and_leaves_nothing_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let project = project_in_folder(dir.path(), "p");
    let before = ProjectBytes::of(&project);
    let _frozen = Frozen::new(&project);
    assert!(ok_stdout(&["info", path(&project)]).contains("pairs    160"));
    ok_stdout(&["report", path(&project)]);
    before.assert_unchanged(&project, "info on a read-only file");
    assert_eq!(files_in(project.parent().unwrap()), ["sitcom.pairscope"], "no -wal or -shm left behind");
}

#[test]
fn export_of_a_read_only_project_is_refused_before_it_exports() {
    let dir = tempfile::tempdir().unwrap();
    let project = project_in_folder(dir.path(), "p");
    let before = ProjectBytes::of(&project);
    let _frozen = Frozen::new(&project);
    let out = dir.path().join("export");
    let stderr = refused(["export", path(&project), "--out", path(&out)]);
    assert!(stderr.contains(&format!("cannot write to {}: the file is read-only", project.display())), "{stderr}");
    assert!(!out.exists(), "an export that cannot be recorded is not made");
    before.assert_unchanged(&project, "export of a read-only project");
}

// Item 8: stray project files.

#[test]
fn info_on_an_empty_file_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.pairscope");
    std::fs::write(&empty, b"").unwrap();
    let stderr = refused(["info", path(&empty)]);
    assert!(stderr.contains(&format!("{}: not a pairscope project (empty file)", empty.display())), "{stderr}");
    assert_eq!(std::fs::read(&empty).unwrap(), b"", "info wrote into it");
    assert_eq!(files_in(dir.path()), ["empty.pairscope"]);
}

/// Runs a failing import into a project that does not exist, and checks that it made none.
fn failed_import_leaves_no_project(args: impl Fn(&str) -> Vec<String>, message: &str) {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("new.pairscope");
    let stderr = refused(args(path(&project)));
    assert!(stderr.contains(message), "{stderr}");
    assert!(!stderr.contains("created"), "{stderr}");
    assert_eq!(files_in(dir.path()), Vec::<String>::new(), "a failed import left a file");
}

#[test]
fn import_pairs_of_a_missing_csv_creates_no_project() {
    let missing = "/nonexistent/pairs.csv";
    failed_import_leaves_no_project(
        |p| ["import-pairs", p, "--csv", missing, "--images", "/tmp"].map(String::from).to_vec(),
        "/nonexistent/pairs.csv: cannot read",
    );
}

#[test]
fn import_lfw_of_a_missing_pairs_file_creates_no_project() {
    let missing = "/nonexistent/pairs.txt";
    failed_import_leaves_no_project(
        |p| ["import-lfw", p, "--pairs", missing, "--images", "/tmp"].map(String::from).to_vec(),
        "/nonexistent/pairs.txt: cannot read",
    );
}

#[test]
fn import_folders_of_a_missing_folder_creates_no_project() {
    failed_import_leaves_no_project(
        |p| ["import-folders", p, "--images", "/nonexistent/photos"].map(String::from).to_vec(),
        "/nonexistent/photos: cannot open the images folder",
    );
}

#[test]
fn import_pairs_of_a_bad_csv_creates_no_project() {
    let csv = corpus("projects/pairs_without_images.csv");
    let sitcom = common::datasets().join("sitcom");
    failed_import_leaves_no_project(
        |p| ["import-pairs", p, "--csv", path(&csv), "--images", path(&sitcom)].map(String::from).to_vec(),
        "pairs_without_images.csv",
    );
}

// Item 9: labeler names follow the tag rules.

#[test]
fn import_labels_refuses_a_labeler_name_with_an_escape() {
    let dir = tempfile::tempdir().unwrap();
    let project = sitcom_project(dir.path());
    let before = ProjectBytes::of(&project);
    let csv = corpus("projects/labeler_with_escape.csv");
    let stderr = refused(["import-labels", path(&project), "--csv", path(&csv)]);
    assert!(stderr.contains("labeler_with_escape.csv:2:"), "{stderr}");
    assert!(stderr.contains(r#"labeler name "cy\u{1b}[31m" may not contain ';' or control characters"#), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "the raw escape reached the terminal: {stderr:?}");
    before.assert_unchanged(&project, "import-labels with an ESC in a labeler name");
}

#[test]
fn role_refuses_a_labeler_name_with_a_newline() {
    let dir = tempfile::tempdir().unwrap();
    let project = sitcom_project(dir.path());
    let before = ProjectBytes::of(&project);
    let stderr = refused(["role", path(&project), "ana\nadmin", "engineer"]);
    assert!(stderr.contains(r#"labeler name "ana\nadmin" may not contain ';' or control characters"#), "{stderr}");
    before.assert_unchanged(&project, "role with a newline in the labeler name");
}

#[test]
fn gui_refuses_a_labeler_name_with_a_tab() {
    let dir = tempfile::tempdir().unwrap();
    let project = sitcom_project(dir.path());
    let before = ProjectBytes::of(&project);
    let stderr = refused(["gui", path(&project), "--labeler", "ana\tben"]);
    assert!(stderr.contains(r#"labeler name "ana\tben" may not contain ';' or control characters"#), "{stderr}");
    before.assert_unchanged(&project, "gui --labeler with a tab in the name");
}

#[test]
fn labeler_names_ignore_case_as_tag_names_do() {
    let dir = tempfile::tempdir().unwrap();
    let project = sitcom_project(dir.path());
    ok_stdout(&["role", path(&project), "cy", "engineer"]);
    let before = ProjectBytes::of(&project);
    // "CY" is the labeler "cy": shown, not created.
    assert!(ok_stdout(&["role", path(&project), "CY"]).contains("engineer"));
    before.assert_unchanged(&project, "role CY on a project that knows cy");
    let csv = corpus("projects/labels_by_upper_case_cy.csv");
    ok_stdout(&["import-labels", path(&project), "--csv", path(&csv)]);
    let labelers = common::info(&project)["labelers"].clone();
    let names: Vec<&str> = labelers.as_array().unwrap().iter().map(|l| l["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["cy"], "{labelers}");
    assert_eq!(labelers[0]["verdicts"], 1);
}
