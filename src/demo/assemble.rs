//! Builds the demo project from the recipe: face crops and their changed copies as PNG files,
//! pairs and simulated labels through the real importers, scores from the real model.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use image::RgbImage;

use super::photos::photos;
use super::recipe::{ImageRecipe, Recipe, decode};
use super::simulated::SIMULATED_LABELERS;
use crate::face::FaceEngine;
use crate::import;
use crate::scoring::{ScoreSummary, score_project};
use crate::store::{ModelKind, Store, StoreError};

/// Face crops are this many pixels on their longer side: enough detail for labelers.
const CROP_SIZE: u32 = 224;
/// Room around the detector's box, as a share of its size, so the whole head shows.
const CROP_MARGIN: f32 = 0.35;

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("{0}")]
    Io(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Import(#[from] import::ImportError),
    #[error(transparent)]
    Scoring(#[from] crate::scoring::ScoringError),
    #[error(transparent)]
    Face(#[from] crate::face::FaceError),
}

fn io(what: &str, path: &Path, e: impl std::fmt::Display) -> DemoError {
    DemoError::Io(format!("{}: cannot {what}: {e}", path.display()))
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct DemoSummary {
    pub project: PathBuf,
    pub images: usize,
    pub pairs: usize,
    pub labels: usize,
    pub scoring: ScoreSummary,
}

/// Where the demo lives unless the user says otherwise: the user's data directory.
pub fn default_demo_path() -> PathBuf {
    directories::ProjectDirs::from("", "", "pairscope")
        .map(|d| d.data_dir().to_owned())
        .unwrap_or_else(std::env::temp_dir)
        .join("demo")
        .join("demo.pairscope")
}

/// (Re)creates the demo project at `path`; its images go in `images/` beside it. An existing
/// project there is replaced only with `replace`.
pub fn create_demo(path: &Path, replace: bool, mut stage: impl FnMut(&str)) -> Result<DemoSummary, DemoError> {
    let recipe = Recipe::embedded();
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_owned();
    std::fs::create_dir_all(&dir).map_err(|e| io("create the folder", &dir, e))?;
    if path.exists() {
        if !replace {
            return Err(StoreError::AlreadyExists(path.to_owned()).into());
        }
        for suffix in ["", "-wal", "-shm"] {
            let file = PathBuf::from(format!("{}{suffix}", path.display()));
            if file.exists() {
                std::fs::remove_file(&file).map_err(|e| io("remove", &file, e))?;
            }
        }
    }

    stage("cutting faces and applying changes");
    let images_dir = dir.join("images");
    std::fs::create_dir_all(&images_dir).map_err(|e| io("create the folder", &images_dir, e))?;
    let decoded: Vec<RgbImage> = photos().iter().map(|(file, bytes)| decode(file, bytes)).collect();
    for image in &recipe.images {
        let out = images_dir.join(&image.name);
        render(&recipe, &decoded, image).save(&out).map_err(|e| io("write", &out, e))?;
    }

    let pairs_csv = dir.join("demo-pairs.csv");
    write_pairs_csv(&recipe, &pairs_csv)?;
    let labels_csv = dir.join("demo-labels.csv");
    write_labels_csv(&recipe, &labels_csv)?;

    stage("importing pairs and simulated labels");
    let mut store = Store::create(path)?;
    import::import_pairs(&mut store, &pairs_csv, &images_dir, false)?;
    import::import_labels(&mut store, &labels_csv, false)?;
    store.write(|tx| {
        for name in SIMULATED_LABELERS {
            if let Some(labeler) = tx.find_labeler(name)? {
                tx.mark_simulated(labeler.id)?;
            }
        }
        tx.set_meta("demo_recipe_version", &recipe.version.to_string())
    })?;

    stage("scoring with the built-in face model");
    let engine = FaceEngine::builtin()?;
    let scoring = score_project(&mut store, &engine, "builtin", ModelKind::Embedded, &AtomicBool::new(false), |_| {})?;
    Ok(DemoSummary {
        project: path.to_owned(),
        images: recipe.images.len(),
        pairs: recipe.pairs.len(),
        labels: recipe.labels.len(),
        scoring,
    })
}

/// The face crop with its changes applied in order.
fn render(recipe: &Recipe, photos: &[RgbImage], image: &ImageRecipe) -> RgbImage {
    let photo = &photos[image.photo];
    let [x1, y1, x2, y2] = recipe.photos[image.photo].faces[image.face];
    let (w, h) = ((x2 - x1) as f32, (y2 - y1) as f32);
    let side = w.max(h) * (1.0 + 2.0 * CROP_MARGIN);
    let (cx, cy) = ((x1 + x2) as f32 / 2.0, (y1 + y2) as f32 / 2.0);
    let left = (cx - side / 2.0).max(0.0) as u32;
    let top = (cy - side / 2.0).max(0.0) as u32;
    let right = ((cx + side / 2.0) as u32).min(photo.width());
    let bottom = ((cy + side / 2.0) as u32).min(photo.height());
    let crop = image::imageops::crop_imm(photo, left, top, right - left, bottom - top).to_image();
    let scale = CROP_SIZE as f32 / crop.width().max(crop.height()) as f32;
    let (cw, ch) = (((crop.width() as f32) * scale).round() as u32, ((crop.height() as f32) * scale).round() as u32);
    let mut out = image::imageops::resize(&crop, cw.max(1), ch.max(1), image::imageops::FilterType::Triangle);
    for change in &image.changes {
        out = change.apply(&out);
    }
    out
}

fn write_pairs_csv(recipe: &Recipe, path: &Path) -> Result<(), DemoError> {
    let identity: HashMap<&str, String> = recipe
        .images
        .iter()
        .map(|i| (i.name.as_str(), format!("{}#face{}", recipe.photos[i.photo].file, i.face + 1)))
        .collect();
    let changes: HashMap<&str, String> = recipe
        .images
        .iter()
        .map(|i| {
            let names: Vec<String> = i.changes.iter().map(|c| format!("{:?}", c.kind()).to_lowercase()).collect();
            (i.name.as_str(), if names.is_empty() { "none".into() } else { names.join("+") })
        })
        .collect();
    let mut w = csv::Writer::from_path(path).map_err(|e| io("write", path, e))?;
    let mut row = |fields: &[&str]| {
        w.write_record(fields.iter().map(|f| crate::csv_cells::neutralise(f).into_owned()))
            .map_err(|e| io("write", path, e))
    };
    row(&["pair_id", "image_a", "image_b", "truth", "split", "identity_a", "identity_b", "photo", "changes"])?;
    for p in &recipe.pairs {
        let photo = identity[p.image_a.as_str()].split('#').next().unwrap_or_default().to_owned();
        row(&[
            &p.id,
            &p.image_a,
            &p.image_b,
            &p.truth,
            &p.split,
            &identity[p.image_a.as_str()],
            &identity[p.image_b.as_str()],
            &photo,
            &changes[p.image_b.as_str()],
        ])?;
    }
    w.flush().map_err(|e| io("write", path, e))
}

fn write_labels_csv(recipe: &Recipe, path: &Path) -> Result<(), DemoError> {
    let mut w = csv::Writer::from_path(path).map_err(|e| io("write", path, e))?;
    w.write_record(["pair_id", "labeler", "verdict", "tags"]).map_err(|e| io("write", path, e))?;
    for l in &recipe.labels {
        let tags = l.tags.join(";");
        let cells = [&l.pair, &l.labeler, &l.verdict, &tags].map(|c| crate::csv_cells::neutralise(c).into_owned());
        w.write_record(cells).map_err(|e| io("write", path, e))?;
    }
    w.flush().map_err(|e| io("write", path, e))
}
