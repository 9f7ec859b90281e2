//! The project at a glance: what it holds and who has labeled what.

use std::path::Path;

use crate::store::ProjectInfo;
use crate::ui::review::command::ReviewCommand;

/// The project file at `path` and what it holds (`info`: None while the first read is on its way).
pub(in crate::ui) fn show(ui: &mut egui::Ui, path: &Path, info: Option<&ProjectInfo>) -> Vec<ReviewCommand> {
    let commands = Vec::new();
    ui.heading(path.display().to_string());
    let Some(info) = info else {
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
        row("Splits", splits_text(&info.splits));
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
        // Review's sidebar counts my own tags in blind mode and Error analysis the consensus:
        // this count says whose it is.
        cols[1].strong("Tags (any labeler)").on_hover_text(
            "Pairs that at least one labeler tagged. Review's sidebar counts only your own tags in blind \
             mode; Error analysis counts consensus tags (applied by at least half of a pair's labelers).",
        );
        for t in &info.tags {
            let key = t.hotkey.map(|k| format!("[{k}] ")).unwrap_or_default();
            let what = format!("{} pairs that at least one labeler tagged {}.", t.pairs, t.name);
            let hint = if t.description.is_empty() { what } else { format!("{}\n\n{what}", t.description) };
            cols[1].label(format!("{key}{}: {} pairs", t.name, t.pairs)).on_hover_text(hint);
        }
    });
    commands
}

/// The splits row: "train 60 · dev 20 · without a split 20", or "none yet" when no pair has one
/// (the store names the pairs without a split "none").
fn splits_text(splits: &[(String, u64)]) -> String {
    match splits {
        [] => "none yet".into(),
        [(only, n)] if only == "none" => format!("none yet ({n} pairs without one; Curate makes splits)"),
        _ => splits
            .iter()
            .map(|(s, n)| if s == "none" { format!("without a split {n}") } else { format!("{s} {n}") })
            .collect::<Vec<_>>()
            .join(" · "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_splits_row_says_none_yet_or_names_the_pairs_without_a_split() {
        assert_eq!(splits_text(&[("none".into(), 300)]), "none yet (300 pairs without one; Curate makes splits)");
        let some = [("train".into(), 60), ("dev".into(), 20), ("none".into(), 20)];
        assert_eq!(splits_text(&some), "train 60 · dev 20 · without a split 20");
        assert_eq!(splits_text(&[]), "none yet");
    }
}
