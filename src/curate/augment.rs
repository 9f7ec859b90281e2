//! Artificial data synthesis (Ng): make more data for a slice the model fails on by changing
//! photos the way the world does. Each augmentation is a pure function of an `RgbImage` and a
//! strength; [`Augmentation::draw`] picks a strength from a documented range with our own
//! [`SeededRng`], so a recipe replays the same in every build. The pixel maths is ours too
//! (no resize or blur from a crate that might change), except the JPEG codec itself.

use std::io::Cursor;

use image::{ImageEncoder, Rgb, RgbImage};
use serde::{Deserialize, Serialize};

use crate::rng::SeededRng;

/// The kinds of change, each with the range its strength is drawn from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Darken,
    Blur,
    Sunset,
    CropShift,
    Flip,
    JpegNoise,
    Exposure,
    Noise,
    Shift,
}

impl Kind {
    /// The kinds the demo draws from (its recipe replays only these, so adding a kind here
    /// would change the demo).
    pub const ALL: [Kind; 6] = [Kind::Darken, Kind::Blur, Kind::Sunset, Kind::CropShift, Kind::Flip, Kind::JpegNoise];

    /// The review tag a labeler would give the result, for the kinds that have one.
    pub fn tag(self) -> Option<&'static str> {
        match self {
            Kind::Darken => Some("dark"),
            Kind::Blur => Some("blurry"),
            Kind::Sunset => Some("sunset"),
            Kind::CropShift | Kind::Flip | Kind::JpegNoise | Kind::Exposure | Kind::Noise | Kind::Shift => None,
        }
    }
}

/// One change with its strength.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Augmentation {
    /// Multiplies brightness by `factor` (0 < factor ≤ 1) after a gamma that deepens shadows.
    Darken { factor: f32 },
    /// Gaussian blur with this standard deviation in pixels.
    Blur { sigma: f32 },
    /// Warm, low-sun cast: 0 = none, 1 = full orange.
    Sunset { strength: f32 },
    /// Zooms in by `scale` (≥ 1) on a window moved by (dx, dy) × the image size from the centre,
    /// resampled back to the original size.
    CropShift { dx: f32, dy: f32, scale: f32 },
    /// Mirror left-right.
    Flip,
    /// Re-encodes as JPEG at this quality (1–100): block and ringing artefacts.
    JpegNoise { quality: u8 },
    /// Multiplies every pixel value by `factor` (clamped to 0–8), no gamma: the mean
    /// brightness moves by exactly the factor until pixels clip at white.
    Exposure { factor: f32 },
    /// Adds Gaussian noise of this standard deviation in grey levels (0–255 scale) to every
    /// channel; the pattern is fixed by `seed`.
    Noise { sigma: f32, seed: u64 },
    /// Moves the photo right by `dx` and down by `dy` pixels; the border pixels fill the gap.
    Shift { dx: i32, dy: i32 },
}

impl Augmentation {
    /// Draws a strength for `kind` from its range:
    /// darken factor 0.12–0.6, blur sigma 1.0–4.0 px, sunset 0.35–0.9, crop shift ±8 % and
    /// scale 1.0–1.3, JPEG quality 8–40.
    pub fn draw(kind: Kind, rng: &mut SeededRng) -> Augmentation {
        let mut between = |lo: f64, hi: f64| (lo + (hi - lo) * rng.unit()) as f32;
        match kind {
            Kind::Darken => Augmentation::Darken { factor: between(0.12, 0.6) },
            Kind::Blur => Augmentation::Blur { sigma: between(1.0, 4.0) },
            Kind::Sunset => Augmentation::Sunset { strength: between(0.35, 0.9) },
            Kind::CropShift => {
                Augmentation::CropShift { dx: between(-0.08, 0.08), dy: between(-0.08, 0.08), scale: between(1.0, 1.3) }
            }
            Kind::Flip => Augmentation::Flip,
            Kind::JpegNoise => Augmentation::JpegNoise { quality: between(8.0, 40.99) as u8 },
            Kind::Exposure => Augmentation::Exposure { factor: between(0.3, 0.8) },
            Kind::Noise => {
                let sigma = between(4.0, 16.0);
                Augmentation::Noise { sigma, seed: rng.next_u64() }
            }
            Kind::Shift => {
                let mut px = || rng.below(17) as i32 - 8;
                Augmentation::Shift { dx: px(), dy: px() }
            }
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Augmentation::Darken { .. } => Kind::Darken,
            Augmentation::Blur { .. } => Kind::Blur,
            Augmentation::Sunset { .. } => Kind::Sunset,
            Augmentation::CropShift { .. } => Kind::CropShift,
            Augmentation::Flip => Kind::Flip,
            Augmentation::JpegNoise { .. } => Kind::JpegNoise,
            Augmentation::Exposure { .. } => Kind::Exposure,
            Augmentation::Noise { .. } => Kind::Noise,
            Augmentation::Shift { .. } => Kind::Shift,
        }
    }

