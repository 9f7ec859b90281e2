-- Who is in each photo, when a dataset says so (LFW's folder names, import-folders subfolders,
-- identity columns of import-pairs, import-identities). All-vs-all comparisons take every pair
-- of distinct images: same identity is genuine, different is impostor. NULL: not known, and
-- such an image takes no part in all-vs-all.

ALTER TABLE images ADD COLUMN identity TEXT CHECK (identity IS NULL OR length(identity) > 0);
CREATE INDEX IF NOT EXISTS images_identity ON images(identity) WHERE identity IS NOT NULL;
