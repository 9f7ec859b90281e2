-- The pairs the hub assigned to this copy's labeler (issue 16), as of the last sync that took
-- some: Review's "My assignments" queue reads them here, so it works offline.
CREATE TABLE hub_assignments (
    pair_id      INTEGER PRIMARY KEY REFERENCES pairs(id),
    leased_until TEXT NOT NULL     -- RFC 3339, UTC, as the hub gave it
) STRICT;
