//! Hearing about other copies' changes as they reach the hub: every sync that sends events
//! ends with `NOTIFY pairscope_events, '<copy id>'`, and a copy that LISTENs syncs at once
//! instead of at its next round.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use postgres::fallible_iterator::FallibleIterator;

use super::{HubUrl, Result, connect};

/// How often a listener looks at its stop flag while no notification comes.
const TICK: Duration = Duration::from_millis(250);

/// Listens on the hub until `stop` is set, calling `heard` for each change another copy (not
/// `copy_id`) sent. Returns on stop, or with the error that broke the connection (the caller
/// connects again later).
pub fn listen(url: &HubUrl, copy_id: &str, stop: &AtomicBool, heard: impl Fn()) -> Result<()> {
    let mut client = connect(url)?;
    client.batch_execute("LISTEN pairscope_events")?;
    while !stop.load(Ordering::Relaxed) {
        {
            let mut notifications = client.notifications();
            let mut batch = notifications.timeout_iter(TICK);
            while let Some(n) = batch.next()? {
                if n.payload() != copy_id {
                    heard();
                }
            }
        }
        // A closed connection yields nothing above; ask, so that it is noticed.
        if client.is_closed() {
            client.batch_execute("SELECT 1")?;
        }
    }
    Ok(())
}