    /// The changed image; the input is never modified. Out-of-range strengths are clamped.
    pub fn apply(&self, image: &RgbImage) -> RgbImage {
        match *self {
            Augmentation::Darken { factor } => darken(image, factor),
            Augmentation::Blur { sigma } => gaussian_blur(image, sigma),
            Augmentation::Sunset { strength } => sunset(image, strength),
            Augmentation::CropShift { dx, dy, scale } => crop_shift(image, dx, dy, scale),
            Augmentation::Flip => flip(image),
            Augmentation::JpegNoise { quality } => jpeg_noise(image, quality),
            Augmentation::Exposure { factor } => exposure(image, factor),
            Augmentation::Noise { sigma, seed } => noise(image, sigma, seed),
            Augmentation::Shift { dx, dy } => shift(image, dx, dy),
        }
    }
}

fn clamp_u8(v: f32) -> u8 {
    v.round().clamp(0.0, 255.0) as u8
}

/// Low light: a gamma of 1.4 deepens the shadows, then everything is scaled by `factor`.
pub fn darken(image: &RgbImage, factor: f32) -> RgbImage {
    let factor = if factor.is_finite() { factor.clamp(0.0, 1.0) } else { 1.0 };
    let lut: Vec<u8> = (0..=255u32).map(|v| clamp_u8(255.0 * factor * (v as f32 / 255.0).powf(1.4))).collect();
    let mut out = image.clone();
    for p in out.pixels_mut() {
        p.0 = p.0.map(|c| lut[c as usize]);
    }
    out
}

fn gaussian_kernel(sigma: f32) -> Vec<f32> {
    let radius = (3.0 * sigma).ceil() as i32;
    let weights: Vec<f32> = (-radius..=radius).map(|x| (-(x * x) as f32 / (2.0 * sigma * sigma)).exp()).collect();
    let total: f32 = weights.iter().sum();
    weights.into_iter().map(|w| w / total).collect()
}

/// Separable Gaussian blur; edges repeat the border pixel. A sigma below 0.1 changes nothing.
pub fn gaussian_blur(image: &RgbImage, sigma: f32) -> RgbImage {
    if !sigma.is_finite() || sigma < 0.1 || image.width() == 0 || image.height() == 0 {
        return image.clone();
    }
    let sigma = sigma.min(50.0);
    let kernel = gaussian_kernel(sigma);
    let radius = (kernel.len() / 2) as i64;
    let (w, h) = (image.width() as i64, image.height() as i64);
    let pass = |src: &[[f32; 3]], horizontal: bool| -> Vec<[f32; 3]> {
        let mut dst = vec![[0.0f32; 3]; src.len()];
        for y in 0..h {
            for x in 0..w {
                let mut acc = [0.0f32; 3];
                for (k, weight) in kernel.iter().enumerate() {
                    let offset = k as i64 - radius;
                    let (sx, sy) =
                        if horizontal { ((x + offset).clamp(0, w - 1), y) } else { (x, (y + offset).clamp(0, h - 1)) };
                    let p = src[(sy * w + sx) as usize];
                    for c in 0..3 {
                        acc[c] += weight * p[c];
                    }
                }
                dst[(y * w + x) as usize] = acc;
            }
        }
        dst
    };
    let src: Vec<[f32; 3]> = image.pixels().map(|p| p.0.map(f32::from)).collect();
    let blurred = pass(&pass(&src, true), false);
    RgbImage::from_fn(image.width(), image.height(), |x, y| {
        Rgb(blurred[(y as i64 * w + x as i64) as usize].map(clamp_u8))
    })
}

