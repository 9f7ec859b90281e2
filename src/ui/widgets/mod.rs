pub(in crate::ui) mod format;
pub(in crate::ui) mod image_cache;
pub(in crate::ui) mod plots;
