//! `pairscope all-vs-all` on real photos and real ONNX embeddings: every count equals a
//! brute-force count over the embeddings stored in the project; hostile input gets a clear
//! error; `--add-hardest` adds review pairs once.

use crate::common;

use std::collections::HashMap;
use std::path::Path;

use common::{datasets, ok, pairscope, sitcom_project, stderr, stdout};
use pairscope::all_vs_all::AllVsAllRecord;
use pairscope::analysis::TPR_AT_FPR;
use pairscope::analysis::all_vs_all::score;
use pairscope::analysis::intervals::max_failures_demonstrating;
use pairscope::store::{ImageId, Store};

/// Gives every image of the project the identity `name_of` finds for its path.
fn set_identities(project: &Path, name_of: impl Fn(ImageId, &str) -> String) {
    let mut store = Store::open(project).unwrap();
    let pairs = store.read(|tx| tx.pairs()).unwrap();
    store
        .write(|tx| {
            for p in &pairs {
                for id in [p.image_a, p.image_b] {
                    let image = tx.image(id)?;
                    tx.set_image_identity(id, &name_of(id, &image.path), true)?;
                }
            }
            Ok::<_, pairscope::store::StoreError>(())
        })
        .unwrap();
}

fn stored_record(project: &Path) -> AllVsAllRecord {
    let mut store = Store::open(project).unwrap();
    let sha = store.read(|tx| tx.models()).unwrap().into_iter().find(|m| m.name == "builtin").unwrap().sha256.unwrap();
    pairscope::all_vs_all::cached(&mut store, &sha).unwrap().expect("a stored result")
}

/// Every pair scored one by one, and the thresholds found by their definitions.
fn check_against_brute_force(project: &Path, record: &AllVsAllRecord) {
    let mut store = Store::open(project).unwrap();
    let sha = store.read(|tx| tx.models()).unwrap().into_iter().find(|m| m.name == "builtin").unwrap().sha256.unwrap();
    let images: Vec<_> = store.read(|tx| tx.identity_images(&sha)).unwrap();
    let with: Vec<_> = images.iter().filter(|i| i.vector.is_some()).collect();
    assert_eq!(record.images as usize, with.len());
    assert_eq!(record.left_out as usize, images.len() - with.len());
    let mut all = Vec::new(); // (score, genuine, a, b)
    for i in 0..with.len() {
        for j in i + 1..with.len() {
            let s = score(with[i].vector.as_ref().unwrap(), with[j].vector.as_ref().unwrap());
            all.push((s, with[i].identity == with[j].identity, i, j));
        }
    }
    let genuine = all.iter().filter(|p| p.1).count() as u64;
    let impostors = all.len() as u64 - genuine;
    assert_eq!((record.genuine, record.impostors), (genuine, impostors));
    assert!(genuine > 0 && impostors > 0);
    let mut distinct: Vec<f32> = all.iter().map(|p| p.0).collect();
    distinct.sort_by(|a, b| b.total_cmp(a));
    distinct.dedup();
    let at = |t: f32| -> (u64, u64) {
        let fa = all.iter().filter(|p| !p.1 && p.0 >= t).count() as u64;
        let ta = all.iter().filter(|p| p.1 && p.0 >= t).count() as u64;
        (fa, ta)
    };
    // The smallest distinct score with at most `limit` impostors at or above it.
    let threshold_for = |limit: u64| distinct.iter().copied().take_while(|&t| at(t).0 <= limit).last();
    for (point, (key, f)) in record.points.iter().zip(TPR_AT_FPR) {
        assert_eq!(point.key, key);
        let limit = (0..=impostors).take_while(|&k| k as f64 / impostors as f64 <= f).last().unwrap();
        let t = threshold_for(limit);
        assert_eq!(point.observed.threshold, t, "FMR {key}");
        assert_eq!((point.observed.false_accepts, point.observed.true_accepts), t.map_or((0, 0), at), "FMR {key}");
        match (max_failures_demonstrating(impostors, f), &point.demonstrated) {
            (None, None) => {}
            (Some(limit), Some(d)) => assert_eq!(d.threshold, threshold_for(limit), "FMR {key} demonstrated"),
            (want, got) => panic!("FMR {key}: demonstrated {want:?} vs {got:?}"),
        }
    }
    let mut hardest: Vec<_> = all.iter().filter(|p| !p.1).collect();
    hardest.sort_by(|x, y| y.0.total_cmp(&x.0).then((x.2, x.3).cmp(&(y.2, y.3))));
    let expected: Vec<(&str, &str, f32)> =
        hardest.iter().take(200).map(|p| (with[p.2].path.as_str(), with[p.3].path.as_str(), p.0)).collect();
    let got: Vec<(&str, &str, f32)> =
        record.hardest_impostors.iter().map(|c| (c.image_a.as_str(), c.image_b.as_str(), c.score)).collect();
    assert_eq!(got, expected);
    let mut weakest: Vec<_> = all.iter().filter(|p| p.1).collect();
    weakest.sort_by(|x, y| x.0.total_cmp(&y.0).then((x.2, x.3).cmp(&(y.2, y.3))));
    assert_eq!(record.weakest_genuine.len(), weakest.len().min(200));
    assert_eq!(record.weakest_genuine[0].score, weakest[0].0);
    let histogram_total: u64 = record.histogram.iter().map(|b| b.genuine + b.impostors).sum();
    assert_eq!(histogram_total, genuine + impostors);
}

