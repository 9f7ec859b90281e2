//! One labeler at work: the queue they walk through, where they are in it, and what they can
//! undo. Pure state: saving is the app's job.

use crate::store::{Labeler, PairId};
use crate::ui::review::command::Nav;
use crate::ui::review::labeling::{LabelEdit, Labeling, QueueKind};

/// How long the status bar shows an acknowledgement such as "Undone.".
pub(in crate::ui) const ACKNOWLEDGED_FOR: std::time::Duration = std::time::Duration::from_secs(3);

/// The errors of one slice, handed over by the error browser in its order (most wrong first).
pub(in crate::ui) struct SliceErrors {
    /// The slice as a reader names it: "tag dark", "tags dark + blurry", "camera = phone".
    pub slice: String,
    pub pairs: Vec<PairId>,
}

impl SliceErrors {
    pub fn title(&self) -> String {
        format!("Errors of {}", self.slice)
    }
}

pub(in crate::ui) struct Session {
    pub me: Labeler,
    pub queue: QueueKind,
    /// The queue's pairs, fixed when the queue was chosen, so labeling a pair does not pull
    /// it out from under the labeler (counts in the panel stay live).
    pub order: Vec<PairId>,
    pub cursor: usize,
    /// Whether `order` is the blind-mode shuffle (else the project's order).
    shuffled: bool,
    undo: Vec<LabelEdit>,
    redo: Vec<LabelEdit>,
    /// Shown in the status line (e.g. "Nothing to undo").
    pub notice: Option<String>,
    /// An acknowledgement ("Undone.") and when it was given: shown for [`ACKNOWLEDGED_FOR`],
    /// so it never outlives what it answered.
    acknowledged: Option<(&'static str, std::time::Instant)>,
    /// The last slice opened from the error browser: the queue [`QueueKind::SliceErrors`].
    pub slice_errors: Option<SliceErrors>,
    /// The pair on screen and when it was first drawn: a verdict's time is measured from it.
    shown: Option<(PairId, std::time::Instant)>,
}

impl Session {
    /// Starts on all pairs (in my shuffled order in blind mode), at the first one without my
    /// verdict.
    pub fn new(me: Labeler, labeling: &Labeling, blind: bool) -> Self {
        // All pairs needs no threshold; blind, its order mixes in the gold pairs.
        let order = labeling.queue(QueueKind::All, me.id, f64::NAN, blind);
        let cursor = order.iter().position(|&p| labeling.verdict(p, me.id).is_none()).unwrap_or(0);
        Session {
            me,
            queue: QueueKind::All,
            order,
            cursor,
            shuffled: blind,
            undo: Vec::new(),
            redo: Vec::new(),
            notice: None,
            acknowledged: None,
            slice_errors: None,
            shown: None,
        }
    }

    /// Puts the queue in the order for blind mode on or off, staying on the same pair.
    pub fn reorder(&mut self, labeling: &Labeling, blind: bool) {
        if self.shuffled == blind {
            return;
        }
        let current = self.current();
        labeling.order(&mut self.order, self.me.id, blind);
        self.cursor = current.and_then(|c| self.order.iter().position(|&p| p == c)).unwrap_or(0);
        self.shuffled = blind;
    }

    /// Notes that `pair` is on screen (called every frame; the first one counts).
    pub fn showing(&mut self, pair: PairId) {
        if self.shown.is_none_or(|(p, _)| p != pair) {
            self.shown = Some((pair, std::time::Instant::now()));
        }
    }

    /// Milliseconds since `pair` came on screen, if it is the pair on screen.
    pub fn looked_at(&self, pair: PairId) -> Option<u64> {
        self.shown.filter(|(p, _)| *p == pair).map(|(_, at)| at.elapsed().as_millis() as u64)
    }

