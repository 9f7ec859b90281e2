//! Exports: byte-identical re-exports, manifest hashes checked independently, path escapes
//! refused, never overwriting, filters, lineage, and the LFW round trip.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{datasets, ok, pairscope, stderr};
use pairscope::curate::{self, ExportOptions, Selection, verify_export};
use pairscope::domain::{Split, Truth};
use pairscope::store::{ModelKind, Origin, Store, StoreError};
use sha2::{Digest, Sha256};

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Every file under `dir`, by '/'-separated relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// Sitcom (8 people × 5 images, 160 pairs) with three labelers and an outside model's scores.
/// Pair i (in id order): "dark" by ana and ben when i % 4 == 0 (consensus); "borderline" by
/// all three when i % 8 == 3 (consensus) and by ana alone when i % 8 == 1 (not); cy
/// contradicts the truth when i % 5 == 0; when i % 7 == 0 only ana (right) and ben (wrong)
/// give verdicts, a tie.
pub(crate) fn labelled_sitcom(dir: &Path) -> Store {
    let mut store = Store::create(&dir.join("sitcom.pairscope")).unwrap();
    let options = pairscope::import::FolderOptions { different: None, seed: 1 };
    pairscope::import::import_folders(&mut store, &datasets().join("sitcom"), &options).unwrap();
    store
        .write(|tx| {
            let [ana, ben, cy] = ["ana", "ben", "cy"].map(|n| tx.labeler_or_create(n).unwrap().0.id);
            let dark = tx.find_tag("dark")?.unwrap().id;
            let borderline = tx.find_tag("borderline")?.unwrap().id;
            let (model, _) = tx.model_or_create("outside", ModelKind::Imported, None)?;
            for (i, pair) in tx.pairs()?.into_iter().enumerate() {
                let truth = pair.truth.unwrap();
                let wrong = if truth == Truth::Same { Truth::Different } else { Truth::Same };
                if i % 7 == 0 {
                    tx.set_verdict(pair.id, ana, Some(truth), Origin::Cli)?;
                    tx.set_verdict(pair.id, ben, Some(wrong), Origin::Cli)?;
                } else {
                    tx.set_verdict(pair.id, ana, Some(truth), Origin::Cli)?;
                    tx.set_verdict(pair.id, ben, Some(truth), Origin::Cli)?;
                    tx.set_verdict(pair.id, cy, Some(if i % 5 == 0 { wrong } else { truth }), Origin::Cli)?;
                }
                if i % 4 == 0 {
                    tx.set_pair_tag(pair.id, ana, dark, true, Origin::Cli)?;
                    tx.set_pair_tag(pair.id, ben, dark, true, Origin::Cli)?;
                }
                if i % 8 == 3 {
                    for l in [ana, ben, cy] {
                        tx.set_pair_tag(pair.id, l, borderline, true, Origin::Cli)?;
                    }
                }
                if i % 8 == 1 {
                    tx.set_pair_tag(pair.id, ana, borderline, true, Origin::Cli)?;
                }
                tx.set_score(pair.id, model, if truth == Truth::Same { 0.7 } else { 0.1 } + (i % 3) as f64 / 100.0)?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
    store
}

fn options(selection: Selection) -> ExportOptions {
    ExportOptions { selection, origin: "test".into(), ..Default::default() }
}

#[test]
fn re_export_is_byte_identical_manifest_hashes_verify_and_lineage_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = labelled_sitcom(dir.path());
    let selection =
        Selection { exclude_tags: vec!["Borderline".into()], min_agreement: Some(0.6), ..Default::default() };
    let opts = ExportOptions { model: Some("outside".into()), threshold: Some(0.5), ..options(selection) };
    let (out1, out2) = (dir.path().join("export-1"), dir.path().join("export-2"));
    let first = curate::export(&mut store, &out1, &opts).unwrap();
    let second = curate::export(&mut store, &out2, &opts).unwrap();

    // Expected selection, by the rules in labelled_sitcom: no consensus borderline (i % 8 != 3),
    // and agreement ≥ 0.6 (not the ties of i % 7 == 0).
    let expected = (0..160).filter(|i| i % 8 != 3 && i % 7 != 0).count();
    assert_eq!(first.pairs, expected);
    assert_eq!(first.images, 40);

    let (t1, t2) = (tree(&out1), tree(&out2));
    assert_eq!(t1.keys().collect::<Vec<_>>(), t2.keys().collect::<Vec<_>>());
    for (path, bytes) in &t1 {
        assert!(t2[path] == *bytes, "{path} differs between two exports of the same selection");
    }
    assert_eq!(first.manifest_sha256, second.manifest_sha256);

    // The manifest's hashes, checked here without the library's verifier...
    let manifest: serde_json::Value = serde_json::from_slice(&t1["manifest.json"]).unwrap();
    let listed = manifest["files"].as_array().unwrap();
    assert_eq!(listed.len(), t1.len() - 1, "every file but the manifest itself is listed");
    for file in listed {
        let path = file["path"].as_str().unwrap();
        assert_eq!(file["sha256"].as_str().unwrap(), hex(&t1[path]), "{path}");
        assert_eq!(file["bytes"].as_u64().unwrap(), t1[path].len() as u64, "{path}");
    }
    assert_eq!(hex(&t1["manifest.json"]), first.manifest_sha256);
    // ...and by it.
    assert_eq!(verify_export(&out1).unwrap(), Vec::<String>::new());
    assert_eq!(manifest["model"]["name"], "outside");
    assert_eq!(manifest["model"]["threshold"], 0.5);
    assert_eq!(manifest["project"]["schema_version"], pairscope::store::SCHEMA_VERSION);
    assert!(manifest["created_at"].is_null(), "no clock time unless asked for");
    assert!(manifest["split_run"].is_null(), "no pair has a split");
    assert_eq!(manifest["selection"]["exclude_tags"][0], "borderline", "spelled as the project does");
    let image = &manifest["images"][0];
    assert!(image["source_root"].as_str().unwrap().ends_with("sitcom"), "{image}");
    assert_eq!(image["identity"], "amy");
    assert!(manifest["pairs"][0]["source"].as_str().unwrap().starts_with("folders:"));

    // The tables.
    let pairs_csv = String::from_utf8(t1["pairs.csv"].clone()).unwrap();
    let mut lines = pairs_csv.lines();
    assert_eq!(lines.next().unwrap(), "pair_id,image_a,image_b,truth,split,tags,score,predicted,p_same");
    // Pair 0 is a tie (left out by min_agreement); pair 1 carries ana's lone borderline tag,
    // which is no consensus.
    let row = lines.next().unwrap();
    let (row, p_same) = row.rsplit_once(',').unwrap();
    assert_eq!(row, "amy/amy1.png|amy/amy3.png,images/amy/amy_0001.png,images/amy/amy_0003.png,same,,,0.71,same");
    // The calibrated P(same) is the one `pairscope quality` gives the pair.
    let quality = pairscope::curate::quality::ProjectQuality::load(&mut store, Some("outside")).unwrap();
    let i = quality.pair_names.iter().position(|n| n == "amy/amy1.png|amy/amy3.png").unwrap();
    assert_eq!(p_same, quality.quality.pairs[i].model_probability.unwrap().to_string());
    let labels_csv = String::from_utf8(t1["labels.csv"].clone()).unwrap();
    assert_eq!(labels_csv.lines().count() - 1, first.labels);
    assert_eq!(first.labels, 3 * expected, "three labelers on every selected pair");
    assert!(labels_csv.contains("\namy/amy1.png|amy/amy3.png,ana,same,borderline,true\n"), "{labels_csv}");
    // Sitcom images are PNG, which LFW's pairs.txt cannot name: every pair is listed as left out.
    assert_eq!(first.lfw_left_out, expected);
    assert_eq!(manifest["lfw_pairs_txt_left_out"].as_array().unwrap().len(), expected);

    // Lineage: both exports, with the time, the selection and the manifest hash.
    let lineage = store.read(|tx| tx.exports()).unwrap();
    assert_eq!(lineage.len(), 2);
    assert_eq!(lineage[0].manifest_sha256, first.manifest_sha256);
    assert_eq!(lineage[1].target, out2.canonicalize().unwrap().to_string_lossy());
    assert_eq!(lineage[0].selection["min_agreement"], 0.6);
    assert!(lineage[0].at.ends_with('Z'), "{}", lineage[0].at);

    // The exported pairs.csv and labels.csv import into a new project as they are.
    let copy = dir.path().join("copy.pairscope");
    let out = ok(["import-pairs", arg(&copy), "--csv", arg(&out1.join("pairs.csv")), "--images", arg(&out1)]);
    assert!(out.contains(&format!("imported {expected} pairs")), "{out}");
    let out = ok(["import-labels", arg(&copy), "--csv", arg(&out1.join("labels.csv"))]);
    assert!(out.contains(&format!("imported {} labels", first.labels)), "{out}");

    // --stamp puts the time in, so that manifest differs while the other files do not.
    let stamped = dir.path().join("stamped");
    curate::export(&mut store, &stamped, &ExportOptions { stamp: true, ..opts.clone() }).unwrap();
    let t3 = tree(&stamped);
    let m3: serde_json::Value = serde_json::from_slice(&t3["manifest.json"]).unwrap();
    assert!(m3["created_at"].as_str().unwrap().starts_with("20"), "{}", m3["created_at"]);
    assert!(t3.iter().filter(|(p, _)| *p != "manifest.json").all(|(p, b)| t1[p] == *b));
}

#[test]
fn filters_select_what_they_say_and_bad_requests_are_clear() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = labelled_sitcom(dir.path());
    let count = |store: &mut Store, name: &str, selection: Selection| {
        curate::export(store, &dir.path().join(name), &options(selection)).map(|r| r.pairs)
    };
    assert_eq!(count(&mut store, "all", Selection::default()).unwrap(), 160);
    let consensus = (0..160).filter(|i| i % 7 != 0).count();
    assert_eq!(
        count(&mut store, "consensus", Selection { consensus_only: true, ..Default::default() }).unwrap(),
        consensus
    );
    let dark = (0..160).filter(|i| i % 4 == 0).count();
    assert_eq!(
        count(&mut store, "dark", Selection { require_tags: vec!["DARK".into()], ..Default::default() }).unwrap(),
        dark
    );
    let unanimous = (0..160).filter(|i| i % 7 != 0 && i % 5 != 0).count();
    assert_eq!(
        count(&mut store, "unanimous", Selection { min_agreement: Some(1.0), ..Default::default() }).unwrap(),
        unanimous
    );

    let disagreements = (0..160).filter(|i| i % 7 == 0 || i % 5 == 0).count();
    let queue = Selection { max_agreement: Some(0.99), ..Default::default() };
    assert_eq!(count(&mut store, "queue", queue).unwrap(), disagreements);
    // Scores are 0.70–0.72 for same pairs and 0.10–0.12 for different ones, by i % 3: at 0.705
    // the model's errors are the same pairs scored 0.70 (false rejects).
    let truths: Vec<Truth> = store.read(|tx| tx.pairs()).unwrap().iter().map(|p| p.truth.unwrap()).collect();
    let misses = (0..160).filter(|&i| truths[i] == Truth::Same && i % 3 == 0).count();
    assert!(misses > 0);
    let errors = Selection { model_errors: true, ..Default::default() };
    let at = |t| ExportOptions { model: Some("outside".into()), threshold: Some(t), ..options(errors.clone()) };
    let report = curate::export(&mut store, &dir.path().join("errors"), &at(0.705)).unwrap();
    assert_eq!(report.pairs, misses);
    let manifest = std::fs::read_to_string(dir.path().join("errors/manifest.json")).unwrap();
    assert!(manifest.contains("\"model_errors\": true"), "the filter is recorded");
    let err = curate::export(&mut store, &dir.path().join("x5"), &options(errors.clone())).unwrap_err();
    assert!(err.to_string().contains("needs a model and the threshold"), "{err}");
    let err = curate::export(&mut store, &dir.path().join("x6"), &at(0.5)).unwrap_err();
    assert!(err.to_string().contains("model errors only"), "no errors at 0.5: {err}");
    let err =
        count(&mut store, "x1", Selection { exclude_tags: vec!["glare".into()], ..Default::default() }).unwrap_err();
    assert!(err.to_string().contains("no tag named \"glare\""), "{err}");
    let err = count(&mut store, "x2", Selection { split: Some(Split::Dev), ..Default::default() }).unwrap_err();
    assert!(err.to_string().contains("the selection holds no pairs"), "{err}");
    let err = count(&mut store, "x3", Selection { min_agreement: Some(1.5), ..Default::default() }).unwrap_err();
    assert!(err.to_string().contains("from 0 to 1"), "{err}");
    let bad_model = ExportOptions { model: Some("nope".into()), ..options(Selection::default()) };
    let err = curate::export(&mut store, &dir.path().join("x4"), &bad_model).unwrap_err();
    assert!(err.to_string().contains("no model named \"nope\""), "{err}");
    for refused in ["x1", "x2", "x3", "x4", "x5", "x6"] {
        assert!(!dir.path().join(refused).exists(), "{refused}: a refused export writes nothing");
    }
}

/// A small project of generated images with hostile identity names and file names.
fn hostile_project(dir: &Path) -> (Store, PathBuf) {
    let photos = dir.join("photos");
    std::fs::create_dir_all(photos.join("sub dir")).unwrap();
    let files =
        ["a b (1).PNG", "ünï.jpg", "x.jpeg", "noext", "..dots.jpg", "sub dir/CON.jpg", "p1.jpg", "p2.jpg", "long.jpg"];
    for (i, name) in files.iter().enumerate() {
        let img = image::RgbImage::from_fn(8, 8, |x, y| image::Rgb([(x * 30) as u8, (y * 30) as u8, (i * 30) as u8]));
        let format = if name.ends_with(".PNG") { image::ImageFormat::Png } else { image::ImageFormat::Jpeg };
        img.save_with_format(photos.join(name), format).unwrap();
    }
    let csv = dir.join("pairs.csv");
    let long = "Ö".repeat(150);
    std::fs::write(
        &csv,
        format!(
            "pair_id,image_a,image_b,truth,identity_a,identity_b\n\
         \"id,with \"\"quotes\"\"\",a b (1).PNG,ünï.jpg,different,../../escape,/etc/passwd\n\
         p2,x.jpeg,noext,same,..,..\n\
         p3,..dots.jpg,sub dir/CON.jpg,different,CON,José María\n\
         p4,p1.jpg,p2.jpg,different,a b,a_b\n\
         p5,p1.jpg,x.jpeg,different,,\n\
         p6,p2.jpg,noext,different,,\n\
         p7,p1.jpg,long.jpg,different,,{long}\n"
        ),
    )
    .unwrap();
    let mut store = Store::create(&dir.join("hostile.pairscope")).unwrap();
    pairscope::import::import_pairs(&mut store, &csv, &photos, false).unwrap();
    (store, photos)
}

#[test]
fn hostile_names_never_escape_the_export_folder() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = hostile_project(dir.path());
    let outer = dir.path().join("out");
    std::fs::create_dir(&outer).unwrap();
    let target = outer.join("export");
    let report = curate::export(&mut store, &target, &options(Selection::default())).unwrap();
    assert_eq!((report.pairs, report.images), (7, 9));

    // Nothing was written beside the export, and every name inside it is plain.
    let beside: Vec<_> = std::fs::read_dir(&outer).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(beside, ["export"], "no staging folder or escaped file left beside the export");
    let files = tree(&target);
    for path in files.keys() {
        for part in path.split('/') {
            assert!(!part.starts_with('.') && !part.is_empty(), "{path}");
            assert!(part.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)), "{path}");
            assert!(!part.eq_ignore_ascii_case("con") && !part.to_ascii_uppercase().starts_with("CON."), "{path}");
        }
    }
    let manifest: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    let images: BTreeMap<String, String> = manifest["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["source_path"].as_str().unwrap().to_owned(), i["path"].as_str().unwrap().to_owned()))
        .collect();
    let folder = |src: &str| images[src].split('/').nth(1).unwrap().to_owned();
    assert_eq!(folder("a b (1).PNG"), "_.._escape");
    assert_eq!(folder("ünï.jpg"), "_etc_passwd");
    assert_eq!(folder("x.jpeg"), "unnamed");
    assert_eq!(folder("..dots.jpg"), "_CON");
    assert_eq!(folder("sub dir/CON.jpg"), "Jos__Mar_a");
    assert_ne!(folder("p1.jpg").to_lowercase(), folder("p2.jpg").to_lowercase(), "'a b' and 'a_b' stay apart");
    assert!(images["noext"].ends_with(".bin"), "{}", images["noext"]);
    assert_eq!(folder("long.jpg"), "_".repeat(80), "a 150-letter name is cut to 80 safe letters");
    assert!(images["a b (1).PNG"].ends_with("_0001.png"));
    assert_eq!(verify_export(&target).unwrap(), Vec::<String>::new());
    let pairs_csv = String::from_utf8(files["pairs.csv"].clone()).unwrap();
    assert!(pairs_csv.contains("\"id,with \"\"quotes\"\"\""), "CSV quoting survives: {pairs_csv}");

    // A manifest edited to point outside is refused by the verifier, never followed.
    std::fs::write(outer.join("secret.txt"), b"outside").unwrap();
    let mut edited = manifest.clone();
    edited["files"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"path": "../secret.txt", "sha256": hex(b"outside"), "bytes": 7}));
    edited["files"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"path": "/etc/hostname", "sha256": "0", "bytes": 0}));
    std::fs::write(target.join("manifest.json"), serde_json::to_vec(&edited).unwrap()).unwrap();
    std::fs::write(target.join("pairs.csv"), b"tampered").unwrap();
    std::fs::write(target.join("extra.txt"), b"x").unwrap();
    let problems = verify_export(&target).unwrap();
    assert_eq!(problems.len(), 4, "{problems:?}");
    assert!(problems.iter().filter(|p| p.contains("would not stay inside")).count() == 2, "{problems:?}");
    assert!(problems.iter().any(|p| p.starts_with("pairs.csv: sha256")), "{problems:?}");
    assert!(problems.iter().any(|p| p.starts_with("extra.txt: not in the manifest")), "{problems:?}");
}

