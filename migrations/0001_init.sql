-- pairscope project schema, version 1.
-- A project is one SQLite file. Every user action is one transaction; label_events is the
-- append-only audit log that makes sure nothing a labeler did is ever lost.

CREATE TABLE project_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Images live under one or more roots (a dataset folder); paths are stored relative to their
-- root so that a moved dataset only needs its root updated.
CREATE TABLE image_roots (
    id   INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE
) STRICT;

CREATE TABLE images (
    id          INTEGER PRIMARY KEY,
    root_id     INTEGER NOT NULL REFERENCES image_roots(id),
    path        TEXT NOT NULL,              -- relative to the root, '/'-separated
    sha256      TEXT NOT NULL,
    bytes       INTEGER NOT NULL,
    width       INTEGER,                    -- NULL when the header could not be read
    height      INTEGER,
    added_at    TEXT NOT NULL,
    -- per-image statistics, filled by the face pipeline
    brightness  REAL,
    sharpness   REAL,
    UNIQUE (root_id, path)
) STRICT;
CREATE INDEX images_sha256 ON images(sha256);

CREATE TABLE pairs (
    id          INTEGER PRIMARY KEY,
    external_id TEXT UNIQUE,                -- the user's own pair id (CSV pair_id, lfw:fold:n)
    image_a     INTEGER NOT NULL REFERENCES images(id),
    image_b     INTEGER NOT NULL REFERENCES images(id),
    truth       TEXT CHECK (truth IN ('same', 'different')),
    split       TEXT CHECK (split IN ('train', 'train-dev', 'dev', 'test')),
    source      TEXT NOT NULL,
    metadata    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
    added_at    TEXT NOT NULL,
    CHECK (image_a <> image_b)
) STRICT;
-- (a, b) and (b, a) are the same pair: importing either twice must not duplicate it.
CREATE UNIQUE INDEX pairs_unordered ON pairs(min(image_a, image_b), max(image_a, image_b));
CREATE INDEX pairs_image_b ON pairs(image_b);

CREATE TABLE labelers (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    role       TEXT NOT NULL DEFAULT 'labeler' CHECK (role IN ('labeler', 'adjudicator')),
    simulated  INTEGER NOT NULL DEFAULT 0 CHECK (simulated IN (0, 1)),
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE tags (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description TEXT NOT NULL DEFAULT '',
    colour      TEXT NOT NULL DEFAULT '#888888',
    hotkey      INTEGER UNIQUE CHECK (hotkey BETWEEN 1 AND 9),
    created_at  TEXT NOT NULL
) STRICT;

-- One current verdict per pair and labeler.
CREATE TABLE verdicts (
    pair_id    INTEGER NOT NULL REFERENCES pairs(id),
    labeler_id INTEGER NOT NULL REFERENCES labelers(id),
    verdict    TEXT NOT NULL CHECK (verdict IN ('same', 'different')),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (pair_id, labeler_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX verdicts_labeler ON verdicts(labeler_id);

-- A tag applied to a pair BY a labeler: per labeler, so agreement on tags can be measured.
CREATE TABLE pair_tags (
    pair_id    INTEGER NOT NULL REFERENCES pairs(id),
    labeler_id INTEGER NOT NULL REFERENCES labelers(id),
    tag_id     INTEGER NOT NULL REFERENCES tags(id),
    applied_at TEXT NOT NULL,
    PRIMARY KEY (pair_id, labeler_id, tag_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX pair_tags_tag ON pair_tags(tag_id);

CREATE TABLE pair_notes (
    pair_id    INTEGER NOT NULL REFERENCES pairs(id),
    labeler_id INTEGER NOT NULL REFERENCES labelers(id),
    note       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (pair_id, labeler_id)
) STRICT, WITHOUT ROWID;

-- An adjudicator's decision on a disputed pair: the consensus verdict and tags.
CREATE TABLE adjudications (
    pair_id    INTEGER PRIMARY KEY REFERENCES pairs(id),
    labeler_id INTEGER NOT NULL REFERENCES labelers(id),
    verdict    TEXT CHECK (verdict IN ('same', 'different')),
    tags       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),   -- tag names
    reason     TEXT NOT NULL,
    decided_at TEXT NOT NULL
) STRICT;

-- The append-only audit log: who changed what, from what, to what, when, and through what.
CREATE TABLE label_events (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    labeler_id INTEGER REFERENCES labelers(id),
    pair_id    INTEGER REFERENCES pairs(id),
    kind       TEXT NOT NULL,              -- verdict, tag, note, truth, adjudication, tag-def
    before     TEXT,                       -- JSON or NULL
    after      TEXT,                       -- JSON or NULL
    origin     TEXT NOT NULL,              -- gui, import:<file>, cli, merge:<file>
    reason     TEXT
) STRICT;
CREATE INDEX label_events_pair ON label_events(pair_id);
CREATE INDEX label_events_labeler ON label_events(labeler_id, id);
CREATE TRIGGER label_events_no_update BEFORE UPDATE ON label_events
BEGIN SELECT RAISE(ABORT, 'label_events is append-only'); END;
CREATE TRIGGER label_events_no_delete BEFORE DELETE ON label_events
BEGIN SELECT RAISE(ABORT, 'label_events is append-only'); END;

CREATE TABLE models (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL UNIQUE,
    sha256   TEXT,                         -- NULL for imported scores
    kind     TEXT NOT NULL CHECK (kind IN ('embedded', 'onnx', 'imported')),
    spec     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(spec)),
    added_at TEXT NOT NULL
) STRICT;

-- Embedding cache, keyed by content: re-scoring after a restart or a threshold change is free,
-- and a new model gets its own rows.
CREATE TABLE embeddings (
    model_sha256 TEXT NOT NULL,
    image_sha256 TEXT NOT NULL,
    status       TEXT NOT NULL,             -- ok, several_faces, no_face, undecodable, too_large (face::ImageStatus codes)
    detail       TEXT,
    face_count   INTEGER,
    face         TEXT CHECK (face IS NULL OR json_valid(face)),  -- box, score, 5 points
    vector       BLOB,                      -- little-endian f32, L2-normalised
    computed_at  TEXT NOT NULL,
    PRIMARY KEY (model_sha256, image_sha256)
) STRICT, WITHOUT ROWID;

CREATE TABLE scores (
    pair_id  INTEGER NOT NULL REFERENCES pairs(id),
    model_id INTEGER NOT NULL REFERENCES models(id),
    score    REAL NOT NULL,
    PRIMARY KEY (pair_id, model_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX scores_model ON scores(model_id);

-- An evaluation snapshot: model, threshold and every metric at that moment.
CREATE TABLE runs (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    model_id   INTEGER REFERENCES models(id),
    rule       TEXT NOT NULL,
    threshold  REAL,
    metrics    TEXT NOT NULL CHECK (json_valid(metrics)),
    created_at TEXT NOT NULL
) STRICT;

INSERT INTO tags (name, description, colour, hotkey, created_at) VALUES
  ('dark', 'Too little light: a face is hard to make out in the shadows.', '#4a5a8c', 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('blurry', 'Motion or focus blur: facial detail is smeared.', '#8c7a4a', 2, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('sunset', 'Warm, low sun: strong orange cast or harsh side light.', '#d9822b', 3, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('borderline', 'Hard to call even for a careful human: you hesitated.', '#b0413e', 4, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
