-- All-vs-all results (issue 13): every image with an identity against every other one.
-- One row per model and image set; the image set is the sha256 of the sorted list of
-- (image sha256, identity) of the images with an identity, so any change of images or
-- identities makes a new key and an unchanged project costs nothing to ask again.
-- `result` is the JSON of the counts, thresholds, histogram and extreme comparisons.

CREATE TABLE all_vs_all_results (
    model_sha256     TEXT NOT NULL,
    image_set_sha256 TEXT NOT NULL,
    result           TEXT NOT NULL CHECK (json_valid(result)),
    computed_at      TEXT NOT NULL,
    PRIMARY KEY (model_sha256, image_set_sha256)
) STRICT;
