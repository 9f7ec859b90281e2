//! Editing tag definitions: rename, describe, recolour, re-key, and merge two tags into one
//! (Ng's "merge classes"). Definition changes are logged as `tag-def` events; a merge also
//! logs every labeler's tag change it causes, so the audit log explains every label.

use serde_json::json;

use super::{Origin, Result, StoreError, Tag, TagId, Tx, validate_tag_name};
use crate::quote::quote;

/// The new definition of a tag.
#[derive(Clone, Debug, PartialEq)]
pub struct TagEdit<'a> {
    pub name: &'a str,
    pub description: &'a str,
    /// "#rrggbb"
    pub colour: &'a str,
    pub hotkey: Option<u8>,
}

fn tag_json(tag: &Tag) -> serde_json::Value {
    json!({ "tag_id": tag.id, "name": tag.name, "description": tag.description, "colour": tag.colour, "hotkey": tag.hotkey })
}

fn valid_colour(colour: &str) -> bool {
    colour.len() == 7 && colour.starts_with('#') && colour[1..].chars().all(|c| c.is_ascii_hexdigit())
}

impl Tx<'_> {
    fn tag_by_id(&self, id: TagId) -> Result<Tag> {
        self.tags()?.into_iter().find(|t| t.id == id).ok_or_else(|| StoreError::Invalid(format!("no tag with id {id}")))
    }

    /// Changes a tag's definition. A hotkey another tag holds is swapped with it.
    pub fn edit_tag(&self, id: TagId, edit: &TagEdit, origin: Origin) -> Result<Tag> {
        let name = edit.name.trim();
        validate_tag_name(name)?;
        if !valid_colour(edit.colour) {
            return Err(StoreError::Invalid(format!("colour {} is not of the form #rrggbb", quote(edit.colour))));
        }
        if edit.hotkey.is_some_and(|k| !(1..=9).contains(&k)) {
            return Err(StoreError::Invalid("a hotkey is a digit from 1 to 9".into()));
        }
        let before = self.tag_by_id(id)?;
        if let Some(other) = self.find_tag(name)?
            && other.id != id
        {
            return Err(StoreError::Invalid(format!(
                "a tag named {} exists already; merge them instead",
                quote(&other.name)
            )));
        }
        let holder = match edit.hotkey {
            Some(key) => self.tags()?.into_iter().find(|t| t.hotkey == Some(key) && t.id != id),
            None => None,
        };
        if let Some(holder) = &holder {
            self.conn().execute("UPDATE tags SET hotkey = NULL WHERE id = ?1", [holder.id])?;
        }
        self.conn().execute(
            "UPDATE tags SET name = ?1, description = ?2, colour = ?3, hotkey = ?4 WHERE id = ?5",
            rusqlite::params![name, edit.description, edit.colour, edit.hotkey, id],
        )?;
        if let Some(holder) = holder {
            self.conn()
                .execute("UPDATE tags SET hotkey = ?1 WHERE id = ?2", rusqlite::params![before.hotkey, holder.id])?;
            let after = self.tag_by_id(holder.id)?;
            self.log_event(None, None, "tag-def", tag_json(&holder), tag_json(&after), origin, Some("hotkey swapped"))?;
        }
        let after = self.tag_by_id(id)?;
        if after != before {
            self.log_event(None, None, "tag-def", tag_json(&before), tag_json(&after), origin, None)?;
        }
        Ok(after)
    }

    /// Folds tag `from` into tag `into`: every labeler who applied `from` to a pair now has
    /// `into` on it, adjudications name `into`, and `from` is gone.
    pub fn merge_tags(&self, from: TagId, into: TagId, origin: Origin) -> Result<()> {
        if from == into {
            return Err(StoreError::Invalid("cannot merge a tag into itself".into()));
        }
        let from_tag = self.tag_by_id(from)?;
        let into_tag = self.tag_by_id(into)?;
        let mut stmt = self.conn().prepare("SELECT pair_id, labeler_id FROM pair_tags WHERE tag_id = ?1")?;
        let applied: Vec<(super::PairId, super::LabelerId)> =
            stmt.query_map([from], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        for (pair, labeler) in applied {
            self.set_pair_tag(pair, labeler, into, true, origin)?;
            self.set_pair_tag(pair, labeler, from, false, origin)?;
        }
        let mut stmt = self.conn().prepare("SELECT pair_id, tags FROM adjudications")?;
        let adjudications: Vec<(super::PairId, String)> =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        for (pair, tags) in adjudications {
            let mut names: Vec<String> = serde_json::from_str(&tags).unwrap_or_default();
            if !names.iter().any(|n| n.eq_ignore_ascii_case(&from_tag.name)) {
                continue;
            }
            names.retain(|n| !n.eq_ignore_ascii_case(&from_tag.name) && !n.eq_ignore_ascii_case(&into_tag.name));
            names.push(into_tag.name.clone());
            let json = serde_json::to_string(&names).expect("strings serialise");
            self.conn()
                .execute("UPDATE adjudications SET tags = ?1 WHERE pair_id = ?2", rusqlite::params![json, pair])?;
        }
        // Examples of `from` become examples of `into`, unless `into` has that pair already.
        self.conn().execute(
            "UPDATE OR IGNORE tag_examples SET tag_id = ?2 WHERE tag_id = ?1",
            rusqlite::params![from, into],
        )?;
        self.conn().execute("DELETE FROM tag_examples WHERE tag_id = ?1", [from])?;
        self.conn().execute("DELETE FROM tags WHERE id = ?1", [from])?;
        self.log_event(
            None,
            None,
            "tag-def",
            tag_json(&from_tag),
            json!({ "merged_into": into_tag.name, "tag_id": into }),
            origin,
            None,
        )
    }

    /// A new tag from the tag editor.
    pub fn create_tag(&self, name: &str, origin: Origin) -> Result<Tag> {
        let (tag, created) = self.tag_or_create(&super::NewTag { name, description: "", colour: "" })?;
        if !created {
            return Err(StoreError::Invalid(format!("a tag named {} exists already", quote(&tag.name))));
        }
        self.log_event(None, None, "tag-def", serde_json::Value::Null, tag_json(&tag), origin, None)?;
        Ok(tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Truth;
    use crate::store::test_util::temp_store;
    use crate::store::{NewImage, NewPair, Role, review::Decision};

    #[test]
    fn renaming_and_rekeying_swaps_hotkeys_and_logs() {
        let (_d, mut store) = temp_store();
        let dark = store.read(|tx| tx.find_tag("dark")).unwrap().unwrap();
        let edit = TagEdit { name: "low light", description: "too dark", colour: "#112233", hotkey: Some(2) };
        let after = store.write(|tx| tx.edit_tag(dark.id, &edit, Origin::Gui)).unwrap();
        assert_eq!((after.name.as_str(), after.hotkey), ("low light", Some(2)));
        let blurry = store.read(|tx| tx.find_tag("blurry")).unwrap().unwrap();
        assert_eq!(blurry.hotkey, Some(1), "blurry got dark's old key");
        assert_eq!(store.read(|tx| tx.event_count()).unwrap(), 2);
        let clash = TagEdit { name: "Sunset", ..edit.clone() };
        assert!(store.write(|tx| tx.edit_tag(dark.id, &clash, Origin::Gui)).is_err());
        let bad = TagEdit { colour: "red", ..edit };
        assert!(store.write(|tx| tx.edit_tag(dark.id, &bad, Origin::Gui)).is_err());
    }

    #[test]
    fn merging_moves_every_application_and_adjudication() {
        let (_d, mut store) = temp_store();
        let (pair, alice, judge) = store
            .write(|tx| {
                let root = tx.image_root("/data")?;
                let img = |p| NewImage { root, path: p, sha256: p, bytes: 1, dimensions: None };
                let (a, _) = tx.upsert_image(&img("a.jpg"))?;
                let (b, _) = tx.upsert_image(&img("b.jpg"))?;
                let meta = json!({});
                let pair = tx.insert_pair(&NewPair {
                    external_id: None,
                    image_a: a,
                    image_b: b,
                    truth: Some(Truth::Same),
                    split: None,
                    source: "t",
                    metadata: &meta,
                })?;
                let alice = tx.labeler_or_create("alice")?.0.id;
                let judge = tx.labeler_or_create("judge")?.0.id;
                tx.set_labeler_role(judge, Role::Adjudicator, Origin::Cli)?;
                Ok::<_, StoreError>((pair, alice, judge))
            })
            .unwrap();
        let dark = store.read(|tx| tx.find_tag("dark")).unwrap().unwrap().id;
        let sunset = store.read(|tx| tx.find_tag("sunset")).unwrap().unwrap().id;
        store.write(|tx| tx.set_pair_tag(pair, alice, sunset, true, Origin::Gui)).unwrap();
        let tags = ["sunset".to_owned()];
        let decision = Decision { verdict: Some(Truth::Same), tags: &tags, reason: "r", correct_truth: None };
        store.write(|tx| tx.adjudicate(pair, judge, &decision, Origin::Gui)).unwrap();
        store.write(|tx| tx.merge_tags(sunset, dark, Origin::Gui)).unwrap();
        assert_eq!(store.read(|tx| tx.pair_tags_by(pair, alice)).unwrap(), vec![dark]);
        assert!(store.read(|tx| tx.find_tag("sunset")).unwrap().is_none());
        let data = store.read(|tx| tx.review_data()).unwrap();
        assert_eq!(data.adjudications[&pair].tags, vec!["dark".to_owned()]);
    }
}
