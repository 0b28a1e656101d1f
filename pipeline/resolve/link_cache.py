"""Round linking kept between runs, per article: a re-run links only the mentions of new or changed articles.

Linking to known rounds (rounds.link_articles) depends on one article alone: its round mentions, its row (date,
publisher), its roles and its dates, with the reference rounds and role periods. What it leaves for the
corpus-wide steps (each mention's round_id and link_score, the mentions kept for clustering, the article's dates)
is stored per article under a key that hashes exactly those inputs, as the Python values linking reads (pickled
row dicts), so an entry is used only for identical input; clustering and the main-round rule still run over the
whole corpus. The version hashes the resolution code, the reference data (packaged and the user's) and the
libraries that read the tables: any change starts a fresh file, `<data>/cache/rounds/<version>.pkl`. Each run
rewrites it with its own articles' entries (a temporary file renamed in), so it never grows past the corpus.
"""
from __future__ import annotations

import hashlib
import pickle
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from pipeline import pickle_file
from pipeline.code_version import add_user_reference, tree_hash

CODE = ("pipeline/resolve", "pipeline/reference", "pipeline/ids.py", "pipeline/publish/arrow.py",
        "pipeline/nlp/round_mentions.py")


def link_version() -> str:
    h = tree_hash(*CODE)
    h.update(repr((pd.__version__, pa.__version__, np.__version__)).encode())
    add_user_reference(h)  # the user's rounds and roles change links too
    return h.hexdigest()[:16]


def by_article(rows: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        out[r.get("article_id")].append(r)
    return out


def article_key(*parts: list[dict]) -> str:
    """A digest of an article's inputs (lists of row dicts): the pickled values, so equal keys mean equal input."""
    h = hashlib.blake2b(digest_size=32)
    for part in parts:
        blob = pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL)
        h.update(len(blob).to_bytes(8, "little") + blob)
    return h.hexdigest()


class LinkCache:
    """{article_id: (key, pickled entry)}, one pickle file per link version."""

    def __init__(self, root: Path):
        self.path = Path(root) / f"{link_version()}.pkl"
        self.known: dict[str, tuple[str, bytes]] = pickle_file.load_dict(self.path)
        self.now: dict[str, tuple[str, bytes]] = {}

    def get(self, article_id: str, key: str):
        found = self.known.get(article_id)
        if found is None or found[0] != key:
            return None
        self.now[article_id] = found
        return pickle.loads(found[1])

    def put(self, article_id: str, key: str, entry) -> None:
        self.now[article_id] = (key, pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))

    def save(self) -> None:
        """Keep exactly this run's articles; written only when something changed."""
        if self.now == self.known and self.path.is_file():
            return
        pickle_file.write(self.path, self.now)
