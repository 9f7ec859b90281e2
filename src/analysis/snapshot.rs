use serde::{Deserialize, Serialize};

/// Whether two photos show the same person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Truth {
    Same,
    Different,
}

/// Ng's four data splits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Split {
    #[serde(rename = "train")]
    Train,
    #[serde(rename = "train-dev")]
    TrainDev,
    #[serde(rename = "dev")]
    Dev,
    #[serde(rename = "test")]
    Test,
}
