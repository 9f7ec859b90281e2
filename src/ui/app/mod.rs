//! The app: its state, its frame and the handling of the commands views emit.

pub(in crate::ui) mod access;
pub(in crate::ui) mod analysis_edits;
pub(in crate::ui) mod analysis_screens;
pub(in crate::ui) mod background_results;
pub(in crate::ui) mod blind_badge;
pub(in crate::ui) mod blind_review;
pub(in crate::ui) mod command;
pub(in crate::ui) mod command_handling;
pub(in crate::ui) mod file_dialogs;
pub(in crate::ui) mod frame;
pub(in crate::ui) mod handle_analysis;
pub(in crate::ui) mod handle_augment;
pub(in crate::ui) mod handle_curate;
pub(in crate::ui) mod handle_import;
pub(in crate::ui) mod handle_monitor;
pub(in crate::ui) mod handle_review;
pub(in crate::ui) mod hub_password;
pub(in crate::ui) mod hub_sync;
pub(in crate::ui) mod label_quality;
pub(in crate::ui) mod loaded;
pub(in crate::ui) mod outside_changes;
pub(in crate::ui) mod review_keys;
pub(in crate::ui) mod review_screen;
pub(in crate::ui) mod save_queue;
pub(in crate::ui) mod score_outcome;
pub(in crate::ui) mod screen_keys;
pub(in crate::ui) mod screens;
pub(in crate::ui) mod state;
pub(in crate::ui) mod top_bar;
pub(in crate::ui) mod watch;
pub(in crate::ui) mod welcome;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::store::{Labeler, Origin, PairId, ProjectInfo, ReviewData, Store, StoreError};
use crate::ui::analysis::data::AnalysisData;
use crate::ui::app::command::Command;
use crate::ui::app::file_dialogs::{Dialogs, FileDialogs, SystemDialogs};
use crate::ui::app::save_queue::{Edit, SaveQueue};
use crate::ui::app::screens::Screen;
use crate::ui::jobs::background::Background;
use crate::ui::jobs::job::Jobs;
use crate::ui::review::labeling::{LabelEdit, QueueKind};
use crate::ui::review::session::Session;
use crate::ui::review::view as review;
use crate::ui::widgets::image_cache::ImageCache;

pub(in crate::ui) use loaded::*;
pub(in crate::ui) use state::*;
pub use state::{PageTurn, PairscopeApp, State};

impl PairscopeApp {
    pub fn new(cc: &eframe::CreationContext<'_>, project: Option<PathBuf>) -> Self {
        let state: State = cc.storage.and_then(|s| eframe::get_value(s, eframe::APP_KEY)).unwrap_or_default();
        let first_run = project.is_none() && !state.last_project.as_ref().is_some_and(|p| p.is_file());
        let mut app = Self::with_state(cc.egui_ctx.clone(), state, project);
        if first_run {
            app.commands.push(Command::OpenDemo);
        }
        app
    }

    /// The app without eframe storage (tests).
    pub fn with_state(ctx: egui::Context, state: State, project: Option<PathBuf>) -> Self {
        let wake = ctx.clone();
        let mut app = PairscopeApp {
            path_field: String::new(),
            background: Background::new(move || wake.request_repaint()),
            dialogs: Dialogs::new(ctx.clone(), Arc::new(SystemDialogs)),
            images: ImageCache::new(ctx),
            state,
            project: None,
            error: None,
            ui: Transient::default(),
            analysis: None,
            scoring: None,
            scoring_outcome: None,
            jobs: Jobs::default(),
            analysis_generation: 0,
            analysis_stale: false,
            analysis_edits: Vec::new(),
            last_frame_time: None,
            created: Instant::now(),
            paint_pending: None,
            commands: Vec::new(),
            in_flight: 0,
            seq: 0,
            last_edit_seq: 0,
            saves: SaveQueue::default(),
            frame: 0,
            frame_started: None,
            pending_turn: None,
            last_turn: None,
            labeler_on_open: None,
            import: None,
            monitor: None,
        };
        if let Some(path) = project.or_else(|| app.state.last_project.clone().filter(|p| p.is_file())) {
            app.commands.push(Command::OpenProject(path));
        }
        app
    }

    /// Opens the project straight into review as this labeler, created if the project does not
    /// know them yet (`pairscope gui P --labeler NAME`).
    pub fn labeling_as(mut self, labeler: Option<String>) -> Self {
        self.labeler_on_open = labeler;
        self
    }

    /// Answers file dialogs with these instead of the desktop's (tests).
    pub fn with_file_dialogs(mut self, dialogs: Arc<dyn FileDialogs>) -> Self {
        self.dialogs.replace(dialogs);
        self
    }

