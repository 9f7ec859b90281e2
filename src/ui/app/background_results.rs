//! Taking in what the I/O thread, the image decoder and the scoring thread finished since the
//! last frame.

use std::sync::{Arc, Mutex};

use crate::store::Role;
use crate::ui::analysis::selection::SelectionChange;
use crate::ui::app::score_outcome::score_outcome;
use crate::ui::app::watch::Watch;
use crate::ui::app::{Loaded, OpenProject, Opened, PairscopeApp, Transient};
use crate::ui::jobs::hub_sync::HubSync;
use crate::ui::jobs::scoring::ScoringJob;
use crate::ui::review::command::ReviewCommand;
use crate::ui::review::labeling::Labeling;

impl PairscopeApp {
    pub(in crate::ui) fn receive(&mut self, ctx: &egui::Context) {
        let answered = self.dialogs.answers();
        self.commands.extend(answered);
        for loaded in self.background.poll() {
            self.in_flight = self.in_flight.saturating_sub(1);
            match loaded {
                Loaded::Project { path, result: Ok(opened) } => {
                    let Opened { info, data, mut store, version, read_only, hub } = *opened;
                    store.on_wait(self.saves.wait_notice(ctx));
                    let millis = self.created.elapsed().as_millis() as u64;
                    tracing::info!(millis, "project loaded");
                    self.paint_pending = Some("first paint of the project");
                    self.ui.busy = None;
                    self.state.remember(&path);
                    let last = self.state.last_labeler.clone();
                    let me = data.labelers.iter().find(|l| Some(&l.name) == last.as_ref()).cloned();
                    // A read-only copy cannot take the others' changes in: it is not synced.
                    let hub = hub.filter(|_| read_only.is_none()).map(|link| HubSync::start(ctx, &link));
                    let store = Arc::new(Mutex::new(store));
                    let watch = Watch::start(&store, version, ctx.clone());
                    self.cancel_project_jobs();
                    self.project = Some(OpenProject {
                        path,
                        info: Some(info),
                        store,
                        labeling: Labeling::new(data),
                        session: None,
                        watch,
                        read_only,
                        quality: crate::ui::jobs::label_quality::LabelQualityState::new(ctx),
                        hub,
                    });
                    self.ui = Transient::default();
                    self.state.selection.forget_project();
                    self.analysis = None;
                    match (self.labeler_on_open.take(), me) {
                        // Created on the I/O thread if new; review opens when it answers. Sent
                        // before the analysis, whose preparation takes seconds on a big project:
                        // the I/O thread runs jobs in order, and review should not wait for it.
                        (Some(name), _) => {
                            self.apply(ctx, ReviewCommand::PickLabeler { name, role: Role::Labeler }.into())
                        }
                        (None, Some(me)) => self.start_session(ctx, me),
                        (None, None) => self.set_title(ctx),
                    }
                    self.load_analysis();
                }
                Loaded::Project { result: Err(e), .. } => {
                    self.labeler_on_open = None;
                    self.ui.busy = None;
                    self.error = Some(e);
                }
                Loaded::Data { seq, result: Ok(read) } => {
                    let (info, data) = *read;
                    if seq < self.last_edit_seq {
                        // Edits made after this read are not in it; read again after them.
                        self.reload();
                        continue;
                    }
                    self.refresh(info, data);
                    self.analysis_outdated();
                }
                Loaded::Data { result: Err(e), .. } => {
                    self.error = Some(e);
                }
                Loaded::Saved { result } => {
                    if let Some(reason) = self.saves.drained(result) {
                        // The edits stay on screen and in the queue, and are tried again.
                        self.error = Some(format!("Not saved yet: {reason}. Your changes are kept and saved again."));
                    }
                }
                Loaded::Written { result: Ok(()) } => {}
                Loaded::Written { result: Err(e) } => self.error = Some(format!("not saved: {e}")),
                Loaded::Panicked(panic) => {
                    self.ui.busy = None;
                    self.error = Some(format!("the I/O thread failed ({panic}); that work was not done"));
                }
                Loaded::Labeler { result: Ok((me, labelers)) } => {
                    if let Some(project) = &mut self.project {
                        project.labeling.data.labelers = labelers;
                    }
                    // The next new labeler starts from a blank form, as a plain labeler.
                    self.ui.labeler_field.clear();
                    self.ui.new_role = Role::Labeler;
                    self.labeler_for_analysis(me.id);
                    self.start_session(ctx, me);
                }
                Loaded::Labeler { result: Err(e) } => self.error = Some(e),
                Loaded::Analysis { generation, result } => {
                    if generation != self.analysis_generation {
                        continue;
                    }
                    self.ui.analysis.loading = false;
                    tracing::info!(millis = self.created.elapsed().as_millis() as u64, "analysis ready");
                    self.paint_pending = Some("first paint of the analysis");
                    match result {
                        Ok(mut data) => {
                            self.catch_up(&mut data);
                            self.analysis = Some(*data);
                            self.analysis_arrived();
                        }
                        Err(e) => self.error = Some(format!("cannot analyse the project: {e}")),
                    }
                }
                Loaded::Exported { result: Ok(path) } => self.ui.exported = path,
                Loaded::Exported { result: Err(e) } => self.error = Some(e),
                Loaded::Curate(loaded) => self.receive_curate(*loaded),
            }
        }
        match self.saves.retry_in() {
            Some(wait) if wait.is_zero() => self.drain_saves(),
            Some(wait) => ctx.request_repaint_after(wait),
            None => {}
        }
        self.poll_export();
        self.poll_augment(ctx);
        if self.images.poll(ctx) {
            ctx.request_repaint();
        }
        if let Some(outcome) = self.scoring.as_ref().and_then(ScoringJob::finished) {
            let cancelled = self.scoring.as_ref().is_some_and(ScoringJob::cancelled);
            let model = self.scoring.take().map(|job| job.model().to_owned());
            if outcome.as_ref().is_ok_and(|s| !s.cancelled && s.pairs_scored > 0) {
                // Show what was just scored (the analysis is loaded again below in any case).
                if let Some(model) = model {
                    self.state.selection.apply(SelectionChange::Model(model), None);
                }
            }
            self.scoring_outcome = Some(match outcome {
                Ok(s) => score_outcome(&s, cancelled),
                Err(e) => format!("Scoring stopped: {e}"),
            });
            // The reread's answer reads the analysis again too.
            self.reload();
        }
    }
}
