-- Adjudications and truth corrections travel between copies too (issue 16). Whoever set them,
-- a pair has one of each, so a change made in a copy from a state the hub no longer has is a
-- conflict: its event is kept, as history, but not applied, here or in any copy.
ALTER TABLE events ADD COLUMN applied boolean NOT NULL DEFAULT true;
