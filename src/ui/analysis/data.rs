//! What the analysis screens compute on: the prepared snapshot of the open project, read
//! and prepared on the I/O thread (never in a frame), plus what only changes with the data
//! (curves, histograms, saved runs).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::analysis::all_vs_all::{AllVsAllRecord, AllVsAllReport, det_points};
use crate::analysis::{
    DetPoint, EdcByQuality, LabelBook, Prepared, RocPoint, SliceKey, Snapshot, SnapshotError, Truth, probit,
    tag_indices,
};
use crate::store::{ImageId, LabelerId, PairId, PhotoStats, RunRecord, ScoredModel, Store, StoreError, TagId};

/// Bins of the score histograms.
pub const HISTOGRAM_BINS: usize = 60;

/// Score histograms of same-person and different-person pairs over the same bins.
#[derive(Clone, Debug, Default)]
pub struct Histograms {
    pub min: f64,
    pub width: f64,
    pub same: Vec<u64>,
    pub different: Vec<u64>,
}

impl Histograms {
    /// The scores the bins span, which is also the threshold slider's range; None without a
    /// scored pair of known truth.
    pub fn range(&self) -> Option<(f64, f64)> {
        (!self.same.is_empty()).then_some((self.min, self.min + self.width * self.same.len() as f64))
    }

    fn new(scores: &[f64], truth: &[Option<Truth>]) -> Histograms {
        let pairs = || scores.iter().zip(truth).filter_map(|(&s, t)| (s.is_finite()).then_some((s, (*t)?)));
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for (s, _) in pairs() {
            lo = lo.min(s);
            hi = hi.max(s);
        }
        if !lo.is_finite() {
            return Histograms::default();
        }
        let width = ((hi - lo) / HISTOGRAM_BINS as f64).max(1e-9);
        let mut same = vec![0; HISTOGRAM_BINS];
        let mut different = vec![0; HISTOGRAM_BINS];
        for (s, t) in pairs() {
            let bin = (((s - lo) / width) as usize).min(HISTOGRAM_BINS - 1);
            match t {
                Truth::Same => same[bin] += 1,
                Truth::Different => different[bin] += 1,
            }
        }
        Histograms { min: lo, width, same, different }
    }
}

/// At most this many points per curve are drawn (a 1M-pair ROC has 1M points).
const MAX_CURVE_POINTS: usize = 2000;

pub(in crate::ui) fn thin<T: Copy>(points: Vec<T>) -> Vec<T> {
    if points.len() <= MAX_CURVE_POINTS {
        return points;
    }
    let step = points.len().div_ceil(MAX_CURVE_POINTS);
    let last = *points.last().expect("not empty");
    let mut out: Vec<T> = points.into_iter().step_by(step).collect();
    out.push(last);
    out
}

/// A number no other analysis data of this process has had: what the screens' caches are
/// keyed by, so a load or an incremental update (which takes a new one) invalidates them.
pub fn next_generation() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// The project as the analysis screens see it.
pub struct AnalysisData {
    pub prepared: Arc<Prepared>,
    /// The columns the prepared analysis was built from (scores, truth, metadata); its labels
    /// are in `labels`.
    pub snapshot: Snapshot,
    pub pair_ids: Vec<PairId>,
    pub tag_ids: Vec<TagId>,
    pub labeler_ids: Vec<LabelerId>,
    /// The labels `prepared` was built from, as this window's label edits left them (see
    /// `label_edits.rs`).
    pub labels: LabelBook,
    /// Changes with every change of the data, in place (a label edit) or by a reload, and never
    /// comes back (see [`next_generation`]): what is derived from the data (tables, lists)
    /// is computed again when it changes.
    pub generation: u64,
    /// The model whose scores these are (None: no scores).
    pub model: Option<ScoredModel>,
    pub models: Vec<ScoredModel>,
    pub histograms: Histograms,
    /// (FPR, TPR) from threshold +∞ down, thinned for drawing.
    pub roc: Vec<[f64; 2]>,
    /// (probit FPR, probit FNR), thinned, only points where both are finite.
    pub det: Vec<[f64; 2]>,
    pub runs: Vec<RunRecord>,
    /// Each pair's two photos when both are measured, for suggestions made photo by photo.
    pub pair_photos: Vec<Option<[ImageId; 2]>>,
    /// The measured photos.
    pub photos: HashMap<ImageId, PhotoStats>,
    /// The genuine pairs ranked by those statistics, for the EDC (scores and truth only
    /// change with a reload).
    pub edc: EdcByQuality,
    /// The cached all-vs-all result of this model for the project's images and identities,
    /// with its DET curve; None when not computed.
    pub all_vs_all: Option<Arc<AllVsAllView>>,
    /// Suggestions rejected for good: (pair, tag name in lower case).
    pub rejected: HashSet<(PairId, String)>,
    /// Labels (verdicts and tag applications) given with the answer in view.
    pub not_blind_labels: u64,
    /// The analysis without those labels, for the Agreement screen (None when every label
    /// is blind).
    pub blind_only: Option<Arc<Prepared>>,
    /// The labels `blind_only` was built from (None with it).
    pub blind_labels: Option<LabelBook>,
}

