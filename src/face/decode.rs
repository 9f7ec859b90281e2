//! Reading and decoding one image file, with limits checked before any pixel buffer is
//! allocated.

use std::io::{Cursor, Read};
use std::path::Path;

use image::{DynamicImage, ImageDecoder, ImageError, ImageReader, RgbImage};
use sha2::{Digest, Sha256};

use super::identity::hex;
use super::status::ImageStatus;

/// What the decoder accepts. Files or images over these are [`ImageStatus::TooLarge`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeLimits {
    /// Largest file read, in bytes.
    pub max_file_bytes: u64,
    /// Largest width or height, in pixels.
    pub max_side: u32,
    /// Largest width × height.
    pub max_pixels: u64,
}

impl Default for DecodeLimits {
    /// 256 MiB files, 32768 px sides, 100 megapixels (a 300 MB RGB buffer).
    fn default() -> Self {
        Self { max_file_bytes: 256 << 20, max_side: 32_768, max_pixels: 100_000_000 }
    }
}

/// A decoded photo, upright (EXIF orientation applied), as 8-bit RGB.
pub struct DecodedImage {
    pub rgb: RgbImage,
    /// sha256 of the file's bytes, lowercase hex.
    pub file_sha256: String,
}

/// Why a file gave no image, with the file's hash when it could be read.
pub struct DecodeFailure {
    pub status: ImageStatus,
    pub file_sha256: Option<String>,
}

/// Reads, hashes and decodes `path`. Never panics on file contents: decoder panics are caught
/// and reported as [`ImageStatus::Undecodable`].
pub fn decode_file(path: &Path, limits: &DecodeLimits) -> Result<DecodedImage, DecodeFailure> {
    let fail = |status, file_sha256| DecodeFailure { status, file_sha256 };
    let bytes = read_limited(path, limits).map_err(|status| fail(status, None))?;
    let file_sha256 = hex(&Sha256::digest(&bytes));
    match decode_guarded(&bytes, limits) {
        Ok(rgb) => Ok(DecodedImage { rgb, file_sha256 }),
        Err(status) => Err(fail(status, Some(file_sha256))),
    }
}

/// Reads and decodes `path` as [`decode_file`] does (same limits, orientation and panic
/// guard) but without hashing it: for showing a photo as the model sees it.
pub fn decode_path(path: &Path, limits: &DecodeLimits) -> Result<RgbImage, ImageStatus> {
    decode_guarded(&read_limited(path, limits)?, limits)
}

/// [`decode_bytes`], with a decoder panic reported as [`ImageStatus::Undecodable`].
fn decode_guarded(bytes: &[u8], limits: &DecodeLimits) -> Result<RgbImage, ImageStatus> {
    std::panic::catch_unwind(|| decode_bytes(bytes, limits))
        .unwrap_or_else(|_| Err(ImageStatus::Undecodable { reason: "the image decoder crashed on this file".into() }))
}

