//! Staging folders of exports that never finished. An export writes into
//! `.NAME.partial-PID` beside its target and renames it into place at the end (see
//! `export.rs`); a killed export (SIGKILL, a crash, power loss) leaves that folder behind, up
//! to the size of the whole export. The next export to the same parent removes the ones whose
//! process is gone.
//!
//! A folder is stale when process PID is not running, or when the process now running under
//! that PID started after the folder was last changed: PIDs are reused, and a process cannot
//! have written into a folder before it existed. A running process that started earlier is
//! left alone, whatever program it is, so a live export is never removed (the price: a stale
//! folder whose PID happens to be reused by an older process waits for a later export). Only
//! Linux tells when a process started; elsewhere a running PID always keeps its folder.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

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

/// A PID as `export.rs` writes it: decimal digits, no sign, no leading zero, above 0.
fn parse_pid(text: &str) -> Option<u32> {
    let ok = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) && !text.starts_with('0');
    ok.then(|| text.parse().ok()).flatten().filter(|pid: &u32| *pid <= i32::MAX as u32)
}

/// Whether the process that wrote a folder last changed at `changed` is certainly gone.
#[cfg(unix)]
fn process_gone_since(pid: u32, changed: Option<SystemTime>) -> bool {
    // SAFETY: signal 0 only checks that the process exists; nothing is sent.
    let alive = unsafe { libc::kill(pid as libc::pid_t, 0) } == 0
        || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH);
    if !alive {
        return true;
    }
    // Clocks round (boot time is in whole seconds): a margin keeps the doubt on the safe side.
    const MARGIN: Duration = Duration::from_secs(2);
    match (changed, process_start(pid)) {
        (Some(changed), Some(started)) => started > changed + MARGIN,
        _ => false,
    }
}

#[cfg(not(unix))]
fn process_gone_since(_pid: u32, _changed: Option<SystemTime>) -> bool {
    false // no way to tell here; leaving a folder is safer than removing a live export
}

/// When process `pid` started (Linux: `/proc/PID/stat` field 22, in clock ticks after boot).
#[cfg(unix)]
fn process_start(pid: u32) -> Option<SystemTime> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces: count after its end.
    let after_name = &stat[stat.rfind(')')? + 1..];
    let ticks: u64 = after_name.split_whitespace().nth(19)?.parse().ok()?;
    let boot: u64 = std::fs::read_to_string("/proc/stat")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("btime "))
        .and_then(|s| s.trim().parse().ok())?;
    // SAFETY: sysconf has no preconditions.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if per_second <= 0 {
        return None;
    }
    let since_boot = Duration::from_secs_f64(ticks as f64 / per_second as f64);
    Some(SystemTime::UNIX_EPOCH + Duration::from_secs(boot) + since_boot)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_pids_count() {
        assert_eq!(parse_pid("123"), Some(123));
        for bad in ["", "0", "012", "-5", "+5", "12a", "99999999999"] {
            assert_eq!(parse_pid(bad), None, "{bad}");
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn this_process_started_before_now() {
        let started = process_start(std::process::id()).expect("Linux tells when a process started");
        assert!(started <= SystemTime::now() + Duration::from_secs(2));
        assert!(!process_gone_since(std::process::id(), Some(SystemTime::now())));
    }

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
