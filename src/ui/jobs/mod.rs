pub(in crate::ui) mod background;
pub(in crate::ui) mod export;
pub(in crate::ui) mod hub_sync;
pub(in crate::ui) mod import;
pub(in crate::ui) mod job;
pub(in crate::ui) mod label_quality;
pub(in crate::ui) mod naming;
pub(in crate::ui) mod scoring;
