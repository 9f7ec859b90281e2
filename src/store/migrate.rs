//! Schema migrations: `migrations/NNNN_name.sql`, applied in order on open, tracked in
//! `PRAGMA user_version`. A file from a newer schema is refused before anything is written.

use std::path::Path;

use rusqlite::Connection;

use super::{APPLICATION_ID, Result, StoreError};

struct Migration {
    name: &'static str,
    sql: &'static str,
}

/// Every migration, oldest first. Version N is the state after the Nth entry.
const MIGRATIONS: &[Migration] = &[
    Migration { name: "0001_init", sql: include_str!("../../migrations/0001_init.sql") },
    Migration { name: "0003_curation", sql: include_str!("../../migrations/0003_curation.sql") },
    Migration {
        name: "0004_rejected_suggestions",
        sql: include_str!("../../migrations/0004_rejected_suggestions.sql"),
    },
    Migration { name: "0006_engineer_role", sql: include_str!("../../migrations/0006_engineer_role.sql") },
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Refuses files we must not touch. Only reads.
pub(super) fn check(conn: &Connection, path: &Path) -> Result<()> {
    let not_a_project = |why: String| StoreError::NotAProject { path: path.to_owned(), why };
    // The first read of a non-SQLite file is where SQLite notices; say so plainly.
    let app_id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(|e| not_a_project(format!("not an SQLite database: {e}")))?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| not_a_project(format!("not an SQLite database: {e}")))?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .map_err(|e| not_a_project(format!("not an SQLite database: {e}")))?;
    if app_id != APPLICATION_ID && (app_id != 0 || tables > 0) {
        return Err(not_a_project(format!("an SQLite database of another application (application_id {app_id:#x})")));
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::TooNew { path: path.to_owned(), found: version, known: SCHEMA_VERSION });
    }
    Ok(())
}

