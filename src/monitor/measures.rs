//! What `pairscope monitor` measures on one photo, taken from the face pass exactly as
//! `pairscope embed` stores it for the project's photos, so both sides are measured alike.

use crate::face::ImageResult;
use crate::store::MonitoredPhoto;

/// One photo's measures. None where the face pass did not give one (no face, not run yet).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PhotoMeasures {
    /// Mean grey level 0..1 of the aligned face crop, or of the whole photo without a face
    /// (`face::stats`, as `embed` stores it).
    pub brightness: Option<f64>,
    /// Variance of the Laplacian of the same pixels over their mean grey level squared (both
    /// in 0..255 units): [`relative_sharpness`], which darkening (every pixel times k) leaves
    /// alone, unlike the variance itself (times k²).
    pub sharpness: Option<f64>,
    /// The square root of the face box's area, in pixels of the photo.
    pub face_size: Option<f64>,
    /// The detector's score for the face it kept.
    pub detector_confidence: Option<f64>,
    /// The face pass's status code (ok, no_face, several_faces, undecodable, …); None when
    /// the photo has not been through it.
    pub status: Option<String>,
    /// The name of the folder directly under the batch's folder that holds the photo (its
    /// person, as `import-folders` reads it); None for a photo directly in it, and for the
    /// project's photos.
    pub identity: Option<String>,
    /// The face's embedding (new photos with a face only), for the batch's pair scores.
    pub embedding: Option<Vec<f32>>,
}

/// The mean grey level under which a photo is too dark for [`relative_sharpness`] (one grey
/// step of 255): there the ratio is mostly quantisation noise, or a division by zero.
pub const DARKEST_FOR_SHARPNESS: f64 = 1.0 / 255.0;

/// The variance of the Laplacian over the squared mean grey level (0..255 units): the
/// Laplacian's coefficient of variation, squared. Scaling every pixel by k scales the variance
/// by k² and the mean by k, so a darker copy of a photo keeps its value (up to rounding);
/// `embed` stores both inputs, so old projects need no new statistic. None below
/// [`DARKEST_FOR_SHARPNESS`].
pub fn relative_sharpness(brightness: Option<f64>, sharpness: Option<f64>) -> Option<f64> {
    let (b, s) = (brightness?, sharpness?);
    (b >= DARKEST_FOR_SHARPNESS).then(|| s / (255.0 * b).powi(2))
}

impl PhotoMeasures {
    /// A new photo, from its result in the face pass.
    pub fn from_result(r: &ImageResult, identity: Option<String>) -> Self {
        let stats = r.face_stats.or(r.image_stats);
        let brightness = stats.map(|s| f64::from(s.brightness));
        Self {
            brightness,
            sharpness: relative_sharpness(brightness, stats.map(|s| f64::from(s.sharpness))),
            face_size: r.face.as_ref().map(|f| f64::from(f.bbox.width() * f.bbox.height()).sqrt()),
            detector_confidence: r.face.as_ref().map(|f| f64::from(f.bbox.score)),
            status: Some(r.status.code().to_owned()),
            identity,
            embedding: r.embedding.clone(),
        }
    }

    /// A project photo, from what `embed` stored: the statistics, and the cached box and
    /// detector score (cached before the score was stored: no confidence).
    pub fn from_project(p: &MonitoredPhoto) -> Self {
        let face = p.face.as_ref();
        let corners = face.and_then(|f| f.get("box")).and_then(|b| b.as_array()).and_then(|b| {
            let v: Vec<f64> = b.iter().filter_map(|x| x.as_f64()).collect();
            (v.len() == 4).then_some(v)
        });
        Self {
            brightness: p.brightness,
            sharpness: relative_sharpness(p.brightness, p.sharpness),
            face_size: corners.map(|v| ((v[2] - v[0]).max(0.0) * (v[3] - v[1]).max(0.0)).sqrt()),
            detector_confidence: face.and_then(|f| f.get("score")).and_then(|s| s.as_f64()),
            status: p.status.clone(),
            identity: None,
            embedding: None,
        }
    }

    /// Whether the face pass looked at the photo's pixels (it decoded and ran the detector).
    pub fn was_examined(&self) -> bool {
        matches!(self.status.as_deref(), Some("ok" | "several_faces" | "no_face" | "bad_embedding"))
    }
}

/// Reads one measure of a photo.
pub type Measure = fn(&PhotoMeasures) -> Option<f64>;

/// The measures compared as distributions, with their names in the output.
pub const MEASURES: [(&str, Measure); 4] = [
    ("brightness", |m| m.brightness),
    ("sharpness", |m| m.sharpness),
    ("face_size", |m| m.face_size),
    ("detector_confidence", |m| m.detector_confidence),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sharpness_is_relative_to_the_brightness_so_a_darker_copy_keeps_it() {
        // Mean grey 51 (0.2), Laplacian variance 260.1: 260.1 / 51² = 0.1.
        let m = PhotoMeasures::from_project(&MonitoredPhoto {
            brightness: Some(0.2),
            sharpness: Some(260.1),
            status: Some("ok".into()),
            face_count: Some(1),
            face: None,
        });
        assert!((m.sharpness.unwrap() - 0.1).abs() < 1e-12, "{m:?}");
        // The same pixels times 0.4: the variance times 0.16, the mean times 0.4.
        let dark = relative_sharpness(Some(0.2 * 0.4), Some(260.1 * 0.16)).unwrap();
        assert!((dark - 0.1).abs() < 1e-12, "{dark}");
        assert_eq!(relative_sharpness(Some(0.5 / 255.0), Some(3.0)), None, "black: no ratio");
        assert_eq!(relative_sharpness(None, Some(3.0)), None);
    }

    #[test]
    fn a_project_photo_reads_its_face_size_and_score_from_the_cached_box() {
        let photo = MonitoredPhoto {
            brightness: Some(0.3),
            sharpness: Some(50.0),
            status: Some("ok".into()),
            face_count: Some(1),
            face: Some(serde_json::json!({"box": [10.0, 20.0, 40.0, 60.0], "score": 0.75, "points": []})),
        };
        let m = PhotoMeasures::from_project(&photo);
        assert!((m.face_size.unwrap() - (30.0f64 * 40.0).sqrt()).abs() < 1e-12);
        assert_eq!(m.detector_confidence, Some(0.75));
        assert!(m.was_examined());
        // Cached before the score was stored: a size but no confidence.
        let old = MonitoredPhoto { face: Some(serde_json::json!({"box": [0.0, 0.0, 9.0, 4.0]})), ..photo };
        let m = PhotoMeasures::from_project(&old);
        assert_eq!((m.face_size, m.detector_confidence), (Some(6.0), None));
        let unseen = PhotoMeasures::from_project(&MonitoredPhoto { status: None, face: None, ..old });
        assert!(!unseen.was_examined() && unseen.face_size.is_none());
    }
}
