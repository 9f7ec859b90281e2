//! Tag definitions across copies (issue 16): a tag's name, description and colour are the
//! team's, so the hub's owner and adjudicators edit them for everyone, and anyone may add a tag.
//!
//! An edit travels as its `tag-def` event, with the definition before and after. Like a merge
//! of two edits of one file, only the fields the edit changed count: each must still hold, where
//! the edit arrives, the value the edit started from. Then the edit applies. If one holds
//! something else, someone changed it meanwhile without this edit seeing it: a conflict,
//! reported, with nothing overwritten (as `merge-labels` and adjudications do). The edit's event
//! is kept on the hub as history, marked not applied.
//!
//! What stays in its copy: hotkeys (each labeler's keyboard), merges of two tags (they rewrite
//! other labelers' tags, which only their own copies may do), and edits made in a labeler's copy
//! (the hub lets only adjudicators change a definition).

use postgres::Transaction;

use super::Result;
use crate::store::{EventRow, Tx};

pub const TAG_DEF: &str = "tag-def";

/// The travelling part of a tag's definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Definition {
    pub name: String,
    pub description: String,
    pub colour: String,
}

impl Definition {
    fn read(value: &serde_json::Value) -> Option<Definition> {
        let field = |key: &str| value.get(key).and_then(|v| v.as_str()).map(str::to_owned);
        Some(Definition {
            name: field("name")?,
            description: field("description").unwrap_or_default(),
            colour: field("colour").unwrap_or_default(),
        })
    }
}

/// A creation (`before` None) or an edit of a tag's definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefinitionChange {
    pub before: Option<Definition>,
    pub after: Definition,
}

/// The definition change of a `tag-def` event; None for a merge, a change of the hotkey alone,
/// and an event that cannot be read (they stay in their copy, or travel as history only).
pub fn change_of(event: &EventRow) -> Option<DefinitionChange> {
    if event.kind != TAG_DEF {
        return None;
    }
    let parse = |text: &Option<String>| -> Option<serde_json::Value> {
        text.as_deref().map_or(Some(serde_json::Value::Null), |t| serde_json::from_str(t).ok())
    };
    let after = Definition::read(&parse(&event.after)?)?;
    let before = match parse(&event.before)? {
        serde_json::Value::Null => None,
        value => Some(Definition::read(&value)?),
    };
    (before.as_ref() != Some(&after)).then_some(DefinitionChange { before, after })
}

/// Whether this copy sends a `tag-def` event: a creation from anyone; an edit only from a copy
/// that may define tags (the owner's, or an adjudicator's).
pub fn travels(event: &EventRow, may_define: bool) -> bool {
    change_of(event).is_some_and(|change| change.before.is_none() || may_define)
}

/// The fields `change` changed, each as (name, from, to).
fn changed_fields(change: &DefinitionChange) -> Vec<(&'static str, &str, &str)> {
    let Some(before) = &change.before else { return Vec::new() };
    let after = &change.after;
    [
        ("name", before.name.as_str(), after.name.as_str()),
        ("description", before.description.as_str(), after.description.as_str()),
        ("colour", before.colour.as_str(), after.colour.as_str()),
    ]
    .into_iter()
    .filter(|(_, from, to)| from != to)
    .collect()
}

fn field<'a>(definition: &'a Definition, name: &str) -> &'a str {
    match name {
        "name" => &definition.name,
        "description" => &definition.description,
        _ => &definition.colour,
    }
}

fn field_mut<'a>(definition: &'a mut Definition, name: &str) -> &'a mut String {
    match name {
        "name" => &mut definition.name,
        "description" => &mut definition.description,
        _ => &mut definition.colour,
    }
}

