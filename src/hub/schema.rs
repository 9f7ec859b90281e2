//! `pairscope hub init`: the hub's schema, applied once per migration, in one transaction each.

use super::{HubError, HubUrl, Result, connect};

struct Migration {
    name: &'static str,
    sql: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration { name: "0001_hub", sql: include_str!("../../migrations/postgres/0001_hub.sql") },
    Migration { name: "0002_copies", sql: include_str!("../../migrations/postgres/0002_copies.sql") },
    Migration { name: "0003_assignments", sql: include_str!("../../migrations/postgres/0003_assignments.sql") },
    Migration { name: "0004_decisions", sql: include_str!("../../migrations/postgres/0004_decisions.sql") },
    Migration { name: "0005_tag_definitions", sql: include_str!("../../migrations/postgres/0005_tag_definitions.sql") },
];

/// The schema version this build writes.
pub const HUB_SCHEMA_VERSION: usize = MIGRATIONS.len();

/// Refuses a database that is no pairscope hub, or one made by an older or newer pairscope.
pub fn check_current(client: &mut postgres::Client, url: &HubUrl) -> Result<()> {
    let made = client.query_one("SELECT to_regclass('hub_migrations') IS NOT NULL", &[])?.get::<_, bool>(0);
    if !made {
        return Err(HubError::Invalid(format!(
            "the database at {url} is no pairscope hub: run `pairscope hub init URL` first"
        )));
    }
    let applied: i64 = client.query_one("SELECT count(*) FROM hub_migrations", &[])?.get(0);
    match (applied as usize).cmp(&HUB_SCHEMA_VERSION) {
        std::cmp::Ordering::Equal => Ok(()),
        std::cmp::Ordering::Less => Err(HubError::Invalid(format!(
            "the hub at {url} has schema {applied}, this pairscope {HUB_SCHEMA_VERSION}: its owner runs `pairscope hub init URL` to bring it up to date"
        ))),
        std::cmp::Ordering::Greater => Err(HubError::Invalid(format!(
            "the hub at {url} has schema {applied}, newer than this pairscope's {HUB_SCHEMA_VERSION}: update pairscope"
        ))),
    }
}

/// Creates the hub's schema in the database `url` names (its role becomes the hub's owner), or
/// brings an older one up to date. Returns the migrations applied now (none when up to date).
pub fn init(url: &HubUrl) -> Result<Vec<&'static str>> {
    let mut client = connect(url)?;
    client.batch_execute("CREATE TABLE IF NOT EXISTS hub_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())")?;
    let applied: Vec<String> = client.query("SELECT name FROM hub_migrations", &[])?.iter().map(|r| r.get(0)).collect();
    let mut now = Vec::new();
    for migration in MIGRATIONS.iter().filter(|m| !applied.iter().any(|a| a == m.name)) {
        let mut tx = client.transaction()?;
        // Two `hub init` at once: the second waits here, then finds the migration applied.
        tx.batch_execute("LOCK TABLE hub_migrations IN EXCLUSIVE MODE")?;
        let done = tx.query_opt("SELECT 1 FROM hub_migrations WHERE name = $1", &[&migration.name])?.is_some();
        if !done {
            tx.batch_execute(migration.sql)?;
            tx.execute("INSERT INTO hub_migrations (name) VALUES ($1)", &[&migration.name])?;
            now.push(migration.name);
        }
        tx.commit()?;
    }
    Ok(now)
}
