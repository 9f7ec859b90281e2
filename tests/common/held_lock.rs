//! The project's write lock, held by another connection for longer than writers used to wait:
//! the tests of writers that wait their turn take it.
#![allow(dead_code)]

use std::path::Path;
use std::sync::mpsc::{Sender, channel};
use std::thread::JoinHandle;
use std::time::Duration;

use pairscope::store::{Store, StoreError};

/// Longer than the 5 s after which writers used to give up.
pub const HOLD: Duration = Duration::from_secs(7);
/// What a writer says while it waits.
pub const WAITING: &str = "waiting for another pairscope to finish writing…";

/// The project's write lock, held by another connection on a thread of its own.
pub struct Held {
    release: Sender<()>,
    holder: JoinHandle<()>,
}

impl Held {
    /// Takes the lock; returns once it is taken.
    pub fn take(project: &Path) -> Held {
        let (taken_tx, taken) = channel();
        let (release, released) = channel::<()>();
        let project = project.to_owned();
        let holder = std::thread::spawn(move || {
            let mut store = Store::open(&project).unwrap();
            store
                .write(|_| {
                    taken_tx.send(()).unwrap();
                    std::thread::sleep(HOLD);
                    let _ = released.recv(); // and until the test has seen what it waits for
                    Ok::<_, StoreError>(())
                })
                .unwrap();
        });
        taken.recv().expect("the lock holder took the lock");
        Held { release, holder }
    }

    /// Gives the lock up once it was held for [`HOLD`].
    pub fn release(self) {
        let _ = self.release.send(());
        self.holder.join().unwrap();
    }
}
