//! Photos for the review screen and the thumbnails of the analysis screens: decoded through
//! [`face::decode`](crate::face::decode) (the model's own limits, EXIF orientation and panic
//! guard) and downscaled on a worker thread, uploaded as textures on the UI thread (cheap), and
//! prefetched around the current pair so that turning to the next pair draws it in the very
//! next frame. An entry is one file at one size: a thumbnail never stands in for a review photo.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::face::ImageStatus;
use crate::face::decode::{DecodeLimits, decode_path};
use crate::ui::jobs::background::Background;

/// Bounds for the longest side a photo is decoded to (it follows the window's size).
const MIN_SIDE: u32 = 512;
const MAX_SIDE: u32 = 4096;
/// The review size moves in steps of this many pixels, so resizing the window decodes the
/// photos again only now and then, not on every frame of the drag.
const SIDE_STEP: u32 = 256;

/// The longest side worth decoding for a window of this size: a photo takes at most about
/// half its width and all of its height.
pub fn side_for_window(size: egui::Vec2, pixels_per_point: f32) -> u32 {
    let side = (size.x / 2.0).max(size.y) * pixels_per_point;
    (side.ceil() as u32).next_multiple_of(SIDE_STEP).clamp(MIN_SIDE, MAX_SIDE)
}

/// The size review photos are decoded to in this window (the prefetch and the review screen
/// must agree on it to find each other's entries).
pub fn review_side(ctx: &egui::Context) -> u32 {
    side_for_window(ctx.content_rect().size(), ctx.pixels_per_point())
}

pub enum Entry {
    Loading,
    /// The texture and the photo's own size in pixels (upright).
    Ready(egui::TextureHandle, [u32; 2]),
    /// Why the photo cannot be shown, for the placeholder.
    Failed(String),
}

/// One file decoded to fit a square of `side` pixels.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Key {
    path: PathBuf,
    side: u32,
}

struct Decoded {
    key: Key,
    result: Option<Result<(egui::ColorImage, [u32; 2]), String>>,
}

pub struct ImageCache {
    /// By size, then by file: looking a photo up needs no allocation.
    entries: HashMap<u32, HashMap<PathBuf, Entry>>,
    /// What the UI still wants; the worker skips keys that left it while queued.
    wanted: Arc<Mutex<HashSet<Key>>>,
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
        self.entries.values().flat_map(|m| m.values()).filter(|e| matches!(e, Entry::Loading)).count()
    }

    /// The photo at `path` decoded for `side` (as asked for by [`want`](Self::want)).
    pub fn get(&self, path: &Path, side: u32) -> Option<&Entry> {
        self.entries.get(&side)?.get(path)
    }

    /// Keeps exactly these photos, at this size, loaded or loading (in priority order: the
    /// current pair first). The same files at other sizes are let go.
    pub fn want(&mut self, paths: &[PathBuf], side: u32) {
        let keep: HashSet<&PathBuf> = paths.iter().collect();
        self.entries.retain(|&s, by_path| {
            by_path.retain(|p, _| s == side && keep.contains(p));
            !by_path.is_empty()
        });
        *self.wanted.lock().expect("wanted set") = paths.iter().map(|path| Key { path: path.clone(), side }).collect();
        let by_path = self.entries.entry(side).or_default();
        for path in paths {
            if by_path.contains_key(path) {
                continue;
            }
            by_path.insert(path.clone(), Entry::Loading);
            let wanted = self.wanted.clone();
            let key = Key { path: path.clone(), side };
            let same = key.clone();
            self.worker.spawn(
                move || {
                    let still_wanted = wanted.lock().expect("wanted set").contains(&key);
                    let result = still_wanted.then(|| decode(&key.path, key.side));
                    Decoded { key, result }
                },
                |panic| Decoded { key: same, result: Some(Err(format!("the decoder failed: {panic}"))) },
            );
        }
    }

    /// Turns finished decodes into textures. Returns whether anything arrived.
    pub fn poll(&mut self, ctx: &egui::Context) -> bool {
        let mut any = false;
        for Decoded { key, result } in self.worker.poll() {
            let Some(by_path) = self.entries.get_mut(&key.side) else { continue };
            let Some(slot) = by_path.get_mut(&key.path) else { continue };
            *slot = match result {
                Some(Ok((image, size))) => {
                    let name = format!("{}@{}", key.path.display(), key.side);
                    Entry::Ready(ctx.load_texture(name, image, egui::TextureOptions::LINEAR), size)
                }
                Some(Err(why)) => Entry::Failed(why),
                // Skipped while no longer wanted, then wanted again: ask once more.
                None => {
                    by_path.remove(&key.path);
                    continue;
                }
            };
            any = true;
        }
        any
    }
}

