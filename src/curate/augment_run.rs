//! `pairscope augment`: synthesise more data like a slice (Ng's artificial data synthesis).
//! The pairs are picked as `export` picks them; each of their images gets `copies` derived
//! images with the recipe's changes drawn from the seed; each pair gets `copies` derived
//! pairs with the same truth and split. The result is an export folder (the same layout,
//! tables and manifest, with each derived image's source, seed and exact changes), written
//! through a staging folder so a failure or Cancel leaves nothing, and recorded in the
//! project's lineage. With `add_to_project` the derived pairs come into the project too.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;

use super::CurateError;
use super::augment_add::{Added, DerivedImage, DerivedPair, add_to_project};
use super::augment_derive::{apply_all, decode_source, draw_for, png_bytes};
use super::export::{ExportProgress, Placed, csv_bytes, finish, place_images, record_lineage, write_new};
use super::export_tables::{PairOut, PairsTable, labels_csv_rows, labels_parquet};
use super::export_target::prepare_target;
use super::manifest::{AugmentRef, Counts, FileEntry, ImageEntry, Manifest, PairEntry, ProjectRef, sha256_hex};
use super::pick::{PickOptions, Picked, pick};
use super::recipe::{Op, Recipe};
use super::selection::Selection;
use super::snapshot::{CuratedPair, Snapshot};
use crate::domain::Split;
use crate::quote::quote;
use crate::store::{ImageId, NewExport, SCHEMA_VERSION, Store};

#[derive(Clone, Debug, PartialEq)]
pub struct AugmentOptions {
    /// Which pairs, as for `export`.
    pub selection: Selection,
    /// The model and threshold that decide `selection.model_errors`.
    pub model: Option<String>,
    pub threshold: Option<f64>,
    pub recipe: Recipe,
    pub seed: u64,
    /// Bring the derived pairs into the project (source `augment`, with their lineage).
    pub add_to_project: bool,
    /// With `add_to_project`: record the derived pair's tags (the source's and the recipe's)
    /// as this adjudicator's decision, so the pairs join their slice without review.
    pub adjudicate_as: Option<String>,
    /// Through what it was asked for: cli, gui.
    pub origin: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AugmentReport {
    pub target: PathBuf,
    pub source_pairs: usize,
    pub source_images: usize,
    pub pairs: usize,
    pub images: usize,
    /// Picked pairs outside train (synthetic data there changes what dev and test measure).
    pub outside_train: usize,
    /// Synthetic pairs (source augment) the selection held, not augmented again.
    pub synthetic_left_out: usize,
    pub manifest_sha256: String,
    pub lineage_id: i64,
    pub added: Option<Added>,
    pub stale_removed: Option<String>,
}

/// A derived pair's name: the source's, the run (recipe and seed) and the copy, so two runs
/// with other recipes or seeds never name two pairs alike.
fn derived_pair_name(source: &str, run: &str, copy: u32) -> String {
    format!("{source}+aug-{run}-{copy}")
}

/// Eight hex digits naming a run: its recipe and seed.
fn run_tag(recipe: &Recipe, seed: u64) -> String {
    sha256_hex(format!("{recipe}|{seed}").as_bytes())[..8].to_owned()
}

/// The tags a derived pair carries: the source pair's consensus tags, less `dark` when the
/// recipe brightens, plus the recipe's.
fn derived_tags(source: &CuratedPair, recipe: &Recipe) -> Vec<String> {
    let brightens = recipe.steps.iter().any(|s| s.op == Op::Brighten);
    let mut tags: Vec<String> =
        source.consensus_tags.iter().filter(|t| !(brightens && t.eq_ignore_ascii_case("dark"))).cloned().collect();
    for tag in recipe.tags() {
        if !tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
            tags.push(tag.to_owned());
        }
    }
    tags.sort_by_key(|t| t.to_lowercase());
    tags
}

