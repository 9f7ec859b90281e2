//! Adding a pair idempotently: the same pair imported twice is found, not duplicated, and a
//! pair that contradicts what the project already holds is a problem, never an overwrite.

use crate::quote::quote;
use crate::store::{NewPair, PairRecord, Result, Tx};

pub(crate) enum PairOutcome {
    Added,
    Unchanged,
}

/// Ok(Err(message)) is a row-level conflict for the caller to report.
pub(crate) fn upsert_pair(tx: &Tx, pair: &NewPair) -> Result<Result<PairOutcome, String>, crate::store::StoreError> {
    let by_images = tx.find_pair_by_images(pair.image_a, pair.image_b)?;
    let by_id = match pair.external_id {
        Some(id) => tx.find_pair_by_external_id(id)?,
        None => None,
    };
    match (by_id, by_images) {
        (None, None) => {
            tx.insert_pair(pair)?;
            Ok(Ok(PairOutcome::Added))
        }
        (Some(existing), _) if !same_images(&existing, pair) => Ok(Err(format!(
            "pair_id {} is already used by another pair of images",
            quote(pair.external_id.unwrap_or_default())
        ))),
        (_, Some(existing)) => Ok(compare(&existing, pair)),
        (Some(existing), None) => Ok(compare(&existing, pair)),
    }
}

fn same_images(existing: &PairRecord, pair: &NewPair) -> bool {
    (existing.image_a, existing.image_b) == (pair.image_a, pair.image_b)
        || (existing.image_a, existing.image_b) == (pair.image_b, pair.image_a)
}

fn compare(existing: &PairRecord, pair: &NewPair) -> Result<PairOutcome, String> {
    let label = existing.external_id.as_deref().map_or_else(|| format!("#{}", existing.id), |id| quote(id).to_string());
    if let (Some(mine), Some(theirs)) = (pair.external_id, existing.external_id.as_deref())
        && mine != theirs
    {
        return Err(format!("these two images already form pair {label}; this row calls them {}", quote(mine)));
    }
    if pair.truth.is_some() && existing.truth != pair.truth {
        return Err(format!(
            "pair {label} is already in the project with truth {}; this row says {}",
            existing.truth.map_or("unknown", |t| t.as_str()),
            pair.truth.map_or("unknown", |t| t.as_str())
        ));
    }
    if pair.split.is_some() && existing.split != pair.split {
        return Err(format!(
            "pair {label} is already in the project in split {}; this row says {} (change splits with `pairscope split`)",
            existing.split.map_or("none", |s| s.as_str()),
            pair.split.map_or("none", |s| s.as_str())
        ));
    }
    Ok(PairOutcome::Unchanged)
}