/// Reads, decodes (upright, within the model's limits) and downscales one photo; the error
/// says what is wrong in a labeler's words.
fn decode(path: &Path, max_side: u32) -> Result<(egui::ColorImage, [u32; 2]), String> {
    let image = decode_path(path, &DecodeLimits::default()).map_err(|status| match status {
        ImageStatus::MissingFile { reason } if reason == "no such file" => "file not found".to_owned(),
        ImageStatus::MissingFile { reason } => format!("cannot read the file: {reason}"),
        ImageStatus::TooLarge { reason } => format!("too large to show: {reason}"),
        ImageStatus::Undecodable { reason } => format!("cannot decode the image: {reason}"),
        other => other.to_string(),
    })?;
    let size = [image.width(), image.height()];
    let image = if image.width() > max_side || image.height() > max_side {
        image::DynamicImage::from(image).resize(max_side, max_side, image::imageops::FilterType::Triangle).into_rgb8()
    } else {
        image
    };
    Ok((egui::ColorImage::from_rgb([image.width() as usize, image.height() as usize], &image), size))
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
    fn decode_size_follows_the_window_in_steps() {
        assert_eq!(side_for_window(egui::vec2(1280.0, 800.0), 1.0), 1024);
        assert_eq!(side_for_window(egui::vec2(1280.0, 790.0), 1.0), 1024, "a few pixels less: the same size");
        assert_eq!(side_for_window(egui::vec2(1280.0, 800.0), 2.0), 1792);
        assert_eq!(side_for_window(egui::vec2(100.0, 100.0), 1.0), 512);
        assert_eq!(side_for_window(egui::vec2(9000.0, 9000.0), 1.0), 4096);
    }

    /// A JPEG of `width` x `height`, left half red and right half blue, whose EXIF says
    /// "rotate 90° clockwise to view" (orientation 6), as phones write portrait photos.
    fn jpeg_with_orientation_6(width: u32, height: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(width, height, |x, _| {
            if x < width / 2 { image::Rgb([255, 0, 0]) } else { image::Rgb([0, 0, 255]) }
        });
        let mut jpeg = std::io::Cursor::new(Vec::new());
        img.write_to(&mut jpeg, image::ImageFormat::Jpeg).unwrap();
        let jpeg = jpeg.into_inner();
        // APP1 "Exif": a big-endian TIFF header and one IFD with one entry, Orientation
        // (0x0112), a SHORT of value 6.
        let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01".to_vec();
        exif.extend([0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1, 0x00, 0x06, 0, 0, 0, 0, 0, 0]);
        let mut out = jpeg[..2].to_vec();
        out.extend([0xFF, 0xE1]);
        out.extend(((exif.len() + 2) as u16).to_be_bytes());
        out.extend(exif);
        out.extend(&jpeg[2..]);
        out
    }

    #[test]
    fn exif_orientation_is_applied_as_the_model_sees_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("portrait.jpg");
        std::fs::write(&path, jpeg_with_orientation_6(64, 32)).unwrap();
        let (image, size) = decode(&path, 512).unwrap();
        assert_eq!(size, [32, 64], "upright: the stored 64x32 turned a quarter");
        assert_eq!(image.size, [32, 64]);
        // Turned clockwise, the left (red) half is on top and the right (blue) half below.
        let [r, _, b, _] = image[(16, 8)].to_array();
        assert!(r > 200 && b < 60, "top is red: {r} {b}");
        let [r, _, b, _] = image[(16, 56)].to_array();
        assert!(b > 200 && r < 60, "bottom is blue: {r} {b}");
    }

    #[test]
    fn a_decompression_bomb_is_refused_before_decoding() {
        // Only a PNG signature and a header claiming 20000x20000 pixels (1.2 GB as RGB).
        let mut bomb = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        bomb.extend(20_000u32.to_be_bytes());
        bomb.extend(20_000u32.to_be_bytes());
        bomb.extend([8, 2, 0, 0, 0]);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bomb.png");
        std::fs::write(&path, bomb).unwrap();
        let why = decode(&path, 512).unwrap_err();
        assert!(why.starts_with("too large to show") && why.contains("20000x20000"), "{why}");
    }

    /// Polls the cache until the photo at this size has arrived (decoding is on a worker).
    fn wait_for<'c>(cache: &'c mut ImageCache, ctx: &egui::Context, path: &Path, side: u32) -> &'c Entry {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while matches!(cache.get(path, side), Some(Entry::Loading)) {
            assert!(std::time::Instant::now() < deadline, "gave up waiting for the decode");
            cache.poll(ctx);
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        cache.get(path, side).expect("wanted")
    }

    #[test]
    fn a_thumbnail_is_never_shown_as_the_full_size_photo() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("photo.png");
        image::RgbImage::new(1000, 500).save(&path).unwrap();
        let ctx = egui::Context::default();
        let mut cache = ImageCache::new(ctx.clone());
        let texture_size = |entry: &Entry| match entry {
            Entry::Ready(texture, size) => (texture.size(), *size),
            _ => panic!("the photo did not decode"),
        };

        cache.want(std::slice::from_ref(&path), 256);
        assert_eq!(texture_size(wait_for(&mut cache, &ctx, &path, 256)), ([256, 128], [1000, 500]));
        // The same file in review, at full size: decoded again, not the thumbnail stretched.
        cache.want(std::slice::from_ref(&path), 1024);
        assert_eq!(texture_size(wait_for(&mut cache, &ctx, &path, 1024)), ([1000, 500], [1000, 500]));
        assert!(cache.get(&path, 256).is_none(), "the thumbnail is let go");
    }
}