/// Warm low sun: colours are pulled towards an orange-filtered version of themselves (red up,
/// blue down), more strongly towards the top of the frame where the sky and the sun are.
pub fn sunset(image: &RgbImage, strength: f32) -> RgbImage {
    let strength = if strength.is_finite() { strength.clamp(0.0, 1.0) } else { 0.0 };
    let h = image.height().max(1) as f32;
    let mut out = image.clone();
    for (_, y, p) in out.enumerate_pixels_mut() {
        let s = strength * (1.0 - 0.3 * y as f32 / h);
        let [r, g, b] = p.0.map(f32::from);
        let warm = [r * 1.25 + 20.0, g * 0.85 + 5.0, b * 0.45];
        p.0 = [clamp_u8(r + s * (warm[0] - r)), clamp_u8(g + s * (warm[1] - g)), clamp_u8(b + s * (warm[2] - b))];
    }
    out
}

/// Bilinear sample at (x, y) in pixel-centre coordinates, clamped to the image.
fn sample(image: &RgbImage, x: f32, y: f32) -> [f32; 3] {
    let (w, h) = (image.width() as f32, image.height() as f32);
    let x = x.clamp(0.0, w - 1.0);
    let y = y.clamp(0.0, h - 1.0);
    let (x0, y0) = (x.floor(), y.floor());
    let (x1, y1) = ((x0 + 1.0).min(w - 1.0), (y0 + 1.0).min(h - 1.0));
    let (fx, fy) = (x - x0, y - y0);
    let at = |x: f32, y: f32| image.get_pixel(x as u32, y as u32).0.map(f32::from);
    let (a, b, c, d) = (at(x0, y0), at(x1, y0), at(x0, y1), at(x1, y1));
    let mut out = [0.0; 3];
    for i in 0..3 {
        let top = a[i] + fx * (b[i] - a[i]);
        let bottom = c[i] + fx * (d[i] - c[i]);
        out[i] = top + fy * (bottom - top);
    }
    out
}

/// A face detector's crop that is a little off: zoom in by `scale` (clamped to 1–3) on a window
/// whose centre moves by (dx, dy) × the image size (clamped to ±0.5), kept inside the image.
pub fn crop_shift(image: &RgbImage, dx: f32, dy: f32, scale: f32) -> RgbImage {
    let (w, h) = (image.width(), image.height());
    if w == 0 || h == 0 {
        return image.clone();
    }
    let finite = |v: f32, lo: f32, hi: f32, default: f32| if v.is_finite() { v.clamp(lo, hi) } else { default };
    let scale = finite(scale, 1.0, 3.0, 1.0);
    let (dx, dy) = (finite(dx, -0.5, 0.5, 0.0), finite(dy, -0.5, 0.5, 0.0));
    let (wf, hf) = (w as f32, h as f32);
    let (cw, ch) = (wf / scale, hf / scale);
    // Top-left of the window, kept inside the image.
    let left = (wf / 2.0 + dx * wf - cw / 2.0).clamp(0.0, wf - cw);
    let top = (hf / 2.0 + dy * hf - ch / 2.0).clamp(0.0, hf - ch);
    RgbImage::from_fn(w, h, |x, y| {
        let sx = left + (x as f32 + 0.5) / scale - 0.5;
        let sy = top + (y as f32 + 0.5) / scale - 0.5;
        Rgb(sample(image, sx, sy).map(clamp_u8))
    })
}

/// Mirror left-right.
pub fn flip(image: &RgbImage) -> RgbImage {
    image::imageops::flip_horizontal(image)
}

