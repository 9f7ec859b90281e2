use rusqlite::OptionalExtension;

use super::{NOW, Result, StoreError, TagId, Tx};
use crate::quote::quote;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag {
    pub id: TagId,
    pub name: String,
    pub description: String,
    /// "#rrggbb"
    pub colour: String,
    /// 1–9, the key that toggles it in review.
    pub hotkey: Option<u8>,
}

#[derive(Clone, Debug)]
pub struct NewTag<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub colour: &'a str,
}

/// Colours for tags created without one (e.g. by an import): distinct on light and dark themes.
const PALETTE: [&str; 8] = ["#3b8ea5", "#6a4c93", "#2a9d8f", "#e76f51", "#8ab17d", "#c77dff", "#577590", "#f4a261"];

fn tag_from_row(r: &rusqlite::Row) -> rusqlite::Result<Tag> {
    Ok(Tag { id: r.get(0)?, name: r.get(1)?, description: r.get(2)?, colour: r.get(3)?, hotkey: r.get(4)? })
}

impl Tx<'_> {
    /// All tags: those with a hotkey first, in hotkey order, then by name.
    pub fn tags(&self) -> Result<Vec<Tag>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, name, description, colour, hotkey FROM tags
             ORDER BY hotkey IS NULL, hotkey, name COLLATE NOCASE",
        )?;
        let rows = stmt.query_map([], tag_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Tag names compare case-insensitively ("Dark" is "dark").
    pub fn find_tag(&self, name: &str) -> Result<Option<Tag>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT id, name, description, colour, hotkey FROM tags WHERE name = ?1",
                [name.trim()],
                tag_from_row,
            )
            .optional()?)
    }

    /// Creates a tag, giving it the lowest free hotkey. Returns the existing one if the name is taken.
    pub fn tag_or_create(&self, tag: &NewTag) -> Result<(Tag, bool)> {
        let name = tag.name.trim();
        validate_tag_name(name)?;
        if let Some(found) = self.find_tag(name)? {
            return Ok((found, false));
        }
        let hotkey: Option<u8> = self
            .conn()
            .query_row(
                "WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 9)
                 SELECT min(n) FROM k WHERE n NOT IN (SELECT hotkey FROM tags WHERE hotkey IS NOT NULL)",
                [],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        let count: i64 = self.conn().query_row("SELECT count(*) FROM tags", [], |r| r.get(0))?;
        let colour = if tag.colour.is_empty() { PALETTE[count as usize % PALETTE.len()] } else { tag.colour };
        self.conn().execute(
            &format!("INSERT INTO tags (name, description, colour, hotkey, created_at) VALUES (?1, ?2, ?3, ?4, {NOW})"),
            rusqlite::params![name, tag.description, colour, hotkey],
        )?;
        let id = TagId(self.conn().last_insert_rowid());
        Ok((
            Tag {
                id,
                name: name.to_owned(),
                description: tag.description.to_owned(),
                colour: colour.to_owned(),
                hotkey,
            },
            true,
        ))
    }
}

/// Tag names travel through CSV cells separated by ';', so they may not contain one.
pub fn validate_tag_name(name: &str) -> Result<()> {
    validate_name("tag", name)
}

/// The rules every name a person types for a tag or a labeler follows: not empty, no ';' (tags
/// travel through CSV cells separated by it), no control characters (a newline, a tab or an ESC
/// would reach the terminal of whoever runs `info`), at most 64 characters. `what` names the
/// thing in the message ("tag", "labeler").
pub(super) fn validate_name(what: &str, name: &str) -> Result<()> {
    if name.is_empty() {
        return Err(StoreError::Invalid(format!("a {what} needs a name")));
    }
    if name.contains(';') || name.chars().any(char::is_control) {
        return Err(StoreError::Invalid(format!(
            "{what} name {} may not contain ';' or control characters",
            quote(name)
        )));
    }
    if name.chars().count() > 64 {
        return Err(StoreError::Invalid(format!("{what} name {} is longer than 64 characters", quote(name))));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_util::temp_store;

    #[test]
    fn seeded_tags_come_in_hotkey_order() {
        let (_d, mut store) = temp_store();
        let tags = store.read(|tx| tx.tags()).unwrap();
        let names: Vec<_> = tags.iter().map(|t| (t.name.as_str(), t.hotkey)).collect();
        assert_eq!(names, [("dark", Some(1)), ("blurry", Some(2)), ("sunset", Some(3)), ("borderline", Some(4))]);
    }

    #[test]
    fn new_tags_get_the_next_free_hotkey_and_names_ignore_case() {
        let (_d, mut store) = temp_store();
        fn new(name: &str) -> NewTag<'_> {
            NewTag { name, description: "", colour: "" }
        }
        let (glare, created) = store.write(|tx| tx.tag_or_create(&new("glare"))).unwrap();
        assert!(created);
        assert_eq!(glare.hotkey, Some(5));
        let (dark, created) = store.write(|tx| tx.tag_or_create(&new("DARK"))).unwrap();
        assert!(!created);
        assert_eq!(dark.name, "dark");
        for i in 0..6 {
            store.write(|tx| tx.tag_or_create(&new(&format!("t{i}")))).unwrap();
        }
        let tags = store.read(|tx| tx.tags()).unwrap();
        assert_eq!(tags.iter().filter(|t| t.hotkey.is_some()).count(), 9, "only nine keys exist");
        assert!(store.write(|tx| tx.tag_or_create(&new("a;b"))).is_err());
    }
}
