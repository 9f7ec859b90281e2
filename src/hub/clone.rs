//! `pairscope clone URL P --images DIR`: a labeler's own copy of the hub's project.
//!
//! All or nothing: every image the hub names must be under DIR at its relative path with the
//! hub's sha256, or nothing is made and the message lists what is missing or different. The
//! copy is read from the hub in one snapshot and written into a new project that appears only
//! when complete (`Store::create_with`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use postgres::IsolationLevel;

use super::sync::{HubEvent, events_after, record_here};
use super::{HubError, HubUrl, Result, connect, schema};
use crate::domain::Split;
use crate::store::{ClonedImage, ClonedPair, ClonedTag, HubLink, ImageId, PairId, Role, Store, Tx};

/// What `clone` made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CloneReport {
    /// The labeler whose copy it is.
    pub labeler: String,
    pub images: usize,
    pub pairs: usize,
    pub events: usize,
}

/// At most this many problems are listed; the message counts the rest.
const SHOWN_PROBLEMS: usize = 20;

struct HubImage {
    id: i64,
    path: String,
    sha256: String,
    bytes: i64,
    identity: Option<String>,
}

/// Clones the hub at `url` (connecting as the labeler's own role) into a new project at
/// `project`, with its images under `images`.
pub fn clone_hub(url: &HubUrl, project: &Path, images: &Path) -> Result<CloneReport> {
    if project.exists() {
        return Err(HubError::Invalid(format!("{} exists already; clone into a new file", project.display())));
    }
    let root = images
        .canonicalize()
        .map_err(|e| HubError::Invalid(format!("cannot use {} as the images folder: {e}", images.display())))?;
    let mut client = connect(url)?;
    schema::check_current(&mut client, url)?;
    let mut tx = client.build_transaction().isolation_level(IsolationLevel::RepeatableRead).start()?;
    let me = tx.query_opt("SELECT name FROM labelers WHERE pg_role = current_user", &[])?.ok_or_else(|| {
        HubError::Invalid(format!(
            "the role {} is no labeler of the hub at {url}; its owner adds one with `pairscope hub add-labeler URL \
             NAME --pg-role {}`",
            url.user, url.user
        ))
    })?;
    let labeler: String = me.get(0);
    let hub_uid: String = tx.query_one("SELECT value FROM hub_meta WHERE key = 'hub_uid'", &[])?.get(0);
    let hub_images: Vec<HubImage> = tx
        .query("SELECT id, path, sha256, bytes, identity FROM images ORDER BY id", &[])?
        .iter()
        .map(|r| HubImage { id: r.get(0), path: r.get(1), sha256: r.get(2), bytes: r.get(3), identity: r.get(4) })
        .collect();
    let dimensions = check_images(&root, &hub_images)?;
    let copy_id: String =
        tx.query_one("INSERT INTO copies (labeler_id) VALUES (pairscope_me()) RETURNING copy_id", &[])?.get(0);
    let snapshot = read_hub(&mut tx)?;
    let events = events_after(&mut tx, 0, usize::MAX)?;
    let pulled_up_to = events.last().map_or(0, |e| e.id);
    let link = HubLink {
        url: url.to_string(),
        hub_uid,
        copy_id,
        labeler: Some(labeler.clone()),
        pushed_up_to: 0,
        pulled_up_to,
    };
    let root_text = root.to_string_lossy().into_owned();
    Store::create_with(project, |store| {
        store.write(|tx| {
            for (image, dimensions) in hub_images.iter().zip(&dimensions) {
                tx.insert_cloned_image(
                    &root_text,
                    &ClonedImage {
                        id: ImageId(image.id),
                        path: &image.path,
                        sha256: &image.sha256,
                        bytes: image.bytes,
                        dimensions: *dimensions,
                        identity: image.identity.as_deref(),
                    },
                )?;
            }
            fill(tx, &snapshot, &events)?;
            let pushed_up_to = tx.last_event_id()?;
            tx.set_hub_link(&HubLink { pushed_up_to, ..link.clone() })?;
            Ok::<_, HubError>(())
        })
    })?;
    tx.execute(
        "UPDATE copies SET pulled_up_to = $1, synced_at = now() WHERE copy_id = $2",
        &[&pulled_up_to, &link.copy_id],
    )?;
    tx.commit()?;
    Ok(CloneReport { labeler, images: hub_images.len(), pairs: snapshot.pairs.len(), events: events.len() })
}

/// Every image under `root` at its path with the hub's content, or the list of those that are
/// not; their sizes when their headers read.
fn check_images(root: &Path, images: &[HubImage]) -> Result<Vec<Option<(u32, u32)>>> {
    let paths: Vec<PathBuf> = images.iter().map(|i| root.join(&i.path)).collect();
    let mut problems = Vec::new();
    let mut dimensions = Vec::with_capacity(images.len());
    for (image, probed) in images.iter().zip(crate::import::probe_all(&paths)) {
        match probed {
            Ok(p) if p.sha256 == image.sha256 => dimensions.push(p.dimensions),
            Ok(p) => {
                problems.push(format!("{}: its sha256 is {}, the hub's is {}", image.path, p.sha256, image.sha256))
            }
            Err(e) => problems.push(format!("{}: {e}", image.path)),
        }
    }
    if problems.is_empty() {
        return Ok(dimensions);
    }
    let more = problems.len().saturating_sub(SHOWN_PROBLEMS);
    let mut message = format!(
        "{} of the hub's {} images cannot be used under {}, so no copy was made:",
        problems.len(),
        images.len(),
        root.display()
    );
    for problem in problems.iter().take(SHOWN_PROBLEMS) {
        message.push_str("\n  ");
        message.push_str(problem);
    }
    if more > 0 {
        message.push_str(&format!("\n  … and {more} more"));
    }
    Err(HubError::Invalid(message))
}