/// Where an edit arrives: the definition to write there (`current`, the tag as held there,
/// with the fields the edit changed set; the others stay as they are), None if it holds the
/// edit already, or why not, in words naming `place`. `current` is None if no tag has the
/// edit's old name; `taken`: another tag there holds the edit's new name. A creation (no
/// `before`) is the callers' to make.
fn rule(
    change: &DefinitionChange,
    current: Option<&Definition>,
    taken: bool,
    place: &str,
) -> Result<Option<Definition>, String> {
    let Some(before) = &change.before else { return Ok(None) };
    let Some(current) = current else {
        return Err(format!(
            "tag {:?}: {place} has no tag of that name (renamed or merged there); the edit to {:?} was not applied — \
             edit it again",
            before.name, change.after.name
        ));
    };
    let changed = changed_fields(change);
    if changed.iter().all(|(f, _, to)| field(current, f) == *to) {
        return Ok(None);
    }
    if let Some((f, from, to)) =
        changed.iter().find(|(f, from, to)| field(current, f) != *from && field(current, f) != *to)
    {
        return Err(format!(
            "tag {:?}: {place} keeps {f} {:?}; the change from {from:?} to {to:?} was made without seeing it and was \
             not applied — edit it again",
            before.name,
            field(current, f)
        ));
    }
    if taken {
        return Err(format!(
            "tag {:?}: {place} has another tag named {:?} already; the rename was not applied — merge them there",
            before.name, change.after.name
        ));
    }
    let mut merged = current.clone();
    for (f, _, to) in changed {
        *field_mut(&mut merged, f) = to.to_owned();
    }
    Ok(Some(merged))
}

// --- on the hub ---

fn on_hub(tx: &mut Transaction, name: &str) -> Result<Option<(i64, Definition)>> {
    let row = tx.query_opt("SELECT id, name, description, colour FROM tags WHERE lower(name) = lower($1)", &[&name])?;
    Ok(row.map(|r| (r.get(0), Definition { name: r.get(1), description: r.get(2), colour: r.get(3) })))
}

/// Applies a copy's definition change on the hub if [the rule](self) lets it; returns whether
/// it applied, or the conflict in words. Run in log order: each edit starts from the last.
pub(super) fn apply_on_hub(tx: &mut Transaction, change: &DefinitionChange) -> Result<Result<(), String>> {
    let Some(before) = &change.before else {
        tx.execute(
            "INSERT INTO tags (name, description, colour) VALUES ($1, $2, coalesce(nullif($3, ''), '#888888'))
             ON CONFLICT ((lower(name))) DO NOTHING",
            &[&change.after.name, &change.after.description, &change.after.colour],
        )?;
        return Ok(Ok(()));
    };
    let current = on_hub(tx, &before.name)?;
    let taken = match on_hub(tx, &change.after.name)? {
        Some((id, _)) => current.as_ref().is_none_or(|(mine, _)| *mine != id),
        None => false,
    };
    match rule(change, current.as_ref().map(|(_, d)| d), taken, "the hub") {
        Ok(Some(merged)) => {
            let (id, _) = current.expect("the rule writes only to a tag there");
            tx.execute(
                "UPDATE tags SET name = $1, description = $2, colour = $3 WHERE id = $4",
                &[&merged.name, &merged.description, &merged.colour, &id],
            )?;
            Ok(Ok(()))
        }
        Ok(None) => Ok(Ok(())),
        Err(words) => Ok(Err(words)),
    }
}

// --- in a copy ---

