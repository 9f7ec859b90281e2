//! The Augment panel's state: the form, its preview (started once typing pauses) and its run.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::curate::{AugmentOptions, AugmentReport, Recipe};
use crate::domain::Split;
use crate::ui::curate::pick_form::{Pick, PickForm};
use crate::ui::jobs::augment::{AugmentJob, AugmentPreviewJob, PreviewKey};

/// How long the form must rest before its preview is made (as the Import window's).
pub(in crate::ui) const PREVIEW_AFTER_TYPING: Duration = Duration::from_millis(300);

/// One source image beside copy 1 of it, on the GPU.
pub(in crate::ui) struct PreviewTile {
    pub source_path: String,
    pub original: egui::TextureHandle,
    pub derived: egui::TextureHandle,
    pub caption: String,
}

/// A finished preview.
pub(in crate::ui) struct Previewed {
    pub key: PreviewKey,
    pub source_pairs: usize,
    pub source_images: usize,
    pub outside_train: usize,
    /// Synthetic pairs that match but are not augmented again.
    pub synthetic_left_out: usize,
    pub tiles: Vec<PreviewTile>,
}

pub(in crate::ui) struct AugmentUi {
    /// The panel is open (from its header, or from a tag row of Error analysis).
    pub open: bool,
    /// Just opened from elsewhere: scroll it into view once.
    pub reveal: bool,
    pub pick: PickForm,
    /// The recipe as typed ("darken=0.25..0.6, copies=2").
    pub recipe: String,
    /// Said under an empty recipe (no recipe is proposed for the tag it was opened from).
    pub hint: Option<String>,
    pub seed: u64,
    /// The folder to write into (typed, or chosen in the dialog).
    pub folder: String,
    pub add_to_project: bool,
    /// With `add_to_project`: the adjudicator whose decision tags the derived pairs.
    pub adjudicate_as: Option<String>,
    /// The form as last seen, and since when it has not changed.
    pub resting: Option<(PreviewKey, Instant)>,
    pub preview_job: Option<AugmentPreviewJob>,
    pub previewed: Option<Previewed>,
    /// Why the last preview failed, and for which form.
    pub preview_error: Option<(PreviewKey, String)>,
    pub job: Option<AugmentJob>,
    pub outcome: Option<Result<AugmentReport, String>>,
}

impl Default for AugmentUi {
    fn default() -> Self {
        AugmentUi {
            open: false,
            reveal: false,
            pick: PickForm::default(),
            recipe: String::new(),
            hint: None,
            // `pairscope augment`'s default: the same run from the CLI and the GUI.
            seed: 1,
            folder: String::new(),
            add_to_project: false,
            adjudicate_as: None,
            resting: None,
            preview_job: None,
            previewed: None,
            preview_error: None,
            job: None,
            outcome: None,
        }
    }
}

impl AugmentUi {
    /// Opens the panel on the pairs of `tag` (in train, when the project has splits) with the
    /// recipe proposed for it.
    pub fn open_for_tag(&mut self, tag: &str, has_splits: bool) {
        self.open = true;
        self.reveal = true;
        self.pick = PickForm {
            require_tags: vec![tag.to_owned()],
            split: has_splits.then_some(Split::Train),
            ..PickForm::default()
        };
        match Recipe::proposed_for_tag(tag) {
            Some(recipe) => {
                self.recipe = recipe.to_owned();
                self.hint = None;
            }
            None => {
                self.recipe.clear();
                self.hint = Some(format!(
                    "No recipe is proposed for the tag {}; type the changes that make more photos like it.",
                    crate::quote::quote(tag)
                ));
            }
        }
        self.outcome = None;
    }

    pub fn recipe(&self) -> Result<Recipe, String> {
        Recipe::parse(&self.recipe)
    }

    /// What the preview of the form as it is now would show (None: the recipe does not parse).
    pub fn key(&self, analysed: Option<(&str, f64)>) -> Option<PreviewKey> {
        let recipe = self.recipe().ok()?;
        let Pick { selection, model, threshold } = self.pick.pick(analysed, false);
        Some(PreviewKey { selection, model, threshold, recipe, seed: self.seed })
    }

    /// The run the form asks for.
    pub fn options(&self, analysed: Option<(&str, f64)>) -> Result<AugmentOptions, String> {
        let Pick { selection, model, threshold } = self.pick.pick(analysed, false);
        Ok(AugmentOptions {
            selection,
            model,
            threshold,
            recipe: self.recipe()?,
            seed: self.seed,
            add_to_project: self.add_to_project,
            adjudicate_as: self.adjudicate_as.clone().filter(|_| self.add_to_project),
            origin: "gui".into(),
        })
    }

    /// Notes the form as it is at `now`; returns the preview that is due (the form has rested
    /// long enough, and no preview of it is shown, failed or on its way).
    pub fn preview_due(&mut self, key: Option<PreviewKey>, now: Instant) -> Option<PreviewKey> {
        let key = key?;
        match &self.resting {
            Some((seen, _)) if *seen == key => {}
            _ => self.resting = Some((key.clone(), now)),
        }
        let (_, since) = self.resting.as_ref()?;
        let done = self.previewed.as_ref().is_some_and(|p| p.key == key)
            || self.preview_error.as_ref().is_some_and(|(k, _)| *k == key);
        (now >= *since + PREVIEW_AFTER_TYPING && !done && self.preview_job.is_none()).then_some(key)
    }

    /// When the preview of the resting form is due (to wake a frame then).
    pub fn preview_wait(&self, now: Instant) -> Option<Duration> {
        let due = self.resting.as_ref()?.1 + PREVIEW_AFTER_TYPING;
        (due > now).then(|| due - now)
    }

    pub fn target(&self) -> Option<PathBuf> {
        let folder = self.folder.trim();
        (!folder.is_empty()).then(|| PathBuf::from(folder))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_row_opens_the_proposed_recipe_on_train_and_the_preview_waits_for_typing_to_pause() {
        let mut form = AugmentUi::default();
        form.open_for_tag("dark", true);
        assert_eq!(form.pick.split, Some(Split::Train));
        assert_eq!(form.pick.require_tags, ["dark"]);
        assert_eq!(form.recipe().unwrap().copies, 2);
        let t0 = Instant::now();
        let key = form.key(None);
        assert!(form.preview_due(key.clone(), t0).is_none(), "just typed");
        assert!(form.preview_due(key.clone(), t0 + PREVIEW_AFTER_TYPING).is_some());
        form.recipe.push_str(", flip");
        let t1 = t0 + PREVIEW_AFTER_TYPING;
        assert!(form.preview_due(form.key(None), t1).is_none(), "changed: waits again");
        form.open_for_tag("glasses", false);
        assert_eq!((form.pick.split, form.recipe.as_str()), (None, ""));
        assert!(form.hint.as_deref().unwrap().contains("glasses"));
        assert!(form.key(None).is_none(), "an empty recipe is previewed never");
    }
}
