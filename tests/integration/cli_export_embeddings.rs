//! `pairscope export-embeddings` on real photos embedded by the real model: the Parquet file
//! read back (by a reader written from the format's specification) holds every embedded
//! image, its identity and status, and the cached vectors bit for bit.

use crate::common;
use crate::common::parquet_reader;

use std::path::{Path, PathBuf};

use common::{datasets, ok, pairscope, stderr};
use pairscope::store::{ModelKind, Store};
use parquet_reader::Values;

/// amy's, raj's and penny's photos copied into `dir/photos/<person>/`, plus a cut JPEG that
/// the face pipeline cannot decode; imported, then embedded with the built-in model.
fn embedded_project(dir: &Path) -> (PathBuf, PathBuf) {
    let photos = dir.join("photos");
    for person in ["amy", "raj", "penny"] {
        std::fs::create_dir_all(photos.join(person)).unwrap();
        for entry in std::fs::read_dir(datasets().join("sitcom").join(person)).unwrap() {
            let from = entry.unwrap().path();
            std::fs::copy(&from, photos.join(person).join(from.file_name().unwrap())).unwrap();
        }
    }
    let full = std::fs::read(datasets().join("celebrity-pairs/img1.jpg")).unwrap();
    std::fs::write(photos.join("penny/cut.jpg"), &full[..full.len() / 3]).unwrap();
    let project = dir.join("p.pairscope");
    let p = project.to_str().unwrap();
    ok(["import-folders", p, "--images", photos.to_str().unwrap(), "--seed", "1"]);
    ok(["embed", p, "--quiet"]);
    (project, photos.canonicalize().unwrap())
}

/// What the export must hold, read through the store's other queries: (path, identity,
/// status, vector) of every image with a cached vector, by path.
fn expected_rows(project: &Path, root: &Path) -> Vec<(String, Option<String>, String, Vec<f32>)> {
    let mut store = Store::open(project).unwrap();
    store
        .read(|tx| {
            let model = tx.choose_model(Some("builtin"))?.unwrap();
            let sha = model.sha256.unwrap();
            let mut rows = Vec::new();
            for (path, id) in tx.images_under_root(root.to_str().unwrap())? {
                let image = tx.image(id)?;
                let cached = tx.cached_embedding(&sha, &image.sha256)?.expect("every image was embedded");
                if let Some(vector) = cached.vector {
                    rows.push((path, tx.image_identity(id)?, cached.status, vector));
                }
            }
            rows.sort_by(|a, b| a.0.cmp(&b.0));
            Ok(rows)
        })
        .unwrap()
}

fn set_identities(project: &Path, root: &Path, identities: &[(&str, &str)]) {
    let mut store = Store::open(project).unwrap();
    store
        .write(|tx| {
            let images = tx.images_under_root(root.to_str().unwrap())?;
            for (path, identity) in identities {
                tx.set_image_identity(images[*path], identity, true)?;
            }
            Ok::<_, pairscope::store::StoreError>(())
        })
        .unwrap();
}

