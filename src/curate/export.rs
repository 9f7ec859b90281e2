//! Exporting a selection of pairs to a folder: the images (copied, never overwritten, under
//! safe names), `pairs.csv` and `labels.csv` (and the same tables as `pairs.parquet` and
//! `labels.parquet`), LFW `pairs.txt`, and `manifest.json` with the
//! sha256 of every file and where every image and pair came from.
//!
//! Layout: `images/<identity>/<identity>_<NNNN>.<ext>`, LFW's own layout, so `pairs.txt` can
//! name the images; images whose identity is unknown are filed under `unknown-identity`.
//!
//! Byte-identical re-exports: everything is sorted and the manifest holds no clock time. The
//! moment of an export is recorded in the project's lineage (the `exports` table, with the
//! manifest's sha256); `stamp` puts it in the manifest too, at the price of byte identity.
//! The project file's own hash is not in the manifest for the same reason: recording the
//! lineage changes the file.
//!
//! The export is written into a hidden staging folder beside the target and renamed into
//! place at the end, so a failure never leaves a half-written export behind.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;

use super::CurateError;
use super::export_tables::{LabelOut, PairOut, PairsTable, labels_csv_rows, labels_parquet};
use super::export_target::prepare_target;
use super::lfw_txt::{LfwEntry, render};
use super::manifest::{
    Counts, FileEntry, ImageEntry, LeftOut, Manifest, ModelRef, PairEntry, ProjectRef, SplitRunRef, sha256_hex,
};
use super::names::{join_inside, safe_component, safe_extension};
use super::pick::{PickOptions, Picked, pick};
pub use super::selection::Selection;
use super::snapshot::{CuratedPair, Snapshot};
use crate::analysis;
use crate::store::{ImageId, NewExport, SCHEMA_VERSION, Store};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExportOptions {
    pub selection: Selection,
    /// Include this model's scores.
    pub model: Option<String>,
    /// With a model: the operating threshold, recorded and used for a `predicted` column.
    pub threshold: Option<f64>,
    /// Put the export's time in the manifest (re-exports are then no longer byte-identical).
    pub stamp: bool,
    /// Through what the export was asked for: cli, gui.
    pub origin: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExportReport {
    pub target: PathBuf,
    pub pairs: usize,
    pub images: usize,
    pub labels: usize,
    pub lfw_pairs: usize,
    pub lfw_left_out: usize,
    pub manifest_sha256: String,
    /// The lineage record's id in the project.
    pub lineage_id: i64,
    /// What was said about the staging folders of killed exports removed on the way, if any.
    pub stale_removed: Option<String>,
}

/// Where each exported image goes: (identity folder, number, extension, relative path).
pub(super) struct Placed {
    pub(super) folder: String,
    pub(super) number: usize,
    pub(super) ext: String,
    pub(super) path: String,
    pub(super) identity: Option<String>,
}

/// Files images under `images/<identity>/<identity>_<NNNN>.<ext>`: identities in sorted order
/// (unknown last), folder names made safe and unique ignoring case, images numbered in
/// source path order.
pub(super) fn place_images(
    pairs: &[&CuratedPair],
    images: &HashMap<ImageId, crate::store::ImageRecord>,
) -> Result<BTreeMap<ImageId, Placed>, CurateError> {
    let mut identity_of: BTreeMap<ImageId, Option<String>> = BTreeMap::new();
    for pair in pairs {
        for (image, side) in [(pair.image_a, 'a'), (pair.image_b, 'b')] {
            let claimed = pair.identity(side).map(str::to_owned);
            let slot = identity_of.entry(image).or_insert(None);
            if slot.is_none() {
                *slot = claimed;
            }
        }
    }
    let mut by_identity: BTreeMap<(bool, String), Vec<ImageId>> = BTreeMap::new();
    for (image, identity) in &identity_of {
        let key = (identity.is_none(), identity.clone().unwrap_or_else(|| "unknown-identity".into()));
        by_identity.entry(key).or_default().push(*image);
    }
    let mut taken: HashSet<String> = HashSet::new();
    let mut placed = BTreeMap::new();
    for ((unknown, name), mut members) in by_identity {
        let base = safe_component(&name);
        let mut folder = base.clone();
        let mut n = 2;
        while !taken.insert(folder.to_ascii_lowercase()) {
            folder = format!("{base}-{n}");
            n += 1;
        }
        let record = |id: &ImageId| {
            images.get(id).ok_or_else(|| CurateError::Invalid(format!("image #{id} is missing from the project")))
        };
        for id in &members {
            record(id)?;
        }
        members.sort_by(|x, y| {
            let (x, y) = (&images[x], &images[y]);
            (&x.root, &x.path, x.id).cmp(&(&y.root, &y.path, y.id))
        });
        for (i, id) in members.iter().enumerate() {
            let ext = safe_extension(&images[id].path);
            let number = i + 1;
            let path = format!("images/{folder}/{folder}_{number:04}.{ext}");
            let identity = (!unknown).then(|| name.clone());
            placed.insert(*id, Placed { folder: folder.clone(), number, ext, path, identity });
        }
    }
    Ok(placed)
}

/// Writes one new file inside `dir`; never replaces an existing one.
pub(super) fn write_new(dir: &Path, relative: &str, bytes: &[u8]) -> Result<FileEntry, CurateError> {
    let path = join_inside(dir, relative).map_err(|m| CurateError::path(dir, m))?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| CurateError::path(parent, format!("cannot create: {e}")))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| CurateError::path(&path, format!("cannot create (never overwritten): {e}")))?;
    file.write_all(bytes).map_err(|e| CurateError::path(&path, format!("cannot write: {e}")))?;
    Ok(FileEntry { path: relative.to_owned(), sha256: sha256_hex(bytes), bytes: bytes.len() as u64 })
}

