//! Bilinear resampling of the padded photo: resizing a region and warping by an affine map.
//!
//! Both follow OpenCV's conventions (`cv2.resize` with `INTER_LINEAR`, `cv2.warpAffine` with a
//! constant black border), which is what the reference pipeline and the models were tuned with.

use image::{Rgb, RgbImage};

use super::pad::Padded;

/// An integer rectangle in padded coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    pub x: i64,
    pub y: i64,
    pub width: u32,
    pub height: u32,
}

/// One output column's (or row's) two source taps and the weight of the second.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Tap {
    lo: i64,
    hi: i64,
    frac: f32,
}

/// OpenCV's `INTER_LINEAR` sample positions: pixel centres aligned, clamped to the edge.
fn taps(src_len: u32, dst_len: u32) -> Vec<Tap> {
    let scale = f64::from(src_len) / f64::from(dst_len);
    let last = i64::from(src_len) - 1;
    (0..dst_len)
        .map(|d| {
            let f = (f64::from(d) + 0.5) * scale - 0.5;
            let mut lo = f.floor() as i64;
            let mut frac = (f - lo as f64) as f32;
            if lo < 0 {
                lo = 0;
                frac = 0.0;
            }
            if lo >= last {
                lo = last;
                frac = 0.0;
            }
            Tap { lo, hi: (lo + 1).min(last), frac }
        })
        .collect()
}

#[inline]
fn round_u8(v: f32) -> u8 {
    (v + 0.5).clamp(0.0, 255.0) as u8
}

/// Resizes `region` of the padded photo to `out_width` x `out_height`. Samples never leave the
/// region (edges are replicated, as `cv2.resize` does on a crop).
pub fn resize_region(src: &Padded, region: Region, out_width: u32, out_height: u32) -> RgbImage {
    let mut out = RgbImage::new(out_width, out_height);
    if region.width == 0 || region.height == 0 {
        return out;
    }
    let xs = taps(region.width, out_width);
    let ys = taps(region.height, out_height);
    for (oy, ty) in ys.iter().enumerate() {
        let (y0, y1) = (region.y + ty.lo, region.y + ty.hi);
        for (ox, tx) in xs.iter().enumerate() {
            let (x0, x1) = (region.x + tx.lo, region.x + tx.hi);
            let (p00, p01, p10, p11) = (src.pixel(x0, y0), src.pixel(x1, y0), src.pixel(x0, y1), src.pixel(x1, y1));
            let mut px = [0u8; 3];
            for c in 0..3 {
                let top = f32::from(p00[c]) + (f32::from(p01[c]) - f32::from(p00[c])) * tx.frac;
                let bottom = f32::from(p10[c]) + (f32::from(p11[c]) - f32::from(p10[c])) * tx.frac;
                px[c] = round_u8(top + (bottom - top) * ty.frac);
            }
            out.put_pixel(ox as u32, oy as u32, Rgb(px));
        }
    }
    out
}

/// An affine map `(x, y) ↦ (m[0]·x + m[1]·y + m[2], m[3]·x + m[4]·y + m[5])`.
pub type Affine = [f32; 6];

/// Fills an `out_width` x `out_height` image with the padded photo sampled at
/// `output_to_source(x, y)` for each output pixel, bilinearly, black outside the padded frame.
/// Also returns, per output pixel, whether its sample fell on the photo itself (not on the
/// border), so statistics can ignore the black fill.
pub fn warp_affine(src: &Padded, output_to_source: &Affine, out_width: u32, out_height: u32) -> (RgbImage, Vec<bool>) {
    let m = output_to_source;
    let mut out = RgbImage::new(out_width, out_height);
    let mut on_photo = vec![false; (out_width * out_height) as usize];
    let (w, h) = (i64::from(src.width()), i64::from(src.height()));
    let outside = |x: i64, y: i64| x < 0 || y < 0 || x >= w || y >= h;
    for oy in 0..out_height {
        for ox in 0..out_width {
            let (fx, fy) = (ox as f32, oy as f32);
            let sx = m[0] * fx + m[1] * fy + m[2];
            let sy = m[3] * fx + m[4] * fy + m[5];
            if !sx.is_finite() || !sy.is_finite() {
                continue;
            }
            let (x0, y0) = (sx.floor() as i64, sy.floor() as i64);
            let (ax, ay) = (sx - x0 as f32, sy - y0 as f32);
            let sample = |x: i64, y: i64| {
                if outside(x, y) { [0, 0, 0] } else { src.pixel(x, y) }
            };
            let (p00, p01, p10, p11) = (sample(x0, y0), sample(x0 + 1, y0), sample(x0, y0 + 1), sample(x0 + 1, y0 + 1));
            let mut px = [0u8; 3];
            for c in 0..3 {
                let top = f32::from(p00[c]) + (f32::from(p01[c]) - f32::from(p00[c])) * ax;
                let bottom = f32::from(p10[c]) + (f32::from(p11[c]) - f32::from(p10[c])) * ax;
                px[c] = round_u8(top + (bottom - top) * ay);
            }
            out.put_pixel(ox, oy, Rgb(px));
            on_photo[(oy * out_width + ox) as usize] = src.on_photo(sx, sy);
        }
    }
    (out, on_photo)
}

