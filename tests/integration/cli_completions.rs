//! `pairscope completions SHELL`: scripts the shells accept, naming the real subcommands.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::common;

use common::{ok, pairscope, stderr};

/// Whether `shell -n` (parse, do not run) accepts the script; `None` if the shell is not installed.
fn shell_accepts(shell: &str, script: &str) -> Option<Result<(), String>> {
    let mut child = Command::new(shell)
        .arg("-n")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take().unwrap().write_all(script.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    Some(if out.status.success() { Ok(()) } else { Err(String::from_utf8_lossy(&out.stderr).into_owned()) })
}

fn names_the_subcommands(script: &str, shell: &str) {
    for subcommand in ["import-pairs", "export", "verify-export", "merge-labels", "completions"] {
        assert!(script.contains(subcommand), "the {shell} script does not name {subcommand}");
    }
    assert!(script.contains("threshold-from"), "the {shell} script does not name report's options");
}

#[test]
fn bash_completions_name_the_subcommands_and_parse() {
    let script = ok(["completions", "bash"]);
    names_the_subcommands(&script, "bash");
    assert!(script.contains("complete -F _pairscope"), "bash registers its function");
    let parsed = shell_accepts("bash", &script).expect("bash is installed");
    assert_eq!(parsed, Ok(()));
    // The test itself can fail: a broken script is refused.
    assert!(shell_accepts("bash", &script.replacen("esac", "", 1)).unwrap().is_err());
}

#[test]
fn zsh_and_fish_completions_name_the_subcommands_and_parse_where_installed() {
    for (shell, marker) in [("zsh", "#compdef pairscope"), ("fish", "complete -c pairscope")] {
        let script = ok(["completions", shell]);
        names_the_subcommands(&script, shell);
        assert!(script.contains(marker), "the {shell} script has no {marker:?}");
        match shell_accepts(shell, &script) {
            Some(parsed) => assert_eq!(parsed, Ok(()), "{shell} -n refuses the script"),
            None => eprintln!("{shell} is not installed: its script is checked for its markers only"),
        }
    }
}

#[test]
fn an_unknown_shell_is_refused_with_the_known_ones() {
    let out = pairscope(["completions", "tcsh"]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(err.contains("invalid value 'tcsh'"), "{err}");
    assert!(err.contains("bash") && err.contains("zsh") && err.contains("fish"), "{err}");
}
