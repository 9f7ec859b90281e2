//! Keeping a copy of a team hub's project in sync while it is open (issue 16): syncs run on a
//! worker of their own, one at a time, and a listener thread hears other copies' changes
//! (LISTEN/NOTIFY) so they arrive within about a second. When the hub cannot be reached, the
//! app says how many changes wait, and tries again every few seconds. No frame waits for it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::hub::{self, HubUrl, SyncReport};
use crate::store::{HubLink, Store};
use crate::ui::jobs::background::Background;

/// A sync's answer, how many of this copy's changes the hub still lacks after it, and whether
/// it took assignments (the copy's queue changed).
pub(in crate::ui) type SyncAnswer = (Result<SyncReport, SyncFailure>, Option<i64>, bool);

/// Why a sync did not happen.
#[derive(Debug)]
pub(in crate::ui) enum SyncFailure {
    /// The hub wants this labeler's password (`refused`: the one given was wrong): only a
    /// person can fix that, so the copy stops trying until one is typed.
    Password {
        refused: bool,
    },
    Other(String),
}

impl From<hub::HubError> for SyncFailure {
    fn from(e: hub::HubError) -> Self {
        match e {
            hub::HubError::Password { refused, .. } => SyncFailure::Password { refused },
            e => SyncFailure::Other(e.to_string()),
        }
    }
}

/// Pairs "My assignments" holds at a time: enough to label on for a while offline, few enough
/// that a labeler who walks away keeps little from the team until their lease runs out.
pub(in crate::ui) const ASSIGNMENT_BATCH: u32 = 20;

/// Conflicts the top bar's tooltip keeps.
const MAX_CONFLICTS: usize = 20;

/// How often a copy syncs when nothing asks it to: catches what a lost notification missed.
const ONLINE_EVERY: Duration = Duration::from_secs(15);
/// How soon an offline copy tries the hub again.
const OFFLINE_EVERY: Duration = Duration::from_secs(5);

/// The hub as this copy last found it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(in crate::ui) enum HubState {
    /// The first sync is under way.
    Connecting,
    Online,
    /// The last sync failed, with the reason.
    Offline(String),
    /// The hub asks for the labeler's password; `refused`: the one given was wrong.
    NeedsPassword {
        refused: bool,
    },
}

pub(in crate::ui) struct HubSync {
    /// The hub's address, without a password.
    pub url: String,
    pub state: HubState,
    /// This copy's changes the hub lacks, as of the last sync.
    pub waiting: i64,
    /// Changes brought from other copies since the project was opened.
    pub brought: usize,
    /// Adjudications, truths and tag definitions changed here and elsewhere since they last agreed, in words,
    /// since the project was opened (the latest last, at most [`MAX_CONFLICTS`]).
    pub conflicts: Vec<String>,
    /// The password being typed in the "Hub password" window, and whether it is open (it
    /// opens by itself when the hub asks; "Later" closes it). Typed text goes nowhere else.
    pub password_field: String,
    pub password_window: bool,
    in_flight: bool,
    last_try: Option<Instant>,
    /// The labels' generation the last sync started from, and whether it took assignments.
    synced_for: Option<(u64, bool)>,
    /// Set by the listener when another copy sent changes.
    heard: Arc<AtomicBool>,
    /// Ends the listener when the project closes.
    stop: Arc<AtomicBool>,
    worker: Background<SyncAnswer>,
}

