//! Face detection with the embedded `fr_detect`: the padded photo squeezed to 320x240, RGB,
//! (x − 127) / 128, NCHW. Its outputs are already-decoded boxes (x1, y1, x2, y2 as fractions
//! of the frame) and two-class scores (column 1 = face).

use ort::session::Session;

use super::boxes::{FaceBox, nms};
use super::pad::Padded;
use super::resample::{Region, resize_region};
use super::runtime;

pub const INPUT_WIDTH: u32 = 320;
pub const INPUT_HEIGHT: u32 = 240;
/// Faces must score above this...
pub const CONFIDENCE: f32 = 0.65;
/// ...unless none does, then above this.
pub const RETRY_CONFIDENCE: f32 = 0.3;
/// Overlapping boxes above this IoU are one face.
pub const NMS_IOU: f32 = 0.4;

/// The faces found in one photo, in padded coordinates, best score first.
#[derive(Debug, Clone, PartialEq)]
pub struct Detections {
    pub faces: Vec<FaceBox>,
    /// The confidence threshold that produced them ([`CONFIDENCE`] or [`RETRY_CONFIDENCE`]).
    pub threshold: f32,
}

/// The detector's input tensor for a padded photo.
pub fn detector_input(padded: &Padded) -> Vec<f32> {
    let frame = Region { x: 0, y: 0, width: padded.width(), height: padded.height() };
    let small = resize_region(padded, frame, INPUT_WIDTH, INPUT_HEIGHT);
    let plane = (INPUT_WIDTH * INPUT_HEIGHT) as usize;
    let mut out = vec![0.0f32; 3 * plane];
    for (i, p) in small.pixels().enumerate() {
        for c in 0..3 {
            out[c * plane + i] = (f32::from(p.0[c]) - 127.0) / 128.0;
        }
    }
    out
}

/// Turns raw outputs into faces in a `frame_width` x `frame_height` frame: threshold (with the
/// lower retry when nothing passes), scale, clip to the frame, non-maximum suppression.
pub fn decode_detections(scores: &[f32], boxes: &[f32], frame_width: f32, frame_height: f32) -> Detections {
    let n = (scores.len() / 2).min(boxes.len() / 4);
    let candidates = |threshold: f32| -> Vec<FaceBox> {
        (0..n)
            .filter(|&i| scores[2 * i + 1] > threshold)
            .filter_map(|i| {
                let b = &boxes[4 * i..4 * i + 4];
                FaceBox {
                    x1: b[0] * frame_width,
                    y1: b[1] * frame_height,
                    x2: b[2] * frame_width,
                    y2: b[3] * frame_height,
                    score: scores[2 * i + 1],
                }
                .clipped(frame_width, frame_height)
            })
            .collect()
    };
    for threshold in [CONFIDENCE, RETRY_CONFIDENCE] {
        let found = candidates(threshold);
        if !found.is_empty() {
            return Detections { faces: nms(found, NMS_IOU), threshold };
        }
    }
    Detections { faces: Vec::new(), threshold: RETRY_CONFIDENCE }
}

/// Runs the detector on a prepared input (see [`detector_input`]) for a padded photo of
/// `frame_width` x `frame_height`.
pub fn detect(session: &mut Session, input: &[f32], frame_width: u32, frame_height: u32) -> Result<Detections, String> {
    let shape = [1, 3, INPUT_HEIGHT as usize, INPUT_WIDTH as usize];
    let outputs = runtime::run(session, &shape, input, &["scores", "boxes"])?;
    let (scores, boxes) = (&outputs[0].values, &outputs[1].values);
    Ok(decode_detections(scores, boxes, frame_width as f32, frame_height as f32))
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage};

    #[test]
    fn boxes_are_scaled_clipped_and_suppressed() {
        // Four anchors: a face, a duplicate of it, a weak one, a face hanging off the frame.
        let scores = [0.1, 0.9, 0.2, 0.8, 0.6, 0.4, 0.25, 0.75];
        let boxes = [
            0.10, 0.20, 0.30, 0.60, // face
            0.11, 0.21, 0.31, 0.61, // duplicate (IoU ≈ 0.9)
            0.50, 0.50, 0.60, 0.60, // 0.4: below 0.65, not used since others pass
            0.90, -0.10, 1.20, 0.30, // clipped to the frame
        ];
        let d = decode_detections(&scores, &boxes, 200.0, 100.0);
        assert_eq!(d.threshold, CONFIDENCE);
        assert_eq!(d.faces.len(), 2);
        let f = d.faces[0];
        assert!((f.x1 - 20.0).abs() < 1e-4 && (f.y1 - 20.0).abs() < 1e-4);
        assert!((f.x2 - 60.0).abs() < 1e-4 && (f.y2 - 60.0).abs() < 1e-4);
        assert_eq!(f.score, 0.9);
        let g = d.faces[1];
        assert!((g.x1 - 180.0).abs() < 1e-3 && g.y1 == 0.0 && g.x2 == 200.0 && (g.y2 - 30.0).abs() < 1e-3, "{g:?}");
    }

    #[test]
    fn retry_at_the_lower_threshold() {
        let scores = [0.5, 0.5, 0.9, 0.1];
        let boxes = [0.1, 0.1, 0.5, 0.5, 0.2, 0.2, 0.4, 0.4];
        let d = decode_detections(&scores, &boxes, 100.0, 100.0);
        assert_eq!(d.threshold, RETRY_CONFIDENCE);
        assert_eq!(d.faces.len(), 1);
        assert_eq!(d.faces[0].score, 0.5);
        let none = decode_detections(&[0.9, 0.1], &[0.1, 0.1, 0.5, 0.5], 100.0, 100.0);
        assert!(none.faces.is_empty());
        // Truncated outputs do not panic.
        assert!(decode_detections(&[0.1, 0.9, 0.3], &[0.1, 0.1], 10.0, 10.0).faces.is_empty());
    }

    #[test]
    fn input_is_normalised_planes() {
        let img = RgbImage::from_pixel(40, 30, Rgb([255, 127, 0]));
        let t = detector_input(&Padded::with_pad(&img, 0));
        let plane = (INPUT_WIDTH * INPUT_HEIGHT) as usize;
        assert_eq!(t.len(), 3 * plane);
        assert_eq!((t[0], t[plane], t[2 * plane]), (1.0, 0.0, -127.0 / 128.0));
        // With a border the corners are black: (0 − 127) / 128.
        let t = detector_input(&Padded::new(&img));
        assert_eq!(t[0], -127.0 / 128.0);
    }
}
