//! `import-labels` and its optional `blind` column, on the sitcom dataset: labels made
//! elsewhere count as blind unless their file says otherwise; a bad value names file and line.

use crate::common;

use std::path::Path;

use common::{datasets, ok, pairscope, stderr};
use pairscope::store::{NotBlindLabel, Store};

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn the_blind_column_marks_labels_and_a_bad_value_is_refused_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p.pairscope");
    ok(["import-folders", arg(&project), "--images", arg(&datasets().join("sitcom"))]);
    let csv = dir.path().join("labels.csv");

    std::fs::write(
        &csv,
        "pair_id,labeler,verdict,tags,blind\n\
         amy/amy1.png|amy/amy2.png,zoe,same,dark,false\n\
         amy/amy1.png|amy/amy3.png,zoe,different,,perhaps\n\
         amy/amy1.png|amy/amy4.png,zoe,same,,No\n",
    )
    .unwrap();
    let out = pairscope(["import-labels", arg(&project), "--csv", arg(&csv)]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("labels.csv:3: blind \"perhaps\" is not true/false, 1/0 or yes/no"), "{err}");
    let mut store = Store::open(&project).unwrap();
    assert_eq!(store.read(|tx| tx.event_count()).unwrap(), 0, "refused: nothing written");
    drop(store);

    std::fs::write(
        &csv,
        "pair_id,labeler,verdict,tags,blind\n\
         amy/amy1.png|amy/amy2.png,zoe,same,dark,false\n\
         amy/amy1.png|amy/amy3.png,zoe,different,,1\n\
         amy/amy1.png|amy/amy4.png,zoe,same,,No\n\
         amy/amy1.png|amy/amy5.png,zoe,same,blurry,\n\
         amy/amy2.png|amy/amy3.png,yan,same,,yes\n",
    )
    .unwrap();
    ok(["import-labels", arg(&project), "--csv", arg(&csv)]);
    // Without the column, every label counts as blind.
    let plain = dir.path().join("plain.csv");
    std::fs::write(&plain, "pair_id,labeler,verdict,tags\namy/amy2.png|amy/amy4.png,xia,different,dark\n").unwrap();
    ok(["import-labels", arg(&project), "--csv", arg(&plain)]);

    let mut store = Store::open(&project).unwrap();
    let pair = |store: &mut Store, id: &str| store.read(|tx| tx.find_pair_by_external_id(id)).unwrap().unwrap().id;
    let zoe = store.read(|tx| tx.find_labeler("zoe")).unwrap().unwrap().id;
    let (p12, p14) = (pair(&mut store, "amy/amy1.png|amy/amy2.png"), pair(&mut store, "amy/amy1.png|amy/amy4.png"));
    let not_blind = store.read(|tx| tx.not_blind_labels()).unwrap();
    let label = |pair, tag: Option<&str>| NotBlindLabel { pair, labeler: zoe, tag: tag.map(str::to_owned) };
    let mut expected = vec![label(p12, None), label(p12, Some("dark")), label(p14, None)];
    expected.sort();
    assert_eq!(not_blind, expected);
    // The audit log says it too.
    let events = store.read(|tx| tx.label_events(p12)).unwrap();
    assert_eq!(events.iter().map(|e| e.blind).collect::<Vec<_>>(), [Some(false), Some(false)]);
    let p23 = pair(&mut store, "amy/amy2.png|amy/amy3.png");
    let events = store.read(|tx| tx.label_events(p23)).unwrap();
    assert_eq!(events.iter().map(|e| e.blind).collect::<Vec<_>>(), [Some(true)]);
}

#[test]
fn import_labels_help_documents_the_blind_column() {
    let help = common::stdout(&pairscope(["import-labels", "--help"]));
    assert!(help.contains("blind: true/false, 1/0 or yes/no"), "{help}");
}
