//! Merging labels from another project (placeholder, filled in below).
