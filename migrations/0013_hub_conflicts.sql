-- A copy's adjudications and truths the team hub did not take (issue 16): the copy's
-- adjudicator changed them without seeing a change someone else had made. The copy keeps its
-- own, and the hub's later changes of them arrive as history only, until a decision made here
-- again is taken by the hub.
CREATE TABLE hub_conflicts (
    pair_id INTEGER NOT NULL REFERENCES pairs(id),
    kind    TEXT NOT NULL CHECK (kind IN ('adjudication', 'truth')),
    PRIMARY KEY (pair_id, kind)
) STRICT, WITHOUT ROWID;
