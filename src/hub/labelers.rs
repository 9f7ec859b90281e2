//! The hub's labelers: each one a PostgreSQL role of their own (LOGIN, a member of
//! `pairscope_labeler`, and of `pairscope_adjudicator` for adjudicators), and who labeled how
//! much.

use super::{HubError, Result};
use crate::store::Role;

/// A labeler of the hub.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HubLabeler {
    pub name: String,
    pub pg_role: String,
    pub role: Role,
}

/// Labels per labeler, for `hub status`.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelerCounts {
    pub name: String,
    pub role: Role,
    pub verdicts: i64,
    pub tags: i64,
    pub notes: i64,
    /// Pairs assigned to them under a live lease that they have not labeled yet.
    pub assigned: i64,
    /// Seconds since the hub last received a change of theirs; None if it never did.
    pub last_change_secs: Option<f64>,
}

/// One copy of the hub's project, for `hub status`: whose, how far behind the hub's log, and
/// how long since it last synced.
#[derive(Clone, Debug, PartialEq)]
pub struct CopyStatus {
    /// None for the owner's copy.
    pub labeler: Option<String>,
    pub copy_id: String,
    /// Events of the hub's log this copy has not pulled.
    pub behind: i64,
    pub last_sync_secs: Option<f64>,
}

/// Every copy, the owner's first, then by labeler.
pub fn copies(client: &mut postgres::Client) -> Result<Vec<CopyStatus>> {
    let rows = client.query(
        "SELECT l.name, c.copy_id, (SELECT coalesce(max(id), 0) FROM events) - c.pulled_up_to,
                extract(epoch FROM now() - c.synced_at)::float8
         FROM copies c LEFT JOIN labelers l ON l.id = c.labeler_id
         ORDER BY l.name NULLS FIRST, c.made_at",
        &[],
    )?;
    Ok(rows
        .iter()
        .map(|r| CopyStatus { labeler: r.get(0), copy_id: r.get(1), behind: r.get(2), last_sync_secs: r.get(3) })
        .collect())
}

/// A role name PostgreSQL takes unquoted: lower-case letters, digits and `_`, at most 63
/// bytes, not starting with a digit, and not one of pairscope's group roles.
pub fn validate_pg_role(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && !name.starts_with("pairscope_")
        && !name.starts_with("pg_");
    if ok {
        Ok(())
    } else {
        Err(HubError::Invalid(format!(
            "{} cannot be a PostgreSQL role here: use lower-case letters, digits and _ (at most 63), not starting \
             with a digit, pg_ or pairscope_",
            crate::quote::quote(name)
        )))
    }
}

/// Adds a labeler as their own role (created without a password: the hub's administrator sets
/// one with `\password ROLE` in psql, or the server trusts the labeler's machine). A role that
/// exists already is reused and given the group roles.
pub fn add_labeler(client: &mut postgres::Client, name: &str, pg_role: &str, role: Role) -> Result<HubLabeler> {
    crate::store::validate_labeler_name(name).map_err(|e| HubError::Invalid(e.to_string()))?;
    validate_pg_role(pg_role)?;
    let mut tx = client.transaction()?;
    let exists = tx.query_opt("SELECT 1 FROM pg_roles WHERE rolname = $1", &[&pg_role])?.is_some();
    // The role name was checked above: safe to put into the statement unquoted.
    if !exists {
        tx.batch_execute(&format!("CREATE ROLE {pg_role} LOGIN"))?;
    }
    tx.batch_execute(&format!("GRANT pairscope_labeler TO {pg_role}"))?;
    if role == Role::Adjudicator {
        tx.batch_execute(&format!("GRANT pairscope_adjudicator TO {pg_role}"))?;
    }
    tx.execute(
        "INSERT INTO labelers (name, pg_role, role) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET pg_role = excluded.pg_role, role = excluded.role",
        &[&name, &pg_role, &role.as_str()],
    )?;
    tx.commit()?;
    Ok(HubLabeler { name: name.into(), pg_role: pg_role.into(), role })
}

/// Every labeler with their counts, by name.
pub fn counts(client: &mut postgres::Client) -> Result<Vec<LabelerCounts>> {
    let rows = client.query(
        "SELECT l.name, l.role,
                (SELECT count(*) FROM verdicts v WHERE v.labeler_id = l.id),
                (SELECT count(*) FROM pair_tags t WHERE t.labeler_id = l.id),
                (SELECT count(*) FROM notes n WHERE n.labeler_id = l.id),
                (SELECT count(*) FROM open_assignments a WHERE a.labeler_id = l.id),
                (SELECT extract(epoch FROM now() - max(e.received_at))::float8 FROM events e WHERE e.labeler_id = l.id)
         FROM labelers l ORDER BY l.name",
        &[],
    )?;
    rows.iter()
        .map(|r| {
            let role: String = r.get(1);
            Ok(LabelerCounts {
                name: r.get(0),
                role: role.parse().map_err(HubError::Invalid)?,
                verdicts: r.get(2),
                tags: r.get(3),
                notes: r.get(4),
                assigned: r.get(5),
                last_change_secs: r.get(6),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_are_plain_identifiers_and_not_ours() {
        for good in ["ana", "ben_2", "a"] {
            assert!(validate_pg_role(good).is_ok(), "{good}");
        }
        for bad in ["", "Ana", "2ana", "ana-b", "a;drop", "pairscope_labeler", "pg_read_all_data", &"a".repeat(64)] {
            assert!(validate_pg_role(bad).is_err(), "{bad}");
        }
    }
}
