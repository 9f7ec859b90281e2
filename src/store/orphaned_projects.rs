//! Projects that imports killed mid-way left under their hidden working name.

use std::path::Path;

/// Removes the `.NAME.new-PID` projects (and their `-wal`, `-shm`, `-journal`) that imports
/// killed before they finished left beside `path`: [`Store::create_with`](super::Store::create_with) builds a project
/// under that hidden name and removes it itself on every way out but a kill. Only regular files
/// of a process that is gone (see [`crate::orphans`]) are removed; each is logged.
pub(super) fn remove(path: &Path, name: &str) {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    let prefix = format!(".{name}.new-");
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(prefix.as_str())) else { continue };
        let digits = ["-wal", "-shm", "-journal"].iter().find_map(|end| rest.strip_suffix(end)).unwrap_or(rest);
        let Some(pid) = crate::orphans::parse_pid(digits) else { continue };
        let Ok(meta) = std::fs::symlink_metadata(entry.path()) else { continue };
        if !meta.is_file() || pid == std::process::id() {
            continue;
        }
        if crate::orphans::process_gone_since(pid, meta.modified().ok()) {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => tracing::warn!("removed {}, left by an import that was killed", entry.path().display()),
                Err(e) => tracing::warn!("cannot remove {}, left by a killed import: {e}", entry.path().display()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::store::{Store, StoreError};

    /// A PID that is certainly not running now: a child that has exited and been reaped.
    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        pid
    }

    #[test]
    fn a_new_project_removes_what_killed_imports_left_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.pairscope");
        let dead = dead_pid();
        let orphans = [format!(".p.pairscope.new-{dead}"), format!(".p.pairscope.new-{dead}-wal")];
        // pid 1 is running and started before these files: its work is never touched. A
        // folder, another project's file and a name that is not a PID are not ours either.
        let kept = [".p.pairscope.new-1", ".q.pairscope.new-999999", ".p.pairscope.new-x1", "p.pairscope.new-5"];
        for name in orphans.iter().map(String::as_str).chain(kept) {
            std::fs::write(dir.path().join(name), b"unfinished").unwrap();
        }
        std::fs::create_dir(dir.path().join(format!(".p.pairscope.new-{}", dead_pid()))).unwrap();

        Store::create_with(&path, |_| Ok::<_, StoreError>(())).unwrap();

        let mut left: Vec<String> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        left.sort();
        for orphan in &orphans {
            assert!(!left.contains(orphan), "{orphan} is still there: {left:?}");
        }
        for name in kept {
            assert!(left.iter().any(|l| l == name), "{name} was removed: {left:?}");
        }
        assert_eq!(left.len(), kept.len() + 2, "the project and the folder stay too: {left:?}");
    }
}
