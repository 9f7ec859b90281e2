pub(in crate::ui) mod image_cache;
pub(in crate::ui) mod numbers;
pub(in crate::ui) mod plots;
