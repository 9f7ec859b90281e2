//! The project at a glance: what it holds and who has labeled what.

use super::app::OpenProject;
use super::command::Command;

pub(super) fn show(ui: &mut egui::Ui, project: &OpenProject) -> Vec<Command> {
    let commands = Vec::new();
    ui.heading(project.path.display().to_string());
    let Some(info) = &project.info else {
        ui.spinner();
        return commands;
    };
    ui.add_space(8.0);
    egui::Grid::new("counts").num_columns(2).striped(true).show(ui, |ui| {
        let mut row = |name: &str, value: String| {
            ui.label(name);
            ui.label(value);
            ui.end_row();
        };
        row("Images", info.images.to_string());
        row("Pairs", info.pairs.to_string());
        row(
            "Truth",
            format!("{} same · {} different · {} unknown", info.truth_same, info.truth_different, info.truth_unknown),
        );
        let splits: Vec<String> = info.splits.iter().map(|(s, n)| format!("{s} {n}")).collect();
        row("Splits", splits.join(" · "));
        row("Audit log", format!("{} events", info.label_events));
    });
    ui.add_space(12.0);
    ui.columns(2, |cols| {
        cols[0].strong("Labelers");
        if info.labelers.is_empty() {
            cols[0].weak("No labels yet.");
        }
        for l in &info.labelers {
            let simulated = if l.simulated { " (simulated)" } else { "" };
            cols[0].label(format!("{}{simulated}: {} verdicts, {} tags", l.name, l.verdicts, l.tags_applied));
        }
        cols[1].strong("Tags");
        for t in &info.tags {
            let key = t.hotkey.map(|k| format!("[{k}] ")).unwrap_or_default();
            cols[1].label(format!("{key}{}: {} pairs", t.name, t.pairs)).on_hover_text(&t.description);
        }
    });
    commands
}
