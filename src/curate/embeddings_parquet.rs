//! `export-embeddings`: every image's embedding under a model, as a Parquet file that pandas,
//! pyarrow, polars and DuckDB read as is: `image` (path relative to its root, as an export's
//! manifest names its source), `identity` (nullable), `status` (the face pipeline's code) and
//! `embedding` (fixed-size list of float32, the L2-normalised vector the scores come from).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::CurateError;
use super::parquet::{Column, write_table};
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
            "model {name:?} has no embeddings: its scores were imported, not computed by pairscope"
        )));
    }
    if rows.is_empty() {
        return Err(CurateError::Invalid(format!(
            "model {name:?} has no embeddings of this project's images; run `pairscope embed` first"
        )));
    }
    let table = Table::new(rows).map_err(|e| CurateError::Invalid(format!("model {name:?}: {e}")))?;
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
