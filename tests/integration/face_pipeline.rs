//! The embedded face model on real photos from `../shared/datasets`, and on bad files.
//!
//! Nothing is mocked: real ONNX Runtime, real models, real images.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use pairscope::face::{
    BatchOptions, EmbedderSpec, FaceEngine, FaceError, ImageJob, ImageResult, ImageStatus, TensorLayout, assets,
    cosine, runtime,
};

fn datasets() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets");
    assert!(dir.is_dir(), "the test photos are missing: expected them at {}", dir.display());
    dir
}

fn engine() -> &'static FaceEngine {
    static ENGINE: OnceLock<FaceEngine> = OnceLock::new();
    ENGINE.get_or_init(|| FaceEngine::builtin().expect("the embedded face model loads"))
}

/// Runs a batch and returns the results by id, checking nothing was dropped.
fn run(paths: &[PathBuf]) -> HashMap<i64, ImageResult> {
    let jobs: Vec<ImageJob> =
        paths.iter().enumerate().map(|(i, p)| ImageJob { id: i as i64, path: p.clone() }).collect();
    let mut results = HashMap::new();
    let summary = engine()
        .run_batch(&jobs, &BatchOptions::default(), &AtomicBool::new(false), |r| {
            assert!(results.insert(r.id, r).is_none(), "an image was delivered twice");
        })
        .expect("the batch runs");
    assert_eq!(summary.delivered, jobs.len());
    assert_eq!(results.len(), jobs.len());
    assert!(!summary.cancelled);
    results
}

/// ROC AUC by the rank statistic (Mann–Whitney U), ties counted half.
fn roc_auc(scores: &[(f32, bool)]) -> f64 {
    let mut sorted = scores.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j + 1 < sorted.len() && sorted[j + 1].0 == sorted[i].0 {
            j += 1;
        }
        let mean_rank = (i + j) as f64 / 2.0 + 1.0;
        rank_sum += mean_rank * sorted[i..=j].iter().filter(|s| s.1).count() as f64;
        i = j + 1;
    }
    let positives = scores.iter().filter(|s| s.1).count() as f64;
    let negatives = scores.len() as f64 - positives;
    (rank_sum - positives * (positives + 1.0) / 2.0) / (positives * negatives)
}

#[test]
fn auc_helper_by_hand() {
    assert_eq!(roc_auc(&[(0.9, true), (0.1, false)]), 1.0);
    assert_eq!(roc_auc(&[(0.1, true), (0.9, false)]), 0.0);
    assert_eq!(roc_auc(&[(0.5, true), (0.5, false)]), 0.5);
    // One positive above both negatives, one between: 3 of 4 orderings right.
    assert_eq!(roc_auc(&[(0.9, true), (0.5, true), (0.6, false), (0.1, false)]), 0.75);
}

/// Scores the labelled pairs; returns (score, same person) for pairs where both images have an
/// embedding, and the count of the others.
fn score_pairs(results: &HashMap<i64, ImageResult>, pairs: &[(i64, i64, bool)]) -> (Vec<(f32, bool)>, usize) {
    let mut scored = Vec::new();
    let mut unusable = 0;
    for &(a, b, same) in pairs {
        match (&results[&a].embedding, &results[&b].embedding) {
            (Some(x), Some(y)) => scored.push((cosine(x, y), same)),
            _ => unusable += 1,
        }
    }
    (scored, unusable)
}

#[test]
fn sitcom_same_person_pairs_score_above_different_person_pairs() {
    let root = datasets().join("sitcom");
    let mut paths = Vec::new();
    let mut identity = Vec::new();
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).collect();
    folders.sort();
    for folder in folders.iter().filter(|f| f.is_dir()) {
        let mut files: Vec<PathBuf> = std::fs::read_dir(folder).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for file in files {
            paths.push(file);
            identity.push(folder.file_name().unwrap().to_owned());
        }
    }
    assert_eq!(paths.len(), 40, "sitcom has 8 people x 5 photos");
    let results = run(&paths);
    for r in results.values() {
        assert!(r.status.has_embedding(), "{}: {}", r.path.display(), r.status);
    }
    let mut pairs = Vec::new();
    for a in 0..paths.len() {
        for b in a + 1..paths.len() {
            pairs.push((a as i64, b as i64, identity[a] == identity[b]));
        }
    }
    let (scored, unusable) = score_pairs(&results, &pairs);
    assert_eq!(unusable, 0);
    assert_eq!(scored.iter().filter(|s| s.1).count(), 80);
    assert_eq!(scored.len(), 780);
    let auc = roc_auc(&scored);
    println!("sitcom: ROC AUC {auc:.4} on {} pairs", scored.len());
    assert!(auc >= 0.99, "sitcom ROC AUC {auc}");
}