    /// No work is waiting on the I/O thread, a dialog or a job (a closed project's too, until
    /// it has stopped): everything the user did is on disk.
    pub fn is_idle(&self) -> bool {
        self.in_flight == 0
            && self.saves.len() == 0
            && self.commands.is_empty()
            && !self.dialogs.waiting()
            && !self.import.as_ref().is_some_and(|f| f.busy())
            && !self.monitor.as_ref().is_some_and(|f| f.busy())
            && !self.jobs.busy()
            && !self.project.as_ref().is_some_and(|p| p.quality.busy())
            && !self.project.as_ref().and_then(|p| p.hub.as_ref()).is_some_and(|h| h.syncing())
    }

    /// Photos being decoded (the pair on screen and the prefetched ones).
    pub fn images_loading(&self) -> usize {
        self.images.loading()
    }

    /// How far the photos are zoomed in (1 = fitted).
    pub fn zoom_scale(&self) -> f32 {
        self.ui.zoom.scale
    }

    /// The last page turn, once the new pair was drawn.
    pub fn last_page_turn(&self) -> Option<PageTurn> {
        self.last_turn
    }

    /// The labeler at work, if any.
    pub fn labeler(&self) -> Option<&str> {
        self.project.as_ref()?.session.as_ref().map(|s| s.me.name.as_str())
    }

    /// The pair on screen, if any.
    pub fn current_pair(&self) -> Option<PairId> {
        self.project.as_ref()?.session.as_ref()?.current()
    }

    /// The pairs of the review queue, in the order the labeler walks them.
    pub fn queue_pairs(&self) -> Vec<PairId> {
        self.project.as_ref().and_then(|p| p.session.as_ref()).map(|s| s.order.clone()).unwrap_or_default()
    }

    /// The screen shown.
    pub fn screen(&self) -> Screen {
        self.ui.screen
    }

    /// How many times the analysis was read and prepared from the project (label edits made in
    /// this window update it in place instead).
    pub fn analysis_loads(&self) -> u64 {
        self.analysis_generation
    }

    /// Whether the analysis screens have their data (prepared on the I/O thread).
    pub fn analysis_ready(&self) -> bool {
        self.analysis.is_some() && !self.ui.analysis.loading
    }

    /// Saved runs of the open project, as the screens last read them.
    pub fn run_names(&self) -> Vec<String> {
        self.analysis.as_ref().map(|a| a.runs.iter().map(|r| r.name.clone()).collect()).unwrap_or_default()
    }

    /// The pairs the error browser shows, in its order (None when it is closed).
    pub fn error_browser_pairs(&self) -> Option<Vec<PairId>> {
        let key = self.ui.analysis.browsing.as_ref()?;
        let data = self.analysis.as_ref()?;
        let threshold = self.state.selection.threshold;
        Some(data.slice_errors(key, threshold).into_iter().map(|i| data.pair_ids[i as usize]).collect())
    }

    /// How many times the analysis screens computed their tables, an error list or a
    /// suggestion list since the window opened: once per change, not once per frame.
    pub fn analysis_computations(&self) -> crate::ui::Computations {
        self.ui.analysis.computations
    }

    /// Names the analysis data on screen: it changes whenever the data is loaded or updated.
    pub fn analysis_data_generation(&self) -> Option<u64> {
        self.analysis.as_ref().map(|a| a.generation)
    }

    /// What the last "Score project" did, once it finished.
    pub fn scoring_outcome(&self) -> Option<&str> {
        if self.scoring.is_some() { None } else { self.scoring_outcome.as_deref() }
    }

    /// Photos suggested for `tag` on the Error analysis screen, in the list's order, each with
    /// the pairs it is suggested for.
    pub fn suggested_photos(&self, tag: &str) -> Vec<crate::ui::ListedPhoto> {
        let Some(data) = &self.analysis else { return Vec::new() };
        let project = self.project.as_ref();
        let me = project.and_then(|p| p.session.as_ref()).map(|s| s.me.id);
        let labeling = project.map(|p| &p.labeling);
        crate::ui::analysis::suggestions::listed(data, &self.ui.analysis, labeling, me, tag)
    }

    /// Pairs suggested for `tag` on the Error analysis screen: the listed photos' pairs, each
    /// once, in the list's order.
    pub fn suggested_pairs(&self, tag: &str) -> Vec<PairId> {
        let mut seen = std::collections::HashSet::new();
        self.suggested_photos(tag).into_iter().flat_map(|p| p.pairs).filter(|p| seen.insert(*p)).collect()
    }

    /// CPU time of the last frame's `ui()` pass.
    pub fn last_frame_time(&self) -> Option<Duration> {
        self.last_frame_time
    }

