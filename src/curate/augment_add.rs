//! `augment --add-to-project`: the derived images and pairs come into the project in one
//! transaction (all or nothing), with source `augment` and their lineage in each pair's
//! metadata; optionally the recipe's tags as an adjudicator's decision, so the pairs join
//! their slice (e.g. `dark`) without a review round.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::CurateError;
use super::manifest::Derived;
use super::recipe::Recipe;
use crate::domain::{Split, Truth};
use crate::quote::quote;
use crate::store::{Decision, ImageId, NewImage, NewPair, NewTag, Origin, Store};

/// One derived image as written.
pub(crate) struct DerivedImage {
    pub(crate) path: String,
    pub(crate) sha256: String,
    pub(crate) bytes: u64,
    pub(crate) dimensions: (u32, u32),
    pub(crate) identity: Option<String>,
    pub(crate) source: ImageId,
    pub(crate) drawn: Derived,
}

/// One derived pair: its images are copy `copy` of the source pair's images.
pub(crate) struct DerivedPair {
    pub(crate) name: String,
    pub(crate) source_name: String,
    pub(crate) copy: u32,
    pub(crate) a: (ImageId, u32),
    pub(crate) b: (ImageId, u32),
    pub(crate) truth: Option<Truth>,
    pub(crate) split: Option<Split>,
    pub(crate) tags: Vec<String>,
}

/// What came into the project.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Added {
    pub pairs: usize,
    pub images: usize,
    /// Derived pairs given the recipe's tags by `adjudicate_as`.
    pub adjudicated: usize,
}

pub(crate) struct AddHow<'a> {
    /// The augment folder: the derived images' root.
    pub(crate) root: &'a Path,
    pub(crate) manifest_sha256: &'a str,
    pub(crate) recipe: &'a Recipe,
    pub(crate) seed: u64,
    pub(crate) adjudicate_as: Option<&'a str>,
    pub(crate) gui: bool,
}

pub(crate) fn add_to_project(
    store: &mut Store,
    how: &AddHow,
    images: &BTreeMap<(ImageId, u32), DerivedImage>,
    pairs: &[DerivedPair],
) -> Result<Added, CurateError> {
    let reason = format!(
        "synthesised by pairscope augment (recipe {}, seed {}, manifest sha256 {}): the tags say what was applied",
        how.recipe, how.seed, how.manifest_sha256
    );
    let origin = if how.gui { Origin::Gui } else { Origin::Cli };
    let added = store.write(|tx| {
        let adjudicator = match how.adjudicate_as {
            Some(name) => Some(tx.find_labeler(name)?.ok_or_else(|| {
                crate::store::StoreError::Invalid(format!("no labeler named {} in the project", quote(name.trim())))
            })?),
            None => None,
        };
        let root = tx.image_root(&how.root.to_string_lossy())?;
        let mut ids: BTreeMap<(ImageId, u32), ImageId> = BTreeMap::new();
        let mut new_images = 0;
        for (key, image) in images {
            let (id, new) = tx.upsert_image(&NewImage {
                root,
                path: &image.path,
                sha256: &image.sha256,
                bytes: image.bytes,
                dimensions: Some(image.dimensions),
            })?;
            if let Some(identity) = &image.identity {
                tx.set_image_identity(id, identity, false)?;
            }
            new_images += usize::from(new);
            ids.insert(*key, id);
        }
        let mut adjudicated = 0;
        for pair in pairs {
            if tx.find_pair_by_external_id(&pair.name)?.is_some() {
                return Err(crate::store::StoreError::Invalid(format!(
                    "pair {} is already in the project (this recipe and seed were added before); nothing was added",
                    quote(&pair.name)
                )));
            }
            let metadata = serde_json::json!({
                "augment": {
                    "from_pair": pair.source_name,
                    "copy": pair.copy,
                    "recipe": how.recipe.to_string(),
                    "seed": how.seed,
                    "manifest_sha256": how.manifest_sha256,
                    "applied_a": images[&pair.a].drawn.applied,
                    "applied_b": images[&pair.b].drawn.applied,
                }
            });
            let id = tx.insert_pair(&NewPair {
                external_id: Some(&pair.name),
                image_a: ids[&pair.a],
                image_b: ids[&pair.b],
                truth: pair.truth,
                split: pair.split,
                source: super::pick::SYNTHETIC_SOURCE,
                metadata: &metadata,
            })?;
            if let Some(adjudicator) = &adjudicator
                && !pair.tags.is_empty()
            {
                for tag in &pair.tags {
                    tx.tag_or_create(&NewTag { name: tag, description: "", colour: "" })?;
                }
                let decision = Decision { verdict: None, tags: &pair.tags, reason: &reason, correct_truth: None };
                tx.adjudicate(id, adjudicator.id, &decision, origin)?;
                adjudicated += 1;
            }
        }
        Ok(Added { pairs: pairs.len(), images: new_images, adjudicated })
    })?;
    Ok(added)
}
