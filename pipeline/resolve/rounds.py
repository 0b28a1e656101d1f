"""Rounds: resolve round mentions into the documented rounds (rounds.yaml) or into new, clustered ones.

A mention with cues of its own (place, date, ordinal, format) is scored against every known round;
the article adds what it says elsewhere (where its talks were, who led the delegations, the dated
roles of its people, the latest date it gives). Two passes: the first links what is unambiguous
(a "May 16" that only one known round fits pins the year); from those links and the article's dates
an undated article gets an estimated publication date, and the second pass uses it (a "recent"
round is the latest one before that date; a round reported as past cannot be later). Mentions that
no known round fits but that name a place are clustered into new rounds by place and date. A
definite "the talks" takes the article's main round; a generic "peace talks are ..." takes none.
"""
from __future__ import annotations

import functools
import pickle
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress

import numpy as np
import pandas as pd

from pipeline.nlp.round_mention_columns import COLUMNS as MENTION_COLUMNS
from pipeline.publish.arrow import read_frame
from pipeline.resolve.link_cache import LinkCache, article_key, by_article, mention_digests
from pipeline.resolve.records import column_values, row_tuples
from pipeline.resolve.round_clusters import cluster, is_pending, join_by_parties, known_round, may_join, new_round
from pipeline.resolve.round_context import ARTICLE_COLUMNS, DATE_COLUMNS, ROLE_COLUMNS, as_list, contexts, story_day
from pipeline.resolve.round_linking import link_articles, link_rest
from pipeline.resolve.round_reference import as_date, known_rounds

ROUND_COLUMNS = ["round_id", "label", "date_start", "date_end", "date_precision", "city", "venue", "country",
                 "host", "format", "ordinal", "duration_minutes", "parties", "delegation_heads", "outcome",
                 "n_articles", "n_publishers", "article_ids", "in_reference", "series"]

# What the last steps (clustering, then following the main round) read of a kept mention: a linked one only
# votes for its article's main round; an unlinked one may follow it; one that may make a new round is clustered.
VOTE_KEYS = ("article_id", "kind", "round_id", "link_score", "tense", "reference")
FOLLOW_KEYS = VOTE_KEYS + ("_tied", "_new", "definiteness", "ordinal", "venue", "city", "region", "country", "month",
                           "date_start", "format", "weekday", "duration_minutes", "year", "delegation_heads")
NEW_ROUND_KEYS = FOLLOW_KEYS + ("day", "date_end", "date_precision", "host", "parties")
# The mention columns linking never reads (ids and offsets; tests/test_round_speedups.py links without them): the
# step reads the others only, and the cache key hashes those.
UNREAD = frozenset(("mention_id", "sentence_id", "paragraph_id", "start", "end", "date_text"))
LINK_READS = [c for c in MENTION_COLUMNS if c not in UNREAD]
VOTE, FOLLOW, NEW_ROUND = range(3)
KEPT_KEYS = (VOTE_KEYS, FOLLOW_KEYS, NEW_ROUND_KEYS)
# A kept mention holds only its keys whose value is not None (most are None; the last steps read every other key
# with m.get, which gives None for a missing key as for a None value), and always these, read as m[key]:
ALWAYS = frozenset(("article_id", "round_id", "link_score", "_tied", "_new"))


def _kept(which: int, m: dict) -> tuple[int, tuple]:
    """How a kept mention is stored: which keys of KEPT_KEYS[which] it has (a bit mask), and their values."""
    values = tuple(map(m.get, KEPT_KEYS[which]))
    has = [v is not None or always for v, always in zip(values, _ALWAYS_AT[which])]
    return sum(compress(_BITS[which], has)), tuple(compress(values, has))


_ALWAYS_AT = tuple(tuple(k in ALWAYS for k in keys) for keys in KEPT_KEYS)
_BITS = tuple(tuple(1 << bit for bit in range(len(keys))) for keys in KEPT_KEYS)