impl HubSync {
    pub fn start(ctx: &egui::Context, link: &HubLink) -> Self {
        let heard = Arc::new(AtomicBool::new(false));
        let stop = Arc::new(AtomicBool::new(false));
        if let Ok(url) = HubUrl::parse(&link.url) {
            let (ctx, heard, stop, copy_id) = (ctx.clone(), heard.clone(), stop.clone(), link.copy_id.clone());
            let spawned = std::thread::Builder::new().name("pairscope-hub-listen".into()).spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let result = hub::listen(&url, &copy_id, &stop, || {
                        heard.store(true, Ordering::Relaxed);
                        ctx.request_repaint();
                    });
                    if let Err(e) = result {
                        tracing::info!(error = %e, "not listening to the hub; trying again");
                        // Offline: the syncs say so; try again a little later.
                        for _ in 0..20 {
                            if stop.load(Ordering::Relaxed) {
                                break;
                            }
                            std::thread::sleep(Duration::from_millis(250));
                        }
                    }
                }
            });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start the hub listener; syncing on a timer only");
            }
        }
        let wake = ctx.clone();
        HubSync {
            url: link.url.clone(),
            state: HubState::Connecting,
            waiting: 0,
            brought: 0,
            conflicts: Vec::new(),
            password_field: String::new(),
            password_window: false,
            in_flight: false,
            last_try: None,
            synced_for: None,
            heard,
            stop,
            worker: Background::named("pairscope-hub-sync", move || wake.request_repaint()),
        }
    }

    pub fn syncing(&self) -> bool {
        self.in_flight
    }

    /// How long until a sync is due with nothing new to send (zero: due now).
    pub fn due_in(&self) -> Duration {
        let every = if matches!(self.state, HubState::Offline(_)) { OFFLINE_EVERY } else { ONLINE_EVERY };
        self.last_try.map_or(Duration::ZERO, |t| every.saturating_sub(t.elapsed()))
    }

    /// Whether to sync now: none is running, and the labels moved on, another copy sent
    /// changes, "My assignments" was opened (`take`), or the last try is long enough ago.
    pub fn due(&self, generation: u64, take: bool) -> bool {
        if let HubState::NeedsPassword { .. } = self.state {
            // Asking the server again without a new password would only fill its log with
            // refusals: new labels are only counted, so the top bar says how many wait.
            return !self.in_flight && self.synced_for.is_none_or(|(g, _)| g != generation);
        }
        !self.in_flight
            && (self.synced_for != Some((generation, take))
                || self.heard.load(Ordering::Relaxed)
                || self.due_in().is_zero())
    }

    /// Syncs on the worker; with `take`, then tops "My assignments" up to [`ASSIGNMENT_BATCH`].
    /// While the hub wants a password, only counts the changes that wait.
    pub fn request(&mut self, store: Arc<Mutex<Store>>, generation: u64, take: bool) {
        self.in_flight = true;
        self.last_try = Some(Instant::now());
        self.synced_for = Some((generation, take));
        self.heard.store(false, Ordering::Relaxed);
        if let HubState::NeedsPassword { refused } = self.state {
            self.worker.spawn(
                move || (Err(SyncFailure::Password { refused }), hub::waiting(&store).ok().flatten(), false),
                |panic| {
                    (Err(SyncFailure::Other(format!("counting the changes that wait failed: {panic}"))), None, false)
                },
            );
            return;
        }
        self.worker.spawn(
            move || {
                let mut result = hub::sync(&store).map_err(SyncFailure::from);
                let mut took = false;
                if take && result.is_ok() {
                    // Only a queue that changed is read in again: reading bumps the labels'
                    // generation, which would make the next sync due at once, for ever.
                    let before = store.lock().map(|mut s| s.read(|tx| tx.hub_assigned_pairs())).ok();
                    match hub::take_assignments(&store, ASSIGNMENT_BATCH) {
                        Ok(now) => {
                            let now: Vec<_> = now.into_iter().map(|(pair, _)| pair).collect();
                            took = !matches!(before, Some(Ok(before)) if before == now);
                        }
                        Err(e) => {
                            result = Err(match SyncFailure::from(e) {
                                SyncFailure::Other(why) => {
                                    SyncFailure::Other(format!("cannot take assignments: {why}"))
                                }
                                password => password,
                            })
                        }
                    }
                }
                (result, hub::waiting(&store).ok().flatten(), took)
            },
            |panic| (Err(SyncFailure::Other(format!("sync failed: {panic}"))), None, false),
        );
    }

    /// Takes in finished syncs; returns how many changes they brought, and whether the copy
    /// changed (changes brought, or assignments taken), so the screens read it again.
    pub fn poll(&mut self) -> (usize, bool) {
        let (mut brought, mut changed) = (0, false);
        for (result, waiting, took) in self.worker.poll() {
            self.in_flight = false;
            changed |= took;
            if let Some(waiting) = waiting {
                self.waiting = waiting;
            }
            match result {
                Ok(report) => {
                    self.state = HubState::Online;
                    brought += report.brought;
                    self.conflicts.extend(report.conflicts);
                    let over = self.conflicts.len().saturating_sub(MAX_CONFLICTS);
                    self.conflicts.drain(..over);
                }
                Err(SyncFailure::Password { refused }) => {
                    // The window opens when the hub first asks, not again after "Later".
                    if !matches!(self.state, HubState::NeedsPassword { .. }) {
                        self.password_window = true;
                    }
                    self.state = HubState::NeedsPassword { refused };
                }
                Err(SyncFailure::Other(why)) => self.state = HubState::Offline(why),
            }
        }
        self.brought += brought;
        (brought, changed || brought > 0)
    }

    /// Keeps the typed password for this process (never on disk) and syncs with it now.
    pub fn give_password(&mut self) {
        if let Ok(url) = HubUrl::parse(&self.url) {
            hub::remember_password(&url, std::mem::take(&mut self.password_field));
        }
        self.password_window = false;
        self.state = HubState::Connecting;
        self.last_try = None;
        self.synced_for = None;
    }

    /// The top bar's words for the hub.
    pub fn summary(&self) -> String {
        match &self.state {
            HubState::Connecting => "hub: connecting…".into(),
            HubState::Online if self.in_flight => "hub: syncing…".into(),
            HubState::Online if self.conflicts.len() == 1 => "hub: online, 1 conflict".into(),
            HubState::Online if !self.conflicts.is_empty() => {
                format!("hub: online, {} conflicts", self.conflicts.len())
            }
            HubState::Online => "hub: online".into(),
            HubState::Offline(_) => format!("offline: {} changes waiting", self.waiting),
            HubState::NeedsPassword { .. } => format!("hub: password needed, {} changes waiting", self.waiting),
        }
    }
}

