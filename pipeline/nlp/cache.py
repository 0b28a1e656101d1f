"""Per-article extraction results kept between runs, so a re-run parses only new or changed articles.

Articles are keyed by content hash (article_id), so an unchanged article is never parsed twice. The cache is
one Parquet file per table under `<data>/cache/extract/<version>/`, where the version hashes the extraction code,
the reference data and the model: any change to them starts a fresh cache.

Batches extracted in parallel (pipeline/defs/extract/batches.py) each write a shard of their own under
`shards/<batch>/`, so no batch overwrites another's rows; reads see the main cache and every shard as one. A save
to the main cache covers the shards it makes redundant, and removes them.
"""
from __future__ import annotations

import functools
import os
import shutil
import uuid
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from pipeline.code_version import tree_hash
from pipeline.publish.arrow import read_frame, to_arrow

DONE = "_articles"  # the table listing every article_id the cache holds, including those with no rows elsewhere
SHARDS = "shards"


@functools.lru_cache(maxsize=1)
def extraction_version() -> str:
    """The extractors' code, their reference data, the table schemas and the model."""
    from pipeline.nlp.model import load_nlp
    h = tree_hash("pipeline/nlp", "pipeline/reference", "pipeline/ids.py", "schemas")
    meta = load_nlp().meta
    h.update(f"{meta.get('name')}-{meta.get('version')}".encode())
    return h.hexdigest()[:16]


class ExtractionCache:
    def __init__(self, root: Path, version: str | None = None, shard: str | None = None):
        self.folder = Path(root) / (version or extraction_version())
        self.home = self.folder if shard is None else self.folder / SHARDS / shard  # where save() writes

    def _sources(self) -> list[Path]:
        """The main cache first, then every complete shard (DONE is written last, so it marks completeness)."""
        shards = sorted(p.parent for p in (self.folder / SHARDS).glob(f"*/{DONE}.parquet"))
        return [self.folder, *shards]

    @staticmethod
    def _ids(folder: Path) -> set[str]:
        path = folder / f"{DONE}.parquet"
        return set(read_frame(path)["article_id"]) if path.is_file() else set()

    def load(self, table: str) -> pd.DataFrame | None:
        """The table's rows over all sources, each article's rows taken from the first source holding it."""
        parts, seen = [], set()
        for folder in self._sources():
            ids = self._ids(folder) - seen
            path = folder / f"{table}.parquet"
            if ids and path.is_file():
                df = read_frame(path)
                parts.append(df[df["article_id"].isin(ids)])
            seen |= ids
        return pd.concat(parts, ignore_index=True) if parts else None

    def done(self) -> set[str]:
        return set().union(*(self._ids(folder) for folder in self._sources()))

    def save(self, tables: dict[str, pd.DataFrame], article_ids: list[str]) -> None:
        """Replace this cache's own files with these tables (temp files renamed in: a crash leaves the old ones)."""
        self.home.mkdir(parents=True, exist_ok=True)
        tables = {**tables, DONE: pd.DataFrame({"article_id": sorted(article_ids)})}
        for table, df in tables.items():
            tmp = self.home / f".tmp-{uuid.uuid4().hex}-{table}.parquet"
            pq.write_table(to_arrow(df), tmp, compression="zstd")
            os.replace(tmp, self.home / f"{table}.parquet")
        if self.home == self.folder:
            covered = set(article_ids)
            for shard in self._sources()[1:]:
                if self._ids(shard) <= covered:
                    shutil.rmtree(shard, ignore_errors=True)