@functools.lru_cache(maxsize=None)  # a few masks recur across the corpus
def _kept_names(which: int, mask: int) -> tuple[str, ...]:
    return tuple(k for bit, k in enumerate(KEPT_KEYS[which]) if mask >> bit & 1)


@dataclass
class RoundLinks:
    """What resolution gives: the rounds, each mention's round_id and link_score (in the mentions' order), and the
    estimated dates of the articles without a published date."""

    rounds: pd.DataFrame
    round_ids: list
    link_scores: list
    estimates: pd.DataFrame


def _rows_of(frame: pd.DataFrame | None, columns: list[str]):
    """The frame's rows for a set of articles, in the frame's order (a function of the article ids)."""
    if frame is None:
        return lambda aids: None
    frame = frame[[c for c in columns if c in frame]]
    if not len(frame) or "article_id" not in frame:
        return lambda aids: frame
    at = frame.groupby("article_id", sort=False).indices

    def rows(aids) -> pd.DataFrame:
        found = [at[a] for a in aids if a in at]
        return frame.take(np.sort(np.concatenate(found))) if found else frame.head(0)
    return rows


def _key_rows(frame: pd.DataFrame | None, columns: list[str]) -> tuple[tuple, dict[str, list[tuple]]]:
    """What the cache key takes of a frame: its column names, and per article its rows as value tuples (the values
    `records` gives, in the frame's order); nothing per article without rows or an article_id column."""
    if frame is None:
        return (), {}
    frame = frame[[c for c in columns if c in frame]]
    if not len(frame) or "article_id" not in frame:
        return tuple(frame.columns), {}
    out: dict[str, list[tuple]] = defaultdict(list)
    for aid, row in zip(frame["article_id"].tolist(), row_tuples(frame)):
        out[aid].append(row)
    return tuple(frame.columns), out


