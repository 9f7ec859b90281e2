//! `export-embeddings`: every image's embedding under a model, as a Parquet file that pandas,
//! pyarrow, polars and DuckDB read as is: `image` (path relative to its root, as an export's
//! manifest names its source), `identity` (nullable), `status` (the face pipeline's code) and
//! `embedding` (fixed-size list of float32, the L2-normalised vector the scores come from).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::CurateError;
use super::parquet::{Column, write_table};
use crate::quote::quote;
use crate::store::{ImageEmbedding, Store};

/// What an export of embeddings wrote.
#[derive(Clone, Debug, PartialEq)]
pub struct EmbeddingsExport {
    pub model: String,
    pub rows: usize,
    pub dimension: usize,
    pub with_identity: usize,
    pub bytes: u64,
}

/// Writes the embeddings of `model` (default: the one `report` would use) to `out`, through a
/// temporary file beside it renamed at the end, so a failure never leaves half a file.
/// `progress(done, total)` follows the writing.
pub fn export_embeddings(
    store: &mut Store,
    model: Option<&str>,
    out: &Path,
    progress: impl FnMut(usize, usize),
) -> Result<EmbeddingsExport, CurateError> {
    let found = store.read(|tx| {
        let Some(chosen) = tx.choose_model(model)? else { return Ok(None) };
        let rows = match &chosen.sha256 {
            Some(sha) => tx.image_embeddings(sha)?,
            None => Vec::new(),
        };
        Ok(Some((chosen, rows)))
    })?;
    let Some((chosen, rows)) = found else {
        return Err(CurateError::Invalid("no model has scored this project; run `pairscope embed` first".into()));
    };
    let name = chosen.name;
    if chosen.sha256.is_none() {
        return Err(CurateError::Invalid(format!(
            "model {} has no embeddings: its scores were imported, not computed by pairscope",
            quote(&name)
        )));
    }
    if rows.is_empty() {
        return Err(CurateError::Invalid(format!(
            "model {} has no embeddings of this project's images; run `pairscope embed` first",
            quote(&name)
        )));
    }
    let table = Table::new(rows).map_err(|e| CurateError::Invalid(format!("model {}: {e}", quote(&name))))?;
    let bytes = write_atomically(out, |file| table.write(file, progress))?;
    Ok(EmbeddingsExport {
        model: name,
        rows: table.images.len(),
        dimension: table.dimension,
        with_identity: table.identities.iter().flatten().count(),
        bytes,
    })
}

/// The four columns, ready to write.
struct Table {
    images: Vec<String>,
    identities: Vec<Option<String>>,
    statuses: Vec<String>,
    dimension: usize,
    embeddings: Vec<f32>,
}

impl Table {
    fn new(rows: Vec<ImageEmbedding>) -> Result<Table, String> {
        let dimension = rows.first().map_or(0, |r| r.vector.len());
        if dimension == 0 {
            return Err("an embedding is empty".into());
        }
        let mut table = Table {
            images: Vec::with_capacity(rows.len()),
            identities: Vec::with_capacity(rows.len()),
            statuses: Vec::with_capacity(rows.len()),
            dimension,
            embeddings: Vec::with_capacity(rows.len() * dimension),
        };
        for row in rows {
            if row.vector.len() != dimension {
                return Err(format!(
                    "image {} has an embedding of {} values where the others have {dimension}",
                    row.path,
                    row.vector.len()
                ));
            }
            table.embeddings.extend_from_slice(&row.vector);
            table.images.push(row.path);
            table.identities.push(row.identity);
            table.statuses.push(row.status);
        }
        Ok(table)
    }

    fn write(&self, out: &mut impl Write, progress: impl FnMut(usize, usize)) -> std::io::Result<()> {
        let columns = [
            ("image", Column::Strings(&self.images)),
            ("identity", Column::OptionalStrings(&self.identities)),
            ("status", Column::Strings(&self.statuses)),
            ("embedding", Column::FloatLists { size: self.dimension, values: &self.embeddings }),
        ];
        write_table(out, &columns, progress)
    }
}

