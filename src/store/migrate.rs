//! Schema migrations: `migrations/NNNN_name.sql`, applied in order on open, tracked in
//! `PRAGMA user_version`. A file from a newer schema is refused before anything is written.

use std::path::Path;

use rusqlite::Connection;

use super::{APPLICATION_ID, Result, StoreError, WriteRefused};

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
    Migration { name: "0005_blind_review", sql: include_str!("../../migrations/0005_blind_review.sql") },
    Migration { name: "0006_compact_audit_log", sql: include_str!("../../migrations/0006_compact_audit_log.sql") },
    Migration { name: "0007_image_identities", sql: include_str!("../../migrations/0007_image_identities.sql") },
    Migration { name: "0008_all_vs_all", sql: include_str!("../../migrations/0008_all_vs_all.sql") },
    Migration {
        name: "0009_labeler_names_ignore_case",
        sql: include_str!("../../migrations/0009_labeler_names_ignore_case.sql"),
    },
    Migration { name: "0010_label_quality", sql: include_str!("../../migrations/0010_label_quality.sql") },
    Migration { name: "0011_hub_link", sql: include_str!("../../migrations/0011_hub_link.sql") },
    Migration { name: "0012_hub_assignments", sql: include_str!("../../migrations/0012_hub_assignments.sql") },
    Migration { name: "0013_hub_conflicts", sql: include_str!("../../migrations/0013_hub_conflicts.sql") },
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Refuses files we must not touch. Only reads.
pub(super) fn check(conn: &Connection, path: &Path) -> Result<()> {
    let not_a_project = |why: String| StoreError::NotAProject { path: path.to_owned(), why };
    // The first read of a non-SQLite file is where SQLite notices; say so plainly. It is also
    // where SQLite first needs the -wal and -shm files beside the project.
    let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).map_err(|e| {
        if e.sqlite_error_code() == Some(rusqlite::ErrorCode::CannotOpen) && !folder_takes_new_files(path) {
            StoreError::CannotWrite { path: path.to_owned(), why: WriteRefused::ReadOnlyFolder }
        } else {
            not_a_project(format!("not an SQLite database: {e}"))
        }
    })?;
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

/// Whether a new file can be made beside `path` (tried, since permissions alone do not tell:
/// the owner may be root, the folder immutable or on a read-only mount).
pub(super) fn folder_takes_new_files(path: &Path) -> bool {
    let Some(dir) = path.parent() else { return true };
    let probe = dir.join(format!(".pairscope-probe-{}", std::process::id()));
    let made = std::fs::OpenOptions::new().write(true).create_new(true).open(&probe).is_ok();
    if made {
        let _ = std::fs::remove_file(&probe);
    }
    made
}

