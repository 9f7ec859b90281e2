//! What the review side (the labeler picker, the review screen, its windows) asks of the app.
//! Views return these; the app applies them at the end of the frame (`app/handle_review.rs`),
//! so a test or a script can replay a review session from a list of commands.

use crate::domain::Truth;
use crate::store::{LabelerId, PairId, Role, TagId};
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

#[derive(Clone, Debug, PartialEq)]
pub enum ReviewCommand {
    /// Hide the demo's introduction for good.
    DismissDemoIntro,
    /// Label as this labeler, creating them with this role when new (an existing labeler keeps
    /// their role).
    PickLabeler {
        name: String,
        role: Role,
    },
    SetRole(LabelerId, Role),
    /// Back to the labeler picker.
    SwitchLabeler,
    /// Turn blind mode on or off (off only for roles that may see the answers).
    SetBlind(bool),
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
    /// Mark the pair as gold, or unmark it if it is (adjudicators; the G key).
    ToggleGold(PairId),
    /// Pin the pair as a positive (`Some(true)`) or negative example of a tag, or unpin it
    /// (adjudicators).
    PinTagExample {
        tag: TagId,
        pair: PairId,
        positive: Option<bool>,
    },
    /// Open the note editor on this pair (the review keys stop while it is open).
    OpenNote(PairId),
    /// Close the note editor without saving.
    CloseNote,
    /// Save the note (an empty one removes it) and close the note editor.
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
    /// Open the tag editor ("Tags…") on the tags as they are now.
    OpenTagEditor,
    CloseTagEditor,
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
    /// Show the project overview over the review screen (true) or go back to the pair (false).
    ShowOverview(bool),
    /// The `?` sheet of keys.
    ToggleCheatSheet,
    CloseCheatSheet,
    /// Back to the photos fitted, unpanned.
    ResetZoom,
}
