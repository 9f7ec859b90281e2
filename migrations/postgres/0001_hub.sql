-- The team hub (issue 16): one PostgreSQL database (14 or newer) holding a team's shared
-- project. Photos stay on each machine; the hub holds their path, sha256 and size.
--
-- Access is the server's own: each labeler connects as their own role, a member of
-- pairscope_labeler (and pairscope_adjudicator for adjudicators). Row-level security lets a
-- labeler write only their own verdicts, tags and notes; only adjudicators write
-- adjudications and truth; nobody updates or deletes the audit log. The roles are the
-- cluster's, shared by every hub database on it.
-- Two hubs made at once on one server both try to create the roles: the second one's attempt
-- fails as a duplicate, which is what we wanted anyway.
DO $$
BEGIN
    BEGIN
        CREATE ROLE pairscope_labeler NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
    BEGIN
        CREATE ROLE pairscope_adjudicator NOLOGIN IN ROLE pairscope_labeler;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
END
$$;

CREATE TABLE hub_meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);
INSERT INTO hub_meta (key, value) VALUES ('hub_uid', md5(random()::text || clock_timestamp()::text));

CREATE TABLE images (
    id     bigserial PRIMARY KEY,
    path   text NOT NULL UNIQUE,             -- relative, '/'-separated: found under each copy's folder
    sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    bytes  bigint NOT NULL CHECK (bytes >= 0)
);

CREATE TABLE pairs (
    id          bigserial PRIMARY KEY,
    external_id text UNIQUE,
    image_a     bigint NOT NULL REFERENCES images(id),
    image_b     bigint NOT NULL REFERENCES images(id),
    truth       text CHECK (truth IN ('same', 'different')),
    split       text CHECK (split IN ('train', 'train-dev', 'dev', 'test')),
    metadata    jsonb NOT NULL DEFAULT '{}',
    CHECK (image_a <> image_b)
);

CREATE TABLE labelers (
    id      bigserial PRIMARY KEY,
    name    text NOT NULL UNIQUE,
    -- The PostgreSQL role this labeler connects as.
    pg_role name NOT NULL UNIQUE,
    role    text NOT NULL DEFAULT 'labeler' CHECK (role IN ('labeler', 'adjudicator', 'engineer'))
);

