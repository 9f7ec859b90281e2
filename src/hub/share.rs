//! `pairscope share P --hub URL`: publishes a project to an empty hub, in one transaction, and
//! makes the project the hub's first copy: its owner's.
//!
//! Pairs, images, labelers and tags keep their ids, so the hub and the owner's copy name them
//! alike; the audit log travels whole, each event under the uid `<copy>:<id>`.

use postgres::Transaction;

use super::{HubError, HubUrl, Result, connect, schema};
use crate::domain::Truth;
use crate::store::Tag;
use crate::store::{AdjudicationRow, EventRow, HubLink, Labeler, PairRecord, SharedImage, SharedLabel, Store, Tx};

/// What `share` published.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareReport {
    pub images: usize,
    pub pairs: usize,
    pub labelers: usize,
    pub labels: usize,
    pub events: usize,
}

/// Everything of a project the hub holds, read in one transaction.
struct Published {
    images: Vec<SharedImage>,
    pairs: Vec<PairRecord>,
    labelers: Vec<Labeler>,
    tags: Vec<Tag>,
    verdicts: Vec<SharedLabel<Truth>>,
    pair_tags: Vec<SharedLabel<String>>,
    notes: Vec<SharedLabel<String>>,
    adjudications: Vec<AdjudicationRow>,
    events: Vec<EventRow>,
}

fn read_project(tx: &Tx) -> crate::store::Result<Published> {
    Ok(Published {
        images: tx.images_to_share()?,
        pairs: tx.pairs()?,
        labelers: tx.labelers()?,
        tags: tx.tags()?,
        verdicts: tx.verdicts_to_share()?,
        pair_tags: tx.pair_tags_to_share()?,
        notes: tx.notes_to_share()?,
        adjudications: tx.all_adjudications()?,
        events: tx.local_events_after(0, usize::MAX)?,
    })
}

/// Publishes the project in `store` to the empty hub at `url` (as its owner), and links the
/// project to the hub. `name` is the project's name on the hub.
pub fn share(store: &mut Store, url: &HubUrl, name: &str) -> Result<ShareReport> {
    if let Some(link) = store.read(|tx| tx.hub_link())? {
        return Err(HubError::Invalid(format!("this project is a copy of the hub at {} already", link.url)));
    }
    let project = store.read(read_project)?;
    let mut seen = std::collections::HashMap::new();
    for image in &project.images {
        if let Some(other) = seen.insert(image.path.as_str(), image.sha256.as_str())
            && other != image.sha256
        {
            return Err(HubError::Invalid(format!(
                "two different images share the path {} (under two folders): a copy finds images by path, so \
                 rename one before sharing",
                crate::quote::quote(&image.path)
            )));
        }
    }

    let mut client = connect(url)?;
    schema::check_current(&mut client, url)?;
    let mut tx = client.transaction()?;
    super::sync::lock_the_log(&mut tx)?;
    let held: i64 = tx.query_one("SELECT count(*) FROM pairs", &[])?.get(0);
    if held > 0 {
        return Err(HubError::Invalid(format!(
            "the hub at {url} holds a project already ({held} pairs): clone it, or share into a new database"
        )));
    }
    let hub_uid: String = tx.query_one("SELECT value FROM hub_meta WHERE key = 'hub_uid'", &[])?.get(0);
    let copy_id: String = tx.query_one("INSERT INTO copies (labeler_id) VALUES (NULL) RETURNING copy_id", &[])?.get(0);
    tx.execute("INSERT INTO hub_meta (key, value) VALUES ('project', $1)", &[&name])?;
    insert_rows(&mut tx, &project)?;
    let events = super::sync::insert_events(&mut tx, &copy_id, &project.events, &names(&project.labelers))?;
    for (table, sequence) in [
        ("images", "images_id_seq"),
        ("pairs", "pairs_id_seq"),
        ("labelers", "labelers_id_seq"),
        ("tags", "tags_id_seq"),
    ] {
        tx.execute(&format!("SELECT setval('{sequence}', greatest((SELECT max(id) FROM {table}), 1))"), &[])?;
    }
    let pulled_up_to: i64 = tx.query_one("SELECT coalesce(max(id), 0) FROM events", &[])?.get(0);
    tx.execute(
        "UPDATE copies SET pulled_up_to = $1, synced_at = now() WHERE copy_id = $2",
        &[&pulled_up_to, &copy_id],
    )?;
    tx.commit()?;

    let pushed_up_to = project.events.last().map_or(0, |e| e.id);
    let link = HubLink { url: url.to_string(), hub_uid, copy_id, labeler: None, pushed_up_to, pulled_up_to };
    store.write(|tx| tx.set_hub_link(&link))?;
    Ok(ShareReport {
        images: project.images.len(),
        pairs: project.pairs.len(),
        labelers: project.labelers.len(),
        labels: project.verdicts.len() + project.pair_tags.len() + project.notes.len(),
        events,
    })
}

