//! Alignment: the similarity transform taking five facial points onto the ArcFace template,
//! and the warp that produces the aligned crop.

use image::RgbImage;

use super::pad::Padded;
use super::resample::{Affine, warp_affine};

/// Where the five points (left eye, right eye, nose tip, left and right mouth corners) sit in
/// the standard 112x112 ArcFace crop.
pub const ARCFACE_TEMPLATE: [[f32; 2]; 5] =
    [[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366], [41.5493, 92.3655], [70.7299, 92.2041]];

/// The template for a crop of another size, scaled from 112x112 on each axis.
pub fn template_for(width: u32, height: u32) -> [[f32; 2]; 5] {
    let (sx, sy) = (width as f32 / 112.0, height as f32 / 112.0);
    ARCFACE_TEMPLATE.map(|[x, y]| [x * sx, y * sy])
}

/// A similarity transform: rotation, uniform scale, translation.
/// `(x, y) ↦ (a·x − b·y + tx, b·x + a·y + ty)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Similarity {
    pub a: f64,
    pub b: f64,
    pub tx: f64,
    pub ty: f64,
}

impl Similarity {
    /// The least-squares similarity taking `src[i]` onto `dst[i]` (Umeyama's solution without
    /// reflection, which for 2-D points has this closed form). `None` if the source points all
    /// coincide or are not finite.
    pub fn estimate(src: &[[f32; 2]], dst: &[[f32; 2]]) -> Option<Similarity> {
        let n = src.len().min(dst.len());
        if n < 2 {
            return None;
        }
        let mean = |pts: &[[f32; 2]]| {
            let (sx, sy) = pts[..n].iter().fold((0.0, 0.0), |(sx, sy), p| (sx + f64::from(p[0]), sy + f64::from(p[1])));
            (sx / n as f64, sy / n as f64)
        };
        let (mpx, mpy) = mean(src);
        let (mqx, mqy) = mean(dst);
        let (mut dot, mut cross, mut norm) = (0.0, 0.0, 0.0);
        for (p, q) in src[..n].iter().zip(&dst[..n]) {
            let (px, py) = (f64::from(p[0]) - mpx, f64::from(p[1]) - mpy);
            let (qx, qy) = (f64::from(q[0]) - mqx, f64::from(q[1]) - mqy);
            dot += px * qx + py * qy;
            cross += px * qy - py * qx;
            norm += px * px + py * py;
        }
        if !norm.is_finite() || norm <= 1e-12 || !dot.is_finite() || !cross.is_finite() {
            return None;
        }
        let (a, b) = (dot / norm, cross / norm);
        Some(Similarity { a, b, tx: mqx - (a * mpx - b * mpy), ty: mqy - (b * mpx + a * mpy) })
    }

    pub fn apply(&self, p: [f32; 2]) -> [f32; 2] {
        let (x, y) = (f64::from(p[0]), f64::from(p[1]));
        [(self.a * x - self.b * y + self.tx) as f32, (self.b * x + self.a * y + self.ty) as f32]
    }

    /// The scale factor (`√(a² + b²)`).
    pub fn scale(&self) -> f64 {
        self.a.hypot(self.b)
    }

    /// The inverse transform; `None` when the scale is zero.
    pub fn inverse(&self) -> Option<Similarity> {
        let s2 = self.a * self.a + self.b * self.b;
        if !s2.is_finite() || s2 <= 1e-24 {
            return None;
        }
        let (a, b) = (self.a / s2, -self.b / s2);
        Some(Similarity { a, b, tx: -(a * self.tx - b * self.ty), ty: -(b * self.tx + a * self.ty) })
    }

    pub fn as_affine(&self) -> Affine {
        [self.a as f32, -self.b as f32, self.tx as f32, self.b as f32, self.a as f32, self.ty as f32]
    }
}

/// An aligned face crop and, per pixel, whether it shows the photo (not the black border).
pub struct AlignedFace {
    pub image: RgbImage,
    pub on_photo: Vec<bool>,
}

