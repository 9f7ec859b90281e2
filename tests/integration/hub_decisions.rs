//! Adjudications and truth corrections through a real PostgreSQL hub (issue 16): an
//! adjudicator's decision made in their copy reaches the hub and every other copy; two
//! adjudicators who decide the same pair without seeing each other's decision get a conflict,
//! reported, with nothing overwritten; deciding it again, now knowing the hub's, settles it.

use std::path::{Path, PathBuf};

use crate::common;

use common::hub::fresh_hub;
use common::{datasets, ok, sitcom_project};
use pairscope::domain::Truth;
use pairscope::hub::{HubUrl, connect};
use pairscope::store::{Decision, Origin, PairId, Store};

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The sitcom project shared on a fresh hub, and the copies of two adjudicators.
fn two_adjudicators(dir: &Path) -> Option<(HubUrl, PathBuf, [PathBuf; 2])> {
    let (url, suffix) = fresh_hub("hub_decisions")?;
    let owner = sitcom_project(dir);
    ok(["hub", "init", &url.to_string()]);
    ok(["share", arg(&owner), "--hub", &url.to_string()]);
    let copies = ["judge", "jo"].map(|name| {
        let role = format!("{name}_{suffix}");
        ok(["hub", "add-labeler", &url.to_string(), name, "--role", "adjudicator", "--pg-role", &role]);
        let copy = dir.join(format!("{name}.pairscope"));
        let images = datasets().join("sitcom");
        ok(["clone", &url.as_role(&role).to_string(), arg(&copy), "--images", images.to_str().unwrap()]);
        copy
    });
    Some((url, owner, copies))
}

fn adjudicate(copy: &Path, who: &str, pair: i64, verdict: Truth, reason: &str, truth: Option<Option<Truth>>) {
    let tags = vec!["dark".to_owned()];
    Store::open(copy)
        .unwrap()
        .write(|tx| {
            let me = tx.find_labeler(who)?.unwrap().id;
            let decision = Decision { verdict: Some(verdict), tags: &tags, reason, correct_truth: truth };
            tx.adjudicate(PairId(pair), me, &decision, Origin::Gui)
        })
        .unwrap();
}

/// (adjudicator, verdict) of the pair's adjudication in a copy, and the pair's truth.
fn decided_here(copy: &Path, pair: i64) -> (Option<(String, Option<Truth>)>, Option<Truth>) {
    Store::open(copy)
        .unwrap()
        .read(|tx| {
            let adjudication = match tx.adjudication_of(PairId(pair))? {
                Some(a) => {
                    let name = tx.labelers()?.into_iter().find(|l| l.id == a.adjudicator).unwrap().name;
                    Some((name, a.verdict))
                }
                None => None,
            };
            Ok((adjudication, tx.pair(PairId(pair))?.truth))
        })
        .unwrap()
}

fn decided_on_hub(url: &HubUrl, pair: i64) -> (Option<(String, Option<Truth>)>, Option<Truth>) {
    let mut client = connect(url).unwrap();
    let truth = |t: Option<String>| {
        t.as_deref().and_then(|t| [Truth::Same, Truth::Different].into_iter().find(|x| x.as_str() == t))
    };
    let adjudication = client
        .query_opt(
            "SELECT l.name, a.verdict FROM adjudications a JOIN labelers l ON l.id = a.labeler_id WHERE a.pair_id = $1",
            &[&pair],
        )
        .unwrap()
        .map(|r| (r.get(0), truth(r.get(1))));
    let pair_truth: Option<String> =
        client.query_one("SELECT truth FROM pairs WHERE id = $1", &[&pair]).unwrap().get(0);
    (adjudication, truth(pair_truth))
}

#[test]
fn decisions_reach_every_copy_and_two_made_blind_to_each_other_are_a_conflict_until_settled() {
    let dir = tempfile::tempdir().unwrap();
    let Some((url, owner, [judge, jo])) = two_adjudicators(dir.path()) else { return };
    let was = decided_here(&judge, 2).1.expect("sitcom pairs have a truth");
    let flipped = if was == Truth::Same { Truth::Different } else { Truth::Same };

    // judge settles pair 1, and pair 2 with a truth correction.
    adjudicate(&judge, "judge", 1, Truth::Same, "same scar on the chin", None);
    adjudicate(&judge, "judge", 2, flipped, "the dataset had it wrong", Some(Some(flipped)));
    let sent = ok(["sync", arg(&judge)]);
    assert!(sent.contains("sent 3 changes") && !sent.contains("conflicts"), "{sent}");
    assert_eq!(decided_on_hub(&url, 1).0, Some(("judge".into(), Some(Truth::Same))));
    assert_eq!(decided_on_hub(&url, 2), (Some(("judge".into(), Some(flipped))), Some(flipped)));
    let corrections: i64 =
        connect(&url).unwrap().query_one("SELECT count(*) FROM truth_corrections", &[]).unwrap().get(0);
    assert_eq!(corrections, 1);
    for copy in [&jo, &owner] {
        assert!(ok(["sync", arg(copy)]).contains("brought 3"));
        assert_eq!(decided_here(copy, 1).0, Some(("judge".into(), Some(Truth::Same))), "{}", copy.display());
        assert_eq!(decided_here(copy, 2), (Some(("judge".into(), Some(flipped))), Some(flipped)));
    }

    // Both decide pair 3, neither seeing the other's: the first to reach the hub stands.
    adjudicate(&judge, "judge", 3, Truth::Same, "same ears", None);
    adjudicate(&jo, "jo", 3, Truth::Different, "different nose", None);
    assert!(!ok(["sync", arg(&judge)]).contains("conflicts"));
    let clash = ok(["sync", arg(&jo)]);
    assert!(clash.contains("conflicts: 1"), "{clash}");
    assert!(
        clash.contains("pair 3: the hub keeps same [dark]; the change to different [dark] was made without seeing it"),
        "{clash}"
    );
    assert_eq!(decided_on_hub(&url, 3).0, Some(("judge".into(), Some(Truth::Same))), "the hub's is not overwritten");
    assert_eq!(decided_here(&jo, 3).0, Some(("jo".into(), Some(Truth::Different))), "nor jo's own");
    // judge brings jo's event as history only; judge's decision stays.
    assert!(!ok(["sync", arg(&judge)]).contains("conflicts"));
    assert_eq!(decided_here(&judge, 3).0, Some(("judge".into(), Some(Truth::Same))));
    // judge decides again: jo's copy keeps its own while in conflict.
    adjudicate(&judge, "judge", 3, Truth::Same, "same ears, and the same mole", None);
    ok(["sync", arg(&judge)]);
    ok(["sync", arg(&jo)]);
    assert_eq!(decided_here(&jo, 3).0, Some(("jo".into(), Some(Truth::Different))));

    // jo, now knowing judge's, decides again: that settles it everywhere.
    adjudicate(&jo, "jo", 3, Truth::Different, "looked again with judge: different nose", None);
    let settled = ok(["sync", arg(&jo)]);
    assert!(settled.contains("sent 1 changes") && !settled.contains("conflicts"), "{settled}");
    assert_eq!(decided_on_hub(&url, 3).0, Some(("jo".into(), Some(Truth::Different))));
    for copy in [&judge, &owner] {
        ok(["sync", arg(copy)]);
        assert_eq!(decided_here(copy, 3).0, Some(("jo".into(), Some(Truth::Different))), "{}", copy.display());
    }
}
