//! The team hub (issue 16) when things go wrong, on a real PostgreSQL server: a labeler's copy
//! that cannot reach the hub labels 100 pairs, says what waits, and once the hub can be reached
//! again all 100 arrive in the order they were made with their history; a sync killed with
//! SIGKILL part-way through, then run again, loses nothing and doubles nothing.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::common;

use common::hub::fresh_hub;
use common::{datasets, ok, pairscope, sitcom_project, stderr};
use pairscope::domain::Truth;
use pairscope::hub::{HubUrl, connect};
use pairscope::store::{HubLink, Origin, PairId, Store, StoreError};

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The sitcom project shared on a fresh hub, and ana's copy of it.
fn ana_copy(test: &str, dir: &Path) -> Option<(HubUrl, PathBuf)> {
    let (url, suffix) = fresh_hub(test)?;
    let owner = sitcom_project(dir);
    ok(["hub", "init", &url.to_string()]);
    ok(["share", arg(&owner), "--hub", &url.to_string()]);
    let role = format!("ana_{suffix}");
    ok(["hub", "add-labeler", &url.to_string(), "ana", "--pg-role", &role]);
    let copy = dir.join("ana.pairscope");
    ok(["clone", &url.as_role(&role).to_string(), arg(&copy), "--images", datasets().join("sitcom").to_str().unwrap()]);
    Some((url, copy))
}

fn set_hub_url(copy: &Path, url: &str) {
    Store::open(copy)
        .unwrap()
        .write(|tx| {
            let link = tx.hub_link()?.unwrap();
            tx.set_hub_link(&HubLink { url: url.to_owned(), ..link })
        })
        .unwrap();
}

/// ana's verdict events in her copy's log, in order: (pair, verdict JSON).
fn local_history(copy: &Path) -> Vec<(i64, Option<String>)> {
    Store::open(copy)
        .unwrap()
        .read(|tx| {
            let ana = tx.find_labeler("ana")?.unwrap().id;
            Ok(tx
                .local_events_after(0, i64::MAX as usize)?
                .into_iter()
                .filter(|e| e.kind == "verdict" && e.labeler == Some(ana))
                .map(|e| (e.pair.unwrap().0, e.after))
                .collect())
        })
        .unwrap()
}

