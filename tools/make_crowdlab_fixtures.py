"""CROWDLAB and ActiveLab reference results from cleanlab 2.9.0 (pinned in requirements-analysis.txt), for
src/analysis/crowdlab.rs. Writes tests/fixtures/crowdlab.json.

    .venv/bin/python tools/make_crowdlab_fixtures.py
"""
import json
from pathlib import Path

import numpy as np
import pandas as pd
from cleanlab.multiannotator import get_active_learning_scores, get_label_quality_multiannotator

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "crowdlab.json"


def case(seed, n, annotators, classes, coverage, accuracy):
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, classes, n)
    labels = np.full((n, annotators), np.nan)
    for i in range(n):
        who = rng.random(annotators) < coverage
        if not who.any():
            who[rng.integers(0, annotators)] = True
        for j in np.where(who)[0]:
            right = rng.random() < accuracy[j]
            labels[i, j] = truth[i] if right else rng.choice([c for c in range(classes) if c != truth[i]])
    logits = rng.normal(0, 1, (n, classes))
    logits[np.arange(n), truth] += 1.5
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    df = pd.DataFrame(labels, columns=[f"a{j}" for j in range(annotators)])
    r = get_label_quality_multiannotator(df, probs, verbose=False, return_weights=True)
    lq, st = r["label_quality"], r["annotator_stats"].reindex(df.columns)
    nan = lambda x: None if np.isnan(x) else float(x)
    unlabeled = rng.dirichlet(np.ones(classes), 7)
    active, active_unlabeled = get_active_learning_scores(df, probs, unlabeled)
    return {
        "unlabeled_probabilities": unlabeled.tolist(),
        "active_learning": [float(x) for x in active],
        "active_learning_unlabeled": [float(x) for x in active_unlabeled],
        "labels": [[None if np.isnan(x) else int(x) for x in row] for row in labels],
        "probabilities": probs.tolist(),
        "consensus_label": lq["consensus_label"].astype(int).tolist(),
        "consensus_quality_score": lq["consensus_quality_score"].tolist(),
        "annotator_agreement": lq["annotator_agreement"].tolist(),
        "num_annotations": lq["num_annotations"].astype(int).tolist(),
        "annotator_quality": [nan(x) for x in st["annotator_quality"]],
        "agreement_with_consensus": [nan(x) for x in st["agreement_with_consensus"]],
        "num_examples_labeled": st["num_examples_labeled"].astype(int).tolist(),
        "detailed": [[nan(x) for x in row] for row in r["detailed_label_quality"].to_numpy()],
        "model_weight": float(r["model_weight"]),
        "annotator_weight": [float(x) for x in r["annotator_weight"]],
    }


cases = {
    "binary_three_labelers": case(1, 80, 3, 2, 0.8, [0.9, 0.8, 0.65]),
    "binary_sparse_five": case(2, 120, 5, 2, 0.35, [0.95, 0.9, 0.7, 0.6, 0.85]),
    "three_classes": case(3, 60, 4, 3, 0.6, [0.9, 0.75, 0.8, 0.5]),
    # Two annotators, often split 1-1: ties broken by the model.
    "binary_ties": case(4, 50, 2, 2, 0.9, [0.7, 0.6]),
}
# One label per example: ActiveLab's own branch (no CROWDLAB; see activelab.rs).
rng = np.random.default_rng(5)
single = np.full((30, 3), np.nan)
for i in range(30):
    single[i, rng.integers(0, 3)] = rng.integers(0, 2)
single_probs = rng.dirichlet(np.ones(2), 30)
single_unlabeled = rng.dirichlet(np.ones(2), 5)
a, u = get_active_learning_scores(single, single_probs, single_unlabeled)
one_label = {
    "labels": [[None if np.isnan(x) else int(x) for x in row] for row in single],
    "probabilities": single_probs.tolist(),
    "unlabeled_probabilities": single_unlabeled.tolist(),
    "active_learning": a.tolist(),
    "active_learning_unlabeled": u.tolist(),
}
OUT.write_text(json.dumps({"cleanlab": "2.9.0", "cases": cases, "activelab_one_label_each": one_label}, allow_nan=False) + "\n")
print(f"wrote {OUT}")