#[test]
fn an_export_never_overwrites_and_refuses_changed_images() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, photos) = hostile_project(dir.path());
    let all = options(Selection::default());

    let full = dir.path().join("full");
    std::fs::create_dir(&full).unwrap();
    std::fs::write(full.join("keep.txt"), b"mine").unwrap();
    let err = curate::export(&mut store, &full, &all).unwrap_err();
    assert!(err.to_string().contains("is not empty; an export never overwrites"), "{err}");
    assert_eq!(std::fs::read(full.join("keep.txt")).unwrap(), b"mine");
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"mine").unwrap();
    let err = curate::export(&mut store, &file, &all).unwrap_err();
    assert!(err.to_string().contains("exists and is not a folder"), "{err}");
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    curate::export(&mut store, &empty, &all).expect("an empty folder is fine");
    let err = curate::export(&mut store, &empty, &all).unwrap_err();
    assert!(err.to_string().contains("is not empty"), "exporting twice into one folder: {err}");

    // An image that changed since the import is not exported in its place.
    image::RgbImage::new(9, 9).save_with_format(photos.join("p2.jpg"), image::ImageFormat::Jpeg).unwrap();
    let target = dir.path().join("after-change");
    let err = curate::export(&mut store, &target, &all).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("p2.jpg") && msg.contains("changed since it was imported"), "{msg}");
    assert!(!target.exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "staging folders left behind: {leftovers:?}");
    assert_eq!(store.read(|tx| tx.exports()).unwrap().len(), 1, "only the export that happened is in the lineage");
}

