//! The split form: ratios, train-dev, seed; a preview of the planned split (per split: pairs,
//! shares, % same, % of each tag, how many pairs move) before anything is written; and a
//! confirmation before pairs that already have a split are moved.

use crate::store::ProjectInfo;
use crate::ui::curate::state::{CurateCommand, Planned, RatioPreset, SplitUi};
use crate::ui::widgets::format::{count, right};

pub(in crate::ui) fn show(ui: &mut egui::Ui, split: &mut SplitUi, info: &ProjectInfo) -> Vec<CurateCommand> {
    let mut commands = Vec::new();
    split.fit_to(info);
    let now: Vec<String> = info.splits.iter().map(|(s, n)| format!("{s} {}", count(*n))).collect();
    ui.label(format!("Now: {}", now.join(" · ")));
    form(ui, split);
    let options = split.options();
    if let Err(e) = &options {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
    let busy = split.planning || split.applying;
    ui.horizontal(|ui| {
        let preview = ui
            .add_enabled(options.is_ok() && !busy, egui::Button::new("Preview split"))
            .on_hover_text("Plan the split and show it here; nothing is written.");
        if preview.clicked()
            && let Ok(options) = options
        {
            commands.push(CurateCommand::PreviewSplit(options));
        }
        let apply = ui
            .add_enabled(split.plan_is_current() && !busy, egui::Button::new("Apply split"))
            .on_hover_text("Write the previewed split into the project.")
            .on_disabled_hover_text("Preview the split with these options first.");
        if apply.clicked() {
            if split.plan.as_ref().is_some_and(|p| p.replaced > 0) {
                split.confirm = true;
            } else {
                commands.push(CurateCommand::ApplySplit);
            }
        }
        if split.planning {
            ui.spinner();
            ui.label("Planning the split…");
        }
        if split.applying {
            ui.spinner();
            ui.label("Writing the split…");
        }
    });
    match &split.outcome {
        Some(Ok(done)) => {
            ui.label(done);
        }
        Some(Err(e)) => {
            ui.colored_label(ui.visuals().error_fg_color, format!("Not split: {e}"));
        }
        None => {}
    }
    if let Some(plan) = &split.plan {
        if !split.plan_is_current() {
            ui.weak("The options changed since this preview: preview again to apply them.");
        }
        preview(ui, plan);
    }
    confirm(ui.ctx(), split, &mut commands);
    commands
}

fn form(ui: &mut egui::Ui, split: &mut SplitUi) {
    egui::Grid::new("split options").num_columns(2).spacing([12.0, 6.0]).show(ui, |ui| {
        ui.label("Ratios");
        ui.horizontal(|ui| {
            for preset in RatioPreset::ALL {
                ui.radio_value(&mut split.preset, preset, preset.title());
            }
            if split.preset == RatioPreset::Custom {
                ui.add(egui::TextEdit::singleline(&mut split.custom).hint_text("train/dev/test").desired_width(90.0))
                    .on_hover_text("train/dev/test, in percent or any weights, e.g. 70/15/15");
            }
        });
        ui.end_row();
        let label = ui.label("Train-dev");
        ui.horizontal(|ui| {
            ui.add(egui::DragValue::new(&mut split.train_dev).range(0.0..=99.0).speed(0.5).suffix(" % of train"))
                .labelled_by(label.id);
            ui.weak("held out of train, with train's distribution (0: none)");
        });
        ui.end_row();
        let label = ui.label("Seed");
        ui.horizontal(|ui| {
            ui.add(egui::DragValue::new(&mut split.seed)).labelled_by(label.id);
            ui.weak("the same seed always gives the same split");
        });
        ui.end_row();
        ui.label("");
        ui.checkbox(&mut split.keep_existing, "Keep existing splits").on_hover_text(
            "Keep every pair that has a split where it is and place only the others \
             (new pairs join the split of the people they share).",
        );
        ui.end_row();
    });
}

fn percent(x: f64) -> String {
    format!("{x:.1} %")
}

fn preview(ui: &mut egui::Ui, planned: &Planned) {
    let plan = &planned.plan;
    ui.add_space(4.0);
    ui.strong(format!(
        "Preview: {} pairs at {} (train/train-dev/dev/test %), seed {}; {} groups linked by identity or image, \
         the largest {} pairs",
        count(plan.moves.len() as u64),
        plan.ratios.label(),
        plan.options.seed,
        count(plan.components as u64),
        count(plan.largest_component as u64)
    ));
    let tags: Vec<&str> =
        plan.preview.rows.first().map_or(Vec::new(), |r| r.tag_pct.iter().map(|(t, _)| t.as_str()).collect());
    egui::Grid::new("split preview").striped(true).min_col_width(64.0).spacing([16.0, 4.0]).show(ui, |ui| {
        ui.strong("Split");
        for title in ["Pairs", "Share", "Target", "Same", "Identities"] {
            right(ui, egui::RichText::new(title).strong());
        }
        right(ui, egui::RichText::new("Moving in").strong())
            .on_hover_text("Pairs that would change into this split (from another split or from none).");
        for tag in &tags {
            right(ui, egui::RichText::new(*tag).strong());
        }
        ui.end_row();
        for row in &plan.preview.rows {
            match row.split {
                Some(s) => ui.label(s.as_str()),
                None => ui.strong("all"),
            };
            right(ui, count(row.pairs as u64));
            right(ui, percent(row.share_pct));
            right(ui, percent(row.target_pct));
            right(ui, row.same_pct.map_or("–".into(), percent));
            right(ui, count(row.identities as u64));
            let moving = row.split.map_or(planned.changed, |s| planned.moving_in[s.index()]);
            right(ui, count(moving as u64));
            for (_, p) in &row.tag_pct {
                right(ui, percent(*p));
            }
            ui.end_row();
        }
    });
    ui.label(format!(
        "{} pairs would change split ({} of them already in another split).",
        count(planned.changed as u64),
        count(planned.replaced as u64)
    ));
    for warning in &plan.warnings {
        ui.colored_label(ui.visuals().warn_fg_color, format!("Note: {warning}"));
    }
}

/// "N pairs will change split. Apply?" before pairs that already have a split are moved.
fn confirm(ctx: &egui::Context, split: &mut SplitUi, commands: &mut Vec<CurateCommand>) {
    let Some(planned) = split.plan.as_ref().filter(|_| split.confirm) else { return };
    let (replaced, new) = (planned.replaced, planned.changed - planned.replaced);
    let modal = egui::Modal::new(egui::Id::unique("confirm split")).show(ctx, |ui| {
        ui.set_width(420.0);
        ui.heading("Apply the split?");
        ui.label(format!("{} pairs will change split. Apply?", count(replaced as u64)));
        if new > 0 {
            ui.label(format!("{} pairs without a split get one.", count(new as u64)));
        }
        ui.weak("The split run is recorded in the project's lineage.");
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Apply").clicked() {
                commands.push(CurateCommand::ApplySplit);
            }
            if ui.button("Cancel").clicked() {
                split.confirm = false;
            }
        })
    });
    if modal.should_close() {
        split.confirm = false;
    }
}
