//! Assignments: with overlap k the hub hands each labeler a small batch of pairs under a lease,
//! and no pair goes to more than k labelers. The rules live in the hub (`pairscope_take`, in
//! `migrations/postgres/0003_assignments.sql`), so copies on many machines cannot race past
//! them; this side asks for a batch and keeps it in the copy for Review's queue.

use std::sync::Mutex;

use super::sync::lock;
use super::{HubError, HubUrl, Result, connect, schema};
use crate::store::{PairId, Store};

/// The hub's assignment rules and how many leases are live now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssignmentRules {
    /// Labelers per pair.
    pub overlap: u32,
    pub lease_minutes: u32,
    /// Leases not expired on pairs their holder has not labeled yet.
    pub live_leases: i64,
}

/// Takes up to `how_many` pairs for this copy's labeler (their live leases first, renewed) and
/// keeps what they hold now in the copy. Returns the pairs with their lease ends (UTC).
pub fn take_assignments(store: &Mutex<Store>, how_many: u32) -> Result<Vec<(PairId, String)>> {
    let link = lock(store)
        .read(|tx| tx.hub_link())?
        .ok_or_else(|| HubError::Invalid("this project is no copy of a hub: `clone` one to take assignments".into()))?;
    if link.labeler.is_none() {
        return Err(HubError::Invalid(
            "the owner's copy takes no assignments: each labeler takes them in their own copy".into(),
        ));
    }
    let url = HubUrl::parse(&link.url)?;
    let mut client = connect(&url)?;
    schema::check_current(&mut client, &url)?;
    let how_many = i32::try_from(how_many).unwrap_or(i32::MAX);
    let assigned: Vec<(PairId, String)> = client
        .query(
            "SELECT pair_id, to_char(leased_until AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')
             FROM pairscope_take($1)",
            &[&how_many],
        )?
        .iter()
        .map(|r| (PairId(r.get(0)), r.get(1)))
        .collect();
    lock(store).write(|tx| tx.set_hub_assignments(&assigned))?;
    Ok(assigned)
}

/// Reads the assignment rules, first changing those given (the hub's owner only).
pub fn assignment_rules(
    client: &mut postgres::Client,
    overlap: Option<u32>,
    lease_minutes: Option<u32>,
) -> Result<AssignmentRules> {
    let mut tx = client.transaction()?;
    for (key, value) in [("overlap", overlap), ("lease_minutes", lease_minutes)] {
        if let Some(value) = value {
            if value == 0 {
                return Err(HubError::Invalid(format!("{} must be at least 1", key.replace('_', " "))));
            }
            tx.execute("UPDATE hub_meta SET value = $2 WHERE key = $1", &[&key, &value.to_string()])?;
        }
    }
    let value = |tx: &mut postgres::Transaction, key: &str| -> Result<u32> {
        let text: String = tx.query_one("SELECT value FROM hub_meta WHERE key = $1", &[&key])?.get(0);
        text.parse().map_err(|_| HubError::Invalid(format!("the hub's {key} is {text:?}, not a number")))
    };
    let rules = AssignmentRules {
        overlap: value(&mut tx, "overlap")?,
        lease_minutes: value(&mut tx, "lease_minutes")?,
        live_leases: tx.query_one("SELECT count(*) FROM open_assignments", &[])?.get(0),
    };
    tx.commit()?;
    Ok(rules)
}
