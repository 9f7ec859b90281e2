//! `pairscope augment` on real photos (sitcom): the same command gives the same bytes, the
//! manifest's changes re-applied to the sources give the derived pixels, darken lowers the
//! brightness by its factor, the pairs are export's, and --add-to-project brings them in with
//! their lineage, all or nothing.

use crate::common;
use crate::curate_export::labelled_sitcom;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use common::{ok, pairscope, stderr};
use pairscope::curate::augment::Augmentation;
use pairscope::curate::{self, AugmentOptions, ExportOptions, Recipe, Selection, Snapshot};

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap()
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walk(dir) {
        let rel = entry.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
        out.insert(rel, std::fs::read(&entry).unwrap());
    }
    out
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() { out.extend(walk(&path)) } else { out.push(path) }
    }
    out
}

fn brightness(image: &image::RgbImage) -> f64 {
    image.as_raw().iter().map(|&v| f64::from(v)).sum::<f64>() / image.as_raw().len() as f64
}

fn options(selection: Selection, recipe: &str, seed: u64) -> AugmentOptions {
    AugmentOptions {
        selection,
        model: None,
        threshold: None,
        recipe: Recipe::parse(recipe).unwrap(),
        seed,
        add_to_project: false,
        adjudicate_as: None,
        origin: "test".into(),
    }
}

#[test]
fn the_same_command_gives_the_same_bytes_and_the_manifest_re_applies_to_them() {
    let dir = tempfile::tempdir().unwrap();
    let store = labelled_sitcom(dir.path());
    let project = store.path().to_path_buf();
    drop(store);
    let run = |out: &str, seed: &str| {
        ok([
            "augment",
            arg(&project),
            "--out",
            arg(&dir.path().join(out)),
            "--with-tag",
            "dark",
            "--recipe",
            "darken=0.3..0.6, noise=2..6, shift=3, copies=2",
            "--seed",
            seed,
            "-q",
        ])
    };
    let said = run("a", "5");
    assert!(said.contains("augmented 40 pairs"), "{said}");
    assert!(said.contains("80 derived pairs"), "{said}");
    run("b", "5");
    run("c", "6");
    let (a, b, c) = (files(&dir.path().join("a")), files(&dir.path().join("b")), files(&dir.path().join("c")));
    assert_eq!(a, b, "the same seed: byte-identical folders");
    assert_ne!(
        a.keys().filter(|k| k.ends_with(".png")).map(|k| &a[k]).collect::<Vec<_>>(),
        c.keys().filter(|k| k.ends_with(".png")).map(|k| &c[k]).collect::<Vec<_>>(),
        "another seed: other images"
    );
    assert!(ok(["verify-export", arg(&dir.path().join("a")), "--reapply"]).contains("derived images re-made"));

    // Independently of the PNG encoder: each derived image decodes to its source with the
    // manifest's changes applied.
    let m = manifest(&dir.path().join("a"));
    let images = m["images"].as_array().unwrap();
    assert_eq!(m["augment"]["seed"], 5);
    assert_eq!(m["augment"]["recipe"], "darken=0.3..0.6, noise=2..6, shift=3, copies=2");
    let mut factors = BTreeSet::new();
    for image in images {
        let derived = &image["derived"];
        let applied: Vec<Augmentation> = serde_json::from_value(derived["applied"].clone()).unwrap();
        let source_path =
            Path::new(image["source_root"].as_str().unwrap()).join(image["source_path"].as_str().unwrap());
        let source_bytes = std::fs::read(&source_path).unwrap();
        assert_eq!(common_hex(&source_bytes), derived["source_sha256"].as_str().unwrap(), "the source's sha256");
        let source = image::load_from_memory(&source_bytes).unwrap().to_rgb8();
        let expected = applied.iter().fold(source, |im, a| a.apply(&im));
        let written = image::open(dir.path().join("a").join(image["path"].as_str().unwrap())).unwrap().to_rgb8();
        assert_eq!(written, expected, "{}", image["path"]);
        let Augmentation::Exposure { factor } = applied[0] else { panic!("darken first: {applied:?}") };
        assert!((0.3..=0.6).contains(&factor), "{factor}");
        factors.insert(factor.to_bits());
    }
    assert!(factors.len() > images.len() / 2, "the range is sampled: {} factors", factors.len());

    // A manifest whose changes were edited no longer re-applies; verify-export --reapply says which image.
    let edited = dir.path().join("b/manifest.json");
    let text = std::fs::read_to_string(&edited).unwrap();
    let first_factor = images[0]["derived"]["applied"][0]["factor"].to_string();
    std::fs::write(&edited, text.replacen(&format!("\"factor\": {first_factor}"), "\"factor\": 0.9", 1)).unwrap();
    let out = pairscope(["verify-export", arg(&dir.path().join("b")), "--reapply"]);
    assert!(!out.status.success());
    let first_path = images[0]["path"].as_str().unwrap();
    assert!(
        stderr(&out).contains(&format!("{first_path}: re-applying the manifest's changes gives other bytes")),
        "{}",
        stderr(&out)
    );
}

