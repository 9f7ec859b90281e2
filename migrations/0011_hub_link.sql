-- A copy of a team hub's project (issue 16): which hub, which copy this is, and how far the
-- two have exchanged their audit logs.
CREATE TABLE hub_link (
    id           INTEGER PRIMARY KEY CHECK (id = 1),   -- a project is a copy of one hub at most
    url          TEXT NOT NULL,         -- postgres://ROLE@HOST:PORT/DATABASE: never a password
    hub_uid      TEXT NOT NULL,
    copy_id      TEXT NOT NULL,         -- local event n travels as '<copy_id>:<n>'
    labeler      TEXT,                  -- whose copy; NULL for the owner's, who shared it
    pushed_up_to INTEGER NOT NULL DEFAULT 0,  -- audit_events.id: every event up to it was sent
    pulled_up_to INTEGER NOT NULL DEFAULT 0   -- the hub's events.id: every event up to it is here
) STRICT;

-- The events that came from the hub, by their uid: applying one twice changes nothing, and
-- none is sent back.
CREATE TABLE hub_events (
    event_uid TEXT PRIMARY KEY,
    local_id  INTEGER NOT NULL UNIQUE  -- audit_events.id
) STRICT, WITHOUT ROWID;
