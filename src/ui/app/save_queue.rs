//! Edits on their way to the project file. The review screen shows an edit at once; the edit
//! waits here, in the order it was made, until its transaction has committed on the I/O
//! thread. Only then does it count as saved. A save that fails (an error, a panic on the I/O
//! thread, a file that cannot be written) keeps its edit and every later one, in order, and
//! is tried again with a growing pause, while the status line says what is wrong. A save
//! that waits for another pairscope to finish writing waits on the I/O thread, never in a
//! frame.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::store::{LabelerId, Origin, PairId, RevealHow, Store, StoreError, WAITING_MESSAGE, Waiting};
use crate::ui::app::loaded::{Loaded, lock};
use crate::ui::review::labeling::{LabelEdit, Labeling};

/// The first pause before trying a failed save again; it doubles up to [`MAX_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(500);
const MAX_PAUSE: Duration = Duration::from_secs(30);

/// One user action to write, in its own transaction.
#[derive(Clone, Debug)]
pub(in crate::ui) enum Edit {
    /// `blind`: whether the labeler made it without the answer in view.
    Label {
        edit: LabelEdit,
        origin: Origin<'static>,
        blind: bool,
        /// For a verdict: the time from the pair shown to it.
        elapsed_ms: Option<u64>,
    },
    /// The answer on a pair was shown to the labeler (blind review).
    Reveal {
        pair: PairId,
        labeler: LabelerId,
        how: RevealHow,
    },
    Note {
        pair: PairId,
        labeler: LabelerId,
        text: String,
    },
    RejectSuggestions {
        pairs: Vec<PairId>,
        tag: String,
        labeler: Option<LabelerId>,
    },
}

impl Edit {
    fn write(&self, store: &mut Store, panic_inside: bool) -> Result<(), StoreError> {
        store.write(|tx| {
            match self {
                Edit::Label { edit, origin, blind, elapsed_ms } => {
                    match *edit {
                        LabelEdit::Verdict { pair, labeler, after, .. } => {
                            tx.set_verdict_marked(pair, labeler, after, *blind, *origin)?;
                            if let (Some(ms), Some(_)) = (elapsed_ms, after) {
                                tx.set_verdict_elapsed(pair, labeler, *ms)?;
                            }
                        }
                        LabelEdit::Tag { pair, labeler, tag, applied } => {
                            tx.set_pair_tag_marked(pair, labeler, tag, applied, *blind, *origin)?;
                        }
                    };
                }
                Edit::Reveal { pair, labeler, how } => {
                    tx.reveal(*pair, *labeler, *how, Origin::Gui)?;
                }
                Edit::Note { pair, labeler, text } => tx.set_note(*pair, *labeler, text, Origin::Gui)?,
                Edit::RejectSuggestions { pairs, tag, labeler } => {
                    pairs.iter().try_for_each(|&pair| tx.reject_suggestion(pair, tag, *labeler))?
                }
            }
            // The test hook: a panic in the middle of the transaction, after its writes.
            assert!(!panic_inside, "injected panic in a save (PairscopeApp::panic_in_next_save)");
            Ok(())
        })
    }

    /// Shows the edit in the labels held in memory (again, after a read that predates it).
    pub(in crate::ui) fn show(&self, labeling: &mut Labeling) {
        match self {
            Edit::Label { edit, .. } => labeling.apply(edit),
            Edit::Note { pair, labeler, text } if text.trim().is_empty() => {
                labeling.data.notes.remove(&(*pair, *labeler));
            }
            Edit::Note { pair, labeler, text } => {
                labeling.data.notes.insert((*pair, *labeler), text.clone());
            }
            Edit::Reveal { pair, labeler, how } => {
                labeling.note_reveal(*pair, *labeler, *how);
            }
            Edit::RejectSuggestions { .. } => {}
        }
    }
}

/// An edit and the project it belongs to (it is saved there even if that project was closed
/// meanwhile).
type Pending = VecDeque<(Arc<Mutex<Store>>, Edit)>;

/// Why the last save failed, and when to try again.
struct Failure {
    reason: String,
    retry_at: Instant,
    pause: Duration,
}

#[derive(Default)]
pub(in crate::ui) struct SaveQueue {
    /// Not yet committed, oldest first. The I/O thread removes an edit only after its commit.
    pending: Arc<Mutex<Pending>>,
    /// Set while a save waits for another writer to finish.
    waiting: Arc<AtomicBool>,
    /// Makes the next save panic inside its transaction (tests).
    panic_next: Arc<AtomicBool>,
    failure: Option<Failure>,
    /// Drain jobs sent to the I/O thread and not answered yet.
    drains: usize,
}