fn read_limited(path: &Path, limits: &DecodeLimits) -> Result<Vec<u8>, ImageStatus> {
    let missing = |reason: String| ImageStatus::MissingFile { reason };
    let meta = std::fs::metadata(path).map_err(|e| missing(io_reason(&e)))?;
    if meta.is_dir() {
        return Err(missing("is a folder, not a file".into()));
    }
    if meta.len() > limits.max_file_bytes {
        return Err(ImageStatus::TooLarge {
            reason: format!("the file is {} bytes; the limit is {}", meta.len(), limits.max_file_bytes),
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .and_then(|f| f.take(limits.max_file_bytes + 1).read_to_end(&mut bytes))
        .map_err(|e| missing(io_reason(&e)))?;
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(ImageStatus::TooLarge { reason: format!("the file is over {} bytes", limits.max_file_bytes) });
    }
    Ok(bytes)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Decodes in-memory file bytes to upright RGB8.
pub fn decode_bytes(bytes: &[u8], limits: &DecodeLimits) -> Result<RgbImage, ImageStatus> {
    let undecodable = |reason: String| ImageStatus::Undecodable { reason };
    if bytes.is_empty() {
        return Err(undecodable("the file is empty (0 bytes)".into()));
    }
    let mut reader =
        ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| undecodable(e.to_string()))?;
    if reader.format().is_none() {
        return Err(undecodable("not a JPEG, PNG, BMP or WebP image (unrecognised content)".into()));
    }
    let mut decoder_limits = image::Limits::default();
    decoder_limits.max_image_width = Some(limits.max_side);
    decoder_limits.max_image_height = Some(limits.max_side);
    // Room for the decoded buffer at up to 16 bits per channel with alpha, plus slack.
    decoder_limits.max_alloc = Some(limits.max_pixels.saturating_mul(8).saturating_add(64 << 20));
    reader.limits(decoder_limits);

    // Dimensions straight from the header first, so a huge image is called too large even when
    // the rest of the file is missing or broken.
    if let Some((width, height)) = header_dimensions(bytes) {
        check_dimensions(width, height, limits)?;
    }
    if reader.format() == Some(image::ImageFormat::Jpeg) {
        // The JPEG decoder fills a cut-off file with grey instead of failing; such a photo
        // would get a meaningless embedding, so it is refused here.
        check_jpeg_complete(bytes).map_err(undecodable)?;
    }
    let mut decoder = reader.into_decoder().map_err(image_error)?;
    let (width, height) = decoder.dimensions();
    check_dimensions(width, height, limits)?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(image_error)?;
    image.apply_orientation(orientation);
    Ok(image.into_rgb8())
}

/// Refuses absurd dimensions from the header, before anything is allocated for the pixels.
pub fn check_dimensions(width: u32, height: u32, limits: &DecodeLimits) -> Result<(), ImageStatus> {
    if width == 0 || height == 0 {
        return Err(ImageStatus::Undecodable { reason: format!("the image is {width}x{height} pixels") });
    }
    if width > limits.max_side || height > limits.max_side {
        return Err(ImageStatus::TooLarge {
            reason: format!("{width}x{height} pixels; the limit is {} on a side", limits.max_side),
        });
    }
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(ImageStatus::TooLarge {
            reason: format!(
                "{width}x{height} pixels is {:.0} megapixels; the limit is {:.0}",
                (u64::from(width) * u64::from(height)) as f64 / 1e6,
                limits.max_pixels as f64 / 1e6
            ),
        });
    }
    Ok(())
}

fn image_error(e: ImageError) -> ImageStatus {
    match e {
        ImageError::Limits(limit) => ImageStatus::TooLarge { reason: limit.to_string() },
        other => ImageStatus::Undecodable { reason: other.to_string() },
    }
}

/// Width and height from a PNG's IHDR chunk or a JPEG's start-of-frame segment, without
/// decoding anything; `None` for other formats or when the header is not there.
pub fn header_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    let be32 = |at: usize| bytes.get(at..at + 4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
    let be16 = |at: usize| bytes.get(at..at + 2).map(|b| u32::from(u16::from_be_bytes([b[0], b[1]])));
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.get(12..16) == Some(b"IHDR") {
        return Some((be32(16)?, be32(20)?));
    }
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    // Segments up to the first start-of-frame (SOF0..SOF15, except DHT C4, JPG C8, DAC CC).
    let mut pos = 2;
    while pos + 4 <= bytes.len() {
        if bytes[pos] != 0xFF {
            return None;
        }
        let marker = bytes[pos + 1];
        if marker == 0xFF {
            pos += 1;
            continue;
        }
        if matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            return Some((be16(pos + 7)?, be16(pos + 5)?));
        }
        if matches!(marker, 0xD9 | 0xDA) {
            return None;
        }
        pos += 2 + be16(pos + 2)? as usize;
    }
    None
}

/// Walks a JPEG's segments to its end-of-image marker; an error says where the file stops
/// short. Thumbnails inside APP segments are skipped by length, and bytes after the end marker
/// (which some cameras append) are allowed.
pub fn check_jpeg_complete(bytes: &[u8]) -> Result<(), String> {
    let truncated = |what: &str| Err(format!("truncated JPEG: the file ends inside {what} ({} bytes)", bytes.len()));
    if bytes.len() < 2 || bytes[0] != 0xFF || bytes[1] != 0xD8 {
        return Err("not a JPEG stream (no start-of-image marker)".into());
    }
    let mut pos = 2;
    loop {
        // Next marker: 0xFF, optional 0xFF fill bytes, then the marker code.
        while pos < bytes.len() && bytes[pos] != 0xFF {
            pos += 1;
        }
        while pos < bytes.len() && bytes[pos] == 0xFF {
            pos += 1;
        }
        let Some(&marker) = bytes.get(pos) else {
            return truncated("the image data, before its end-of-image marker");
        };
        pos += 1;
        match marker {
            0xD9 => return Ok(()),
            0x01 | 0xD0..=0xD8 => continue, // standalone markers
            _ => {}
        }
        let Some(length) = bytes.get(pos..pos + 2).map(|l| usize::from(u16::from_be_bytes([l[0], l[1]]))) else {
            return truncated("a segment header");
        };
        if length < 2 || pos + length > bytes.len() {
            return truncated("a header segment");
        }
        pos += length;
        if marker == 0xDA {
            // Entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or a
            // restart marker.
            loop {
                let Some(&b) = bytes.get(pos) else {
                    return truncated("the compressed image data");
                };
                if b != 0xFF {
                    pos += 1;
                    continue;
                }
                match bytes.get(pos + 1) {
                    None => return truncated("the compressed image data"),
                    Some(0x00 | 0xD0..=0xD7 | 0xFF) => pos += 1,
                    Some(_) => break,
                }
            }
        }
    }
}

