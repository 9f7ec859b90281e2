-- Assignments (issue 16): with overlap k, each pair goes to at most k labelers, handed out in
-- small batches with leases. A labeler holds a slot of a pair while their lease on it is live
-- or once they have labeled it; an expired lease on an unlabeled pair frees its slot.
INSERT INTO hub_meta (key, value) VALUES ('overlap', '2'), ('lease_minutes', '30') ON CONFLICT (key) DO NOTHING;

CREATE TABLE assignments (
    pair_id      bigint NOT NULL REFERENCES pairs(id),
    labeler_id   bigint NOT NULL REFERENCES labelers(id),
    taken_at     timestamptz NOT NULL DEFAULT now(),
    leased_until timestamptz NOT NULL,
    PRIMARY KEY (pair_id, labeler_id)
);
CREATE INDEX assignments_live ON assignments (pair_id, leased_until);
-- Everyone sees who holds what; no labeler writes here except through pairscope_take.
GRANT SELECT ON assignments TO pairscope_labeler;

-- The assignments still open: leased, unexpired, and not labeled yet by their holder. What
-- `pairscope_take` hands back, and what `hub status` counts.
CREATE VIEW open_assignments AS
    SELECT a.* FROM assignments a
    WHERE a.leased_until > now()
      AND NOT EXISTS (SELECT 1 FROM verdicts v WHERE v.pair_id = a.pair_id AND v.labeler_id = a.labeler_id);
GRANT SELECT ON open_assignments TO pairscope_labeler;

-- The labelers holding a slot of a pair now.
CREATE FUNCTION pairscope_slots_taken(pair bigint) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT count(*) FROM (
        SELECT labeler_id FROM verdicts WHERE pair_id = pair
        UNION
        SELECT labeler_id FROM assignments WHERE pair_id = pair AND leased_until > now()
    ) holders
$$;

-- Hands the calling labeler up to `how_many` unlabeled pairs: their live leases first (renewed),
-- then pairs with a free slot, in id order. Returns what they hold now.
--
-- Two labelers taking at once: each locks the pairs it considers (FOR UPDATE SKIP LOCKED, so
-- neither waits for the other) and counts a pair's slots again once it holds the lock, in a
-- statement of its own, which in READ COMMITTED sees every assignment committed before it. So
-- the last free slot goes to one of them only.
--
-- SECURITY DEFINER: labelers may not lock or write pairs and assignments themselves. Inside it
-- current_user is the hub's owner, so the caller is found by session_user.
CREATE FUNCTION pairscope_take(how_many integer)
    RETURNS TABLE (pair_id bigint, leased_until timestamptz)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
    me bigint := (SELECT l.id FROM labelers l WHERE l.pg_role = session_user);
    k bigint := (SELECT value::bigint FROM hub_meta WHERE key = 'overlap');
    lease interval := make_interval(mins => (SELECT value::integer FROM hub_meta WHERE key = 'lease_minutes'));
    held integer;
    candidate bigint;
BEGIN
    IF me IS NULL THEN
        RAISE EXCEPTION 'the role % is no labeler of the hub, so it takes no assignments', session_user;
    END IF;
    UPDATE assignments a SET leased_until = now() + lease
        WHERE a.labeler_id = me AND a.pair_id IN (SELECT o.pair_id FROM open_assignments o WHERE o.labeler_id = me);
    GET DIAGNOSTICS held = ROW_COUNT;
    IF held < how_many THEN
        FOR candidate IN
            SELECT p.id FROM pairs p
            WHERE NOT EXISTS (SELECT 1 FROM verdicts v WHERE v.pair_id = p.id AND v.labeler_id = me)
              AND NOT EXISTS (SELECT 1 FROM assignments a
                              WHERE a.pair_id = p.id AND a.labeler_id = me AND a.leased_until > now())
              AND pairscope_slots_taken(p.id) < k
            ORDER BY p.id
            FOR UPDATE OF p SKIP LOCKED
        LOOP
            IF pairscope_slots_taken(candidate) < k THEN
                INSERT INTO assignments AS a (pair_id, labeler_id, leased_until)
                    VALUES (candidate, me, now() + lease)
                    ON CONFLICT ON CONSTRAINT assignments_pkey
                    DO UPDATE SET taken_at = now(), leased_until = excluded.leased_until;
                held := held + 1;
                EXIT WHEN held >= how_many;
            END IF;
        END LOOP;
    END IF;
    RETURN QUERY
        SELECT a.pair_id, a.leased_until FROM open_assignments a WHERE a.labeler_id = me ORDER BY a.pair_id;
END
$$;
REVOKE ALL ON FUNCTION pairscope_take(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pairscope_take(integer) TO pairscope_labeler;