/// The rows as CSV, every cell spreadsheet-safe ([`crate::csv_cells`]).
pub(super) fn csv_bytes(rows: &[Vec<String>]) -> Result<Vec<u8>, CurateError> {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    for row in rows {
        let row = row.iter().map(|cell| crate::csv_cells::neutralise(cell).into_owned());
        writer.write_record(row).map_err(|e| CurateError::Invalid(format!("writing CSV: {e}")))?;
    }
    writer.into_inner().map_err(|e| CurateError::Invalid(format!("writing CSV: {e}")))
}

/// How far an export is: images copied of all to copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExportProgress {
    pub done: usize,
    pub total: usize,
}

/// Exports the selection to `target` (a new or empty folder) and records it in the project.
pub fn export(store: &mut Store, target: &Path, options: &ExportOptions) -> Result<ExportReport, CurateError> {
    export_with_progress(store, target, options, &AtomicBool::new(false), |_| {})
}

/// `export`, reporting each copied image; when `cancel` is set it stops, removes what it
/// wrote and records nothing.
pub fn export_with_progress(
    store: &mut Store,
    target: &Path,
    options: &ExportOptions,
    cancel: &AtomicBool,
    mut progress: impl FnMut(ExportProgress),
) -> Result<ExportReport, CurateError> {
    let snapshot = Snapshot::load(store)?;
    let pick_options = PickOptions {
        selection: &options.selection,
        model: options.model.as_deref(),
        threshold: options.threshold,
        originals_only: false,
    };
    let Picked { selection, pairs, model, scores, .. } = pick(store, &snapshot, &pick_options, "exported")?;
    let images = store.read(|tx| tx.all_images())?;
    let project_file = store.path().canonicalize().unwrap_or_else(|_| store.path().to_path_buf());
    let created_at = if options.stamp { Some(store.read(|tx| tx.now())?) } else { None };
    let split_run = store
        .read(|tx| tx.split_runs())?
        .pop()
        .filter(|_| pairs.iter().any(|p| p.split.is_some()))
        .map(|r| SplitRunRef { id: r.id, at: r.at, params: r.params });
    let placed = place_images(&pairs, &images)?;

    let (target, staging, stale_removed) = prepare_target(target)?;
    let target = target.as_path();
    // P(same), calibrated on the whole project's truths out of fold (see `pairscope quality`).
    let probabilities: HashMap<crate::store::PairId, f64> = match &model {
        Some(m) => {
            let quality = super::quality::QualityRead::read(store, Some(&m.name))?.compute();
            quality
                .pair_ids
                .iter()
                .zip(&quality.quality.pairs)
                .filter_map(|(&id, p)| Some((id, p.model_probability?)))
                .collect()
        }
        None => HashMap::new(),
    };
    let scored = model.is_some().then_some((&scores, options.threshold, &probabilities));
    let mut copying = Copying { cancel, progress: &mut progress };
    let written = write_export(&staging, &pairs, &snapshot, &placed, &images, scored, &mut copying);
    let (files, labels, lfw_left_out) = match written {
        Ok(w) => w,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    let lfw_pairs = pairs.len() - lfw_left_out.len();
    let manifest = Manifest {
        format: "pairscope-export",
        format_version: 1,
        pairscope_version: env!("CARGO_PKG_VERSION"),
        project: ProjectRef { file: project_file.to_string_lossy().into_owned(), schema_version: SCHEMA_VERSION },
        selection: &selection,
        augment: None,
        model: model.as_ref().map(|m| ModelRef {
            name: m.name.clone(),
            kind: m.kind.as_str(),
            sha256: m.sha256.clone(),
            threshold: options.threshold,
        }),
        created_at,
        split_run,
        counts: Counts { pairs: pairs.len(), images: placed.len(), labels, lfw_pairs_txt: lfw_pairs },
        files,
        images: placed
            .iter()
            .map(|(id, p)| ImageEntry {
                path: p.path.clone(),
                sha256: images[id].sha256.clone(),
                identity: p.identity.clone(),
                source_root: images[id].root.clone(),
                source_path: images[id].path.clone(),
                derived: None,
            })
            .collect(),
        pairs: pairs
            .iter()
            .map(|p| PairEntry {
                pair_id: p.name(),
                image_a: placed[&p.image_a].path.clone(),
                image_b: placed[&p.image_b].path.clone(),
                source: p.source.clone(),
                metadata: p.metadata.clone(),
            })
            .collect(),
        lfw_pairs_txt_not_written: (lfw_pairs == 0).then(|| pairs_txt_not_written(&lfw_left_out)),
        lfw_pairs_txt_left_out: lfw_left_out.into_iter().map(|(pair_id, reason)| LeftOut { pair_id, reason }).collect(),
    };
    let manifest_entry = finish(&manifest, &staging, target)?;

    let target_abs = target.canonicalize().unwrap_or_else(|_| target.to_path_buf());
    let stale_removed = stale_removed.describe();
    let selection_json = serde_json::to_value(&selection).map_err(|e| CurateError::Invalid(e.to_string()))?;
    let lineage_id = record_lineage(
        store,
        "export",
        &NewExport {
            target: &target_abs.to_string_lossy(),
            selection: &selection_json,
            manifest_sha256: &manifest_entry.sha256,
            pairs: pairs.len() as u64,
            images: placed.len() as u64,
            origin: if options.origin.is_empty() { "cli" } else { &options.origin },
        },
    )?;
    Ok(ExportReport {
        target: target_abs,
        pairs: pairs.len(),
        images: placed.len(),
        labels,
        lfw_pairs,
        lfw_left_out: pairs.len() - lfw_pairs,
        manifest_sha256: manifest_entry.sha256,
        lineage_id,
        stale_removed,
    })
}

/// Writes `manifest.json` last into the staging folder and moves the folder into place at
/// `target` (an empty folder there is replaced). On failure the staging folder is removed.
pub(super) fn finish(manifest: &Manifest, staging: &Path, target: &Path) -> Result<FileEntry, CurateError> {
    let finished = serde_json::to_vec_pretty(manifest)
        .map_err(|e| CurateError::Invalid(format!("writing the manifest: {e}")))
        .and_then(|mut bytes| {
            bytes.push(b'\n');
            write_new(staging, "manifest.json", &bytes)
        })
        .and_then(|entry| {
            if target.is_dir() {
                std::fs::remove_dir(target)
                    .map_err(|e| CurateError::path(target, format!("cannot replace the empty folder: {e}")))?;
            }
            std::fs::rename(staging, target)
                .map_err(|e| CurateError::path(target, format!("cannot move the export into place: {e}")))?;
            Ok(entry)
        });
    if finished.is_err() {
        let _ = std::fs::remove_dir_all(staging);
    }
    finished
}

/// Records a finished folder in the project's lineage; `what` names it in the error ("the
/// export is complete in … but recording it in the project failed").
pub(super) fn record_lineage(store: &mut Store, what: &str, export: &NewExport) -> Result<i64, CurateError> {
    store.write(|tx| tx.record_export(export)).map_err(|e| {
        CurateError::Invalid(format!(
            "the {what} is complete in {} but recording it in the project failed: {e}",
            export.target
        ))
    })
}

type Written = (Vec<FileEntry>, usize, Vec<(String, String)>);

/// Writes the images and tables into `dir`; returns the files (by path), the number of labels
/// and the pairs `pairs.txt` left out.
/// Who watches the copying: told of each image, and able to stop it.
struct Copying<'a> {
    cancel: &'a AtomicBool,
    progress: &'a mut dyn FnMut(ExportProgress),
}

