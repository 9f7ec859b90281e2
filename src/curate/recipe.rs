//! An augmentation recipe as a user writes it, e.g. `darken=0.3..0.6, blur=1.5, copies=2`:
//! which changes, in which order, with exact strengths or ranges, and how many derived copies
//! of each image. [`Recipe::draw`] turns it into the exact [`Augmentation`]s for one derived
//! image from a seed, so the manifest can record what was applied.

use std::fmt;

use super::augment::Augmentation;
use crate::quote::quote;
use crate::rng::SeededRng;

/// The most copies of each image one run makes.
pub const MAX_COPIES: u32 = 100;

/// A strength: one number, or a range drawn from uniformly.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Strength {
    Exact(f64),
    Between(f64, f64),
}

impl Strength {
    fn draw(self, rng: &mut SeededRng) -> f64 {
        match self {
            Strength::Exact(v) => v,
            Strength::Between(lo, hi) => lo + (hi - lo) * rng.unit(),
        }
    }

    /// Whole numbers from lo to hi, both included.
    fn draw_whole(self, rng: &mut SeededRng) -> i64 {
        match self {
            Strength::Exact(v) => v as i64,
            Strength::Between(lo, hi) => lo as i64 + rng.below((hi as i64 - lo as i64 + 1) as u64) as i64,
        }
    }
}

impl fmt::Display for Strength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Strength::Exact(v) => write!(f, "{v}"),
            Strength::Between(lo, hi) => write!(f, "{lo}..{hi}"),
        }
    }
}

/// The changes a recipe can name, with what their number means and its allowed range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Darken,
    Brighten,
    Sunset,
    Blur,
    Noise,
    Jpeg,
    Shift,
    Flip,
}

struct OpSpec {
    op: Op,
    name: &'static str,
    /// Allowed strengths, both included, and whether they are whole numbers.
    min: f64,
    max: f64,
    whole: bool,
    meaning: &'static str,
}

const OPS: [OpSpec; 8] = [
    OpSpec {
        op: Op::Darken,
        name: "darken",
        min: 0.01,
        max: 1.0,
        whole: false,
        meaning: "the factor brightness is multiplied by",
    },
    OpSpec {
        op: Op::Brighten,
        name: "brighten",
        min: 1.0,
        max: 4.0,
        whole: false,
        meaning: "the factor brightness is multiplied by",
    },
    OpSpec {
        op: Op::Sunset,
        name: "sunset",
        min: 0.0,
        max: 1.0,
        whole: false,
        meaning: "the strength of the warm cast",
    },
    OpSpec {
        op: Op::Blur,
        name: "blur",
        min: 0.0,
        max: 20.0,
        whole: false,
        meaning: "the Gaussian blur's sigma in pixels",
    },
    OpSpec {
        op: Op::Noise,
        name: "noise",
        min: 0.0,
        max: 64.0,
        whole: false,
        meaning: "the noise's sigma in grey levels of 255",
    },
    OpSpec { op: Op::Jpeg, name: "jpeg", min: 1.0, max: 100.0, whole: true, meaning: "the JPEG quality" },
    OpSpec {
        op: Op::Shift,
        name: "shift",
        min: 0.0,
        max: 64.0,
        whole: true,
        meaning: "the most pixels the photo moves each way",
    },
    OpSpec { op: Op::Flip, name: "flip", min: 0.0, max: 0.0, whole: true, meaning: "" },
];

fn spec(op: Op) -> &'static OpSpec {
    OPS.iter().find(|s| s.op == op).expect("every op has a spec")
}

/// One change of a recipe.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step {
    pub op: Op,
    pub strength: Strength,
}

/// A parsed recipe: the steps in the order they are applied, and the copies per image.
#[derive(Clone, Debug, PartialEq)]
pub struct Recipe {
    pub steps: Vec<Step>,
    pub copies: u32,
}

