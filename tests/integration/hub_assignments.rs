//! Assignments on a real PostgreSQL hub (issue 16): with overlap k no pair goes to more than k
//! labelers, an expired lease returns its pairs, a labeler cannot hand themselves pairs past
//! the rules, and three labeler processes labeling 2,000 LFW pairs at once with overlap 2 end
//! with every pair labeled exactly twice and every copy holding the hub's labels.

use std::path::{Path, PathBuf};

use crate::common;
use crate::hub_sync::{labels_of, labels_on_hub};

use common::hub::fresh_hub;
use common::{datasets, ok, pairscope, sitcom_project, stderr};
use pairscope::domain::Truth;
use pairscope::hub::{HubUrl, connect};
use pairscope::store::{Origin, PairId, Store};

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `owner` shared on a fresh hub, and a copy per labeler cloned with `images`.
fn shared_with(test: &str, dir: &Path, owner: &Path, images: &Path, names: &[&str]) -> Option<(HubUrl, Vec<PathBuf>)> {
    let (url, suffix) = fresh_hub(test)?;
    ok(["hub", "init", &url.to_string()]);
    ok(["share", arg(owner), "--hub", &url.to_string()]);
    let mut copies = Vec::new();
    for name in names {
        let role = format!("{name}_{suffix}");
        ok(["hub", "add-labeler", &url.to_string(), name, "--pg-role", &role]);
        let copy = dir.join(format!("{name}.pairscope"));
        ok(["clone", &url.as_role(&role).to_string(), arg(&copy), "--images", arg(images)]);
        copies.push(copy);
    }
    Some((url, copies))
}

/// The pairs in `copy`'s "My assignments" queue.
fn queue(copy: &Path, name: &str) -> Vec<PairId> {
    let mut store = Store::open(copy).unwrap();
    store
        .read(|tx| {
            let me = tx.find_labeler(name)?.unwrap().id;
            tx.open_hub_assignments(me)
        })
        .unwrap()
}

fn take(copy: &Path, how_many: u32) -> String {
    ok(["sync", arg(copy), "--take", &how_many.to_string()])
}

/// The most labelers any pair was ever assigned to, leases lapsed or not.
fn most_assigned(url: &HubUrl) -> i64 {
    connect(url)
        .unwrap()
        .query_one("SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM assignments GROUP BY pair_id) c", &[])
        .unwrap()
        .get(0)
}

/// The most labelers holding a slot of any pair now: a live lease, or their verdict.
fn most_holders(url: &HubUrl) -> i64 {
    connect(url).unwrap().query_one("SELECT max(pairscope_slots_taken(id)) FROM pairs", &[]).unwrap().get(0)
}

#[test]
fn no_pair_goes_to_more_than_k_labelers_and_an_expired_lease_returns_its_pairs() {
    let dir = tempfile::tempdir().unwrap();
    let owner = sitcom_project(dir.path());
    let sitcom = datasets().join("sitcom");
    let Some((url, copies)) = shared_with("hub_assign", dir.path(), &owner, &sitcom, &["ana", "ben", "cy"]) else {
        return;
    };
    let [ana, ben, cy] = [&copies[0], &copies[1], &copies[2]];
    let rules = ok(["hub", "assignments", &url.to_string()]);
    assert!(rules.contains("overlap 2 labelers per pair, leases of 30 min; 0 leases live"), "{rules}");

    assert!(take(ana, 200).contains("assigned to you: 160 pairs"));
    assert!(take(ben, 200).contains("assigned to you: 160 pairs"));
    assert!(take(cy, 10).contains("assigned to you: none"), "every pair has its two labelers");
    assert_eq!(queue(ana, "ana").len(), 160);
    assert!(queue(cy, "cy").is_empty());

    // ana's leases on pairs 1 to 5 run out: their slots go to the next who asks.
    connect(&url)
        .unwrap()
        .execute(
            "UPDATE assignments SET leased_until = now() - interval '1 second'
             WHERE pair_id <= 5 AND labeler_id = (SELECT id FROM labelers WHERE name = 'ana')",
            &[],
        )
        .unwrap();
    let cy_took = take(cy, 10);
    assert!(cy_took.contains("assigned to you: 5 pairs"), "{cy_took}");
    assert_eq!(queue(cy, "cy"), (1..=5).map(PairId).collect::<Vec<_>>());
    assert!(take(ana, 200).contains("assigned to you: 155 pairs"), "ana keeps the rest, renewed");
    assert_eq!(most_holders(&url), 2, "pairs 1 to 5: ben and cy; ana's lapsed lease was handed on");
    assert_eq!(most_assigned(&url), 3, "ana's lapsed lease is kept, as history");

    // A labeled pair leaves the queue; the slot stays taken by the verdict.
    Store::open(ana)
        .unwrap()
        .write(|tx| {
            let me = tx.find_labeler("ana")?.unwrap().id;
            tx.set_verdict(PairId(6), me, Some(Truth::Same), Origin::Gui)
        })
        .unwrap();
    assert!(take(ana, 200).contains("sent 1 changes"));
    assert_eq!(queue(ana, "ana").len(), 154);
    let status = ok(["hub", "status", &url.to_string()]);
    let line = |name: &str| status.lines().find(|l| l.starts_with(&format!("{name} "))).unwrap().to_owned();
    assert_eq!(line("ana").split_whitespace().nth(5), Some("154"), "{status}");
    assert_eq!(line("cy").split_whitespace().nth(5), Some("5"), "{status}");

    // Only through the hub's rules: a labeler cannot write assignments, nor take as someone else.
    let cy_role = Store::open(cy).unwrap().read(|tx| tx.hub_link()).unwrap().unwrap().url;
    let mut as_cy = connect(&HubUrl::parse(&cy_role).unwrap()).unwrap();
    let refused = as_cy
        .execute(
            "INSERT INTO assignments (pair_id, labeler_id, leased_until) VALUES (7, 3, now() + interval '1 hour')",
            &[],
        )
        .unwrap_err();
    let message = refused.as_db_error().map(|e| e.message().to_owned()).unwrap_or_default();
    assert!(message.contains("permission denied"), "{refused:?}");
    let stranger = pairscope(["sync", arg(&owner), "--take", "5"]);
    assert!(stderr(&stranger).contains("the owner's copy takes no assignments"), "{}", stderr(&stranger));
    let bad = pairscope(["hub", "assignments", &url.to_string(), "--overlap", "0"]);
    assert!(stderr(&bad).contains("overlap must be at least 1"), "{}", stderr(&bad));
}

