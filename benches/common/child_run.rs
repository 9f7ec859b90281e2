//! Runs the `pairscope` binary as a child process and measures it: wall time, and peak RSS
//! from `wait4` (the child's own, not this bench's). Shared by the benches that measure a
//! command the way a user runs it.

use std::ffi::OsStr;
use std::process::Command as Process;
use std::time::{Duration, Instant};

pub struct Run {
    pub wall: Duration,
    pub peak_rss: u64,
    pub stdout: String,
}

/// Runs the binary (`PAIRSCOPE_BIN`, a baseline build kept aside, if set) with `args`, and
/// panics with its output unless it succeeds.
pub fn pairscope(args: &[&OsStr]) -> Run {
    let started = Instant::now();
    let bin = std::env::var_os("PAIRSCOPE_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_pairscope").into());
    // Reaped by `wait4` below, which also gives its peak RSS.
    #[allow(clippy::zombie_processes)]
    let child = Process::new(bin)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .expect("running pairscope");
    let pid = child.id() as libc::pid_t;
    let mut stdout = child.stdout.expect("piped");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).unwrap();
        text
    });
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; `status` and `usage` are valid for writing.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    assert_eq!(waited, pid, "wait4");
    let stdout = reader.join().unwrap();
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "pairscope {args:?} failed:\n{stdout}");
    Run { wall, peak_rss: usage.ru_maxrss as u64 * 1024, stdout }
}
