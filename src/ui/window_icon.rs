//! The window's icon: `assets/icon.png` (256 × 256, rendered from `assets/icon.svg`), embedded,
//! so the installed binary shows it with no file beside it.

const ICON_PNG: &[u8] = include_bytes!("../../assets/icon.png");

/// The icon for the main window. `None` leaves the platform's default; it could only happen if
/// the embedded PNG were broken, which the test below rules out.
pub fn window_icon() -> Option<egui::IconData> {
    match eframe::icon_data::from_png_bytes(ICON_PNG) {
        Ok(icon) => Some(icon),
        Err(e) => {
            tracing::warn!("the embedded window icon cannot be decoded: {e}");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_icon_is_a_256_pixel_square_with_a_transparent_corner_and_an_opaque_middle() {
        let icon = window_icon().expect("the embedded icon decodes");
        assert_eq!((icon.width, icon.height), (256, 256));
        assert_eq!(icon.rgba.len(), 256 * 256 * 4);
        let alpha = |x: usize, y: usize| icon.rgba[(y * 256 + x) * 4 + 3];
        assert_eq!(alpha(0, 0), 0, "the rounded corner shows the desktop through");
        assert_eq!(alpha(128, 128), 255);
    }
}
