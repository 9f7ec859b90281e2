//! The importers' parsers against hostile input (issue 14, items 2, 7 and 10): LFW names that
//! leave the images folder, an LFW header that overflows, an LFW file with a BOM, file names
//! that are not UTF-8, symlink loops, and a bad pairs CSV whose every fault is told at once.

use std::path::{Path, PathBuf};

use crate::common::{datasets, identities, ok, sitcom_project};
use crate::harness::{ProjectBytes, corpus, refused};

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn lfw_images() -> PathBuf {
    datasets().join("lfw/images")
}

/// Copies LFW images (`person`, number) into `images/<person>/` under `dir`.
fn copy_lfw(dir: &Path, images: &[(&str, u32)]) -> PathBuf {
    let root = dir.join("images");
    for (person, n) in images {
        let rel = format!("{person}/{person}_{n:04}.jpg");
        std::fs::create_dir_all(root.join(person)).unwrap();
        std::fs::copy(lfw_images().join(&rel), root.join(&rel)).unwrap();
    }
    root
}

/// Copies sitcom photos (`person`, file name) into `images/<person>/` under `dir`.
fn copy_sitcom(dir: &Path, images: &[(&str, &str)]) -> PathBuf {
    let root = dir.join("images");
    for (person, file) in images {
        std::fs::create_dir_all(root.join(person)).unwrap();
        std::fs::copy(datasets().join("sitcom").join(person).join(file), root.join(person).join(file)).unwrap();
    }
    root
}

/// `import-lfw` into an existing project must refuse; returns stderr after checking that the
/// project is byte for byte unchanged.
fn lfw_refused(case: &str, pairs: &Path, images: &Path) -> String {
    let dir = tempfile::tempdir().unwrap();
    let project = sitcom_project(dir.path());
    let before = ProjectBytes::of(&project);
    let err = refused(["import-lfw", arg(&project), "--pairs", arg(pairs), "--images", arg(images)]);
    before.assert_unchanged(&project, case);
    err
}

#[test]
fn lfw_parent_escape() {
    // `../secret 1 2` names ../secret/../secret_0001.jpg: a file beside the images folder.
    let dir = tempfile::tempdir().unwrap();
    let images = copy_lfw(dir.path(), &[("Abel_Pacheco", 1), ("Abel_Pacheco", 2)]);
    std::fs::create_dir(dir.path().join("secret")).unwrap();
    for n in [1, 2] {
        std::fs::copy(images.join("Abel_Pacheco/Abel_Pacheco_0001.jpg"), dir.path().join(format!("secret_000{n}.jpg")))
            .unwrap();
    }
    let pairs = corpus("import_parsers/lfw_parent_escape.txt");
    let err = lfw_refused("lfw_parent_escape", &pairs, &images);
    assert!(err.contains("lfw_parent_escape.txt:3: "), "the line is named:\n{err}");
    assert!(err.contains("must be relative to the images folder and stay inside it"), "the reason:\n{err}");
    assert!(err.contains("../secret"), "the name is quoted:\n{err}");
}

#[test]
fn lfw_absolute_name() {
    let pairs = corpus("import_parsers/lfw_absolute_name.txt");
    let err = lfw_refused("lfw_absolute_name", &pairs, &lfw_images());
    assert!(err.contains("lfw_absolute_name.txt:3: "), "the line is named:\n{err}");
    assert!(err.contains("must be relative to the images folder and stay inside it"), "the reason:\n{err}");
}

#[test]
fn lfw_header_overflow() {
    // 2147483648 folds × 2 pairs once wrapped to 0 expected pairs, so any file passed.
    let pairs = corpus("import_parsers/lfw_header_overflow.txt");
    let err = lfw_refused("lfw_header_overflow", &pairs, &lfw_images());
    assert!(
        err.contains("lfw_header_overflow.txt: line 1: the header promises 4294967296 pairs"),
        "the file, its header line and the promised count, unwrapped:\n{err}"
    );
}

#[test]
fn lfw_header_promises_more_than_the_file_holds() {
    // A header within the maximum but beyond the lines present: a truncated file.
    let dir = tempfile::tempdir().unwrap();
    let pairs = dir.path().join("pairs.txt");
    std::fs::write(&pairs, "1000 300\nAbel_Pacheco 1 2\nAbel_Pacheco 1 Akhmed_Zakayev 1\n").unwrap();
    let err = lfw_refused("lfw_header_promises_more_than_the_file_holds", &pairs, &lfw_images());
    assert!(err.contains("pairs.txt:1: the header promises 600000 pairs"), "file, line and count:\n{err}");
    assert!(err.contains("has 2"), "what the file holds:\n{err}");
}

