//! What the app holds: what survives a restart, the open project, results of background work,
//! and view state that does not outlive the window.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::store::{PairId, ProjectInfo, Role, Store};
use crate::ui::analysis::data::AnalysisData;
use crate::ui::analysis::model_picker;
use crate::ui::analysis::selection::AnalysisSelection;
use crate::ui::analysis::view_state::AnalysisUi;
use crate::ui::app::command::Command;
use crate::ui::app::file_dialogs::Dialogs;
use crate::ui::app::loaded::Loaded;
use crate::ui::app::save_queue::SaveQueue;
use crate::ui::app::screens::Screen;
use crate::ui::app::watch::Watch;
use crate::ui::curate::state::CurateUi;
use crate::ui::jobs::background::Background;
use crate::ui::jobs::job::Jobs;
use crate::ui::jobs::scoring::ScoringJob;
use crate::ui::review::adjudication;
use crate::ui::review::labeling::Labeling;
use crate::ui::review::note_editor;
use crate::ui::review::queues;
use crate::ui::review::session::Session;
use crate::ui::review::tag_editor;
use crate::ui::review::view as review;
use crate::ui::widgets::image_cache::ImageCache;

const MAX_RECENT: usize = 8;

/// What survives a restart (eframe storage).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    pub recent_projects: Vec<PathBuf>,
    pub last_project: Option<PathBuf>,
    pub last_labeler: Option<String>,
    /// Hide truth, score and others' work on a pair until I have given my verdict.
    pub blind: bool,
    /// The model and threshold of the analysis, "Model errors" and the exports (only the
    /// threshold survives a restart, stored under its old name).
    #[serde(rename = "threshold", with = "crate::ui::analysis::selection::as_threshold")]
    pub selection: AnalysisSelection,
    /// Slices with fewer evaluable pairs are not ranked (`report --min-support`).
    pub min_support: u64,
    /// The demo's introduction was read ("Got it"): it is not shown again.
    pub demo_intro_dismissed: bool,
}

impl Default for State {
    fn default() -> Self {
        State {
            recent_projects: Vec::new(),
            last_project: None,
            last_labeler: None,
            blind: true,
            selection: AnalysisSelection::default(),
            min_support: crate::analysis::DEFAULT_MIN_SUPPORT,
            demo_intro_dismissed: false,
        }
    }
}

impl State {
    pub(in crate::ui) fn remember(&mut self, path: &Path) {
        self.recent_projects.retain(|p| p != path);
        self.recent_projects.insert(0, path.to_owned());
        self.recent_projects.truncate(MAX_RECENT);
        self.last_project = Some(path.to_owned());
    }
}

pub(in crate::ui) struct OpenProject {
    pub path: PathBuf,
    /// None while the first load is in flight.
    pub info: Option<ProjectInfo>,
    pub store: Arc<Mutex<Store>>,
    pub labeling: Labeling,
    pub session: Option<Session>,
    /// Tells when another process changed the project.
    pub watch: Watch,
    /// Why the project cannot be written ("cannot write to PATH: the file is read-only"), if it
    /// cannot: it is open to read only, shown in a banner, and every edit is refused.
    pub read_only: Option<String>,
    /// Label quality, computed again after the labels change.
    pub quality: crate::ui::jobs::label_quality::LabelQualityState,
    /// The team hub this project is a copy of, kept in sync while it is open.
    pub hub: Option<crate::ui::jobs::hub_sync::HubSync>,
}

pub use crate::ui::review::view::PageTurn;

pub(in crate::ui) struct PendingTurn {
    pub(in crate::ui) pair: PairId,
    pub(in crate::ui) frame: u64,
    pub(in crate::ui) started: Instant,
}

/// View state that does not outlive the window.
#[derive(Default)]
pub(in crate::ui) struct Transient {
    pub labeler_field: String,
    /// The role a new labeler gets.
    pub new_role: Role,
    pub cheat_sheet: bool,
    pub note: Option<note_editor::NoteDraft>,
    pub tag_editor: Option<tag_editor::TagEditor>,
    pub adjudication: Option<adjudication::Draft>,
    pub zoom: review::Zoom,
    pub show_overview: bool,
    /// The developers' overlay (F12): frame timings in the status bar.
    pub debug_overlay: bool,
    pub queue_counts: Option<queues::Counts>,
    /// Long work the welcome screen is waiting for (e.g. building the demo on first run).
    pub busy: Option<String>,
    pub screen: Screen,
    pub analysis: AnalysisUi,
    /// Where the last CSV export went.
    pub exported: Option<PathBuf>,
    pub curate: CurateUi,
    /// The spec dialog of another model, while open.
    pub model_picker: Option<model_picker::ModelPicker>,
}

pub struct PairscopeApp {
    pub state: State,
    pub(in crate::ui) project: Option<OpenProject>,
    pub(in crate::ui) error: Option<String>,
    pub(in crate::ui) path_field: String,
    pub(in crate::ui) ui: Transient,
    pub(in crate::ui) images: ImageCache,
    /// The analysis of the open project (None until the I/O thread has prepared it).
    pub(in crate::ui) analysis: Option<AnalysisData>,
    /// The built-in model scoring the project, if running.
    pub(in crate::ui) scoring: Option<ScoringJob>,
    /// What the last scoring run did (or why it stopped).
    pub(in crate::ui) scoring_outcome: Option<String>,
    /// Every job running (scoring, export), those of a closed project too until they stop.
    pub(in crate::ui) jobs: Jobs,
    /// Requests for analysis data sent; only the newest answer is kept.
    pub(in crate::ui) analysis_generation: u64,
    /// The project changed while no analysis screen showed: read it when one opens.
    pub(in crate::ui) analysis_stale: bool,
    /// Label edits (and whether blind) made while the analysis is being read again.
    pub(in crate::ui) analysis_edits: Vec<(crate::ui::review::labeling::LabelEdit, bool)>,
    /// CPU time of the last `ui()` pass.
    pub(in crate::ui) last_frame_time: Option<Duration>,
    /// When the app was created (for the time to first paint).
    pub(in crate::ui) created: Instant,
    /// What arrived and is drawn at the end of this frame (logged with the time since start).
    pub(in crate::ui) paint_pending: Option<&'static str>,
    pub(in crate::ui) commands: Vec<Command>,
    pub(in crate::ui) dialogs: Dialogs,
    pub(in crate::ui) background: Background<Loaded>,
    /// Jobs sent to the I/O thread whose result has not come back yet.
    pub(in crate::ui) in_flight: usize,
    pub(in crate::ui) seq: u64,
    /// The seq of the last label edit sent for saving; reloads older than it are stale.
    pub(in crate::ui) last_edit_seq: u64,
    /// Edits shown but not yet committed.
    pub(in crate::ui) saves: SaveQueue,
    pub(in crate::ui) frame: u64,
    pub(in crate::ui) frame_started: Option<Instant>,
    pub(in crate::ui) pending_turn: Option<PendingTurn>,
    pub(in crate::ui) last_turn: Option<PageTurn>,
    /// Open the next project straight into review as this labeler (`gui --labeler`).
    pub(in crate::ui) labeler_on_open: Option<String>,
    /// The Import window, while open (it outlives the project it imported into).
    pub(in crate::ui) import: Option<crate::ui::import::form::ImportForm>,
    /// The Monitor window, while open (closed with its project).
    pub(in crate::ui) monitor: Option<crate::ui::monitor::form::MonitorForm>,
}
