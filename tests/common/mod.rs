//! Helpers shared by the integration tests: the real datasets and the real binary; `gui` holds
//! those of the GUI tests.
#![allow(dead_code)]

pub mod gui;
pub mod held_lock;
pub mod hub;
pub mod parquet_reader;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `../shared/datasets`, beside the repository on every developer machine and in CI.
pub fn datasets() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets");
    assert!(dir.is_dir(), "the shared datasets are expected at {}", dir.display());
    dir
}

/// A project of the sitcom photos (`import-folders`, seed 1: 160 pairs with their truth), made
/// in `dir` through the real binary.
pub fn sitcom_project(dir: &Path) -> PathBuf {
    let project = dir.join("sitcom.pairscope");
    let sitcom = datasets().join("sitcom");
    ok(["import-folders", project.to_str().unwrap(), "--images", sitcom.to_str().unwrap(), "--seed", "1"]);
    project
}

/// Runs the pairscope binary with these arguments.
pub fn pairscope<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    Command::new(env!("CARGO_BIN_EXE_pairscope")).args(args).output().expect("running pairscope")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs pairscope and insists that it succeeds; returns stdout.
pub fn ok<I, S>(args: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let out = pairscope(args);
    // The status too: a process killed by a signal (a crash, the OOM killer) says nothing on stderr.
    assert!(
        out.status.success(),
        "pairscope failed ({}):\nstdout: {}\nstderr: {}",
        out.status,
        stdout(&out),
        stderr(&out)
    );
    stdout(&out)
}

/// `pairscope info --json` as a JSON value.
pub fn info(project: &Path) -> serde_json::Value {
    serde_json::from_str(&ok([Path::new("info"), project, Path::new("--json")])).expect("info --json is JSON")
}

/// Every image's identity, by path relative to its image folder (images without one left out).
pub fn identities(project: &Path) -> std::collections::BTreeMap<String, String> {
    let mut store = pairscope::store::Store::open(project).unwrap();
    store
        .read(|tx| {
            let images = tx.all_images()?;
            Ok(tx.image_identities()?.into_iter().map(|(id, who)| (images[&id].path.clone(), who)).collect())
        })
        .unwrap()
}
