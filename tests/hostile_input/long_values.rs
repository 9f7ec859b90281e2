//! Messages never echo a whole value (issue 14, item 4): a 500 MB tag once produced 524 MB on
//! stderr. A quoted value is cut after 80 characters and followed by its length in bytes.
//! The huge values are built here in a tempdir (git holds no 50 MB files); each case asserts
//! that the message is small, still names the file, the line and the length, and that the
//! project is unchanged.

use std::path::Path;

use crate::common::sitcom_project;
use crate::harness::{ProjectBytes, refused};

/// A message of a few lines is well under this.
const SMALL: usize = 4096;

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A labels CSV whose second line holds `value` in the column `column` (pair_id, labeler or
/// tags) of an otherwise good row on a sitcom pair.
fn labels_with(dir: &Path, column: &str, value: &str) -> std::path::PathBuf {
    let mut row = ["amy/amy1.png|amy/amy2.png", "ana", "same", "dark"].map(str::to_owned);
    let at = ["pair_id", "labeler", "verdict", "tags"].iter().position(|c| *c == column).unwrap();
    row[at] = value.to_owned();
    let file = dir.join("labels.csv");
    std::fs::write(&file, format!("pair_id,labeler,verdict,tags\n{}\n", row.join(","))).unwrap();
    file
}

fn assert_short(stderr: &str, must_hold: &[&str], case: &str) {
    let head: String = stderr.chars().take(300).collect();
    assert!(stderr.len() < SMALL, "{case}: {} bytes on stderr, starting {head:?}", stderr.len());
    for part in must_hold {
        assert!(stderr.contains(part), "{case}: {part:?} is not in {stderr:?}");
    }
}

#[test]
fn tag_of_50_mb_in_labels_csv() {
    let dir = tempfile::tempdir().unwrap();
    let project = sitcom_project(dir.path());
    let before = ProjectBytes::of(&project);
    let tag = "t".repeat(50 << 20);
    let labels = labels_with(dir.path(), "tags", &tag);
    let stderr = refused(["import-labels", arg(&project), "--csv", arg(&labels)]);
    assert_short(&stderr, &["labels.csv:2:", "longer than 64 characters", "(52428800 bytes)"], "50 MB tag");
    before.assert_unchanged(&project, "50 MB tag");
}

#[test]
fn pair_id_of_50_mb_in_labels_csv() {
    let dir = tempfile::tempdir().unwrap();
    let project = sitcom_project(dir.path());
    let before = ProjectBytes::of(&project);
    let pair_id = "p".repeat(50 << 20);
    let labels = labels_with(dir.path(), "pair_id", &pair_id);
    let stderr = refused(["import-labels", arg(&project), "--csv", arg(&labels)]);
    assert_short(&stderr, &["labels.csv:2:", "unknown pair_id", "(52428800 bytes)"], "50 MB pair_id");
    before.assert_unchanged(&project, "50 MB pair_id");
}

/// A value with terminal escapes is shown escaped, never raw.
#[test]
fn verdict_with_terminal_escapes_in_labels_csv() {
    let dir = tempfile::tempdir().unwrap();
    let project = sitcom_project(dir.path());
    let before = ProjectBytes::of(&project);
    let verdict = format!("\u{1b}]0;owned\u{7}\u{1b}[2J{}", "x".repeat(1 << 20));
    let labels = labels_with(dir.path(), "verdict", &verdict);
    let stderr = refused(["import-labels", arg(&project), "--csv", arg(&labels)]);
    assert_short(&stderr, &["labels.csv:2:", "\\u{1b}]0;owned\\u{7}", "bytes)"], "escapes in a verdict");
    assert!(!stderr.contains('\u{1b}'), "a raw ESC reached stderr: {stderr:?}");
    before.assert_unchanged(&project, "escapes in a verdict");
}

/// The command line takes up to 128 KB per argument: a labeler of 100 KB, refused by the name
/// rules before the project is opened.
#[test]
fn labeler_of_100_kb_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let project = sitcom_project(dir.path());
    let before = ProjectBytes::of(&project);
    let name = "n".repeat(100_000);
    let stderr = refused(["role", arg(&project), &name]);
    assert_short(&stderr, &["<LABELER>", "longer than 64 characters", "(100000 bytes)"], "100 KB labeler");
    before.assert_unchanged(&project, "100 KB labeler");
}

/// An argument clap refuses is echoed by clap itself.
#[test]
fn threshold_of_100_kb_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let project = sitcom_project(dir.path());
    let before = ProjectBytes::of(&project);
    let threshold = "9".repeat(100_000) + "x";
    let stderr = refused(["report", arg(&project), "--threshold", &threshold]);
    assert_short(&stderr, &["--threshold", "(100001 bytes)"], "100 KB threshold");
    before.assert_unchanged(&project, "100 KB threshold");
}