#[test]
fn lfw_bom() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("lfw.pairscope");
    let pairs = corpus("import_parsers/lfw_bom.txt");
    let out = ok(["import-lfw", arg(&project), "--pairs", arg(&pairs), "--images", arg(&lfw_images())]);
    assert!(out.contains("imported 2 pairs"), "a BOM is read past, as in the CSV files:\n{out}");
}

#[test]
fn folders_non_utf8_file_name() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let images = copy_sitcom(
        dir.path(),
        &[("amy", "amy1.png"), ("amy", "amy2.png"), ("penny", "penny1.png"), ("penny", "penny2.png")],
    );
    let bad = images.join("amy").join(std::ffi::OsStr::from_bytes(b"amy\xff3.png"));
    std::fs::copy(images.join("amy/amy1.png"), &bad).unwrap();
    let project = dir.path().join("p.pairscope");
    let out = ok(["import-folders", arg(&project), "--images", arg(&images), "--verbose"]);
    assert!(!out.contains("not found"), "the file exists; it is not 'not found':\n{out}");
    let line =
        out.lines().find(|l| l.contains("amy\u{FFFD}3.png")).unwrap_or_else(|| panic!("the path is named:\n{out}"));
    assert!(line.contains("not valid UTF-8") && line.contains("skipped"), "why, and what became of it:\n{out}");
}

#[test]
fn folders_symlink_loop_file() {
    let dir = tempfile::tempdir().unwrap();
    let images = copy_sitcom(
        dir.path(),
        &[("amy", "amy1.png"), ("amy", "amy2.png"), ("penny", "penny1.png"), ("penny", "penny2.png")],
    );
    std::os::unix::fs::symlink("loop.png", images.join("penny/loop.png")).unwrap();
    let project = dir.path().join("p.pairscope");
    let out = ok(["import-folders", arg(&project), "--images", arg(&images), "--verbose"]);
    let line =
        out.lines().find(|l| l.contains("penny/loop.png")).unwrap_or_else(|| panic!("the loop is reported:\n{out}"));
    assert!(line.contains("symbolic links") && line.contains("skipped"), "why, and what became of it:\n{out}");
}

#[test]
fn folders_root_symlink_loop() {
    // `looproot -> .` made the images folder an identity of its own, with its loose photos.
    let dir = tempfile::tempdir().unwrap();
    let images = copy_sitcom(
        dir.path(),
        &[("amy", "amy1.png"), ("amy", "amy2.png"), ("penny", "penny1.png"), ("penny", "penny2.png")],
    );
    std::fs::copy(images.join("amy/amy1.png"), images.join("loose.png")).unwrap();
    std::os::unix::fs::symlink(".", images.join("looproot")).unwrap();
    let project = dir.path().join("p.pairscope");
    let out = ok(["import-folders", arg(&project), "--images", arg(&images), "--verbose"]);
    let line = out.lines().find(|l| l.contains("looproot")).unwrap_or_else(|| panic!("the loop is reported:\n{out}"));
    assert!(line.contains("loops back") && line.contains("skipped"), "why, and what became of it:\n{out}");
    let who = identities(&project);
    assert!(who.values().all(|w| w != "looproot"), "looproot is no identity: {who:?}");
    assert_eq!(who.len(), 4, "amy's and penny's photos only: {who:?}");
}

#[test]
fn pairs_bad_rows_and_missing_images_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let project = sitcom_project(dir.path());
    let before = ProjectBytes::of(&project);
    let csv = corpus("import_parsers/pairs_bad_rows_and_missing_images.csv");
    let celebs = datasets().join("celebrity-pairs");
    let err = refused(["import-pairs", arg(&project), "--csv", arg(&csv), "--images", arg(&celebs)]);
    before.assert_unchanged(&project, "pairs_bad_rows_and_missing_images_at_once");
    assert!(err.contains("2 bad rows"), "both faults count:\n{err}");
    assert!(err.contains("pairs_bad_rows_and_missing_images.csv:3: truth: \"perhaps\""), "the bad row:\n{err}");
    assert!(
        err.contains("pairs_bad_rows_and_missing_images.csv:4: image nothere.jpg not found"),
        "the missing image, in the same list:\n{err}"
    );
}
