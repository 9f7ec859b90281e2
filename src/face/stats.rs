//! Per-image pixel statistics computed in the embedding pass and stored for later analysis
//! (e.g. "dark" and "blurry" slices).

use image::RgbImage;

use super::resample::grey;

/// Brightness and sharpness of an image (or of the part of it that shows the photo).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PixelStats {
    /// Mean grey level (BT.601 luma) scaled to 0..1: 0 is black, 1 is white.
    pub brightness: f32,
    /// Variance of the 4-neighbour Laplacian (`[0 1 0; 1 −4 1; 0 1 0]`, as `cv2.Laplacian` with
    /// `ksize = 1`) of the grey image in 0..255 units. Higher is sharper; it depends on the
    /// image scale, so compare it between crops of one size (the aligned face crops).
    pub sharpness: f32,
}

/// Statistics over the whole image.
pub fn pixel_stats(image: &RgbImage) -> PixelStats {
    masked_pixel_stats(image, None)
}

/// Statistics over the pixels where `mask` is true (all pixels when `None`). A Laplacian value
/// counts only if its centre and four neighbours are all in the mask, so a black border around
/// an aligned crop does not read as an edge. Empty selections give zeros. Works through three
/// grey rows at a time, so a large photo costs no extra image-sized buffer.
pub fn masked_pixel_stats(image: &RgbImage, mask: Option<&[bool]>) -> PixelStats {
    let (w, h) = (image.width() as usize, image.height() as usize);
    let inside = |x: usize, y: usize| mask.is_none_or(|m| m.get(y * w + x).copied().unwrap_or(false));
    let grey_row = |y: usize| -> Vec<f32> { (0..w).map(|x| grey(image.get_pixel(x as u32, y as u32).0)).collect() };

    let (mut sum, mut count) = (0.0f64, 0usize);
    let (mut s1, mut s2, mut n) = (0.0f64, 0.0f64, 0usize);
    let mut rows: [Vec<f32>; 3] = [Vec::new(), Vec::new(), if h > 0 { grey_row(0) } else { Vec::new() }];
    for y in 0..h {
        rows.rotate_left(1); // rows = [y - 1, y, y + 1 (to load)]
        rows[2] = if y + 1 < h { grey_row(y + 1) } else { Vec::new() };
        let [above, row, below] = &rows;
        for x in 0..w {
            if !inside(x, y) {
                continue;
            }
            sum += f64::from(row[x]);
            count += 1;
            let interior = x > 0 && y > 0 && x + 1 < w && y + 1 < h;
            if interior && inside(x - 1, y) && inside(x + 1, y) && inside(x, y - 1) && inside(x, y + 1) {
                let lap = f64::from(row[x - 1] + row[x + 1] + above[x] + below[x] - 4.0 * row[x]);
                s1 += lap;
                s2 += lap * lap;
                n += 1;
            }
        }
    }
    let brightness = if count > 0 { (sum / count as f64 / 255.0) as f32 } else { 0.0 };
    let sharpness = if n > 0 {
        let mean = s1 / n as f64;
        (s2 / n as f64 - mean * mean).max(0.0) as f32
    } else {
        0.0
    };
    PixelStats { brightness, sharpness }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    #[test]
    fn flat_image_has_no_sharpness() {
        let s = pixel_stats(&RgbImage::from_pixel(8, 8, Rgb([51, 51, 51])));
        assert!((s.brightness - 0.2).abs() < 1e-4);
        assert_eq!(s.sharpness, 0.0);
    }

    #[test]
    fn checkerboard_laplacian_by_hand() {
        // Alternating 0/100: every interior Laplacian is ±400, mean 0 over the 2x2 interior of a
        // 4x4 board → variance 160000.
        let img = RgbImage::from_fn(4, 4, |x, y| {
            let v = if (x + y) % 2 == 0 { 100 } else { 0 };
            Rgb([v, v, v])
        });
        let s = pixel_stats(&img);
        assert!((s.brightness - 50.0 / 255.0).abs() < 1e-3);
        assert!((s.sharpness - 160_000.0).abs() < 1.0, "{}", s.sharpness);
    }

    #[test]
    fn mask_hides_the_border() {
        // A flat grey square inside a black frame: unmasked, the frame edge is "sharp".
        let img = RgbImage::from_fn(10, 10, |x, y| {
            let v = if (2..8).contains(&x) && (2..8).contains(&y) { 120 } else { 0 };
            Rgb([v, v, v])
        });
        let mask: Vec<bool> = (0..100).map(|i| (2..8).contains(&(i % 10)) && (2..8).contains(&(i / 10))).collect();
        assert!(pixel_stats(&img).sharpness > 0.0);
        let s = masked_pixel_stats(&img, Some(&mask));
        assert_eq!(s.sharpness, 0.0);
        assert!((s.brightness - 120.0 / 255.0).abs() < 1e-4);
        let none = masked_pixel_stats(&img, Some(&[false; 100]));
        assert_eq!(none, PixelStats { brightness: 0.0, sharpness: 0.0 });
    }

    #[test]
    fn tiny_images_do_not_panic() {
        assert_eq!(pixel_stats(&RgbImage::new(1, 1)).sharpness, 0.0);
        assert_eq!(pixel_stats(&RgbImage::new(0, 0)).brightness, 0.0);
    }
}