/// Linear exposure: every value times `factor` (clamped to 0–8; not a number: unchanged).
pub fn exposure(image: &RgbImage, factor: f32) -> RgbImage {
    let factor = if factor.is_finite() { factor.clamp(0.0, 8.0) } else { 1.0 };
    let lut: Vec<u8> = (0..=255u32).map(|v| clamp_u8(v as f32 * factor)).collect();
    let mut out = image.clone();
    for p in out.pixels_mut() {
        p.0 = p.0.map(|c| lut[c as usize]);
    }
    out
}

/// Sensor noise: each channel of each pixel gets its own Gaussian draw (Box–Muller on our
/// [`SeededRng`], so the pattern is the same in every build), `sigma` clamped to 0–128.
pub fn noise(image: &RgbImage, sigma: f32, seed: u64) -> RgbImage {
    let sigma = if sigma.is_finite() { f64::from(sigma.clamp(0.0, 128.0)) } else { 0.0 };
    if sigma == 0.0 {
        return image.clone();
    }
    let mut rng = SeededRng::new(seed);
    let mut normal = move || {
        // 1 - unit() is in (0, 1], so the logarithm is finite.
        let (u, v) = (1.0 - rng.unit(), rng.unit());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    };
    let mut out = image.clone();
    for p in out.pixels_mut() {
        p.0 = p.0.map(|c| clamp_u8((f64::from(c) + sigma * normal()) as f32));
    }
    out
}

/// Moves the photo by whole pixels (each clamped to ± the image's size); the pixels moved in
/// from outside repeat the border, as a camera that framed the face a little off would.
pub fn shift(image: &RgbImage, dx: i32, dy: i32) -> RgbImage {
    let (w, h) = (image.width() as i64, image.height() as i64);
    if w == 0 || h == 0 {
        return image.clone();
    }
    let (dx, dy) = (i64::from(dx).clamp(-w, w), i64::from(dy).clamp(-h, h));
    RgbImage::from_fn(image.width(), image.height(), |x, y| {
        let sx = (x as i64 - dx).clamp(0, w - 1);
        let sy = (y as i64 - dy).clamp(0, h - 1);
        *image.get_pixel(sx as u32, sy as u32)
    })
}

