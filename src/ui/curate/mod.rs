pub(in crate::ui) mod export_panel;
pub(in crate::ui) mod merge_panel;
pub(in crate::ui) mod split_panel;
pub(in crate::ui) mod state;
pub(in crate::ui) mod view;
