#!/usr/bin/env python3
"""All-vs-all comparisons with numpy (OpenBLAS), for the bench `cargo bench --bench all_vs_all`.

Same computation as pairscope's kernel on the same vectors: every unordered pair of distinct
rows once (blocked matrix products, upper triangle only), genuine when identities are equal;
counts, the exact threshold at FMR 1e-1 ... 1e-6 (the smallest score t with
#{impostor >= t} / impostors <= f; here over the impostor scores, which decide it), and the
200 highest impostor scores. Unlike pairscope it keeps every score (O(N^2) memory): the
straightforward numpy way.

usage: all_vs_all_numpy.py VECTORS.f32 IDENTITIES.u32 --dim 512 [--repeat 3]
"""
import argparse
import time

import numpy as np


def all_vs_all(e, ids, block=1024):
    n = len(e)
    genuine, impostor = [], []
    for i in range(0, n, block):
        s = e[i:i + block] @ e[i:].T  # rows i.. against every later row
        rows = np.arange(i, min(i + block, n))[:, None]
        cols = np.arange(i, n)[None, :]
        upper = cols > rows
        same = ids[i:i + block][:, None] == ids[i:][None, :]
        genuine.append(s[upper & same])
        impostor.append(s[upper & ~same])
    genuine = np.concatenate(genuine)
    impostor = np.concatenate(impostor)
    imp_sorted = np.sort(impostor)[::-1]
    thresholds = {}
    for f in (1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6):
        k = int(np.floor(f * len(impostor)))
        while k > 0 and k / len(impostor) > f:
            k -= 1
        # The (k+1)-th highest impostor score must be rejected.
        above = imp_sorted[k] if k < len(imp_sorted) else -np.inf
        candidates = imp_sorted[imp_sorted > above]
        t = candidates.min() if len(candidates) else None
        thresholds[f] = (t, int((impostor >= t).sum()) if t is not None else 0)
    return len(genuine), len(impostor), thresholds, imp_sorted[:200]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("vectors")
    p.add_argument("identities")
    p.add_argument("--dim", type=int, default=512)
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()
    e = np.fromfile(a.vectors, dtype="<f4").reshape(-1, a.dim)
    ids = np.fromfile(a.identities, dtype="<u4")
    times, cpu = [], []
    for _ in range(a.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        g, i, th, top = all_vs_all(e, ids)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    t3, fa3 = th[1e-3]
    print(f"numpy {np.__version__}: best {min(times):.3f} s wall of {a.repeat} runs (all: "
          + ", ".join(f"{t:.3f}" for t in times) + "), CPU (all threads) "
          + ", ".join(f"{t:.3f}" for t in cpu) + " s  "
          + f"genuine {g} impostors {i} threshold@1e-3 {t3:.6f} false_accepts@1e-3 {fa3} hardest {top[0]:.6f}")


if __name__ == "__main__":
    main()
