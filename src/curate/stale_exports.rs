//! Staging folders of exports that never finished. An export writes into
//! `.NAME.partial-PID` beside its target and renames it into place at the end (see
//! `export.rs`); a killed export (SIGKILL, a crash, power loss) leaves that folder behind, up
//! to the size of the whole export. The next export to the same parent removes the ones whose
//! process is gone.
//!
//! A folder is stale when the process that wrote it is gone (see [`crate::orphans`]).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use crate::orphans::{parse_pid, process_gone_since};

/// What the clean-up did: the folders removed, and those it could not remove, with why.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StaleExports {
    pub removed: Vec<PathBuf>,
    pub failed: Vec<(PathBuf, String)>,
}

impl StaleExports {
    /// One line for stderr or the status bar, `None` when there was nothing to clean.
    pub fn describe(&self) -> Option<String> {
        let mut parts = Vec::new();
        if !self.removed.is_empty() {
            let (n, what) = match self.removed.len() {
                1 => (1, "unfinished export left by a killed run"),
                n => (n, "unfinished exports left by killed runs"),
            };
            let names: Vec<String> = self.removed.iter().map(|p| p.display().to_string()).collect();
            parts.push(format!("removed {n} {what}: {}", names.join(", ")));
        }
        for (path, why) in &self.failed {
            parts.push(format!("cannot remove the unfinished export {}: {why}", path.display()));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

/// The staging folder name an export of `name` by process `pid` uses.
pub(super) fn staging_name(name: &OsStr, pid: u32) -> String {
    format!("{}{pid}", staging_prefix(name))
}

fn staging_prefix(name: &OsStr) -> String {
    format!(".{}.partial-", name.to_string_lossy())
}

/// Removes the stale staging folders of exports to `parent/name` (see the module comment).
pub fn remove_stale_exports(parent: &Path, name: &OsStr) -> StaleExports {
    let mut done = StaleExports::default();
    let Ok(entries) = std::fs::read_dir(parent) else {
        return done; // a parent that cannot be listed has nothing we could remove either
    };
    let prefix = staging_prefix(name);
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name.to_str().and_then(|n| n.strip_prefix(prefix.as_str())).and_then(parse_pid) else {
            continue;
        };
        // Never a symlink or a file that merely has the name: only a real folder is removed.
        let Ok(meta) = std::fs::symlink_metadata(entry.path()) else { continue };
        if !meta.is_dir() || pid == std::process::id() {
            continue;
        }
        let changed = meta.modified().ok();
        if !process_gone_since(pid, changed) {
            continue;
        }
        let path = entry.path();
        match std::fs::remove_dir_all(&path) {
            Ok(()) => done.removed.push(path),
            Err(e) => done.failed.push((path, e.to_string())),
        }
    }
    done.removed.sort();
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_counts_and_names() {
        let none = StaleExports::default();
        assert_eq!(none.describe(), None);
        let two = StaleExports { removed: vec![".a.partial-1".into(), ".a.partial-2".into()], failed: vec![] };
        assert_eq!(
            two.describe().unwrap(),
            "removed 2 unfinished exports left by killed runs: .a.partial-1, .a.partial-2"
        );
    }
}