fn common_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn darken_lowers_the_mean_brightness_by_its_factor_on_every_photo() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = labelled_sitcom(dir.path());
    let out = dir.path().join("dark");
    let selection = Selection { require_tags: vec!["dark".into()], ..Default::default() };
    curate::augment(&mut store, &out, &options(selection, "darken=0.4", 1), &AtomicBool::new(false), |_| {}).unwrap();
    for image in manifest(&out)["images"].as_array().unwrap() {
        let source = Path::new(image["source_root"].as_str().unwrap()).join(image["source_path"].as_str().unwrap());
        let before = brightness(&image::open(&source).unwrap().to_rgb8());
        let after = brightness(&image::open(out.join(image["path"].as_str().unwrap())).unwrap().to_rgb8());
        // Rounding each value to a whole grey level moves the mean by at most half a level.
        assert!((after - 0.4 * before).abs() <= 0.5, "{}: {before} -> {after}", image["path"]);
    }
}

#[test]
fn augment_takes_exactly_the_pairs_export_takes() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = labelled_sitcom(dir.path());
    for (i, selection) in [
        Selection { require_tags: vec!["dark".into()], exclude_tags: vec!["borderline".into()], ..Default::default() },
        Selection { min_agreement: Some(1.0), ..Default::default() },
        Selection { max_agreement: Some(0.99), consensus_only: true, ..Default::default() },
    ]
    .into_iter()
    .enumerate()
    {
        let exported = dir.path().join(format!("export-{i}"));
        let opts = ExportOptions { selection: selection.clone(), origin: "test".into(), ..Default::default() };
        curate::export(&mut store, &exported, &opts).unwrap();
        let export_ids: BTreeSet<String> = manifest(&exported)["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["pair_id"].as_str().unwrap().into())
            .collect();
        let augmented = dir.path().join(format!("augment-{i}"));
        let report = curate::augment(
            &mut store,
            &augmented,
            &options(selection, "flip, copies=3", 2),
            &AtomicBool::new(false),
            |_| {},
        )
        .unwrap();
        let mut from: BTreeMap<String, usize> = BTreeMap::new();
        for p in manifest(&augmented)["pairs"].as_array().unwrap() {
            *from.entry(p["metadata"]["augmented_from"].as_str().unwrap().into()).or_default() += 1;
        }
        assert_eq!(from.keys().cloned().collect::<BTreeSet<_>>(), export_ids, "selection {i}");
        assert!(from.values().all(|&n| n == 3), "three copies of each pair");
        assert_eq!(report.pairs, 3 * export_ids.len());
    }
}