#[test]
fn export_embeddings_writes_every_embedded_image_with_its_identity_status_and_exact_vector() {
    let dir = tempfile::tempdir().unwrap();
    let (project, root) = embedded_project(dir.path());
    // import-folders names everyone by folder; forget that, so that unknown identities (null)
    // are exported too.
    let conn = rusqlite::Connection::open(&project).unwrap();
    conn.execute("UPDATE images SET identity = NULL", []).unwrap();
    drop(conn);
    set_identities(&project, &root, &[("amy/amy1.png", "Amy Farrah Fowler"), ("raj/raj2.png", "Rajesh Koothrappali")]);
    let out = dir.path().join("embeddings.parquet");
    let printed = ok(["export-embeddings", project.to_str().unwrap(), "--out", out.to_str().unwrap()]);

    let expected = expected_rows(&project, &root);
    assert!(expected.len() > 10, "most photos have a face: {}", expected.len());
    assert!(printed.contains(&format!("{} images, 2 with an identity", expected.len())), "{printed}");
    assert!(printed.contains("model builtin (512 float32 each)"), "{printed}");

    let file = parquet_reader::read(&std::fs::read(&out).unwrap());
    let paths: Vec<Vec<&str>> = file.leaves.iter().map(|l| l.path.iter().map(String::as_str).collect()).collect();
    assert_eq!(paths, [vec!["image"], vec!["identity"], vec!["status"], vec!["embedding", "list", "element"]]);
    let shape: Vec<(i64, Vec<i64>, Option<i16>)> =
        file.leaves.iter().map(|l| (l.physical_type, l.repetitions.clone(), l.logical_type)).collect();
    assert_eq!(
        shape,
        [(6, vec![0], Some(1)), (6, vec![1], Some(1)), (6, vec![0], Some(1)), (4, vec![0, 2, 0], Some(3))],
        "strings are BYTE_ARRAY with the STRING type, identity alone optional; the embedding a required LIST of FLOAT"
    );
    assert!(file.key_values.contains_key("ARROW:schema"), "the Arrow schema rides along for the fixed size");
    assert_eq!(file.rows, expected.len());

    let [Values::Strings(images), Values::Strings(identities), Values::Strings(statuses), Values::FloatLists(vectors)] =
        file.columns.as_slice()
    else {
        panic!("unexpected column kinds: {:?}", file.leaves);
    };
    for (i, (path, identity, status, vector)) in expected.iter().enumerate() {
        assert_eq!(images[i].as_deref(), Some(path.as_str()), "row {i}");
        assert_eq!(&identities[i], identity, "row {i} ({path})");
        assert_eq!(statuses[i].as_deref(), Some(status.as_str()), "row {i} ({path})");
        assert_eq!(vector.len(), 512, "row {i} ({path})");
        let differs = vector.iter().zip(&vectors[i]).position(|(a, b)| a.to_bits() != b.to_bits());
        assert_eq!(differs, None, "row {i} ({path}): the vector bit for bit; first difference at that index");
    }
    assert_eq!(images.len(), expected.len());
    assert!(!images.iter().flatten().any(|p| p == "penny/cut.jpg"), "an image without an embedding has no row");
    assert!(
        images.contains(&Some("amy/amy1.png".to_string())) && identities.contains(&Some("Amy Farrah Fowler".into()))
    );
}

#[test]
fn export_embeddings_refuses_unknown_models_models_without_embeddings_and_unwritable_paths() {
    let dir = tempfile::tempdir().unwrap();
    let (project, _root) = embedded_project(dir.path());
    let p = project.to_str().unwrap();
    Store::open(&project)
        .unwrap()
        .write(|tx| {
            tx.model_or_create("outside", ModelKind::Imported, None)?;
            tx.model_or_create("never-run", ModelKind::Onnx, Some("0123abcd"))
        })
        .unwrap();
    let out = dir.path().join("e.parquet");
    let fails = |args: &[&str], says: &str| {
        let run = pairscope(args);
        assert!(!run.status.success(), "{args:?} should fail");
        assert!(stderr(&run).contains(says), "{args:?}: {}", stderr(&run));
    };
    let o = out.to_str().unwrap();
    fails(&["export-embeddings", p, "--out", o, "--model", "nobody"], "no model named \"nobody\"");
    fails(&["export-embeddings", p, "--out", o, "--model", "outside"], "its scores were imported");
    fails(&["export-embeddings", p, "--out", o, "--model", "never-run"], "has no embeddings of this project's images");
    assert!(!out.exists(), "nothing written for a refused export");

    let missing_dir = dir.path().join("no-such-dir/e.parquet");
    fails(&["export-embeddings", p, "--out", missing_dir.to_str().unwrap()], "no-such-dir/e.parquet: cannot write");
    // A folder in the way: the rename fails, the partial file is removed, the folder is kept.
    let folder = dir.path().join("taken.parquet");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("keep.txt"), "kept").unwrap();
    fails(&["export-embeddings", p, "--out", folder.to_str().unwrap()], "taken.parquet: cannot write");
    assert!(!dir.path().join("taken.parquet.partial").exists(), "no half-written file is left behind");
    assert_eq!(std::fs::read_to_string(folder.join("keep.txt")).unwrap(), "kept");

    // An earlier file is replaced whole.
    std::fs::write(&out, "old").unwrap();
    ok(["export-embeddings", p, "--out", o, "--model", "builtin"]);
    assert_eq!(&std::fs::read(&out).unwrap()[..4], b"PAR1");
}
