pub(in crate::ui) mod augment_panel;
pub(in crate::ui) mod augment_state;
pub(in crate::ui) mod export_panel;
pub(in crate::ui) mod merge_panel;
pub(in crate::ui) mod pick_form;
pub(in crate::ui) mod split_panel;
pub(in crate::ui) mod state;
pub(in crate::ui) mod view;
