//! A project as a copy of a team hub (issue 16): the link to the hub, which local events have
//! been sent, which of the hub's are here, and the rows a clone is made of. The hub side is
//! `hub/`; this is its SQLite half.

use rusqlite::OptionalExtension;

use super::merge_rows::{EVENT_COLUMNS, event_from_row};
use super::{EventRow, ImageId, LabelerId, NOW, PairId, Result, Role, TagId, Tx};
use crate::domain::{Split, Truth};

/// The project's link to its hub.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HubLink {
    /// `postgres://ROLE@HOST:PORT/DATABASE`, never with a password.
    pub url: String,
    pub hub_uid: String,
    /// This copy's id on the hub: local event n travels as `<copy_id>:<n>`.
    pub copy_id: String,
    /// Whose copy this is; None for the owner's, who shared the project.
    pub labeler: Option<String>,
    /// Every local event up to this id has been sent (or is not the hub's to hold).
    pub pushed_up_to: i64,
    /// Every hub event up to this id is here.
    pub pulled_up_to: i64,
}

/// An image as a clone registers it: the hub's id, so that pairs keep theirs.
pub struct ClonedImage<'a> {
    pub id: ImageId,
    pub path: &'a str,
    pub sha256: &'a str,
    pub bytes: i64,
    pub dimensions: Option<(u32, u32)>,
    pub identity: Option<&'a str>,
}

/// A pair as a clone registers it, under the hub's id: every copy names a pair alike.
pub struct ClonedPair<'a> {
    pub id: PairId,
    pub external_id: Option<&'a str>,
    pub image_a: ImageId,
    pub image_b: ImageId,
    pub truth: Option<Truth>,
    pub split: Option<Split>,
    pub metadata: &'a str,
}

/// A tag as the hub defines it.
pub struct ClonedTag<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub colour: &'a str,
    pub hotkey: Option<u8>,
}

/// An image as the hub holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedImage {
    pub id: ImageId,
    /// Relative to its folder, '/'-separated.
    pub path: String,
    pub sha256: String,
    pub bytes: i64,
    pub identity: Option<String>,
}

/// A current label as the hub holds it: by the labeler's name, with whether it was blind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedLabel<T> {
    pub pair: PairId,
    pub labeler: String,
    pub value: T,
    pub blind: bool,
}

