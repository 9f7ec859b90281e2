//! The embedding cache (keyed by model sha256 + image sha256, so re-scoring after a restart or
//! a threshold change costs nothing) and the per-image statistics the face pass computes.

use std::collections::HashMap;

use rusqlite::OptionalExtension;

use super::{ImageId, NOW, PairId, Result, Tx};

/// What the face pipeline concluded about one image under one model.
#[derive(Clone, Debug, PartialEq)]
pub struct CachedEmbedding {
    /// A `face::ImageStatus` code: ok, several_faces, no_face, undecodable, too_large, bad_embedding.
    pub status: String,
    /// The reason, for statuses that have one (e.g. the decoder's message).
    pub detail: Option<String>,
    pub face_count: Option<u32>,
    /// Box, detector score and five landmarks, as JSON.
    pub face: Option<serde_json::Value>,
    /// L2-normalised; None when no face could be embedded.
    pub vector: Option<Vec<f32>>,
}

/// An image to run the face pipeline on.
#[derive(Clone, Debug)]
pub struct ImageToEmbed {
    pub id: ImageId,
    pub path: std::path::PathBuf,
    pub sha256: String,
}

/// One image's embedding under a model, with what an export of embeddings names it by.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageEmbedding {
    pub id: ImageId,
    /// Relative to its root, '/'-separated: the `source_path` of an export's manifest.
    pub path: String,
    pub identity: Option<String>,
    /// The face pipeline's status code (`ok`, `several_faces`).
    pub status: String,
    /// L2-normalised, exactly as cached.
    pub vector: Vec<f32>,
}

