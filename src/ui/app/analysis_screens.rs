//! Draws an analysis screen: lends it the data, the selection and the labels it shows (never
//! the app), and takes back its commands.

use crate::ui::analysis::model_screen::Scoring;
use crate::ui::analysis::{AnalysisView, agreement_screen, error_analysis, model_screen};
use crate::ui::app::PairscopeApp;
use crate::ui::app::command::Command;
use crate::ui::app::screens::Screen;
use crate::ui::jobs::scoring as scoring_job;

impl PairscopeApp {
    /// The Model, Agreement or Error analysis screen (with the analysis ready).
    pub(in crate::ui) fn show_analysis(&mut self, ui: &mut egui::Ui) -> Vec<Command> {
        let PairscopeApp { analysis, state, project, images, ui: transient, scoring, scoring_outcome, .. } = self;
        let Some(data) = analysis.as_ref() else { return Vec::new() };
        let at = AnalysisView {
            data,
            selection: &state.selection,
            min_support: state.min_support,
            labeling: project.as_ref().map(|p| &p.labeling),
            me: project.as_ref().and_then(|p| p.session.as_ref()).map(|s| s.me.id),
            images,
            quality: match project.as_ref() {
                Some(p) => (p.quality.latest.as_deref(), p.quality.busy()),
                None => (None, false),
            },
        };
        let view = &mut transient.analysis;
        let commands = match transient.screen {
            Screen::Model => {
                let scoring = match scoring {
                    Some(job) => {
                        let progress = job.progress();
                        Scoring::Running {
                            fraction: progress.map(|p| p.done as f32 / p.total.max(1) as f32).unwrap_or(0.0),
                            text: match &progress {
                                Some(p) => format!("{}: {}", job.model(), scoring_job::describe(p)),
                                None => format!("Loading the face model ({})…", job.model()),
                            },
                            waiting: job.waiting(),
                            cancelled: job.cancelled(),
                        }
                    }
                    None => Scoring::Idle { outcome: scoring_outcome.as_deref() },
                };
                model_screen::show(ui, at, view, scoring)
            }
            Screen::Agreement => agreement_screen::show(ui, at, view),
            _ => error_analysis::show(ui, at, view),
        };
        commands.into_iter().map(Command::from).collect()
    }
}