/// Applies the pending migrations, each in its own transaction together with its version bump.
///
/// Runs before foreign keys are switched on: a migration that rebuilds a table others refer to
/// (SQLite's way to change a constraint) must not cascade or fail half way. Each migration is
/// checked with `foreign_key_check` instead, and rolled back if it left a dangling reference.
pub(super) fn apply(conn: &mut Connection, path: &Path) -> Result<()> {
    let at = |e| StoreError::at(path, e);
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(at)?;
    if current as usize >= MIGRATIONS.len() {
        return Ok(());
    }
    conn.pragma_update(None, "foreign_keys", "OFF").map_err(at)?;
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let version = index as i64 + 1;
        let failed = |e: &dyn std::fmt::Display| {
            StoreError::Invalid(format!("{}: migration {} failed: {e}", path.display(), migration.name))
        };
        let tx = conn.transaction().map_err(at)?;
        tx.execute_batch(migration.sql).map_err(|e| failed(&e))?;
        let dangling: i64 =
            tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).map_err(at)?;
        if dangling > 0 {
            return Err(failed(&format!("{dangling} rows would refer to rows that do not exist")));
        }
        tx.pragma_update(None, "application_id", APPLICATION_ID).map_err(at)?;
        tx.pragma_update(None, "user_version", version).map_err(at)?;
        tx.commit().map_err(at)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn every_migration_file_is_listed_in_order() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        files.sort();
        let listed: Vec<String> = MIGRATIONS.iter().map(|m| format!("{}.sql", m.name)).collect();
        assert_eq!(files, listed);
    }

    #[test]
    fn new_project_is_at_current_version_in_wal_mode() {
        let (_dir, store) = crate::store::test_util::temp_store();
        let version: i64 = store.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        let mode: String = store.conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = store.conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
        assert_eq!(fk, 1);
        let tags: i64 = store.conn.query_row("SELECT count(*) FROM tags", [], |r| r.get(0)).unwrap();
        assert_eq!(tags, 4, "dark, blurry, sunset, borderline are seeded");
    }

    #[test]
    fn reopening_does_not_reapply_migrations() {
        let (dir, store) = crate::store::test_util::temp_store();
        let path = store.path().to_owned();
        drop(store);
        let store = Store::open(&path).unwrap();
        let tags: i64 = store.conn.query_row("SELECT count(*) FROM tags", [], |r| r.get(0)).unwrap();
        assert_eq!(tags, 4);
        drop(dir);
    }

    #[test]
    fn a_project_from_before_the_engineer_role_keeps_its_labelers_and_their_labels() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.pairscope");
        // The file as pairscope wrote it before 0006: the first three migrations, with labels.
        let conn = Connection::open(&path).unwrap();
        for migration in &MIGRATIONS[..3] {
            conn.execute_batch(migration.sql).unwrap();
        }
        conn.pragma_update(None, "application_id", APPLICATION_ID).unwrap();
        conn.pragma_update(None, "user_version", 3).unwrap();
        conn.execute_batch(
            "INSERT INTO labelers (id, name, role, created_at) VALUES (7, 'ana', 'adjudicator', 'then');
             INSERT INTO image_roots (id, path) VALUES (1, '/d');
             INSERT INTO images (id, root_id, path, sha256, bytes, added_at) VALUES (1, 1, 'a', 'x', 1, 'then'), (2, 1, 'b', 'y', 1, 'then');
             INSERT INTO pairs (id, image_a, image_b, source, added_at) VALUES (1, 1, 2, 't', 'then');
             INSERT INTO verdicts (pair_id, labeler_id, verdict, updated_at) VALUES (1, 7, 'same', 'then');",
        )
        .unwrap();
        drop(conn);

        let mut store = Store::open(&path).unwrap();
        let ana = store.read(|tx| tx.find_labeler("ana")).unwrap().unwrap();
        assert_eq!((ana.id.0, ana.role), (7, crate::store::Role::Adjudicator));
        assert_eq!(
            store.read(|tx| tx.verdict(crate::store::PairId(1), ana.id)).unwrap(),
            Some(crate::domain::Truth::Same)
        );
        store.write(|tx| tx.set_labeler_role(ana.id, crate::store::Role::Engineer, crate::store::Origin::Cli)).unwrap();
        let fk: i64 = store.conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
        assert_eq!(fk, 1, "foreign keys are back on after migrating");
        // The rebuilt table is the one the labels refer to: a labeler with labels cannot go.
        assert!(store.conn.execute("DELETE FROM labelers WHERE id = 7", []).is_err());
    }

    #[test]
    fn newer_schema_is_refused_and_file_left_untouched() {
        let (dir, store) = crate::store::test_util::temp_store();
        let path = store.path().to_owned();
        store.conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
        // Fold the WAL into the main file so the bytes we compare are the whole file.
        store.conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
        drop(store);
        let before = std::fs::read(&path).unwrap();
        let err = Store::open(&path).err().expect("newer schema must be refused");
        assert!(matches!(err, StoreError::TooNew { found, .. } if found == SCHEMA_VERSION + 1));
        assert!(err.to_string().contains("newer pairscope"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), before, "refused file must not be modified");
        drop(dir);
    }

    #[test]
    fn foreign_sqlite_file_and_garbage_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let foreign = dir.path().join("other.db");
        let conn = Connection::open(&foreign).unwrap();
        conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);").unwrap();
        drop(conn);
        let err = Store::open(&foreign).err().unwrap();
        assert!(matches!(err, StoreError::NotAProject { .. }), "{err}");

        let garbage = dir.path().join("notes.pairscope");
        std::fs::write(&garbage, b"this is a text file, not a database, and it is long enough").unwrap();
        let err = Store::open(&garbage).err().unwrap();
        assert!(err.to_string().contains("not a pairscope project"), "{err}");
        assert_eq!(std::fs::read(&garbage).unwrap(), b"this is a text file, not a database, and it is long enough");
    }
}