/// ana's verdict events in the hub's log, in the order of their ids.
fn hub_history(url: &HubUrl) -> Vec<(i64, Option<String>)> {
    connect(url)
        .unwrap()
        .query(
            "SELECT e.pair_id, e.after FROM events e JOIN labelers l ON l.id = e.labeler_id
             WHERE l.name = 'ana' AND e.kind = 'verdict' ORDER BY e.id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

fn hub_verdicts(url: &HubUrl) -> Vec<(i64, String)> {
    connect(url)
        .unwrap()
        .query(
            "SELECT v.pair_id, v.verdict FROM verdicts v JOIN labelers l ON l.id = v.labeler_id
             WHERE l.name = 'ana' ORDER BY v.pair_id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

/// One verdict per transaction, as the review screen saves them.
fn label_one_by_one(copy: &Path, pairs: impl IntoIterator<Item = (i64, Truth)>) {
    let mut store = Store::open(copy).unwrap();
    for (pair, verdict) in pairs {
        store
            .write(|tx| {
                let me = tx.labeler_or_create("ana")?.0.id;
                tx.set_verdict(PairId(pair), me, Some(verdict), Origin::Gui)
            })
            .unwrap();
    }
}

#[test]
fn out_of_reach_a_copy_labels_100_pairs_and_they_all_arrive_in_order_with_their_history() {
    let dir = tempfile::tempdir().unwrap();
    let Some((url, copy)) = ana_copy("hub_offline_100", dir.path()) else { return };
    let real = Store::open(&copy).unwrap().read(|tx| tx.hub_link()).unwrap().unwrap().url;
    // A port nothing listens on: to the copy, a server that is down.
    set_hub_url(&copy, &format!("postgres://{}@127.0.0.1:1/{}", url.user, url.database));

    // 100 pairs, then a change of mind to "same" on pairs 1, 2, 4 and 5 (3 was "same" already,
    // which logs nothing): the hub must see both verdicts of each, in this order.
    let first: Vec<(i64, Truth)> =
        (1..=100).map(|p| (p, if p % 3 == 0 { Truth::Same } else { Truth::Different })).collect();
    label_one_by_one(&copy, first.iter().copied());
    label_one_by_one(&copy, (1..=5).map(|p| (p, Truth::Same)));
    let failed = pairscope(["sync", arg(&copy)]);
    let message = stderr(&failed);
    assert!(!failed.status.success(), "{message}");
    assert!(message.contains("cannot connect to the hub"), "{message}");
    assert!(message.contains("104 changes wait") && message.contains("nothing is lost"), "{message}");
    assert!(hub_history(&url).is_empty());

    set_hub_url(&copy, &real);
    let sent = ok(["sync", arg(&copy)]);
    assert!(sent.contains("sent 104 changes"), "{sent}");
    let local = local_history(&copy);
    assert_eq!(local.len(), 104);
    assert_eq!(hub_history(&url), local, "every event, in the order it was made");
    let expected: Vec<(i64, String)> =
        (1..=100).map(|p| (p, if p <= 5 || p % 3 == 0 { "same" } else { "different" }.to_owned())).collect();
    assert_eq!(hub_verdicts(&url), expected);
}

#[test]
fn a_sync_killed_part_way_then_run_again_loses_nothing_and_doubles_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let Some((url, copy)) = ana_copy("hub_kill_sync", dir.path()) else { return };
    // 80 rounds over the 160 pairs: 12,800 events, 13 batches of the hub's 1,000.
    {
        let mut store = Store::open(&copy).unwrap();
        let pairs: Vec<PairId> = store.read(|tx| tx.pairs()).unwrap().into_iter().map(|p| p.id).collect();
        for round in 0..80 {
            store
                .write(|tx| {
                    let me = tx.labeler_or_create("ana")?.0.id;
                    let verdict = if round % 2 == 0 { Truth::Same } else { Truth::Different };
                    for &pair in &pairs {
                        tx.set_verdict(pair, me, Some(verdict), Origin::Gui)?;
                    }
                    Ok::<_, StoreError>(())
                })
                .unwrap();
        }
    }
    let total = local_history(&copy).len();
    assert_eq!(total, 12_800);

    let mut sync =
        std::process::Command::new(env!("CARGO_BIN_EXE_pairscope")).args(["sync", arg(&copy)]).spawn().unwrap();
    let mut client = connect(&url).unwrap();
    let started = Instant::now();
    let at_kill = loop {
        let on_hub: i64 = client.query_one("SELECT count(*) FROM events WHERE kind = 'verdict'", &[]).unwrap().get(0);
        if on_hub > 0 {
            sync.kill().unwrap(); // SIGKILL
            break on_hub;
        }
        assert!(started.elapsed() < Duration::from_secs(120), "the sync never reached the hub");
        std::thread::sleep(Duration::from_millis(1));
    };
    sync.wait().unwrap();
    assert!((at_kill as usize) < total, "killed part-way: {at_kill} of {total} events were on the hub");

    let again = ok(["sync", arg(&copy)]);
    assert!(again.contains("sent"), "{again}");
    assert_eq!(hub_history(&url), local_history(&copy), "each event once, in order");
    assert!(ok(["sync", arg(&copy)]).contains("sent 0 changes, brought 0"));
    let last = if 79 % 2 == 0 { "same" } else { "different" };
    assert!(hub_verdicts(&url).iter().all(|(_, v)| v == last));
    assert_eq!(hub_verdicts(&url).len(), 160);
}