impl Recipe {
    /// Parses `part, part, …` (commas or spaces), each part `name=NUMBER`, `name=LO..HI`,
    /// `flip` or `copies=K`. Errors name the part and what is allowed.
    pub fn parse(text: &str) -> Result<Recipe, String> {
        let mut steps: Vec<Step> = Vec::new();
        let mut copies: Option<u32> = None;
        let parts: Vec<&str> = text.split([',', ' ', '\t', '\n']).filter(|p| !p.trim().is_empty()).collect();
        for (i, part) in parts.iter().enumerate() {
            let at = |why: String| format!("recipe part {} {}: {why}", i + 1, quote(part));
            let (name, value) = match part.split_once('=') {
                Some((n, v)) => (n.trim().to_ascii_lowercase(), Some(v.trim())),
                None => (part.trim().to_ascii_lowercase(), None),
            };
            if name == "copies" {
                let k = value
                    .and_then(|v| v.parse::<u32>().ok())
                    .filter(|k| (1..=MAX_COPIES).contains(k))
                    .ok_or_else(|| at(format!("copies is a whole number from 1 to {MAX_COPIES}")))?;
                if copies.replace(k).is_some() {
                    return Err(at("copies is given twice".into()));
                }
                continue;
            }
            let Some(spec) = OPS.iter().find(|s| s.name == name) else {
                return Err(at(format!("unknown change; use {}, or copies=K", names())));
            };
            if steps.iter().any(|s| s.op == spec.op) {
                return Err(at(format!("{} is given twice; give one strength or a range", spec.name)));
            }
            let strength = match (spec.op, value) {
                (Op::Flip, None) => Strength::Exact(0.0),
                (Op::Flip, Some(_)) => return Err(at("flip takes no number".into())),
                (_, None) => return Err(at(format!("{} needs a number: {}", spec.name, allowed(spec)))),
                (_, Some(v)) => parse_strength(v, spec).map_err(at)?,
            };
            steps.push(Step { op: spec.op, strength });
        }
        if steps.is_empty() {
            return Err(format!("the recipe names no change; use {}", names()));
        }
        Ok(Recipe { steps, copies: copies.unwrap_or(1) })
    }

    /// The changes for one derived image, drawn from `seed` in the recipe's order.
    pub fn draw(&self, seed: u64) -> Vec<Augmentation> {
        let mut rng = SeededRng::new(seed);
        self.steps
            .iter()
            .map(|step| match step.op {
                Op::Darken | Op::Brighten => Augmentation::Exposure { factor: step.strength.draw(&mut rng) as f32 },
                Op::Sunset => Augmentation::Sunset { strength: step.strength.draw(&mut rng) as f32 },
                Op::Blur => Augmentation::Blur { sigma: step.strength.draw(&mut rng) as f32 },
                Op::Noise => Augmentation::Noise { sigma: step.strength.draw(&mut rng) as f32, seed: rng.next_u64() },
                Op::Jpeg => Augmentation::JpegNoise { quality: step.strength.draw_whole(&mut rng) as u8 },
                Op::Shift => {
                    let most = step.strength.draw_whole(&mut rng);
                    let mut each = || rng.below((2 * most + 1) as u64) as i64 - most;
                    Augmentation::Shift { dx: each() as i32, dy: each() as i32 }
                }
                Op::Flip => Augmentation::Flip,
            })
            .collect()
    }

    /// The review tags a labeler would give what this recipe makes (darken: dark, blur:
    /// blurry, sunset: sunset), sorted.
    pub fn tags(&self) -> Vec<&'static str> {
        let mut tags: Vec<&'static str> = self
            .steps
            .iter()
            .filter_map(|s| match s.op {
                Op::Darken => Some("dark"),
                Op::Blur => Some("blurry"),
                Op::Sunset => Some("sunset"),
                _ => None,
            })
            .collect();
        tags.sort_unstable();
        tags.dedup();
        tags
    }

    /// The recipe proposed for a slice, by its tag: more photos like the ones it holds.
    pub fn proposed_for_tag(tag: &str) -> Option<&'static str> {
        match tag.trim().to_lowercase().as_str() {
            "dark" => Some("darken=0.25..0.6, copies=2"),
            "blurry" => Some("blur=1.5..3.5, copies=2"),
            "sunset" => Some("sunset=0.4..0.9, copies=2"),
            "noisy" => Some("noise=6..18, copies=2"),
            _ => None,
        }
    }
}

