pub(in crate::ui) mod background;
pub(in crate::ui) mod export;
pub(in crate::ui) mod scoring;
