//! The face engine: the loaded models, a pool of ONNX sessions, and the per-image pipeline
//! (decode → pad → detect → landmarks → align → embed, with statistics on the way).

use std::borrow::Cow;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use image::RgbImage;
use ort::session::Session;

use super::align::align;
use super::assets;
use super::batch::ImageJob;
use super::boxes::{FaceBox, largest};
use super::decode::{DecodeFailure, DecodeLimits, decode_file};
use super::detect::{detect, detector_input};
use super::embed::{EmbedFailure, EmbedderInfo, EmbedderSpec, check_session, embed};
use super::error::FaceError;
use super::identity::{ModelIdentity, sha256_hex};
use super::landmarks::locate;
use super::pad::Padded;
use super::runtime;
use super::stats::{PixelStats, masked_pixel_stats, pixel_stats};
use super::status::ImageStatus;

/// Size of the standard aligned crop on which face statistics are measured, whatever the
/// embedder's input size, so they compare across models.
const STATS_CROP: u32 = 112;

/// The face chosen in a photo (the largest one), in the photo's own pixel coordinates. The box
/// may reach past the photo's edges (into the black border the detector saw).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Face {
    pub bbox: FaceBox,
    /// Left eye, right eye, nose tip, left and right mouth corners.
    pub points: [[f32; 2]; 5],
}

/// Everything learnt about one image.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageResult {
    pub id: i64,
    pub path: PathBuf,
    pub status: ImageStatus,
    /// sha256 of the file (hex) whenever it could be read: with the model identity, the key
    /// of the embedding cache.
    pub file_sha256: Option<String>,
    /// Size of the decoded, upright photo; 0 when it did not decode.
    pub width: u32,
    pub height: u32,
    /// Faces found (after non-maximum suppression).
    pub face_count: u32,
    pub face: Option<Face>,
    /// L2-normalised embedding, when the status is `Ok` or `SeveralFaces`.
    pub embedding: Option<Vec<f32>>,
    /// Statistics of the whole decoded photo.
    pub image_stats: Option<PixelStats>,
    /// Statistics of the 112x112 aligned face crop, over the pixels that show the photo.
    pub face_stats: Option<PixelStats>,
    /// The crop fed to the embedder, when asked for (`BatchOptions::keep_aligned_faces`).
    pub aligned_face: Option<RgbImage>,
}

impl ImageResult {
    pub(crate) fn failed(job: &ImageJob, status: ImageStatus, file_sha256: Option<String>) -> Self {
        Self {
            id: job.id,
            path: job.path.clone(),
            status,
            file_sha256,
            width: 0,
            height: 0,
            face_count: 0,
            face: None,
            embedding: None,
            image_stats: None,
            face_stats: None,
            aligned_face: None,
        }
    }
}

/// The three sessions one worker runs.
pub(crate) struct Sessions {
    detector: Session,
    landmarks: Session,
    embedder: Session,
    intra_threads: usize,
}

/// A decoded photo ready for inference.
pub(crate) struct Prepared {
    job: ImageJob,
    rgb: RgbImage,
    pad: u32,
    file_sha256: String,
    image_stats: PixelStats,
    detector_input: Vec<f32>,
}

/// The loaded face models. Create once and share (`Arc<FaceEngine>`): it is `Send + Sync`, keeps
/// a pool of sessions for reuse, and every method takes `&self`.
pub struct FaceEngine {
    embedder_name: String,
    embedder_bytes: Cow<'static, [u8]>,
    spec: EmbedderSpec,
    info: EmbedderInfo,
    identity: ModelIdentity,
    limits: DecodeLimits,
    pool: Mutex<Vec<Sessions>>,
}

impl FaceEngine {
    /// The embedded pipeline (`fr_detect` → `fr_landmark` → `fr_feature`). Loads ONNX Runtime on
    /// first use; fails only if the runtime cannot be loaded.
    pub fn builtin() -> Result<Self, FaceError> {
        Self::new(
            "fr_feature (embedded)".into(),
            Cow::Borrowed(assets::FR_FEATURE_ONNX),
            assets::FR_FEATURE_SHA256.into(),
            EmbedderSpec::default(),
        )
    }

