#!/usr/bin/env python3
"""Generate reference values for the analysis engine (tests/analysis_reference.rs).

The numbers come from the libraries people check us against: scikit-learn (roc_curve,
roc_auc_score, cohen_kappa_score, confusion_matrix, precision/recall/F1), statsmodels
(fleiss_kappa, aggregate_raters) and the `krippendorff` package. What no library computes
(consensus tags, HLP, the per-tag and split tables, percent agreement, threshold rules,
k-fold) is computed here the plain way, straight from the definitions in issue 4. The label
quality fixtures (CROWDLAB, ActiveLab) come from cleanlab, through make_crowdlab_fixtures.py.

The output is checked in, so CI needs no Python. To regenerate:

    python3 -m venv .venv && .venv/bin/pip install -r tools/requirements-analysis.txt
    .venv/bin/python tools/make_analysis_fixtures.py

Designs: all labelers on all pairs; missing labels (and tag-only labels, unscored pairs,
pairs without truth); heavy ties in scores; a single labeler; no errors; no positives;
many tags with varied agreement.
"""

import json
import math
import runpy
import warnings
from fractions import Fraction
from itertools import combinations
from pathlib import Path

import krippendorff
import numpy as np
from sklearn.metrics import (
    cohen_kappa_score,
    confusion_matrix,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
    roc_curve,
)
from scipy.stats import beta
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa
from statsmodels.stats.proportion import proportion_confint

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "analysis"
SPLITS = ["train", "train-dev", "dev", "test"]
TPR_AT = [("1e-1", 1e-1), ("1e-2", 1e-2), ("1e-3", 1e-3), ("1e-4", 1e-4), ("1e-5", 1e-5), ("1e-6", 1e-6)]

warnings.filterwarnings("ignore")  # undefined κ / AUC warn; we record them as null


def num(x):
    """A float for JSON: None for NaN or infinite."""
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


# ---------------------------------------------------------------------------- designs


def generate(seed, pairs, labelers, tags, coverage=1.0, verdict_rate=1.0, truth_rate=1.0,
             scored_rate=1.0, decimals=2, noise=1.0, label_error=0.1, positive_rate=0.5,
             override_rate=0.0, tag_rate=0.25):
    rng = np.random.RandomState(seed)
    truth = [("same" if rng.rand() < positive_rate else "different") if rng.rand() < truth_rate else None
             for _ in range(pairs)]
    is_same = [t == "same" for t in truth]
    score = []
    for s in is_same:
        if rng.rand() >= scored_rate:
            score.append(None)
        else:
            score.append(round(float(rng.normal(1.0 if s else -1.0, noise)), decimals))
    split = [SPLITS[rng.randint(4)] if rng.rand() < 0.9 else None for _ in range(pairs)]
    latent = [[rng.rand() < tag_rate * (1 + t) / tags for t in range(tags)] for _ in range(pairs)]
    labels = []
    for p in range(pairs):
        for l in range(labelers):
            if rng.rand() >= coverage:
                continue
            verdict = None
            if rng.rand() < verdict_rate:
                right = truth[p] if truth[p] is not None else ("same" if is_same[p] else "different")
                wrong = "different" if right == "same" else "same"
                verdict = wrong if rng.rand() < label_error else right
            bits = 0
            for t in range(tags):
                applied = rng.rand() < (0.8 if latent[p][t] else 0.05)
                bits |= int(applied) << t
            labels.append([p, l, verdict, bits])
    override = [int(rng.randint(1 << tags)) if rng.rand() < override_rate else None for _ in range(pairs)]
    return {
        "tag_names": [f"tag{t}" for t in range(tags)],
        "labeler_names": [f"labeler{l}" for l in range(labelers)],
        "score": score,
        "truth": truth,
        "split": split,
        "consensus_override": override,
        "labels": labels,
    }


