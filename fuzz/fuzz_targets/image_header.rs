//! The image header probe of `face::decode`: the dimensions read from a PNG or JPEG header
//! before anything is decoded, the limit check on them, and the JPEG completeness walk. An
//! image whose header is refused must be refused by `decode_bytes` too, before any decoding
//! (the decompression-bomb guard).
#![no_main]
use libfuzzer_sys::fuzz_target;
use pairscope::face::decode::{DecodeLimits, check_dimensions, check_jpeg_complete, decode_bytes, header_dimensions};

fuzz_target!(|data: &[u8]| {
    let limits = DecodeLimits { max_file_bytes: 1 << 20, max_side: 256, max_pixels: 256 * 128 };
    let _ = check_jpeg_complete(data);
    if let Some((width, height)) = header_dimensions(data)
        && let Err(refused) = check_dimensions(width, height, &limits)
    {
        assert_eq!(decode_bytes(data, &limits).err(), Some(refused), "{width}x{height} got past the header check");
    }
});
