//! A labeler's process is killed with SIGKILL in the middle of labeling: on reopening, every
//! label it reported as saved is in the project, and the file passes `PRAGMA integrity_check`.
//!
//! The child is this test binary run again with `CRASH_CHILD_PROJECT` set: it labels pairs
//! through the store exactly as the GUI does (verdict and tag, one transaction per action) and
//! prints each pair after its transaction committed.

use crate::common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use pairscope::domain::Truth;
use pairscope::store::{Origin, PairId, Store, StoreError};

const CHILD_ENV: &str = "CRASH_CHILD_PROJECT";

/// The label the child gives a pair on its `round`-th pass: it alternates, so a stale value
/// on disk cannot pass for the reported one.
fn label_for(round: u64) -> (Truth, bool) {
    if round.is_multiple_of(2) { (Truth::Same, true) } else { (Truth::Different, false) }
}

/// The child's body; a no-op unless the parent started this binary as the child.
#[test]
fn crash_child_labeler() {
    let Ok(project) = std::env::var(CHILD_ENV) else { return };
    let mut store = Store::open(Path::new(&project)).unwrap();
    let (alice, dark) = store
        .write(|tx| Ok::<_, StoreError>((tx.labeler_or_create("alice")?.0.id, tx.find_tag("dark")?.unwrap().id)))
        .unwrap();
    let pairs: Vec<PairId> = store.read(|tx| tx.pairs()).unwrap().into_iter().map(|p| p.id).collect();
    let mut out = std::io::stdout().lock();
    for round in 0.. {
        let (verdict, tagged) = label_for(round);
        for &pair in &pairs {
            store
                .write(|tx| {
                    tx.set_verdict(pair, alice, Some(verdict), Origin::Gui)?;
                    tx.set_pair_tag(pair, alice, dark, tagged, Origin::Gui)
                })
                .unwrap();
            writeln!(out, "saved {} {round}", pair.0).unwrap();
            out.flush().unwrap();
        }
    }
}

#[test]
fn every_label_reported_saved_survives_sigkill() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("sitcom.pairscope");
    let sitcom = common::datasets().join("sitcom");
    common::ok(["import-folders", project.to_str().unwrap(), "--images", sitcom.to_str().unwrap(), "--seed", "1"]);

    let mut child = Command::new(std::env::current_exe().unwrap())
        // The test's name in this binary: its module path without the crate.
        .args(["--exact", "crash_labeling::crash_child_labeler", "--nocapture", "--test-threads", "1"])
        .env(CHILD_ENV, &project)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting the child labeler");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    // The last round reported for each pair, in the order they were reported.
    let mut reported: HashMap<i64, u64> = HashMap::new();
    let mut order: Vec<i64> = Vec::new();
    fn record(line: &str, reported: &mut HashMap<i64, u64>, order: &mut Vec<i64>) {
        let Some(rest) = line.strip_prefix("saved ") else { return };
        let (pair, round) = rest.split_once(' ').expect("saved PAIR ROUND");
        let pair: i64 = pair.parse().unwrap();
        reported.insert(pair, round.parse().unwrap());
        order.push(pair);
    }
    // Past the first round (every pair labeled once), then into the middle of the second.
    while order.len() < 160 + 37 {
        let line = lines.next().expect("the child stopped early").unwrap();
        record(&line, &mut reported, &mut order);
    }
    child.kill().expect("SIGKILL"); // std's kill is SIGKILL on Unix
    child.wait().unwrap();
    // Lines already in the pipe were reported before the kill: they count too.
    for line in lines {
        record(&line.unwrap(), &mut reported, &mut order);
    }
    let last_reported = *order.last().unwrap();

    let mut store = Store::open(&project).expect("the project reopens after SIGKILL");
    store.integrity_check().expect("PRAGMA integrity_check passes");
    let alice = store.read(|tx| tx.find_labeler("alice")).unwrap().unwrap().id;
    let dark = store.read(|tx| tx.find_tag("dark")).unwrap().unwrap().id;
    let pairs: Vec<i64> = store.read(|tx| tx.pairs()).unwrap().into_iter().map(|p| p.id.0).collect();
    // The one pair after the last report may have committed without being reported.
    let in_flight = pairs.iter().position(|&p| p == last_reported).map(|i| pairs[(i + 1) % pairs.len()]);
    let mut checked = 0;
    for (&pair, &round) in &reported {
        let verdict = store.read(|tx| tx.verdict(PairId(pair), alice)).unwrap();
        let tagged = store.read(|tx| tx.pair_tags_by(PairId(pair), alice)).unwrap().contains(&dark);
        let (want_verdict, want_tagged) = label_for(round);
        let next = label_for(round + 1);
        let ok = (verdict, tagged) == (Some(want_verdict), want_tagged)
            || (Some(pair) == in_flight && (verdict, tagged) == (Some(next.0), next.1));
        assert!(ok, "pair {pair}: reported round {round} saved, found {verdict:?} tagged={tagged}");
        checked += 1;
    }
    assert_eq!(checked, 160, "every pair was reported at least once");
    // Each save changed a verdict and a tag: two audit events per reported save, at least.
    let events = store.read(|tx| tx.event_count()).unwrap();
    assert!(events >= 2 * order.len() as u64, "{events} audit events for {} reported saves", order.len());
    assert!(order.len() >= 197, "killed mid-stream after {} saves", order.len());
}