def designs():
    yield "full", "3 labelers on all pairs, 4 tags, every pair scored and with truth", \
        generate(1, 150, 3, 4)
    yield "missing", "4 labelers on random subsets, tag-only labels, unscored pairs, pairs without truth, overrides", \
        generate(2, 200, 4, 3, coverage=0.6, verdict_rate=0.8, truth_rate=0.85, scored_rate=0.9, override_rate=0.05)
    yield "ties", "scores with one decimal: many ties", \
        generate(3, 150, 2, 2, decimals=0, noise=1.5)
    yield "single_labeler", "one labeler: agreement undefined", \
        generate(4, 60, 1, 2)
    yield "no_errors", "separable scores and perfect labelers", \
        generate(5, 80, 3, 2, noise=0.2, label_error=0.0)
    yield "no_positives", "every truth is different", \
        generate(6, 70, 2, 2, positive_rate=0.0)
    yield "tag_agreement", "8 tags with varied agreement, 5 labelers on 70% of pairs", \
        generate(7, 250, 5, 8, coverage=0.7, verdict_rate=0.9, tag_rate=0.6)
    yield "large", "1,500 pairs, 3 labelers with missing labels, 6 tags", \
        generate(8, 1500, 3, 6, coverage=0.85, decimals=3, truth_rate=0.95)


# ---------------------------------------------------------------------------- reference


def evaluable(data):
    return [p for p in range(len(data["score"])) if data["score"][p] is not None and data["truth"][p] is not None]


def consensus(data):
    n = len(data["score"])
    per_pair = [[] for _ in range(n)]
    for p, _, _, bits in data["labels"]:
        per_pair[p].append(bits)
    out = []
    for p in range(n):
        if data["consensus_override"][p] is not None:
            out.append(data["consensus_override"][p])
            continue
        bits = 0
        for t in range(len(data["tag_names"])):
            applied = sum(1 for b in per_pair[p] if b >> t & 1)
            if per_pair[p] and 2 * applied >= len(per_pair[p]):
                bits |= 1 << t
        out.append(bits)
    return out


def human(data):
    """Per pair: (verdicts equal to truth, verdicts) on pairs with truth."""
    n = len(data["score"])
    correct, total = [0] * n, [0] * n
    for p, _, v, _ in data["labels"]:
        if v is not None and data["truth"][p] is not None:
            total[p] += 1
            correct[p] += int(v == data["truth"][p])
    return correct, total


def candidates(data):
    ev = evaluable(data)
    return [math.inf] + sorted({data["score"][p] for p in ev}, reverse=True)


def confusion_at(data, t):
    ev = evaluable(data)
    if not ev:
        return 0, 0, 0, 0
    y = [data["truth"][p] == "same" for p in ev]
    pred = [data["score"][p] >= t for p in ev]
    tn, fp, fn, tp = confusion_matrix(y, pred, labels=[False, True]).ravel()
    return int(tp), int(fp), int(tn), int(fn)


def operating_point(data, t):
    tp, fp, tn, fn = confusion_at(data, t)
    ev = evaluable(data)
    y = np.array([data["truth"][p] == "same" for p in ev], dtype=bool)
    pred = np.array([data["score"][p] >= t for p in ev], dtype=bool)

    def sk(f, den):
        return num(f(y, pred, zero_division=np.nan)) if den > 0 else None

    return {
        "threshold": num(t),
        "tp": tp, "fp": fp, "tn": tn, "fn": fn,
        "accuracy": (tp + tn) / len(ev) if ev else None,
        "precision": sk(precision_score, tp + fp),
        "recall": sk(recall_score, tp + fn),
        "f1": sk(f1_score, 2 * tp + fp + fn),
        "fpr": fp / (fp + tn) if fp + tn else None,
    }


def choose(data, rule):
    cands = candidates(data)
    counts = [confusion_at(data, t) for t in cands]
    if rule == "max-accuracy":
        best = max(range(len(cands)), key=lambda i: (counts[i][0] + counts[i][2], -i))
        return cands[best]
    if rule == "eer":
        def gap(i):
            tp, fp, tn, fn = counts[i]
            fpr = Fraction(fp, fp + tn) if fp + tn else Fraction(0)
            fnr = Fraction(fn, fn + tp) if fn + tp else Fraction(0)
            return abs(fpr - fnr)
        return cands[min(range(len(cands)), key=lambda i: (gap(i), i))]
    if rule.startswith("max-fpr "):
        f = float(rule.split()[1])
        ok = [i for i, (tp, fp, tn, fn) in enumerate(counts) if fp + tn == 0 or fp / (fp + tn) <= f]
        return cands[max(ok)]
    if rule.startswith("fixed "):
        return float(rule.split()[1])
    raise ValueError(rule)