def link_rounds(chunks: Iterable[pd.DataFrame], articles: pd.DataFrame, roles: pd.DataFrame | None,
                dates: pd.DataFrame | None, known: list[dict] | None = None, cache: LinkCache | None = None) -> RoundLinks:
    """Resolve round mentions given as consecutive chunks that never split an article (`article_chunks`, or Arrow
    tables as `article_tables` gives them: with a cache, one whose articles all hit is never read into pandas).

    Linking to known rounds depends on each article alone, so it runs chunk by chunk and keeps only each mention's
    round_id and link_score; the mentions of articles that may make new rounds (unlinked, naming a place) are kept
    to be clustered across the corpus at the end, with only what those last steps read of them. With a `cache`
    (link_cache.py), an article whose inputs are unchanged since the last run takes its links from there."""
    known = known_rounds() if known is None else known
    by_id = {r["id"]: r for r in known}
    articles = articles[[c for c in ARTICLE_COLUMNS if c in articles]]
    rows_of = (_rows_of(articles, ARTICLE_COLUMNS), _rows_of(roles, ROLE_COLUMNS), _rows_of(dates, DATE_COLUMNS))
    # The key's parts of the other inputs, per article, built once for the corpus (not per chunk).
    parts = [_key_rows(f, c) for f, c in ((articles, ARTICLE_COLUMNS), (roles, ROLE_COLUMNS), (dates, DATE_COLUMNS))] \
        if cache is not None else []
    round_ids: list = []
    scores: list = []
    article_of: list = []
    kept: list[dict] = []  # the mentions of articles that may make new rounds, in corpus order
    kept_ctx: dict[str, dict] = {}
    dated: dict[str, tuple] = {}  # article -> (estimated date, basis, publisher)
    for chunk in chunks:
        frame = chunk if isinstance(chunk, pd.DataFrame) else None  # an Arrow chunk is read into pandas only to link
        aids = column_values(frame[["article_id"]])[0] if frame is not None else chunk.column("article_id").to_pylist()
        at: dict[str, list[int]] = defaultdict(list)  # article -> its mentions' places in the chunk
        for i, aid in enumerate(aids):
            at[aid].append(i)
        keys = _keys(chunk, at, parts) if cache is not None else {}
        entries = {aid: e for aid, key in keys.items() if (e := cache.get(aid, key)) is not None}
        todo = []
        if len(entries) < len(at):
            frame = read_frame(chunk) if frame is None else frame
            columns = list(frame.columns)
            values = column_values(frame)  # as `records` gives them; dicts are made only for the mentions linked now
            todo = [dict(zip(columns, row)) for aid, row in zip(aids, zip(*values)) if aid not in entries]
            del values
        del frame
        for aid, entry in _linked_articles(todo, rows_of, known, by_id, dated).items():
            entries[aid] = entry
            if cache is not None:
                cache.put(aid, keys[aid], entry)
        del todo
        ids, link_scores, found = [None] * len(aids), [None] * len(aids), []
        offset = len(round_ids)
        for aid, places in at.items():
            entry = entries.pop(aid)
            for j, i in enumerate(places):
                ids[i], link_scores[i] = entry["ids"][j], entry["scores"][j]
            for j, which, mask, values in entry["kept"]:  # a fresh dict per kept mention, its place in the corpus added
                m = dict(zip(_kept_names(which, mask), values))
                m["_pos"] = offset + places[j]
                found.append(m)
            if entry["ctx"] is not None:
                kept_ctx[aid] = entry["ctx"]
            if entry["dated"] is not None:
                dated[aid] = entry["dated"]
        kept += sorted(found, key=lambda m: m["_pos"])
        round_ids += ids
        scores += link_scores
        article_of += aids
    if cache is not None:
        cache.save()
    del parts, rows_of, cache  # the per-article inputs are not read again: freed before clustering
    clusters = cluster(kept, kept_ctx)
    new = {rid: new_round(rid, group, kept_ctx) for rid, group in clusters.items()}
    join_by_parties(kept, kept_ctx, new)
    link_rest(kept, {**by_id, **new})
    for m in kept:
        round_ids[m["_pos"]] = m["round_id"]
        if m["round_id"] in new and m.get("delegation_heads") is not None:  # who met, from every linked mention
            heads = new[m["round_id"]]["delegation_heads"]
            heads[:] = sorted(set(heads) | set(as_list(m["delegation_heads"])))
    return RoundLinks(_rounds_table(round_ids, article_of, by_id, new, dated), round_ids, scores,
                      _estimates(articles, article_of, dated))


def _keys(chunk, at: dict[str, list[int]], parts: list) -> dict[str, str]:
    """Each article's cache key: its mentions (before linking) and its rows of articles, roles and dates, with the
    column names of each. An Arrow chunk's mentions are hashed as their bytes (link_cache.mention_digests: equal
    bytes, equal values as read); a DataFrame's as its pickled values, the columns' names with them."""
    if isinstance(chunk, pd.DataFrame):
        columns = tuple(chunk.columns)
        rows = row_tuples(chunk)
        mentions = {aid: pickle.dumps((columns, [rows[i] for i in places]), protocol=pickle.HIGHEST_PROTOCOL)
                    for aid, places in at.items()}
    else:
        mentions = mention_digests(chunk)
    names = tuple(p[0] for p in parts)
    return {aid: article_key(mentions[aid], names, *(p[1].get(aid, []) for p in parts)) for aid in at}


