"""Round resolution, new rounds: unlinked mentions naming a place are clustered by place and date, and the rows of
the rounds table are built (a clustered round from its mentions, a known one from the reference)."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

import pandas as pd

from pipeline.ids import fold, stable_id
from pipeline.resolve.round_context import as_int, as_list, has_place, valid_day
from pipeline.resolve.round_reference import as_date


def is_pending(m: dict) -> bool:
    """Left unlinked, with no known round near it, naming a place: the makings of a new round."""
    return m["round_id"] is None and m["_new"] and m.get("reference") != "previous" and has_place(m)


def mention_day(m: dict, c: dict) -> date | None:
    start = as_date(m.get("date_start"))
    if start:
        return start
    month, day = as_int(m, "month"), as_int(m, "day")
    year = as_int(m, "year") or ((c["pub"] or c["estimated"]).year if (c["pub"] or c["estimated"]) else None)
    if month and day and year:
        return valid_day(year, month, day)
    return None


def cluster(ms: list[dict], ctx: dict) -> dict[str, list[dict]]:
    """Unlinked mentions that name a place: one new round per place and date (2 days apart at most).

    Mentions are taken in date order (undated last); each joins the earliest-made round of its place that starts
    within 2 days of it, or, undated, the earliest-made one holding a mention from the same article (or the
    place's only round). Rounds are indexed by place and first day, so each mention looks at a handful of them.
    """
    pending = [m for m in ms if is_pending(m)]
    clusters: dict[str, list[dict]] = {}
    made: dict[str, int] = {}  # round id -> order of making
    by_day: dict[str, dict[date, list[str]]] = defaultdict(lambda: defaultdict(list))  # place -> first day -> ids
    n_rounds: dict[str, int] = defaultdict(int)
    only: dict[str, str] = {}  # place -> its first round
    by_article: dict[tuple[str, str], list[str]] = defaultdict(list)  # (place, article) -> rounds holding it
    days = {id(m): mention_day(m, ctx[m["article_id"]]) for m in pending}
    for m in sorted(pending, key=lambda m: (days[id(m)] is None, days[id(m)] or date.min)):
        place = fold(m.get("city") or m.get("region") or m.get("country"))
        day = days[id(m)]
        if day:
            near = [cid for d in range(-2, 3) for cid in by_day[place].get(day + timedelta(days=d), [])]
        else:
            near = by_article.get((place, m["article_id"])) or ([only[place]] if n_rounds[place] == 1 else [])
        rid = min(near, key=made.get) if near else None
        if rid is None:
            rid = stable_id("round", place, day)
            if rid not in clusters:
                made[rid] = len(made)
                clusters[rid] = []
            n_rounds[place] += 1
            only.setdefault(place, rid)
            if day:
                by_day[place][day].append(rid)
        clusters[rid].append(m)
        if rid not in by_article[(place, m["article_id"])]:
            by_article[(place, m["article_id"])].append(rid)
        m["round_id"] = rid
    return clusters


def _mode(values):
    values = [v for v in values if v is not None and v != "unknown" and not (isinstance(v, float) and pd.isna(v))]
    return Counter(values).most_common(1)[0][0] if values else None


def new_round(rid: str, group: list[dict], ctx: dict) -> dict:
    days = sorted(d for m in group if (d := mention_day(m, ctx[m["article_id"]])))
    place = _mode(m.get("city") or m.get("region") or m.get("country") for m in group)
    return {
        "round_id": rid, "label": f"Talks in {place}" + (f", {days[0].isoformat()}" if days else ""),
        "date_start": days[0] if days else None, "date_end": days[-1] if days else None,
        "date_precision": "day" if days else "unknown",
        "city": _mode(m.get("city") for m in group), "venue": _mode(m.get("venue") for m in group),
        "country": _mode(m.get("country") for m in group), "host": _mode(m.get("host") for m in group),
        "format": _mode(m.get("format") for m in group) or "unknown",
        "ordinal": _mode(as_int(m, "ordinal") for m in group),
        "duration_minutes": _mode(m.get("duration_minutes") for m in group),
        "parties": sorted({p for m in group for p in as_list(m.get("parties"))}),
        "delegation_heads": sorted({h for m in group for h in as_list(m.get("delegation_heads"))}),
        "in_reference": False, "series": None,
    }


def known_round(r: dict) -> dict:
    return {"round_id": r["id"], "label": r.get("label"), "date_start": r["date_start"], "date_end": r["date_end"],
            "date_precision": "day" if r["date_start"] else "unknown", "city": r.get("city"),
            "venue": r.get("venue"), "country": r.get("country"), "host": r.get("host"),
            "format": r.get("format") or "unknown", "ordinal": r.get("ordinal"),
            "duration_minutes": r.get("duration_minutes"), "parties": list(r.get("parties") or []),
            "delegation_heads": list(r.get("delegation_heads") or []), "in_reference": True,
            "series": r.get("series")}