#[test]
fn lfw_dev_split_exports_a_pairs_txt_that_imports_back_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("lfw.pairscope");
    let lfw = datasets().join("lfw");
    ok(["import-lfw", arg(&project), "--pairs", arg(&lfw.join("pairs.txt")), "--images", arg(&lfw.join("images"))]);
    ok(["split", arg(&project), "--seed", "5", "--apply"]);
    let out = dir.path().join("dev");
    let said = ok(["export", arg(&project), "--out", arg(&out), "--split", "dev"]);
    assert!(said.contains("exported ") && said.contains("recorded in the project as export #1"), "{said}");
    assert!(ok(["verify-export", arg(&out)]).contains("every file matches manifest.json"));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let pairs = manifest["counts"]["pairs"].as_u64().unwrap();
    assert_eq!(manifest["split_run"]["id"], 1, "the split run that made the dev split");
    assert_eq!(manifest["split_run"]["params"]["requested"]["seed"], 5);
    assert_eq!(manifest["counts"]["lfw_pairs_txt"], pairs, "every LFW pair can be written as LFW");

    // pairs.txt names images/<name>/<name>_NNNN.jpg: the LFW importer reads it back.
    let back = dir.path().join("back.pairscope");
    let txt = out.join("pairs.txt");
    let images = out.join("images");
    let said = ok(["import-lfw", arg(&back), "--pairs", arg(&txt), "--images", arg(&images), "--skip-bad"]);
    assert!(said.contains(&format!("imported {pairs} pairs")), "{said}");
    let again = pairscope(["export", arg(&project), "--out", arg(&out), "--split", "dev"]);
    assert!(stderr(&again).contains("is not empty"), "{}", stderr(&again));

    // The lineage lists the split run and the export.
    let lineage = ok(["lineage", arg(&project)]);
    assert!(lineage.contains("split runs 1") && lineage.contains("60/0/20/20 seed 5"), "{lineage}");
    assert!(lineage.contains("exports    1") && lineage.contains(&format!("{pairs} pairs")), "{lineage}");
    let json: serde_json::Value = serde_json::from_str(&ok(["lineage", arg(&project), "--json"])).unwrap();
    assert_eq!(json["exports"][0]["manifest_sha256"].as_str().unwrap().len(), 64);
    assert_eq!(json["exports"][0]["selection"]["split"], "dev");
    for sub in ["split", "export", "verify-export", "merge-labels", "lineage"] {
        assert!(pairscope([sub, "--help"]).status.success(), "{sub} --help");
    }
}

