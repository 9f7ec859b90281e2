use rusqlite::OptionalExtension;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use serde_json::json;

use crate::quote::quote;

use super::{LabelChange, LabelerId, NOW, Origin, Result, StoreError, Tx};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Labels pairs. Works blind: sees neither the truth, the model nor the others' labels
    /// before their own, and opens only the review screen.
    #[default]
    Labeler,
    /// Settles disagreements; may turn blind mode off and open the analysis screens.
    Adjudicator,
    /// Studies the model and the data; may turn blind mode off and open the analysis screens.
    Engineer,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Labeler, Role::Adjudicator, Role::Engineer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Labeler => "labeler",
            Role::Adjudicator => "adjudicator",
            Role::Engineer => "engineer",
        }
    }

    /// May this role see the answers (truth, model, others' labels) before labeling: turn
    /// blind mode off and open the analysis screens?
    pub fn may_unblind(self) -> bool {
        self != Role::Labeler
    }
}

impl std::str::FromStr for Role {
    type Err = String;

    fn from_str(text: &str) -> std::result::Result<Self, String> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| format!("unknown role {text:?} (labeler, adjudicator or engineer)"))
    }
}

impl ToSql for Role {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for Role {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        value.as_str()?.parse().map_err(|e: String| FromSqlError::Other(e.into()))
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
    /// Gives a labeler another role, and writes the change to the audit log (kind `role`, with
    /// the old and new role): who may see the answers is part of how a label was made.
    pub fn set_labeler_role(&self, labeler: LabelerId, role: Role, origin: Origin) -> Result<LabelChange> {
        let before: Role = self
            .conn()
            .query_row("SELECT role FROM labelers WHERE id = ?1", [labeler], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::Invalid(format!("no labeler with id {labeler}")))?;
        if before == role {
            return Ok(LabelChange::Unchanged);
        }
        self.conn().execute("UPDATE labelers SET role = ?1 WHERE id = ?2", rusqlite::params![role, labeler])?;
        self.log_event(Some(labeler), None, "role", json!(before.as_str()), json!(role.as_str()), origin, None)?;
        Ok(LabelChange::Changed)
    }

    pub fn labelers(&self) -> Result<Vec<Labeler>> {
        let mut stmt = self.conn().prepare("SELECT id, name, role, simulated FROM labelers ORDER BY name")?;
        let rows = stmt.query_map([], labeler_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The labeler of this name. Names compare case-insensitively, as tag names do ("CY" is
    /// "cy"); in a project from before that rule that holds both "cy" and "CY" (migration
    /// 0009 keeps both), the exact name picks one, and any other spelling is refused as
    /// ambiguous.
    pub fn find_labeler(&self, name: &str) -> Result<Option<Labeler>> {
        let name = name.trim();
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, name, role, simulated FROM labelers WHERE name = ?1 COLLATE NOCASE ORDER BY name = ?1 DESC, id",
        )?;
        let found: Vec<Labeler> = stmt.query_map([name], labeler_from_row)?.collect::<rusqlite::Result<_>>()?;
        match found.as_slice() {
            [] => Ok(None),
            [one, ..] if one.name == name || found.len() == 1 => Ok(Some(one.clone())),
            several => {
                let names: Vec<String> = several.iter().map(|l| quote(&l.name).to_string()).collect();
                Err(StoreError::Invalid(format!(
                    "labeler name {} matches {} (names ignore case); give one of them exactly",
                    quote(name),
                    names.join(" and ")
                )))
            }
        }
    }

    /// The labeler of this name, created (as a plain labeler) if new. Returns (labeler, created).
    /// A new name must pass [`validate_labeler_name`].
    pub fn labeler_or_create(&self, name: &str) -> Result<(Labeler, bool)> {
        let name = name.trim();
        if let Some(found) = self.find_labeler(name)? {
            return Ok((found, false));
        }
        validate_labeler_name(name)?;
        self.conn().execute(
            &format!("INSERT INTO labelers (name, role, simulated, created_at) VALUES (?1, 'labeler', 0, {NOW})"),
            [name],
        )?;
        let id = LabelerId(self.conn().last_insert_rowid());
        Ok((Labeler { id, name: name.to_owned(), role: Role::Labeler, simulated: false }, true))
    }
}

/// A labeler's name follows the tag rules (see [`validate_tag_name`](super::validate_tag_name)):
/// not empty, no ';' and no control characters, at most 64 characters. The name is taken as
/// given: trim it first.
pub fn validate_labeler_name(name: &str) -> Result<()> {
    super::tags::validate_name("labeler", name)
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
    use super::*;
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

    #[test]
    fn labeler_names_follow_the_tag_rules_and_ignore_case() {
        let (_d, mut store) = temp_store();
        for bad in ["ana\nadmin", "tab\there", "esc\u{1b}[31m", "a;b", &"x".repeat(65)] {
            let err = store.write(|tx| tx.labeler_or_create(bad)).unwrap_err().to_string();
            assert!(err.starts_with("labeler name "), "{bad:?}: {err}");
        }
        let (cy, _) = store.write(|tx| tx.labeler_or_create("cy")).unwrap();
        let (upper, created) = store.write(|tx| tx.labeler_or_create("CY")).unwrap();
        assert!(!created);
        assert_eq!((upper.id, upper.name.as_str()), (cy.id, "cy"));
        assert_eq!(store.read(|tx| tx.find_labeler(" Cy ")).unwrap().unwrap().id, cy.id);
        assert_eq!(store.read(|tx| tx.labelers()).unwrap().len(), 1);
    }

    #[test]
    fn role_changes_are_stored_and_written_to_the_audit_log() {
        let (_d, mut store) = temp_store();
        let ana = store.write(|tx| tx.labeler_or_create("ana")).unwrap().0.id;
        let set = |store: &mut crate::store::Store, role| store.write(|tx| tx.set_labeler_role(ana, role, Origin::Gui));
        assert_eq!(set(&mut store, Role::Engineer).unwrap(), LabelChange::Changed);
        assert_eq!(set(&mut store, Role::Engineer).unwrap(), LabelChange::Unchanged, "no event for no change");
        assert_eq!(set(&mut store, Role::Labeler).unwrap(), LabelChange::Changed);
        assert_eq!(store.read(|tx| tx.find_labeler("ana")).unwrap().unwrap().role, Role::Labeler);
        let events = store.read(|tx| tx.label_events_of(&["role"])).unwrap();
        let seen: Vec<_> = events.iter().map(|e| (e.labeler, e.before.as_deref(), e.after.as_deref())).collect();
        assert_eq!(
            seen,
            [
                (Some(ana), Some("\"labeler\""), Some("\"engineer\"")),
                (Some(ana), Some("\"engineer\""), Some("\"labeler\""))
            ]
        );
        assert!(events.iter().all(|e| e.origin == "gui" && e.pair.is_none()));
        let missing = store.write(|tx| tx.set_labeler_role(crate::store::LabelerId(99), Role::Engineer, Origin::Gui));
        assert!(missing.unwrap_err().to_string().contains("no labeler with id 99"));
    }

    #[test]
    fn roles_read_back_by_name_in_any_case() {
        assert_eq!("Engineer".parse::<Role>(), Ok(Role::Engineer));
        assert_eq!(" adjudicator ".parse::<Role>(), Ok(Role::Adjudicator));
        assert!("boss".parse::<Role>().unwrap_err().contains("labeler, adjudicator or engineer"));
        assert!(!Role::Labeler.may_unblind() && Role::Adjudicator.may_unblind() && Role::Engineer.may_unblind());
    }
}
