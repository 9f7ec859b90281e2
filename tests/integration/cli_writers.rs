//! Several writers on one project file, through the real binary: a writer that finds the file
//! busy waits for its turn (saying so on stderr) instead of failing, `embed` keeps every
//! finished batch, and Ctrl-C still stops a writer that waits.

use crate::common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

use common::held_lock::{HOLD, Held, WAITING};
use pairscope::store::{Store, StoreError};

/// An LFW project of the first `n` same-person and `n` different-person pairs of fold 1.
fn lfw_project(dir: &Path, n: usize) -> PathBuf {
    let lfw = common::datasets().join("lfw");
    let text = std::fs::read_to_string(lfw.join("pairs.txt")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let per_fold: usize = lines[0].split_whitespace().nth(1).unwrap().parse().unwrap();
    let mut small = format!("1\t{n}\n");
    for line in lines[1..=n].iter().chain(&lines[1 + per_fold..1 + per_fold + n]) {
        small += line;
        small.push('\n');
    }
    let pairs = dir.join("pairs.txt");
    std::fs::write(&pairs, small).unwrap();
    let project = dir.join("lfw.pairscope");
    let images = lfw.join("images");
    common::ok([
        Path::new("import-lfw"),
        project.as_path(),
        Path::new("--pairs"),
        pairs.as_path(),
        Path::new("--images"),
        images.as_path(),
    ]);
    project
}

#[test]
fn embed_waits_out_a_long_write_lock_and_keeps_every_embedding() {
    let dir = tempfile::tempdir().unwrap();
    let project = lfw_project(dir.path(), 40);
    let model = pairscope::face::FaceEngine::builtin().unwrap().identity().sha256.clone();
    let mut store = Store::open(&project).unwrap();
    let images = store.read(|tx| tx.images_to_embed(&model)).unwrap().len();

    let mut embed = Command::new(env!("CARGO_BIN_EXE_pairscope"))
        .args([Path::new("embed"), project.as_path(), Path::new("--quiet")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (line_tx, lines) = channel();
    let stderr = embed.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut all = String::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            all += &line;
            all.push('\n');
            let _ = line_tx.send(line);
        }
        all
    });
    // Mid-way: once the first batch is committed, someone takes the file and holds it until
    // embed has come to its next batch, and then past the old timeout.
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let left = store.read(|tx| tx.images_to_embed(&model)).unwrap().len();
        if left < images {
            assert!(left > 0, "the lock must come mid-way, not after the last batch");
            break;
        }
        assert!(Instant::now() < deadline, "embed stored nothing");
        std::thread::sleep(Duration::from_millis(10));
    }
    store
        .write(|_| {
            // Until embed says it waits, or ends (as it did when it gave up after 5 s).
            while let Ok(line) = lines.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                if line.contains(WAITING) {
                    break;
                }
            }
            std::thread::sleep(HOLD);
            Ok::<_, StoreError>(())
        })
        .unwrap();

    let out = embed.wait_with_output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), reader.join().unwrap());
    assert!(out.status.success(), "embed failed:\n{stdout}\n{stderr}");
    assert_eq!(stderr.matches(WAITING).count(), 1, "embed says once that it waits: {stderr}");
    assert!(stdout.contains(&format!("{images} processed")), "{stdout}");
    assert!(store.read(|tx| tx.images_to_embed(&model)).unwrap().is_empty(), "every embedding arrived");
    let scores = common::info(&project)["models"][0]["scores"].as_u64().unwrap();
    assert!(scores > 0 && stdout.contains(&format!("scored {scores} pairs")), "{stdout}");
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_an_import_that_waits_and_nothing_is_imported() {
    let dir = tempfile::tempdir().unwrap();
    let project = lfw_project(dir.path(), 5);
    let csv = dir.path().join("labels.csv");
    let pair = Store::open(&project).unwrap().read(|tx| tx.pairs()).unwrap()[0].external_id.clone().unwrap();
    std::fs::write(&csv, format!("pair_id,labeler,verdict\n{pair},ana,same\n")).unwrap();

    let held = Held::take(&project);
    let mut import = Command::new(env!("CARGO_BIN_EXE_pairscope"))
        .args([Path::new("import-labels"), project.as_path(), Path::new("--csv"), csv.as_path()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(import.stderr.take().unwrap()).lines();
    let first = stderr.next().expect("the import says something").unwrap();
    assert!(first.ends_with(WAITING), "{first}");
    // SAFETY: kill(2) on our own child's pid.
    assert_eq!(unsafe { libc::kill(import.id() as i32, libc::SIGINT) }, 0);
    let status = import.wait().unwrap();
    assert!(!status.success(), "Ctrl-C stopped the waiting import");
    held.release();
    let info = common::info(&project);
    assert_eq!(info["label_events"], 0, "nothing of the import was written");
    assert!(info["labelers"].as_array().unwrap().is_empty());
}

#[test]
fn a_labels_file_naming_unknown_pairs_is_refused_without_waiting_for_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let project = lfw_project(dir.path(), 5);
    let csv = dir.path().join("labels.csv");
    let pair = Store::open(&project).unwrap().read(|tx| tx.pairs()).unwrap()[0].external_id.clone().unwrap();
    std::fs::write(&csv, format!("pair_id,labeler,verdict\n{pair},ana,same\nno-such-pair,ana,different\n")).unwrap();

    // Everything is checked before the write: a busy file does not hold up the refusal.
    let held = Held::take(&project);
    let releaser = std::thread::spawn(move || held.release()); // after HOLD, whatever happens
    let out = common::pairscope([Path::new("import-labels"), project.as_path(), Path::new("--csv"), csv.as_path()]);
    releaser.join().unwrap();
    let stderr = common::stderr(&out);
    assert!(!out.status.success());
    assert!(stderr.contains("1 bad row; nothing was imported"), "{stderr}");
    assert!(stderr.contains("unknown pair_id \"no-such-pair\""), "{stderr}");
    assert!(!stderr.contains(WAITING), "{stderr}");
    assert_eq!(common::info(&project)["label_events"], 0);
}