    /// The embedded detector, landmarks and alignment, then the user's ONNX embedder fed as
    /// `spec` says. Fails with [`FaceError::SpecMismatch`] naming what does not fit.
    pub fn with_embedder_file(path: &Path, spec: EmbedderSpec) -> Result<Self, FaceError> {
        spec.validate()?;
        let bytes = std::fs::read(path).map_err(|source| FaceError::Io { path: path.to_path_buf(), source })?;
        let sha = sha256_hex(&bytes);
        let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        Self::new(name, Cow::Owned(bytes), sha, spec)
    }

    fn new(
        embedder_name: String,
        embedder_bytes: Cow<'static, [u8]>,
        sha: String,
        spec: EmbedderSpec,
    ) -> Result<Self, FaceError> {
        let embedder = runtime::session(&embedder_name, &embedder_bytes, 1)?;
        let info = check_session(&embedder_name, &embedder, &spec)?;
        let identity = ModelIdentity::new(&embedder_name, &sha, &spec);
        let engine = Self {
            embedder_name,
            embedder_bytes,
            spec,
            info,
            identity,
            limits: DecodeLimits::default(),
            pool: Mutex::new(Vec::new()),
        };
        let sessions = Sessions {
            detector: runtime::session("fr_detect", assets::FR_DETECT_ONNX, 1)?,
            landmarks: runtime::session("fr_landmark", assets::FR_LANDMARK_ONNX, 1)?,
            embedder,
            intra_threads: 1,
        };
        engine.give_back(sessions);
        Ok(engine)
    }

