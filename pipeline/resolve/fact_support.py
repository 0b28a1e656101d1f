"""One facts row per fact_id from its mentions: support counts, the most frequent values, conflicts.

The mentions of one source table arrive as a frame; every per-fact figure is computed on integer codes (the
fact_ids and article_ids factorised once, in sorted order, and each column's values factorised once) rather than by
grouping string columns again and again, and article attributes (source, original or copy, publication date) are
looked up once per article, not once per mention.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.resolve.fact_scopes import CONFLICT_TOLERANCE as TOLERANCE

FACT_COLUMNS = ["fact_id", "fact_type", "subject_actor_id", "round_id", "key", "value", "values", "n_mentions",
                "n_articles", "n_publishers", "n_originals", "conflict", "article_ids", "first_published"]


def none(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing values as None, so ids and lists never carry NaN."""
    return frame.astype(object).where(frame.notna(), None)


class _Facts:
    """The mentions' rows grouped by fact: `fact` is each row's fact number (facts in fact_id order)."""

    def __init__(self, fact_ids: pd.Series):
        self.fact, ids = pd.factorize(fact_ids, sort=True)
        self.ids = np.asarray(ids, dtype=object)
        self.n = len(self.ids)

    def distinct(self, codes: np.ndarray) -> np.ndarray:
        """Per fact, how many different codes (>= 0; -1 is missing) its rows have."""
        keep = codes >= 0
        width = int(codes.max()) + 1 if keep.any() else 1
        pairs = pd.unique(self.fact[keep].astype(np.int64) * width + codes[keep])  # a hash table: no sort needed
        return np.bincount(pairs // width, minlength=self.n)

    def first(self, values: np.ndarray) -> np.ndarray:
        """Per fact, its first non-missing value in row order (None when it has none)."""
        rows = np.flatnonzero(pd.notna(values))
        facts, first = np.unique(self.fact[rows], return_index=True)
        out = np.full(self.n, None, dtype=object)
        out[facts] = values[rows[first]]
        return out

    def mode(self, column: pd.Series) -> np.ndarray:
        """Per fact, the most frequent non-missing value (ties: the smallest); None when it has none."""
        code, values = pd.factorize(column, sort=True)
        keep = code >= 0
        width = max(1, len(values))
        pairs, counts = np.unique(self.fact[keep].astype(np.int64) * width + code[keep], return_counts=True)
        facts, codes = pairs // width, pairs % width
        order = np.lexsort((codes, -counts, facts))
        facts, codes = facts[order], codes[order]
        best = np.r_[True, facts[1:] != facts[:-1]] if len(facts) else np.zeros(0, dtype=bool)
        out = np.full(self.n, None, dtype=object)
        out[facts[best]] = np.asarray(values, dtype=object)[codes[best]]
        return out

    def lists(self, facts: np.ndarray, values: np.ndarray) -> pd.Series:
        """Per fact, the `values` whose fact number is `facts` (ordered by fact) as a list; [] for a fact without."""
        cuts = np.flatnonzero(facts[1:] != facts[:-1]) + 1
        out: list[list] = [[] for _ in range(self.n)]
        for fact, chunk in zip(facts[np.r_[0, cuts]] if len(facts) else [], np.split(values, cuts)):
            out[fact] = chunk.tolist()
        return pd.Series(out, index=pd.Index(self.ids, name="fact_id"), dtype=object)


def _sort_codes(values: pd.Series) -> np.ndarray:
    """Codes ordering the values as sort_values does (ascending, missing last)."""
    code, uniques = pd.factorize(values, sort=True)
    return np.where(code < 0, len(uniques), code)


def _per_article(articles: pd.DataFrame, article_ids: np.ndarray) -> pd.DataFrame:
    """publisher, duplicate_of and published_date of each article id (None for an id not in `articles`)."""
    meta = articles.set_index("article_id")[["publisher", "duplicate_of", "published_date"]]
    at = meta.index.get_indexer(article_ids)
    out = pd.DataFrame(None, index=range(len(article_ids)), columns=meta.columns, dtype=object)
    if (at >= 0).any():
        out.loc[at >= 0, :] = meta.to_numpy(dtype=object)[at[at >= 0]]
    return out


def aggregate(mentions: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """One facts row per fact_id from its mentions and the mentioning articles: n_articles counts an article once,
    n_publishers an article without a publisher as its own source, n_originals skips copies (duplicate_of set)."""
    g = _Facts(mentions["fact_id"])
    article, article_ids = pd.factorize(mentions["article_id"], sort=True)
    article_ids = np.asarray(article_ids, dtype=object)
    meta = _per_article(articles, article_ids)
    source = pd.factorize(meta["publisher"].fillna(pd.Series("article:" + article_ids, dtype=object)))[0]
    original = meta["duplicate_of"].isna().to_numpy()
    facts = pd.DataFrame({
        "n_mentions": np.bincount(g.fact, minlength=g.n), "n_articles": g.distinct(article),
        "n_publishers": g.distinct(source[article]), "n_originals": g.distinct(np.where(original[article], article, -1)),
        "fact_type": g.first(mentions["fact_type"].to_numpy(dtype=object)),
        "round_id": g.first(mentions["round_id"].to_numpy(dtype=object)),
        **{column: g.mode(mentions[column]) for column in ("subject_actor_id", "key", "value")},
    }, index=pd.Index(g.ids, name="fact_id"))
    num = mentions["num"]
    with np.errstate(invalid="ignore"):
        by = num.groupby(g.fact)
        high, low = by.max().to_numpy(), by.min().to_numpy()
        conflict = (high - low) > TOLERANCE * np.maximum(np.abs(high), np.abs(low))
    for column in (c for c in mentions if c.startswith("cmp_")):
        conflict |= g.distinct(pd.factorize(mentions[column])[0]) > 1
    facts["conflict"] = conflict.astype(bool)
    day = pd.Series(pd.to_datetime(meta["published_date"], errors="coerce").to_numpy()[article]).groupby(g.fact).min()
    facts["first_published"] = day.dt.date.astype(object).where(day.notna(), None).to_numpy()
    # values: each fact's distinct values ordered by figure, then value (a value placed by its first figure)
    value, code = mentions["value"].to_numpy(dtype=object), pd.factorize(mentions["value"], sort=True)[0]
    rows = np.flatnonzero(code >= 0)
    rows = rows[np.lexsort((code[rows], _sort_codes(num)[rows], g.fact[rows]))]
    _, first = np.unique(g.fact[rows].astype(np.int64) * (int(code.max(initial=0)) + 1) + code[rows],
                         return_index=True)
    rows = rows[np.sort(first)]
    width = max(1, len(article_ids))
    pairs = np.sort(pd.unique(g.fact.astype(np.int64) * width + article))  # each fact's articles, in id order
    facts = none(facts).assign(values=g.lists(g.fact[rows], value[rows]),
                               article_ids=g.lists(pairs // width, article_ids[pairs % width]))
    counts = {c: int for c in FACT_COLUMNS if c.startswith("n_")}
    return facts.reset_index()[FACT_COLUMNS].astype({**counts, "conflict": bool})
