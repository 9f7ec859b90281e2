//! The six group photos of `@vladmandic/face-api@1.7.15` (MIT), embedded by build.rs.

include!(concat!(env!("OUT_DIR"), "/demo_assets.rs"));

/// (file name, JPEG bytes) of each demo photo.
pub fn photos() -> &'static [(&'static str, &'static [u8])] {
    &DEMO_PHOTOS
}
