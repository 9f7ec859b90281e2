use rusqlite::OptionalExtension;

use super::{ImageId, NOW, Result, RootId, Tx};

/// An image to register: its file is already hashed and probed by the caller.
#[derive(Clone, Debug)]
pub struct NewImage<'a> {
    pub root: RootId,
    /// Relative to the root, '/'-separated.
    pub path: &'a str,
    pub sha256: &'a str,
    pub bytes: u64,
    pub dimensions: Option<(u32, u32)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ImageRecord {
    pub id: ImageId,
    pub root: String,
    pub path: String,
    pub sha256: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

impl ImageRecord {
    /// Where the file is on this machine.
    pub fn full_path(&self) -> std::path::PathBuf {
        std::path::Path::new(&self.root).join(&self.path)
    }
}

impl Tx<'_> {
    /// The id of an image root, registering it on first use.
    pub fn image_root(&self, path: &str) -> Result<RootId> {
        self.conn().execute("INSERT INTO image_roots (path) VALUES (?1) ON CONFLICT (path) DO NOTHING", [path])?;
        Ok(self.conn().query_row("SELECT id FROM image_roots WHERE path = ?1", [path], |r| r.get(0))?)
    }

    pub fn find_image(&self, root: RootId, path: &str) -> Result<Option<ImageId>> {
        Ok(self
            .conn()
            .prepare_cached("SELECT id FROM images WHERE root_id = ?1 AND path = ?2")?
            .query_row(rusqlite::params![root, path], |r| r.get(0))
            .optional()?)
    }

    /// Registers an image, or returns the id it already has. Returns (id, newly added).
    pub fn upsert_image(&self, image: &NewImage) -> Result<(ImageId, bool)> {
        if let Some(id) = self.find_image(image.root, image.path)? {
            return Ok((id, false));
        }
        let (w, h) = image.dimensions.unzip();
        self.conn()
            .prepare_cached(&format!(
                "INSERT INTO images (root_id, path, sha256, bytes, width, height, added_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, {NOW})"
            ))?
            .execute(rusqlite::params![image.root, image.path, image.sha256, image.bytes as i64, w, h])?;
        Ok((ImageId(self.conn().last_insert_rowid()), true))
    }

    pub fn image(&self, id: ImageId) -> Result<ImageRecord> {
        Ok(self.conn().query_row(
            "SELECT i.id, r.path, i.path, i.sha256, i.width, i.height
             FROM images i JOIN image_roots r ON r.id = i.root_id WHERE i.id = ?1",
            [id],
            |r| {
                Ok(ImageRecord {
                    id: r.get(0)?,
                    root: r.get(1)?,
                    path: r.get(2)?,
                    sha256: r.get(3)?,
                    width: r.get(4)?,
                    height: r.get(5)?,
                })
            },
        )?)
    }
}

impl Tx<'_> {
    /// Every image registered under a root, by relative path. Importers use it to skip
    /// re-hashing files the project already knows.
    pub fn images_under_root(&self, root_path: &str) -> Result<std::collections::HashMap<String, ImageId>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT i.path, i.id FROM images i JOIN image_roots r ON r.id = i.root_id WHERE r.path = ?1")?;
        let rows = stmt.query_map([root_path], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
