//! Suggested `dark` and `blurry` tags, image by image. A photo is what is dark or blurry, not a
//! pair: one dark photo in 24 pairs is one suggestion that names its 24 pairs, and accepting it
//! tags them all.

/// Default cut-off for `dark`: mean grey level (0..1) of the aligned face crop. Fixed, not a
/// share of the project: a project of well-lit photos has none to suggest. Measured on the
/// shared datasets (`cargo bench --bench image_quality`): LFW's darkest hundredth is at 0.27,
/// celebrity-pairs' and sitcom's darkest faces at 0.37 and 0.29 are normally lit; the LFW face
/// at 0.21 looks dark, a well-lit dark-skinned face measured 0.248.
pub const DARK_BELOW: f64 = 0.22;
/// Default cut-off for `blurry`: variance of the Laplacian of the 112x112 aligned face crop.
/// LFW's softest hundredth is at 40 (its photos are upscaled); the faces below 35 there look
/// blurred, the sharpest celebrity and sitcom faces measure hundreds.
pub const BLURRY_BELOW: f64 = 35.0;

/// One image's measure and the pairs (dense indices) it appears in.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageMeasure {
    /// The image's key (its id in the store).
    pub image: i64,
    pub value: f64,
}

/// One suggestion: an image below the cut-off and its pairs that may still take the tag.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageSuggestion {
    pub image: i64,
    pub value: f64,
    /// Dense pair indices, ascending.
    pub pairs: Vec<usize>,
}

/// Groups pairs by image: each image measured below `below` once, with the pairs it appears in
/// for which `open(pair)` holds (not tagged yet, not rejected). Images with no open pair are
/// left out. `pair_images[i]` is pair `i`'s two photos (None when not both measured). Lowest
/// value first, then image id.
pub fn suggest_by_image(
    pair_images: &[Option<[ImageMeasure; 2]>],
    below: f64,
    mut open: impl FnMut(usize) -> bool,
) -> Vec<ImageSuggestion> {
    let mut by_image: std::collections::HashMap<i64, ImageSuggestion> = std::collections::HashMap::new();
    for (i, images) in pair_images.iter().enumerate() {
        let Some(images) = images else { continue };
        let low: Vec<&ImageMeasure> = images.iter().filter(|m| m.value < below).collect();
        if low.is_empty() || !open(i) {
            continue;
        }
        for m in low {
            let entry = by_image.entry(m.image).or_insert_with(|| ImageSuggestion {
                image: m.image,
                value: m.value,
                pairs: Vec::new(),
            });
            // A pair of an image with itself counts once.
            if entry.pairs.last() != Some(&i) {
                entry.pairs.push(i);
            }
        }
    }
    let mut out: Vec<ImageSuggestion> = by_image.into_values().collect();
    out.sort_by(|a, b| a.value.total_cmp(&b.value).then(a.image.cmp(&b.image)));
    out
}

/// The measured values, one per image (an image in several pairs counts once), for the
/// histogram.
pub fn per_image_values(pair_images: &[Option<[ImageMeasure; 2]>]) -> Vec<f64> {
    let mut seen = std::collections::HashMap::new();
    for m in pair_images.iter().flatten().flatten() {
        seen.insert(m.image, m.value);
    }
    let mut values: Vec<(i64, f64)> = seen.into_iter().collect();
    values.sort_by_key(|v| v.0);
    values.into_iter().map(|v| v.1).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(a: (i64, f64), b: (i64, f64)) -> Option<[ImageMeasure; 2]> {
        Some([ImageMeasure { image: a.0, value: a.1 }, ImageMeasure { image: b.0, value: b.1 }])
    }

    #[test]
    fn one_dark_image_in_three_pairs_is_one_suggestion_naming_them() {
        let pairs = vec![
            pair((1, 0.1), (2, 0.5)),
            pair((3, 0.6), (1, 0.1)),
            pair((2, 0.5), (3, 0.6)),
            None,
            pair((1, 0.1), (4, 0.7)),
        ];
        let s = suggest_by_image(&pairs, 0.25, |_| true);
        assert_eq!(s, vec![ImageSuggestion { image: 1, value: 0.1, pairs: vec![0, 1, 4] }]);
    }

    #[test]
    fn closed_pairs_drop_out_and_an_image_with_none_left_is_not_suggested() {
        let pairs = vec![pair((1, 0.1), (2, 0.2)), pair((1, 0.1), (3, 0.9)), pair((2, 0.2), (3, 0.9))];
        let s = suggest_by_image(&pairs, 0.25, |i| i != 1);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0], ImageSuggestion { image: 1, value: 0.1, pairs: vec![0] });
        assert_eq!(s[1], ImageSuggestion { image: 2, value: 0.2, pairs: vec![0, 2] });
        let none = suggest_by_image(&pairs, 0.25, |i| i == 1);
        assert_eq!(none, vec![ImageSuggestion { image: 1, value: 0.1, pairs: vec![1] }]);
    }

    #[test]
    fn an_image_paired_with_itself_lists_the_pair_once() {
        let s = suggest_by_image(&[pair((5, 0.1), (5, 0.1))], 0.25, |_| true);
        assert_eq!(s[0].pairs, vec![0]);
    }

    #[test]
    fn values_count_each_image_once() {
        let pairs = vec![pair((1, 0.1), (2, 0.5)), pair((1, 0.1), (3, 0.6))];
        assert_eq!(per_image_values(&pairs), vec![0.1, 0.5, 0.6]);
    }
}
