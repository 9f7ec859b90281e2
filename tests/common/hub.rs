//! The PostgreSQL server of the hub tests: `.ci/run` starts a throwaway one and sets
//! PAIRSCOPE_TEST_POSTGRES to its administrator's URL. Each test gets a database of its own,
//! and role names of its own (roles belong to the whole server).

use std::sync::atomic::{AtomicU32, Ordering};

use pairscope::hub::{HubUrl, connect};

/// A fresh database on the test server, as its administrator, and a suffix for this test's
/// role names; None (with the reason on stderr) when no server was given. Under CI a missing
/// server fails the test: CI never skips these.
pub fn fresh_hub(test: &str) -> Option<(HubUrl, String)> {
    let Ok(admin) = std::env::var("PAIRSCOPE_TEST_POSTGRES") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI runs the hub tests: .ci/run starts PostgreSQL and sets PAIRSCOPE_TEST_POSTGRES"
        );
        eprintln!(
            "skipped {test}: no PostgreSQL server (set PAIRSCOPE_TEST_POSTGRES=postgres://ADMIN@HOST:PORT/postgres; \
             .ci/postgres.sh starts one)"
        );
        return None;
    };
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let suffix = format!("{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
    let admin = HubUrl::parse(&admin).expect("PAIRSCOPE_TEST_POSTGRES is a hub URL");
    let database = format!("hub_{suffix}");
    connect(&admin).unwrap().batch_execute(&format!("CREATE DATABASE {database}")).unwrap();
    let url = HubUrl::parse(&format!("postgres://{}@{}:{}/{database}", admin.user, admin.host, admin.port)).unwrap();
    Some((url, suffix))
}
