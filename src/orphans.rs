//! Files and folders a killed pairscope process left behind: an export's `.NAME.partial-PID`
//! staging folder, an import's `.NAME.new-PID` project. Each carries the PID of its writer, and
//! is orphaned when that process is gone.
//!
//! Gone means: process PID is not running, or the process now running under that PID started
//! after the file was last changed (PIDs are reused, and a process cannot have written into a
//! file before it existed). A running process that started earlier is left alone, whatever
//! program it is, so live work is never removed (the price: an orphan whose PID happens to be
//! reused by an older process waits for a later run). Only Linux tells when a process started;
//! elsewhere a running PID always keeps its file.

use std::time::{Duration, SystemTime};

/// A PID as pairscope writes it into a name: decimal digits, no sign, no leading zero, above 0.
pub(crate) fn parse_pid(text: &str) -> Option<u32> {
    let ok = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) && !text.starts_with('0');
    ok.then(|| text.parse().ok()).flatten().filter(|pid: &u32| *pid <= i32::MAX as u32)
}

/// Whether the process that wrote a folder last changed at `changed` is certainly gone.
#[cfg(unix)]
pub(crate) fn process_gone_since(pid: u32, changed: Option<SystemTime>) -> bool {
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
pub(crate) fn process_gone_since(_pid: u32, _changed: Option<SystemTime>) -> bool {
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
}
