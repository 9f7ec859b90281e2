//! What every hostile-input case needs: the corpus folder, a project to attack, and proof that
//! the attack left it as it was.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common;

/// `tests/fixtures/hostile/NAME`: one file of the corpus.
pub fn corpus(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile").join(name);
    assert!(path.exists(), "corpus file {} is missing", path.display());
    path
}

/// The bytes of a project file and of its write-ahead log, if one is left. pairscope closes
/// cleanly after every command, so whatever a command committed is in the main file by then;
/// equal bytes mean nothing was written, not even a schema or a migration.
#[derive(Debug, PartialEq, Eq)]
pub struct ProjectBytes {
    main: Option<Vec<u8>>,
    wal: Option<Vec<u8>>,
}

impl ProjectBytes {
    pub fn of(project: &Path) -> Self {
        let wal = PathBuf::from(format!("{}-wal", project.display()));
        ProjectBytes { main: std::fs::read(project).ok(), wal: std::fs::read(wal).ok() }
    }

    /// Panics, naming `case`, unless the project is byte for byte what it was.
    pub fn assert_unchanged(&self, project: &Path, case: &str) {
        let now = ProjectBytes::of(project);
        assert!(now.main == self.main, "{case}: {} changed", project.display());
        assert!(now.wal == self.wal, "{case}: the write-ahead log of {} changed", project.display());
    }
}

/// Runs pairscope, insists that it fails (exit status 1 or 2, never a panic's 101), and
/// returns its stderr.
pub fn refused<I, S>(args: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let out: Output = common::pairscope(args);
    let stderr = common::stderr(&out);
    assert!(!out.status.success(), "pairscope accepted it:\nstdout: {}\nstderr: {stderr}", common::stdout(&out));
    assert_ne!(out.status.code(), Some(101), "pairscope panicked:\n{stderr}");
    assert!(!stderr.contains("panicked"), "pairscope panicked:\n{stderr}");
    stderr
}