#[test]
fn celebrity_pairs_same_person_score_above_different_person() {
    let root = datasets().join("celebrity-pairs");
    let csv = std::fs::read_to_string(root.join("pairs.csv")).unwrap();
    let mut ids: HashMap<String, i64> = HashMap::new();
    let mut pairs = Vec::new();
    for (n, line) in csv.lines().enumerate().skip(1) {
        let fields: Vec<&str> = line.trim().split(',').collect();
        assert_eq!(fields.len(), 3, "pairs.csv line {}: {line}", n + 1);
        let mut id = |name: &str| {
            let next = ids.len() as i64;
            *ids.entry(name.to_string()).or_insert(next)
        };
        let (a, b) = (id(fields[0]), id(fields[1]));
        let same = match fields[2] {
            "same" => true,
            "different" => false,
            other => panic!("pairs.csv line {}: truth '{other}'", n + 1),
        };
        pairs.push((a, b, same));
    }
    let mut paths = vec![PathBuf::new(); ids.len()];
    for (name, &id) in &ids {
        paths[id as usize] = root.join(name);
    }
    let results = run(&paths);
    let (scored, unusable) = score_pairs(&results, &pairs);
    assert_eq!(pairs.len(), 300);
    assert_eq!(unusable, 0, "every celebrity photo has a face");
    let auc = roc_auc(&scored);
    println!("celebrity-pairs: ROC AUC {auc:.4} on {} pairs", scored.len());
    assert!(auc >= 0.99, "celebrity-pairs ROC AUC {auc}");
}

/// A PNG file that is only a signature and a header claiming `width` x `height`.
fn png_header_only(width: u32, height: u32) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xffff_ffffu32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }
    let mut chunk = b"IHDR".to_vec();
    chunk.extend(width.to_be_bytes());
    chunk.extend(height.to_be_bytes());
    chunk.extend([8, 2, 0, 0, 0]); // 8-bit RGB, no interlace
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(13u32.to_be_bytes());
    png.extend(&chunk);
    png.extend(crc32(&chunk).to_be_bytes());
    png
}

#[test]
fn bad_images_each_get_their_status() {
    let dir = tempfile::tempdir().unwrap();
    let good = datasets().join("celebrity-pairs/img1.jpg");
    let jpeg = std::fs::read(&good).unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let truncated = write("truncated.jpg", &jpeg[..jpeg.len() / 3]);
    let empty = write("empty.jpg", b"");
    let text = write("text.jpg", b"this is not a photo\n");
    let huge = write("huge.png", &png_header_only(20_000, 20_000));
    let grey = dir.path().join("grey.png");
    image::RgbImage::from_pixel(320, 240, image::Rgb([128, 128, 128])).save(&grey).unwrap();
    let noise = dir.path().join("noise.png");
    let mut state = 0x2545_f491u32;
    image::RgbImage::from_fn(300, 300, |_, _| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        image::Rgb([state as u8, (state >> 8) as u8, (state >> 16) as u8])
    })
    .save(&noise)
    .unwrap();
    let missing = dir.path().join("missing.jpg");

    let paths = [good.clone(), truncated, empty, text, huge, grey, noise, missing, dir.path().to_path_buf()];
    let results = run(&paths);
    let status = |i: i64| &results[&i].status;

    assert!(status(0).has_embedding(), "{}", status(0));
    assert!(matches!(status(1), ImageStatus::Undecodable { .. }), "truncated JPEG: {}", status(1));
    assert!(matches!(status(2), ImageStatus::Undecodable { reason } if reason.contains("empty")), "{}", status(2));
    assert!(matches!(status(3), ImageStatus::Undecodable { .. }), "text file: {}", status(3));
    assert!(matches!(status(4), ImageStatus::TooLarge { reason } if reason.contains("20000")), "{}", status(4));
    assert_eq!(status(5), &ImageStatus::NoFace, "flat grey");
    assert_eq!(status(6), &ImageStatus::NoFace, "noise");
    assert_eq!(status(7), &ImageStatus::MissingFile { reason: "no such file".into() });
    assert!(matches!(status(8), ImageStatus::MissingFile { .. }), "a folder: {}", status(8));

    // What is known is kept: hashes of readable files, statistics of decoded ones.
    assert_eq!(results[&0].file_sha256.as_deref(), Some(pairscope::face::sha256_file(&good).unwrap().as_str()));
    assert!(results[&2].file_sha256.is_some());
    assert!(results[&7].file_sha256.is_none());
    let grey_stats = results[&5].image_stats.unwrap();
    assert!((grey_stats.brightness - 128.0 / 255.0).abs() < 1e-3 && grey_stats.sharpness == 0.0);
    assert_eq!(results[&5].face_count, 0);
    assert!(results[&5].embedding.is_none() && results[&1].image_stats.is_none());
    for r in results.values() {
        println!("{:>14}  {}", r.path.file_name().unwrap().to_string_lossy(), r.status);
    }
}

