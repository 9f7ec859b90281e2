//! Image statistics (from scoring): per pair for the EDC, per photo for the suggested `dark` /
//! `blurry` tags.

use std::collections::HashMap;
use std::path::PathBuf;

use super::{ImageId, PairId, Result, Tx};
use crate::domain::Split;

/// One measured photo: its statistics and where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct PhotoStats {
    pub brightness: f64,
    pub sharpness: f64,
    /// Where the file is on this machine.
    pub path: PathBuf,
    /// Relative to its root, as the review screen shows it.
    pub name: String,
}

/// One project photo as `pairscope monitor` compares it: what the face pass found and measured.
#[derive(Clone, Debug, PartialEq)]
pub struct MonitoredPhoto {
    /// None until the photo has been through `pairscope embed`.
    pub brightness: Option<f64>,
    pub sharpness: Option<f64>,
    /// The face pipeline's status code under the model; None when not run under it.
    pub status: Option<String>,
    pub face_count: Option<u32>,
    /// The face's box and detector score, as the cache holds them (see `scoring`).
    pub face: Option<serde_json::Value>,
}

/// Every measured photo, and each pair's two photos when both are measured.
#[derive(Clone, Debug, Default)]
pub struct PhotoStatsByPair {
    pub photos: HashMap<ImageId, PhotoStats>,
    pub pairs: HashMap<PairId, [ImageId; 2]>,
}