-- The labeler the connected role is (NULL for the hub's owner and strangers).
CREATE FUNCTION pairscope_me() RETURNS bigint LANGUAGE sql STABLE AS
    $$ SELECT id FROM labelers WHERE pg_role = current_user $$;

CREATE FUNCTION pairscope_is_adjudicator() RETURNS boolean LANGUAGE sql STABLE AS
    $$ SELECT pg_has_role(current_user, 'pairscope_adjudicator', 'MEMBER') $$;

CREATE TABLE tags (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    description text NOT NULL DEFAULT '',
    colour      text NOT NULL DEFAULT '#888888',
    hotkey      smallint UNIQUE CHECK (hotkey BETWEEN 1 AND 9)
);

CREATE TABLE verdicts (
    pair_id    bigint NOT NULL REFERENCES pairs(id),
    labeler_id bigint NOT NULL REFERENCES labelers(id),
    verdict    text NOT NULL CHECK (verdict IN ('same', 'different')),
    blind      boolean NOT NULL DEFAULT true,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (pair_id, labeler_id)
);

CREATE TABLE pair_tags (
    pair_id    bigint NOT NULL REFERENCES pairs(id),
    labeler_id bigint NOT NULL REFERENCES labelers(id),
    tag_id     bigint NOT NULL REFERENCES tags(id),
    blind      boolean NOT NULL DEFAULT true,
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (pair_id, labeler_id, tag_id)
);

CREATE TABLE notes (
    pair_id    bigint NOT NULL REFERENCES pairs(id),
    labeler_id bigint NOT NULL REFERENCES labelers(id),
    note       text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (pair_id, labeler_id)
);

CREATE TABLE adjudications (
    pair_id    bigint PRIMARY KEY REFERENCES pairs(id),
    labeler_id bigint NOT NULL REFERENCES labelers(id),
    verdict    text CHECK (verdict IN ('same', 'different')),
    tags       jsonb NOT NULL DEFAULT '[]',
    reason     text NOT NULL CHECK (length(trim(reason)) > 0),
    decided_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE truth_corrections (
    id         bigserial PRIMARY KEY,
    pair_id    bigint NOT NULL REFERENCES pairs(id),
    labeler_id bigint NOT NULL REFERENCES labelers(id),
    before     text CHECK (before IN ('same', 'different')),
    after      text CHECK (after IN ('same', 'different')),
    reason     text NOT NULL CHECK (length(trim(reason)) > 0),
    at         timestamptz NOT NULL DEFAULT now()
);

-- The append-only audit log. Changes travel between copies as these events; `event_uid` is
-- the event's stable id, so applying one twice changes nothing.
CREATE TABLE events (
    id         bigserial PRIMARY KEY,
    event_uid  text NOT NULL UNIQUE,
    at         timestamptz NOT NULL,
    labeler_id bigint REFERENCES labelers(id),
    pair_id    bigint REFERENCES pairs(id),
    kind       text NOT NULL,
    before     jsonb,
    after      jsonb,
    origin     text NOT NULL,
    reason     text
);
CREATE INDEX events_pair ON events(pair_id);

CREATE FUNCTION pairscope_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END
$$;
-- Even the hub's owner cannot rewrite history through SQL.
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION pairscope_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION pairscope_append_only();

-- What every labeler may read and write.
GRANT SELECT ON hub_meta, images, pairs, labelers, tags, verdicts, pair_tags, notes, adjudications,
    truth_corrections, events TO pairscope_labeler;
GRANT INSERT, UPDATE, DELETE ON verdicts, pair_tags, notes TO pairscope_labeler;
GRANT INSERT ON events TO pairscope_labeler;
GRANT USAGE ON SEQUENCE events_id_seq TO pairscope_labeler;
GRANT INSERT, UPDATE, DELETE ON adjudications TO pairscope_adjudicator;
GRANT INSERT ON truth_corrections TO pairscope_adjudicator;
GRANT USAGE ON SEQUENCE truth_corrections_id_seq TO pairscope_adjudicator;
GRANT UPDATE (truth) ON pairs TO pairscope_adjudicator;

ALTER TABLE verdicts ENABLE ROW LEVEL SECURITY;
ALTER TABLE pair_tags ENABLE ROW LEVEL SECURITY;
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE adjudications ENABLE ROW LEVEL SECURITY;
ALTER TABLE truth_corrections ENABLE ROW LEVEL SECURITY;
ALTER TABLE pairs ENABLE ROW LEVEL SECURITY;
ALTER TABLE events ENABLE ROW LEVEL SECURITY;

-- Everyone reads everything (blind review is the app's to enforce: it hides, the hub shares).
CREATE POLICY read_all ON verdicts FOR SELECT USING (true);
CREATE POLICY read_all ON pair_tags FOR SELECT USING (true);
CREATE POLICY read_all ON notes FOR SELECT USING (true);
CREATE POLICY read_all ON adjudications FOR SELECT USING (true);
CREATE POLICY read_all ON truth_corrections FOR SELECT USING (true);
CREATE POLICY read_all ON pairs FOR SELECT USING (true);
CREATE POLICY read_all ON events FOR SELECT USING (true);

-- A labeler's own labels only.
CREATE POLICY own_insert ON verdicts FOR INSERT WITH CHECK (labeler_id = pairscope_me());
CREATE POLICY own_update ON verdicts FOR UPDATE USING (labeler_id = pairscope_me()) WITH CHECK (labeler_id = pairscope_me());
CREATE POLICY own_delete ON verdicts FOR DELETE USING (labeler_id = pairscope_me());
CREATE POLICY own_insert ON pair_tags FOR INSERT WITH CHECK (labeler_id = pairscope_me());
CREATE POLICY own_update ON pair_tags FOR UPDATE USING (labeler_id = pairscope_me()) WITH CHECK (labeler_id = pairscope_me());
CREATE POLICY own_delete ON pair_tags FOR DELETE USING (labeler_id = pairscope_me());
CREATE POLICY own_insert ON notes FOR INSERT WITH CHECK (labeler_id = pairscope_me());
CREATE POLICY own_update ON notes FOR UPDATE USING (labeler_id = pairscope_me()) WITH CHECK (labeler_id = pairscope_me());
CREATE POLICY own_delete ON notes FOR DELETE USING (labeler_id = pairscope_me());
-- Events of one's own, or of no one (a tag definition), never in another labeler's name.
CREATE POLICY own_insert ON events FOR INSERT WITH CHECK (labeler_id IS NULL OR labeler_id = pairscope_me());

-- Adjudicators alone settle disagreements and correct the truth, in their own name.
CREATE POLICY adjudicators_insert ON adjudications FOR INSERT
    WITH CHECK (pairscope_is_adjudicator() AND labeler_id = pairscope_me());
CREATE POLICY adjudicators_update ON adjudications FOR UPDATE
    USING (pairscope_is_adjudicator()) WITH CHECK (pairscope_is_adjudicator() AND labeler_id = pairscope_me());
CREATE POLICY adjudicators_delete ON adjudications FOR DELETE USING (pairscope_is_adjudicator());
CREATE POLICY adjudicators_insert ON truth_corrections FOR INSERT
    WITH CHECK (pairscope_is_adjudicator() AND labeler_id = pairscope_me());
CREATE POLICY adjudicators_update ON pairs FOR UPDATE
    USING (pairscope_is_adjudicator()) WITH CHECK (pairscope_is_adjudicator());