/// Makes a definition change brought from the hub (and applied there) this copy's too, by the
/// same rule; a conflict in words when this copy's own edit of the tag differs. The event is
/// already in this copy's log. The hotkey stays this copy's.
pub(super) fn apply_here(tx: &Tx, change: &DefinitionChange) -> Result<Option<String>> {
    let after = &change.after;
    if let Err(why) = crate::store::validate_tag_name(&after.name) {
        return Ok(Some(format!("tag {:?}: {why}; not applied in this copy", after.name)));
    }
    let Some(before) = &change.before else {
        // A tag this copy has already stays as it is.
        tx.put_tag_definition_for_hub(None, &after.name, &after.description, &after.colour)?;
        return Ok(None);
    };
    let current = tx.find_tag(&before.name)?;
    let taken = tx.find_tag(&after.name)?.is_some_and(|t| current.as_ref().is_none_or(|c| c.id != t.id));
    let held = current.as_ref().map(|t| Definition {
        name: t.name.clone(),
        description: t.description.clone(),
        colour: t.colour.clone(),
    });
    match rule(change, held.as_ref(), taken, "this copy") {
        Ok(Some(merged)) => {
            let id = current.map(|t| t.id);
            tx.put_tag_definition_for_hub(id, &merged.name, &merged.description, &merged.colour)?;
            Ok(None)
        }
        Ok(None) => Ok(None),
        Err(words) => Ok(Some(words)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn definition(name: &str, description: &str, colour: &str) -> Definition {
        Definition { name: name.into(), description: description.into(), colour: colour.into() }
    }

    fn event(before: Option<&str>, after: &str) -> EventRow {
        EventRow {
            id: 1,
            at: "t".into(),
            labeler: None,
            pair: None,
            kind: TAG_DEF.into(),
            before: before.map(Into::into),
            after: Some(after.into()),
            origin: "gui".into(),
            reason: None,
            blind: None,
        }
    }

    #[test]
    fn creations_and_edits_travel_merges_and_hotkeys_stay() {
        let edit = event(
            Some(r##"{"tag_id":3,"name":"dark","description":"","colour":"#111111","hotkey":1}"##),
            r##"{"tag_id":3,"name":"dark","description":"face in shadow","colour":"#111111","hotkey":1}"##,
        );
        let change = change_of(&edit).unwrap();
        assert_eq!(change.after.description, "face in shadow");
        assert!(travels(&edit, true) && !travels(&edit, false), "an edit only from a copy that may define tags");
        let created = event(None, r##"{"tag_id":9,"name":"glare","description":"","colour":"#222222","hotkey":null}"##);
        assert!(travels(&created, false), "anyone may add a tag");
        let hotkey = event(
            Some(r##"{"tag_id":3,"name":"dark","description":"","colour":"#111111","hotkey":1}"##),
            r##"{"tag_id":3,"name":"dark","description":"","colour":"#111111","hotkey":4}"##,
        );
        assert_eq!(change_of(&hotkey), None, "the hotkey is the copy's own");
        let merged = event(Some(r##"{"tag_id":3,"name":"dim"}"##), r#"{"merged_into":"dark","tag_id":1}"#);
        assert_eq!(change_of(&merged), None, "a merge stays in its copy");
        assert_eq!(change_of(&event(Some("{"), "{}")), None, "unreadable: history only");
    }

    #[test]
    fn only_the_fields_an_edit_changed_must_still_hold_what_it_started_from() {
        let change = DefinitionChange {
            before: Some(definition("dark", "", "#111111")),
            after: definition("dark", "face in shadow", "#111111"),
        };
        let here = |d: &Definition| rule(&change, Some(d), false, "the hub");
        assert_eq!(here(&definition("dark", "", "#111111")), Ok(Some(definition("dark", "face in shadow", "#111111"))));
        assert_eq!(
            here(&definition("Dark", "", "#999999")),
            Ok(Some(definition("Dark", "face in shadow", "#999999"))),
            "other fields may differ, and keep what they hold there"
        );
        assert_eq!(here(&definition("dark", "face in shadow", "#111111")), Ok(None), "there already");
        let conflict = here(&definition("dark", "too dark to see", "#111111")).unwrap_err();
        assert_eq!(
            conflict,
            "tag \"dark\": the hub keeps description \"too dark to see\"; the change from \"\" to \"face in shadow\" \
             was made without seeing it and was not applied — edit it again"
        );
        assert!(rule(&change, None, false, "this copy").unwrap_err().contains("this copy has no tag of that name"));
        let rename = DefinitionChange { before: Some(definition("dim", "", "")), after: definition("dark", "", "") };
        assert!(rule(&rename, Some(&definition("dim", "", "")), true, "the hub").unwrap_err().contains("merge them"));
    }
}