impl Tx<'_> {
    /// Every image, by id.
    pub fn images_to_share(&self) -> Result<Vec<SharedImage>> {
        let mut stmt = self.conn().prepare("SELECT id, path, sha256, bytes, identity FROM images ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok(SharedImage { id: r.get(0)?, path: r.get(1)?, sha256: r.get(2)?, bytes: r.get(3)?, identity: r.get(4)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every current verdict, by pair and labeler.
    pub fn verdicts_to_share(&self) -> Result<Vec<SharedLabel<Truth>>> {
        self.shared_labels(
            "SELECT v.pair_id, l.name, v.verdict, v.blind FROM verdicts v JOIN labelers l ON l.id = v.labeler_id
             ORDER BY v.pair_id, l.name",
        )
    }

    /// Every tag applied, by the tag's name.
    pub fn pair_tags_to_share(&self) -> Result<Vec<SharedLabel<String>>> {
        self.shared_labels(
            "SELECT pt.pair_id, l.name, t.name, pt.blind FROM pair_tags pt
             JOIN labelers l ON l.id = pt.labeler_id JOIN tags t ON t.id = pt.tag_id
             ORDER BY pt.pair_id, l.name, t.name",
        )
    }

    /// Every note (a note is never blind or not: `blind` is true).
    pub fn notes_to_share(&self) -> Result<Vec<SharedLabel<String>>> {
        self.shared_labels(
            "SELECT n.pair_id, l.name, n.note, 1 FROM pair_notes n JOIN labelers l ON l.id = n.labeler_id
             ORDER BY n.pair_id, l.name",
        )
    }

    fn shared_labels<T: rusqlite::types::FromSql>(&self, sql: &str) -> Result<Vec<SharedLabel<T>>> {
        let mut stmt = self.conn().prepare(sql)?;
        let rows = stmt.query_map([], |r| {
            Ok(SharedLabel { pair: r.get(0)?, labeler: r.get(1)?, value: r.get(2)?, blind: r.get(3)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn hub_link(&self) -> Result<Option<HubLink>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT url, hub_uid, copy_id, labeler, pushed_up_to, pulled_up_to FROM hub_link WHERE id = 1",
                [],
                |r| {
                    Ok(HubLink {
                        url: r.get(0)?,
                        hub_uid: r.get(1)?,
                        copy_id: r.get(2)?,
                        labeler: r.get(3)?,
                        pushed_up_to: r.get(4)?,
                        pulled_up_to: r.get(5)?,
                    })
                },
            )
            .optional()?)
    }

    /// Links the project to a hub (or replaces its link).
    pub fn set_hub_link(&self, link: &HubLink) -> Result<()> {
        self.conn().execute(
            "INSERT OR REPLACE INTO hub_link (id, url, hub_uid, copy_id, labeler, pushed_up_to, pulled_up_to)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
            rusqlite::params![link.url, link.hub_uid, link.copy_id, link.labeler, link.pushed_up_to, link.pulled_up_to],
        )?;
        Ok(())
    }

    pub fn set_hub_pushed_up_to(&self, id: i64) -> Result<()> {
        self.conn().execute("UPDATE hub_link SET pushed_up_to = max(pushed_up_to, ?1) WHERE id = 1", [id])?;
        Ok(())
    }

    pub fn set_hub_pulled_up_to(&self, id: i64) -> Result<()> {
        self.conn().execute("UPDATE hub_link SET pulled_up_to = max(pulled_up_to, ?1) WHERE id = 1", [id])?;
        Ok(())
    }

    /// Up to `limit` local events after `after`, in order, that did not come from the hub.
    pub fn local_events_after(&self, after: i64, limit: usize) -> Result<Vec<EventRow>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {EVENT_COLUMNS} FROM label_events
             WHERE id > ?1 AND id NOT IN (SELECT local_id FROM hub_events) ORDER BY id LIMIT ?2"
        ))?;
        let rows =
            stmt.query_map(rusqlite::params![after, i64::try_from(limit).unwrap_or(i64::MAX)], event_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many local events of these kinds by this labeler (any labeler: None) wait to be
    /// sent: the "N changes waiting" of an offline copy.
    pub fn events_waiting(&self, after: i64, kinds: &[&str], labeler: Option<LabelerId>) -> Result<i64> {
        let kinds = kinds.iter().map(|k| format!("'{}'", k.replace('\'', "''"))).collect::<Vec<_>>().join(", ");
        Ok(self.conn().query_row(
            &format!(
                "SELECT count(*) FROM label_events
                 WHERE id > ?1 AND id NOT IN (SELECT local_id FROM hub_events) AND kind IN ({kinds})
                   AND (?2 IS NULL OR labeler_id = ?2)"
            ),
            rusqlite::params![after, labeler],
            |r| r.get(0),
        )?)
    }

    /// Whether the hub event `uid` is here already.
    pub fn has_hub_event(&self, uid: &str) -> Result<bool> {
        Ok(self
            .conn()
            .prepare_cached("SELECT 1 FROM hub_events WHERE event_uid = ?1")?
            .query_row([uid], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Appends a hub event to the audit log as it was recorded, and remembers its uid. The
    /// caller has checked [`has_hub_event`](Self::has_hub_event) and applies the change.
    pub fn append_hub_event(&self, uid: &str, event: &EventRow) -> Result<()> {
        self.append_event(event)?;
        let local_id = self.conn().last_insert_rowid();
        self.conn()
            .prepare_cached("INSERT INTO hub_events (event_uid, local_id) VALUES (?1, ?2)")?
            .execute(rusqlite::params![uid, local_id])?;
        Ok(())
    }

    /// Registers an image of a clone under the hub's id, below `root` (its copy's folder).
    pub fn insert_cloned_image(&self, root: &str, image: &ClonedImage) -> Result<()> {
        let root = self.image_root(root)?;
        let (w, h) = image.dimensions.unzip();
        self.conn()
            .prepare_cached(&format!(
                "INSERT INTO images (id, root_id, path, sha256, bytes, width, height, identity, added_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, {NOW})"
            ))?
            .execute(rusqlite::params![image.id, root, image.path, image.sha256, image.bytes, w, h, image.identity])?;
        Ok(())
    }

    /// Registers a pair of a clone under the hub's id.
    pub fn insert_cloned_pair(&self, pair: &ClonedPair, source: &str) -> Result<()> {
        self.conn()
            .prepare_cached(&format!(
                "INSERT INTO pairs (id, external_id, image_a, image_b, truth, split, source, metadata, added_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, {NOW})"
            ))?
            .execute(rusqlite::params![
                pair.id,
                pair.external_id,
                pair.image_a,
                pair.image_b,
                pair.truth,
                pair.split,
                source,
                pair.metadata
            ])?;
        Ok(())
    }

    /// Makes the project's tags the hub's, without logging: a clone starts from the hub's
    /// definitions (the hub's log holds their history), not from pairscope's defaults.
    pub fn replace_tags_for_clone(&self, tags: &[ClonedTag]) -> Result<()> {
        self.conn().execute("DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM pair_tags)", [])?;
        self.conn().execute("UPDATE tags SET hotkey = NULL", [])?;
        for tag in tags {
            self.conn().execute(
                &format!(
                    "INSERT INTO tags (name, description, colour, hotkey, created_at) VALUES (?1, ?2, ?3, ?4, {NOW})
                     ON CONFLICT (name) DO UPDATE SET description = excluded.description,
                         colour = excluded.colour, hotkey = excluded.hotkey"
                ),
                rusqlite::params![tag.name, tag.description, tag.colour, tag.hotkey],
            )?;
        }
        Ok(())
    }

    /// The tag of this name (any case), made without logging if the hub brings a new one.
    pub fn tag_for_hub(&self, name: &str) -> Result<TagId> {
        if let Some(tag) = self.find_tag(name)? {
            return Ok(tag.id);
        }
        self.conn()
            .execute(&format!("INSERT INTO tags (name, created_at) VALUES (?1, {NOW})"), rusqlite::params![name])?;
        Ok(TagId(self.conn().last_insert_rowid()))
    }

    /// A tag definition the hub brings, without logging (its event is in the log already):
    /// tag `id` takes the name, description and colour; with no id, a new tag is made (with the
    /// lowest free hotkey, as any new tag) unless one of that name exists, which stays as it is.
    /// The hotkey of an existing tag stays this copy's.
    pub fn put_tag_definition_for_hub(
        &self,
        id: Option<TagId>,
        name: &str,
        description: &str,
        colour: &str,
    ) -> Result<()> {
        super::validate_tag_name(name)?;
        match id {
            Some(id) => {
                self.conn().execute(
                    "UPDATE tags SET name = ?1, description = ?2, colour = ?3 WHERE id = ?4",
                    rusqlite::params![name, description, colour, id],
                )?;
            }
            None => {
                self.tag_or_create(&super::NewTag { name, description, colour })?;
            }
        }
        Ok(())
    }

    /// The labeler of this name, made with this role if the hub brings a new one.
    pub fn labeler_for_hub(&self, name: &str, role: Role) -> Result<LabelerId> {
        Ok(self.labeler_like(name, role, false)?.0.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Origin, Store};

    #[test]
    fn events_from_the_hub_are_never_sent_back_and_the_link_only_moves_forward() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(&dir.path().join("p.pairscope")).unwrap();
        store
            .write(|tx| {
                let root = "/photos";
                for (id, path) in [(7, "a.jpg"), (9, "b.jpg")] {
                    let image = ClonedImage {
                        id: ImageId(id),
                        path,
                        sha256: path,
                        bytes: 1,
                        dimensions: None,
                        identity: Some("x"),
                    };
                    tx.insert_cloned_image(root, &image)?;
                }
                let pair = ClonedPair {
                    id: PairId(42),
                    external_id: Some("p42"),
                    image_a: ImageId(7),
                    image_b: ImageId(9),
                    truth: Some(Truth::Same),
                    split: None,
                    metadata: "{}",
                };
                tx.insert_cloned_pair(&pair, "hub")?;
                let ana = tx.labeler_for_hub("ana", Role::Labeler)?;
                let from_hub = EventRow {
                    id: 0,
                    at: "2026-01-02T03:04:05.006Z".into(),
                    labeler: Some(ana),
                    pair: Some(PairId(42)),
                    kind: "verdict".into(),
                    before: None,
                    after: Some("\"same\"".into()),
                    origin: "gui".into(),
                    reason: None,
                    blind: Some(true),
                };
                tx.append_hub_event("c1:1", &from_hub)?;
                tx.set_verdict(PairId(42), ana, Some(Truth::Different), Origin::Gui)?;
                tx.set_hub_link(&HubLink {
                    url: "postgres://ana@h:1/d".into(),
                    hub_uid: "u".into(),
                    copy_id: "c2".into(),
                    labeler: Some("ana".into()),
                    pushed_up_to: 0,
                    pulled_up_to: 5,
                })?;
                tx.set_hub_pulled_up_to(3)
            })
            .unwrap();
        store
            .read(|tx| {
                assert!(tx.has_hub_event("c1:1")? && !tx.has_hub_event("c1:2")?);
                let waiting = tx.local_events_after(0, 10)?;
                assert_eq!(waiting.len(), 1, "only the change made here: {waiting:?}");
                assert_eq!(waiting[0].after.as_deref(), Some("\"different\""));
                assert_eq!(tx.events_waiting(0, &["verdict"], None)?, 1);
                assert_eq!(tx.events_waiting(waiting[0].id, &["verdict"], None)?, 0);
                assert_eq!(tx.hub_link()?.unwrap().pulled_up_to, 5, "never moves back");
                let pair = tx.pair(PairId(42))?;
                assert_eq!((pair.image_a, pair.image_b), (ImageId(7), ImageId(9)));
                Ok(())
            })
            .unwrap();
    }
}
