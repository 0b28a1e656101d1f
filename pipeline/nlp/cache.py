"""Per-article extraction results kept between runs, so a re-run parses only new or changed articles.

Articles are keyed by content hash (article_id), so an unchanged article is never parsed twice. The cache is
one Parquet file per table under `<data>/cache/extract/<version>/`, where the version hashes the extraction code,
the reference data and the model: any change to them starts a fresh cache.
"""
from __future__ import annotations

import functools
import hashlib
import os
import uuid
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from pipeline.publish.arrow import read_frame, to_arrow

DONE = "_articles"  # the table listing every article_id the cache holds, including those with no rows elsewhere
_ROOT = Path(__file__).resolve().parent.parent


@functools.lru_cache(maxsize=1)
def extraction_version() -> str:
    from pipeline.nlp.model import load_nlp
    h = hashlib.sha256()
    for folder in ("nlp", "reference"):
        for path in sorted((_ROOT / folder).rglob("*")):
            if path.suffix in (".py", ".yaml", ".csv") and "__pycache__" not in path.parts:
                h.update(path.name.encode() + b"\0" + path.read_bytes())
    meta = load_nlp().meta
    h.update(f"{meta.get('name')}-{meta.get('version')}".encode())
    return h.hexdigest()[:16]


class ExtractionCache:
    def __init__(self, root: Path, version: str | None = None):
        self.folder = Path(root) / (version or extraction_version())

    def _path(self, table: str) -> Path:
        return self.folder / f"{table}.parquet"

    def load(self, table: str) -> pd.DataFrame | None:
        path = self._path(table)
        return read_frame(path) if path.is_file() else None

    def done(self) -> set[str]:
        df = self.load(DONE)
        return set() if df is None else set(df["article_id"])

    def save(self, tables: dict[str, pd.DataFrame], article_ids: list[str]) -> None:
        """Replace the cache with these tables (written to temp files, renamed in: a crash leaves the old cache)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        tables = {**tables, DONE: pd.DataFrame({"article_id": sorted(article_ids)})}
        for table, df in tables.items():
            tmp = self.folder / f".tmp-{uuid.uuid4().hex}-{table}.parquet"
            pq.write_table(to_arrow(df), tmp, compression="zstd")
            os.replace(tmp, self._path(table))
