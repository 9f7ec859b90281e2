//! A hub whose server asks its labelers for a password (issue 16), as `.ci/postgres.sh` sets
//! up for members of `pairscope_password_required` (scram-sha-256): without one, `clone` and
//! `sync` say where the password goes; a wrong one in `.pgpass` is named as refused; the right
//! one there works; at a terminal the CLI asks for it, unechoed, as psql does, and asks again
//! after a wrong one. The password is never written into the project file.

use crate::common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::hub::fresh_hub;
use common::{datasets, ok, sitcom_project, stderr, stdout};
use pairscope::hub::{HubUrl, connect};

/// With ':' and '\', which `.pgpass` escapes.
const PASSWORD: &str = r"pa:ss\w0rd";

/// The hub holding the sitcom project, and ana's URL: her role must give [`PASSWORD`]. None
/// when there is no test server, or (outside CI) when it trusts every role.
fn hub_asking_for_passwords(test: &str, dir: &Path) -> Option<HubUrl> {
    let (url, suffix) = fresh_hub(test)?;
    ok(["hub", "init", &url.to_string()]);
    ok(["share", sitcom_project(dir).to_str().unwrap(), "--hub", &url.to_string()]);
    let role = format!("ana_{suffix}");
    ok(["hub", "add-labeler", &url.to_string(), "ana", "--pg-role", &role]);
    let escaped = PASSWORD.replace('\'', "''");
    connect(&url)
        .unwrap()
        .batch_execute(&format!("ALTER ROLE {role} PASSWORD '{escaped}'; GRANT pairscope_password_required TO {role};"))
        .unwrap();
    let ana = url.as_role(&role);
    let trusted = run(&["hub", "status", &ana.to_string()], &Env::NoPassword).status.success();
    if trusted {
        assert!(std::env::var_os("CI").is_none(), "CI's server asks pairscope_password_required for passwords");
        eprintln!("skipped {test}: the server trusts every role (start it as .ci/postgres.sh does)");
        return None;
    }
    Some(ana)
}

/// Where the CLI may look for a password.
enum Env {
    NoPassword,
    /// A `.pgpass` file (mode 0600) with this line.
    PgPass(PathBuf),
}

fn command(args: &[&str], env: &Env) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pairscope"));
    command.args(args).env_remove("PGPASSWORD").stdin(Stdio::null());
    let home = tempfile::tempdir().unwrap().keep();
    command.env("HOME", &home);
    match env {
        Env::NoPassword => command.env_remove("PGPASSFILE"),
        Env::PgPass(file) => command.env("PGPASSFILE", file),
    };
    command
}

fn run(args: &[&str], env: &Env) -> Output {
    command(args, env).output().unwrap()
}

fn pgpass(dir: &Path, url: &HubUrl, password: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let file = dir.join(format!("pgpass-{}", password.len()));
    let escaped = password.replace('\\', r"\\").replace(':', r"\:");
    std::fs::write(&file, format!("{}:{}:{}:{}:{escaped}\n", url.host, url.port, url.database, url.user)).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    file
}

#[test]
fn without_the_password_the_cli_says_where_it_goes_and_pgpass_gives_it() {
    let dir = tempfile::tempdir().unwrap();
    let Some(ana) = hub_asking_for_passwords("hub_password_pgpass", dir.path()) else { return };
    let copy = dir.path().join("ana.pairscope");
    let images = datasets().join("sitcom");
    let clone = |env: &Env| {
        run(&["clone", &ana.to_string(), copy.to_str().unwrap(), "--images", images.to_str().unwrap()], env)
    };

    let out = clone(&Env::NoPassword);
    assert!(!out.status.success());
    let said = stderr(&out);
    assert!(said.contains(&format!("asks for role {}'s password; put it in ~/.pgpass", ana.user)), "{said}");
    assert!(!copy.exists(), "nothing is left of a clone that could not connect");

    let out = clone(&Env::PgPass(pgpass(dir.path(), &ana, "wrong")));
    assert!(!out.status.success());
    let said = stderr(&out);
    assert!(said.contains(&format!("refused the password for role {}", ana.user)), "{said}");

    let out = clone(&Env::PgPass(pgpass(dir.path(), &ana, PASSWORD)));
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(&["sync", copy.to_str().unwrap()], &Env::PgPass(pgpass(dir.path(), &ana, PASSWORD)));
    assert!(stdout(&out).contains("sent 0 changes, brought 0"), "{}{}", stdout(&out), stderr(&out));

    // Without it, sync keeps the copy's changes and says so.
    let out = run(&["sync", copy.to_str().unwrap()], &Env::NoPassword);
    let said = stderr(&out);
    assert!(!out.status.success() && said.contains("password") && said.contains("nothing is lost"), "{said}");
}

