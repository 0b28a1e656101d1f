"""Round resolution, new rounds: unlinked mentions naming a place are clustered by place and date, and the rows of
the rounds table are built (a clustered round from its mentions, a known one from the reference)."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

import pandas as pd

from pipeline.ids import fold, stable_id
from pipeline.resolve.round_context import (JOIN_DAYS, ROUND_DAYS, as_int, as_list, has_place, mention_day,
                                            reported)
from pipeline.resolve.round_reference import as_date
from pipeline.resolve.round_scoring import RECENT_DAYS

JOIN = timedelta(days=JOIN_DAYS)
MAX_RANGE = timedelta(days=62)  # a longer "range" of days is no one round of talks


def is_pending(m: dict) -> bool:
    """Left unlinked, with no known round near it, naming a place: the makings of a new round."""
    return m["round_id"] is None and m["_new"] and m.get("reference") != "previous" and has_place(m)


def may_join(m: dict) -> bool:
    """Left unlinked, dated to the day, reported, without a place but with its parties: it may mean a new round
    of those parties on that day that other articles place ('the leaders of both countries agreed late on
    Saturday after ten hours of talks')."""
    return m["round_id"] is None and reported(m) and not has_place(m) and bool(as_list(m.get("parties"))) and \
        (m.get("date_precision") == "day" or m.get("weekday") is not None)


def join_by_parties(ms: list[dict], ctx: dict, new: dict) -> None:
    """Link each `may_join` mention to the one new round whose days it falls within (JOIN_DAYS either side) and
    whose parties include one of its own; with none or several, it stays unlinked."""
    # The dated new rounds by party, each with its days widened by JOIN: a mention looks up its own parties instead
    # of testing every new round (the same rounds fit; only how many distinct ones matters).
    by_party: dict[str, list[tuple]] = defaultdict(list)
    for rid, r in new.items():
        if r["date_start"]:
            for party in set(r["parties"]):
                by_party[party].append((r["date_start"] - JOIN, r["date_end"] + JOIN, rid))
    for m in ms:
        if not may_join(m) or (day := mention_day(m, ctx[m["article_id"]])) is None:
            continue
        fits = {rid for party in set(as_list(m.get("parties"))) for low, high, rid in by_party.get(party, ())
                if low <= day <= high}
        if len(fits) == 1:
            m["round_id"] = fits.pop()


def _place_key(m: dict) -> str:
    """Rounds are made per country (a city, region or venue of it is an attribute): 'talks in Kenya' and
    'talks in Nairobi' on the same days are one round."""
    return m.get("country") or fold(m.get("city") or m.get("region") or m.get("venue") or "")


class _Rounds:
    """The new rounds being made: per place, in the order they were made, with their days and articles."""

    def __init__(self):
        self.members: dict[str, list[dict]] = {}
        self.info: dict[str, dict] = {}
        self.at: dict[str, list[str]] = defaultdict(list)  # place -> round ids, in making order
        self.live: dict[str, list[str]] = defaultdict(list)  # the same, less those no later day continues (`next_to`)

    def add(self, rid: str, m: dict, day: date | None) -> None:
        if rid not in self.members:
            self.members[rid] = []
            self.info[rid] = {"first": day, "last": day, "articles": set(), "cities": set(), "parties": set(),
                              "months": set()}
            self.at[_place_key(m)].append(rid)
            self.live[_place_key(m)].append(rid)
        r = self.info[rid]
        if day:
            r["first"], r["last"] = min(r["first"], day), max(r["last"], day)
            r["months"] = {(r["first"].year, r["first"].month), (r["last"].year, r["last"].month)}
        r["articles"].add(m["article_id"])
        if m.get("city"):
            r["cities"].add(m["city"])
        r["parties"].update(as_list(m.get("parties")))  # every member's parties, kept as members join
        self.members[rid].append(m)
        m["round_id"], m["_day"] = rid, day

    def near(self, m: dict, day: date) -> str | None:
        """The earliest-made round of the mention's place that its day continues (within JOIN_DAYS of the
        round's days), or that holds its article's talks within ROUND_DAYS."""
        for rid in self.at[_place_key(m)]:
            r = self.info[rid]
            if r["first"] - JOIN <= day <= r["last"] + JOIN or \
                    (m["article_id"] in r["articles"] and abs((day - r["first"]).days) <= ROUND_DAYS):
                if self._same_city(m, r):
                    return rid
        return None

    def next_to(self, m: dict, day: date) -> str | None:
        """`near` for mentions taken in date order (no day earlier than one asked before): a round whose last day
        plus JOIN_DAYS and first day plus ROUND_DAYS are both before `day` fits neither test of `near`, now or for
        any later day (only a mention that fits it moves its days), so it leaves the place's live list."""
        live, kept, found = self.live[_place_key(m)], [], None
        for at, rid in enumerate(live):
            r = self.info[rid]
            if day > r["last"] + JOIN and (day - r["first"]).days > ROUND_DAYS:
                continue
            kept.append(rid)
            if (r["first"] - JOIN <= day <= r["last"] + JOIN or
                    (m["article_id"] in r["articles"] and abs((day - r["first"]).days) <= ROUND_DAYS)) \
                    and self._same_city(m, r):
                found = rid
                kept += live[at + 1:]
                break
        self.live[_place_key(m)] = kept
        return found

    @staticmethod
    def _same_city(m: dict, r: dict) -> bool:
        return not m.get("city") or not r["cities"] or m["city"] in r["cities"]

    def undated(self, m: dict, c: dict) -> str | None:
        """The round an undated mention means: one in the month it names, else its article's (nearest the article's
        date), else the latest of its place that ended within RECENT_DAYS before the article's date."""
        # Talks in one city between other parties are another negotiation (Doha hosts several at once): an undated
        # mention naming its parties joins no round whose parties are all different. (The mention's city and
        # parties are read once, not once per round of its place.)
        city, own, info = m.get("city"), set(as_list(m.get("parties"))), self.info

        def fits(rid: str) -> bool:  # tested after the cheaper test of each branch; the same rounds, in order
            r = info[rid]
            return (not city or not r["cities"] or city in r["cities"]) and \
                (not own or not r["parties"] or bool(own & r["parties"]))
        rounds = self.at[_place_key(m)]
        pub = c["pub"] or c["estimated"]
        month, year = as_int(m, "month"), as_int(m, "year") or (pub.year if pub else None)
        if month and year:  # "months": the (year, month) of the round's first and last days, kept by `add`
            return next((rid for rid in rounds if (year, month) in info[rid]["months"] and fits(rid)), None)
        aid = m["article_id"]
        own_rounds = [rid for rid in rounds if aid in info[rid]["articles"] and fits(rid)]
        if own_rounds:  # the article's round nearest its date: the one it reports, not one it recalls
            return min(own_rounds, key=lambda rid: abs((info[rid]["first"] - pub).days) if pub else 0)
        if pub:
            recent = [rid for rid in rounds if info[rid]["first"] <= pub + JOIN
                      and (pub - info[rid]["last"]).days <= RECENT_DAYS and fits(rid)]
            return max(recent, key=lambda rid: info[rid]["first"], default=None)
        return None


def cluster(ms: list[dict], ctx: dict) -> dict[str, list[dict]]:
    """Unlinked mentions that name a place: new rounds by place and day, never an undated one.

    Dated mentions are taken in date order; each joins a round of its place that its day continues (or that holds
    its article's talks), else makes one. An undated mention then joins the round of its place it most likely
    means (`_Rounds.undated`); failing that, the talks an article reports happened on its story's day
    (`story_day`), else the mention stays unlinked."""
    pending = [m for m in ms if is_pending(m)]
    made = _Rounds()
    days = {id(m): mention_day(m, ctx[m["article_id"]]) for m in pending}
    for m in sorted((m for m in pending if days[id(m)]), key=lambda m: days[id(m)]):
        day = days[id(m)]
        made.add(made.next_to(m, day) or stable_id("round", _place_key(m), day), m, day)
    undated = [m for m in pending if not days[id(m)]]
    for m in sorted(undated, key=lambda m: ctx[m["article_id"]]["pub"] or ctx[m["article_id"]]["estimated"]
                    or date.max):
        c = ctx[m["article_id"]]
        rid = made.undated(m, c)
        if rid is not None:
            made.add(rid, m, None)
        elif (day := c.get("story_day")) and reported(m) and not as_int(m, "month"):
            made.add(made.near(m, day) or stable_id("round", _place_key(m), day), m, day)
    return made.members


def _mode(values):
    values = [v for v in values if v is not None and v != "unknown" and not (isinstance(v, float) and pd.isna(v))]
    return Counter(values).most_common(1)[0][0] if values else None


def _last_day(m: dict) -> date:
    """A mention's last day: the end of its own range of days ("from May 6 to May 20"), else its day."""
    end = as_date(m.get("date_end"))
    ranged = (m.get("date_precision") in (None, "day") and as_date(m.get("date_start")) == m["_day"]
              and end is not None and timedelta(0) < end - m["_day"] <= MAX_RANGE)
    return end if ranged else m["_day"]


def new_round(rid: str, group: list[dict], ctx: dict) -> dict:
    days = sorted(d for m in group if m.get("_day") for d in (m["_day"], _last_day(m)))
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
