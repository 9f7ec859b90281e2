//! Three simulated labelers, so the agreement and HLP screens of the demo have real content.
//! They are clearly named as simulated. Like careful people, they are better than the model
//! overall, but they miss tags, add a few wrong ones, skip some pairs, and err more on dark and
//! borderline pairs.

use serde::{Deserialize, Serialize};

use super::recipe::PairRecipe;
use crate::rng::SeededRng;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimulatedLabel {
    pub pair: String,
    pub labeler: String,
    pub verdict: String,
    pub tags: Vec<String>,
}

/// How one simulated labeler behaves.
struct Persona {
    name: &'static str,
    /// Share of pairs they label at all.
    coverage: f64,
    /// Chance of a wrong verdict on an easy pair, and the extra chance on dark / borderline ones.
    base_error: f64,
    dark_error: f64,
    borderline_error: f64,
    /// Chance of tagging what is there, and of adding a tag that is not.
    tag_recall: f64,
    false_tag: f64,
}

/// The "sim-" prefix and the labelers' simulated flag (shown as "(simulated)" in the app) say what they are.
pub const SIMULATED_LABELERS: [&str; 3] = ["sim-ana", "sim-ben", "sim-cy"];

// Careful people beat the model overall, so the gap to HLP points at the slices worth fixing;
// dark and borderline pairs still cost them some accuracy.
const PERSONAS: [Persona; 3] = [
    Persona {
        name: SIMULATED_LABELERS[0],
        coverage: 1.0,
        base_error: 0.005,
        dark_error: 0.04,
        borderline_error: 0.08,
        tag_recall: 0.92,
        false_tag: 0.01,
    },
    Persona {
        name: SIMULATED_LABELERS[1],
        coverage: 1.0,
        base_error: 0.015,
        dark_error: 0.08,
        borderline_error: 0.12,
        tag_recall: 0.8,
        false_tag: 0.03,
    },
    Persona {
        name: SIMULATED_LABELERS[2],
        coverage: 0.7,
        base_error: 0.01,
        dark_error: 0.06,
        borderline_error: 0.1,
        tag_recall: 0.86,
        false_tag: 0.02,
    },
];

const TAGS: [&str; 4] = ["dark", "blurry", "sunset", "borderline"];

pub fn simulate_labels(pairs: &[PairRecipe], seed: u64) -> Vec<SimulatedLabel> {
    let mut labels = Vec::new();
    for (p, persona) in PERSONAS.iter().enumerate() {
        let mut rng = SeededRng::new(seed ^ (0xA5A5_0000 + p as u64));
        for pair in pairs {
            if rng.unit() >= persona.coverage {
                continue;
            }
            let has = |tag: &str| pair.applied_tags.iter().any(|t| t == tag);
            let mut error = persona.base_error;
            if has("dark") {
                error += persona.dark_error * f64::from(pair.difficulty).max(0.3);
            }
            if has("borderline") {
                error += persona.borderline_error;
            }
            let wrong = rng.unit() < error;
            let verdict = match (pair.truth.as_str(), wrong) {
                ("same", false) | ("different", true) => "same",
                _ => "different",
            };
            let mut tags: Vec<String> = Vec::new();
            for tag in TAGS {
                let applies = has(tag) || (tag == "borderline" && wrong);
                let chance = if applies { persona.tag_recall } else { persona.false_tag };
                if rng.unit() < chance {
                    tags.push(tag.to_owned());
                }
            }
            labels.push(SimulatedLabel {
                pair: pair.id.clone(),
                labeler: persona.name.to_owned(),
                verdict: verdict.into(),
                tags,
            });
        }
    }
    labels
}