impl Drop for HubSync {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link() -> HubLink {
        HubLink {
            url: "postgres://ana@127.0.0.1:1/none".into(),
            hub_uid: "u".into(),
            copy_id: "c".into(),
            labeler: Some("ana".into()),
            pushed_up_to: 0,
            pulled_up_to: 0,
        }
    }

    #[test]
    fn a_sync_is_due_for_new_labels_for_news_and_on_the_timer_but_never_twice_at_once() {
        let mut sync = HubSync::start(&egui::Context::default(), &link());
        assert!(sync.due(0, false), "the first sync is due at once");
        sync.in_flight = true;
        sync.synced_for = Some((0, false));
        sync.last_try = Some(Instant::now());
        assert!(!sync.due(1, false), "one at a time");
        sync.in_flight = false;
        assert!(!sync.due(0, false), "nothing new: wait for the timer");
        assert!(sync.due(1, false), "labels changed");
        assert!(sync.due(0, true), "My assignments opened: take some now");
        sync.heard.store(true, Ordering::Relaxed);
        assert!(sync.due(0, false), "another copy sent changes");
        sync.heard.store(false, Ordering::Relaxed);
        sync.state = HubState::Offline("refused".into());
        sync.waiting = 3;
        assert!(sync.due_in() <= OFFLINE_EVERY && sync.due_in() > Duration::from_secs(4));
        assert_eq!(sync.summary(), "offline: 3 changes waiting");
        sync.state = HubState::Online;
        assert_eq!(sync.summary(), "hub: online");
        sync.conflicts.push("pair 3: the hub keeps same".into());
        assert_eq!(sync.summary(), "hub: online, 1 conflict", "said in the top bar, listed in its tooltip");
        sync.state = HubState::NeedsPassword { refused: false };
        sync.last_try = None;
        sync.synced_for = Some((2, true));
        assert!(!sync.due(2, true), "no retries without a password");
        assert!(sync.due(3, true), "new labels are counted");
        sync.password_field = "typed".into();
        sync.give_password();
        assert!(sync.password_field.is_empty(), "the typed password is not kept in the field");
        assert!(sync.due(0, false), "a password given: sync now");
    }
}