def roc_reference(data):
    ev = evaluable(data)
    y = np.array([data["truth"][p] == "same" for p in ev], dtype=int)
    s = np.array([data["score"][p] for p in ev], dtype=float)
    if len(set(y.tolist())) < 2:
        return None, None, None, {k: None for k, _ in TPR_AT}
    out = []
    for drop in (False, True):
        fpr, tpr, thr = roc_curve(y, s, drop_intermediate=drop)
        out.append({"fpr": fpr.tolist(), "tpr": tpr.tolist(), "thresholds": [num(t) for t in thr]})
    fpr, tpr = np.array(out[0]["fpr"]), np.array(out[0]["tpr"])
    tpr_at = {k: float(tpr[fpr <= x].max()) for k, x in TPR_AT}
    return out[0], out[1], float(roc_auc_score(y, s)), tpr_at


def verdict_matrix(data):
    """labelers × pairs, 1 = same, 0 = different, NaN = no verdict."""
    m = np.full((len(data["labeler_names"]), len(data["score"])), np.nan)
    for p, l, v, _ in data["labels"]:
        if v is not None:
            m[l, p] = 1.0 if v == "same" else 0.0
    return m


def tag_matrix(data, t):
    m = np.full((len(data["labeler_names"]), len(data["score"])), np.nan)
    for p, l, _, bits in data["labels"]:
        m[l, p] = float(bits >> t & 1)
    return m


def alpha(matrix):
    try:
        return num(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))
    except (ValueError, ZeroDivisionError):
        return None


def percent_agreement(matrix):
    fractions = []
    for unit in matrix.T:
        values = unit[~np.isnan(unit)]
        m = len(values)
        if m < 2:
            continue
        agreeing = sum(1 for a, b in combinations(values, 2) if a == b)
        fractions.append(agreeing / (m * (m - 1) / 2))
    return sum(fractions) / len(fractions) if fractions else None


def agreement_reference(data):
    vm = verdict_matrix(data)
    cohen = []
    for a, b in combinations(range(len(data["labeler_names"])), 2):
        both = ~np.isnan(vm[a]) & ~np.isnan(vm[b])
        n = int(both.sum())
        if n == 0:
            continue
        k = cohen_kappa_score(vm[a][both].astype(int), vm[b][both].astype(int))
        cohen.append({"a": a, "b": b, "n": n, "kappa": num(k)})
    active = [l for l in range(vm.shape[0]) if (~np.isnan(vm[l])).any()]
    fleiss, fleiss_pairs = None, 0
    if len(active) >= 2:
        sub = vm[active]
        full = ~np.isnan(sub).any(axis=0)
        fleiss_pairs = int(full.sum())
        if fleiss_pairs:
            table, _ = aggregate_raters(sub[:, full].T.astype(int))
            fleiss = num(fleiss_kappa(table, method="fleiss"))
    tags = [{"krippendorff_alpha": alpha(tag_matrix(data, t)),
             "percent_agreement": percent_agreement(tag_matrix(data, t))}
            for t in range(len(data["tag_names"]))]
    return {
        "percent_agreement": percent_agreement(vm),
        "fleiss_kappa": fleiss,
        "fleiss_pairs": fleiss_pairs,
        "krippendorff_alpha": alpha(vm),
        "cohen_kappa": cohen,
        "tags": tags,
    }


def disagreements(data):
    per_pair = {}
    for p, _, v, bits in data["labels"]:
        per_pair.setdefault(p, []).append((v, bits))
    out = []
    for p in sorted(per_pair):
        rows = per_pair[p]
        if len(rows) < 2:
            continue
        verdicts = {v for v, _ in rows if v is not None}
        union, common = 0, (1 << 64) - 1
        for _, b in rows:
            union |= b
            common &= b
        differ = union & ~common
        if len(verdicts) > 1 or differ:
            out.append([p, len(verdicts) > 1, differ])
    return out