/// `report --json` carries exactly the contract's keys, with the stored counts; the text
/// and HTML reports show the section.
fn check_report(p: &str, record: &AllVsAllRecord) {
    let report: serde_json::Value = serde_json::from_str(&ok(["report", p, "--json"])).unwrap();
    let a = &report["all_vs_all"];
    let keys = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>().join(",");
    let mut top: Vec<&str> =
        "model,images,identities,genuine,impostors,eer,points,hardest_impostors".split(',').collect();
    top.sort();
    assert_eq!(keys(a), top.join(","));
    assert_eq!((a["genuine"].as_u64(), a["impostors"].as_u64()), (Some(record.genuine), Some(record.impostors)));
    assert_eq!(keys(&a["eer"]), "rate,threshold");
    let points = a["points"].as_object().unwrap();
    assert_eq!(points.keys().cloned().collect::<Vec<_>>(), ["1e-1", "1e-2", "1e-3", "1e-4", "1e-5", "1e-6"]);
    let mut point_keys: Vec<&str> = "threshold,fmr,false_accepts,impostors,tmr,false_rejects,genuine,fmr_ci95,\
        fnmr_ci95,fmr_upper95,demonstrated,demonstrated_threshold,demonstrated_tmr,impostors_needed"
        .split(',')
        .collect();
    point_keys.sort();
    for (stored, (key, point)) in record.points.iter().zip(points) {
        assert_eq!(keys(point), point_keys.join(","), "{key}");
        assert_eq!(point["false_accepts"].as_u64(), Some(stored.observed.false_accepts), "{key}");
        assert_eq!(point["false_rejects"].as_u64(), Some(record.genuine - stored.observed.true_accepts), "{key}");
        let [lo, hi] = [0, 1].map(|i| point["fmr_ci95"][i].as_f64().unwrap());
        let fmr = point["fmr"].as_f64().unwrap();
        assert!(lo <= fmr && fmr <= hi && point["fmr_upper95"].as_f64().unwrap() >= fmr, "{key}");
        // 700 impostors demonstrate 1e-2 and nothing smaller (it needs 299 and 2,995).
        assert_eq!(point["demonstrated"].as_bool(), Some(stored.demonstrated.is_some()), "{key}");
    }
    assert_eq!(points["1e-2"]["demonstrated"], true);
    assert_eq!(points["1e-3"]["demonstrated"], false);
    assert_eq!(points["1e-3"]["impostors_needed"], 2995);
    let hardest = a["hardest_impostors"].as_array().unwrap();
    assert_eq!(hardest.len(), record.hardest_impostors.len().min(200));
    assert_eq!(keys(&hardest[0]), "identity_a,identity_b,image_a,image_b,score");
    assert_eq!(hardest[0]["image_a"], record.hardest_impostors[0].image_a.as_str());
    let text = ok(["report", p]);
    assert!(text.contains("All-vs-all (model builtin): 40 images of 8 identities; 780 comparisons"), "{text}");
    assert!(text.contains("FMR ≤ 1e-3 is not demonstrated: it needs ≥ 2995 impostors"), "{text}");
    let html = Path::new(p).with_extension("html");
    ok(["report", p, "--html", html.to_str().unwrap()]);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<h2>All-vs-all comparisons</h2>") && page.contains("780 comparisons"), "{page}");
}

