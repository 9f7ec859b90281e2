//! `pairscope role`: a labeler's role shown and set from the command line, in the audit log.

use crate::common;

use common::{ok, pairscope, stderr};

#[test]
fn a_role_is_set_shown_logged_and_a_bad_one_refused() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p.pairscope");
    let p = project.to_str().unwrap();
    ok(["new", p]);

    assert_eq!(ok(["role", p, "ana", "engineer"]), "ana is now engineer\n", "created as she is named");
    assert_eq!(ok(["role", p, "ana"]), "ana: engineer\n");
    assert_eq!(ok(["role", p, "ana", "Engineer"]), "ana was already engineer\n");
    assert_eq!(ok(["role", p, "ana", "labeler"]), "ana is now labeler\n");

    let bad = pairscope(["role", p, "ana", "boss"]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("unknown role \"boss\" (labeler, adjudicator or engineer)"), "{}", stderr(&bad));
    let nobody = pairscope(["role", p, "zed"]);
    assert!(!nobody.status.success());
    assert!(stderr(&nobody).contains("no labeler named \"zed\""), "{}", stderr(&nobody));

    let mut store = pairscope::store::Store::open(&project).unwrap();
    let events = store.read(|tx| tx.label_events_of(&["role"])).unwrap();
    let changes: Vec<_> = events.iter().map(|e| (e.before.as_deref(), e.after.as_deref(), e.origin.as_str())).collect();
    assert_eq!(
        changes,
        [(Some("\"labeler\""), Some("\"engineer\""), "cli"), (Some("\"engineer\""), Some("\"labeler\""), "cli")]
    );
}