def slice_row(name, members, data, t, correct, total, all_errors, n_evaluable):
    tp, fp, tn, fn = 0, 0, 0, 0
    for p in members:
        same, pred = data["truth"][p] == "same", data["score"][p] >= t
        tp += same and pred
        fp += (not same) and pred
        tn += (not same) and not pred
        fn += same and not pred
    pairs = len(members)
    errors = fp + fn
    hc, ht = sum(correct[p] for p in members), sum(total[p] for p in members)
    accuracy = (tp + tn) / pairs
    hlp = hc / ht if ht else None
    gap = hlp - accuracy if hlp is not None else None
    return {
        "name": name, "pairs": pairs, "share_of_data": pairs / n_evaluable, "errors": errors,
        "share_of_errors": errors / all_errors if all_errors else None,
        "error_rate": errors / pairs, "accuracy": accuracy, "hlp": hlp, "gap_to_hlp": gap,
        "priority": max(gap, 0.0) * pairs / n_evaluable if gap is not None else None,
        "fp": fp, "fn": fn,
    }


def tables(data, t):
    ev = evaluable(data)
    cons = consensus(data)
    correct, total = human(data)
    tp, fp, tn, fn = confusion_at(data, t)
    all_errors = fp + fn
    tag_rows = []
    for i, name in enumerate(data["tag_names"]):
        members = [p for p in ev if cons[p] >> i & 1]
        if members:
            tag_rows.append(slice_row(name, members, data, t, correct, total, all_errors, len(ev)))
    pair_rows = []
    for a, b in combinations(range(len(data["tag_names"])), 2):
        members = [p for p in ev if cons[p] >> a & 1 and cons[p] >> b & 1]
        if members:
            name = f"{data['tag_names'][a]} + {data['tag_names'][b]}"
            pair_rows.append(slice_row(name, members, data, t, correct, total, all_errors, len(ev)))
    splits = []
    for s in SPLITS:
        members = [p for p in ev if data["split"][p] == s]
        if members:
            errors = sum((data["score"][p] >= t) != (data["truth"][p] == "same") for p in members)
            hc, ht = sum(correct[p] for p in members), sum(total[p] for p in members)
            splits.append({"split": s, "pairs": len(members), "errors": int(errors),
                           "error_rate": errors / len(members),
                           "human_error": 1 - hc / ht if ht else None})
    return tag_rows, pair_rows, splits


