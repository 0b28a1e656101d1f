"""Near-duplicate signatures kept between runs, so a re-run shingles and hashes only new articles.

A signature is what find_near_duplicates computes of an article's text: its MinHash hash values and the size of its
shingle set. It depends on the text alone, so it is keyed by article_id (the hash of the cleaned text). The cache is
one Parquet file, `<data>/cache/near_duplicates/<version>.parquet`, whose version hashes the signature code and its
parameters: any change to them starts a fresh file. Each run rewrites it with the signatures of its own articles
(written through a temporary file renamed in), so it never grows past the corpus.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.code_version import tree_hash
from pipeline.publish.arrow import write_parquet

Signature = tuple[int, np.ndarray]  # (shingle-set size, MinHash hash values)


def signature_version(**params) -> str:
    h = tree_hash("pipeline/resolve/near_duplicates.py", "pipeline/resolve/minhash.py", "pipeline/resolve/signatures.py",
                  "pipeline/ids.py")
    h.update(repr(sorted(params.items())).encode())
    return h.hexdigest()[:16]


class SignatureCache:
    """{article_id: Signature} read from and written to one Parquet file per signature version."""

    def __init__(self, root: Path, **params):
        self.path = Path(root) / f"{signature_version(**params)}.parquet"
        self.known: dict[str, Signature] = {}
        self.added = 0
        if self.path.is_file():
            try:
                table = pq.read_table(self.path)
            except (OSError, pa.ArrowInvalid):  # a damaged file costs a recomputation, never the run
                table = None
            if table is not None:
                values = table.column("hashvalues").combine_chunks().flatten().to_numpy()
                width = len(values) // max(1, table.num_rows)
                for i, (aid, size) in enumerate(zip(table.column("article_id").to_pylist(),
                                                    table.column("size").to_pylist())):
                    self.known[aid] = (size, values[i * width:(i + 1) * width])

    def get(self, article_id: str) -> Signature | None:
        return self.known.get(article_id)

    def put(self, article_id: str, signature: Signature) -> None:
        self.known[article_id] = signature
        self.added += 1

    def save(self, article_ids: list[str]) -> None:
        """Keep exactly these articles' signatures (those known); written only when something changed."""
        keep = [aid for aid in dict.fromkeys(article_ids) if aid in self.known]
        if not self.added and len(keep) == len(self.known) and self.path.is_file():
            return
        sizes = [self.known[aid][0] for aid in keep]
        values = [self.known[aid][1] for aid in keep]
        width = len(values[0]) if values else 0
        flat = pa.array(np.concatenate(values)) if values else pa.array([], pa.uint32())
        table = pa.table({"article_id": pa.array(keep, pa.string()), "size": pa.array(sizes, pa.int64()),
                          "hashvalues": pa.FixedSizeListArray.from_arrays(flat, width) if width
                          else pa.array([], pa.list_(pa.uint32()))})
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_parquet(table, self.path)