impl Tx<'_> {
    /// For each pair whose two photos both have statistics: the lower brightness and the
    /// lower sharpness of the two (the darker or blurrier photo is what makes a pair hard).
    pub fn pair_image_stats(&self) -> Result<HashMap<PairId, (f64, f64)>> {
        let mut stmt = self.conn().prepare(
            "SELECT p.id, min(a.brightness, b.brightness), min(a.sharpness, b.sharpness)
             FROM pairs p JOIN images a ON a.id = p.image_a JOIN images b ON b.id = p.image_b
             WHERE a.brightness IS NOT NULL AND b.brightness IS NOT NULL
               AND a.sharpness IS NOT NULL AND b.sharpness IS NOT NULL",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, PairId>(0)?, (r.get(1)?, r.get(2)?))))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every photo of the project (or of the pairs of one split), once, with its statistics and
    /// its cached face-pipeline result under `model_sha256`.
    pub fn monitored_photos(&self, model_sha256: &str, split: Option<Split>) -> Result<Vec<MonitoredPhoto>> {
        let mut stmt = self.conn().prepare(
            "SELECT i.brightness, i.sharpness, e.status, e.face_count, e.face FROM images i
             LEFT JOIN embeddings e ON e.image_sha256 = i.sha256 AND e.model_sha256 = ?1
             WHERE ?2 IS NULL OR EXISTS
                 (SELECT 1 FROM pairs p WHERE p.split = ?2 AND (p.image_a = i.id OR p.image_b = i.id))
             ORDER BY i.id",
        )?;
        let rows = stmt.query_map(rusqlite::params![model_sha256, split], |r| {
            let face: Option<String> = r.get(4)?;
            Ok(MonitoredPhoto {
                brightness: r.get(0)?,
                sharpness: r.get(1)?,
                status: r.get(2)?,
                face_count: r.get(3)?,
                face: face.and_then(|f| serde_json::from_str(&f).ok()),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Each measured photo once, and the pairs whose two photos are both measured.
    pub fn photo_stats_by_pair(&self) -> Result<PhotoStatsByPair> {
        let mut stmt = self.conn().prepare(
            "SELECT i.id, i.brightness, i.sharpness, r.path, i.path FROM images i
             JOIN image_roots r ON r.id = i.root_id
             WHERE i.brightness IS NOT NULL AND i.sharpness IS NOT NULL",
        )?;
        let photos = stmt
            .query_map([], |r| {
                let (root, name): (String, String) = (r.get(3)?, r.get(4)?);
                let path = std::path::Path::new(&root).join(&name);
                Ok((r.get::<_, ImageId>(0)?, PhotoStats { brightness: r.get(1)?, sharpness: r.get(2)?, path, name }))
            })?
            .collect::<rusqlite::Result<HashMap<_, _>>>()?;
        let mut stmt = self.conn().prepare("SELECT id, image_a, image_b FROM pairs")?;
        let pairs = stmt
            .query_map([], |r| Ok((r.get::<_, PairId>(0)?, [r.get::<_, ImageId>(1)?, r.get::<_, ImageId>(2)?])))?
            .filter(|row| row.as_ref().map_or(true, |(_, [a, b])| photos.contains_key(a) && photos.contains_key(b)))
            .collect::<rusqlite::Result<HashMap<_, _>>>()?;
        Ok(PhotoStatsByPair { photos, pairs })
    }
}

#[cfg(test)]
mod tests {
    use crate::store::test_util::{temp_store, test_pair};

    #[test]
    fn a_photo_in_two_pairs_is_listed_once_and_unmeasured_pairs_are_left_out() {
        let (_dir, mut store) = temp_store();
        let (p1, p2, p3) = store
            .write(|tx| {
                Ok::<_, crate::store::StoreError>((
                    test_pair(tx, "p1", "dark.jpg", "b.jpg", None)?,
                    test_pair(tx, "p2", "c.jpg", "dark.jpg", None)?,
                    test_pair(tx, "p3", "b.jpg", "unmeasured.jpg", None)?,
                ))
            })
            .unwrap();
        let by_pair = store
            .write(|tx| {
                let ids = |p| tx.pair(p).map(|r| [r.image_a, r.image_b]);
                let ([dark, b], [c, _]) = (ids(p1)?, ids(p2)?);
                tx.set_image_stats(dark, 0.1, 5.0)?;
                tx.set_image_stats(b, 0.5, 200.0)?;
                tx.set_image_stats(c, 0.6, 300.0)?;
                tx.photo_stats_by_pair()
            })
            .unwrap();
        assert_eq!(by_pair.photos.len(), 3);
        assert_eq!(by_pair.pairs.len(), 2);
        assert!(!by_pair.pairs.contains_key(&p3));
        let dark = by_pair.pairs[&p1][0];
        assert_eq!(by_pair.pairs[&p2][1], dark);
        assert_eq!(by_pair.photos[&dark].name, "dark.jpg");
        assert_eq!(by_pair.photos[&dark].brightness, 0.1);
    }

    #[test]
    fn monitored_photos_are_each_photo_once_with_its_cached_face_and_a_split_narrows_them() {
        use crate::domain::Split;
        use crate::store::CachedEmbedding;
        let (_dir, mut store) = temp_store();
        let photos = store
            .write(|tx| {
                let p1 = test_pair(tx, "p1", "a.jpg", "b.jpg", None)?;
                test_pair(tx, "p2", "b.jpg", "c.jpg", None)?;
                tx.set_split(p1, Some(Split::Dev))?;
                let [a, _] = tx.pair(p1).map(|r| [r.image_a, r.image_b])?;
                tx.set_image_stats(a, 0.25, 40.0)?;
                let face = serde_json::json!({"box": [10.0, 20.0, 40.0, 60.0], "score": 0.9});
                let cached = CachedEmbedding {
                    status: "ok".into(),
                    detail: None,
                    face_count: Some(1),
                    face: Some(face),
                    vector: None,
                };
                tx.put_embedding("model", "a.jpg", &cached)?; // test_pair's sha256 is the path
                Ok::<_, crate::store::StoreError>((
                    tx.monitored_photos("model", None)?,
                    tx.monitored_photos("model", Some(Split::Dev))?,
                    tx.monitored_photos("model", Some(Split::Test))?,
                    tx.monitored_photos("other model", None)?,
                ))
            })
            .unwrap();
        let (all, dev, test, other) = photos;
        assert_eq!(all.len(), 3, "b is in two pairs and listed once");
        assert_eq!(dev.len(), 2);
        assert!(test.is_empty());
        assert_eq!(all[0].brightness, Some(0.25));
        assert_eq!(all[0].status.as_deref(), Some("ok"));
        assert_eq!(all[0].face.as_ref().unwrap()["score"], 0.9);
        assert_eq!((all[1].brightness, all[1].status.as_deref()), (None, None));
        assert!(other.iter().all(|p| p.status.is_none()), "another model's cache is not this one's");
    }
}
