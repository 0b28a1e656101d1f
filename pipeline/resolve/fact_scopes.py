"""Which numeric mentions (claims, outcomes) state the same thing: facts that never cross negotiations.

A negotiation is a connected group of articles, the rounds they mention and their principal parties (two articles
about one round belong to one negotiation, and so do two articles whose three most-mentioned states or groups share
two, when published within SCOPE_WINDOW_DAYS of each other); an article linked to nothing is a negotiation of its
own. Within one negotiation and one key (a claim's measure, an outcome's type and status), mentions are grouped
into "things":

- two known, different rounds are never one thing ("2,000 prisoners" of a January deal are not October's);
  a mention without a round may join a thing of any round of its negotiation;
- one article giving two different figures speaks of two things (a list of 7,487 names and one of 8,576);
- figures of two articles are one thing when they are close (within SAME_THING_RATIO); a mention joins the
  thing whose figure is nearest to its own. Mentions without a figure are one thing per key.

A thing whose figures differ (beyond rounding, CONFLICT_TOLERANCE) is a conflict: sources disagree on it.
"""
from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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


def article_dates(articles: pd.DataFrame | None) -> pd.Series:
    """article_id -> publication date (published_date, else published_date_estimated where present), NaT unknown."""
    if articles is None or "article_id" not in articles:
        return pd.Series(dtype="datetime64[ns]")
    dates = pd.to_datetime(articles.get("published_date"), errors="coerce")
    if "published_date_estimated" in articles:
        dates = dates.fillna(pd.to_datetime(articles["published_date_estimated"], errors="coerce"))
    return pd.Series(dates.to_numpy(), index=articles["article_id"].astype(str)).groupby(level=0).first()


def _windowed(edges: pd.DataFrame, dates: pd.Series | None) -> pd.DataFrame:
    """Party edges split by time: per party pair, dated articles fall into windows spanning at most
    SCOPE_WINDOW_DAYS from each window's earliest article (named by that date, so adding an article elsewhere
    renames nothing). A pair with a single window keeps one node, undated articles included; with several, the
    undated articles share a node of their own (they cannot tell which deal they report)."""
    if dates is None or not len(edges):
        return edges
    when = pd.Series(pd.to_datetime(edges["article_id"].astype(str).map(dates)).to_numpy("datetime64[ns]"))
    dated = pd.DataFrame({"node": edges["round_id"].to_numpy(), "day": when}).dropna()
    span = dated.groupby("node")["day"].agg(["min", "max"])
    wide = span.index[(span["max"] - span["min"]) > pd.Timedelta(days=SCOPE_WINDOW_DAYS)]
    if not len(wide):
        return edges
    # only pairs spanning more than one window are split, each walked in date order (ties keep edge order)
    split = dated.loc[dated["node"].isin(wide)].sort_values(["node", "day"], kind="mergesort")
    window = pd.Timedelta(days=SCOPE_WINDOW_DAYS).value
    nodes = edges["round_id"].to_numpy(dtype=object, copy=True)
    node, start = None, None
    for row, name, day in zip(split.index.tolist(), split["node"].tolist(), split["day"].to_numpy().view("i8").tolist()):
        if name != node:
            node, start, label = name, None, None
        if start is None or day - start > window:
            start, label = day, f"{name}@{pd.Timestamp(day):%Y-%m-%d}"
        nodes[row] = label
    return edges.assign(round_id=nodes)


def _party_counts(actor_mentions: pd.DataFrame | pa.Table | None) -> pd.DataFrame | None:
    """(article_id, country, n): how often each article names each party (a state or group with a code); None when
    there are no actor mentions. An Arrow table (a step's file) is filtered and counted in Arrow, never taken whole
    to pandas."""
    if actor_mentions is None or not len(actor_mentions) or "country" not in _columns(actor_mentions):
        return None
    if isinstance(actor_mentions, pa.Table):
        keep = pc.and_(pc.is_valid(actor_mentions["country"]), pc.is_valid(actor_mentions["article_id"]))
        if "actor_type" in actor_mentions.column_names:  # (a missing type is no organisation nor outlet)
            types = actor_mentions["actor_type"].cast(pa.string())
            keep = pc.and_(keep, pc.invert(pc.is_in(types, value_set=pa.array(NOT_PARTIES))))
        counted = actor_mentions.filter(keep).group_by(["article_id", "country"]).aggregate([([], "count_all")])
        return counted.to_pandas().rename(columns={"count_all": "n"})
    named = actor_mentions.loc[actor_mentions["country"].notna()]
    if "actor_type" in named:
        named = named.loc[~named["actor_type"].isin(NOT_PARTIES)]
    return named.groupby(["article_id", "country"]).size().rename("n").reset_index()


def _columns(table: pd.DataFrame | pa.Table) -> list[str]:
    return table.column_names if isinstance(table, pa.Table) else list(table.columns)