/// ITU-R BT.601 luma, as `cv2.cvtColor(..., COLOR_RGB2GRAY)`, in 0..255.
#[inline]
pub fn grey(p: [u8; 3]) -> f32 {
    0.299 * f32::from(p[0]) + 0.587 * f32::from(p[1]) + 0.114 * f32::from(p[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ramp(w: u32, h: u32) -> RgbImage {
        RgbImage::from_fn(w, h, |x, y| Rgb([(x * 10) as u8, (y * 10) as u8, 7]))
    }

    #[test]
    fn taps_match_opencv_linear() {
        // Downscale 4 → 2: centres at 0.5 and 2.5.
        assert_eq!(taps(4, 2), vec![Tap { lo: 0, hi: 1, frac: 0.5 }, Tap { lo: 2, hi: 3, frac: 0.5 }]);
        // Upscale 2 → 4: -0.25 clamps to 0, 1.25 clamps to the last pixel.
        let t = taps(2, 4);
        assert_eq!(t[0], Tap { lo: 0, hi: 1, frac: 0.0 });
        assert_eq!(t[1], Tap { lo: 0, hi: 1, frac: 0.25 });
        assert_eq!(t[2], Tap { lo: 0, hi: 1, frac: 0.75 });
        assert_eq!(t[3], Tap { lo: 1, hi: 1, frac: 0.0 });
    }

    #[test]
    fn identity_resize_copies_pixels() {
        let img = ramp(5, 3);
        let padded = Padded::with_pad(&img, 0);
        let out = resize_region(&padded, Region { x: 0, y: 0, width: 5, height: 3 }, 5, 3);
        assert_eq!(out, img);
    }

    #[test]
    fn resize_sees_the_black_border() {
        let img = RgbImage::from_pixel(2, 2, Rgb([200, 200, 200]));
        let padded = Padded::with_pad(&img, 2); // 6x6 frame, photo at 2..4
        let out = resize_region(&padded, Region { x: 0, y: 0, width: 6, height: 6 }, 3, 3);
        assert_eq!(out.get_pixel(0, 0).0, [0, 0, 0]);
        assert_eq!(out.get_pixel(1, 1).0, [200, 200, 200]);
        // The crop of the photo alone has no black in it.
        let crop = resize_region(&padded, Region { x: 2, y: 2, width: 2, height: 2 }, 4, 4);
        assert!(crop.pixels().all(|p| p.0 == [200, 200, 200]));
    }

    #[test]
    fn warp_by_translation_shifts_and_masks() {
        let img = ramp(4, 4);
        let padded = Padded::with_pad(&img, 0);
        // output(x, y) = source(x + 1, y + 2)
        let (out, on_photo) = warp_affine(&padded, &[1.0, 0.0, 1.0, 0.0, 1.0, 2.0], 4, 4);
        assert_eq!(out.get_pixel(0, 0).0, img.get_pixel(1, 2).0);
        assert_eq!(out.get_pixel(2, 1).0, img.get_pixel(3, 3).0);
        assert_eq!(out.get_pixel(3, 3).0, [0, 0, 0]);
        assert!(on_photo[0]);
        assert!(!on_photo[(3 * 4 + 3) as usize]);
    }

    #[test]
    fn warp_interpolates_halfway() {
        let img = RgbImage::from_fn(2, 1, |x, _| Rgb([if x == 0 { 0 } else { 100 }, 0, 0]));
        let padded = Padded::with_pad(&img, 0);
        let (out, _) = warp_affine(&padded, &[1.0, 0.0, 0.5, 0.0, 1.0, 0.0], 1, 1);
        assert_eq!(out.get_pixel(0, 0).0[0], 50);
    }

    #[test]
    fn grey_weights() {
        assert!((grey([255, 255, 255]) - 255.0).abs() < 1e-3);
        assert!((grey([100, 0, 0]) - 29.9).abs() < 1e-3);
    }
}