/// The recipe in its canonical form (`darken=0.3..0.6, flip, copies=2`): parsing it gives
/// the same recipe.
impl fmt::Display for Recipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for step in &self.steps {
            match step.op {
                Op::Flip => write!(f, "flip, ")?,
                op => write!(f, "{}={}, ", spec(op).name, step.strength)?,
            }
        }
        write!(f, "copies={}", self.copies)
    }
}

fn names() -> String {
    OPS.iter().map(|s| s.name).collect::<Vec<_>>().join(", ")
}

fn allowed(spec: &OpSpec) -> String {
    let kind = if spec.whole { "a whole number" } else { "a number" };
    format!("{} is {kind} from {} to {} ({}), or a range LO..HI", spec.name, spec.min, spec.max, spec.meaning)
}

fn parse_strength(text: &str, spec: &OpSpec) -> Result<Strength, String> {
    let number = |t: &str| -> Result<f64, String> {
        let v: f64 = t.trim().parse().map_err(|_| format!("{} is not a number; {}", quote(t.trim()), allowed(spec)))?;
        if !v.is_finite() || v < spec.min || v > spec.max || (spec.whole && v.fract() != 0.0) {
            return Err(format!("{v} is out of range; {}", allowed(spec)));
        }
        Ok(v)
    };
    match text.split_once("..") {
        Some((lo, hi)) => {
            let (lo, hi) = (number(lo)?, number(hi)?);
            if lo > hi {
                return Err(format!("the range {lo}..{hi} runs backwards; write the smaller number first"));
            }
            Ok(if lo == hi { Strength::Exact(lo) } else { Strength::Between(lo, hi) })
        }
        None => Ok(Strength::Exact(number(text)?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exact_ranges_flip_and_copies_in_order() {
        let r = Recipe::parse("darken=0.3..0.6, blur=1.5 flip,copies=3").unwrap();
        assert_eq!(r.copies, 3);
        assert_eq!(
            r.steps,
            vec![
                Step { op: Op::Darken, strength: Strength::Between(0.3, 0.6) },
                Step { op: Op::Blur, strength: Strength::Exact(1.5) },
                Step { op: Op::Flip, strength: Strength::Exact(0.0) },
            ]
        );
        assert_eq!(r.to_string(), "darken=0.3..0.6, blur=1.5, flip, copies=3");
        assert_eq!(Recipe::parse(&r.to_string()).unwrap(), r, "the canonical form parses back");
        assert_eq!(Recipe::parse("noise=8").unwrap().copies, 1, "one copy by default");
        assert_eq!(r.tags(), vec!["blurry", "dark"]);
    }

    #[test]
    fn refuses_bad_parts_naming_them() {
        let err = |t: &str| Recipe::parse(t).unwrap_err();
        assert!(
            err("darken=1.5")
                .contains("recipe part 1 \"darken=1.5\": 1.5 is out of range; darken is a number from 0.01 to 1"),
            "{}",
            err("darken=1.5")
        );
        assert!(
            err("blur=2, glow=3").contains("part 2 \"glow=3\": unknown change; use darken, brighten"),
            "{}",
            err("blur=2, glow=3")
        );
        assert!(err("jpeg=30.5").contains("out of range; jpeg is a whole number"), "{}", err("jpeg=30.5"));
        assert!(err("darken=0.6..0.3").contains("runs backwards"));
        assert!(err("darken=0.3, darken=0.4").contains("darken is given twice"));
        assert!(err("blur").contains("blur needs a number"));
        assert!(err("flip=2").contains("flip takes no number"));
        assert!(err("copies=0, flip").contains("copies is a whole number from 1 to 100"));
        assert!(err("copies=2").contains("names no change"));
        assert!(err("").contains("names no change"));
        assert!(err("darken=NaN").contains("out of range"));
        assert!(err("noise=abc").contains("\"abc\" is not a number"));
    }

    #[test]
    fn draws_are_seeded_and_inside_the_ranges() {
        let r = Recipe::parse("darken=0.3..0.6, jpeg=10..20, shift=3, noise=5..9").unwrap();
        assert_eq!(r.draw(11), r.draw(11));
        assert_ne!(r.draw(11), r.draw(12));
        let mut factors = Vec::new();
        for seed in 0..300 {
            let drawn = r.draw(seed);
            let [
                Augmentation::Exposure { factor },
                Augmentation::JpegNoise { quality },
                Augmentation::Shift { dx, dy },
                Augmentation::Noise { sigma, .. },
            ] = drawn[..]
            else {
                panic!("the recipe's order: {drawn:?}")
            };
            assert!((0.3..=0.6).contains(&factor) && (10..=20).contains(&quality) && (5.0..=9.0).contains(&sigma));
            assert!(dx.abs() <= 3 && dy.abs() <= 3);
            factors.push(factor);
        }
        let mean = factors.iter().sum::<f32>() / factors.len() as f32;
        assert!((mean - 0.45).abs() < 0.02, "uniform over the range: {mean}");
        assert_eq!(Recipe::parse("darken=0.4").unwrap().draw(5), vec![Augmentation::Exposure { factor: 0.4 }]);
    }

    use proptest::prelude::*;

    /// One part as a user might type it: a known name (or a near miss) with a number, a range,
    /// nothing, or junk.
    fn part() -> impl Strategy<Value = String> {
        let name = prop::sample::select(vec![
            "darken", "brighten", "sunset", "blur", "noise", "jpeg", "shift", "flip", "copies", "DARKEN", "glow", "",
        ]);
        let number = prop_oneof![
            (-5.0f64..120.0).prop_map(|v| format!("{v}")),
            (0u32..130).prop_map(|v| v.to_string()),
            ((0.0f64..2.0), (0.0f64..2.0)).prop_map(|(a, b)| format!("{a}..{b}")),
            "[a-z.=,]{0,6}",
            Just(String::new()),
        ];
        (name, prop::option::of(number)).prop_map(|(n, v)| match v {
            Some(v) => format!("{n}={v}"),
            None => n.to_string(),
        })
    }

    proptest! {
        /// Whatever is typed: no panic; what parses reads back the same from its canonical form,
        /// and its draws stay inside the allowed ranges and apply to any image size.
        #[test]
        fn any_text_parses_or_is_refused_and_what_parses_round_trips(
            parts in prop::collection::vec(part(), 0..6),
            junk in ".{0,12}",
            seed in any::<u64>(),
        ) {
            let _ = Recipe::parse(&junk);
            let text = parts.join(", ");
            if let Ok(recipe) = Recipe::parse(&text) {
                prop_assert_eq!(Recipe::parse(&recipe.to_string()).unwrap(), recipe.clone());
                prop_assert!((1..=MAX_COPIES).contains(&recipe.copies));
                let drawn = recipe.draw(seed);
                prop_assert_eq!(drawn.len(), recipe.steps.len());
                for change in &drawn {
                    match *change {
                        Augmentation::Exposure { factor } => prop_assert!((0.01..=4.0).contains(&factor)),
                        Augmentation::Sunset { strength } => prop_assert!((0.0..=1.0).contains(&strength)),
                        Augmentation::Blur { sigma } => prop_assert!((0.0..=20.0).contains(&sigma)),
                        Augmentation::Noise { sigma, .. } => prop_assert!((0.0..=64.0).contains(&sigma)),
                        Augmentation::JpegNoise { quality } => prop_assert!((1..=100).contains(&quality)),
                        Augmentation::Shift { dx, dy } => prop_assert!(dx.abs() <= 64 && dy.abs() <= 64),
                        _ => {}
                    }
                }
                for (w, h) in [(0, 0), (1, 1), (3, 2)] {
                    let image = image::RgbImage::from_pixel(w, h, image::Rgb([90, 140, 200]));
                    let out = drawn.iter().fold(image, |im, a| a.apply(&im));
                    prop_assert_eq!(out.dimensions(), (w, h));
                }
            }
        }
    }

    #[test]
    fn every_proposed_recipe_parses_and_names_its_tag() {
        for tag in ["dark", "blurry", "sunset", "Dark"] {
            let recipe = Recipe::parse(Recipe::proposed_for_tag(tag).unwrap()).unwrap();
            assert_eq!(recipe.tags(), vec![tag.to_lowercase().as_str()]);
        }
        assert!(Recipe::parse(Recipe::proposed_for_tag("noisy").unwrap()).is_ok());
        assert_eq!(Recipe::proposed_for_tag("borderline"), None);
    }
}
