use std::path::PathBuf;

use crate::domain::Truth;
use crate::store::{LabelerId, PairId, Role, TagId};
use crate::ui::analysis::command::AnalysisCommand;
use crate::ui::analysis::selection::SelectionChange;
use crate::ui::app::screens::Screen;
use crate::ui::curate::state::CurateCommand;
use crate::ui::review::labeling::QueueKind;

/// Where a page turn goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nav {
    Previous,
    Next,
    /// The next pair in the queue without my verdict (wrapping around).
    NextUnlabeled,
    /// A position in the queue.
    To(usize),
}

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
    /// Label as this labeler, creating them with this role when new (an existing labeler keeps
    /// their role).
    PickLabeler {
        name: String,
        role: Role,
    },
    /// Turn blind mode on or off (off only for roles that may see the answers).
    SetBlind(bool),
    SetRole(LabelerId, Role),
    SwitchLabeler,
    SetVerdict {
        pair: PairId,
        verdict: Truth,
    },
    ToggleTag {
        pair: PairId,
        tag: TagId,
    },
    Undo,
    Redo,
    Go(Nav),
    /// Show the answer on this pair now (the reveal key): truth, model score, others' work and
    /// file names. Labels given after it count as not blind.
    Reveal(PairId),
    SelectQueue(QueueKind),
    SaveNote {
        pair: PairId,
        text: String,
    },
    Adjudicate {
        pair: PairId,
        verdict: Option<Truth>,
        tags: Vec<String>,
        reason: String,
        correct_truth: bool,
    },
    EditTag {
        tag: TagId,
        name: String,
        description: String,
        colour: String,
        hotkey: Option<u8>,
    },
    MergeTags {
        from: TagId,
        into: TagId,
    },
    CreateTag(String),
    /// Switch the central view (review, model, agreement, error analysis).
    ShowScreen(Screen),
    /// The analysis screens: selection, runs, exports, scoring.
    Analysis(AnalysisCommand),
    /// Splits, exports, merges (the Curate screen).
    Curate(CurateCommand),
}

impl From<CurateCommand> for Command {
    fn from(command: CurateCommand) -> Self {
        Command::Curate(command)
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
