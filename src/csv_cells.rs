//! Spreadsheet safety of the CSV cells pairscope writes and reads (OWASP's "CSV injection").
//!
//! A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
//! as a formula, so a labeler named `=cmd|' /C calc'!A0` would run in the spreadsheet of
//! whoever opens an export. Every CSV writer passes every cell through [`neutralise`], which
//! puts a `'` in front of such a cell (spreadsheets show the text without it). A plain
//! decimal number (`-0.25`, `+3`, `1e-5`) is data, not a formula, and is left as it is, so
//! numeric columns (scores, rates, intervals) stay numbers.
//!
//! The importers read every cell back through [`read_back`], which takes that one `'` off
//! again, so an exported file imports to exactly the values that were exported. A value of
//! the user's own that starts with `'` before a trigger (`'=x`) is written with one more
//! `'` (`''=x`), so the two functions are each other's inverse on every string.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula.
pub const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A number as pairscope writes one (optional sign, digits, optional fraction and exponent):
/// no formula can hide in it.
fn is_plain_number(text: &str) -> bool {
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (unsigned, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mantissa_ok = !(whole.is_empty() && fraction.is_empty()) && digits(whole) && digits(fraction);
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// Whether `cell`, after any leading `'`s, starts like a formula.
fn starts_like_formula(cell: &str) -> bool {
    let rest = cell.trim_start_matches('\'');
    rest.starts_with(TRIGGERS) && !is_plain_number(rest)
}

/// The cell as written into a CSV file: with a `'` in front when a spreadsheet would
/// otherwise read it as a formula.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if starts_like_formula(cell) { Cow::Owned(format!("'{cell}")) } else { Cow::Borrowed(cell) }
}

/// The value of a cell as read from a CSV file: [`neutralise`] undone (one leading `'` taken
/// off a cell that starts with `'` and then, after any more `'`s, like a formula).
pub fn read_back(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if starts_like_formula(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_trigger_gets_a_quote_in_front() {
        for cell in ["=HYPERLINK(\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "=cmd|' /C calc'!A0"] {
            assert_eq!(neutralise(cell), format!("'{cell}"), "{cell:?}");
        }
    }

    #[test]
    fn plain_text_and_numbers_are_left_alone() {
        for cell in ["", "dark", "ana", "a=b", "images/x/x_0001.jpg", "-0.25", "+3", "1e-5", "-1.5E+3", "0.", ".5", "'"]
        {
            assert_eq!(neutralise(cell), cell, "{cell:?}");
        }
        for not_a_number in ["-", "-inf", "-NaN", "-1e", "-1-1", "+.e1", "-0x10"] {
            assert_eq!(neutralise(not_a_number), format!("'{not_a_number}"), "{not_a_number:?}");
        }
    }

    #[test]
    fn a_quote_of_the_users_own_before_a_trigger_is_kept_by_a_second_one() {
        assert_eq!(neutralise("'=x"), "''=x");
        assert_eq!(neutralise("''@x"), "'''@x");
        assert_eq!(neutralise("'x"), "'x");
        assert_eq!(neutralise("'-1"), "'-1");
    }

    #[test]
    fn read_back_undoes_neutralise_on_every_string() {
        let samples = [
            "",
            "'",
            "''",
            "=",
            "'=",
            "''=",
            "=x",
            "'=x",
            "''=x",
            "-1",
            "'-1",
            "-x",
            "'-x",
            "x",
            "'x",
            "@",
            "\t",
            "\r\n",
            "+",
            "'+1",
            "a'=b",
            "=HYPERLINK(\"x\")",
            "=cmd|' /C calc'!A0",
        ];
        for value in samples {
            assert_eq!(read_back(&neutralise(value)), value, "{value:?}");
        }
    }

    #[test]
    fn read_back_takes_off_only_the_quote_neutralise_adds() {
        assert_eq!(read_back("'=x"), "=x");
        assert_eq!(read_back("''=x"), "'=x");
        assert_eq!(read_back("'x"), "'x");
        assert_eq!(read_back("'-0.25"), "'-0.25");
        assert_eq!(read_back("-0.25"), "-0.25");
    }
}