/// sha256 of a file's bytes, lowercase hex (the image half of the embedding cache key; the
/// same value as [`ImageResult::file_sha256`](super::ImageResult::file_sha256)).
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher)?;
    Ok(hex(&hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_bytes(img: &RgbImage) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn decodes_a_png() {
        let img = RgbImage::from_pixel(3, 2, image::Rgb([1, 2, 3]));
        let out = decode_bytes(&png_bytes(&img), &DecodeLimits::default()).unwrap();
        assert_eq!(out, img);
    }

    #[test]
    fn refuses_empty_and_text() {
        let limits = DecodeLimits::default();
        assert!(matches!(decode_bytes(b"", &limits), Err(ImageStatus::Undecodable { .. })));
        assert!(matches!(decode_bytes(b"hello, I am text", &limits), Err(ImageStatus::Undecodable { .. })));
    }

    #[test]
    fn dimension_limits() {
        let limits = DecodeLimits { max_file_bytes: 1 << 20, max_side: 100, max_pixels: 5000 };
        assert!(check_dimensions(100, 50, &limits).is_ok());
        assert!(matches!(check_dimensions(101, 1, &limits), Err(ImageStatus::TooLarge { .. })));
        assert!(matches!(check_dimensions(100, 51, &limits), Err(ImageStatus::TooLarge { .. })));
        assert!(matches!(check_dimensions(0, 5, &limits), Err(ImageStatus::Undecodable { .. })));
        let img = RgbImage::new(101, 1);
        assert!(matches!(decode_bytes(&png_bytes(&img), &limits), Err(ImageStatus::TooLarge { .. })));
    }

    fn jpeg_bytes() -> Vec<u8> {
        let img = RgbImage::from_fn(64, 48, |x, y| image::Rgb([(x * 4) as u8, (y * 5) as u8, 90]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
        out.into_inner()
    }

    #[test]
    fn complete_jpeg_passes_and_cut_ones_do_not() {
        let jpeg = jpeg_bytes();
        assert_eq!(check_jpeg_complete(&jpeg), Ok(()));
        // Bytes after the end marker are allowed.
        let mut trailing = jpeg.clone();
        trailing.extend(b"camera maker notes");
        assert_eq!(check_jpeg_complete(&trailing), Ok(()));
        // Cut anywhere: refused, never a panic.
        for cut in [3, 20, jpeg.len() / 2, jpeg.len() - 2, jpeg.len() - 1] {
            let err = check_jpeg_complete(&jpeg[..cut]).unwrap_err();
            assert!(err.contains("truncated JPEG"), "cut at {cut}: {err}");
        }
        let limits = DecodeLimits::default();
        assert!(decode_bytes(&jpeg, &limits).is_ok());
        assert!(matches!(
            decode_bytes(&jpeg[..jpeg.len() / 2], &limits),
            Err(ImageStatus::Undecodable { reason }) if reason.contains("truncated")
        ));
    }

    #[test]
    fn dimensions_from_headers() {
        let img = RgbImage::new(37, 21);
        assert_eq!(header_dimensions(&png_bytes(&img)), Some((37, 21)));
        assert_eq!(header_dimensions(&jpeg_bytes()), Some((64, 48)));
        assert_eq!(header_dimensions(b"BM not handled"), None);
        assert_eq!(header_dimensions(&jpeg_bytes()[..10]), None);
        // A PNG that is only a signature and a header claiming 20000x20000 pixels.
        let mut huge = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        huge.extend(20_000u32.to_be_bytes());
        huge.extend(20_000u32.to_be_bytes());
        assert!(matches!(
            decode_bytes(&huge, &DecodeLimits::default()),
            Err(ImageStatus::TooLarge { reason }) if reason.contains("20000x20000")
        ));
    }

    #[test]
    fn missing_file() {
        let f = decode_file(Path::new("/nonexistent/pairscope/x.jpg"), &DecodeLimits::default()).err().unwrap();
        assert_eq!(f.status, ImageStatus::MissingFile { reason: "no such file".into() });
        assert_eq!(f.file_sha256, None);
    }
}