def parties(actor_mentions: pd.DataFrame | None, dates: pd.Series | None = None) -> pd.DataFrame:
    """(article_id, node) edges from each article to every pair of its PRINCIPALS most-mentioned parties (states
    and groups, by their code; organisations and outlets left out): two articles share a node when two of their
    principal parties coincide ('RUS|UKR'), whatever else they mention."""
    counts = _party_counts(actor_mentions)
    if counts is None:
        return pd.DataFrame(columns=["article_id", "round_id"])
    top = counts.sort_values(["article_id", "n", "country"], ascending=[True, False, True])
    top = top.groupby("article_id").head(PRINCIPALS).sort_values(["article_id", "country"])
    # an article's codes in order, at most PRINCIPALS of them: its rows 1 .. PRINCIPALS - 1 further on that are
    # still its own are the later codes, so every pair (a < b) comes once, without a loop over articles
    article, code = top["article_id"].to_numpy(), top["country"].to_numpy()
    pairs = []
    for step in range(1, PRINCIPALS):
        same = article[:-step] == article[step:]
        pairs.append(pd.DataFrame({"article_id": article[:-step][same], "_a": code[:-step][same],
                                   "_b": code[step:][same]}))
    pairs = pd.concat(pairs, ignore_index=True).sort_values(["article_id", "_a", "_b"], ignore_index=True)
    edges = pd.DataFrame({"article_id": pairs["article_id"].astype(object),
                          "round_id": ("parties:" + pairs["_a"] + "|" + pairs["_b"]).astype(object)})
    return _windowed(edges, dates)