/// 100 same-person and 100 different-person lines from each of LFW's ten folds, among those
/// whose photos the shared copy of LFW holds: 2,000 pairs.
fn lfw_2000(dir: &Path) -> PathBuf {
    let images = datasets().join("lfw/images");
    let photo = |name: &str, n: &str| images.join(name).join(format!("{name}_{:04}.jpg", n.parse::<u32>().unwrap()));
    let present = |line: &&&str| match line.split('\t').collect::<Vec<_>>()[..] {
        [name, a, b] => photo(name, a).exists() && photo(name, b).exists(),
        [first, a, second, b] => photo(first, a).exists() && photo(second, b).exists(),
        _ => false,
    };
    let text = std::fs::read_to_string(datasets().join("lfw/pairs.txt")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut subset = vec!["10\t100"];
    for fold in 0..10 {
        let start = 1 + fold * 600;
        for half in [start, start + 300] {
            let found: Vec<&str> = lines[half..half + 300].iter().filter(&present).take(100).copied().collect();
            assert_eq!(found.len(), 100, "fold {fold}");
            subset.extend(found);
        }
    }
    let path = dir.join("pairs.txt");
    std::fs::write(&path, subset.join("\n") + "\n").unwrap();
    path
}

#[test]
fn three_labelers_label_2000_pairs_at_once_with_overlap_2_and_end_with_the_same_labels() {
    let dir = tempfile::tempdir().unwrap();
    let owner = dir.path().join("lfw.pairscope");
    let images = datasets().join("lfw/images");
    let imported = ok(["import-lfw", arg(&owner), "--pairs", arg(&lfw_2000(dir.path())), "--images", arg(&images)]);
    assert!(imported.contains("imported 2000 pairs"), "{imported}");
    let names = ["ana", "ben", "cy"];
    let Some((url, copies)) = shared_with("hub_load", dir.path(), &owner, &images, &names) else { return };

    // Each labeler, in a process of their own per step: sync and take 50, label them one save
    // at a time as Review does, again, until the hub has nothing left for them.
    std::thread::scope(|scope| {
        for (copy, name) in copies.iter().zip(names) {
            scope.spawn(move || {
                for _ in 0..200 {
                    if take(copy, 50).contains("assigned to you: none") {
                        return;
                    }
                    let mut store = Store::open(copy).unwrap();
                    for pair in queue(copy, name) {
                        let verdict = if pair.0 % 2 == 0 { Truth::Same } else { Truth::Different };
                        store
                            .write(|tx| {
                                let me = tx.find_labeler(name)?.unwrap().id;
                                tx.set_verdict(pair, me, Some(verdict), Origin::Gui)
                            })
                            .unwrap();
                    }
                }
                panic!("{name} was still given pairs after 200 rounds");
            });
        }
    });
    for copy in copies.iter().chain([&owner]) {
        ok(["sync", arg(copy)]);
    }

    let mut client = connect(&url).unwrap();
    let per_pair: Vec<i64> = client
        .query("SELECT count(v.labeler_id) FROM pairs p LEFT JOIN verdicts v ON v.pair_id = p.id GROUP BY p.id", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(per_pair.len(), 2000);
    assert!(per_pair.iter().all(|&n| n == 2), "every pair labeled by exactly 2");
    assert_eq!(most_assigned(&url), 2, "no pair was ever assigned to more than 2");
    let events: i64 = client.query_one("SELECT count(*) FROM events WHERE kind = 'verdict'", &[]).unwrap().get(0);
    assert_eq!(events, 4000, "each verdict's event once");
    let hub = labels_on_hub(&url);
    for copy in copies.iter().chain([&owner]) {
        assert_eq!(labels_of(copy), hub, "{} holds the hub's labels", copy.display());
    }
}
