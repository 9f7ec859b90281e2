-- Curation lineage: every split run and every export is recorded in the project, so a
-- dataset on disk can always be traced back to the selection and the moment that made it.
-- IF NOT EXISTS: this migration is numbered 0003 while 0002 is written on another branch; a
-- project file made before the two meet must not fail when the list is renumbered.

CREATE TABLE IF NOT EXISTS split_runs (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    params     TEXT NOT NULL CHECK (json_valid(params)),    -- ratios, seed, train-dev share
    preview    TEXT NOT NULL CHECK (json_valid(preview)),   -- the per-split table that was applied
    changed    INTEGER NOT NULL,                            -- pairs whose split changed
    origin     TEXT NOT NULL                                -- cli, gui
) STRICT;

CREATE TABLE IF NOT EXISTS exports (
    id              INTEGER PRIMARY KEY,
    at              TEXT NOT NULL,
    target          TEXT NOT NULL,                          -- the folder written, absolute
    selection       TEXT NOT NULL CHECK (json_valid(selection)),
    manifest_sha256 TEXT NOT NULL,
    pairs           INTEGER NOT NULL,
    images          INTEGER NOT NULL,
    origin          TEXT NOT NULL
) STRICT;