def negotiations(round_mentions: pd.DataFrame, actor_mentions: pd.DataFrame | None = None,
                 dates: pd.Series | None = None) -> pd.Series:
    """article_id -> negotiation label: connected components (union-find) of the graph joining each article to
    the rounds it mentions and to the pairs of its principal parties (so that two articles on one negotiation
    meet even when neither names a round; `dates` (article_dates) keeps articles far apart in time out of one
    negotiation unless they share a round)."""
    known = round_mentions.loc[round_mentions["round_id"].notna(), ["article_id", "round_id"]].drop_duplicates()
    known = pd.concat([known, parties(actor_mentions, dates)], ignore_index=True).drop_duplicates()
    # nodes are numbers: the articles first, then the rounds and party pairs
    article_codes, article_names = pd.factorize(known["article_id"].astype(str))
    round_codes, round_names = pd.factorize(known["round_id"].astype(str))
    first_round = len(article_names)
    parent = list(range(first_round + len(round_names)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, r in zip(article_codes.tolist(), (round_codes + first_round).tolist()):
        a, r = find(a), find(r)
        if a != r:
            parent[max(a, r)] = min(a, r)
    # a negotiation is named by its smallest round id: stable however rows are ordered or articles added
    names: dict[int, str] = {}
    for code in sorted(range(len(round_names)), key=round_names.__getitem__):
        names.setdefault(find(first_round + code), "negotiation:" + round_names[code])
    label = {name: names[find(code)] for code, name in enumerate(article_names)}
    articles = known["article_id"].drop_duplicates()
    return pd.Series({a: label[str(a)] for a in articles}, dtype=object)


def thing_ids(frame: pd.DataFrame, keys: list[str], round_col: str, value_col: str) -> tuple[pd.Series, pd.Series]:
    """(thing label, round of the thing) per row of `frame`; rows are grouped by `keys` (which hold the
    negotiation) and split into things as the module docstring says. The label is derived from the thing's
    smallest figure, never from row order.

    A thing spans at most SAME_THING_RATIO from its smallest to its largest figure (no chaining 35, 42, 50 ... into
    one). Figures are taken in ascending order, so a thing whose smallest figure is more than SAME_THING_RATIO below
    the current figure is closed for good (linear time). The rows are walked as plain lists, group by group."""
    value = pd.to_numeric(frame[value_col], errors="coerce")
    ordered = pd.DataFrame({"_v": value.to_numpy(), "article_id": frame["article_id"].to_numpy(),
                            "_r": frame[round_col].to_numpy()})
    order = ordered.sort_values(["_v", "article_id", "_r"], na_position="first", kind="mergesort").index.to_numpy()
    group = frame.groupby(keys, dropna=False, sort=False).ngroup().to_numpy()[order]
    by_group = np.argsort(group, kind="stable")  # each group's rows together, still in value order
    order, group = order[by_group], group[by_group]
    ends = (np.flatnonzero(np.diff(group)) + 1).tolist()
    values, articles = value.to_numpy()[order].tolist(), frame["article_id"].to_numpy()[order].tolist()
    rounds = frame[round_col].to_numpy()[order]
    rounds = np.where(pd.isna(rounds), None, rounds).tolist()
    labels: list = []
    thing_rounds: list = []
    for lo, hi in zip([0, *ends], [*ends, len(order)]):
        _things(values[lo:hi], rounds[lo:hi], articles[lo:hi], labels, thing_rounds)
    out_labels, out_rounds = np.empty(len(frame), dtype=object), np.empty(len(frame), dtype=object)
    out_labels[order], out_rounds[order] = labels, thing_rounds
    return pd.Series(out_labels, index=frame.index, dtype=object), pd.Series(out_rounds, index=frame.index, dtype=object)


ROUND, ROWS, MIN, MAX, ARTICLES, INDEX = range(6)  # a thing: [round, row positions, smallest and largest figure,
#                                                   figures by article, its place in creation order]


def _things(values: list, rounds: list, articles: list, labels: list, thing_rounds: list) -> None:
    """One group's rows, in ascending figure order (rows without a figure first), split into things; appends each
    row's thing label and round to `labels` and `thing_rounds`.

    A row without a figure joins the first thing of a compatible round: the first thing while it has no round (only
    the first can lack one: a row without a round makes a thing only when there is none), else the first thing of
    its round. A figure joins, of the open things with a figure and a compatible round, one within SAME_THING_RATIO
    of its smallest figure to which its article gave no other figure: the one whose largest figure is largest (the
    first made on a tie). Figures come in ascending order, so a thing's largest figure is the one it took last: the
    things, kept in the order they last took a figure (per round too), are in order of their largest figure, and
    the search stops at the first that fits (and those tied with it). Things are made in ascending order of their
    smallest figure, so those a growing figure closes are always the oldest: `open_from` only moves forward."""
    things: list[list] = []
    n, i = len(values), 0
    first_of_round: dict = {}
    while i < n and values[i] != values[i]:
        round_id = rounds[i]
        if things and (round_id is None or things[0][ROUND] is None):
            thing = things[0]
        else:
            thing = first_of_round.get(round_id)
        if thing is None:
            thing = [None, [], None, None, {}, len(things)]
            things.append(thing)
        if round_id is not None and thing[ROUND] is None:
            thing[ROUND] = round_id
            first_of_round.setdefault(round_id, thing)
        thing[ROWS].append(i)
        i += 1
    open_from = len(things)
    recent: OrderedDict = OrderedDict()  # open things with a figure, least recently joined first
    of_round: dict = {}  # round (None too) -> its things in that order
    for i in range(i, n):
        value, round_id, article = values[i], rounds[i], articles[i]
        while open_from < len(things) and not things[open_from][MIN] * SAME_THING_RATIO >= value:
            open_from += 1
        best = None
        for source in (recent,) if round_id is None else (of_round.get(round_id), of_round.get(None)):
            found = _latest_fit(source, open_from, value, article) if source else None
            if found is not None and (best is None or found[MAX] > best[MAX]
                                      or (found[MAX] == best[MAX] and found[INDEX] < best[INDEX])):
                best = found
        if best is None:
            best = [None, [], value, None, {}, len(things)]
            things.append(best)
        best[ARTICLES].setdefault(article, set()).add(value)
        best[MAX] = value
        k, was = best[INDEX], best[ROUND]
        if round_id is not None:
            best[ROUND] = round_id
        recent[k] = best
        recent.move_to_end(k)
        if was is None and best[ROUND] is not None and None in of_round:
            of_round[None].pop(k, None)
        joined = of_round.setdefault(best[ROUND], OrderedDict())
        joined[k] = best
        joined.move_to_end(k)
        best[ROWS].append(i)
    row_labels, row_rounds = [None] * n, [None] * n
    seen: dict[str, int] = {}
    for thing in things:  # named by round and smallest figure (numbered if two things share both)
        label = f"{thing[ROUND] or ''}|{'' if thing[MIN] is None else format(thing[MIN], 'g')}"
        seen[label] = seen.get(label, 0) + 1
        label += f"|{seen[label]}" if seen[label] > 1 else ""
        for row in thing[ROWS]:
            row_labels[row], row_rounds[row] = label, thing[ROUND]
    labels += row_labels
    thing_rounds += row_rounds


def _latest_fit(things: OrderedDict, open_from: int, value: float, article) -> list | None:
    """Of `things` (in order of their largest figure), the open one with the largest figure that `value` may join
    (on a tie, the first made); closed things met on the way are dropped."""
    found, closed = None, []
    for k, thing in reversed(things.items()):
        if k < open_from:
            closed.append(k)
            continue
        if found is not None and thing[MAX] != found[MAX]:
            break  # every thing further on has a smaller largest figure
        own = thing[ARTICLES].get(article)
        if own and not any(same_figure(value, v) for v in own):
            continue  # the article already gave this thing another figure: a second thing
        low, high = abs(value), abs(thing[MIN])
        if low > high:
            low, high = high, low
        if low != 0 and high / low <= SAME_THING_RATIO and (found is None or k < found[INDEX]):
            found = thing
    for k in closed:
        del things[k]
    return found


def same_figure(a: float, b: float) -> bool:
    return abs(a - b) <= CONFLICT_TOLERANCE * max(abs(a), abs(b))