#[test]
fn one_photo_in_detail() {
    let path = datasets().join("celebrity-pairs/img1.jpg");
    let r = engine().process(7, &path).unwrap();
    assert_eq!(r.id, 7);
    assert!(r.status.has_embedding(), "{}", r.status);
    let face = r.face.unwrap();
    let [left_eye, right_eye, nose, left_mouth, right_mouth] = face.points;
    assert!(left_eye[0] < right_eye[0] && left_mouth[0] < right_mouth[0], "{face:?}");
    assert!(left_eye[1] < nose[1] && nose[1] < left_mouth[1], "{face:?}");
    for p in face.points {
        assert!(p[0] >= face.bbox.x1 && p[0] <= face.bbox.x2 && p[1] >= face.bbox.y1 && p[1] <= face.bbox.y2);
    }
    let embedding = r.embedding.unwrap();
    assert_eq!(embedding.len(), 512);
    let norm: f32 = embedding.iter().map(|v| v * v).sum::<f32>().sqrt();
    assert!((norm - 1.0).abs() < 1e-4);
    let aligned = r.aligned_face.unwrap();
    assert_eq!(aligned.dimensions(), (112, 112));
    let (image_stats, face_stats) = (r.image_stats.unwrap(), r.face_stats.unwrap());
    assert!((0.05..0.95).contains(&image_stats.brightness) && (0.05..0.95).contains(&face_stats.brightness));
    assert!(image_stats.sharpness > 0.0 && face_stats.sharpness > 0.0);
    assert!(r.width > 0 && r.height > 0);

    // The same photo through a batch gives the same embedding.
    let batch = run(std::slice::from_ref(&path));
    assert!(cosine(batch[&0].embedding.as_ref().unwrap(), &embedding) > 0.9999);
}

#[test]
fn cancel_stops_the_batch_and_keeps_what_is_done() {
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in std::fs::read_dir(datasets().join("celebrity-pairs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "jpg") {
            paths.push(path);
        }
    }
    let jobs: Vec<ImageJob> =
        paths.iter().enumerate().map(|(i, p)| ImageJob { id: i as i64, path: p.clone() }).collect();
    let cancel = AtomicBool::new(false);
    let mut delivered = Vec::new();
    let summary = engine()
        .run_batch(&jobs, &BatchOptions::default(), &cancel, |r| {
            delivered.push(r.id);
            cancel.store(true, Ordering::Relaxed);
        })
        .unwrap();
    assert!(summary.cancelled);
    assert_eq!(summary.delivered, delivered.len());
    assert!(delivered.len() < jobs.len(), "cancelled after the first of {}: {} delivered", jobs.len(), delivered.len());
}