fn guard(pending: &Mutex<Pending>) -> MutexGuard<'_, Pending> {
    // Held only to look at or take the front, never across a write.
    pending.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl SaveQueue {
    /// Edits not yet committed.
    pub(in crate::ui) fn len(&self) -> usize {
        guard(&self.pending).len()
    }

    /// The edits not yet committed to `store`, oldest first.
    pub(in crate::ui) fn pending_for(&self, store: &Arc<Mutex<Store>>) -> Vec<Edit> {
        guard(&self.pending).iter().filter(|(s, _)| Arc::ptr_eq(s, store)).map(|(_, e)| e.clone()).collect()
    }

    pub(in crate::ui) fn push(&mut self, store: &Arc<Mutex<Store>>, edit: Edit) {
        guard(&self.pending).push_back((store.clone(), edit));
    }

    /// A job for the I/O thread that writes the pending edits in order, each in its own
    /// transaction, and stops at the first that fails; and its answer should it panic.
    pub(in crate::ui) fn drain_job(
        &mut self,
    ) -> (impl FnOnce() -> Loaded + Send + 'static, impl FnOnce(String) -> Loaded + Send + 'static) {
        self.drains += 1;
        let (pending, panic_next) = (self.pending.clone(), self.panic_next.clone());
        let job = move || {
            let result = loop {
                let Some((store, edit)) = guard(&pending).front().cloned() else { break Ok(()) };
                let panic_inside = panic_next.swap(false, Ordering::SeqCst);
                if let Err(e) = edit.write(&mut lock(&store), panic_inside) {
                    break Err(e.to_string());
                }
                // Only the I/O thread takes from the front, so this is the edit just written.
                guard(&pending).pop_front();
            };
            Loaded::Saved { result }
        };
        let if_panics = |panic: String| Loaded::Saved { result: Err(format!("the I/O thread failed ({panic})")) };
        (job, if_panics)
    }

    /// Takes in a drain job's answer. Returns the reason when a save failed.
    pub(in crate::ui) fn drained(&mut self, result: Result<(), String>) -> Option<String> {
        self.drains = self.drains.saturating_sub(1);
        match result {
            Ok(()) => {
                if self.len() == 0 {
                    self.failure = None;
                }
                None
            }
            Err(reason) => {
                let pause = self.failure.as_ref().map_or(FIRST_PAUSE, |f| (f.pause * 2).min(MAX_PAUSE));
                tracing::warn!(pending = self.len(), "a save failed; trying again in {pause:?}: {reason}");
                self.failure = Some(Failure { reason: reason.clone(), retry_at: Instant::now() + pause, pause });
                Some(reason)
            }
        }
    }

    /// How long until a failed save is due to be tried again (zero: now); None when nothing
    /// waits for a retry.
    pub(in crate::ui) fn retry_in(&self) -> Option<Duration> {
        let failure = self.failure.as_ref()?;
        (self.drains == 0 && self.len() > 0).then(|| failure.retry_at.saturating_duration_since(Instant::now()))
    }

    /// What the status line says about saving, and whether it is a problem.
    pub(in crate::ui) fn status(&self) -> (String, bool) {
        let n = self.len();
        if n == 0 {
            return ("All changes saved".into(), false);
        }
        if self.waiting.load(Ordering::Relaxed) {
            return (WAITING_MESSAGE.into(), false);
        }
        match &self.failure {
            Some(f) => {
                let changes = if n == 1 { "1 change".to_owned() } else { format!("{n} changes") };
                (format!("{changes} not saved yet: {} — retrying", f.reason), true)
            }
            None => ("Saving...".into(), false),
        }
    }

    /// The notice for a project's store: the status line says when its saves wait.
    pub(in crate::ui) fn wait_notice(&self, ctx: &egui::Context) -> impl Fn(Waiting) + Send + Sync + 'static {
        let (waiting, ctx) = (self.waiting.clone(), ctx.clone());
        move |w| {
            waiting.store(w == Waiting::Started, Ordering::Relaxed);
            ctx.request_repaint();
        }
    }

    pub(in crate::ui) fn panic_in_next_save(&self) {
        self.panic_next.store(true, Ordering::SeqCst);
    }
}
