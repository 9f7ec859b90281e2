//! The review feature: the labeler picker, the review screen (queues, the pair, adjudication)
//! and its windows (keys, note, tags). Views take what they draw and return [`command::ReviewCommand`]s;
//! the app applies them (`app/handle_review.rs`). Nothing here knows the app.

pub(in crate::ui) mod adjudication;
pub(in crate::ui) mod cheat_sheet;
pub(in crate::ui) mod command;
pub(in crate::ui) mod demo_intro;
pub(in crate::ui) mod keys;
pub(in crate::ui) mod labeler_picker;
pub(in crate::ui) mod labeling;
pub(in crate::ui) mod note_editor;
pub(in crate::ui) mod overview;
pub(in crate::ui) mod quality_queues;
pub(in crate::ui) mod queue_order;
pub(in crate::ui) mod queues;
pub(in crate::ui) mod session;
pub(in crate::ui) mod tag_editor;
pub(in crate::ui) mod view;
