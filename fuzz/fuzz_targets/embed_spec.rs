//! The `embed --spec` string through `EmbedderSpec::from_str`, as the CLI parses it. A spec
//! that parses must also survive its own canonical form (what the model identity records), and
//! must turn pixels into finite model inputs (otherwise every embedding is NaN).
#![no_main]
use libfuzzer_sys::fuzz_target;
use pairscope::face::EmbedderSpec;

fuzz_target!(|text: &str| {
    if let Ok(spec) = text.parse::<EmbedderSpec>() {
        let again: EmbedderSpec = spec.canonical().parse().expect("a canonical spec parses");
        assert_eq!(again, spec, "the canonical form {:?} reads back differently", spec.canonical());
        // The darkest and the brightest pixel, in every channel.
        let crop = image::RgbImage::from_fn(2, 1, |x, _| image::Rgb([if x == 0 { 0 } else { 255 }; 3]));
        let tensor = spec.tensor(&crop);
        assert!(tensor.iter().all(|v| v.is_finite()), "{spec:?} gives the model {tensor:?}");
    }
});
