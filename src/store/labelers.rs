use rusqlite::OptionalExtension;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use super::{LabelerId, NOW, Result, StoreError, Tx};

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Labeler,
    Adjudicator,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Labeler => "labeler",
            Role::Adjudicator => "adjudicator",
        }
    }
}

impl ToSql for Role {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for Role {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value.as_str()? {
            "labeler" => Ok(Role::Labeler),
            "adjudicator" => Ok(Role::Adjudicator),
            other => Err(FromSqlError::Other(format!("unknown role {other:?}").into())),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Labeler {
    pub id: LabelerId,
    pub name: String,
    pub role: Role,
    pub simulated: bool,
}

fn labeler_from_row(r: &rusqlite::Row) -> rusqlite::Result<Labeler> {
    Ok(Labeler { id: r.get(0)?, name: r.get(1)?, role: r.get(2)?, simulated: r.get(3)? })
}

impl Tx<'_> {
    pub fn labelers(&self) -> Result<Vec<Labeler>> {
        let mut stmt = self.conn().prepare("SELECT id, name, role, simulated FROM labelers ORDER BY name")?;
        let rows = stmt.query_map([], labeler_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn find_labeler(&self, name: &str) -> Result<Option<Labeler>> {
        Ok(self
            .conn()
            .query_row("SELECT id, name, role, simulated FROM labelers WHERE name = ?1", [name], labeler_from_row)
            .optional()?)
    }

    /// The labeler of this name, created (as a plain labeler) if new. Returns (labeler, created).
    pub fn labeler_or_create(&self, name: &str) -> Result<(Labeler, bool)> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid("a labeler needs a name".into()));
        }
        if let Some(found) = self.find_labeler(name)? {
            return Ok((found, false));
        }
        self.conn().execute(
            &format!("INSERT INTO labelers (name, role, simulated, created_at) VALUES (?1, 'labeler', 0, {NOW})"),
            [name],
        )?;
        let id = LabelerId(self.conn().last_insert_rowid());
        Ok((Labeler { id, name: name.to_owned(), role: Role::Labeler, simulated: false }, true))
    }
}

impl Tx<'_> {
    /// Marks a labeler as simulated (the demo's made-up labelers), so the UI can say so.
    pub fn mark_simulated(&self, labeler: LabelerId) -> Result<()> {
        self.conn().execute("UPDATE labelers SET simulated = 1 WHERE id = ?1", [labeler])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::store::test_util::temp_store;

    #[test]
    fn labeler_is_created_once_and_trimmed() {
        let (_d, mut store) = temp_store();
        let (a, created) = store.write(|tx| tx.labeler_or_create(" alice ")).unwrap();
        assert!(created);
        assert_eq!(a.name, "alice");
        let (b, created) = store.write(|tx| tx.labeler_or_create("alice")).unwrap();
        assert!(!created);
        assert_eq!(a.id, b.id);
        assert!(store.write(|tx| tx.labeler_or_create("  ")).is_err());
    }
}
