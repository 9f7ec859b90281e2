//! What all-vs-all comparisons read (the images with an identity and their embeddings) and
//! the cache of their results, keyed by model and image set (migration 0008).

use rusqlite::OptionalExtension;

use super::{ImageId, NOW, Result, Tx};

/// An image with a known identity, and its embedding under one model if cached.
#[derive(Clone, Debug, PartialEq)]
pub struct IdentityImage {
    pub id: ImageId,
    /// Relative to its root, as exports name it.
    pub path: String,
    pub sha256: String,
    pub identity: String,
    /// The cached status (ok, no_face, …), None when not processed under this model.
    pub status: Option<String>,
    pub vector: Option<Vec<f32>>,
}

impl Tx<'_> {
    /// Every image with an identity, by id, with its embedding under `model_sha256`.
    pub fn identity_images(&self, model_sha256: &str) -> Result<Vec<IdentityImage>> {
        let mut stmt = self.conn().prepare(
            "SELECT i.id, i.path, i.sha256, i.identity, e.status, e.vector FROM images i
             LEFT JOIN embeddings e ON e.image_sha256 = i.sha256 AND e.model_sha256 = ?1
             WHERE i.identity IS NOT NULL ORDER BY i.id",
        )?;
        let rows = stmt.query_map([model_sha256], |r| {
            let blob: Option<Vec<u8>> = r.get(5)?;
            Ok(IdentityImage {
                id: r.get(0)?,
                path: r.get(1)?,
                sha256: r.get(2)?,
                identity: r.get(3)?,
                status: r.get(4)?,
                vector: blob.map(|b| b.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The sha256 over the sorted (image sha256, identity) list of the images with an
    /// identity: the image-set half of the result cache's key.
    pub fn identity_set_sha256(&self) -> Result<String> {
        use sha2::{Digest, Sha256};
        let mut stmt = self
            .conn()
            .prepare("SELECT sha256, identity FROM images WHERE identity IS NOT NULL ORDER BY sha256, identity")?;
        let mut rows = stmt.query([])?;
        let mut hasher = Sha256::new();
        while let Some(r) = rows.next()? {
            let (sha, identity): (String, String) = (r.get(0)?, r.get(1)?);
            // Length-prefixed, so no two lists hash the same text.
            for field in [sha, identity] {
                hasher.update((field.len() as u64).to_le_bytes());
                hasher.update(field.as_bytes());
            }
        }
        Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
    }

    pub fn put_all_vs_all(&self, model_sha256: &str, image_set_sha256: &str, result: &serde_json::Value) -> Result<()> {
        self.conn()
            .prepare_cached(&format!(
                "INSERT INTO all_vs_all_results (model_sha256, image_set_sha256, result, computed_at)
                 VALUES (?1, ?2, ?3, {NOW})
                 ON CONFLICT (model_sha256, image_set_sha256) DO UPDATE SET result = excluded.result,
                   computed_at = excluded.computed_at"
            ))?
            .execute((model_sha256, image_set_sha256, result.to_string()))?;
        Ok(())
    }

    /// The cached result for this model and image set, if any (unreadable JSON counts as none).
    pub fn all_vs_all(&self, model_sha256: &str, image_set_sha256: &str) -> Result<Option<serde_json::Value>> {
        let text: Option<String> = self
            .conn()
            .prepare_cached("SELECT result FROM all_vs_all_results WHERE model_sha256 = ?1 AND image_set_sha256 = ?2")?
            .query_row([model_sha256, image_set_sha256], |r| r.get(0))
            .optional()?;
        Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
    }
}

#[cfg(test)]
mod tests {
    use crate::store::test_util::temp_store;
    use crate::store::{CachedEmbedding, NewImage};

    #[test]
    fn the_image_set_key_follows_identities_and_results_round_trip() {
        let (_d, mut store) = temp_store();
        let (a, before) = store
            .write(|tx| {
                let root = tx.image_root("/data")?;
                let a =
                    tx.upsert_image(&NewImage { root, path: "p/a.jpg", sha256: "sa", bytes: 1, dimensions: None })?.0;
                let b =
                    tx.upsert_image(&NewImage { root, path: "p/b.jpg", sha256: "sb", bytes: 1, dimensions: None })?.0;
                tx.set_image_identity(a, "Ann", false)?;
                let before = tx.identity_set_sha256()?;
                tx.set_image_identity(b, "Bob", false)?;
                tx.put_embedding(
                    "m",
                    "sa",
                    &CachedEmbedding {
                        status: "ok".into(),
                        detail: None,
                        face_count: Some(1),
                        face: None,
                        vector: Some(vec![0.6, 0.8]),
                    },
                )?;
                Ok::<_, crate::store::StoreError>((a, before))
            })
            .unwrap();
        let after = store.read(|tx| tx.identity_set_sha256()).unwrap();
        assert_ne!(before, after);
        let images = store.read(|tx| tx.identity_images("m")).unwrap();
        assert_eq!(images.len(), 2);
        assert_eq!(
            (images[0].id, images[0].path.as_str(), images[0].vector.clone()),
            (a, "p/a.jpg", Some(vec![0.6, 0.8]))
        );
        assert_eq!((images[1].status.as_deref(), images[1].vector.as_ref()), (None, None));
        let value = serde_json::json!({"genuine": 0, "impostors": 1});
        store.write(|tx| tx.put_all_vs_all("m", &after, &value)).unwrap();
        assert_eq!(store.read(|tx| tx.all_vs_all("m", &after)).unwrap(), Some(value));
        assert_eq!(store.read(|tx| tx.all_vs_all("m", &before)).unwrap(), None);
    }
}