fn to_blob(vector: &[f32]) -> Vec<u8> {
    vector.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn from_blob(blob: &[u8]) -> Vec<f32> {
    blob.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()
}

impl Tx<'_> {
    pub fn cached_embedding(&self, model_sha256: &str, image_sha256: &str) -> Result<Option<CachedEmbedding>> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT status, detail, face_count, face, vector FROM embeddings
                 WHERE model_sha256 = ?1 AND image_sha256 = ?2",
            )?
            .query_row([model_sha256, image_sha256], |r| {
                let face: Option<String> = r.get(3)?;
                let vector: Option<Vec<u8>> = r.get(4)?;
                Ok(CachedEmbedding {
                    status: r.get(0)?,
                    detail: r.get(1)?,
                    face_count: r.get(2)?,
                    face: face.and_then(|f| serde_json::from_str(&f).ok()),
                    vector: vector.map(|b| from_blob(&b)),
                })
            })
            .optional()?)
    }

    pub fn put_embedding(&self, model_sha256: &str, image_sha256: &str, e: &CachedEmbedding) -> Result<()> {
        self.conn()
            .prepare_cached(&format!(
                "INSERT INTO embeddings (model_sha256, image_sha256, status, detail, face_count, face, vector, computed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, {NOW})
                 ON CONFLICT (model_sha256, image_sha256) DO UPDATE SET status = excluded.status,
                   detail = excluded.detail, face_count = excluded.face_count, face = excluded.face,
                   vector = excluded.vector, computed_at = excluded.computed_at"
            ))?
            .execute(rusqlite::params![
                model_sha256,
                image_sha256,
                e.status,
                e.detail,
                e.face_count,
                e.face.as_ref().map(|f| f.to_string()),
                e.vector.as_deref().map(to_blob),
            ])?;
        Ok(())
    }

    /// Every image of the project whose embedding under this model is not cached yet.
    pub fn images_to_embed(&self, model_sha256: &str) -> Result<Vec<ImageToEmbed>> {
        let mut stmt = self.conn().prepare(
            "SELECT i.id, r.path, i.path, i.sha256 FROM images i JOIN image_roots r ON r.id = i.root_id
             WHERE NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.model_sha256 = ?1 AND e.image_sha256 = i.sha256)
             ORDER BY i.id",
        )?;
        let rows = stmt.query_map([model_sha256], |r| {
            let root: String = r.get(1)?;
            let rel: String = r.get(2)?;
            Ok(ImageToEmbed { id: r.get(0)?, path: std::path::Path::new(&root).join(rel), sha256: r.get(3)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn set_image_stats(&self, image: ImageId, brightness: f64, sharpness: f64) -> Result<()> {
        self.conn()
            .prepare_cached("UPDATE images SET brightness = ?2, sharpness = ?3 WHERE id = ?1")?
            .execute(rusqlite::params![image, brightness, sharpness])?;
        Ok(())
    }

    /// Every pair with the name users know it by (its own id, else its row id) and the sha256
    /// of its two images.
    pub fn pair_image_hashes(&self) -> Result<Vec<(PairId, String, String, String)>> {
        let mut stmt = self.conn().prepare(
            "SELECT p.id, coalesce(p.external_id, '#' || p.id), a.sha256, b.sha256 FROM pairs p
             JOIN images a ON a.id = p.image_a JOIN images b ON b.id = p.image_b ORDER BY p.id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every image of the project that has an embedding under this model, by root and path.
    pub fn image_embeddings(&self, model_sha256: &str) -> Result<Vec<ImageEmbedding>> {
        let mut stmt = self.conn().prepare(
            "SELECT i.id, i.path, i.identity, e.status, e.vector FROM images i
             JOIN image_roots r ON r.id = i.root_id
             JOIN embeddings e ON e.image_sha256 = i.sha256 AND e.model_sha256 = ?1
             WHERE e.vector IS NOT NULL ORDER BY r.path, i.path, i.id",
        )?;
        let rows = stmt.query_map([model_sha256], |r| {
            let vector: Vec<u8> = r.get(4)?;
            Ok(ImageEmbedding {
                id: r.get(0)?,
                path: r.get(1)?,
                identity: r.get(2)?,
                status: r.get(3)?,
                vector: from_blob(&vector),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Count of cached results per status for one model, over the project's images.
    pub fn embedding_statuses(&self, model_sha256: &str) -> Result<HashMap<String, u64>> {
        let mut stmt = self.conn().prepare(
            "SELECT e.status, count(*) FROM images i
             JOIN embeddings e ON e.image_sha256 = i.sha256 AND e.model_sha256 = ?1 GROUP BY e.status",
        )?;
        let rows = stmt.query_map([model_sha256], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_util::temp_store;

    #[test]
    fn embeddings_round_trip_bit_exactly_and_overwrite_on_recompute() {
        let (_d, mut store) = temp_store();
        let e = CachedEmbedding {
            status: "ok".into(),
            detail: None,
            face_count: Some(2),
            face: Some(serde_json::json!({"box": [1, 2, 3, 4]})),
            vector: Some(vec![0.25, -1.5e-7, f32::MIN_POSITIVE, 1.0]),
        };
        store.write(|tx| tx.put_embedding("m", "i", &e)).unwrap();
        assert_eq!(store.read(|tx| tx.cached_embedding("m", "i")).unwrap(), Some(e.clone()));
        assert_eq!(store.read(|tx| tx.cached_embedding("other-model", "i")).unwrap(), None);
        let failed =
            CachedEmbedding { status: "no-face".into(), detail: None, face_count: Some(0), face: None, vector: None };
        store.write(|tx| tx.put_embedding("m", "i", &failed)).unwrap();
        assert_eq!(store.read(|tx| tx.cached_embedding("m", "i")).unwrap(), Some(failed));
    }

    #[test]
    fn image_embeddings_lists_only_images_with_a_vector_under_that_model() {
        let (_d, mut store) = temp_store();
        let embedding = |status: &str, vector: Option<Vec<f32>>| CachedEmbedding {
            status: status.into(),
            detail: None,
            face_count: None,
            face: None,
            vector,
        };
        let rows = store
            .write(|tx| {
                let root = tx.image_root("/data")?;
                let mut ids = Vec::new();
                for (path, sha) in [("b/2.jpg", "h2"), ("a/1.jpg", "h1"), ("c/3.jpg", "h3"), ("d/4.jpg", "h4")] {
                    let new = crate::store::NewImage { root, path, sha256: sha, bytes: 1, dimensions: None };
                    ids.push(tx.upsert_image(&new)?.0);
                }
                tx.set_image_identity(ids[0], "Bea", false)?;
                tx.put_embedding("m", "h1", &embedding("ok", Some(vec![0.6, 0.8])))?;
                tx.put_embedding("m", "h2", &embedding("several_faces", Some(vec![1.0, -0.0])))?;
                tx.put_embedding("m", "h3", &embedding("no_face", None))?;
                tx.put_embedding("other", "h4", &embedding("ok", Some(vec![0.0, 1.0])))?;
                tx.image_embeddings("m")
            })
            .unwrap();
        let seen: Vec<_> = rows.iter().map(|r| (r.path.as_str(), r.identity.as_deref(), r.status.as_str())).collect();
        assert_eq!(seen, [("a/1.jpg", None, "ok"), ("b/2.jpg", Some("Bea"), "several_faces")]);
        assert_eq!(
            rows[1].vector.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            [1.0f32.to_bits(), (-0.0f32).to_bits()]
        );
    }
}
