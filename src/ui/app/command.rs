use std::path::PathBuf;

use crate::ui::analysis::command::AnalysisCommand;
use crate::ui::analysis::selection::SelectionChange;
use crate::ui::app::screens::Screen;
use crate::ui::curate::state::CurateCommand;
use crate::ui::import::command::ImportCommand;
use crate::ui::monitor::command::MonitorCommand;
use crate::ui::review::command::ReviewCommand;

/// Everything a view can ask for. Views push commands; the app applies them after the frame
/// is drawn, so no view mutates shared state while others are still reading it.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    OpenProject(PathBuf),
    CreateProject(PathBuf),
    /// Ask for a project file to open (or a new one to create) in a file dialog.
    BrowseProject {
        create: bool,
    },
    /// Open the demo project, creating it first if this is the first run.
    OpenDemo,
    CloseProject,
    /// Reload everything shown about the open project from disk.
    Refresh,
    DismissError,
    /// Switch the central view (review, model, agreement, error analysis).
    ShowScreen(Screen),
    /// The analysis screens: selection, runs, exports, scoring.
    Analysis(AnalysisCommand),
    /// Splits, exports, merges (the Curate screen).
    Curate(CurateCommand),
    /// Labeling: the labeler, blind mode, verdicts, tags, notes, queues, adjudication.
    Review(ReviewCommand),
    /// Show or hide the developers' overlay: frame timings in the status bar (F12).
    ToggleDebugOverlay,
    /// Open or close the window that asks for the team hub's password.
    HubPasswordWindow(bool),
    /// Connect to the team hub with the password typed in that window.
    GiveHubPassword,
    /// The Import window.
    Import(ImportCommand),
    /// The Monitor window: a folder of new photos against the project's.
    Monitor(MonitorCommand),
}

impl From<MonitorCommand> for Command {
    fn from(command: MonitorCommand) -> Self {
        Command::Monitor(command)
    }
}

impl From<ImportCommand> for Command {
    fn from(command: ImportCommand) -> Self {
        Command::Import(command)
    }
}

impl From<CurateCommand> for Command {
    fn from(command: CurateCommand) -> Self {
        Command::Curate(command)
    }
}

impl From<ReviewCommand> for Command {
    fn from(command: ReviewCommand) -> Self {
        Command::Review(command)
    }
}

impl Command {
    /// Set the analysis threshold by hand (Review's field beside "Model errors"): the same
    /// command as the slider's.
    pub fn set_threshold(threshold: f64) -> Command {
        AnalysisCommand::Select(SelectionChange::Threshold(threshold)).into()
    }
}

impl From<AnalysisCommand> for Command {
    fn from(command: AnalysisCommand) -> Self {
        Command::Analysis(command)
    }
}