def _linked_articles(ms: list[dict], rows_of, known: list[dict], by_id: dict, dated: dict) -> dict[str, dict]:
    """Link the mentions of whole articles; per article what the corpus-wide steps need of it: each mention's
    round_id and link_score, the mentions kept for clustering (by their place among the article's mentions, with
    the keys those steps read, as (place, which of KEPT_KEYS, `_kept`)), its context for clustering,
    and its dates."""
    aids = list(dict.fromkeys(m["article_id"] for m in ms))
    article_rows, role_rows, date_rows = rows_of
    ctx = contexts(ms, article_rows(aids), role_rows(aids), date_rows(aids))
    link_articles(ms, ctx, known, by_id)
    new_rounds_in = {m["article_id"] for m in ms if is_pending(m) or may_join(m)}
    dated.update((aid, (c["estimated"], c.get("basis"), c["publisher"])) for aid, c in ctx.items())
    out = {}
    for aid, group in by_article(ms).items():
        kept = []
        if aid in new_rounds_in:
            for j, m in enumerate(group):
                which = NEW_ROUND if is_pending(m) or may_join(m) else VOTE if m["round_id"] else FOLLOW
                kept.append((j, which, *_kept(which, m)))
        c = ctx.get(aid)
        out[aid] = {"ids": [m["round_id"] for m in group], "scores": [m["link_score"] for m in group], "kept": kept,
                    "ctx": {"pub": c["pub"], "estimated": c["estimated"], "story_day": story_day(c)}
                    if aid in new_rounds_in else None,
                    "dated": (c["estimated"], c.get("basis"), c["publisher"]) if c is not None else None}
    return out


def _rounds_table(round_ids: list, article_of: list, by_id: dict, new: dict, dated: dict) -> pd.DataFrame:
    linked: dict[str, set[str]] = defaultdict(set)
    for rid, aid in zip(round_ids, article_of):
        if rid:
            linked[rid].add(aid)
    rows = []
    for rid, aids in linked.items():
        row = known_round(by_id[rid]) if rid in by_id else dict(new[rid])
        publishers = {dated[a][2] for a in aids} - {None}
        row.update(outcome=None, n_articles=len(aids), n_publishers=len(publishers), article_ids=sorted(aids))
        rows.append(row)
    rounds = pd.DataFrame(rows, columns=ROUND_COLUMNS).sort_values(["date_start", "round_id"], na_position="last")
    return rounds.reset_index(drop=True)


def _estimates(articles: pd.DataFrame, article_of: list, dated: dict) -> pd.DataFrame:
    """article_id, published_date_estimated, published_date_basis for the articles without a published date (the
    articles table's order, then articles only the mentions know)."""
    listed = list(articles["article_id"])
    undated = [a for a, d in zip(listed, articles["published_date"] if "published_date" in articles
                                 else [None] * len(listed)) if as_date(d) is None]
    known = set(listed)  # built once (a set built per article made this quadratic)
    undated += [a for a in dict.fromkeys(article_of) if a not in known]
    rows = [(a, *dated.get(a, (None, None, None))[:2]) for a in dict.fromkeys(undated)]
    return pd.DataFrame(rows, columns=["article_id", "published_date_estimated", "published_date_basis"])


def _with_links(round_mentions: pd.DataFrame | None, links: RoundLinks) -> pd.DataFrame:
    """The mentions as they came, with the round_id and link_score resolution gave each (only those change)."""
    if round_mentions is None or not len(links.round_ids):
        return pd.DataFrame(columns=[*MENTION_COLUMNS, "round_id", "link_score"])
    out = round_mentions.reindex(columns=MENTION_COLUMNS).reset_index(drop=True)
    out["round_id"] = pd.Series(links.round_ids, dtype=object)
    out["link_score"] = pd.Series(links.link_scores, dtype=object)
    return out


def resolve_rounds(round_mentions: pd.DataFrame, articles: pd.DataFrame, roles: pd.DataFrame,
                   dates: pd.DataFrame, known: list[dict] | None = None,
                   with_estimates: bool = False) -> tuple[pd.DataFrame, ...]:
    """(rounds, round_mentions): every mention with its round_id (None when too vague to link).

    With `with_estimates`, a third frame: article_id, published_date_estimated, published_date_basis
    for the articles without a published date, from the same resolution (no second pass over it)."""
    chunks = [round_mentions.reset_index(drop=True)] if round_mentions is not None and len(round_mentions) else []
    links = link_rounds(chunks, articles, roles, dates, known)
    mentions = _with_links(round_mentions, links)
    return (links.rounds, mentions, links.estimates) if with_estimates else (links.rounds, mentions)