/// The hub's pairs, labelers, tags and current labels.
struct HubSnapshot {
    pairs: Vec<postgres::Row>,
    labelers: Vec<(String, Role)>,
    tags: Vec<postgres::Row>,
    /// pair, labeler, role, verdict, blind
    verdicts: Vec<postgres::Row>,
    /// pair, labeler, role, tag, blind
    pair_tags: Vec<postgres::Row>,
    /// pair, labeler, role, note
    notes: Vec<postgres::Row>,
    adjudications: Vec<postgres::Row>,
}

fn read_hub(tx: &mut postgres::Transaction) -> Result<HubSnapshot> {
    let labelers = tx
        .query("SELECT name, role FROM labelers ORDER BY id", &[])?
        .iter()
        .map(|r| Ok((r.get(0), r.get::<_, String>(1).parse().map_err(HubError::Invalid)?)))
        .collect::<Result<_>>()?;
    Ok(HubSnapshot {
        pairs: tx.query(
            "SELECT id, external_id, image_a, image_b, truth, split, metadata::text FROM pairs ORDER BY id",
            &[],
        )?,
        labelers,
        tags: tx.query("SELECT name, description, colour, hotkey FROM tags ORDER BY id", &[])?,
        verdicts: tx.query(
            "SELECT v.pair_id, l.name, l.role, v.verdict, v.blind FROM verdicts v JOIN labelers l ON l.id = v.labeler_id",
            &[],
        )?,
        pair_tags: tx.query(
            "SELECT pt.pair_id, l.name, l.role, t.name, pt.blind FROM pair_tags pt
             JOIN labelers l ON l.id = pt.labeler_id JOIN tags t ON t.id = pt.tag_id",
            &[],
        )?,
        notes: tx.query(
            "SELECT n.pair_id, l.name, l.role, n.note FROM notes n JOIN labelers l ON l.id = n.labeler_id",
            &[],
        )?,
        adjudications: tx.query(
            "SELECT a.pair_id, l.name, l.role, a.verdict, a.tags::text, a.reason,
                    to_char(a.decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')
             FROM adjudications a JOIN labelers l ON l.id = a.labeler_id ORDER BY a.pair_id",
            &[],
        )?,
    })
}

/// Writes the snapshot into the new project: pairs under the hub's ids, labelers and tags by
/// name, the hub's log as it is, and the hub's current labels and adjudications.
fn fill(tx: &Tx, hub: &HubSnapshot, events: &[HubEvent]) -> Result<()> {
    for r in &hub.pairs {
        let text = |i: usize| r.get::<_, Option<String>>(i);
        let truth = text(4).as_deref().and_then(super::events::truth_named);
        let split = text(5).as_deref().map(Split::parse).transpose().map_err(HubError::Invalid)?.flatten();
        let metadata: String = r.get(6);
        let external_id = text(1);
        let pair = ClonedPair {
            id: PairId(r.get(0)),
            external_id: external_id.as_deref(),
            image_a: ImageId(r.get(2)),
            image_b: ImageId(r.get(3)),
            truth,
            split,
            metadata: &metadata,
        };
        tx.insert_cloned_pair(&pair, "hub")?;
    }
    for (name, role) in &hub.labelers {
        tx.labeler_for_hub(name, *role)?;
    }
    let tags: Vec<(String, String, String, Option<u8>)> = hub
        .tags
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get::<_, Option<i16>>(3).and_then(|k| u8::try_from(k).ok())))
        .collect();
    let tags: Vec<ClonedTag> = tags
        .iter()
        .map(|(name, description, colour, hotkey)| ClonedTag { name, description, colour, hotkey: *hotkey })
        .collect();
    tx.replace_tags_for_clone(&tags)?;
    for event in events {
        record_here(tx, event)?;
    }
    let labeler = |r: &postgres::Row| -> Result<crate::store::LabelerId> {
        let role = r.get::<_, String>(2).parse().map_err(HubError::Invalid)?;
        Ok(tx.labeler_for_hub(&r.get::<_, String>(1), role)?)
    };
    for r in &hub.verdicts {
        let verdict = super::events::truth_named(&r.get::<_, String>(3))
            .ok_or_else(|| HubError::Invalid("the hub holds a verdict that is neither same nor different".into()))?;
        tx.put_verdict_with_copied_history(PairId(r.get(0)), labeler(r)?, Some(verdict), r.get(4))?;
    }
    for r in &hub.pair_tags {
        let tag = tx.tag_for_hub(&r.get::<_, String>(3))?;
        tx.put_pair_tag_with_copied_history(PairId(r.get(0)), labeler(r)?, tag, true, r.get(4))?;
    }
    for r in &hub.notes {
        tx.put_note_with_copied_history(PairId(r.get(0)), labeler(r)?, Some(&r.get::<_, String>(3)))?;
    }
    let names: HashMap<String, _> = tx.labelers()?.into_iter().map(|l| (l.name, l.id)).collect();
    for r in &hub.adjudications {
        let name: String = r.get(1);
        let tags: String = r.get(4);
        let row = crate::store::AdjudicationRow {
            pair: PairId(r.get(0)),
            adjudicator: names[&name],
            verdict: r.get::<_, Option<String>>(3).as_deref().and_then(super::events::truth_named),
            tags: serde_json::from_str(&tags).unwrap_or_default(),
            reason: r.get(5),
            decided_at: r.get(6),
        };
        tx.put_adjudication_with_copied_history(&row)?;
    }
    Ok(())
}
