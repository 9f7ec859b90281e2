//! The hub's access rules, enforced by a real PostgreSQL server (issue 16): `hub init` and
//! `hub add-labeler` through the binary, then each labeler connected as their own role.
//! Writing another labeler's verdict, an adjudication as a labeler, or changing the audit
//! log (even as the hub's owner) is refused by the server itself.

use crate::common;

use common::hub::fresh_hub;
use common::{ok, pairscope, stderr};
use pairscope::hub::{HubUrl, connect};

/// The hub with labelers ana and ben and the adjudicator judge (roles suffixed for this
/// test), one pair of two images, and the role names.
fn hub_with_a_pair(test: &str) -> Option<(HubUrl, [String; 3])> {
    let (url, suffix) = fresh_hub(test)?;
    let out = ok(["hub", "init", &url.to_string()]);
    assert!(
        out.contains(
            "is ready (applied 0001_hub, 0002_copies, 0003_assignments, 0004_decisions, 0005_tag_definitions)"
        ),
        "{out}"
    );
    let again = ok(["hub", "init", &url.to_string()]);
    assert!(again.contains("is up to date"), "{again}");
    let roles = ["ana", "ben", "judge"].map(|n| format!("{n}_{suffix}"));
    for (name, role) in ["ana", "ben", "judge"].iter().zip(&roles) {
        let kind = if *name == "judge" { "adjudicator" } else { "labeler" };
        ok(["hub", "add-labeler", &url.to_string(), name, "--role", kind, "--pg-role", role]);
    }
    connect(&url)
        .unwrap()
        .batch_execute(&format!(
            "INSERT INTO images (path, sha256, bytes) VALUES ('a.jpg', '{a}', 1), ('b.jpg', '{b}', 1);
             INSERT INTO pairs (external_id, image_a, image_b, truth) VALUES ('p1', 1, 2, 'same');",
            a = "a".repeat(64),
            b = "b".repeat(64)
        ))
        .unwrap();
    Some((url, roles))
}

fn id_of(client: &mut postgres::Client, name: &str) -> i64 {
    client.query_one("SELECT id FROM labelers WHERE name = $1", &[&name]).unwrap().get(0)
}

fn refused(result: Result<u64, postgres::Error>) -> String {
    let e = result.expect_err("the server should refuse this");
    e.as_db_error().map_or_else(|| e.to_string(), |db| db.message().to_owned())
}

#[test]
fn a_labeler_writes_only_their_own_labels_and_only_adjudicators_settle() {
    let Some((url, [ana, _, judge])) = hub_with_a_pair("hub_access") else { return };
    let mut as_ana = connect(&url.as_role(&ana)).unwrap();
    let (ana_id, ben_id) = (id_of(&mut as_ana, "ana"), id_of(&mut as_ana, "ben"));
    let verdict = "INSERT INTO verdicts (pair_id, labeler_id, verdict) VALUES (1, $1, 'same')";
    as_ana.execute(verdict, &[&ana_id]).expect("ana writes her own verdict");
    let message = refused(as_ana.execute(verdict, &[&ben_id]));
    assert!(message.contains("row-level security"), "{message}");
    // Nor can she move her verdict into ben's name, or delete his.
    let message =
        refused(as_ana.execute("UPDATE verdicts SET labeler_id = $1 WHERE labeler_id = $2", &[&ben_id, &ana_id]));
    assert!(message.contains("row-level security"), "{message}");
    let judge_id = id_of(&mut as_ana, "judge");
    let adjudicate =
        "INSERT INTO adjudications (pair_id, labeler_id, verdict, reason) VALUES (1, $1, 'same', 'both agree')";
    let message = refused(as_ana.execute(adjudicate, &[&ana_id]));
    assert!(message.contains("permission denied") || message.contains("row-level security"), "{message}");
    let message = refused(as_ana.execute("UPDATE pairs SET truth = 'different' WHERE id = 1", &[]));
    assert!(message.contains("permission denied"), "{message}");
    // An event in her own name is hers to add; one in ben's name is not.
    let event = "INSERT INTO events (event_uid, at, labeler_id, pair_id, kind, after, origin)
                 VALUES ($1, now(), $2, 1, 'verdict', '\"same\"', 'gui')";
    as_ana.execute(event, &[&"e-1", &ana_id]).unwrap();
    let message = refused(as_ana.execute(event, &[&"e-2", &ben_id]));
    assert!(message.contains("row-level security"), "{message}");

    let mut as_judge = connect(&url.as_role(&judge)).unwrap();
    as_judge.execute(adjudicate, &[&judge_id]).expect("an adjudicator settles");
    as_judge.execute("UPDATE pairs SET truth = 'different' WHERE id = 1", &[]).expect("and corrects the truth");
    // Even an adjudicator settles only in their own name.
    let in_anas_name = "UPDATE adjudications SET labeler_id = $1 WHERE pair_id = 1";
    let message = refused(as_judge.execute(in_anas_name, &[&ana_id]));
    assert!(message.contains("row-level security"), "{message}");
}

#[test]
fn nobody_rewrites_the_audit_log_not_even_the_hubs_owner() {
    let Some((url, [ana, _, _])) = hub_with_a_pair("hub_audit_log") else { return };
    let mut as_ana = connect(&url.as_role(&ana)).unwrap();
    let ana_id = id_of(&mut as_ana, "ana");
    as_ana
        .execute(
            "INSERT INTO events (event_uid, at, labeler_id, kind, origin) VALUES ('e-1', now(), $1, 'verdict', 'gui')",
            &[&ana_id],
        )
        .unwrap();
    let message = refused(as_ana.execute("UPDATE events SET kind = 'x'", &[]));
    assert!(message.contains("permission denied"), "{message}");
    let mut owner = connect(&url).unwrap();
    for statement in ["UPDATE events SET kind = 'x'", "DELETE FROM events"] {
        let message = refused(owner.execute(statement, &[]));
        assert!(message.contains("append-only"), "{statement}: {message}");
    }
    let message = refused(owner.execute("TRUNCATE events", &[]));
    assert!(message.contains("append-only"), "{message}");
    assert_eq!(owner.query_one("SELECT count(*) FROM events", &[]).unwrap().get::<_, i64>(0), 1);
}

#[test]
fn status_counts_labels_and_bad_urls_or_roles_are_refused_clearly() {
    let Some((url, [ana, _, _])) = hub_with_a_pair("hub_status") else { return };
    let mut as_ana = connect(&url.as_role(&ana)).unwrap();
    let ana_id = id_of(&mut as_ana, "ana");
    as_ana.execute("INSERT INTO verdicts (pair_id, labeler_id, verdict) VALUES (1, $1, 'same')", &[&ana_id]).unwrap();
    let status = ok(["hub", "status", &url.to_string()]);
    let line = status.lines().find(|l| l.starts_with("ana ")).expect("ana's line");
    assert!(line.split_whitespace().collect::<Vec<_>>() == ["ana", "labeler", "1", "0", "0", "0", "never"], "{status}");
    assert!(status.lines().any(|l| l.starts_with("judge ") && l.contains("adjudicator")), "{status}");

    let out = pairscope(["hub", "init", "postgres://x:s3cret@127.0.0.1:1/nowhere"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("cannot connect to the hub at postgres://x@127.0.0.1:1/nowhere"), "{err}");
    assert!(!err.contains("s3cret"), "the password is never shown: {err}");
    let out = pairscope(["hub", "add-labeler", &url.to_string(), "eve", "--pg-role", "eve; DROP TABLE events"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("cannot be a PostgreSQL role"), "{}", stderr(&out));
}
