//! The black border added around every photo before detection.
//!
//! The detector sees the whole photo squeezed to 320x240; on photos cropped tight around the
//! face (LFW) the face then fills the frame and is often missed. A black border of 25% of the
//! longer side on each side fixes that (LFW accuracy 94.4% → 98.7% in the reference). The border
//! is virtual: [`Padded`] answers black outside the photo, so no padded copy is ever allocated.

use image::RgbImage;

/// The border on each side, as a fraction of the photo's longer side.
pub const PAD_FRACTION: f64 = 0.25;

/// Border width in pixels for a photo of this size: 25% of the longer side, rounded down.
pub fn pad_width(width: u32, height: u32) -> u32 {
    (f64::from(width.max(height)) * PAD_FRACTION).floor() as u32
}

/// A photo seen through its black border. Coordinates are in the padded frame: the photo's
/// top-left pixel is at (`pad`, `pad`).
#[derive(Clone, Copy)]
pub struct Padded<'a> {
    image: &'a RgbImage,
    pad: u32,
}

impl<'a> Padded<'a> {
    /// The photo with the standard border ([`pad_width`]).
    pub fn new(image: &'a RgbImage) -> Self {
        Self::with_pad(image, pad_width(image.width(), image.height()))
    }

    pub fn with_pad(image: &'a RgbImage, pad: u32) -> Self {
        Self { image, pad }
    }

    pub fn image(&self) -> &'a RgbImage {
        self.image
    }

    pub fn pad(&self) -> u32 {
        self.pad
    }

    pub fn width(&self) -> u32 {
        self.image.width() + 2 * self.pad
    }

    pub fn height(&self) -> u32 {
        self.image.height() + 2 * self.pad
    }

    /// The pixel at integer padded coordinates; black in the border and beyond.
    #[inline]
    pub fn pixel(&self, x: i64, y: i64) -> [u8; 3] {
        let ox = x - i64::from(self.pad);
        let oy = y - i64::from(self.pad);
        if ox < 0 || oy < 0 || ox >= i64::from(self.image.width()) || oy >= i64::from(self.image.height()) {
            return [0, 0, 0];
        }
        self.image.get_pixel(ox as u32, oy as u32).0
    }

    /// Whether padded coordinates fall on the photo itself (not the border).
    #[inline]
    pub fn on_photo(&self, x: f32, y: f32) -> bool {
        let p = self.pad as f32;
        x >= p && y >= p && x <= p + (self.image.width() - 1) as f32 && y <= p + (self.image.height() - 1) as f32
    }

    /// Padded coordinates → coordinates in the original photo.
    #[inline]
    pub fn to_photo(&self, x: f32, y: f32) -> (f32, f32) {
        (x - self.pad as f32, y - self.pad as f32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    #[test]
    fn pad_is_a_quarter_of_the_longer_side() {
        assert_eq!(pad_width(350, 350), 87);
        assert_eq!(pad_width(800, 600), 200);
        assert_eq!(pad_width(150, 400), 100);
        assert_eq!(pad_width(1, 1), 0);
    }

    #[test]
    fn border_is_black_and_photo_is_shifted() {
        let mut img = RgbImage::from_pixel(4, 2, Rgb([10, 20, 30]));
        img.put_pixel(3, 1, Rgb([200, 100, 50]));
        let padded = Padded::new(&img); // pad 1
        assert_eq!(padded.pad(), 1);
        assert_eq!((padded.width(), padded.height()), (6, 4));
        assert_eq!(padded.pixel(0, 0), [0, 0, 0]);
        assert_eq!(padded.pixel(1, 1), [10, 20, 30]);
        assert_eq!(padded.pixel(4, 2), [200, 100, 50]);
        assert_eq!(padded.pixel(5, 2), [0, 0, 0]);
        assert_eq!(padded.pixel(-7, 100), [0, 0, 0]);
        assert!(padded.on_photo(1.0, 1.0));
        assert!(!padded.on_photo(0.5, 1.0));
        assert_eq!(padded.to_photo(4.0, 2.0), (3.0, 1.0));
    }
}