impl AnalysisData {
    /// Reads and prepares everything (I/O thread only: ~0.1 s at 1M pairs).
    pub fn load(store: &mut Store, model_name: Option<&str>) -> Result<AnalysisData, String> {
        let (model, models, mut snap, runs, (image_stats, by_pair), rejected) = store
            .read(|tx| {
                let models = tx.models()?;
                let model = match model_name {
                    Some(name) => models.iter().find(|m| m.name == name).cloned(),
                    None => tx.choose_model(None).ok().flatten(),
                };
                let snap = tx.snapshot(model.as_ref().map(|m| m.id))?;
                let runs = tx.runs()?;
                let stats = (tx.pair_image_stats()?, tx.photo_stats_by_pair()?);
                Ok((model, models, snap, runs, stats, tx.rejected_suggestions()?))
            })
            .map_err(|e: StoreError| e.to_string())?;
        let invalid = |e: SnapshotError| format!("invalid project data: {e}");
        let prepared = Prepared::new(&snap.snapshot).map_err(invalid)?;
        let not_blind_labels = snap.not_blind_count();
        let (blind_only, blind_labels) = if not_blind_labels == 0 {
            (None, None)
        } else {
            let mut blind_snapshot = snap.blind_labels_only();
            let blind = Prepared::new(&blind_snapshot).map_err(invalid)?;
            (Some(Arc::new(blind)), Some(LabelBook::take(&mut blind_snapshot).map_err(invalid)?))
        };
        let labels = LabelBook::take(&mut snap.snapshot).map_err(invalid)?;
        let histograms = Histograms::new(&snap.snapshot.score, &snap.snapshot.truth);
        let roc =
            thin(prepared.roc_curve(true).unwrap_or_default().iter().map(|p: &RocPoint| [p.fpr, p.tpr]).collect());
        let det = thin(
            prepared
                .det_curve()
                .unwrap_or_default()
                .iter()
                .filter_map(|p: &DetPoint| Some([probit(p.fpr)?, probit(p.fnr)?]))
                .filter(|p| p[0].is_finite() && p[1].is_finite())
                .collect(),
        );
        let image_stats: Vec<_> = snap.pair_ids.iter().map(|id| image_stats.get(id).copied()).collect();
        let pair_photos = snap.pair_ids.iter().map(|id| by_pair.pairs.get(id).copied()).collect();
        let all_vs_all = match model.as_ref().and_then(|m| m.sha256.as_deref()) {
            Some(sha) => crate::all_vs_all::cached(store, sha).map_err(|e| e.to_string())?.map(AllVsAllView::new),
            None => None,
        }
        .map(Arc::new);
        let edc = EdcByQuality::new(&snap.snapshot.score, &snap.snapshot.truth, &image_stats);
        Ok(AnalysisData {
            prepared: Arc::new(prepared),
            snapshot: snap.snapshot,
            pair_ids: snap.pair_ids,
            tag_ids: snap.tag_ids,
            labeler_ids: snap.labeler_ids,
            labels,
            generation: next_generation(),
            model,
            models,
            histograms,
            roc,
            det,
            runs,
            pair_photos,
            photos: by_pair.photos,
            edc,
            all_vs_all,
            rejected,
            not_blind_labels,
            blind_only,
            blind_labels,
        })
    }

    /// Whether pair `i` (dense index) belongs to the slice.
    pub fn in_slice(&self, i: usize, key: &SliceKey) -> bool {
        let tags = self.prepared.consensus()[i];
        match *key {
            SliceKey::Tag { tag } => tags & (1 << tag) != 0,
            SliceKey::TagPair { a, b } => tags & (1 << a) != 0 && tags & (1 << b) != 0,
            SliceKey::Metadata { column, value } => {
                self.snapshot.metadata.get(column).and_then(|c| c.codes[i]) == Some(value as u32)
            }
        }
    }

    /// The slice's errors at `threshold` (dense indices), the most wrong first: the
    /// farthest from the threshold on the wrong side.
    pub fn slice_errors(&self, key: &SliceKey, threshold: f64) -> Vec<u32> {
        let mut errors: Vec<u32> =
            self.prepared.error_pairs(threshold).into_iter().filter(|&i| self.in_slice(i as usize, key)).collect();
        let score = &self.snapshot.score;
        errors.sort_by(|&a, &b| {
            let wrong = |i: u32| (score[i as usize] - threshold).abs();
            wrong(b).total_cmp(&wrong(a)).then(a.cmp(&b))
        });
        errors
    }

    /// The display name of a slice.
    pub fn slice_name(&self, key: &SliceKey) -> String {
        let tag = |t: usize| self.prepared.tag_names().get(t).cloned().unwrap_or_default();
        match *key {
            SliceKey::Tag { tag: t } => tag(t),
            SliceKey::TagPair { a, b } => format!("{} + {}", tag(a), tag(b)),
            SliceKey::Metadata { column, value } => match self.snapshot.metadata.get(column) {
                Some(c) => format!("{} = {}", c.name, c.values.get(value).map(String::as_str).unwrap_or("?")),
                None => "?".into(),
            },
        }
    }
}

/// An all-vs-all result as the Model screen shows it.
#[derive(Debug)]
pub struct AllVsAllView {
    pub report: AllVsAllReport,
    /// (probit FMR, probit FNMR), thinned, only points where both are finite.
    pub det: Vec<[f64; 2]>,
}

impl AllVsAllView {
    fn new(record: AllVsAllRecord) -> Self {
        let det = thin(
            det_points(&record)
                .into_iter()
                .filter_map(|(fmr, fnmr)| Some([probit(fmr)?, probit(fnmr)?]))
                .filter(|p| p[0].is_finite() && p[1].is_finite())
                .collect(),
        );
        AllVsAllView { report: AllVsAllReport::new(&record), det }
    }
}

/// Names of the tags in `bits`, for the browser and lists.
pub fn tag_list(names: &[String], bits: u64) -> String {
    tag_indices(bits).filter_map(|t| names.get(t).map(String::as_str)).collect::<Vec<_>>().join(", ")
}