/// Synthesises the derived pairs into `target` (a new or empty folder). When `cancel` is
/// set it stops, removes what it wrote and records nothing.
pub fn augment(
    store: &mut Store,
    target: &Path,
    options: &AugmentOptions,
    cancel: &AtomicBool,
    mut progress: impl FnMut(ExportProgress),
) -> Result<AugmentReport, CurateError> {
    if options.adjudicate_as.is_some() && !options.add_to_project {
        return Err(CurateError::Invalid("adjudicating the derived pairs needs them added to the project".into()));
    }
    if let Some(name) = &options.adjudicate_as {
        // Checked before anything is written: a refusal after the folder exists would leave
        // the user to pick a new folder and run it again.
        let who = store.read(|tx| tx.find_labeler(name))?;
        match who {
            Some(l) if l.role == crate::store::Role::Adjudicator => {}
            Some(l) => {
                return Err(CurateError::Invalid(format!(
                    "{} has the role {}; only an adjudicator's decision can tag the derived pairs (`pairscope role PROJECT {} adjudicator`)",
                    quote(&l.name),
                    l.role.as_str(),
                    l.name
                )));
            }
            None => {
                return Err(CurateError::Invalid(format!("no labeler named {} in the project", quote(name.trim()))));
            }
        }
    }
    let snapshot = Snapshot::load(store)?;
    let pick_options = PickOptions {
        selection: &options.selection,
        model: options.model.as_deref(),
        threshold: options.threshold,
        originals_only: true,
    };
    let Picked { selection, pairs, synthetic_left_out, .. } = pick(store, &snapshot, &pick_options, "augmented")?;
    let recipe = &options.recipe;
    let copies = recipe.copies;
    let run = run_tag(recipe, options.seed);
    if options.add_to_project {
        // Refused before anything is written, so a repeated run leaves no folder behind.
        let first = pairs.iter().map(|p| derived_pair_name(&p.name(), &run, 1));
        if let Some(name) = store.read(|tx| {
            first
                .into_iter()
                .find_map(|n| tx.find_pair_by_external_id(&n).transpose().map(|r| r.map(|_| n)))
                .transpose()
        })? {
            return Err(CurateError::Invalid(format!(
                "pair {} is already in the project: this recipe and seed were added before (choose another --seed); nothing was written",
                quote(&name)
            )));
        }
    }
    let images = store.read(|tx| tx.all_images())?;
    let placed = place_images(&pairs, &images)?;

    // Where each derived image goes: copy k of source number n is number (n-1)·copies + k.
    let derived_path = |p: &Placed, copy: u32| {
        let number = (p.number - 1) * copies as usize + copy as usize;
        format!("images/{0}/{0}_{number:04}.png", p.folder)
    };
    let (target, staging, stale_removed) = prepare_target(target)?;
    let written = (|| -> Result<_, CurateError> {
        let total = placed.len() * copies as usize;
        let mut files: Vec<FileEntry> = Vec::new();
        let mut derived: BTreeMap<(ImageId, u32), DerivedImage> = BTreeMap::new();
        for (id, place) in &placed {
            let record = &images[id];
            let source = record.full_path();
            let bytes = std::fs::read(&source)
                .map_err(|e| CurateError::path(&source, format!("cannot read the image: {e}")))?;
            if sha256_hex(&bytes) != record.sha256 {
                return Err(CurateError::path(
                    &source,
                    format!(
                        "changed since it was imported (the project has sha256 {}); nothing was written",
                        record.sha256
                    ),
                ));
            }
            let decoded = decode_source(&source, &bytes)?;
            for copy in 1..=copies {
                if cancel.load(Ordering::Relaxed) {
                    return Err(CurateError::Cancelled);
                }
                progress(ExportProgress { done: derived.len(), total });
                let drawn = draw_for(recipe, options.seed, &record.sha256, copy);
                let image = apply_all(&decoded, &drawn.applied);
                let path = derived_path(place, copy);
                let entry = write_new(&staging, &path, &png_bytes(&image)?)?;
                derived.insert(
                    (*id, copy),
                    DerivedImage {
                        path,
                        sha256: entry.sha256.clone(),
                        bytes: entry.bytes,
                        dimensions: image.dimensions(),
                        identity: place.identity.clone(),
                        source: *id,
                        drawn,
                    },
                );
                files.push(entry);
            }
        }
        progress(ExportProgress { done: total, total });
        let mut out_pairs = Vec::new();
        for pair in &pairs {
            for copy in 1..=copies {
                out_pairs.push(DerivedPair {
                    name: derived_pair_name(&pair.name(), &run, copy),
                    source_name: pair.name(),
                    copy,
                    a: (pair.image_a, copy),
                    b: (pair.image_b, copy),
                    truth: pair.truth,
                    split: pair.split,
                    tags: derived_tags(pair, recipe),
                });
            }
        }
        let table = PairsTable {
            scored: false,
            with_threshold: false,
            rows: out_pairs
                .iter()
                .map(|p| PairOut {
                    pair_id: p.name.clone(),
                    image_a: derived[&p.a].path.clone(),
                    image_b: derived[&p.b].path.clone(),
                    truth: p.truth.map(|t| t.as_str().to_owned()),
                    split: p.split.map(|s| s.as_str().to_owned()),
                    tags: p.tags.clone(),
                    score: None,
                    predicted: None,
                    p_same: None,
                })
                .collect(),
        };
        files.push(write_new(&staging, "pairs.csv", &csv_bytes(&table.csv_rows())?)?);
        files.push(write_new(&staging, "pairs.parquet", &table.parquet()?)?);
        // Nobody has labeled a derived pair yet: the label tables hold their header only.
        files.push(write_new(&staging, "labels.csv", &csv_bytes(&labels_csv_rows(&[]))?)?);
        files.push(write_new(&staging, "labels.parquet", &labels_parquet(&[])?)?);
        files.sort_by(|x, y| x.path.cmp(&y.path));
        Ok((files, derived, out_pairs))
    })();
    let (files, derived, out_pairs) = match written {
        Ok(w) => w,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };

    let project_file = store.path().canonicalize().unwrap_or_else(|_| store.path().to_path_buf());
    let manifest = Manifest {
        format: "pairscope-export",
        format_version: 1,
        pairscope_version: env!("CARGO_PKG_VERSION"),
        project: ProjectRef { file: project_file.to_string_lossy().into_owned(), schema_version: SCHEMA_VERSION },
        selection: &selection,
        model: None,
        augment: Some(AugmentRef {
            recipe: recipe.to_string(),
            seed: options.seed,
            copies,
            tags: recipe.tags().into_iter().map(str::to_owned).collect(),
        }),
        created_at: None,
        split_run: None,
        counts: Counts { pairs: out_pairs.len(), images: derived.len(), labels: 0, lfw_pairs_txt: 0 },
        files,
        images: derived
            .values()
            .map(|d| ImageEntry {
                path: d.path.clone(),
                sha256: d.sha256.clone(),
                identity: d.identity.clone(),
                source_root: images[&d.source].root.clone(),
                source_path: images[&d.source].path.clone(),
                derived: Some(d.drawn.clone()),
            })
            .collect(),
        pairs: out_pairs
            .iter()
            .map(|p| PairEntry {
                pair_id: p.name.clone(),
                image_a: derived[&p.a].path.clone(),
                image_b: derived[&p.b].path.clone(),
                source: super::pick::SYNTHETIC_SOURCE.into(),
                metadata: serde_json::json!({ "augmented_from": p.source_name, "copy": p.copy }),
            })
            .collect(),
        lfw_pairs_txt_not_written: Some(
            "derived images are PNG (lossless, so the manifest's changes say exactly what they are), and LFW's pairs.txt names .jpg files only".into(),
        ),
        lfw_pairs_txt_left_out: Vec::new(),
    };
    let manifest_entry = finish(&manifest, &staging, &target)?;

    let target_abs = target.canonicalize().unwrap_or_else(|_| target.clone());
    let lineage = serde_json::json!({
        "selection": serde_json::to_value(&selection).map_err(|e| CurateError::Invalid(e.to_string()))?,
        "augment": { "recipe": recipe.to_string(), "seed": options.seed },
    });
    let complete_but = |what: &str, e: &dyn std::fmt::Display| {
        CurateError::Invalid(format!(
            "the augmented data is complete in {} but {what} failed: {e}",
            target_abs.display()
        ))
    };
    let lineage_id = record_lineage(
        store,
        "augmented data",
        &NewExport {
            target: &target_abs.to_string_lossy(),
            selection: &lineage,
            manifest_sha256: &manifest_entry.sha256,
            pairs: out_pairs.len() as u64,
            images: derived.len() as u64,
            origin: if options.origin.is_empty() { "cli" } else { &options.origin },
        },
    )?;
    let added = if options.add_to_project {
        let how = super::augment_add::AddHow {
            root: &target_abs,
            manifest_sha256: &manifest_entry.sha256,
            recipe,
            seed: options.seed,
            adjudicate_as: options.adjudicate_as.as_deref(),
            gui: options.origin == "gui",
        };
        Some(
            add_to_project(store, &how, &derived, &out_pairs)
                .map_err(|e| complete_but("adding it to the project", &e))?,
        )
    } else {
        None
    };
    Ok(AugmentReport {
        target: target_abs,
        source_pairs: pairs.len(),
        source_images: placed.len(),
        pairs: out_pairs.len(),
        images: derived.len(),
        outside_train: pairs.iter().filter(|p| p.split.is_some_and(|s| s != Split::Train)).count(),
        synthetic_left_out,
        manifest_sha256: manifest_entry.sha256,
        lineage_id,
        added,
        stale_removed: stale_removed.describe(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_names_differ_by_run_and_copy() {
        let r = Recipe::parse("darken=0.4").unwrap();
        let (a, b) = (run_tag(&r, 1), run_tag(&r, 2));
        assert_ne!(a, b);
        assert_ne!(run_tag(&Recipe::parse("darken=0.5").unwrap(), 1), a);
        assert_eq!(derived_pair_name("p7", &a, 2), format!("p7+aug-{a}-2"));
    }
}