#[test]
fn a_panicking_callback_does_not_hang_the_batch() {
    let jobs: Vec<ImageJob> =
        (1..=25).map(|i| ImageJob { id: i, path: datasets().join(format!("celebrity-pairs/img{i}.jpg")) }).collect();
    let outcome = std::panic::catch_unwind(|| {
        engine().run_batch(&jobs, &BatchOptions::default(), &AtomicBool::new(false), |_| panic!("storage failed"))
    });
    assert!(outcome.is_err(), "the callback's panic reaches the caller");
    // The engine still works afterwards.
    assert!(engine().process(1, &jobs[0].path).unwrap().status.has_embedding());
}

#[test]
fn a_user_embedder_is_checked_against_its_spec() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("my_embedder.onnx");
    std::fs::write(&model, assets::FR_FEATURE_ONNX).unwrap();

    let wrong_layout = EmbedderSpec { layout: TensorLayout::Nhwc, ..EmbedderSpec::default() };
    let err = FaceEngine::with_embedder_file(&model, wrong_layout).err().expect("NHWC spec on an NCHW model");
    assert!(matches!(err, FaceError::SpecMismatch { .. }));
    assert!(
        err.to_string().contains("input 'input' is [1,3,112,112] (NCHW) but the spec says NHWC [1,112,112,3]"),
        "{err}"
    );

    let wrong_size: EmbedderSpec = "size=96x96".parse().unwrap();
    let err = pairscope::face::check_embedder(&model, &wrong_size).unwrap_err().to_string();
    assert!(err.contains("112x112 pixels") && err.contains("the spec says 96x96"), "{err}");

    let not_onnx = dir.path().join("notes.onnx");
    std::fs::write(&not_onnx, b"not a model").unwrap();
    let err = FaceEngine::with_embedder_file(&not_onnx, EmbedderSpec::default()).err().unwrap();
    assert!(matches!(err, FaceError::Model { .. }), "{err}");
    let err = FaceEngine::with_embedder_file(&dir.path().join("absent.onnx"), EmbedderSpec::default()).err().unwrap();
    assert!(matches!(err, FaceError::Io { .. }), "{err}");

    // The right spec works, and the same file with the same spec is the same model.
    let user = FaceEngine::with_embedder_file(&model, EmbedderSpec::default()).unwrap();
    assert_eq!(user.identity().sha256, engine().identity().sha256);
    assert_eq!(user.identity().embedder_name, "my_embedder.onnx");
    assert_eq!(user.embedder_info().dimension, Some(512));
    let photo = datasets().join("sitcom/amy/amy1.png");
    let a = user.process(1, &photo).unwrap().embedding.unwrap();
    let b = engine().process(1, &photo).unwrap().embedding.unwrap();
    assert!(cosine(&a, &b) > 0.9999);

    // A different preprocessing is a different model, with different embeddings.
    let bgr: EmbedderSpec = "order=bgr".parse().unwrap();
    let user_bgr = FaceEngine::with_embedder_file(&model, bgr).unwrap();
    assert_ne!(user_bgr.identity().sha256, engine().identity().sha256);
}

#[test]
fn the_embedded_runtime_is_cached_by_hash() {
    let Some(bytes) = assets::ORT_LIBRARY else {
        return; // this target embeds no runtime
    };
    let dir = tempfile::tempdir().unwrap();
    let path = runtime::extract_library(dir.path(), bytes).unwrap();
    assert!(path.starts_with(dir.path()));
    assert_eq!(std::fs::metadata(&path).unwrap().len(), bytes.len() as u64);
    // A damaged copy is replaced.
    std::fs::write(&path, b"damaged").unwrap();
    let again = runtime::extract_library(dir.path(), bytes).unwrap();
    assert_eq!(again, path);
    assert_eq!(std::fs::metadata(&path).unwrap().len(), bytes.len() as u64);
}

#[test]
fn model_identity_is_stable() {
    let id = engine().identity();
    assert_eq!(id.embedder_sha256, assets::FR_FEATURE_SHA256);
    // Pinned: a new value makes every project recompute its embeddings. Change it only on
    // purpose, with PREPROCESSING_VERSION or the models.
    assert_eq!(id.sha256, "3ea7b13bda64ae2322e796fc8a748fefb68edcd7e80bc5cefc2dc467a2171ad1");
    assert_eq!(FaceEngine::builtin().unwrap().identity(), id);
}
