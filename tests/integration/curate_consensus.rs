//! One consensus rule: an export's consensus tags are the error analysis's, pair by pair and
//! spelled alike, even where the project's data is inconsistent (adjudications naming a tag
//! that was renamed since, spelled in another case, or unknown to the project).

use std::collections::HashMap;

use pairscope::analysis::Prepared;
use pairscope::curate::{self, ExportOptions};
use pairscope::domain::Truth;
use pairscope::store::{Decision, Origin, Role, Store, StoreError, TagEdit};

use crate::common;

/// Sitcom pairs (160) labelled by ana, ben and cy, with a few pairs of every kind the
/// consensus rule has to handle; returns the store.
fn inconsistent_project(dir: &std::path::Path) -> Store {
    let mut store = Store::create(&dir.join("consensus.pairscope")).unwrap();
    let options = pairscope::import::FolderOptions { different: None, seed: 1 };
    pairscope::import::import_folders(&mut store, &common::datasets().join("sitcom"), &options).unwrap();
    store
        .write(|tx| {
            let [ana, ben, cy, judge] = ["ana", "ben", "cy", "judge"].map(|n| tx.labeler_or_create(n).unwrap().0.id);
            tx.set_labeler_role(judge, Role::Adjudicator, Origin::Cli)?;
            let [dark, blurry, borderline] =
                ["dark", "blurry", "borderline"].map(|n| tx.find_tag(n).unwrap().unwrap().id);
            let pairs = tx.pairs()?;
            for (i, pair) in pairs.iter().enumerate() {
                let truth = pair.truth.unwrap();
                match i % 6 {
                    // A tag from a labeler who gave no verdict: 1 of 2 labelers is half.
                    0 => {
                        tx.set_pair_tag(pair.id, ana, dark, true, Origin::Cli)?;
                        tx.set_verdict(pair.id, ben, Some(truth), Origin::Cli)?;
                    }
                    // One labeler.
                    1 => {
                        tx.set_verdict(pair.id, cy, Some(truth), Origin::Cli)?;
                        tx.set_pair_tag(pair.id, cy, blurry, true, Origin::Cli)?;
                    }
                    // Three labelers, a tag from one of them only (not consensus), one from two.
                    2 => {
                        for l in [ana, ben, cy] {
                            tx.set_verdict(pair.id, l, Some(truth), Origin::Cli)?;
                        }
                        tx.set_pair_tag(pair.id, ana, borderline, true, Origin::Cli)?;
                        tx.set_pair_tag(pair.id, ben, blurry, true, Origin::Cli)?;
                        tx.set_pair_tag(pair.id, cy, blurry, true, Origin::Cli)?;
                    }
                    _ => {
                        tx.set_verdict(pair.id, ana, Some(truth), Origin::Cli)?;
                        tx.set_verdict(pair.id, ben, Some(Truth::Different), Origin::Cli)?;
                        tx.set_pair_tag(pair.id, ben, borderline, true, Origin::Cli)?;
                    }
                }
                // Adjudications: of a tag renamed below, in another case, unknown to the project.
                let tags: &[&str] = match i % 10 {
                    3 => &["dark"],
                    5 => &["BLURRY", "borderline"],
                    7 => &["sunglasses"],
                    9 => &[],
                    _ => continue,
                };
                let tags: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
                let decision =
                    Decision { verdict: Some(truth), tags: &tags, reason: "looked closely", correct_truth: None };
                tx.adjudicate(pair.id, judge, &decision, Origin::Cli)?;
            }
            // The tag editor renames "dark" after it was adjudicated.
            let edit = TagEdit { name: "low light", description: "", colour: "#112233", hotkey: None };
            tx.edit_tag(dark, &edit, Origin::Gui)?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
    store
}

/// pair id → consensus tags (';'-joined) as the error analysis has them.
fn analysis_consensus(store: &mut Store) -> HashMap<String, String> {
    let (snap, pairs) = store.read(|tx| Ok((tx.snapshot(None)?, tx.pairs()?))).unwrap();
    let prepared = Prepared::new(&snap.snapshot).unwrap();
    let names: HashMap<_, _> = pairs.iter().map(|p| (p.id, p.external_id.clone().unwrap())).collect();
    snap.pair_ids
        .iter()
        .zip(prepared.consensus())
        .map(|(id, &bits)| {
            let mut tags: Vec<&str> = (0..snap.snapshot.tag_names.len())
                .filter(|t| bits >> t & 1 == 1)
                .map(|t| snap.snapshot.tag_names[t].as_str())
                .collect();
            tags.sort_by_key(|t| t.to_lowercase());
            (names[id].clone(), tags.join(";"))
        })
        .collect()
}

#[test]
fn an_exports_consensus_tags_are_the_error_analysis_ones_on_inconsistent_input() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = inconsistent_project(dir.path());
    let expected = analysis_consensus(&mut store);
    let out = dir.path().join("export");
    let options = ExportOptions { origin: "test".into(), ..Default::default() };
    curate::export(&mut store, &out, &options).unwrap();

    let mut csv = csv::Reader::from_path(out.join("pairs.csv")).unwrap();
    let header = csv.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (id, tags) = (column("pair_id"), column("tags"));
    let mut exported = HashMap::new();
    for row in csv.records() {
        let row = row.unwrap();
        exported.insert(row[id].to_owned(), row[tags].to_owned());
    }
    assert_eq!(exported.len(), 160, "every pair is exported");
    let differ: Vec<String> = expected
        .iter()
        .filter(|(pair, tags)| exported.get(*pair) != Some(tags))
        .map(|(pair, tags)| format!("{pair}: analysis {tags:?}, export {:?}", exported.get(pair)))
        .collect();
    assert!(differ.is_empty(), "{} pairs differ, e.g. {:?}", differ.len(), &differ[..differ.len().min(5)]);
    // The cases are there: consensus tags from the half rule and from adjudications alike.
    let with = |tag: &str| expected.values().filter(|t| t.split(';').any(|x| x == tag)).count();
    assert!(with("low light") > 0 && with("blurry") > 0 && with("borderline") > 0, "{expected:?}");
}