/// Warps the padded photo so that `points` (padded coordinates) land on the template of a
/// `width` x `height` crop. `None` if the points are degenerate.
pub fn align(src: &Padded, points: &[[f32; 2]; 5], width: u32, height: u32) -> Option<AlignedFace> {
    let to_crop = Similarity::estimate(points, &template_for(width, height))?;
    let to_source = to_crop.inverse()?;
    let (image, on_photo) = warp_affine(src, &to_source.as_affine(), width, height);
    Some(AlignedFace { image, on_photo })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    fn transform(points: &[[f32; 2]; 5], t: &Similarity) -> [[f32; 2]; 5] {
        points.map(|p| t.apply(p))
    }

    #[test]
    fn identity_is_recovered() {
        let t = Similarity::estimate(&ARCFACE_TEMPLATE, &ARCFACE_TEMPLATE).unwrap();
        assert!(close(t.a, 1.0) && close(t.b, 0.0) && t.tx.abs() < 1e-4 && t.ty.abs() < 1e-4, "{t:?}");
    }

    #[test]
    fn pure_translation() {
        let src = [[0.0, 0.0], [10.0, 0.0], [0.0, 10.0], [10.0, 10.0], [5.0, 5.0]];
        let dst = src.map(|[x, y]| [x + 3.0, y - 7.0]);
        let t = Similarity::estimate(&src, &dst).unwrap();
        assert!(close(t.a, 1.0) && close(t.b, 0.0) && close(t.tx, 3.0) && close(t.ty, -7.0), "{t:?}");
    }

    #[test]
    fn pure_scale_about_origin() {
        let src = [[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0], [0.0, 0.0]];
        let dst = src.map(|[x, y]| [2.5 * x, 2.5 * y]);
        let t = Similarity::estimate(&src, &dst).unwrap();
        assert!(close(t.a, 2.5) && close(t.b, 0.0) && close(t.tx, 0.0) && close(t.ty, 0.0), "{t:?}");
        assert!(close(t.scale(), 2.5));
    }

    #[test]
    fn quarter_turn_by_hand() {
        // Rotating by +90° maps (x, y) to (−y, x): a = cos 90° = 0, b = sin 90° = 1.
        let src = [[1.0, 0.0], [0.0, 1.0], [2.0, 3.0], [-1.0, 4.0], [0.5, -2.0]];
        let dst = src.map(|[x, y]| [-y, x]);
        let t = Similarity::estimate(&src, &dst).unwrap();
        assert!(close(t.a, 0.0) && close(t.b, 1.0) && close(t.tx, 0.0) && close(t.ty, 0.0), "{t:?}");
    }

    #[test]
    fn rotation_scale_translation_recovered() {
        let angle = 30f64.to_radians();
        let truth = Similarity { a: 1.7 * angle.cos(), b: 1.7 * angle.sin(), tx: -12.5, ty: 40.25 };
        let src = [[101.0, 140.0], [160.0, 138.0], [131.0, 170.0], [108.0, 200.0], [155.0, 199.0]];
        let t = Similarity::estimate(&src, &transform(&src, &truth)).unwrap();
        assert!(close(t.a, truth.a) && close(t.b, truth.b), "{t:?}");
        assert!((t.tx - truth.tx).abs() < 1e-3 && (t.ty - truth.ty).abs() < 1e-3, "{t:?}");
    }

    #[test]
    fn least_squares_by_hand() {
        // Two points (0,0),(2,0) onto (0,0),(2,2): best similarity is scale √2, rotation 45°,
        // i.e. a = 1, b = 1, and it is exact.
        let t = Similarity::estimate(&[[0.0, 0.0], [2.0, 0.0]], &[[0.0, 0.0], [2.0, 2.0]]).unwrap();
        assert!(close(t.a, 1.0) && close(t.b, 1.0) && close(t.tx, 0.0) && close(t.ty, 0.0), "{t:?}");
        // Three points where no similarity fits: (0,0),(1,0),(0,1) onto (0,0),(1,0),(0,2).
        // Centred source: (−1/3,−1/3), (2/3,−1/3), (−1/3,2/3); centred target: (−1/3,−2/3),
        // (2/3,−2/3), (−1/3,4/3). Σ|p|² = 12/9; Σ p·q = 3/9 + 6/9 + 9/9 = 2;
        // Σ p×q = 1/9 − 2/9 − 2/9 = −1/3. So a = 2 / (12/9) = 1.5 and b = (−1/3) / (12/9) = −0.25.
        let t =
            Similarity::estimate(&[[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]], &[[0.0, 0.0], [1.0, 0.0], [0.0, 2.0]]).unwrap();
        assert!(close(t.a, 1.5) && close(t.b, -0.25), "{t:?}");
        // Translation puts the source centroid onto the target centroid (1/3, 2/3).
        let c = t.apply([1.0 / 3.0, 1.0 / 3.0]);
        assert!((c[0] - 1.0 / 3.0).abs() < 1e-6 && (c[1] - 2.0 / 3.0).abs() < 1e-6, "{c:?}");
    }

    #[test]
    fn degenerate_points_are_refused() {
        let same = [[5.0, 5.0]; 5];
        assert!(Similarity::estimate(&same, &ARCFACE_TEMPLATE).is_none());
        assert!(Similarity::estimate(&[[f32::NAN, 0.0], [1.0, 1.0]], &[[0.0, 0.0], [1.0, 1.0]]).is_none());
    }

    #[test]
    fn inverse_undoes() {
        let t = Similarity { a: 0.8, b: -0.3, tx: 5.0, ty: -2.0 };
        let inv = t.inverse().unwrap();
        let p = inv.apply(t.apply([13.0, -4.0]));
        assert!((p[0] - 13.0).abs() < 1e-4 && (p[1] + 4.0).abs() < 1e-4);
    }

    #[test]
    fn template_scales_per_axis() {
        assert_eq!(template_for(112, 112), ARCFACE_TEMPLATE);
        let t = template_for(224, 56);
        assert!((t[0][0] - 2.0 * 38.2946).abs() < 1e-4 && (t[0][1] - 0.5 * 51.6963).abs() < 1e-4);
    }

    #[test]
    fn aligning_the_template_onto_itself_copies_pixels() {
        let img = RgbImage::from_fn(112, 112, |x, y| image::Rgb([x as u8, y as u8, 9]));
        let padded = Padded::with_pad(&img, 0);
        let aligned = align(&padded, &ARCFACE_TEMPLATE, 112, 112).unwrap();
        assert_eq!(aligned.image.get_pixel(40, 60), img.get_pixel(40, 60));
        assert!(aligned.on_photo.iter().all(|&v| v));
    }
}