#[test]
fn with_no_pair_lfw_can_express_there_is_no_pairs_txt_and_the_manifest_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let celeb = datasets().join("celebrity-pairs");
    // The celebrity pairs without their truth column: LFW's pairs.txt cannot hold one of them.
    let text = std::fs::read_to_string(celeb.join("pairs.csv")).unwrap();
    let no_truth: String = text.lines().take(11).map(|l| format!("{}\n", l.rsplit_once(',').unwrap().0)).collect();
    let csv = dir.path().join("pairs.csv");
    std::fs::write(&csv, no_truth).unwrap();
    let project = dir.path().join("celeb.pairscope");
    ok(["import-pairs", arg(&project), "--csv", arg(&csv), "--images", arg(&celeb)]);
    let out = dir.path().join("export");
    let said = ok(["export", arg(&project), "--out", arg(&out)]);
    assert!(said.contains("no pairs.txt: no pair can be written in LFW format"), "{said}");
    assert!(!out.join("pairs.txt").exists(), "no header-only pairs.txt");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["counts"]["lfw_pairs_txt"], 0);
    assert_eq!(
        manifest["lfw_pairs_txt_not_written"],
        "no pair can be written in LFW's pairs.txt format (10: the truth is unknown)"
    );
    assert!(ok(["verify-export", arg(&out)]).contains("every file matches manifest.json"));
}

