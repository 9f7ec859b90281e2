//! The LFW protocol format (`pairs.txt`) for tools that read it: a header, then same-person
//! lines `name i j` and different-person lines `name1 i name2 j`, naming images
//! `<name>/<name>_<NNNN>.jpg`. Readers tell the kinds apart by field count.
//!
//! The header is `1 N`: one fold. LFW's own file has as many same as different lines per
//! fold; an export need not, so N is the larger of the two counts (same lines come first).
//! Readers that skip the header (most do) read every line right.

/// An exported pair as the LFW format needs it.
pub(crate) struct LfwEntry<'a> {
    pub pair: &'a str,
    pub truth: Option<crate::domain::Truth>,
    /// (identity folder, 1-based number, extension) of each image.
    pub a: (&'a str, usize, &'a str),
    pub b: (&'a str, usize, &'a str),
}

/// The file text, and (pair, reason) for every pair the format cannot express.
pub(crate) fn render(entries: &[LfwEntry]) -> (String, Vec<(String, String)>) {
    use crate::domain::Truth;
    let mut same = Vec::new();
    let mut different = Vec::new();
    let mut left_out = Vec::new();
    for e in entries {
        let (a, b) = (e.a, e.b);
        if a.2 != "jpg" || b.2 != "jpg" {
            left_out.push((e.pair.to_owned(), "LFW names every image .jpg; this pair has another format".to_owned()));
            continue;
        }
        match e.truth {
            Some(Truth::Same) if a.0 == b.0 => same.push(format!("{}\t{}\t{}", a.0, a.1, b.1)),
            Some(Truth::Same) => left_out
                .push((e.pair.to_owned(), "a same-person pair whose images are filed under two identities".to_owned())),
            Some(Truth::Different) => different.push(format!("{}\t{}\t{}\t{}", a.0, a.1, b.0, b.1)),
            None => left_out.push((e.pair.to_owned(), "the truth is unknown".to_owned())),
        }
    }
    let mut text = format!("1\t{}\n", same.len().max(different.len()));
    for line in same.iter().chain(&different) {
        text.push_str(line);
        text.push('\n');
    }
    (text, left_out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Truth;

    #[test]
    fn writes_both_line_kinds_and_says_what_it_leaves_out() {
        let e = |pair, truth, a, b| LfwEntry { pair, truth, a, b };
        let entries = [
            e("d", Some(Truth::Different), ("Al", 1, "jpg"), ("Bo", 2, "jpg")),
            e("s", Some(Truth::Same), ("Al", 1, "jpg"), ("Al", 3, "jpg")),
            e("x", Some(Truth::Same), ("Al", 1, "jpg"), ("Bo", 2, "jpg")),
            e("u", None, ("Al", 1, "jpg"), ("Bo", 2, "jpg")),
            e("p", Some(Truth::Different), ("Al", 1, "png"), ("Bo", 2, "jpg")),
        ];
        let (text, left_out) = render(&entries);
        assert_eq!(text, "1\t1\nAl\t1\t3\nAl\t1\tBo\t2\n");
        assert_eq!(left_out.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(), ["x", "u", "p"]);
    }
}
