//! Which central view is shown.

/// The central view.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Screen {
    /// Labeling (or, before a labeler is picked, the project overview).
    #[default]
    Review,
    Model,
    Agreement,
    ErrorAnalysis,
    /// Splits, exports, merging labels.
    Curate,
}

impl Screen {
    pub const ANALYSIS: [Screen; 3] = [Screen::Model, Screen::Agreement, Screen::ErrorAnalysis];

    pub fn title(self) -> &'static str {
        match self {
            Screen::Review => "Review",
            Screen::Model => "Model",
            Screen::Agreement => "Agreement",
            Screen::ErrorAnalysis => "Error analysis",
            Screen::Curate => "Curate",
        }
    }
}
