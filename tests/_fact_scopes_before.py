"""The fact scoping functions issue 18's speed-up rewrote, as they were before it (main at 6375042): the oracle
that tests/test_facts_same_rows.py compares the faster code with. Functions it left unchanged are imported from the
pipeline rather than copied. Not used by the pipeline."""
from __future__ import annotations

import pandas as pd

# Unchanged by issue 18's speed work: the oracle uses the pipeline's own (identical) functions.
from pipeline.resolve.fact_scopes import article_dates, same_figure

#: Figures this close (larger / smaller) may be two reports of one thing: 94 vs 98 hostages, 12,000 vs 13,000
#: troops, 220,000 vs 260,000 dead; 8,576 vs 15,000 names are two things.
SAME_THING_RATIO = 1.25
#: An article's principal parties: its most-mentioned states and groups (two shared make one negotiation).
PRINCIPALS = 3
#: Mentioned actors that are no party of their own (mediating bodies, outlets).
NOT_PARTIES = ("organization", "media")
#: Articles published further apart than this join one negotiation only through a round both mention, never
#: through their principal parties alone: the same two sides meet again in later deals (a January and an October
#: ceasefire between them are two negotiations), while the reports of one round cluster within weeks of it (about
#: six weeks covers a round's announcement, its phases and the follow-up coverage).
SCOPE_WINDOW_DAYS = 45
#: Figures closer than this share of the larger are one figure written two ways (rounding), not a conflict.
CONFLICT_TOLERANCE = 0.01


def _windowed(edges: pd.DataFrame, dates: pd.Series | None) -> pd.DataFrame:
    """Party edges split by time: per party pair, dated articles fall into windows spanning at most
    SCOPE_WINDOW_DAYS from each window's earliest article (named by that date, so adding an article elsewhere
    renames nothing). A pair with a single window keeps one node, undated articles included; with several, the
    undated articles share a node of their own (they cannot tell which deal they report)."""
    if dates is None or not len(edges):
        return edges
    when = edges["article_id"].astype(str).map(dates)
    window = pd.Timedelta(days=SCOPE_WINDOW_DAYS)
    nodes = edges["round_id"].copy()
    for node, group in when.groupby(edges["round_id"]):
        dated = group.dropna().sort_values(kind="mergesort")
        if dated.empty or dated.iloc[-1] - dated.iloc[0] <= window:
            continue
        start = None
        for index, day in dated.items():
            if start is None or day - start > window:
                start = day
            nodes[index] = f"{node}@{start:%Y-%m-%d}"
    return edges.assign(round_id=nodes)


def parties(actor_mentions: pd.DataFrame | None, dates: pd.Series | None = None) -> pd.DataFrame:
    """(article_id, node) edges from each article to every pair of its PRINCIPALS most-mentioned parties (states
    and groups, by their code; organisations and outlets left out): two articles share a node when two of their
    principal parties coincide ('RUS|UKR'), whatever else they mention."""
    if actor_mentions is None or not len(actor_mentions) or "country" not in actor_mentions:
        return pd.DataFrame(columns=["article_id", "round_id"])
    named = actor_mentions.loc[actor_mentions["country"].notna()]
    if "actor_type" in named:
        named = named.loc[~named["actor_type"].isin(NOT_PARTIES)]
    counts = named.groupby(["article_id", "country"]).size().rename("n").reset_index()
    top = counts.sort_values(["article_id", "n", "country"], ascending=[True, False, True])
    top = top.groupby("article_id").head(PRINCIPALS)
    edges = [(article, f"parties:{a}|{b}") for article, codes in top.groupby("article_id")["country"]
             for i, a in enumerate(sorted(codes)) for b in sorted(codes)[i + 1:]]
    return _windowed(pd.DataFrame(edges, columns=["article_id", "round_id"]), dates)


