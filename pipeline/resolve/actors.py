"""The actors table: every reference actor, plus every actor that mentions discovered.

A discovered actor's id is derived from its name, so the articles that name it agree on the id; its
name is the one those mentions give most often (ties broken alphabetically), so the table does not
depend on the order articles arrive in.
"""
from __future__ import annotations

import pandas as pd

from pipeline.nlp.actor_dictionary import ActorDictionary, load_actor_dictionary

MENTION_COLUMNS_READ = ["actor_id", "surface", "name", "actor_type", "country"]  # what build_actors reads
COLUMNS = ["actor_id", "name", "actor_type", "country", "aliases", "in_reference", "source"]


def _mode(values: pd.Series):
    """The most frequent non-null value, the smallest on a tie; None when there is none."""
    counts = values.dropna().astype(str).value_counts()
    if counts.empty:
        return None
    top = counts.max()
    return min(v for v, c in counts.items() if c == top)


def build_actors(mentions: pd.DataFrame, dictionary: ActorDictionary | None = None) -> pd.DataFrame:
    """One row per actor (see schemas/actors.py), sorted by actor_id."""
    d = dictionary or load_actor_dictionary()
    surfaces: dict[str, set[str]] = {}
    if len(mentions):
        for actor_id, surface in zip(mentions["actor_id"], mentions["surface"]):
            surfaces.setdefault(actor_id, set()).add(surface)

    rows = []
    for actor in d.actors.values():
        aliases = (set(actor.aliases) | surfaces.get(actor.actor_id, set())) - {actor.name}
        rows.append({"actor_id": actor.actor_id, "name": actor.name, "actor_type": actor.actor_type,
                     "country": actor.country, "aliases": sorted(aliases), "in_reference": True,
                     "source": actor.source})

    if len(mentions):
        discovered = mentions[~mentions["actor_id"].isin(d.actors.keys())]
        for actor_id, group in discovered.groupby("actor_id", sort=True):
            name = _mode(group["name"])
            rows.append({"actor_id": actor_id, "name": name, "actor_type": _mode(group["actor_type"]),
                         "country": _mode(group["country"]),
                         "aliases": sorted(surfaces.get(actor_id, set()) - {name}),
                         "in_reference": False, "source": None})

    table = pd.DataFrame(rows, columns=COLUMNS)
    return table.sort_values("actor_id", kind="stable").reset_index(drop=True)