/// The output of a process on a terminal, read as it comes.
struct Terminal {
    child: std::process::Child,
    seen: Arc<Mutex<String>>,
}

impl Terminal {
    /// Runs pairscope on a pseudo-terminal through util-linux's `script`.
    fn start(args: &[&str]) -> Terminal {
        let quoted: Vec<String> = std::iter::once(env!("CARGO_BIN_EXE_pairscope"))
            .chain(args.iter().copied())
            .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
            .collect();
        let mut script = Command::new("script");
        script.args(["-qefc", &quoted.join(" "), "/dev/null"]);
        let home = tempfile::tempdir().unwrap().keep();
        script.env("HOME", home).env_remove("PGPASSFILE").env_remove("PGPASSWORD");
        let mut child = script.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let seen = Arc::new(Mutex::new(String::new()));
        for mut from in
            [Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>, Box::new(child.stderr.take().unwrap())]
        {
            let seen = seen.clone();
            std::thread::spawn(move || {
                let mut buffer = [0; 1024];
                while let Ok(n @ 1..) = from.read(&mut buffer) {
                    seen.lock().unwrap().push_str(&String::from_utf8_lossy(&buffer[..n]));
                }
            });
        }
        Terminal { child, seen }
    }

    /// Waits until `text` has appeared `times` times.
    fn wait_for(&self, text: &str, times: usize) {
        let start = Instant::now();
        while self.seen.lock().unwrap().matches(text).count() < times {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "no {text:?} on the terminal: {}",
                self.seen.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Types a line, after the prompt has had time to turn the echo off.
    fn type_line(&mut self, line: &str) {
        std::thread::sleep(Duration::from_millis(300));
        let stdin = self.child.stdin.as_mut().unwrap();
        stdin.write_all(format!("{line}\n").as_bytes()).unwrap();
        stdin.flush().unwrap();
    }
}

#[test]
fn at_a_terminal_the_cli_asks_for_the_password_unechoed_and_again_after_a_wrong_one() {
    if !Command::new("sh").args(["-c", "command -v script"]).output().is_ok_and(|o| o.status.success()) {
        assert!(std::env::var_os("CI").is_none(), "CI has util-linux's script");
        eprintln!("skipped: no `script` to give the CLI a terminal");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let Some(ana) = hub_asking_for_passwords("hub_password_prompt", dir.path()) else { return };
    let copy = dir.path().join("ana.pairscope");
    let images = datasets().join("sitcom");

    let mut terminal =
        Terminal::start(&["clone", &ana.to_string(), copy.to_str().unwrap(), "--images", images.to_str().unwrap()]);
    let prompt = format!("Password for role {} at {}:{}/{}: ", ana.user, ana.host, ana.port, ana.database);
    terminal.wait_for(&prompt, 1);
    terminal.type_line("not-it");
    terminal.wait_for("The hub refused that password.", 1);
    terminal.wait_for(&prompt, 2);
    terminal.type_line(PASSWORD);
    let status = terminal.child.wait().unwrap();
    let seen = terminal.seen.lock().unwrap().clone();
    assert!(status.success(), "{seen}");
    assert!(seen.contains("is ana's copy of"), "{seen}");
    assert!(!seen.contains("not-it") && !seen.contains(PASSWORD), "the password was echoed: {seen}");

    // Asked once per process: the clone's later connections use what was typed. Nothing of it
    // is in the project file.
    assert_eq!(seen.matches(&prompt).count(), 2, "{seen}");
    let bytes = std::fs::read(&copy).unwrap();
    assert!(!bytes.windows(PASSWORD.len()).any(|w| w == PASSWORD.as_bytes()), "the password is in the project file");
}
