//! Keys that work on every screen: Ctrl+1 … Ctrl+5 switch screens (as the tabs do), and on the
//! screens with the threshold slider ← / → nudge the threshold (Shift: ten times as far), so an engineer can
//! walk the operating point pair by pair without the mouse. F12 shows the developers' overlay
//! (how soon a page turn was drawn).

use egui::{Key, Modifiers};

use crate::ui::analysis::command::AnalysisCommand;
use crate::ui::analysis::selection::SelectionChange;
use crate::ui::app::PairscopeApp;
use crate::ui::app::command::Command;
use crate::ui::app::screens::Screen;

/// The screens in tab order, with the digit that opens each.
pub(in crate::ui) const SCREENS: [(Key, Screen); 5] = [
    (Key::Num1, Screen::Review),
    (Key::Num2, Screen::Model),
    (Key::Num3, Screen::Agreement),
    (Key::Num4, Screen::ErrorAnalysis),
    (Key::Num5, Screen::Curate),
];

/// The shortcut of a screen, as the tab's tooltip shows it.
pub(in crate::ui) fn shortcut_text(screen: Screen) -> String {
    let n = SCREENS.iter().position(|(_, s)| *s == screen).map_or(0, |i| i + 1);
    format!("Ctrl+{n}")
}

pub(in crate::ui) fn shortcuts(ctx: &egui::Context, app: &PairscopeApp) -> Vec<Command> {
    let mut commands = Vec::new();
    if app.project.is_none() {
        return commands;
    }
    if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::F12)) {
        commands.push(Command::ToggleDebugOverlay);
    }
    for (key, screen) in SCREENS {
        if ctx.input_mut(|i| i.consume_key(Modifiers::COMMAND, key)) && app.ui.screen != screen {
            commands.push(Command::ShowScreen(screen));
        }
    }
    // The screens with a threshold slider.
    let analysing = matches!(app.ui.screen, Screen::Model | Screen::ErrorAnalysis);
    // A focused widget (the slider itself, a text field) keeps its own use of the arrows.
    if analysing && ctx.memory(|m| m.focused().is_none()) {
        // Every press counts: a slow frame holding five presses nudges five steps.
        let mut steps = 0;
        for (key, sign) in [(Key::ArrowLeft, -1), (Key::ArrowRight, 1)] {
            // Shift first: a plain-key match would take Shift+key too.
            let far = ctx.input_mut(|i| i.count_and_consume_key(Modifiers::SHIFT, key)) as i32;
            let near = ctx.input_mut(|i| i.count_and_consume_key(Modifiers::NONE, key)) as i32;
            steps += sign * (10 * far + near);
        }
        if steps != 0 {
            commands.push(AnalysisCommand::Select(SelectionChange::Nudge(steps)).into());
        }
    }
    commands
}