/// Runs `write` into `<out>.partial` beside `out`, syncs it and renames it over `out`; on any
/// error the partial file is removed. Returns the file's size.
fn write_atomically(
    out: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> Result<u64, CurateError> {
    let mut partial = out.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let file =
        std::fs::File::create(&partial).map_err(|e| CurateError::path(out, format!("cannot write here: {e}")))?;
    let mut buffered = std::io::BufWriter::new(file);
    let written = write(&mut buffered)
        .and_then(|()| buffered.into_inner().map_err(|e| e.into_error()))
        .and_then(|file| {
            file.sync_all()?;
            Ok(file.metadata()?.len())
        })
        .and_then(|bytes| std::fs::rename(&partial, out).map(|()| bytes));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        CurateError::path(out, format!("cannot write: {e}"))
    })
}

/// The tests' Parquet reader, written from the format's specification.
#[cfg(test)]
#[path = "../../tests/common/parquet_reader.rs"]
mod parquet_reader;

#[cfg(test)]
mod tests {
    use super::parquet_reader::{self, Values};
    use super::*;
    use crate::store::test_util::temp_store;
    use crate::store::{CachedEmbedding, ModelKind, NewImage, StoreError};

    /// `n` images under one root with 3-value vectors (some of them awkward floats), every
    /// third with an identity, and one without a face; the model `m` holds them.
    fn store_with_embeddings(n: usize) -> (tempfile::TempDir, Store) {
        let (dir, mut store) = temp_store();
        store
            .write(|tx| {
                tx.model_or_create("m", ModelKind::Onnx, Some("msha"))?;
                let root = tx.image_root("/data")?;
                for i in 0..=n {
                    let (path, sha) = (format!("p{:02}/{i:05}.jpg", i % 40), format!("sha{i}"));
                    let new = NewImage { root, path: &path, sha256: &sha, bytes: 1, dimensions: None };
                    let id = tx.upsert_image(&new)?.0;
                    if i % 3 == 0 {
                        tx.set_image_identity(id, &format!("person {} é", i % 40), false)?;
                    }
                    let vector = (i < n).then(|| vec![i as f32 * 0.001, -0.0, f32::MIN_POSITIVE]);
                    let status = if i == n {
                        "no_face"
                    } else if i % 7 == 0 {
                        "several_faces"
                    } else {
                        "ok"
                    };
                    let e =
                        CachedEmbedding { status: status.into(), detail: None, face_count: None, face: None, vector };
                    tx.put_embedding("msha", &sha, &e)?;
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
        (dir, store)
    }

    #[test]
    fn a_project_larger_than_a_page_round_trips_row_for_row() {
        let n = 2 * crate::curate::parquet::ROWS_PER_PAGE + 500;
        let (dir, mut store) = store_with_embeddings(n);
        let out = dir.path().join("e.parquet");
        let mut last = (0, 0);
        let report = export_embeddings(&mut store, Some("m"), &out, |done, total| last = (done, total)).unwrap();
        assert_eq!((report.rows, report.dimension, report.with_identity), (n, 3, n.div_ceil(3)));
        assert_eq!(last.0, last.1, "progress ends at its total");

        let expected = store.read(|tx| tx.image_embeddings("msha")).unwrap();
        let file = parquet_reader::read(&std::fs::read(&out).unwrap());
        assert_eq!(file.rows, n);
        let [
            Values::Strings(images),
            Values::Strings(identities),
            Values::Strings(statuses),
            Values::FloatLists(vectors),
        ] = file.columns.as_slice()
        else {
            panic!("unexpected columns {:?}", file.leaves)
        };
        assert_eq!(vectors.len(), n);
        for (i, row) in expected.iter().enumerate() {
            assert_eq!(images[i].as_deref(), Some(row.path.as_str()));
            assert_eq!(identities[i], row.identity);
            assert_eq!(statuses[i].as_deref(), Some(row.status.as_str()));
            let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&vectors[i]), bits(&row.vector), "row {i}: the vector bit for bit");
        }
        assert!(!dir.path().join("e.parquet.partial").exists());
    }

    #[test]
    fn embeddings_of_different_sizes_are_an_error_naming_the_image() {
        let (dir, mut store) = store_with_embeddings(3);
        store
            .write(|tx| {
                let e = CachedEmbedding {
                    status: "ok".into(),
                    detail: None,
                    face_count: None,
                    face: None,
                    vector: Some(vec![1.0]),
                };
                tx.put_embedding("msha", "sha1", &e)
            })
            .unwrap();
        let out = dir.path().join("e.parquet");
        let error = export_embeddings(&mut store, Some("m"), &out, |_, _| {}).unwrap_err().to_string();
        assert!(error.contains("p01/00001.jpg has an embedding of 1 values where the others have 3"), "{error}");
        assert!(!out.exists());
    }
}
