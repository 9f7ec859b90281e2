-- Sharing a project and syncing copies of it (issue 16).

-- Labelers come with a shared project by name; an administrator gives each a role of their own
-- (`hub add-labeler`) before they clone. Until then no one connects as them.
ALTER TABLE labelers ALTER COLUMN pg_role DROP NOT NULL;

-- What a copy needs to rebuild the project: each image's identity (for splits by person).
ALTER TABLE images ADD COLUMN identity text;

-- Tags are one per name whatever its case, as in a project file; a labeler's copy may bring a
-- tag of their own (the app lets anyone add one), so labelers may add tags, never change them.
CREATE UNIQUE INDEX tags_name_any_case ON tags (lower(name));
GRANT INSERT ON tags TO pairscope_labeler;
GRANT USAGE ON SEQUENCE tags_id_seq TO pairscope_labeler;

-- The audit log keeps each event exactly as its copy recorded it: its time as written there,
-- its before and after as the JSON text it was (jsonb would reorder keys and respace), and
-- whether a label was given blind. `received_at` is when the hub got it.
ALTER TABLE events ALTER COLUMN at TYPE text USING to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
ALTER TABLE events ALTER COLUMN before TYPE text USING before::text;
ALTER TABLE events ALTER COLUMN after TYPE text USING after::text;
ALTER TABLE events ADD COLUMN blind boolean;
ALTER TABLE events ADD COLUMN received_at timestamptz NOT NULL DEFAULT now();

-- Each copy of the project: whose it is (NULL: the owner's, who shared it), how far it has
-- pulled the log and when it last synced, for `hub status`.
CREATE TABLE copies (
    copy_id      text PRIMARY KEY DEFAULT md5(random()::text || clock_timestamp()::text),
    labeler_id   bigint REFERENCES labelers(id),
    made_at      timestamptz NOT NULL DEFAULT now(),
    pulled_up_to bigint NOT NULL DEFAULT 0,
    synced_at    timestamptz
);
GRANT SELECT, INSERT ON copies TO pairscope_labeler;
GRANT UPDATE (pulled_up_to, synced_at) ON copies TO pairscope_labeler;
ALTER TABLE copies ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON copies FOR SELECT USING (true);
CREATE POLICY own_insert ON copies FOR INSERT WITH CHECK (labeler_id = pairscope_me());
CREATE POLICY own_update ON copies FOR UPDATE USING (labeler_id = pairscope_me()) WITH CHECK (labeler_id = pairscope_me());

-- Every copy checks the hub's schema version before it syncs, so labelers may read it.
GRANT SELECT ON hub_migrations TO pairscope_labeler;