/// Scores by pair, the threshold, and calibrated P(same) by pair.
type Scored<'a> = (&'a HashMap<crate::store::PairId, f64>, Option<f64>, &'a HashMap<crate::store::PairId, f64>);

fn write_export(
    dir: &Path,
    pairs: &[&CuratedPair],
    snapshot: &Snapshot,
    placed: &BTreeMap<ImageId, Placed>,
    images: &HashMap<ImageId, crate::store::ImageRecord>,
    scored: Option<Scored>,
    copying: &mut Copying,
) -> Result<Written, CurateError> {
    let mut files = Vec::new();
    for (done, (id, place)) in placed.iter().enumerate() {
        if copying.cancel.load(Ordering::Relaxed) {
            return Err(CurateError::Cancelled);
        }
        (copying.progress)(ExportProgress { done, total: placed.len() });
        let record = &images[id];
        let source = record.full_path();
        let bytes =
            std::fs::read(&source).map_err(|e| CurateError::path(&source, format!("cannot read the image: {e}")))?;
        let sha = sha256_hex(&bytes);
        if sha != record.sha256 {
            return Err(CurateError::path(
                &source,
                format!(
                    "changed since it was imported (sha256 {sha}, the project has {}); nothing was exported",
                    record.sha256
                ),
            ));
        }
        files.push(write_new(dir, &place.path, &bytes)?);
    }

    let threshold = scored.and_then(|(_, t, _)| t);
    let mut table = PairsTable { scored: scored.is_some(), with_threshold: threshold.is_some(), rows: Vec::new() };
    for p in pairs {
        let score = scored.and_then(|(scores, _, _)| scores.get(&p.id)).copied();
        table.rows.push(PairOut {
            pair_id: p.name(),
            image_a: placed[&p.image_a].path.clone(),
            image_b: placed[&p.image_b].path.clone(),
            truth: p.truth.map(|t| t.as_str().to_owned()),
            split: p.split.map(|s| s.as_str().to_owned()),
            tags: p.consensus_tags.clone(),
            score,
            predicted: threshold.zip(score).map(|(t, s)| analysis::predicted(s, t).as_str().to_owned()),
            p_same: scored.and_then(|(_, _, probabilities)| probabilities.get(&p.id)).copied(),
        });
    }
    files.push(write_new(dir, "pairs.csv", &csv_bytes(&table.csv_rows())?)?);
    files.push(write_new(dir, "pairs.parquet", &table.parquet()?)?);

    // `blind` as `import-labels` reads it: false when any of the row's labels was given with
    // the answer in view.
    let mut labels = Vec::new();
    for p in pairs {
        let mut by_name: Vec<LabelOut> = p
            .labelers()
            .into_iter()
            .map(|l| LabelOut {
                pair_id: p.name(),
                labeler: snapshot.labelers.get(&l).map_or_else(|| format!("#{l}"), |x| x.name.clone()),
                verdict: p.verdicts.iter().find(|(x, _)| *x == l).map(|(_, v)| v.as_str().to_owned()),
                tags: p.tags_by.iter().filter(|(x, _)| *x == l).map(|(_, t)| t.clone()).collect(),
                blind: !p.not_blind.contains(&l),
            })
            .collect();
        by_name.sort_by(|x, y| (&x.labeler, &x.verdict, &x.tags).cmp(&(&y.labeler, &y.verdict, &y.tags)));
        labels.extend(by_name);
    }
    files.push(write_new(dir, "labels.csv", &csv_bytes(&labels_csv_rows(&labels))?)?);
    files.push(write_new(dir, "labels.parquet", &labels_parquet(&labels)?)?);
    let labels = labels.len();

    let names: Vec<String> = pairs.iter().map(|p| p.name()).collect();
    let entries: Vec<LfwEntry> = pairs
        .iter()
        .zip(&names)
        .map(|(p, name)| {
            let (a, b) = (&placed[&p.image_a], &placed[&p.image_b]);
            LfwEntry { pair: name, truth: p.truth, a: (&a.folder, a.number, &a.ext), b: (&b.folder, b.number, &b.ext) }
        })
        .collect();
    let (text, left_out) = render(&entries);
    // A pairs.txt that lists no pair is a header alone: leave it out (the manifest says why).
    if left_out.len() < entries.len() {
        files.push(write_new(dir, "pairs.txt", text.as_bytes())?);
    }
    files.sort_by(|x, y| x.path.cmp(&y.path));
    Ok((files, labels, left_out))
}

/// Why an export has no `pairs.txt`: no pair fits LFW's format, with how many for each reason.
fn pairs_txt_not_written(left_out: &[(String, String)]) -> String {
    let mut reasons: Vec<(&str, usize)> = Vec::new();
    for (_, reason) in left_out {
        match reasons.iter_mut().find(|(r, _)| r == reason) {
            Some((_, n)) => *n += 1,
            None => reasons.push((reason, 1)),
        }
    }
    reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let why: Vec<String> = reasons.iter().map(|(r, n)| format!("{n}: {r}")).collect();
    if why.is_empty() {
        return "no pairs were exported".into();
    }
    format!("no pair can be written in LFW's pairs.txt format ({})", why.join("; "))
}