    /// Replaces the decode limits (default: [`DecodeLimits::default`]).
    pub fn with_limits(mut self, limits: DecodeLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Identifies this pipeline; `identity().sha256` is the model half of the cache key.
    pub fn identity(&self) -> &ModelIdentity {
        &self.identity
    }

    pub fn spec(&self) -> &EmbedderSpec {
        &self.spec
    }

    pub fn embedder_info(&self) -> &EmbedderInfo {
        &self.info
    }

    pub fn limits(&self) -> &DecodeLimits {
        &self.limits
    }

    /// Runs the whole pipeline on one image in the calling thread, keeping the aligned crop
    /// (e.g. for showing it). Errors are engine-level only, as in [`run_batch`](Self::run_batch).
    pub fn process(&self, id: i64, path: &Path) -> Result<ImageResult, FaceError> {
        let mut sessions = self.take_sessions(1)?;
        let job = ImageJob { id, path: path.to_path_buf() };
        let result = match self.prepare(&job) {
            Ok(prepared) => self.infer(prepared, &mut sessions, true),
            Err(failed) => ImageResult::failed(&job, failed.status, failed.file_sha256),
        };
        self.give_back(sessions);
        Ok(result)
    }

    /// Every face the detector finds in a photo (not just the largest), in the photo's own
    /// pixel coordinates, best score first. For group photos (the demo project).
    pub fn detect_faces(&self, rgb: &RgbImage) -> Result<Vec<FaceBox>, FaceError> {
        let padded = Padded::new(rgb);
        let input = detector_input(&padded);
        let mut sessions = self.take_sessions(1)?;
        let found = detect(&mut sessions.detector, &input, padded.width(), padded.height());
        self.give_back(sessions);
        let pad = padded.pad() as f32;
        let found = found.map_err(|reason| FaceError::Model { model: "fr_detect".into(), reason })?;
        Ok(found.faces.iter().map(|b| b.translated(-pad, -pad)).collect())
    }

    pub(crate) fn take_sessions(&self, intra_threads: usize) -> Result<Sessions, FaceError> {
        let pooled = {
            let mut pool = self.pool.lock().unwrap_or_else(|e| e.into_inner());
            pool.iter().position(|s| s.intra_threads == intra_threads).map(|i| pool.swap_remove(i))
        };
        if let Some(sessions) = pooled {
            return Ok(sessions);
        }
        Ok(Sessions {
            detector: runtime::session("fr_detect", assets::FR_DETECT_ONNX, intra_threads)?,
            landmarks: runtime::session("fr_landmark", assets::FR_LANDMARK_ONNX, intra_threads)?,
            embedder: runtime::session(&self.embedder_name, &self.embedder_bytes, intra_threads)?,
            intra_threads,
        })
    }

    pub(crate) fn give_back(&self, sessions: Sessions) {
        const MAX_POOLED: usize = 8;
        let mut pool = self.pool.lock().unwrap_or_else(|e| e.into_inner());
        if pool.len() < MAX_POOLED {
            pool.push(sessions);
        }
    }

    /// Stage 1 (no model): read, hash, decode, measure, and build the detector input. A panic
    /// in a decoder becomes an `Undecodable` status.
    pub(crate) fn prepare(&self, job: &ImageJob) -> Result<Prepared, DecodeFailure> {
        catch_unwind(AssertUnwindSafe(|| self.prepare_unguarded(job))).unwrap_or_else(|_| {
            let reason = "the decoder crashed on this file".to_string();
            Err(DecodeFailure { status: ImageStatus::Undecodable { reason }, file_sha256: None })
        })
    }

    fn prepare_unguarded(&self, job: &ImageJob) -> Result<Prepared, DecodeFailure> {
        let decoded = decode_file(&job.path, &self.limits)?;
        let rgb = decoded.rgb;
        let padded = Padded::new(&rgb);
        let pad = padded.pad();
        let detector_input = detector_input(&padded);
        let image_stats = pixel_stats(&rgb);
        Ok(Prepared { job: job.clone(), rgb, pad, file_sha256: decoded.file_sha256, image_stats, detector_input })
    }

    /// Stage 2 (the models): detect, landmarks, align, embed. A panic becomes a `ModelError`
    /// status.
    pub(crate) fn infer(&self, p: Prepared, sessions: &mut Sessions, keep_aligned: bool) -> ImageResult {
        let (job, sha) = (p.job.clone(), p.file_sha256.clone());
        catch_unwind(AssertUnwindSafe(|| self.infer_unguarded(p, sessions, keep_aligned))).unwrap_or_else(|_| {
            let reason = "inference crashed on this image".to_string();
            ImageResult::failed(&job, ImageStatus::ModelError { reason }, Some(sha))
        })
    }

    fn infer_unguarded(&self, p: Prepared, sessions: &mut Sessions, keep_aligned: bool) -> ImageResult {
        let padded = Padded::with_pad(&p.rgb, p.pad);
        let mut result = ImageResult {
            width: p.rgb.width(),
            height: p.rgb.height(),
            image_stats: Some(p.image_stats),
            ..ImageResult::failed(&p.job, ImageStatus::NoFace, Some(p.file_sha256.clone()))
        };
        let model_error = |reason: String| ImageStatus::ModelError { reason };

        let detections = match detect(&mut sessions.detector, &p.detector_input, padded.width(), padded.height()) {
            Ok(d) => d,
            Err(e) => {
                return ImageResult { status: model_error(format!("fr_detect: {e}")), ..result };
            }
        };
        result.face_count = detections.faces.len() as u32;
        let Some(best) = largest(&detections.faces) else {
            return result;
        };
        let points = match locate(&mut sessions.landmarks, &padded, &best) {
            Ok(Some(points)) => points,
            Ok(None) => {
                return ImageResult { face_count: 0, ..result };
            }
            Err(e) => {
                return ImageResult { status: model_error(format!("fr_landmark: {e}")), ..result };
            }
        };
        let pad = p.pad as f32;
        result.face = Some(Face { bbox: best.translated(-pad, -pad), points: points.map(|[x, y]| [x - pad, y - pad]) });

        let Some(stats_crop) = align(&padded, &points, STATS_CROP, STATS_CROP) else {
            return ImageResult { status: model_error("the five landmarks are degenerate".into()), ..result };
        };
        result.face_stats = Some(masked_pixel_stats(&stats_crop.image, Some(&stats_crop.on_photo)));
        let crop = if (self.spec.input_width, self.spec.input_height) == (STATS_CROP, STATS_CROP) {
            stats_crop.image
        } else {
            match align(&padded, &points, self.spec.input_width, self.spec.input_height) {
                Some(aligned) => aligned.image,
                None => {
                    return ImageResult { status: model_error("the five landmarks are degenerate".into()), ..result };
                }
            }
        };
        match embed(&mut sessions.embedder, &self.info, &self.spec, &crop) {
            Ok(embedding) => result.embedding = Some(embedding),
            Err(EmbedFailure::Model(e)) => {
                return ImageResult { status: model_error(format!("{}: {e}", self.embedder_name)), ..result };
            }
            Err(EmbedFailure::Unusable(reason)) => {
                return ImageResult { status: ImageStatus::BadEmbedding { reason }, ..result };
            }
        }
        result.status = if result.face_count > 1 {
            ImageStatus::SeveralFaces { count: result.face_count }
        } else {
            ImageStatus::Ok
        };
        if keep_aligned {
            result.aligned_face = Some(crop);
        }
        result
    }
}
