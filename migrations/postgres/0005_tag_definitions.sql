-- Tag definitions travel between copies (issue 16): adjudicators edit a tag's name,
-- description and colour for the whole team (labelers may only add tags, as before). Hotkeys
-- stay in each copy: they are a labeler's keyboard, not the team's definition.
GRANT UPDATE (name, description, colour) ON tags TO pairscope_adjudicator;
