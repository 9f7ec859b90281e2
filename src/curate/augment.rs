//! Augmentations (placeholder).
