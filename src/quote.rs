//! A value of the user's, quoted for a message: short, and never carrying a raw control
//! character. A 500 MB tag once produced 524 MB on stderr; a message quotes at most
//! [`MAX_CHARS`] characters of a value and then says how long the whole value is.

use std::borrow::Cow;
use std::fmt;

/// How many characters of a value a message quotes.
pub const MAX_CHARS: usize = 80;

/// `value` as a message quotes it: in double quotes with control characters, quotes and
/// backslashes escaped (`"a\tb"`, `"\u{1b}[31m"`), as `{:?}` quotes a string; cut after
/// [`MAX_CHARS`] characters (on a character boundary), then `… (N bytes)` with the length
/// of the whole value.
pub fn quote(value: &str) -> Quoted<'_> {
    Quoted(value)
}

/// What [`quote`] returns: formats without copying the value.
#[derive(Clone, Copy, Debug)]
pub struct Quoted<'a>(&'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = self.0;
        match value.char_indices().nth(MAX_CHARS) {
            None => write!(f, "{value:?}"),
            Some((cut, _)) => write!(f, "{:?}… ({} bytes)", &value[..cut], value.len()),
        }
    }
}

/// `value` for a message that puts its own quotes around it (clap's `'…'`): cut as [`quote`]
/// cuts it, control characters escaped, but no quotes of its own. Unchanged when short and
/// free of control characters.
pub fn shortened(value: &str) -> Cow<'_, str> {
    let cut = value.char_indices().nth(MAX_CHARS).map(|(i, _)| i);
    if cut.is_none() && !value.chars().any(char::is_control) {
        return Cow::Borrowed(value);
    }
    let head = &value[..cut.unwrap_or(value.len())];
    let mut out = String::with_capacity(head.len() + 24);
    for c in head.chars() {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    if cut.is_some() {
        out += &format!("… ({} bytes)", value.len());
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_values_are_quoted_as_debug_quotes_them() {
        assert_eq!(quote("dark").to_string(), "\"dark\"");
        assert_eq!(quote("").to_string(), "\"\"");
        assert_eq!(quote("say \"hi\"\\").to_string(), "\"say \\\"hi\\\"\\\\\"");
        let exactly = "x".repeat(MAX_CHARS);
        assert_eq!(quote(&exactly).to_string(), format!("\"{exactly}\""));
    }

    #[test]
    fn control_characters_are_escaped() {
        let shown = quote("a\tb\nc\u{1b}[31mred\r").to_string();
        assert_eq!(shown, "\"a\\tb\\nc\\u{1b}[31mred\\r\"");
        assert!(!shown.chars().any(char::is_control), "{shown}");
    }

    #[test]
    fn long_values_are_cut_with_their_length() {
        let long = "t".repeat(50_000_000);
        let shown = quote(&long).to_string();
        assert_eq!(shown, format!("\"{}\"… (50000000 bytes)", "t".repeat(MAX_CHARS)));
    }

    #[test]
    fn shortened_values_have_no_quotes_of_their_own() {
        assert_eq!(shortened("0.5'x\""), "0.5'x\"");
        assert_eq!(shortened("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        let long = "9".repeat(100_000);
        assert_eq!(shortened(&long), format!("{}… (100000 bytes)", "9".repeat(MAX_CHARS)));
    }

    #[test]
    fn the_cut_falls_on_a_character_boundary() {
        let long = "é".repeat(MAX_CHARS + 1);
        let shown = quote(&long).to_string();
        assert_eq!(shown, format!("\"{}\"… ({} bytes)", "é".repeat(MAX_CHARS), 2 * (MAX_CHARS + 1)));
        let escapes = "\u{1b}".repeat(1000);
        assert!(quote(&escapes).to_string().len() < 600);
    }
}
