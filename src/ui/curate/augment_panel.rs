//! The Augment panel (`pairscope augment`): the pairs (Export's controls), the recipe (parsed
//! as typed), the seed and the folder; a live count of what the run makes and a preview of
//! copy 1 of the first source images before anything is written; the run with its progress,
//! Cancel and outcome.

use crate::curate::AugmentReport;
use crate::store::ProjectInfo;
use crate::ui::curate::augment_state::AugmentUi;
use crate::ui::curate::pick_form;
use crate::ui::curate::state::CurateCommand;
use crate::ui::widgets::format::count;

/// The side of a preview image on screen, and the width of an original-and-derived tile.
const THUMB: f32 = 120.0;
const TILE_WIDTH: f32 = 2.0 * THUMB + 30.0;

/// What the panel shows of the project besides the form.
pub(in crate::ui) struct AugmentData<'a> {
    pub info: &'a ProjectInfo,
    pub tags: &'a [String],
    /// The project's adjudicators (whose decision may tag the derived pairs).
    pub adjudicators: &'a [String],
    pub analysed: Option<(&'a str, f64)>,
}

pub(in crate::ui) fn show(ui: &mut egui::Ui, augment: &mut AugmentUi, data: &AugmentData<'_>) -> Vec<CurateCommand> {
    let mut commands = Vec::new();
    ui.weak(
        "More pairs like a slice: each picked image gets the recipe's changes (drawn from the seed), each \
         pair as many copies, with the same truth and split, into an export folder whose manifest lists every change.",
    );
    let recipe = augment.recipe();
    egui::Grid::new("augment options").num_columns(2).spacing([12.0, 6.0]).show(ui, |ui| {
        pick_form::rows(ui, "augment", &mut augment.pick, data.info, data.tags, data.analysed, false);
        let label = ui.label("Recipe");
        ui.vertical(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut augment.recipe)
                    .hint_text("darken=0.25..0.6, blur=1.5, copies=2")
                    .desired_width(420.0),
            )
            .labelled_by(label.id)
            .on_hover_text(
                "Changes, applied in order: darken, brighten, sunset, blur, noise, jpeg, shift (a number or a \
                 range lo..hi drawn per image), flip; copies=K derived images per source.",
            );
            match &recipe {
                Err(why) if !augment.recipe.trim().is_empty() || augment.hint.is_none() => {
                    ui.colored_label(ui.visuals().error_fg_color, why);
                }
                Err(_) => {
                    ui.weak(augment.hint.as_deref().unwrap_or_default());
                }
                Ok(_) => {}
            }
        });
        ui.end_row();
        let label = ui.label("Seed");
        ui.horizontal(|ui| {
            ui.add(egui::DragValue::new(&mut augment.seed).speed(1.0)).labelled_by(label.id);
            ui.weak("the same seed writes the same bytes");
        });
        ui.end_row();
        let label = ui.label("Into folder");
        ui.horizontal(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut augment.folder).hint_text("/path/to/new-folder").desired_width(420.0),
            )
            .labelled_by(label.id);
            if ui.button("Choose folder…").clicked() {
                commands.push(CurateCommand::BrowseAugmentFolder);
            }
            ui.weak("new or empty");
        });
        ui.end_row();
        ui.label("");
        ui.vertical(|ui| {
            ui.checkbox(&mut augment.add_to_project, "Add the derived pairs to the project").on_hover_text(
                "They come in with source augment and their lineage; score them on the Model screen (Score project).",
            );
            if augment.add_to_project {
                adjudicator_choice(ui, augment, data.adjudicators);
            }
        });
        ui.end_row();
    });
    let key = augment.key(data.analysed);
    counts(ui, augment, key.as_ref());
    run_row(ui, augment, data, recipe.is_ok(), &mut commands);
    match &augment.outcome {
        Some(Ok(report)) => augmented(ui, report),
        Some(Err(e)) => {
            ui.colored_label(ui.visuals().error_fg_color, format!("Not augmented: {e}"));
        }
        None => {}
    }
    preview_grid(ui, augment);
    commands
}

fn adjudicator_choice(ui: &mut egui::Ui, augment: &mut AugmentUi, adjudicators: &[String]) {
    ui.horizontal(|ui| {
        let label = ui.label("Tag them as adjudicator");
        let none = "No one (they wait for review)";
        egui::ComboBox::from_id_salt("augment adjudicator")
            .selected_text(augment.adjudicate_as.as_deref().unwrap_or(none))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut augment.adjudicate_as, None, none);
                for name in adjudicators {
                    ui.selectable_value(&mut augment.adjudicate_as, Some(name.clone()), name);
                }
            })
            .response
            .labelled_by(label.id)
            .on_hover_text(
                "Record each derived pair's tags (its source's, and the recipe's: dark, blurry, sunset) as this \
                 adjudicator's decision, so the pairs join their slice at once.",
            );
        if adjudicators.is_empty() {
            ui.weak("the project has no adjudicator");
        }
    });
}