/// JPEG re-encoding at `quality` (clamped to 1–100), decoded again. An image the codec
/// cannot take (e.g. larger than JPEG's 65,535 px) is returned unchanged.
pub fn jpeg_noise(image: &RgbImage, quality: u8) -> RgbImage {
    let mut bytes = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, quality.clamp(1, 100));
    if encoder.write_image(image.as_raw(), image.width(), image.height(), image::ExtendedColorType::Rgb8).is_err() {
        return image.clone();
    }
    match image::load(Cursor::new(bytes), image::ImageFormat::Jpeg) {
        Ok(decoded) => decoded.to_rgb8(),
        Err(_) => image.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A textured test card: gradients plus a checkerboard, so blur and JPEG have edges to eat.
    fn card(w: u32, h: u32) -> RgbImage {
        RgbImage::from_fn(w, h, |x, y| {
            let check = if (x / 4 + y / 4) % 2 == 0 { 60 } else { 0 };
            Rgb([(x * 255 / w) as u8 / 2 + check, (y * 255 / h) as u8 / 2 + check, 120 + check / 2])
        })
    }

    fn mean(image: &RgbImage, channel: usize) -> f64 {
        image.pixels().map(|p| p.0[channel] as f64).sum::<f64>() / (image.width() * image.height()) as f64
    }

    fn brightness(image: &RgbImage) -> f64 {
        (0..3).map(|c| mean(image, c)).sum::<f64>() / 3.0
    }

    /// Mean absolute difference between horizontal neighbours: high for sharp images.
    fn sharpness(image: &RgbImage) -> f64 {
        let mut total = 0.0;
        let mut n = 0.0;
        for y in 0..image.height() {
            for x in 1..image.width() {
                let (a, b) = (image.get_pixel(x - 1, y).0, image.get_pixel(x, y).0);
                total += (0..3).map(|c| (a[c] as f64 - b[c] as f64).abs()).sum::<f64>();
                n += 3.0;
            }
        }
        total / n
    }

    fn psnr(a: &RgbImage, b: &RgbImage) -> f64 {
        let mse = a.as_raw().iter().zip(b.as_raw()).map(|(x, y)| (*x as f64 - *y as f64).powi(2)).sum::<f64>()
            / a.as_raw().len() as f64;
        10.0 * (255.0f64.powi(2) / mse.max(1e-9)).log10()
    }

    #[test]
    fn darken_scales_brightness_and_never_brightens() {
        let img = card(40, 30);
        let dark = darken(&img, 0.3);
        assert!(brightness(&dark) < 0.3 * brightness(&img), "{} vs {}", brightness(&dark), brightness(&img));
        assert!(img.pixels().zip(dark.pixels()).all(|(a, b)| (0..3).all(|c| b.0[c] <= a.0[c])));
        let blue = img.get_pixel(0, 0).0[2] as f32;
        assert_eq!(darken(&img, 1.0).get_pixel(0, 0).0[2], clamp_u8(255.0 * (blue / 255.0).powf(1.4)), "gamma only");
        assert_eq!(darken(&img, f32::NAN).dimensions(), img.dimensions(), "bad strength: no panic");
    }

    #[test]
    fn blur_softens_edges_keeps_flat_areas_and_size() {
        let img = card(48, 32);
        let soft = gaussian_blur(&img, 2.0);
        let softer = gaussian_blur(&img, 4.0);
        assert_eq!(soft.dimensions(), img.dimensions());
        assert!(sharpness(&soft) < 0.6 * sharpness(&img), "{} vs {}", sharpness(&soft), sharpness(&img));
        assert!(sharpness(&softer) < sharpness(&soft));
        assert!((brightness(&soft) - brightness(&img)).abs() < 2.0, "blur keeps the mean");
        let flat = RgbImage::from_pixel(9, 9, Rgb([10, 200, 30]));
        assert_eq!(gaussian_blur(&flat, 3.0), flat);
        assert_eq!(gaussian_blur(&img, 0.0), img);
        assert_eq!(gaussian_blur(&RgbImage::new(1, 1), 5.0).dimensions(), (1, 1));
    }

    #[test]
    fn sunset_warms_and_zero_is_identity() {
        let img = card(32, 32);
        let warm = sunset(&img, 0.8);
        let ratio = |i: &RgbImage| mean(i, 0) / mean(i, 2);
        assert!(ratio(&warm) > 1.8 * ratio(&img), "{} vs {}", ratio(&warm), ratio(&img));
        assert_eq!(sunset(&img, 0.0), img);
    }

    #[test]
    fn crop_shift_identity_zoom_and_shift() {
        let img = card(40, 40);
        assert_eq!(crop_shift(&img, 0.0, 0.0, 1.0), img, "no shift, no zoom: the same image");
        // A horizontal ramp: moving the window right raises the mean of the red channel.
        let ramp = RgbImage::from_fn(100, 10, |x, _| Rgb([(x * 2) as u8, 0, 0]));
        let right = crop_shift(&ramp, 0.1, 0.0, 1.25);
        let centre = crop_shift(&ramp, 0.0, 0.0, 1.25);
        assert!(mean(&right, 0) > mean(&centre, 0) + 10.0, "{} vs {}", mean(&right, 0), mean(&centre, 0));
        assert_eq!(right.dimensions(), (100, 10));
        // A shift past the border is clamped inside the image.
        let far = crop_shift(&ramp, 0.5, 0.0, 2.0);
        assert!(far.pixels().all(|p| p.0[0] >= 98), "window moved to the right edge");
        assert_eq!(crop_shift(&RgbImage::new(0, 0), 0.1, 0.1, 1.2).dimensions(), (0, 0));
    }

    #[test]
    fn flip_mirrors_and_twice_is_identity() {
        let img = card(17, 5);
        let flipped = flip(&img);
        assert_eq!(flipped.get_pixel(0, 2), img.get_pixel(16, 2));
        assert_eq!(flip(&flipped), img);
    }

    #[test]
    fn jpeg_noise_degrades_more_at_lower_quality_and_is_repeatable() {
        let img = card(64, 64);
        let (q10, q40) = (jpeg_noise(&img, 10), jpeg_noise(&img, 40));
        assert_eq!(q10.dimensions(), img.dimensions());
        assert!(psnr(&img, &q10) < psnr(&img, &q40), "{} vs {}", psnr(&img, &q10), psnr(&img, &q40));
        assert!(psnr(&img, &q10) > 15.0, "still the same picture: {}", psnr(&img, &q10));
        assert_ne!(q10, img);
        assert_eq!(jpeg_noise(&img, 10), q10);
    }

    #[test]
    fn exposure_scales_the_mean_by_the_factor() {
        let img = card(40, 30);
        let half = exposure(&img, 0.5);
        let ratio = brightness(&half) / brightness(&img);
        assert!((ratio - 0.5).abs() < 0.01, "{ratio}");
        assert_eq!(exposure(&img, 1.0), img);
        let bright = exposure(&img, 1.5);
        assert!(brightness(&bright) > 1.3 * brightness(&img));
        assert_eq!(exposure(&img, f32::NAN), img, "not a number: unchanged");
    }

    #[test]
    fn noise_is_seeded_zero_mean_and_of_the_stated_spread() {
        let flat = RgbImage::from_pixel(64, 64, Rgb([128, 128, 128]));
        let noisy = noise(&flat, 10.0, 7);
        assert_eq!(noise(&flat, 10.0, 7), noisy, "same seed, same pattern");
        assert_ne!(noise(&flat, 10.0, 8), noisy);
        let values: Vec<f64> = noisy.as_raw().iter().map(|&v| f64::from(v)).collect();
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len() as f64).sqrt();
        assert!((mean - 128.0).abs() < 0.5, "{mean}");
        assert!((sd - 10.0).abs() < 0.3, "{sd}");
        assert_eq!(noise(&flat, 0.0, 1), flat);
    }

    #[test]
    fn shift_moves_by_whole_pixels_and_repeats_the_border() {
        let ramp = RgbImage::from_fn(10, 4, |x, y| Rgb([x as u8 * 10, y as u8 * 10, 0]));
        let moved = shift(&ramp, 3, -1);
        assert_eq!(moved.get_pixel(5, 1), ramp.get_pixel(2, 2));
        assert_eq!(moved.get_pixel(0, 0), ramp.get_pixel(0, 1), "the gap repeats the border");
        assert_eq!(moved.get_pixel(9, 3), ramp.get_pixel(6, 3));
        assert_eq!(shift(&ramp, 0, 0), ramp);
        assert_eq!(shift(&ramp, i32::MAX, i32::MIN).dimensions(), (10, 4), "huge shifts: no panic");
    }

    #[test]
    fn draws_are_seeded_in_range_and_tagged() {
        let draw_all = |seed| {
            let mut rng = SeededRng::new(seed);
            (0..50).flat_map(|_| Kind::ALL.map(|k| Augmentation::draw(k, &mut rng))).collect::<Vec<_>>()
        };
        assert_eq!(draw_all(3), draw_all(3));
        assert_ne!(draw_all(3), draw_all(4));
        for a in draw_all(9) {
            match a {
                Augmentation::Darken { factor } => assert!((0.12..=0.6).contains(&factor)),
                Augmentation::Blur { sigma } => assert!((1.0..=4.0).contains(&sigma)),
                Augmentation::Sunset { strength } => assert!((0.35..=0.9).contains(&strength)),
                Augmentation::CropShift { dx, dy, scale } => {
                    assert!(dx.abs() <= 0.08 && dy.abs() <= 0.08 && (1.0..=1.3).contains(&scale))
                }
                Augmentation::Flip => {}
                Augmentation::JpegNoise { quality } => assert!((8..=40).contains(&quality)),
                other => panic!("the demo's kinds only: {other:?}"),
            }
            assert_eq!(Augmentation::draw(a.kind(), &mut SeededRng::new(1)).kind(), a.kind());
        }
        assert_eq!(Kind::Darken.tag(), Some("dark"));
        assert_eq!(Kind::Flip.tag(), None);
        let json = serde_json::to_string(&Augmentation::Blur { sigma: 2.0 }).unwrap();
        assert_eq!(json, r#"{"kind":"blur","sigma":2.0}"#, "recipes store augmentations as JSON");
    }
}