fn names(labelers: &[Labeler]) -> std::collections::HashMap<crate::store::LabelerId, String> {
    labelers.iter().map(|l| (l.id, l.name.clone())).collect()
}

/// The project's rows, under their ids.
fn insert_rows(tx: &mut Transaction, p: &Published) -> Result<()> {
    let image = tx.prepare("INSERT INTO images (id, path, sha256, bytes, identity) VALUES ($1, $2, $3, $4, $5)")?;
    for i in &p.images {
        tx.execute(&image, &[&i.id.0, &i.path, &i.sha256, &i.bytes, &i.identity])?;
    }
    let pair = tx.prepare(
        "INSERT INTO pairs (id, external_id, image_a, image_b, truth, split, metadata)
         VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb)",
    )?;
    for r in &p.pairs {
        let truth = r.truth.map(Truth::as_str);
        let split = r.split.map(|s| s.as_str());
        let metadata = r.metadata.to_string();
        tx.execute(&pair, &[&r.id.0, &r.external_id, &r.image_a.0, &r.image_b.0, &truth, &split, &metadata])?;
    }
    for l in &p.labelers {
        tx.execute("INSERT INTO labelers (id, name, role) VALUES ($1, $2, $3)", &[&l.id.0, &l.name, &l.role.as_str()])?;
    }
    for t in &p.tags {
        let hotkey = t.hotkey.map(i16::from);
        tx.execute(
            "INSERT INTO tags (id, name, description, colour, hotkey) VALUES ($1, $2, $3, $4, $5)",
            &[&t.id.0, &t.name, &t.description, &t.colour, &hotkey],
        )?;
    }
    let verdict = tx.prepare(
        "INSERT INTO verdicts (pair_id, labeler_id, verdict, blind)
         SELECT $1, id, $3, $4 FROM labelers WHERE name = $2",
    )?;
    for v in &p.verdicts {
        tx.execute(&verdict, &[&v.pair.0, &v.labeler, &v.value.as_str(), &v.blind])?;
    }
    let pair_tag = tx.prepare(
        "INSERT INTO pair_tags (pair_id, labeler_id, tag_id, blind)
         SELECT $1, l.id, t.id, $4 FROM labelers l, tags t WHERE l.name = $2 AND lower(t.name) = lower($3)",
    )?;
    for t in &p.pair_tags {
        tx.execute(&pair_tag, &[&t.pair.0, &t.labeler, &t.value, &t.blind])?;
    }
    let note =
        tx.prepare("INSERT INTO notes (pair_id, labeler_id, note) SELECT $1, id, $3 FROM labelers WHERE name = $2")?;
    for n in &p.notes {
        tx.execute(&note, &[&n.pair.0, &n.labeler, &n.value])?;
    }
    for a in &p.adjudications {
        let verdict = a.verdict.map(Truth::as_str);
        let tags = serde_json::to_string(&a.tags).expect("tag names serialise");
        tx.execute(
            "INSERT INTO adjudications (pair_id, labeler_id, verdict, tags, reason) VALUES ($1, $2, $3, $4::text::jsonb, $5)",
            &[&a.pair.0, &a.adjudicator.0, &verdict, &tags, &a.reason],
        )?;
    }
    Ok(())
}