/// What the selection holds and the recipe makes, from the preview of the form as it is.
fn counts(ui: &mut egui::Ui, augment: &AugmentUi, key: Option<&crate::ui::jobs::augment::PreviewKey>) {
    let Some(key) = key else { return };
    if let Some((failed, why)) = &augment.preview_error
        && failed == key
    {
        ui.colored_label(ui.visuals().error_fg_color, why);
        return;
    }
    ui.horizontal(|ui| {
        match &augment.previewed {
            Some(p) => {
                let copies = key.recipe.copies as usize;
                ui.label(format!(
                    "The selection holds {} pairs ({} images); the recipe makes {} derived pairs ({} images), {copies} per source.",
                    count(p.source_pairs as u64),
                    count(p.source_images as u64),
                    count((p.source_pairs * copies) as u64),
                    count((p.source_images * copies) as u64),
                ));
            }
            None => {
                ui.weak("Counting the selection…");
            }
        }
        if augment.previewed.as_ref().is_none_or(|p| p.key != *key) {
            ui.spinner();
        }
    });
    if let Some(p) = augment.previewed.as_ref().filter(|p| p.synthetic_left_out > 0) {
        ui.weak(format!(
            "{} synthetic pairs (made by an earlier augment) also match; they are not augmented again.",
            count(p.synthetic_left_out as u64)
        ));
    }
    if let Some(p) = augment.previewed.as_ref().filter(|p| p.outside_train > 0) {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!(
                "{} of these pairs are outside train: synthetic pairs in dev or test change what those splits measure.",
                count(p.outside_train as u64)
            ),
        );
    }
}

fn run_row(
    ui: &mut egui::Ui,
    augment: &AugmentUi,
    data: &AugmentData<'_>,
    recipe_ok: bool,
    commands: &mut Vec<CurateCommand>,
) {
    ui.horizontal(|ui| {
        let target = augment.target();
        let ready = augment.job.is_none() && recipe_ok && target.is_some();
        let why_not = if !recipe_ok {
            "The recipe does not parse (see the message under it)."
        } else {
            "Choose a new or empty folder first (augment never overwrites anything)."
        };
        let run = ui
            .add_enabled(ready, egui::Button::new("Run augment"))
            .on_hover_text("Write the derived images, pairs.csv, labels.csv (and .parquet) and manifest.json.")
            .on_disabled_hover_text(why_not);
        if run.clicked()
            && let (Some(target), Ok(options)) = (target, augment.options(data.analysed))
        {
            commands.push(CurateCommand::StartAugment { target, options });
        }
        if let Some(job) = &augment.job {
            match job.progress() {
                Some(p) => {
                    let fraction = p.done as f32 / p.total.max(1) as f32;
                    ui.add(egui::ProgressBar::new(fraction).desired_width(200.0).show_percentage());
                    ui.label(format!("{}/{} derived images written to {}", p.done, p.total, job.target.display()));
                }
                None => {
                    ui.spinner();
                    ui.label(format!("Augmenting into {}…", job.target.display()));
                }
            }
            if job.cancelled() {
                ui.weak("Cancelling…");
            } else if ui.button("Cancel").on_hover_text("Stop; nothing of this run is kept or recorded.").clicked() {
                commands.push(CurateCommand::CancelAugment);
            }
        }
    });
}

/// The outcome as `pairscope augment` says it.
fn augmented(ui: &mut egui::Ui, report: &AugmentReport) {
    ui.label(format!(
        "Augmented {} pairs ({} images): {} derived pairs, {} derived images in {}",
        count(report.source_pairs as u64),
        count(report.source_images as u64),
        count(report.pairs as u64),
        count(report.images as u64),
        report.target.display()
    ));
    egui::Grid::new("augment report").num_columns(2).spacing([12.0, 2.0]).show(ui, |ui| {
        let mut row = |name: &str, value: String| {
            ui.weak(name);
            ui.label(value);
            ui.end_row();
        };
        row("Manifest", format!("sha256 {}", report.manifest_sha256));
        row("Lineage", format!("recorded in the project as export #{}", report.lineage_id));
        if let Some(added) = &report.added {
            let adjudicated = if added.adjudicated > 0 {
                format!(", {} tagged by adjudication", count(added.adjudicated as u64))
            } else {
                String::new()
            };
            row(
                "Project",
                format!(
                    "added {} pairs and {} images (source augment){adjudicated}; score them on the Model screen (Score project)",
                    count(added.pairs as u64),
                    count(added.images as u64)
                ),
            );
        }
    });
    if let Some(stale) = &report.stale_removed {
        ui.label(stale);
    }
    ui.weak(format!("Check it with `pairscope verify-export {} --reapply`.", report.target.display()));
}

/// The first source images beside copy 1 of each, with its exact changes.
fn preview_grid(ui: &mut egui::Ui, augment: &AugmentUi) {
    let Some(p) = &augment.previewed else { return };
    if p.tiles.is_empty() {
        return;
    }
    ui.add_space(4.0);
    ui.label("Preview: copy 1 of the first images, exactly as the run writes it");
    // As many tiles a row as fit (a wrapped layout cannot know a group's width before it is drawn).
    let per_row = ((ui.available_width() / TILE_WIDTH) as usize).max(1);
    for row in p.tiles.chunks(per_row) {
        ui.horizontal(|ui| {
            for tile in row {
                ui.group(|ui| {
                    ui.vertical(|ui| {
                        ui.horizontal(|ui| {
                            ui.add(egui::Image::new(&tile.original).max_size(egui::vec2(THUMB, THUMB)))
                                .on_hover_text(format!("{} as it is", tile.source_path));
                            ui.add(egui::Image::new(&tile.derived).max_size(egui::vec2(THUMB, THUMB)))
                                .on_hover_text(format!("{}, copy 1: {}", tile.source_path, tile.caption));
                        });
                        ui.set_max_width(2.0 * THUMB + 8.0);
                        ui.add(
                            egui::Label::new(egui::RichText::new(format!("copy 1: {}", tile.caption)).small()).wrap(),
                        );
                    });
                });
            }
        });
    }
}
