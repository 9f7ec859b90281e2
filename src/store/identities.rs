//! Who is in each photo (`images.identity`), for all-vs-all comparisons.

use rusqlite::OptionalExtension;

use super::{ImageId, Result, StoreError, Tx};

/// What [`Tx::set_image_identity`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdentityChange {
    /// The image had no identity; now it has this one.
    Set,
    /// The image already had this identity.
    Unchanged,
    /// The image had another identity, which was kept (see `replace`).
    Conflict { existing: String },
    /// The image had another identity, which was replaced.
    Replaced { previous: String },
}

impl Tx<'_> {
    /// Records who is in image `id`. A different identity already stored is kept and
    /// reported as a conflict unless `replace`; importers decide which they want.
    pub fn set_image_identity(&self, id: ImageId, identity: &str, replace: bool) -> Result<IdentityChange> {
        let identity = identity.trim();
        if identity.is_empty() {
            return Err(StoreError::Invalid(format!("image {id}: an identity cannot be empty")));
        }
        let existing = self.image_identity(id)?;
        let change = match existing {
            None => IdentityChange::Set,
            Some(e) if e == identity => return Ok(IdentityChange::Unchanged),
            Some(e) if !replace => return Ok(IdentityChange::Conflict { existing: e }),
            Some(e) => IdentityChange::Replaced { previous: e },
        };
        self.conn().prepare_cached("UPDATE images SET identity = ?2 WHERE id = ?1")?.execute((id, identity))?;
        Ok(change)
    }

    /// The identity of image `id`, if known.
    pub fn image_identity(&self, id: ImageId) -> Result<Option<String>> {
        Ok(self
            .conn()
            .prepare_cached("SELECT identity FROM images WHERE id = ?1")?
            .query_row([id], |r| r.get::<_, Option<String>>(0))
            .optional()?
            .flatten())
    }

    /// Every image with a known identity, by image id.
    pub fn image_identities(&self) -> Result<Vec<(ImageId, String)>> {
        let mut stmt = self.conn().prepare("SELECT id, identity FROM images WHERE identity IS NOT NULL ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{NewImage, Store};

    fn image(tx: &Tx, path: &str) -> ImageId {
        let root = tx.image_root("/data").unwrap();
        let new = NewImage { root, path, sha256: path, bytes: 1, dimensions: None };
        tx.upsert_image(&new).unwrap().0
    }

    #[test]
    fn set_keeps_a_conflicting_identity_unless_told_to_replace() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(&dir.path().join("p.pairscope")).unwrap();
        store
            .write(|tx| {
                let a = image(tx, "a.jpg");
                let b = image(tx, "b.jpg");
                assert_eq!(tx.set_image_identity(a, " Ann ", false)?, IdentityChange::Set);
                assert_eq!(tx.set_image_identity(a, "Ann", false)?, IdentityChange::Unchanged);
                assert_eq!(
                    tx.set_image_identity(a, "Bob", false)?,
                    IdentityChange::Conflict { existing: "Ann".into() }
                );
                assert_eq!(tx.image_identity(a)?.as_deref(), Some("Ann"));
                assert_eq!(tx.set_image_identity(a, "Bob", true)?, IdentityChange::Replaced { previous: "Ann".into() });
                assert!(tx.set_image_identity(b, "  ", false).is_err());
                assert_eq!(tx.image_identities()?, vec![(a, "Bob".to_string())]);
                assert_eq!(tx.image_identity(b)?, None);
                Ok::<_, StoreError>(())
            })
            .unwrap();
    }
}
