//! Recording who is in each image during an import. A new identity is set, the same one is
//! left alone, and another one already stored is a located problem, never an overwrite
//! (only `import-identities --replace` replaces).

use crate::quote::{quote, shortened};
use crate::store::{IdentityChange, ImageId, StoreError, Tx};

/// Why `identity` cannot be recorded for image `rel`: the project already holds another one.
/// Reads only, so a caller can check every image of a row before writing any.
pub(crate) fn identity_conflict(
    tx: &Tx,
    image: ImageId,
    rel: &str,
    identity: &str,
) -> Result<Option<String>, StoreError> {
    Ok(tx
        .image_identity(image)?
        .filter(|existing| existing != identity.trim())
        .map(|existing| conflict(rel, &existing, identity)))
}

/// Records `identity` for image `rel` unless it has another one. Ok(Ok(true)) when it was
/// newly set, Ok(Ok(false)) when it was already that, Ok(Err(why)) on a conflict.
pub(crate) fn record_identity(
    tx: &Tx,
    image: ImageId,
    rel: &str,
    identity: &str,
) -> Result<Result<bool, String>, StoreError> {
    Ok(match tx.set_image_identity(image, identity, false)? {
        // Replaced cannot happen without `replace`; counted as set if it ever did.
        IdentityChange::Set | IdentityChange::Replaced { .. } => Ok(true),
        IdentityChange::Unchanged => Ok(false),
        IdentityChange::Conflict { existing } => Err(conflict(rel, &existing, identity)),
    })
}

fn conflict(rel: &str, existing: &str, identity: &str) -> String {
    format!(
        "image {} is already identity {} in the project; this says {}",
        shortened(rel),
        quote(existing),
        quote(identity.trim())
    )
}
