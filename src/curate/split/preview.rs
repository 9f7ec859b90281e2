//! The table shown before a split is written: per split, pairs, shares, % same and % of
//! each consensus tag.

use serde::Serialize;

use super::assign::SplitItem;
use super::{Ratios, round2};
use crate::domain::{Split, Truth};

/// One row of the preview: a split (or None for all pairs) and what it holds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PreviewRow {
    pub split: Option<Split>,
    pub pairs: usize,
    /// Percent of all pairs.
    pub share_pct: f64,
    /// The percent asked for.
    pub target_pct: f64,
    /// Percent of the pairs with a known truth that are "same"; None without any.
    pub same_pct: Option<f64>,
    /// (tag, percent of the split's pairs with it as a consensus tag), in the project's tag order.
    pub tag_pct: Vec<(String, f64)>,
    /// Distinct identities (from metadata) in the split.
    pub identities: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Preview {
    pub rows: Vec<PreviewRow>,
}

fn pct(part: usize, whole: usize) -> f64 {
    if whole == 0 { 0.0 } else { round2(100.0 * part as f64 / whole as f64) }
}

impl Preview {
    /// `items[i]` went to `splits[i]`; `identities[i]` are the identities it names.
    pub fn build(
        items: &[SplitItem],
        identities: &[Vec<String>],
        splits: &[Split],
        ratios: &Ratios,
        tag_order: &[String],
    ) -> Preview {
        let used_tags: Vec<String> = tag_order
            .iter()
            .filter(|t| items.iter().any(|i| i.tags.iter().any(|x| x.eq_ignore_ascii_case(t))))
            .cloned()
            .collect();
        let row = |split: Option<Split>| {
            let members: Vec<usize> = (0..items.len()).filter(|&i| split.is_none_or(|s| splits[i] == s)).collect();
            let known = members.iter().filter(|&&i| items[i].truth.is_some()).count();
            let same = members.iter().filter(|&&i| items[i].truth == Some(Truth::Same)).count();
            let mut names: Vec<&str> = members.iter().flat_map(|&i| identities[i].iter().map(String::as_str)).collect();
            names.sort_unstable();
            names.dedup();
            PreviewRow {
                split,
                pairs: members.len(),
                share_pct: pct(members.len(), items.len()),
                target_pct: round2(split.map_or(1.0, |s| ratios.share(s)) * 100.0),
                same_pct: (known > 0).then(|| pct(same, known)),
                tag_pct: used_tags
                    .iter()
                    .map(|t| {
                        let n = members
                            .iter()
                            .filter(|&&i| items[i].tags.iter().any(|x| x.eq_ignore_ascii_case(t)))
                            .count();
                        (t.clone(), pct(n, members.len()))
                    })
                    .collect(),
                identities: names.len(),
            }
        };
        let mut rows: Vec<PreviewRow> =
            Split::ALL.iter().filter(|s| ratios.share(**s) > 0.0).map(|s| row(Some(*s))).collect();
        rows.push(row(None));
        Preview { rows }
    }

    /// A plain-text table for the terminal.
    pub fn table(&self) -> String {
        let mut header = vec![
            "split".to_string(),
            "pairs".into(),
            "share %".into(),
            "target %".into(),
            "same %".into(),
            "identities".into(),
        ];
        if let Some(first) = self.rows.first() {
            header.extend(first.tag_pct.iter().map(|(t, _)| format!("{t} %")));
        }
        let mut lines = vec![header];
        for row in &self.rows {
            let mut cells = vec![
                row.split.map_or("all", Split::as_str).to_string(),
                row.pairs.to_string(),
                format!("{:.1}", row.share_pct),
                format!("{:.1}", row.target_pct),
                row.same_pct.map_or("-".into(), |p| format!("{p:.1}")),
                row.identities.to_string(),
            ];
            cells.extend(row.tag_pct.iter().map(|(_, p)| format!("{p:.1}")));
            lines.push(cells);
        }
        let widths: Vec<usize> =
            (0..lines[0].len()).map(|c| lines.iter().map(|l| l[c].chars().count()).max().unwrap_or(0)).collect();
        lines
            .iter()
            .map(|l| {
                l.iter()
                    .enumerate()
                    .map(|(c, cell)| {
                        if c == 0 { format!("{cell:<w$}", w = widths[c]) } else { format!("{cell:>w$}", w = widths[c]) }
                    })
                    .collect::<Vec<_>>()
                    .join("  ")
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}