    pub(in crate::ui) fn push(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// Queues a command as if a view had emitted it: it is applied at the end of the next frame,
    /// with the commands of that frame. A test or a script replays a session this way.
    pub fn push_command(&mut self, command: impl Into<Command>) {
        self.push(command.into());
    }

    /// At the end of a frame: applies the commands queued in it, in order, then lets the review
    /// queue follow blind mode.
    pub(in crate::ui) fn apply_commands(&mut self, ctx: &egui::Context) {
        for command in std::mem::take(&mut self.commands) {
            self.apply(ctx, command);
        }
        self.follow_blind_mode();
    }

    /// What the status line says about saving (and whether it is a problem): "All changes
    /// saved" only once every edit has committed.
    pub(in crate::ui) fn save_status(&self) -> (String, bool) {
        self.saves.status()
    }

    /// Edits shown on screen but not yet committed to the project file.
    pub fn unsaved_edits(&self) -> usize {
        self.saves.len()
    }

    /// Test hook: the next save panics on the I/O thread in the middle of its transaction.
    #[doc(hidden)]
    pub fn panic_in_next_save(&mut self) {
        self.saves.panic_in_next_save();
    }

    pub(in crate::ui) fn spawn(&mut self, job: impl FnOnce() -> Loaded + Send + 'static) -> u64 {
        self.spawn_or(job, Loaded::Panicked)
    }

    /// [`spawn`](Self::spawn), answering `if_panics(message)` should the job panic.
    pub(in crate::ui) fn spawn_or(
        &mut self,
        job: impl FnOnce() -> Loaded + Send + 'static,
        if_panics: impl FnOnce(String) -> Loaded + Send + 'static,
    ) -> u64 {
        self.in_flight += 1;
        self.seq += 1;
        self.background.spawn(job, if_panics);
        self.seq
    }

    /// On a project open to read only, says on screen that the change asked for was not made,
    /// and returns true: an edit that could never be saved is refused, not shown and lost.
    pub(in crate::ui) fn refused_read_only(&mut self) -> bool {
        let Some(why) = self.project.as_ref().and_then(|p| p.read_only.as_deref()) else { return false };
        self.error = Some(format!("read-only: this change was not made ({why})"));
        true
    }

    /// Queues an edit (already shown on screen) for saving in its own transaction.
    pub(in crate::ui) fn queue_save(&mut self, edit: Edit) {
        if self.refused_read_only() {
            return;
        }
        let Some(project) = &self.project else { return };
        self.saves.push(&project.store, edit);
        self.drain_saves();
    }

    /// Sends the I/O thread to write every queued edit, in order.
    pub(in crate::ui) fn drain_saves(&mut self) {
        let (job, if_panics) = self.saves.drain_job();
        // Reads sent before this job may miss the edits; reads sent after it see them.
        self.last_edit_seq = self.spawn_or(job, if_panics);
    }

    pub(in crate::ui) fn load(&mut self, path: PathBuf, create: bool) {
        // A big project takes seconds to read: say so instead of a start screen that seems idle.
        let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        self.ui.busy = Some(if create { format!("Creating {name}…") } else { format!("Opening {name}…") });
        self.spawn(move || {
            let result = (|| {
                let store = if create { Store::create(&path)? } else { Store::open_to_edit_or_read(&path)? };
                read_opened(store)
            })()
            .map_err(|e| e.to_string());
            Loaded::Project { path, result }
        });
    }

    /// Reads and prepares the analysis on the I/O thread (after the writes queued so far).
    pub(in crate::ui) fn load_analysis(&mut self) {
        let Some(project) = &self.project else { return };
        let store = project.store.clone();
        let model = self.state.selection.model.clone();
        self.analysis_generation += 1;
        let generation = self.analysis_generation;
        self.ui.analysis.loading = true;
        self.analysis_stale = false;
        self.analysis_edits.clear();
        self.spawn(move || Loaded::Analysis {
            generation,
            result: AnalysisData::load(&mut lock(&store), model.as_deref()).map(Box::new),
        });
    }

    /// Re-reads the project after the writes queued so far.
    pub(in crate::ui) fn reload(&mut self) {
        let Some(project) = &self.project else { return };
        let store = project.store.clone();
        let seq = self.seq + 1;
        self.spawn(move || Loaded::Data {
            seq,
            result: read_all(&mut lock(&store)).map(Box::new).map_err(|e| e.to_string()),
        });
    }

    /// Runs a write that changes more than labels, then re-reads the project.
    pub(in crate::ui) fn write_and_reload(
        &mut self,
        write: impl FnOnce(&mut Store) -> Result<(), StoreError> + Send + 'static,
    ) {
        if self.refused_read_only() {
            return;
        }
        let Some(project) = &self.project else { return };
        let store = project.store.clone();
        let seq = self.seq + 1;
        self.spawn(move || {
            let mut store = lock(&store);
            let result = write(&mut store).and_then(|()| read_all(&mut store)).map(Box::new).map_err(|e| e.to_string());
            Loaded::Data { seq, result }
        });
    }

    /// Shows a label edit at once and saves it in its own transaction on the I/O thread.
    pub(in crate::ui) fn save(&mut self, edit: LabelEdit, origin: Origin<'static>) {
        self.save_timed(edit, origin, None);
    }

    /// [`PairscopeApp::save`] of a verdict given `elapsed_ms` after its pair was shown.
    pub(in crate::ui) fn save_timed(&mut self, edit: LabelEdit, origin: Origin<'static>, elapsed_ms: Option<u64>) {
        let blind = self.label_is_blind(edit.pair(), edit.labeler());
        let Some(project) = &mut self.project else { return };
        project.labeling.apply(&edit);
        self.show_in_analysis(&edit, blind);
        self.queue_save(Edit::Label { edit, origin, blind, elapsed_ms });
    }

    pub(in crate::ui) fn start_session(&mut self, ctx: &egui::Context, me: Labeler) {
        let Some(project) = &mut self.project else { return };
        self.state.last_labeler = Some(me.name.clone());
        // Labelers always work blind; adjudicators and engineers start seeing everyone's work
        // (and may turn blind mode on to label blind themselves).
        self.state.blind = !me.role.may_unblind();
        project.session = Some(Session::new(me, &project.labeling, self.state.blind));
        self.ui.zoom = review::Zoom::default();
        self.ui.show_overview = false;
        self.enforce_access();
        self.set_title(ctx);
    }

    pub(in crate::ui) fn set_title(&self, ctx: &egui::Context) {
        let title = match &self.project {
            Some(p) => {
                let name = p.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                match &p.session {
                    Some(s) => format!("{name} — {} — pairscope", s.me.name),
                    None => format!("{name} — pairscope"),
                }
            }
            None => "pairscope".into(),
        };
        ctx.send_viewport_cmd(egui::ViewportCommand::Title(title));
    }

    pub(in crate::ui) fn refresh(&mut self, info: ProjectInfo, data: ReviewData) {
        let Some(project) = &mut self.project else { return };
        project.info = Some(info);
        if let Some(session) = &mut project.session
            && let Some(me) = data.labelers.iter().find(|l| l.id == session.me.id)
        {
            session.me = me.clone();
        }
        project.labeling.replace(data);
        // Edits not committed yet are not in what was read: keep showing them.
        for edit in self.saves.pending_for(&project.store) {
            edit.show(&mut project.labeling);
        }
        // The hub assigns more as the labeler goes: the queue grows under them.
        if let Some(session) = &mut project.session
            && session.queue == QueueKind::MyAssignments
        {
            let blind = self.state.blind;
            session.append_new(project.labeling.queue(QueueKind::MyAssignments, session.me.id, f64::NAN, blind));
        }
        // A role may have changed, here or in another pairscope.
        self.enforce_access();
        let Some(project) = &mut self.project else { return };
        if let Some(editor) = &mut self.ui.tag_editor {
            editor.reset(&project.labeling.data.tags);
        }
    }

    /// The photos to keep decoded: the current pair first, then the next few and the previous ones.
    pub(in crate::ui) fn prefetch(&mut self, ctx: &egui::Context) {
        let Some(project) = &self.project else { return };
        let Some(session) = &project.session else { return };
        let mut paths = Vec::new();
        let offsets: [isize; 6] = [0, 1, -1, 2, 3, -2];
        for offset in offsets {
            let i = session.cursor as isize + offset;
            if i < 0 {
                continue;
            }
            if let Some(pair) = session.order.get(i as usize).and_then(|&id| project.labeling.pair(id)) {
                paths.push(pair.a.path.clone());
                paths.push(pair.b.path.clone());
            }
        }
        self.images.want(&paths, crate::ui::widgets::image_cache::review_side(ctx));
    }

    /// Called by the review view once both photos of the pair on screen are drawn.
    pub(in crate::ui) fn drawn(&mut self, pair: PairId) {
        if let Some(turn) = &self.pending_turn
            && turn.pair == pair
        {
            let shown = PageTurn { frames: self.frame - turn.frame, elapsed: turn.started.elapsed() };
            tracing::info!(frames = shown.frames, micros = shown.elapsed.as_micros() as u64, "page turn drawn");
            self.last_turn = Some(shown);
            self.pending_turn = None;
        }
    }

    pub(in crate::ui) fn dropped_project(ctx: &egui::Context) -> Option<PathBuf> {
        ctx.input(|i| i.raw.dropped_files.iter().map(|f| f.path().to_owned()).find(|p| p.is_file()))
    }
}