#[test]
fn added_pairs_carry_truth_split_lineage_and_join_their_slice_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = labelled_sitcom(dir.path());
    store
        .write(|tx| {
            let ana = tx.find_labeler("ana")?.unwrap().id;
            tx.set_labeler_role(ana, pairscope::store::Role::Adjudicator, pairscope::store::Origin::Cli)
        })
        .unwrap();
    let before = Snapshot::load(&mut store).unwrap();
    let dark_before = before.pairs.iter().filter(|p| p.has_consensus_tag("dark")).count();
    let selection = Selection { require_tags: vec!["dark".into()], ..Default::default() };
    let opts = AugmentOptions {
        add_to_project: true,
        adjudicate_as: Some("ana".into()),
        ..options(selection.clone(), "blur=1..2, copies=2", 9)
    };
    let report =
        curate::augment(&mut store, &dir.path().join("added"), &opts, &AtomicBool::new(false), |_| {}).unwrap();
    let added = report.added.clone().unwrap();
    assert_eq!((added.pairs, added.adjudicated), (2 * dark_before, 2 * dark_before));
    let after = Snapshot::load(&mut store).unwrap();
    assert_eq!(after.pairs.len(), before.pairs.len() + 2 * dark_before);
    let derived: Vec<_> = after.pairs.iter().filter(|p| p.source == "augment").collect();
    for pair in &derived {
        let from = pair.metadata["augment"]["from_pair"].as_str().unwrap();
        let source = before.pairs.iter().find(|p| p.name() == from).unwrap();
        assert_eq!((pair.truth, pair.split), (source.truth, source.split), "{}", pair.name());
        assert_eq!(pair.consensus_tags, vec!["blurry".to_string(), "dark".to_string()], "{}", pair.name());
        assert_eq!(pair.metadata["augment"]["manifest_sha256"], report.manifest_sha256);
    }
    // Another run on the same selection takes the original pairs only: the synthetic ones
    // also match (they carry dark) but are not augmented again.
    let next = AugmentOptions { seed: 10, add_to_project: false, adjudicate_as: None, ..opts.clone() };
    let second = curate::augment(&mut store, &dir.path().join("next"), &next, &AtomicBool::new(false), |_| {}).unwrap();
    assert_eq!((second.source_pairs, second.synthetic_left_out), (dark_before, 2 * dark_before));
    let exported = curate::export(
        &mut store,
        &dir.path().join("exported"),
        &ExportOptions { selection: selection.clone(), origin: "test".into(), ..Default::default() },
    )
    .unwrap();
    assert_eq!(exported.pairs, 3 * dark_before, "export still takes the synthetic pairs too");
    // Added again with the same recipe and seed: refused before anything is written.
    let again = dir.path().join("again");
    let err = curate::augment(&mut store, &again, &opts, &AtomicBool::new(false), |_| {}).unwrap_err();
    assert!(err.to_string().contains("this recipe and seed were added before"), "{err}");
    assert!(!again.exists());
    assert_eq!(Snapshot::load(&mut store).unwrap().pairs.len(), after.pairs.len());
    // A labeler may not tag by adjudication; refused before anything is written.
    let as_labeler = AugmentOptions { adjudicate_as: Some("ben".into()), seed: 10, ..opts.clone() };
    let err =
        curate::augment(&mut store, &dir.path().join("ben"), &as_labeler, &AtomicBool::new(false), |_| {}).unwrap_err();
    assert!(err.to_string().contains("\"ben\" has the role labeler; only an adjudicator"), "{err}");
    assert!(!dir.path().join("ben").exists());
}

#[test]
fn cancel_and_bad_input_leave_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = labelled_sitcom(dir.path());
    let selection = Selection { require_tags: vec!["dark".into()], ..Default::default() };
    let opts = AugmentOptions { add_to_project: true, ..options(selection, "sunset=0.5, copies=2", 1) };
    let stop = AtomicBool::new(false);
    let target = dir.path().join("stopped");
    let mut seen = 0;
    let err = curate::augment(&mut store, &target, &opts, &stop, |p| {
        seen += 1;
        if p.done == 3 {
            stop.store(true, Ordering::Relaxed);
        }
    })
    .unwrap_err();
    assert!(matches!(err, curate::CurateError::Cancelled), "{err}");
    assert!(seen >= 4);
    assert!(!target.exists());
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(!left.iter().any(|n| n.to_string_lossy().contains("partial")), "no staging folder left: {left:?}");
    assert_eq!(store.read(|tx| tx.exports()).unwrap().len(), 0, "nothing in the lineage");
    assert!(Snapshot::load(&mut store).unwrap().pairs.iter().all(|p| p.source != "augment"), "nothing added");

    let project = store.path().to_path_buf();
    drop(store);
    for (recipe, says) in [
        ("darken=1.5", "recipe part 1 \"darken=1.5\": 1.5 is out of range"),
        ("glow=2", "unknown change; use darken, brighten, sunset, blur, noise, jpeg, shift, flip"),
        ("copies=2", "the recipe names no change"),
    ] {
        let out = pairscope(["augment", arg(&project), "--out", arg(&dir.path().join("bad")), "--recipe", recipe]);
        assert!(!out.status.success());
        assert!(stderr(&out).contains(says), "{recipe}: {}", stderr(&out));
    }
    let out = pairscope([
        "augment",
        arg(&project),
        "--out",
        arg(&dir.path().join("bad")),
        "--recipe",
        "flip",
        "--tag",
        "glare",
    ]);
    assert!(stderr(&out).contains("no tag named \"glare\""), "{}", stderr(&out));
    assert!(!dir.path().join("bad").exists());
}
