-- Suggested tags (dark, blurry from image statistics) that a user rejected for a pair: they are
-- not suggested for it again. The tag is kept by name, as suggestions name it, so a rejection
-- outlives the tag being deleted and re-created.
-- IF NOT EXISTS: migrations on other branches may be numbered around this one; a project file
-- made before they meet must not fail when the list is renumbered.

CREATE TABLE IF NOT EXISTS rejected_suggestions (
    pair_id     INTEGER NOT NULL REFERENCES pairs(id),
    tag         TEXT NOT NULL,                          -- lower case
    labeler_id  INTEGER REFERENCES labelers(id),        -- who rejected it, if a labeler was at work
    rejected_at TEXT NOT NULL,
    PRIMARY KEY (pair_id, tag)
) STRICT, WITHOUT ROWID;