def kfold(data, k):
    ev = [p for p in range(len(data["score"])) if data["score"][p] is not None and data["truth"][p] is not None]
    fold = {p: i * k // len(ev) for i, p in enumerate(ev)}
    results = []
    for held in range(k):
        train = [p for p in ev if fold[p] != held]
        test = [p for p in ev if fold[p] == held]
        cands = [math.inf] + sorted({data["score"][p] for p in train}, reverse=True)
        best, best_correct = None, -1
        for t in cands:  # descending: strict > keeps the larger threshold on ties
            c = sum((data["score"][p] >= t) == (data["truth"][p] == "same") for p in train)
            if c > best_correct:
                best, best_correct = t, c
        acc = sum((data["score"][p] >= best) == (data["truth"][p] == "same") for p in test) / len(test)
        results.append({"threshold": num(best), "accuracy": acc})
    accs = np.array([r["accuracy"] for r in results])
    return {"k": k, "pairs": ev, "mean": float(accs.mean()), "std": float(accs.std()), "folds": results}


# ---------------------------------------------------------------- intervals (issue 13, "ops")


def clopper_pearson(k, n):
    """Two-sided 95 % Clopper–Pearson, statsmodels' method="beta"; None when n = 0."""
    if n == 0:
        return None
    lo, hi = proportion_confint(k, n, alpha=0.05, method="beta")
    return [0.0 if k == 0 else num(lo), 1.0 if k == n else num(hi)]


def upper95(k, n):
    """One-sided 95 % Clopper–Pearson upper bound: the 0.95 quantile of Beta(k + 1, n − k)."""
    if n == 0:
        return None
    return 1.0 if k >= n else float(beta.ppf(0.95, k + 1, n - k))


def ops_intervals(data):
    """Counts and intervals of the operating point under a few rules, the observed and the
    demonstrated point of every FPR target (brute force over all candidates), and HLP."""
    ops = {}
    for rule in ["max-accuracy", "eer", "max-fpr 0.1"]:
        tp, fp, tn, fn = confusion_at(data, choose(data, rule))
        ops[rule] = {"tpr_ci95": clopper_pearson(tp, tp + fn), "fnr_ci95": clopper_pearson(fn, tp + fn),
                     "fpr_ci95": clopper_pearson(fp, fp + tn), "accuracy_ci95": clopper_pearson(tp + tn, tp + fp + tn + fn),
                     "fpr_upper95": upper95(fp, fp + tn)}
    cands = candidates(data)
    counts = [confusion_at(data, t) for t in cands]
    points = {}
    for key, f in TPR_AT:
        tp, fp, tn, fn = confusion_at(data, choose(data, f"max-fpr {f}"))
        shown = [i for i, (_, fp_i, tn_i, _) in enumerate(counts)
                 if fp_i + tn_i > 0 and upper95(fp_i, fp_i + tn_i) <= f]
        d = counts[max(shown)] if shown else None
        points[key] = {"tpr_ci95": clopper_pearson(tp, tp + fn), "fpr_ci95": clopper_pearson(fp, fp + tn),
                       "fpr_upper95": upper95(fp, fp + tn), "demonstrated": bool(shown),
                       "demonstrated_threshold": num(cands[max(shown)]) if shown else None,
                       "demonstrated_tpr": d[0] / (d[0] + d[3]) if d and d[0] + d[3] else None,
                       "negatives_needed": math.ceil(math.log(0.05) / math.log(1 - f))}
    correct, total = human(data)
    return {"operating_points": ops, "points": points, "hlp_ci95": clopper_pearson(sum(correct), sum(total))}


def expected(data):
    rules = ["max-accuracy", "eer", "max-fpr 0.1", "max-fpr 0.01", "max-fpr 0", "fixed 0.5", "fixed 0"]
    ops = {}
    for rule in rules:
        t = choose(data, rule)
        ops[rule] = operating_point(data, t)
    roc_full, roc_dropped, auc, tpr_at = roc_reference(data)
    correct, total = human(data)
    per_labeler = []
    for l in range(len(data["labeler_names"])):
        c = t_ = 0
        for p, ll, v, _ in data["labels"]:
            if ll == l and v is not None and data["truth"][p] is not None:
                t_ += 1
                c += int(v == data["truth"][p])
        per_labeler.append(c / t_ if t_ else None)
    t = choose(data, "max-accuracy")
    tag_rows, pair_rows, splits = tables(data, t)
    out = {
        "operating_points": ops,
        "roc": roc_full,
        "roc_dropped": roc_dropped,
        "auc": auc,
        "tpr_at_fpr": tpr_at,
        "hlp": {"accuracy": sum(correct) / sum(total) if sum(total) else None, "labelers": per_labeler},
        "consensus": consensus(data),
        "agreement": agreement_reference(data),
        "disagreements": disagreements(data),
        "tag_table": tag_rows,
        "tag_pair_table": pair_rows,
        "splits": splits,
    }
    if len(evaluable(data)) >= 40:
        out["kfold"] = kfold(data, 4)
    out["ops_intervals"] = ops_intervals(data)
    return out


def dump(fixture):
    """Compact JSON with one line per entry of `input` and `expected`, for readable diffs."""
    def compact(x):
        return json.dumps(x, separators=(",", ":"), allow_nan=False)

    def block(d):
        return "{\n" + ",\n".join(f"  {compact(k)}: {compact(v)}" for k, v in d.items()) + "\n }"

    return ("{\n" + f' "name": {compact(fixture["name"])},\n'
            + f' "description": {compact(fixture["description"])},\n'
            + f' "input": {block(fixture["input"])},\n'
            + f' "expected": {block(fixture["expected"])}\n' + "}\n")


# ------------------------------------------- slices and splits: 95 % intervals (issue 13)
# Per-tag and per-split error rates get statsmodels' proportion_confint(method="beta")
# (Clopper–Pearson); each diagnosis term, a difference of two error rates, gets
# confint_proportions_2indep(method="newcomb", compare="diff"). Avoidable bias compares train
# with human error: wrong verdicts of all verdicts on pairs with a truth. `largest` is the
# largest term whose interval lies above 0. Written to tests/fixtures/slices_intervals.json.

SLICES_OUT = OUT.parent / "slices_intervals.json"
TERMS = [("avoidable_bias", "train", "human"), ("variance", "train-dev", "train"),
         ("data_mismatch", "dev", "train-dev"), ("overfitting_to_dev", "test", "dev")]

# Split error counts [errors, pairs] and human [wrong verdicts, verdicts], by hand.
SPLIT_CASES = [
    ("the issue's example: 1 error against 1 error", {"dev": [1, 10], "test": [1, 5]}, [0, 0]),
    ("clear variance", {"train": [2, 400], "train-dev": [40, 400], "dev": [44, 400], "test": [50, 400]}, [10, 1000]),
    ("small splits", {"train": [1, 12], "train-dev": [3, 15], "dev": [2, 9], "test": [4, 11]}, [3, 40]),
    ("zero errors somewhere", {"train": [0, 50], "train-dev": [0, 30], "dev": [5, 30], "test": [0, 20]}, [0, 100]),
    ("large", {"train": [500, 20000], "train-dev": [620, 5000], "dev": [700, 5000], "test": [760, 5000]}, [90, 3000]),
]


def beta95(k, n):
    if n == 0:
        return None
    from statsmodels.stats.proportion import proportion_confint
    lo, hi = proportion_confint(k, n, alpha=0.05, method="beta")
    # statsmodels returns NaN at the ends for k = 0 / k = n; the interval is closed there.
    return [0.0 if k == 0 else float(lo), 1.0 if k == n else float(hi)]


def newcomb95(k1, n1, k2, n2):
    from statsmodels.stats.proportion import confint_proportions_2indep
    lo, hi = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb", compare="diff", alpha=0.05)
    return [float(lo), float(hi)]


def diagnosis_reference(counts):
    """counts: {"train": [k, n], …, "human": [k, n]} (absent or n = 0: missing)."""
    have = {s: c for s, c in counts.items() if c[1] > 0}
    values, intervals = {}, {}
    for term, a, b in TERMS:
        if a in have and b in have:
            (k1, n1), (k2, n2) = have[a], have[b]
            values[term] = k1 / n1 - k2 / n2
            intervals[term] = newcomb95(k1, n1, k2, n2)
        else:
            values[term], intervals[term] = None, None
    clear = [(values[t], t) for t, _, _ in TERMS if intervals[t] is not None and intervals[t][0] > 0]
    largest = max(clear)[1] if clear else None
    return {"values": values, "intervals": intervals, "largest": largest}


def slices_reference():
    cases = []
    for name, splits, human_counts in SPLIT_CASES:
        counts = dict(splits, human=human_counts)
        cases.append({"name": name, "splits": splits, "human": human_counts,
                      "error_rate_ci95": {s: beta95(*c) for s, c in splits.items()},
                      "diagnosis": diagnosis_reference(counts)})
    per_design = {}
    for name, _, data in designs():
        t = choose(data, "max-accuracy")
        tag_rows, _, splits = tables(data, t)
        correct, total = human(data)
        counts = {r["split"]: [r["errors"], r["pairs"]] for r in splits}
        counts["human"] = [sum(total) - sum(correct), sum(total)]
        per_design[name] = {
            "tags": {r["name"]: beta95(r["errors"], r["pairs"]) for r in tag_rows},
            "splits": {r["split"]: beta95(r["errors"], r["pairs"]) for r in splits},
            "diagnosis": diagnosis_reference(counts),
        }
    return {"cases": cases, "designs": per_design}


def write_slices_fixture():
    SLICES_OUT.write_text(json.dumps(slices_reference(), indent=1, allow_nan=False) + "\n")
    print(f"wrote {SLICES_OUT.relative_to(OUT.parent.parent.parent)}")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, description, data in designs():
        fixture = {"name": name, "description": description, "input": data, "expected": expected(data)}
        path = OUT / f"{name}.json"
        path.write_text(dump(fixture))
        print(f"wrote {path.relative_to(OUT.parent.parent.parent)}")
    write_slices_fixture()
    # CROWDLAB and ActiveLab (label quality, issue 15), from cleanlab 2.9.0.
    runpy.run_path(str(Path(__file__).with_name("make_crowdlab_fixtures.py")))


if __name__ == "__main__":
    main()
