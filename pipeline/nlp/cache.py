"""Per-article extraction results kept between runs, so a re-run parses only new or changed articles.

Articles are keyed by content hash (article_id) and the publication date they were parsed with (relative dates
and role affiliations are resolved against it: `cache_key`), so an unchanged article is never parsed twice and one
whose date changed is parsed again. The cache lives
under `<data>/cache/extract/<version>/`, where the version hashes the extraction code, the reference data and the
model: any change to them starts a fresh cache.

Every task of parsed articles (a worker's ~100 articles, or a partitioned batch's) is written as a shard of its
own, `shards/<key>/<table>.parquet`, with `_articles.parquet` written last to mark it complete; no writer ever
touches another's files. `compact()` folds the shards into the main files (`<table>.parquet` at the top, rows in
the corpus's article order) and removes them. Tables are assembled with pyarrow, never as pandas objects, so
memory stays at about one table's Arrow buffers; as slices of the files read (nlp/assembly.py), so a re-run that
adds articles copies no row before writing.
"""
from __future__ import annotations

import functools
import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.code_version import tree_hash
from pipeline.ids import stable_id
from pipeline.nlp.assembly import assemble
from pipeline.publish.arrow import to_arrow, write_parquet

DONE = "_articles"  # the table listing every article_id a source holds, including those with no rows elsewhere
SHARDS = "shards"


@functools.lru_cache(maxsize=1)
def extraction_version() -> str:
    """The extractors' code, their reference data, the table schemas and the model."""
    from pipeline.nlp.model import model_meta
    h = tree_hash("pipeline/nlp", "pipeline/reference", "pipeline/ids.py", "schemas")
    meta = model_meta()  # the installed model's meta.json: the model itself is not loaded for its name
    h.update(f"{meta.get('name')}-{meta.get('version')}".encode())
    return h.hexdigest()[:16]


def cache_key(article_id: str, published_date) -> str:
    """An article's key: its id (the hash of its text) and the day it was published, as it was parsed with."""
    missing = published_date is None or (not isinstance(published_date, str) and pd.isna(published_date))
    day = "" if missing else published_date.isoformat()[:10] if hasattr(published_date, "isoformat") \
        else str(published_date)
    return f"{article_id}@{day}"


def _article_of(key: str) -> str:
    return key.rpartition("@")[0]


def _choice(keys: list[str], listing: list[tuple[Path, list[str]]]) -> tuple[list[tuple[Path, list[str]]], list[str]]:
    """([(source folder, the ids of the asked articles it is first to hold)] for the sources holding any; the asked
    article ids in order)."""
    asked = set(keys)
    sources = [(folder, ids) for folder, held in listing if (ids := [_article_of(key) for key in held if key in asked])]
    return sources, [_article_of(key) for key in keys]


def write_source(folder: Path, tables: dict[str, pd.DataFrame | pa.Table], keys: list[str]) -> None:
    """One complete source: every table, then the article list (ids and dates) that marks it complete."""
    folder.mkdir(parents=True, exist_ok=True)
    for table, data in tables.items():
        write_parquet(data if isinstance(data, pa.Table) else to_arrow(data), folder / f"{table}.parquet")
    write_parquet(_article_list(keys), folder / f"{DONE}.parquet")


def _article_list(keys: list[str]) -> pa.Table:
    ids, days = zip(*(key.rpartition("@")[::2] for key in keys)) if keys else ((), ())
    return pa.table({"article_id": pa.array(list(ids), pa.string()), "published_date": pa.array(list(days), pa.string())})


def empty_table(table: str, columns: list[str]) -> pa.Table:
    """No rows, typed by the table's schema where it has one, so that checks comparing `start` with numbers work on a
    corpus with no articles or no rows of this kind."""
    from pipeline.publish.integrity import conformed
    from schemas import TABLES
    df = pd.DataFrame(columns=columns)
    return to_arrow(conformed(table, df) if table in TABLES else df)