def negotiations(round_mentions: pd.DataFrame, actor_mentions: pd.DataFrame | None = None,
                 dates: pd.Series | None = None) -> pd.Series:
    """article_id -> negotiation label: connected components (union-find) of the graph joining each article to
    the rounds it mentions and to the pairs of its principal parties (so that two articles on one negotiation
    meet even when neither names a round; `dates` (article_dates) keeps articles far apart in time out of one
    negotiation unless they share a round)."""
    known = round_mentions.loc[round_mentions["round_id"].notna(), ["article_id", "round_id"]]
    known = pd.concat([known, parties(actor_mentions, dates)], ignore_index=True).drop_duplicates()
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for article, round_id in known.itertuples(index=False):
        a, r = find("article:" + str(article)), find("round:" + str(round_id))
        if a != r:
            parent[max(a, r)] = min(a, r)
    # a negotiation is named by its smallest round id: stable however rows are ordered or articles added
    names: dict[str, str] = {}
    for round_id in sorted(known["round_id"].astype(str).unique()):
        names.setdefault(find("round:" + round_id), "negotiation:" + round_id)
    articles = known["article_id"].drop_duplicates()
    return pd.Series({a: names[find("article:" + str(a))] for a in articles}, dtype=object)


def thing_ids(frame: pd.DataFrame, keys: list[str], round_col: str, value_col: str) -> tuple[pd.Series, pd.Series]:
    """(thing label, round of the thing) per row of `frame`; rows are grouped by `keys` (which hold the
    negotiation) and split into things as the module docstring says. The label is derived from the thing's
    smallest figure, never from row order.

    A thing spans at most SAME_THING_RATIO from its smallest to its largest figure (no chaining 35, 42, 50 ... into
    one). Figures are taken in ascending order, so a thing whose smallest figure is more than SAME_THING_RATIO below
    the current figure is closed for good (linear time)."""
    ordered = frame.assign(_v=pd.to_numeric(frame[value_col], errors="coerce"))
    ordered = ordered.sort_values(["_v", "article_id", round_col], na_position="first", kind="mergesort")
    labels, rounds = {}, {}
    for _, group in ordered.groupby(keys, dropna=False, sort=False):
        things: list[dict] = []
        open_things: list[dict] = []
        for index, value, round_id, article in zip(group.index, group["_v"].to_numpy(), group[round_col].to_numpy(),
                                                   group["article_id"].to_numpy()):
            round_id = None if pd.isna(round_id) else round_id
            if value == value:  # a figure: close the things it can no longer join
                open_things = [t for t in open_things if t["min"] is None or t["min"] * SAME_THING_RATIO >= value]
            thing = _place(open_things, value, round_id, article)
            if thing is None:
                thing = {"articles": {}, "round": None, "rows": [], "min": None, "max": None}
                things.append(thing)
                open_things.append(thing)
            if value == value:
                thing["articles"].setdefault(article, set()).add(value)
                thing["min"] = value if thing["min"] is None else thing["min"]
                thing["max"] = value
            thing["round"] = thing["round"] if round_id is None else round_id
            thing["rows"].append(index)
        seen: dict[str, int] = {}
        for thing in things:  # named by round and smallest figure (numbered if two things share both)
            label = f"{thing['round'] or ''}|{'' if thing['min'] is None else format(thing['min'], 'g')}"
            seen[label] = seen.get(label, 0) + 1
            label += f"|{seen[label]}" if seen[label] > 1 else ""
            for index in thing["rows"]:
                labels[index], rounds[index] = label, thing["round"]
    return (pd.Series(labels, dtype=object).reindex(frame.index),
            pd.Series(rounds, dtype=object).reindex(frame.index))


def _place(things: list[dict], value: float, round_id, article) -> dict | None:
    """The open thing a mention belongs to (of those within range, the one whose largest figure is nearest), or
    None for a new one."""
    best = None
    for thing in things:
        if round_id is not None and thing["round"] is not None and thing["round"] != round_id:
            continue
        if value != value or thing["max"] is None:
            if value != value and thing["max"] is None:
                return thing
            continue
        own = thing["articles"].get(article)
        if own and not any(same_figure(value, v) for v in own):
            continue  # the article already gave this thing another figure: a second thing
        if _ratio(value, thing["min"]) <= SAME_THING_RATIO and (best is None or thing["max"] > best["max"]):
            best = thing
    return best


def _ratio(a: float, b: float) -> float:
    low, high = sorted((abs(a), abs(b)))
    return float("inf") if low == 0 else high / low