#[test]
fn export_with_the_embedded_model_records_its_sha256_and_threshold() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("sitcom.pairscope");
    ok(["import-folders", arg(&project), "--images", arg(&datasets().join("sitcom")), "--seed", "2"]);
    ok(["embed", arg(&project), "--quiet"]);
    let out = dir.path().join("scored");
    ok(["export", arg(&project), "--out", arg(&out), "--model", "builtin", "--threshold", "0.4"]);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let model = &manifest["model"];
    assert_eq!((model["name"].as_str(), model["kind"].as_str()), (Some("builtin"), Some("embedded")), "{model}");
    let sha = model["sha256"].as_str().unwrap();
    assert!(sha.len() == 64 && sha.chars().all(|c| c.is_ascii_hexdigit()), "{sha}");
    assert_eq!(model["threshold"], 0.4);
    let pairs_csv = std::fs::read_to_string(out.join("pairs.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(pairs_csv.as_bytes());
    let headers: Vec<String> = rows.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(headers[headers.len() - 2..], ["predicted", "p_same"]);
    let scored = rows.records().map(|r| r.unwrap()).filter(|r| !r[6].is_empty()).count();
    assert_eq!(scored, 160, "every sitcom pair has a real score:\n{pairs_csv}");
    assert_eq!(verify_export(&out).unwrap(), Vec::<String>::new());
}

#[test]
fn progress_counts_every_image_and_a_cancelled_export_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = labelled_sitcom(dir.path());
    let opts = options(Selection::default());
    let mut seen = Vec::new();
    let go = std::sync::atomic::AtomicBool::new(false);
    let report =
        curate::export_with_progress(&mut store, &dir.path().join("all"), &opts, &go, |p| seen.push(p)).unwrap();
    assert_eq!(seen.len(), report.images, "one report per image copied");
    assert!(seen.iter().enumerate().all(|(i, p)| p.done == i && p.total == report.images));

    // Stopped after the third image: the folder is gone and no export is recorded.
    let stop = std::sync::atomic::AtomicBool::new(false);
    let target = dir.path().join("stopped");
    let err = curate::export_with_progress(&mut store, &target, &opts, &stop, |p| {
        if p.done == 2 {
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    })
    .unwrap_err();
    assert!(matches!(err, curate::CurateError::Cancelled), "{err}");
    assert!(!target.exists() || std::fs::read_dir(&target).unwrap().next().is_none(), "nothing is kept");
    let partial = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("partial"));
    assert_eq!(partial.count(), 0, "no half-written staging folder is left");
    assert_eq!(store.read(|tx| tx.exports()).unwrap().len(), 1, "only the finished export is in the lineage");
}