    pub fn current(&self) -> Option<PairId> {
        self.order.get(self.cursor).copied()
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Switches to a queue, at its first pair; `order` as [`Labeling::queue`] gives it for the
    /// blind mode the session is in.
    pub fn select(&mut self, queue: QueueKind, order: Vec<PairId>) {
        self.queue = queue;
        self.notice = order.is_empty().then(|| "This queue is empty.".into());
        self.order = order;
        self.cursor = 0;
    }

    /// Adds the pairs of `order` the queue lacks at its end, staying on the same pair; an empty
    /// queue that gains some starts at its first. For queues that fill as the labeler works
    /// ("My assignments"); pairs already in the queue keep their place, labeled or not.
    pub fn append_new(&mut self, order: Vec<PairId>) {
        let was_empty = self.order.is_empty();
        let known: std::collections::HashSet<PairId> = self.order.iter().copied().collect();
        self.order.extend(order.into_iter().filter(|p| !known.contains(p)));
        if was_empty && !self.order.is_empty() {
            self.cursor = 0;
            self.notice = None;
        }
    }

    /// Turns the page. Returns the new pair, or None (with a notice) if there is nowhere to go.
    pub fn go(&mut self, nav: Nav, labeling: &Labeling) -> Option<PairId> {
        let len = self.order.len();
        if len == 0 {
            return None;
        }
        let target = match nav {
            Nav::Previous => self.cursor.saturating_sub(1),
            Nav::Next => (self.cursor + 1).min(len - 1),
            Nav::To(i) => i.min(len - 1),
            Nav::NextUnlabeled => {
                let found = (1..=len)
                    .map(|step| (self.cursor + step) % len)
                    .find(|&i| labeling.verdict(self.order[i], self.me.id).is_none());
                let Some(i) = found else {
                    self.notice = Some("Every pair in this queue has your verdict.".into());
                    return None;
                };
                i
            }
        };
        if target == self.cursor {
            self.notice = Some(match nav {
                Nav::Previous => "This is the first pair of the queue.".into(),
                _ => "This is the last pair of the queue.".into(),
            });
            return None;
        }
        self.cursor = target;
        self.notice = None;
        Some(self.order[target])
    }

    /// Records a new edit: undoable, and it clears what could be redone.
    pub fn record(&mut self, edit: LabelEdit) {
        self.undo.push(edit);
        self.redo.clear();
        self.notice = None;
    }

    fn acknowledge(&mut self, words: &'static str) {
        self.acknowledged = Some((words, std::time::Instant::now()));
    }

    /// The acknowledgement still on show, and for how much longer.
    pub fn acknowledgement(&self) -> Option<(&'static str, std::time::Duration)> {
        let (words, at) = self.acknowledged?;
        let left = ACKNOWLEDGED_FOR.checked_sub(at.elapsed())?;
        Some((words, left))
    }

    /// The edit that undoes (or redoes) the last one, moving it to the other stack. Undo is a
    /// compensating change appended to the audit log; the log itself never shrinks.
    pub fn take_undo_or_redo(&mut self, undo: bool) -> Option<LabelEdit> {
        let (from, to) = if undo { (&mut self.undo, &mut self.redo) } else { (&mut self.redo, &mut self.undo) };
        let Some(edit) = from.pop() else {
            self.acknowledge(if undo { "Nothing to undo." } else { "Nothing to redo." });
            return None;
        };
        to.push(edit.clone());
        self.acknowledge(if undo { "Undone." } else { "Redone." });
        Some(if undo { edit.inverse() } else { edit })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Truth;
    use crate::store::{LabelerId, ReviewData, ReviewImage, ReviewPair, Role};

    fn labeling(n: i64) -> Labeling {
        let image = |n: &str| ReviewImage { path: n.into(), name: n.into(), width: None, height: None };
        let pairs = (1..=n)
            .map(|i| ReviewPair {
                id: PairId(i),
                external_id: None,
                a: image("a"),
                b: image("b"),
                truth: None,
                split: None,
            })
            .collect();
        Labeling::new(ReviewData { pairs, ..Default::default() })
    }

    fn alice() -> Labeler {
        Labeler { id: LabelerId(1), name: "alice".into(), role: Role::Labeler, simulated: false }
    }

    fn verdict(pair: i64) -> LabelEdit {
        LabelEdit::Verdict { pair: PairId(pair), labeler: LabelerId(1), before: None, after: Some(Truth::Same) }
    }

    #[test]
    fn next_unlabeled_wraps_around_and_says_when_all_are_done() {
        let mut l = labeling(4);
        let mut s = Session::new(alice(), &l, false);
        for p in [1, 2, 4] {
            l.apply(&verdict(p));
        }
        s.cursor = 3;
        assert_eq!(s.go(Nav::NextUnlabeled, &l), Some(PairId(3)));
        l.apply(&verdict(3));
        assert_eq!(s.go(Nav::NextUnlabeled, &l), None);
        assert!(s.notice.as_deref().unwrap().contains("has your verdict"));
        assert_eq!(s.go(Nav::Next, &l), Some(PairId(4)));
        assert_eq!(s.go(Nav::Next, &l), None, "the end of the queue");
    }

    #[test]
    fn an_acknowledgement_shows_for_a_moment_then_leaves_the_status_bar() {
        let l = labeling(2);
        let mut s = Session::new(alice(), &l, false);
        assert_eq!(s.take_undo_or_redo(true), None);
        assert_eq!(s.acknowledgement().map(|(words, _)| words), Some("Nothing to undo."));
        s.record(verdict(1));
        s.take_undo_or_redo(true);
        let (words, left) = s.acknowledgement().unwrap();
        assert!(words == "Undone." && left <= ACKNOWLEDGED_FOR);
        // Given longer ago than it shows: gone, however the frames fall.
        s.acknowledged = Some(("Redone.", std::time::Instant::now() - ACKNOWLEDGED_FOR));
        assert_eq!(s.acknowledgement(), None);
        assert_eq!(s.notice, None, "an acknowledgement is no lasting notice");
    }

    #[test]
    fn undo_then_redo_and_a_new_edit_clears_redo() {
        let l = labeling(2);
        let mut s = Session::new(alice(), &l, false);
        s.record(verdict(1));
        s.record(verdict(2));
        assert_eq!(s.take_undo_or_redo(true), Some(verdict(2).inverse()));
        assert_eq!(s.take_undo_or_redo(false), Some(verdict(2)));
        assert_eq!(s.take_undo_or_redo(true), Some(verdict(2).inverse()));
        s.record(verdict(2));
        assert!(!s.can_redo());
        assert_eq!(s.take_undo_or_redo(false), None);
    }

    #[test]
    fn assignments_that_arrive_join_the_queue_at_its_end_without_moving_the_labeler() {
        let l = labeling(6);
        let mut s = Session::new(alice(), &l, false);
        s.select(QueueKind::MyAssignments, Vec::new());
        assert!(s.notice.is_some() && s.current().is_none());
        s.append_new(vec![PairId(2), PairId(4)]);
        assert_eq!((s.current(), s.notice.as_deref()), (Some(PairId(2)), None), "an empty queue starts at its first");
        s.cursor = 1;
        // Pair 2 was labeled (so it left the hub's list); 5 and 6 were taken.
        s.append_new(vec![PairId(4), PairId(5), PairId(6)]);
        assert_eq!(s.order, [2, 4, 5, 6].map(PairId));
        assert_eq!(s.current(), Some(PairId(4)), "the labeler stays where they are");
    }
}
