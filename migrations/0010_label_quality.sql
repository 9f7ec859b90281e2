-- Label quality (issue 15): how long each verdict took, gold pairs, and example pairs for tags.
--
-- elapsed_ms: the time from the pair being shown to this verdict, as the app measured it; NULL
-- for verdicts from before this migration, from imports and merges, and from the command line.
ALTER TABLE verdicts ADD COLUMN elapsed_ms INTEGER CHECK (elapsed_ms >= 0);

-- Pairs an adjudicator marked as gold: their truth is checked, so a labeler's verdicts on them
-- measure that labeler. In blind mode they are mixed, unannounced, into every labeler's queue.
-- Marking and unmarking are audit events ('gold').
CREATE TABLE gold_pairs (
    pair_id   INTEGER PRIMARY KEY REFERENCES pairs(id),
    marked_by INTEGER NOT NULL REFERENCES labelers(id),
    marked_at TEXT NOT NULL
) STRICT;

-- Example pairs of a tag, pinned by an adjudicator beside the tag's definition: positive
-- (the tag applies) or negative (it does not, though one might think so). Pinning and
-- unpinning are audit events ('tag-example'); the definitions' versions are 'tag-def' events.
CREATE TABLE tag_examples (
    tag_id    INTEGER NOT NULL REFERENCES tags(id),
    pair_id   INTEGER NOT NULL REFERENCES pairs(id),
    positive  INTEGER NOT NULL CHECK (positive IN (0, 1)),
    pinned_by INTEGER NOT NULL REFERENCES labelers(id),
    pinned_at TEXT NOT NULL,
    PRIMARY KEY (tag_id, pair_id)
) STRICT, WITHOUT ROWID;
