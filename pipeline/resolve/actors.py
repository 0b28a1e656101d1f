"""The actors table: every reference actor, plus every actor that mentions discovered.

A discovered actor's id is derived from its name, alike across its spellings (`person_key`), so the
articles that name it agree on the id; its name is the one most articles give, then the fullest (a
name with a middle name over one without), then the first alphabetically, so the table does not depend
on the order articles arrive in; its type and country are the ones its mentions give most often. Mentions may come in chunks (a file read piece by piece): only
per-actor counts are kept between them.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

import pandas as pd

from pipeline.nlp.actor_dictionary import ActorDictionary, load_actor_dictionary

MENTION_COLUMNS_READ = ["article_id", "actor_id", "surface", "name", "actor_type", "country"]  # what build_actors reads
COUNTED = ("name", "actor_type", "country")  # a discovered actor takes each one's most frequent value
COLUMNS = ["actor_id", "name", "actor_type", "country", "aliases", "in_reference", "source"]


def _canonical_name(articles: dict[str, set]):
    """The name most articles give; on a tie the fullest (most words, then most letters), then the first."""
    if not articles:
        return None
    return min(articles, key=lambda n: (-len(articles[n]), -len(n.split()), -len(n), n))


def _mode(counts: Counter):
    """The most frequent value, the smallest on a tie; None when there is none."""
    if not counts:
        return None
    top = max(counts.values())
    return min(v for v, c in counts.items() if c == top)


def build_actors(mentions: pd.DataFrame | Iterable[pd.DataFrame],
                 dictionary: ActorDictionary | None = None) -> pd.DataFrame:
    """One row per actor (see schemas/actors.py), sorted by actor_id, from a frame of mentions or its chunks."""
    d = dictionary or load_actor_dictionary()
    surfaces: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, dict[str, Counter]] = defaultdict(lambda: {c: Counter() for c in COUNTED})
    names: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))  # actor -> name -> articles
    for chunk in [mentions] if isinstance(mentions, pd.DataFrame) else mentions:
        if not len(chunk):
            continue
        for actor_id, surface in zip(chunk["actor_id"], chunk["surface"]):
            surfaces[actor_id].add(surface)
        discovered = chunk[chunk["actor_id"].notna() & ~chunk["actor_id"].isin(d.actors.keys())]
        for column in COUNTED:
            values = discovered[["actor_id", column]].dropna()
            for (actor_id, value), n in values.astype({column: str}).value_counts(sort=False).items():
                counts[actor_id][column][value] += n
        for actor_id in discovered["actor_id"].unique():
            counts[actor_id]  # an actor with no name, type or country given is still listed
        if "article_id" in discovered.columns:
            for actor_id, name, article_id in discovered[["actor_id", "name", "article_id"]].dropna().itertuples(
                    index=False):
                names[actor_id][name].add(article_id)

    rows = []
    for actor in d.actors.values():
        aliases = (set(actor.aliases) | surfaces.get(actor.actor_id, set())) - {actor.name}
        rows.append({"actor_id": actor.actor_id, "name": actor.name, "actor_type": actor.actor_type,
                     "country": actor.country, "aliases": sorted(aliases), "in_reference": True,
                     "source": actor.source})
    for actor_id in sorted(counts):
        name = _canonical_name(names.get(actor_id) or {}) or _mode(counts[actor_id]["name"])
        rows.append({"actor_id": actor_id, "name": name, "actor_type": _mode(counts[actor_id]["actor_type"]),
                     "country": _mode(counts[actor_id]["country"]),
                     "aliases": sorted(surfaces.get(actor_id, set()) - {name}),
                     "in_reference": False, "source": None})

    table = pd.DataFrame(rows, columns=COLUMNS)
    return table.sort_values("actor_id", kind="stable").reset_index(drop=True)