#[test]
fn sitcom_counts_equal_a_brute_force_count_and_hardest_pairs_are_added_once() {
    let dir = tempfile::tempdir().unwrap();
    let project = sitcom_project(dir.path());
    let p = project.to_str().unwrap();
    set_identities(&project, |_, path| path.split('/').next().unwrap().to_owned());
    ok(["embed", p, "--quiet"]);
    let json = |args: &[&str]| -> serde_json::Value { serde_json::from_str(&ok(args)).unwrap() };
    assert_eq!(json(&["report", p, "--json"])["all_vs_all"], serde_json::Value::Null, "null until computed");

    let out = ok(["all-vs-all", p, "--quiet"]);
    assert!(out.contains("40 images of 8 identities"), "{out}");
    let record = stored_record(&project);
    check_against_brute_force(&project, &record);
    check_report(p, &record);

    let again = ok(["all-vs-all", p, "--quiet", "--add-hardest", "3"]);
    assert!(again.contains("unchanged since the last run"), "{again}");
    let pairs_before = Store::open(&project).unwrap().read(|tx| tx.pairs()).unwrap();
    let added: Vec<_> = pairs_before.iter().filter(|p| p.source == "all-vs-all").collect();
    let line = again.lines().find(|l| l.starts_with("added")).unwrap();
    let new = 6 - line.split("; ").nth(1).unwrap().split(' ').next().unwrap().parse::<usize>().unwrap();
    assert_eq!(added.len(), new, "{again}");
    for pair in &added {
        let identity = |id| Store::open(&project).unwrap().read(|tx| tx.image_identity(id)).unwrap();
        let same = identity(pair.image_a) == identity(pair.image_b);
        assert_eq!(pair.truth.map(|t| t == pairscope::analysis::Truth::Same), Some(same));
    }
    let third = ok(["all-vs-all", p, "--quiet", "--add-hardest", "3"]);
    assert!(third.contains("added 0 impostor and 0 genuine pairs"), "{third}");
}

#[test]
fn celebrity_counts_equal_a_brute_force_count_with_identities_from_same_pairs() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("celebrity.pairscope");
    let p = project.to_str().unwrap();
    let celebrity = datasets().join("celebrity-pairs");
    let csv = celebrity.join("pairs.csv");
    ok(["import-pairs", p, "--csv", csv.to_str().unwrap(), "--images", celebrity.to_str().unwrap()]);
    // Identities: the connected components of the `same` pairs.
    let pairs = Store::open(&project).unwrap().read(|tx| tx.pairs()).unwrap();
    let mut parent: HashMap<ImageId, ImageId> = HashMap::new();
    fn root(parent: &mut HashMap<ImageId, ImageId>, x: ImageId) -> ImageId {
        let up = *parent.entry(x).or_insert(x);
        if up == x { x } else { root(parent, up) }
    }
    for pair in &pairs {
        let (a, b) = (root(&mut parent, pair.image_a), root(&mut parent, pair.image_b));
        if pair.truth == Some(pairscope::analysis::Truth::Same) && a != b {
            parent.insert(a, b);
        }
    }
    set_identities(&project, |id, _| format!("person-{}", root(&mut parent.clone(), id).0));

    ok(["all-vs-all", p, "--quiet"]);
    check_against_brute_force(&project, &stored_record(&project));
}

#[test]
fn hostile_input_gets_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let project = sitcom_project(dir.path());
    let p = project.to_str().unwrap();
    // import-folders names everyone by folder; a project made elsewhere may not.
    let conn = rusqlite::Connection::open(&project).unwrap();
    conn.execute("UPDATE images SET identity = NULL", []).unwrap();
    drop(conn);
    let out = pairscope(["all-vs-all", p]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no image in this project has an identity"), "{}", stderr(&out));

    set_identities(&project, |_, path| path.split('/').next().unwrap().to_owned());
    let out = pairscope(["all-vs-all", p, "--model", "nosuch"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no model named \"nosuch\""), "{}", stderr(&out));

    let not_a_project = dir.path().join("notes.pairscope");
    std::fs::write(&not_a_project, "just some text, not SQLite\n".repeat(100)).unwrap();
    let out = pairscope(["all-vs-all", not_a_project.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("notes.pairscope"), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    let out = pairscope(["all-vs-all", p, "--add-hardest", "201"]);
    assert!(!out.status.success(), "more than the 200 kept is refused");
}
