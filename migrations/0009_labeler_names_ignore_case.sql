-- Labeler names compare case-insensitively, as tag names do: "CY" is the labeler "cy".
--
-- A project made before this rule may hold two labelers whose names differ only in case
-- ("cy" and "CY"). They are kept as they are, each with every label, role and audit event:
-- merging them could join two people's verdicts on the same pair, and which one to keep is
-- not ours to decide. From now on the exact name picks one of them, any other spelling is
-- refused as ambiguous (`find_labeler`), and no new name may differ from an existing one only
-- in case (the triggers below; `labeler_or_create` finds the existing labeler first). The
-- rule folds ASCII letters, as SQLite's NOCASE does for tag names.
CREATE INDEX labelers_name_nocase ON labelers (name COLLATE NOCASE);

CREATE TRIGGER labelers_name_unique_nocase_insert BEFORE INSERT ON labelers
WHEN EXISTS (SELECT 1 FROM labelers WHERE name = NEW.name COLLATE NOCASE)
BEGIN
    SELECT RAISE(ABORT, 'a labeler of this name exists already (labeler names ignore case)');
END;

CREATE TRIGGER labelers_name_unique_nocase_update BEFORE UPDATE OF name ON labelers
WHEN EXISTS (SELECT 1 FROM labelers WHERE name = NEW.name COLLATE NOCASE AND id <> NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'a labeler of this name exists already (labeler names ignore case)');
END;
