//! Facial landmarks with the embedded `fr_landmark`: the face box cut from the padded photo,
//! resized to 64x64, grey, / 256. Its output is 68 (x, y) points as fractions of the box; five
//! of them (eye centres, nose tip, mouth corners) drive the alignment.

use ort::session::Session;

use super::boxes::FaceBox;
use super::pad::Padded;
use super::resample::{Region, grey, resize_region};
use super::runtime;

pub const INPUT_SIZE: u32 = 64;

/// The integer crop the landmark model sees for a face box (corners truncated to whole
/// pixels, as the reference does). `None` if it is under 2 pixels on a side.
pub fn landmark_region(face: &FaceBox) -> Option<Region> {
    let (x1, y1) = (face.x1.max(0.0) as i64, face.y1.max(0.0) as i64);
    let (x2, y2) = (face.x2.max(0.0) as i64, face.y2.max(0.0) as i64);
    (x2 - x1 >= 2 && y2 - y1 >= 2).then(|| Region { x: x1, y: y1, width: (x2 - x1) as u32, height: (y2 - y1) as u32 })
}

/// The landmark model's input for a crop.
pub fn landmark_input(padded: &Padded, region: Region) -> Vec<f32> {
    let crop = resize_region(padded, region, INPUT_SIZE, INPUT_SIZE);
    crop.pixels().map(|p| (grey(p.0) + 0.5).floor().min(255.0) / 256.0).collect()
}

/// The 68 points in padded coordinates from the model's 136 outputs.
pub fn points_from_output(output: &[f32], region: Region) -> Option<Vec<[f32; 2]>> {
    if output.len() < 136 || output[..136].iter().any(|v| !v.is_finite()) {
        return None;
    }
    let (x, y, w, h) = (region.x as f32, region.y as f32, region.width as f32, region.height as f32);
    Some(output[..136].chunks_exact(2).map(|p| [p[0] * w + x, p[1] * h + y]).collect())
}

/// The five alignment points from 68: left eye centre (mean of 37, 38, 40, 41), right eye centre
/// (43, 44, 46, 47), nose tip (30), left mouth corner (mean of 48 and 60), right (54 and 64).
pub fn five_points(points: &[[f32; 2]]) -> [[f32; 2]; 5] {
    let mean = |idx: &[usize]| {
        let (sx, sy) = idx.iter().fold((0.0, 0.0), |(sx, sy), &i| (sx + points[i][0], sy + points[i][1]));
        [sx / idx.len() as f32, sy / idx.len() as f32]
    };
    [mean(&[37, 38, 40, 41]), mean(&[43, 44, 46, 47]), points[30], mean(&[48, 60]), mean(&[54, 64])]
}

/// Runs the landmark model on one face; returns the five points in padded coordinates, or
/// `None` if the box is too small or the output unusable.
pub fn locate(session: &mut Session, padded: &Padded, face: &FaceBox) -> Result<Option<[[f32; 2]; 5]>, String> {
    let Some(region) = landmark_region(face) else {
        return Ok(None);
    };
    let input = landmark_input(padded, region);
    let shape = [1, 1, INPUT_SIZE as usize, INPUT_SIZE as usize];
    let outputs = runtime::run(session, &shape, &input, &["output"])?;
    Ok(points_from_output(&outputs[0].values, region).filter(|p| p.len() == 68).map(|p| five_points(&p)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_truncates_corners() {
        let r = landmark_region(&FaceBox { x1: 10.7, y1: 20.2, x2: 50.9, y2: 70.5, score: 1.0 }).unwrap();
        assert_eq!(r, Region { x: 10, y: 20, width: 40, height: 50 });
        assert_eq!(landmark_region(&FaceBox { x1: 10.0, y1: 0.0, x2: 11.5, y2: 50.0, score: 1.0 }), None);
    }

    #[test]
    fn points_scale_into_the_box() {
        let mut out = vec![0.0f32; 136];
        out[0] = 0.5; // point 0 x
        out[1] = 0.25; // point 0 y
        out[135] = 1.0; // point 67 y
        let region = Region { x: 100, y: 200, width: 40, height: 80 };
        let pts = points_from_output(&out, region).unwrap();
        assert_eq!(pts.len(), 68);
        assert_eq!(pts[0], [120.0, 220.0]);
        assert_eq!(pts[67], [100.0, 280.0]);
        assert!(points_from_output(&out[..100], region).is_none());
        out[3] = f32::NAN;
        assert!(points_from_output(&out, region).is_none());
    }

    #[test]
    fn five_points_by_hand() {
        // Point i at (i, 2i): the means are easy to compute by hand.
        let pts: Vec<[f32; 2]> = (0..68).map(|i| [i as f32, 2.0 * i as f32]).collect();
        let five = five_points(&pts);
        assert_eq!(five[0], [39.0, 78.0]); // (37 + 38 + 40 + 41) / 4
        assert_eq!(five[1], [45.0, 90.0]); // (43 + 44 + 46 + 47) / 4
        assert_eq!(five[2], [30.0, 60.0]);
        assert_eq!(five[3], [54.0, 108.0]); // (48 + 60) / 2
        assert_eq!(five[4], [59.0, 118.0]); // (54 + 64) / 2
    }
}