class ExtractionCache:
    def __init__(self, root: Path, version: str | None = None):
        self.root = Path(root)
        self.version = version or extraction_version()
        self.folder = self.root / self.version

    def _sources(self) -> list[Path]:
        """The main files first, then every complete shard (DONE is written last, so it marks completeness)."""
        shards = sorted(p.parent for p in (self.folder / SHARDS).glob(f"*/{DONE}.parquet"))
        return ([self.folder] if (self.folder / f"{DONE}.parquet").is_file() else []) + shards

    @staticmethod
    def _keys(folder: Path) -> list[str]:
        """The keys of the articles a source holds (article id @ publication day)."""
        path = folder / f"{DONE}.parquet"
        if not path.is_file():
            return []
        listed = pq.read_table(path)
        days = listed.column("published_date").to_pylist() if "published_date" in listed.column_names \
            else ["?"] * listed.num_rows  # a list without dates matches no article: parsed again
        return [f"{aid}@{day}" for aid, day in zip(listed.column("article_id").to_pylist(), days)]

    def done_keys(self) -> set[str]:
        return set().union(*(self._keys(folder) for folder in self._sources()))

    def done(self) -> set[str]:
        """The article ids the cache holds (with whatever date they were parsed)."""
        return {_article_of(key) for key in self.done_keys()}

    def save_shard(self, tables: dict[str, pd.DataFrame | pa.Table], keys: list[str]) -> Path:
        """The rows of these articles (their `cache_key`s) as a new shard, named by the keys (the same task writes
        the same name)."""
        folder = self.folder / SHARDS / stable_id("task", *keys, length=16)
        write_source(folder, tables, keys)
        return folder

    def _listing(self) -> list[tuple[Path, list[str]]]:
        """(source folder, the keys it is first to hold), main files first."""
        out, seen = [], set()
        for folder in self._sources():
            keys = [key for key in self._keys(folder) if key not in seen]
            seen.update(keys)
            out.append((folder, keys))
        return out

    def table(self, table: str, keys: list[str], columns: list[str],
              listing: list[tuple[Path, list[str]]] | None = None) -> pa.Table:
        """The table's rows for these articles (their `cache_key`s) in their order (rows of one article in
        extraction order), each article's rows taken from the first source holding its key."""
        return self._assembled(table, columns, _choice(keys, self._listing() if listing is None else listing))

    @staticmethod
    def _assembled(table: str, columns: list[str], choice: tuple[list[tuple[Path, list[str]]], list[str]]) -> pa.Table:
        sources, wanted = choice
        parts, chosen = [], []
        for folder, ids in sources:
            path = folder / f"{table}.parquet"
            if path.is_file():
                parts.append(pq.read_table(path))
                chosen.append(ids)
        return assemble(parts, chosen, wanted) if parts else empty_table(table, columns)

    def compact(self, columns: dict[str, list[str]], keys: list[str]) -> dict[str, Path]:
        """Make the main files hold exactly these articles (their `cache_key`s), in this order, and drop the shards
        they cover. Nothing is rewritten when the main files already do. Returns {table: main file}.

        The main article list is removed first and written last: a crash in between leaves the main files
        ignored (their articles are parsed again), never read as complete."""
        paths = {table: self.folder / f"{table}.parquet" for table in columns}
        listing = self._listing()
        main_done = self.folder / f"{DONE}.parquet"
        shards = [folder for folder, _ in listing if folder != self.folder]
        main_keys = listing[0][1] if listing and listing[0][0] == self.folder else None  # all of them: it comes first
        if not shards and main_keys == list(keys) and all(p.is_file() for p in paths.values()):
            return paths
        self.folder.mkdir(parents=True, exist_ok=True)  # a corpus with no articles (or none new) made no shard
        main_done.unlink(missing_ok=True)
        choice = _choice(keys, listing)
        for table, names in columns.items():  # one table in memory at a time
            write_parquet(self._assembled(table, names, choice), paths[table])
        write_parquet(_article_list(list(keys)), main_done)
        covered = set(keys)
        for shard in shards:
            if set(self._keys(shard)) <= covered:
                shutil.rmtree(shard, ignore_errors=True)
        return paths
