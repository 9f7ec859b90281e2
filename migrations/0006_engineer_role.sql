-- A third role: engineers, who (like adjudicators) may turn blind mode off and open the analysis
-- screens, but do not settle disagreements. SQLite cannot change a CHECK constraint in place, so
-- the table is rebuilt as its documentation prescribes; the migration runs with foreign keys off
-- and is checked with foreign_key_check before it commits (store/migrate.rs).

CREATE TABLE labelers_new (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    role       TEXT NOT NULL DEFAULT 'labeler' CHECK (role IN ('labeler', 'adjudicator', 'engineer')),
    simulated  INTEGER NOT NULL DEFAULT 0 CHECK (simulated IN (0, 1)),
    created_at TEXT NOT NULL
) STRICT;
INSERT INTO labelers_new (id, name, role, simulated, created_at)
    SELECT id, name, role, simulated, created_at FROM labelers;
DROP TABLE labelers;
ALTER TABLE labelers_new RENAME TO labelers;