/// Applies the pending migrations, each in its own transaction together with its version bump.
pub(super) fn apply(conn: &Connection, path: &Path) -> Result<()> {
    let at = |e| StoreError::at(path, e);
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(at)?;
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let version = index as i64 + 1;
        super::write_lock::in_transaction(conn, path, None, true, |tx| {
            // Another pairscope opening the same old file may have migrated it while we waited.
            let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(at)?;
            if now >= version {
                return Ok(());
            }
            tx.execute_batch(migration.sql).map_err(|e| {
                StoreError::Invalid(format!("{}: migration {} failed: {e}", path.display(), migration.name))
            })?;
            tx.pragma_update(None, "application_id", APPLICATION_ID).map_err(at)?;
            tx.pragma_update(None, "user_version", version).map_err(at)
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Role, Store};

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

    /// A project file as the migrations before `migration` left it, with `rows` in it.
    fn project_before(path: &Path, migration: &str, rows: &str) {
        let before = MIGRATIONS.iter().position(|m| m.name == migration).unwrap();
        let mut conn = Connection::open(path).unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        let tx = conn.transaction().unwrap();
        for m in &MIGRATIONS[..before] {
            tx.execute_batch(m.sql).unwrap();
        }
        tx.pragma_update(None, "application_id", APPLICATION_ID).unwrap();
        tx.pragma_update(None, "user_version", before as i64).unwrap();
        tx.execute_batch(rows).unwrap();
        tx.commit().unwrap();
    }

    /// A project as the schema before blind review left it, with labels that reference their
    /// labelers.
    fn project_before_blind_review(path: &Path) {
        project_before(
            path,
            "0005_blind_review",
            "INSERT INTO image_roots (id, path) VALUES (1, '/data');
             INSERT INTO images (id, root_id, path, sha256, bytes, added_at) VALUES
                 (1, 1, 'a.jpg', 'a', 1, 't'), (2, 1, 'b.jpg', 'b', 1, 't');
             INSERT INTO pairs (id, image_a, image_b, source, added_at) VALUES (1, 1, 2, 'test', 't');
             INSERT INTO labelers (id, name, role, created_at) VALUES (7, 'ana', 'adjudicator', 't'), (9, 'ben', 'labeler', 't');
             INSERT INTO verdicts (pair_id, labeler_id, verdict, updated_at) VALUES (1, 7, 'same', 't1');
             INSERT INTO pair_tags (pair_id, labeler_id, tag_id, applied_at) VALUES (1, 9, 1, 't2');
             INSERT INTO label_events (at, labeler_id, pair_id, kind, origin) VALUES ('t1', 7, 1, 'verdict', 'gui');",
        );
    }

    #[test]
    fn a_project_from_before_blind_review_reads_unmigrated_for_a_merge() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.pairscope");
        project_before_blind_review(&path);
        let mut store = Store::open_read_only(&path).unwrap();
        let events = store.read(|tx| tx.label_events_of(&["verdict"])).unwrap();
        assert_eq!((events.len(), events[0].blind), (1, None));
        assert!(store.read(|tx| tx.reveals()).unwrap().is_empty());
        assert!(store.read(|tx| tx.not_blind_labels()).unwrap().is_empty());
        assert_eq!(store.read(|tx| tx.snapshot(None)).unwrap().not_blind_count(), 0);
    }

    #[test]
    fn blind_review_migration_keeps_every_label_and_labeler_and_allows_engineers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.pairscope");
        project_before_blind_review(&path);
        let mut store = Store::open(&path).unwrap();
        let labelers = store.read(|tx| tx.labelers()).unwrap();
        let names: Vec<(i64, &str, Role)> = labelers.iter().map(|l| (l.id.0, l.name.as_str(), l.role)).collect();
        assert_eq!(names, [(7, "ana", Role::Adjudicator), (9, "ben", Role::Labeler)]);
        let fk_problems: i64 =
            store.conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
        assert_eq!(fk_problems, 0);
        assert!(store.read(|tx| tx.not_blind_labels()).unwrap().is_empty(), "labels from before count as blind");
        // Blind mode used to show the answer right after the verdict.
        let reveals = store.read(|tx| tx.reveals()).unwrap();
        assert_eq!(reveals.len(), 1);
        assert_eq!(
            reveals[&(crate::store::PairId(1), crate::store::LabelerId(7))].how,
            crate::store::RevealHow::Verdict
        );
        assert_eq!(store.read(|tx| tx.label_events(crate::store::PairId(1))).unwrap()[0].blind, None);
        store.conn.execute("UPDATE labelers SET role = 'engineer' WHERE id = 9", []).unwrap();
        assert!(store.conn.execute("UPDATE labelers SET role = 'boss' WHERE id = 9", []).is_err());
        store.integrity_check().unwrap();
    }

    /// A project as the schema before the compact audit log left it, with events of every
    /// kind: times in our format and not, JSON and NULL befores and afters, blind marks.
    fn project_before_compact_audit(path: &Path) {
        project_before(
            path,
            "0006_compact_audit_log",
            r#"INSERT INTO image_roots (id, path) VALUES (1, '/data');
             INSERT INTO images (id, root_id, path, sha256, bytes, added_at) VALUES
                 (1, 1, 'a.jpg', 'a', 1, 't'), (2, 1, 'b.jpg', 'b', 1, 't');
             INSERT INTO pairs (id, image_a, image_b, source, added_at) VALUES (1, 1, 2, 'test', 't');
             INSERT INTO labelers (id, name, role, created_at) VALUES (7, 'ana', 'adjudicator', 't');
             INSERT INTO verdicts (pair_id, labeler_id, verdict, updated_at, blind) VALUES (1, 7, 'same', '2026-11-30T13:14:23.123Z', 0);
             INSERT INTO pair_tags (pair_id, labeler_id, tag_id, applied_at) VALUES (1, 7, 1, 't2'), (1, 7, 2, '2026-11-30T13:14:24.004Z');
             INSERT INTO label_events (at, labeler_id, pair_id, kind, before, after, origin, reason, blind) VALUES
                 ('2026-11-30T13:14:23.123Z', 7, 1, 'verdict', NULL, '"same"', 'gui', NULL, 1),
                 ('2026-11-30T13:14:24.004Z', 7, 1, 'tag', '{"tag_id":1,"tag":"dark","applied":false}',
                  '{"tag_id":1,"tag":"dark","applied":true}', 'import:labels.csv', NULL, 0),
                 ('1999-12-31T23:59:59.999Z', 7, 1, 'verdict', '"same"', '"different"', 'gui:undo', NULL, 1),
                 ('2026-11-30 13:14:25', 7, 1, 'note', NULL, '"odd"', 'merge:laptop.pairscope', 'gui in laptop, event #3', NULL),
                 ('t1', NULL, NULL, 'tag-def', NULL, '{"name":"glare"}', 'cli', NULL, NULL),
                 ('2026-11-30T13:14:26.000Z', 7, NULL, 'role', '"labeler"', '"adjudicator"', 'cli', NULL, NULL),
                 ('2026-11-30T13:14:27.5Z', 7, 1, 'some-future-kind', '[1,2]', NULL, 'gui', 'why', NULL);"#,
        );
    }

    #[test]
    fn a_project_of_an_older_schema_is_read_without_migrating_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.pairscope");
        project_before_compact_audit(&path);
        let before = std::fs::read(&path).unwrap();
        let mut store = Store::open_to_read(&path).unwrap();
        assert_eq!(store.read(|tx| tx.info()).unwrap().label_events, 7, "read through today's schema");
        drop(store);
        assert_eq!(std::fs::read(&path).unwrap(), before, "reading migrated the file");
    }

    #[test]
    fn compact_audit_log_reads_back_every_event_of_an_old_project_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.pairscope");
        project_before_compact_audit(&path);
        let all = ["verdict", "tag", "note", "tag-def", "role", "some-future-kind"];
        let before = Store::open_read_only(&path).unwrap().read(|tx| tx.label_events_of(&all)).unwrap();
        assert_eq!(before.len(), 7);
        let mut store = Store::open(&path).unwrap();
        let after = store.read(|tx| tx.label_events_of(&all)).unwrap();
        assert_eq!(after, before);
        let by_pair = store.read(|tx| tx.label_events(crate::store::PairId(1))).unwrap();
        assert_eq!(by_pair, before.iter().filter(|e| e.pair.is_some()).cloned().collect::<Vec<_>>());
        assert_eq!(store.read(|tx| tx.event_count()).unwrap(), 7);
        // Stored compactly: times of ours as integers, each text once.
        let (integers, texts): (i64, i64) = store
            .conn
            .query_row(
                "SELECT (SELECT count(*) FROM audit_events WHERE typeof(at) = 'integer'), (SELECT count(*) FROM audit_texts)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(integers, 4, "the four times in our own format");
        assert_eq!(texts, 8 + 1 + 5 + 9, "8 known kinds and 1 more, 5 origins, 9 JSON values (\"same\" twice)");
        // The current labels keep their times, ours as milliseconds.
        let times: Vec<String> = store
            .conn
            .prepare("SELECT quote(updated_at) FROM verdicts UNION ALL SELECT quote(applied_at) FROM pair_tags")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(times, ["1796044463123", "'t2'", "1796044464004"]);
        let snapshot = store.read(|tx| tx.snapshot(None)).unwrap();
        assert_eq!(snapshot.snapshot.labels.verdict, [Some(crate::domain::Truth::Same)]);
        assert_eq!(snapshot.not_blind_count(), 1, "the verdict given with the answer in view");
        assert!(store.conn.execute("DELETE FROM label_events", []).unwrap_err().to_string().contains("append-only"));
        assert!(
            store.conn.execute("UPDATE audit_events SET at = 0", []).unwrap_err().to_string().contains("append-only")
        );
        store.integrity_check().unwrap();
    }

    /// A project as today's schema (before labeler names ignored case) can hold it: "cy" and
    /// "CY", two labelers, both with labels on the same pair.
    fn project_with_cy_and_upper_case_cy(path: &Path) {
        project_before(
            path,
            "0009_labeler_names_ignore_case",
            "INSERT INTO image_roots (id, path) VALUES (1, '/data');
             INSERT INTO images (id, root_id, path, sha256, bytes, added_at) VALUES
                 (1, 1, 'a.jpg', 'a', 1, 't'), (2, 1, 'b.jpg', 'b', 1, 't');
             INSERT INTO pairs (id, image_a, image_b, source, added_at) VALUES (1, 1, 2, 'test', 't');
             INSERT INTO labelers (id, name, role, created_at) VALUES (3, 'cy', 'labeler', 't'), (4, 'CY', 'engineer', 't');
             INSERT INTO verdicts (pair_id, labeler_id, verdict, updated_at, blind) VALUES (1, 3, 'same', 1, 1), (1, 4, 'different', 2, 1);",
        );
    }

    #[test]
    fn labelers_differing_only_in_case_are_kept_with_every_label_and_no_new_one_is_made() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.pairscope");
        project_with_cy_and_upper_case_cy(&path);
        let mut store = Store::open(&path).unwrap();
        let labelers = store.read(|tx| tx.labelers()).unwrap();
        let names: Vec<(i64, &str, Role)> = labelers.iter().map(|l| (l.id.0, l.name.as_str(), l.role)).collect();
        assert_eq!(names, [(4, "CY", Role::Engineer), (3, "cy", Role::Labeler)]);
        let verdict = |store: &mut Store, id| store.read(|tx| tx.verdict(crate::store::PairId(1), id)).unwrap();
        assert_eq!(verdict(&mut store, labelers[1].id), Some(crate::domain::Truth::Same));
        assert_eq!(verdict(&mut store, labelers[0].id), Some(crate::domain::Truth::Different));
        // The exact name picks one; another spelling is ambiguous, and creates nothing.
        assert_eq!(store.read(|tx| tx.find_labeler("CY")).unwrap().unwrap().id.0, 4);
        assert_eq!(store.write(|tx| tx.labeler_or_create("cy")).unwrap().0.id.0, 3);
        let err = store.write(|tx| tx.labeler_or_create("Cy")).unwrap_err().to_string();
        assert!(err.contains(r#"labeler name "Cy" matches "cy" and "CY""#), "{err}");
        // The file itself refuses a new near-duplicate, whoever writes it.
        let raw = store.conn.execute("INSERT INTO labelers (name, created_at) VALUES ('cY', 't')", []);
        assert!(raw.unwrap_err().to_string().contains("labeler names ignore case"));
        assert_eq!(store.read(|tx| tx.labelers()).unwrap().len(), 2);
        store.integrity_check().unwrap();
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
