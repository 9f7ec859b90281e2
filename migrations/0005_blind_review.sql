-- Blind review (issue 11, part 2): which labels were given without seeing the answer, when a
-- labeler saw the answer on a pair, a project identity for each labeler's shuffled queue, and
-- the engineer role.
--
-- A label (verdict or tag) is blind when the labeler gave it before the truth, the model score
-- or other labelers' work on that pair were visible to them. Labels from before this migration
-- and imported labels count as blind unless their source says otherwise.
ALTER TABLE verdicts ADD COLUMN blind INTEGER NOT NULL DEFAULT 1 CHECK (blind IN (0, 1));
ALTER TABLE pair_tags ADD COLUMN blind INTEGER NOT NULL DEFAULT 1 CHECK (blind IN (0, 1));
-- The audit log says it too: 1 or 0 on verdict and tag events, NULL on every other event.
ALTER TABLE label_events ADD COLUMN blind INTEGER CHECK (blind IN (0, 1));

-- When a labeler first saw the answer on a pair: on leaving it after their verdict ('left'),
-- with the reveal key ('key'), with blind mode off ('blind-off'), or, before this migration,
-- as soon as they gave their verdict ('verdict'). before_tagging: they could still label the
-- pair with the answer in view (all but 'left').
CREATE TABLE IF NOT EXISTS reveals (
    pair_id        INTEGER NOT NULL REFERENCES pairs(id),
    labeler_id     INTEGER NOT NULL REFERENCES labelers(id),
    at             TEXT NOT NULL,
    how            TEXT NOT NULL CHECK (how IN ('left', 'key', 'blind-off', 'verdict')),
    before_tagging INTEGER NOT NULL CHECK (before_tagging IN (0, 1)),
    PRIMARY KEY (pair_id, labeler_id)
) STRICT, WITHOUT ROWID;
-- Until now blind mode showed the answer the moment a verdict was given: every verdict so far
-- was followed by a reveal.
INSERT OR IGNORE INTO reveals (pair_id, labeler_id, at, how, before_tagging)
    SELECT pair_id, labeler_id, updated_at, 'verdict', 1 FROM verdicts;

-- Who the project is, whatever its file is called or wherever it lies: seeds each labeler's
-- queue order. Copies of a project share it, so a labeler's order is the same in every copy.
INSERT OR IGNORE INTO project_meta (key, value) VALUES ('project_uid', lower(hex(randomblob(16))));

-- The engineer role (may turn blind mode off and open the analysis screens). A CHECK cannot be
-- altered in place: the table is rebuilt. Its rows are put back after the new table has its
-- name, so the references from verdicts, tags and the audit log (checked at commit, deferred)
-- find their labelers again.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE labelers_before_0005 AS SELECT id, name, role, simulated, created_at FROM labelers;
DROP TABLE labelers;
CREATE TABLE labelers (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    role       TEXT NOT NULL DEFAULT 'labeler' CHECK (role IN ('labeler', 'adjudicator', 'engineer')),
    simulated  INTEGER NOT NULL DEFAULT 0 CHECK (simulated IN (0, 1)),
    created_at TEXT NOT NULL
) STRICT;
INSERT INTO labelers (id, name, role, simulated, created_at)
    SELECT id, name, role, simulated, created_at FROM labelers_before_0005 ORDER BY id;
DROP TABLE labelers_before_0005;
