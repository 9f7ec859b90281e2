//! Words shared by the store, the importers, the CLI and the GUI: how truths, verdicts and
//! splits are spelled in files and in the project.

pub use crate::analysis::{Split, Truth};
use crate::quote::quote;

impl Truth {
    pub fn as_str(self) -> &'static str {
        match self {
            Truth::Same => "same",
            Truth::Different => "different",
        }
    }

    /// Reads a truth or verdict as people write it in CSV files. Ok(None) means "unknown".
    pub fn parse_lenient(text: &str) -> Result<Option<Truth>, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "" | "unknown" | "?" => Ok(None),
            "same" | "1" | "yes" | "true" | "y" | "match" => Ok(Some(Truth::Same)),
            "different" | "0" | "no" | "false" | "n" | "mismatch" | "diff" => Ok(Some(Truth::Different)),
            _ => Err(format!(
                "{} is not a truth value (use same/different, 1/0, yes/no or true/false, or leave it empty)",
                quote(text.trim())
            )),
        }
    }
}

impl Split {
    pub const ALL: [Split; 4] = [Split::Train, Split::TrainDev, Split::Dev, Split::Test];

    pub fn as_str(self) -> &'static str {
        match self {
            Split::Train => "train",
            Split::TrainDev => "train-dev",
            Split::Dev => "dev",
            Split::Test => "test",
        }
    }

    /// Reads a split name; Ok(None) for an empty cell.
    pub fn parse(text: &str) -> Result<Option<Split>, String> {
        match text.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "" | "none" => Ok(None),
            "train" => Ok(Some(Split::Train)),
            "train-dev" | "traindev" => Ok(Some(Split::TrainDev)),
            "dev" | "val" | "valid" | "validation" => Ok(Some(Split::Dev)),
            "test" => Ok(Some(Split::Test)),
            _ => Err(format!("{} is not a split (use train, train-dev, dev or test)", quote(text.trim()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truth_accepts_the_spellings_people_use() {
        for same in ["same", "SAME", " 1", "yes", "true"] {
            assert_eq!(Truth::parse_lenient(same), Ok(Some(Truth::Same)), "{same}");
        }
        for diff in ["different", "0", "No", "false"] {
            assert_eq!(Truth::parse_lenient(diff), Ok(Some(Truth::Different)), "{diff}");
        }
        assert_eq!(Truth::parse_lenient(""), Ok(None));
        let err = Truth::parse_lenient("maybe").unwrap_err();
        assert!(err.contains("\"maybe\""), "{err}");
    }

    #[test]
    fn split_names_round_trip() {
        for split in Split::ALL {
            assert_eq!(Split::parse(split.as_str()), Ok(Some(split)));
        }
        assert_eq!(Split::parse("train_dev"), Ok(Some(Split::TrainDev)));
        assert!(Split::parse("holdout").is_err());
    }
}
