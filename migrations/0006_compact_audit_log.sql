-- A compact audit log (issue 12): on a million-pair project the log was two thirds of the file
-- (7.8M events, most of each row the same few texts repeated). Every fact an event held is
-- kept, byte for byte as it reads back:
--   * kind, origin, before and after are ids into `audit_texts`, which holds each distinct text
--     once (an import repeats "verdict", "import:labels.csv", '"same"' and a few tag JSONs
--     millions of times);
--   * `at` is milliseconds since 1970 (UTC) when the text is one of ours
--     (YYYY-MM-DDTHH:MM:SS.mmmZ) and reads back as exactly that text; any other text (an event
--     merged from elsewhere) is kept as it was;
--   * one index, by pair (the pair's history); nothing read the log by labeler.
-- `label_events` becomes a view with the old columns, so every reader reads what it read.
-- The time of each current verdict and tag (`updated_at`, `applied_at`, written but never read
-- back) is stored the same way, as milliseconds.

CREATE TABLE audit_texts (
    id   INTEGER PRIMARY KEY,
    text TEXT NOT NULL UNIQUE
) STRICT;

CREATE TABLE audit_events (
    id         INTEGER PRIMARY KEY,
    at         ANY NOT NULL,                            -- ms since 1970 UTC, or the text as given
    labeler_id INTEGER REFERENCES labelers(id),
    pair_id    INTEGER REFERENCES pairs(id),
    -- Ids in audit_texts. Not declared as foreign keys: checking four on each of millions of
    -- inserts cost more than the rest of the insert, and texts are never deleted or changed
    -- (the triggers below), so an id, once written, always finds its text.
    kind       INTEGER NOT NULL,
    before     INTEGER,                                 -- JSON text, NULL for JSON null
    after      INTEGER,
    origin     INTEGER NOT NULL,
    reason     TEXT,
    blind      INTEGER CHECK (blind IN (0, 1))
) STRICT;

-- The kinds first, so the most frequent texts get the smallest ids.
INSERT INTO audit_texts (text) VALUES
    ('verdict'), ('tag'), ('reveal'), ('note'), ('truth'), ('adjudication'), ('role'), ('tag-def');
INSERT OR IGNORE INTO audit_texts (text) SELECT kind FROM label_events;
INSERT OR IGNORE INTO audit_texts (text) SELECT origin FROM label_events;
INSERT OR IGNORE INTO audit_texts (text) SELECT before FROM label_events WHERE before IS NOT NULL;
INSERT OR IGNORE INTO audit_texts (text) SELECT after FROM label_events WHERE after IS NOT NULL;

INSERT INTO audit_events (id, at, labeler_id, pair_id, kind, before, after, origin, reason, blind)
SELECT e.id,
       CASE WHEN strftime('%Y-%m-%dT%H:%M:%S', ms / 1000, 'unixepoch') || printf('.%03dZ', ms % 1000) = e.at
            THEN ms ELSE e.at END,
       e.labeler_id, e.pair_id,
       (SELECT id FROM audit_texts WHERE text = e.kind),
       (SELECT id FROM audit_texts WHERE text = e.before),
       (SELECT id FROM audit_texts WHERE text = e.after),
       (SELECT id FROM audit_texts WHERE text = e.origin),
       e.reason, e.blind
FROM (SELECT *, CAST(strftime('%s', substr(at, 1, 19)) AS INTEGER) * 1000 + CAST(substr(at, 21, 3) AS INTEGER) AS ms
      FROM label_events) e
ORDER BY e.id;

DROP TRIGGER label_events_no_update;
DROP TRIGGER label_events_no_delete;
DROP TABLE label_events;

CREATE INDEX audit_events_pair ON audit_events(pair_id);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'label_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'label_events is append-only'); END;
CREATE TRIGGER audit_texts_no_update BEFORE UPDATE ON audit_texts
BEGIN SELECT RAISE(ABORT, 'label_events is append-only'); END;
CREATE TRIGGER audit_texts_no_delete BEFORE DELETE ON audit_texts
BEGIN SELECT RAISE(ABORT, 'label_events is append-only'); END;

-- The log as it read before: the same columns, the same texts.
CREATE VIEW label_events AS
SELECT e.id AS id,
       CASE typeof(e.at) WHEN 'integer'
            THEN strftime('%Y-%m-%dT%H:%M:%S', e.at / 1000, 'unixepoch') || printf('.%03dZ', e.at % 1000)
            ELSE e.at END AS at,
       e.labeler_id AS labeler_id,
       e.pair_id AS pair_id,
       k.text AS kind,
       b.text AS before,
       a.text AS after,
       o.text AS origin,
       e.reason AS reason,
       e.blind AS blind
FROM audit_events e
JOIN audit_texts k ON k.id = e.kind
LEFT JOIN audit_texts b ON b.id = e.before
LEFT JOIN audit_texts a ON a.id = e.after
JOIN audit_texts o ON o.id = e.origin;
CREATE TRIGGER label_events_no_update INSTEAD OF UPDATE ON label_events
BEGIN SELECT RAISE(ABORT, 'label_events is append-only'); END;
CREATE TRIGGER label_events_no_delete INSTEAD OF DELETE ON label_events
BEGIN SELECT RAISE(ABORT, 'label_events is append-only'); END;

-- Verdicts and tags with their time in milliseconds (a table is rebuilt to change a column's
-- type). Nothing references these tables.
CREATE TABLE verdicts_0006 (
    pair_id    INTEGER NOT NULL REFERENCES pairs(id),
    labeler_id INTEGER NOT NULL REFERENCES labelers(id),
    verdict    TEXT NOT NULL CHECK (verdict IN ('same', 'different')),
    updated_at ANY NOT NULL,                                -- ms since 1970 UTC, or the text as given
    blind      INTEGER NOT NULL DEFAULT 1 CHECK (blind IN (0, 1)),
    PRIMARY KEY (pair_id, labeler_id)
) STRICT, WITHOUT ROWID;
INSERT INTO verdicts_0006 (pair_id, labeler_id, verdict, updated_at, blind)
SELECT pair_id, labeler_id, verdict,
       CASE WHEN strftime('%Y-%m-%dT%H:%M:%S', ms / 1000, 'unixepoch') || printf('.%03dZ', ms % 1000) = updated_at
            THEN ms ELSE updated_at END,
       blind
FROM (SELECT *, CAST(strftime('%s', substr(updated_at, 1, 19)) AS INTEGER) * 1000
                + CAST(substr(updated_at, 21, 3) AS INTEGER) AS ms FROM verdicts)
ORDER BY pair_id, labeler_id;
DROP TABLE verdicts;
ALTER TABLE verdicts_0006 RENAME TO verdicts;
CREATE INDEX verdicts_labeler ON verdicts(labeler_id);

CREATE TABLE pair_tags_0006 (
    pair_id    INTEGER NOT NULL REFERENCES pairs(id),
    labeler_id INTEGER NOT NULL REFERENCES labelers(id),
    tag_id     INTEGER NOT NULL REFERENCES tags(id),
    applied_at ANY NOT NULL,                                -- ms since 1970 UTC, or the text as given
    blind      INTEGER NOT NULL DEFAULT 1 CHECK (blind IN (0, 1)),
    PRIMARY KEY (pair_id, labeler_id, tag_id)
) STRICT, WITHOUT ROWID;
INSERT INTO pair_tags_0006 (pair_id, labeler_id, tag_id, applied_at, blind)
SELECT pair_id, labeler_id, tag_id,
       CASE WHEN strftime('%Y-%m-%dT%H:%M:%S', ms / 1000, 'unixepoch') || printf('.%03dZ', ms % 1000) = applied_at
            THEN ms ELSE applied_at END,
       blind
FROM (SELECT *, CAST(strftime('%s', substr(applied_at, 1, 19)) AS INTEGER) * 1000
                + CAST(substr(applied_at, 21, 3) AS INTEGER) AS ms FROM pair_tags)
ORDER BY pair_id, labeler_id, tag_id;
DROP TABLE pair_tags;
ALTER TABLE pair_tags_0006 RENAME TO pair_tags;
CREATE INDEX pair_tags_tag ON pair_tags(tag_id);
