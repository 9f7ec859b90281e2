//! One consistent view of a project for curation: every pair with its labels, its consensus
//! and the identities its metadata names.

use std::collections::{BTreeMap, HashMap};

use super::consensus;
use crate::domain::{Split, Truth};
use crate::store::{ImageId, Labeler, LabelerId, PairId, Result, Store, TagId, Tx};

#[derive(Clone, Debug)]
pub struct CuratedPair {
    pub id: PairId,
    pub external_id: Option<String>,
    pub image_a: ImageId,
    pub image_b: ImageId,
    pub truth: Option<Truth>,
    pub split: Option<Split>,
    pub source: String,
    pub metadata: serde_json::Value,
    /// Current verdicts, by labeler id order.
    pub verdicts: Vec<(LabelerId, Truth)>,
    /// Tag applications (labeler, tag name), by labeler then tag.
    pub tags_by: Vec<(LabelerId, String)>,
    /// Labelers who gave a label on the pair with the answer in view (not blind), in id order.
    pub not_blind: Vec<LabelerId>,
    /// The error analysis's consensus tags: applied by at least half of the labelers who
    /// labeled the pair, or the project's tags the adjudicator named (see [`consensus`]).
    pub consensus_tags: Vec<String>,
    /// The adjudicator's verdict, when the pair was adjudicated with one.
    pub adjudicated_verdict: Option<Truth>,
    pub adjudicated: bool,
}

impl CuratedPair {
    /// How the pair is named in messages and files: its own id, or `#<row id>` without one.
    pub fn name(&self) -> String {
        self.external_id.clone().unwrap_or_else(|| format!("#{}", self.id))
    }

    /// The identity the metadata names for side "a" or "b" (`identity_a` / `identity_b`).
    pub fn identity(&self, side: char) -> Option<&str> {
        self.metadata.get(format!("identity_{side}")).and_then(|v| v.as_str()).map(str::trim).filter(|s| !s.is_empty())
    }

    pub fn verdict_values(&self) -> Vec<Truth> {
        self.verdicts.iter().map(|(_, v)| *v).collect()
    }

    /// The adjudicated verdict, else the labelers' strict majority.
    pub fn consensus_verdict(&self) -> Option<Truth> {
        self.adjudicated_verdict.or_else(|| consensus::majority_verdict(&self.verdict_values()))
    }

    pub fn has_consensus_tag(&self, tag: &str) -> bool {
        self.consensus_tags.iter().any(|t| t.eq_ignore_ascii_case(tag))
    }

    /// Labelers who gave a verdict or a tag, in id order.
    pub fn labelers(&self) -> Vec<LabelerId> {
        let mut ids: Vec<LabelerId> =
            self.verdicts.iter().map(|(l, _)| *l).chain(self.tags_by.iter().map(|(l, _)| *l)).collect();
        ids.sort();
        ids.dedup();
        ids
    }
}

/// Every pair of the project (in id order) with labels and consensus, plus the tag names.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub pairs: Vec<CuratedPair>,
    pub labelers: BTreeMap<LabelerId, Labeler>,
    /// Every tag the project defines, in the project's order (hotkey, then name).
    pub tags: Vec<String>,
}

impl Snapshot {
    pub fn load(store: &mut Store) -> Result<Snapshot> {
        store.read(Snapshot::read)
    }

    pub fn read(tx: &Tx) -> Result<Snapshot> {
        let mut verdicts: HashMap<PairId, Vec<(LabelerId, Truth)>> = HashMap::new();
        for v in tx.all_verdicts()? {
            verdicts.entry(v.pair).or_default().push((v.labeler, v.verdict));
        }
        let mut tags_by: HashMap<PairId, Vec<(LabelerId, String)>> = HashMap::new();
        for t in tx.all_pair_tags()? {
            tags_by.entry(t.pair).or_default().push((t.labeler, t.tag));
        }
        let mut not_blind: HashMap<PairId, Vec<LabelerId>> = HashMap::new();
        for label in tx.not_blind_labels()? {
            let labelers = not_blind.entry(label.pair).or_default();
            if !labelers.contains(&label.labeler) {
                labelers.push(label.labeler);
            }
        }
        let project_tags = tx.tags()?;
        // The names adjudications are read against, in id order as the analysis reads them.
        let mut by_id: Vec<(TagId, String)> = project_tags.iter().map(|t| (t.id, t.name.clone())).collect();
        by_id.sort_unstable();
        let tag_names_by_id: Vec<String> = by_id.into_iter().map(|(_, name)| name).collect();
        let mut adjudications: HashMap<PairId, (Option<Truth>, Vec<String>)> =
            tx.all_adjudications()?.into_iter().map(|a| (a.pair, (a.verdict, a.tags))).collect();
        let pairs = tx
            .pairs()?
            .into_iter()
            .map(|p| {
                let mut pair = CuratedPair {
                    id: p.id,
                    external_id: p.external_id,
                    image_a: p.image_a,
                    image_b: p.image_b,
                    truth: p.truth,
                    split: p.split,
                    source: p.source,
                    metadata: p.metadata,
                    verdicts: verdicts.remove(&p.id).unwrap_or_default(),
                    tags_by: tags_by.remove(&p.id).unwrap_or_default(),
                    not_blind: not_blind.remove(&p.id).unwrap_or_default(),
                    consensus_tags: Vec::new(),
                    adjudicated_verdict: None,
                    adjudicated: false,
                };
                match adjudications.remove(&p.id) {
                    Some((verdict, names)) => {
                        pair.consensus_tags = consensus::adjudicated_tags(&names, &tag_names_by_id);
                        pair.adjudicated_verdict = verdict;
                        pair.adjudicated = true;
                    }
                    None => pair.consensus_tags = consensus::consensus_tags(&pair.labelers(), &pair.tags_by),
                }
                pair
            })
            .collect();
        let labelers = tx.labelers()?.into_iter().map(|l| (l.id, l)).collect();
        let tags = project_tags.into_iter().map(|t| t.name).collect();
        Ok(Snapshot { pairs, labelers, tags })
    }

    /// The project's spelling of a tag name, if the project has it.
    pub fn tag_named(&self, name: &str) -> Option<&str> {
        self.tags.iter().find(|t| t.eq_ignore_ascii_case(name.trim())).map(String::as_str)
    }
}
