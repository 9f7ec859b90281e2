//! Photos for the review screen: decoded and downscaled on a worker thread, uploaded as
//! textures on the UI thread (cheap), and prefetched around the current pair so that turning
//! to the next pair draws it in the very next frame.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::background::Background;

/// Bounds for the longest side a photo is decoded to (it follows the window's size).
const MIN_SIDE: u32 = 512;
const MAX_SIDE: u32 = 4096;

/// The longest side worth decoding for a window of this size: a photo takes at most about
/// half its width and all of its height.
pub fn side_for_window(size: egui::Vec2, pixels_per_point: f32) -> u32 {
    let side = (size.x / 2.0).max(size.y) * pixels_per_point;
    (side.ceil() as u32).clamp(MIN_SIDE, MAX_SIDE)
}

pub enum Entry {
    Loading,
    /// The texture and the file's own size in pixels.
    Ready(egui::TextureHandle, [u32; 2]),
    /// Why the photo cannot be shown, for the placeholder.
    Failed(String),
}

struct Decoded {
    path: PathBuf,
    result: Option<Result<(egui::ColorImage, [u32; 2]), String>>,
}

pub struct ImageCache {
    entries: HashMap<PathBuf, Entry>,
    /// What the UI still wants; the worker skips paths that left it while queued.
    wanted: Arc<Mutex<HashSet<PathBuf>>>,
    worker: Background<Decoded>,
}

impl ImageCache {
    pub fn new(ctx: egui::Context) -> Self {
        ImageCache {
            entries: HashMap::new(),
            wanted: Arc::default(),
            worker: Background::named("pairscope-decode", move || ctx.request_repaint()),
        }
    }

    /// Photos still being decoded.
    pub fn loading(&self) -> usize {
        self.entries.values().filter(|e| matches!(e, Entry::Loading)).count()
    }

    pub fn get(&self, path: &Path) -> Option<&Entry> {
        self.entries.get(path)
    }

    /// Keeps exactly these photos (in priority order: the current pair first) loaded or loading.
    pub fn want(&mut self, paths: &[PathBuf], max_side: u32) {
        let keep: HashSet<PathBuf> = paths.iter().cloned().collect();
        self.entries.retain(|p, _| keep.contains(p));
        *self.wanted.lock().expect("wanted set") = keep;
        for path in paths {
            if self.entries.contains_key(path) {
                continue;
            }
            self.entries.insert(path.clone(), Entry::Loading);
            let wanted = self.wanted.clone();
            let (path, same) = (path.clone(), path.clone());
            self.worker.spawn(
                move || {
                    let still_wanted = wanted.lock().expect("wanted set").contains(&path);
                    let result = still_wanted.then(|| decode(&path, max_side));
                    Decoded { path, result }
                },
                |panic| Decoded { path: same, result: Some(Err(format!("the decoder failed: {panic}"))) },
            );
        }
    }

    /// Turns finished decodes into textures. Returns whether anything arrived.
    pub fn poll(&mut self, ctx: &egui::Context) -> bool {
        let mut any = false;
        for Decoded { path, result } in self.worker.poll() {
            let Some(slot) = self.entries.get_mut(&path) else { continue };
            *slot = match result {
                Some(Ok((image, size))) => {
                    let texture = ctx.load_texture(path.display().to_string(), image, egui::TextureOptions::LINEAR);
                    Entry::Ready(texture, size)
                }
                Some(Err(why)) => Entry::Failed(why),
                // Skipped while no longer wanted, then wanted again: ask once more.
                None => {
                    self.entries.remove(&path);
                    continue;
                }
            };
            any = true;
        }
        any
    }
}

/// Reads and downscales one photo; the error says what is wrong in a labeler's words.
fn decode(path: &Path, max_side: u32) -> Result<(egui::ColorImage, [u32; 2]), String> {
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "file not found".to_owned(),
        _ => format!("cannot read the file: {e}"),
    })?;
    let image = image::load_from_memory(&bytes).map_err(|e| format!("cannot decode the image: {e}"))?;
    let size = [image.width(), image.height()];
    let image = if image.width() > max_side || image.height() > max_side {
        image.resize(max_side, max_side, image::imageops::FilterType::Triangle)
    } else {
        image
    };
    let rgba = image.to_rgba8();
    let color = egui::ColorImage::from_rgba_unmultiplied([rgba.width() as usize, rgba.height() as usize], &rgba);
    Ok((color, size))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_files_say_why() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(decode(&dir.path().join("gone.jpg"), 512).unwrap_err(), "file not found");
        let junk = dir.path().join("junk.jpg");
        std::fs::write(&junk, b"not a jpeg").unwrap();
        assert!(decode(&junk, 512).unwrap_err().starts_with("cannot decode the image"));
    }

    #[test]
    fn large_photos_are_downscaled_keeping_their_aspect() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.png");
        image::RgbImage::new(3200, 1000).save(&big).unwrap();
        let (image, size) = decode(&big, 1600).unwrap();
        assert_eq!(size, [3200, 1000]);
        assert_eq!(image.size, [1600, 500]);
        let (small, _) = decode(&big, 8000).unwrap();
        assert_eq!(small.size, [3200, 1000], "never upscaled");
    }

    #[test]
    fn decode_size_follows_the_window() {
        assert_eq!(side_for_window(egui::vec2(1280.0, 800.0), 1.0), 800);
        assert_eq!(side_for_window(egui::vec2(1280.0, 800.0), 2.0), 1600);
        assert_eq!(side_for_window(egui::vec2(100.0, 100.0), 1.0), 512);
    }
}
