#!/usr/bin/env python3
"""Check a `pairscope export-embeddings` file by hand with the readers people use.

Reads FILE.parquet with pyarrow, pandas, polars and DuckDB, prints each one's schema and
first row, and checks that all four give the same vectors. With the project as a second
argument it also compares every row with the project's embedding cache (opened read-only):
identity, status and the vector bit for bit. Not part of CI (CI needs no Python); run:

    .venv/bin/pip install pyarrow pandas polars duckdb numpy
    .venv/bin/python tools/check_embeddings_parquet.py lfw.parquet [lfw.pairscope [MODEL]]
"""

import sqlite3
import sys

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq


def main(path, project=None, model="builtin"):
    table = pq.read_table(path)
    print(f"== pyarrow {pa.__version__}\n{table.schema}")
    first = table.slice(0, 1).to_pylist()[0]
    print({k: (v[:3] + ["..."] if k == "embedding" else v) for k, v in first.items()})
    emb = np.stack(table.column("embedding").to_numpy(zero_copy_only=False))

    frame = pd.read_parquet(path)
    print(f"== pandas {pd.__version__}\n{frame.dtypes.to_string()}")
    print(frame.iloc[0]["image"], frame.iloc[0]["identity"], frame.iloc[0]["status"], frame.iloc[0]["embedding"][:3])

    polars = pl.read_parquet(path)
    print(f"== polars {pl.__version__}\n{polars.schema}\n{polars.head(1)}")

    print(f"== duckdb {duckdb.__version__}")
    print(duckdb.sql(f"DESCRIBE SELECT * FROM '{path}'").fetchall())
    print(duckdb.sql(f"SELECT image, identity, status, embedding[1:3], len(embedding) FROM '{path}' LIMIT 1").fetchall())
    from_duckdb = np.stack(duckdb.sql(f"SELECT embedding FROM '{path}'").fetchnumpy()["embedding"]).astype(np.float32)

    same = {
        "pandas": np.array_equal(np.stack(frame["embedding"].to_numpy()), emb),
        "polars": np.array_equal(polars["embedding"].to_numpy(), emb),
        "duckdb": np.array_equal(from_duckdb, emb),
    }
    print(f"{table.num_rows} rows; same vectors as pyarrow: {same}")
    ok = all(same.values())

    if project:
        db = sqlite3.connect(f"file:{project}?mode=ro", uri=True)
        (sha,) = db.execute("SELECT sha256 FROM models WHERE name = ?", (model,)).fetchone()
        cached = {
            p: (identity, status, np.frombuffer(blob, "<f4"))
            for p, identity, status, blob in db.execute(
                "SELECT i.path, i.identity, e.status, e.vector FROM images i JOIN embeddings e"
                " ON e.image_sha256 = i.sha256 AND e.model_sha256 = ? WHERE e.vector IS NOT NULL",
                (sha,),
            )
        }
        rows = zip(*(table.column(c).to_pylist() for c in ("image", "identity", "status")))
        matches = len(cached) == table.num_rows and all(
            cached[p][0] == i and cached[p][1] == s and np.array_equal(cached[p][2].view("<u4"), emb[k].view("<u4"))
            for k, (p, i, s) in enumerate(rows)
        )
        print(f"every row equals the cache bit for bit: {matches}")
        ok = ok and matches
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
