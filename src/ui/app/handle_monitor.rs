//! Applying the Monitor window's commands and taking in how a run ended.

use crate::ui::app::PairscopeApp;
use crate::ui::app::command::Command;
use crate::ui::app::file_dialogs::PathRequest;
use crate::ui::app::screens::Screen;
use crate::ui::jobs::monitor::{CANCELLED, MonitorJob};
use crate::ui::monitor::command::MonitorCommand;
use crate::ui::monitor::form::{Ended, MonitorForm};
use crate::ui::monitor::window;

impl PairscopeApp {
    /// The monitor shows the model's dark slice and its error rates: it opens for whoever may
    /// open the analysis screens, never for a labeler at work (as Import).
    pub(in crate::ui) fn may_monitor(&self) -> Result<(), &'static str> {
        self.may_open(Screen::Curate)
    }

    pub(in crate::ui) fn apply_monitor(&mut self, ctx: &egui::Context, command: MonitorCommand) {
        match command {
            MonitorCommand::Show(true) => {
                if let Err(why) = self.may_monitor() {
                    self.error = Some(why.into());
                } else if self.project.is_some() && self.monitor.is_none() {
                    self.monitor = Some(MonitorForm::default());
                }
            }
            MonitorCommand::Show(false) => self.close_monitor(),
            MonitorCommand::Browse => {
                let request = PathRequest::folder("The folder of new photos");
                self.dialogs.ask(request, |path| MonitorCommand::Picked(path).into());
            }
            MonitorCommand::Picked(path) => {
                self.monitor.iter_mut().for_each(|f| f.folder = path.display().to_string());
            }
            MonitorCommand::Baseline(split) => self.monitor.iter_mut().for_each(|f| f.baseline = split),
            MonitorCommand::Run => self.start_monitor(ctx),
            MonitorCommand::Cancel => {
                if let Some(job) = self.monitor.as_ref().and_then(|f| f.job.as_ref()) {
                    job.cancel();
                }
            }
        }
    }

    /// Closes the window; a running comparison is cancelled (it writes nothing) and ends on
    /// its own thread.
    pub(in crate::ui) fn close_monitor(&mut self) {
        if let Some(job) = self.monitor.take().and_then(|f| f.job) {
            job.cancel();
        }
    }

    fn start_monitor(&mut self, ctx: &egui::Context) {
        let Some(project) = self.project.as_ref().map(|p| p.path.clone()) else { return };
        let Some(form) = &mut self.monitor else { return };
        if form.job.is_some() {
            return;
        }
        match form.folder() {
            Ok(folder) => {
                form.ended = None;
                form.job = Some(MonitorJob::start(&mut self.jobs, project, folder, form.baseline, ctx.clone()));
            }
            Err(why) => form.ended = Some(Ended::Failed(why)),
        }
    }

    /// Takes in a finished run; the window goes with its project.
    pub(in crate::ui) fn poll_monitor(&mut self) {
        if self.project.is_none() || self.may_monitor().is_err() {
            self.close_monitor();
            return;
        }
        let Some(form) = &mut self.monitor else { return };
        let Some(outcome) = form.job.as_ref().and_then(|j| j.finished()) else { return };
        let cancelled = form.job.take().is_some_and(|j| j.cancelled());
        form.ended = Some(match outcome {
            Ok(report) => Ended::Compared(Box::new(report)),
            Err(why) if cancelled || why == CANCELLED => Ended::Cancelled,
            Err(why) => Ended::Failed(why),
        });
    }

    pub(in crate::ui) fn show_monitor(&mut self, ctx: &egui::Context) {
        let Some(form) = &mut self.monitor else { return };
        let commands = window::show(ctx, form);
        self.commands.extend(commands.into_iter().map(Command::Monitor));
    }
}
