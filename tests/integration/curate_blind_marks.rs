//! Merging labels and exporting them bring their blind marks along: a label given with the
//! answer in view stays "not blind" after `merge-labels` (in the labels, the copied audit
//! events, and with the reveal that made it so) and after an export imported elsewhere.

use crate::common;

use common::{datasets, ok};
use pairscope::curate::{self, ExportOptions};
use pairscope::domain::Truth;
use pairscope::import::FolderOptions;
use pairscope::store::{NotBlindLabel, Origin, RevealHow, Store, StoreError};

#[test]
fn merged_labels_keep_their_blind_marks_and_reveals() {
    let dir = tempfile::tempdir().unwrap();
    let main_path = dir.path().join("main.pairscope");
    let mut store = Store::create(&main_path).unwrap();
    let folders = FolderOptions { different: None, seed: 1 };
    pairscope::import::import_folders(&mut store, &datasets().join("sitcom"), &folders).unwrap();
    store.write(|tx| tx.labeler_or_create("ana").map(|_| ())).unwrap();
    drop(store);
    let laptop_path = dir.path().join("laptop.pairscope");
    std::fs::copy(&main_path, &laptop_path).unwrap();

    // On the laptop, ana labels three pairs: the first blind, the second after pressing R.
    let mut laptop = Store::open(&laptop_path).unwrap();
    let (pairs, ana) = laptop
        .write(|tx| {
            let ana = tx.find_labeler("ana")?.unwrap().id;
            let dark = tx.find_tag("dark")?.unwrap().id;
            let pairs: Vec<_> = tx.pairs()?.into_iter().take(3).map(|p| p.id).collect();
            tx.set_verdict_marked(pairs[0], ana, Some(Truth::Same), true, Origin::Gui)?;
            tx.set_pair_tag_marked(pairs[0], ana, dark, true, true, Origin::Gui)?;
            tx.reveal(pairs[1], ana, RevealHow::Key, Origin::Gui)?;
            tx.set_verdict_marked(pairs[1], ana, Some(Truth::Different), false, Origin::Gui)?;
            tx.set_pair_tag_marked(pairs[1], ana, dark, true, false, Origin::Gui)?;
            Ok::<_, StoreError>((pairs, ana))
        })
        .unwrap();
    drop(laptop);

    let mut main = Store::open(&main_path).unwrap();
    let report = curate::merge_labels(&mut main, &laptop_path).unwrap();
    assert_eq!(report.verdicts_changed, 2, "{report:#?}");
    let label = |pair, tag: Option<&str>| NotBlindLabel { pair, labeler: ana, tag: tag.map(str::to_owned) };
    assert_eq!(main.read(|tx| tx.not_blind_labels()).unwrap(), [label(pairs[1], None), label(pairs[1], Some("dark"))]);
    let marks = |main: &mut Store, pair| -> Vec<(String, Option<bool>)> {
        main.read(|tx| tx.label_events(pair)).unwrap().into_iter().map(|e| (e.kind, e.blind)).collect()
    };
    assert_eq!(marks(&mut main, pairs[0]), [("verdict".into(), Some(true)), ("tag".into(), Some(true))]);
    assert_eq!(marks(&mut main, pairs[1]), [("verdict".into(), Some(false)), ("tag".into(), Some(false))]);
    let reveals = main.read(|tx| tx.reveals()).unwrap();
    assert_eq!(reveals[&(pairs[1], ana)].how, RevealHow::Key, "ana saw the answer on that pair");
    assert!(!reveals.contains_key(&(pairs[0], ana)));
}

#[test]
fn an_export_says_which_labels_are_not_blind_and_imports_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("main.pairscope");
    let mut store = Store::create(&path).unwrap();
    let folders = FolderOptions { different: None, seed: 1 };
    pairscope::import::import_folders(&mut store, &datasets().join("sitcom"), &folders).unwrap();
    store
        .write(|tx| {
            let (ana, ben) = (tx.labeler_or_create("ana")?.0.id, tx.labeler_or_create("ben")?.0.id);
            let pairs: Vec<_> = tx.pairs()?.into_iter().take(2).map(|p| p.id).collect();
            tx.set_verdict(pairs[0], ana, Some(Truth::Same), Origin::Gui)?;
            tx.set_verdict(pairs[0], ben, Some(Truth::Same), Origin::Gui)?;
            tx.set_verdict(pairs[1], ana, Some(Truth::Same), Origin::Gui)?;
            // Ben tagged the second pair after seeing the answer; his verdict on it was blind.
            tx.set_verdict(pairs[1], ben, Some(Truth::Different), Origin::Gui)?;
            tx.set_pair_tag_marked(pairs[1], ben, tx.find_tag("dark")?.unwrap().id, true, false, Origin::Gui)?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
    let out = dir.path().join("export");
    let options = ExportOptions { origin: "test".into(), ..Default::default() };
    curate::export(&mut store, &out, &options).unwrap();
    let labels = std::fs::read_to_string(out.join("labels.csv")).unwrap();
    let mut lines = labels.lines();
    assert_eq!(lines.next(), Some("pair_id,labeler,verdict,tags,blind"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.iter().filter(|r| r.ends_with(",false")).count(), 1, "{labels}");
    assert!(rows.iter().any(|r| r.ends_with(",ben,different,dark,false")), "{labels}");

    // Imported into another project, ben's row counts as not blind (a row is one mark).
    let copy = dir.path().join("copy.pairscope");
    let arg = |p: &std::path::Path| p.to_str().unwrap().to_owned();
    ok(["import-pairs", &arg(&copy), "--csv", &arg(&out.join("pairs.csv")), "--images", &arg(&out)]);
    ok(["import-labels", &arg(&copy), "--csv", &arg(&out.join("labels.csv"))]);
    let mut copy = Store::open(&copy).unwrap();
    let not_blind = copy.read(|tx| tx.not_blind_labels()).unwrap();
    let who: Vec<(String, Option<String>)> = not_blind
        .iter()
        .map(|l| {
            (
                copy.read(|tx| tx.labelers()).unwrap().into_iter().find(|x| x.id == l.labeler).unwrap().name,
                l.tag.clone(),
            )
        })
        .collect();
    assert_eq!(who, [("ben".to_owned(), None), ("ben".to_owned(), Some("dark".to_owned()))]);
}
