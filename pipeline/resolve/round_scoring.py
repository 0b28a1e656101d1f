"""Round resolution, scoring: how well a mention (and its article) fits one known round."""
from __future__ import annotations

from datetime import date, timedelta

from pipeline.ids import fold
from pipeline.resolve.round_context import as_int, round_days, valid_day
from pipeline.resolve.round_reference import as_date, role_periods

THRESHOLD = 3.0  # a link needs this much evidence ...
MARGIN = 1.0     # ... and this lead over the next candidate, else the article's main round decides
RECENT_DAYS = 31  # a round this close before the article's date counts as recent
ONGOING_DAYS = 3  # talks reported as going on ended at most this long before the article's date

# Evidence weights: what each agreeing (or contradicting) cue adds to a mention's fit with a round.
W_VENUE, W_CITY, W_REGION, W_COUNTRY = 3.0, 2.0, 2.0, 1.5
W_ARTICLE_COUNTRY, W_OTHER_COUNTRY = 1.0, -1.5  # the article's talks elsewhere in the same (another) country
W_DAY, W_PLANNED_OTHER_DAY, W_MONTH, W_YEAR = 4.0, -2.0, 2.0, 1.0
W_WEEKDAY, W_OTHER_WEEKDAY = 1.0, -1.0
W_HEAD, MAX_HEADS = 1.5, 2  # per delegation head of the round the article names
W_ROLE_HELD, W_ROLE_NOT_HELD = 1.0, -2.0  # a dated role of the article's people held (or not) on the round's day
W_ORDINAL, W_OTHER_ORDINAL, W_UNNUMBERED = 2.5, -2.5, -0.5
W_REMOTE_FORMAT, W_DURATION = 1.5, 0.5
DURATION_RATIO = (0.6, 1.6)  # a reported length within this ratio of the round's agrees
W_NOT_AFTER_PAST = -2.0  # the article's round comes after a round it calls past
W_LATEST, W_RECENT = 1.5, 1.0
# An undated mention (say "the second phase of talks") in an article whose own talks are dated to days a known
# round does not cover is not evidence for that round: ordinals and well-known officials recur across negotiations.
W_OTHER_ARTICLE_DAYS = -3.0


class _Cues:
    """What scoring reads of a mention and its article's date, worked out once per mention rather than once for
    every round it is scored against."""

    __slots__ = ("venue", "city", "region", "country", "planned", "ongoing", "start", "month", "day", "year",
                 "after_year", "after_month", "after_bound", "weekday", "pub", "latest_day", "ended_by", "ordinal",
                 "format", "duration", "previous")

    def __init__(self, m: dict, c: dict):
        self.venue = fold(m["venue"]) if m.get("venue") else None
        self.city = fold(m["city"]) if m.get("city") else None
        self.region = fold(m["region"]) if m.get("region") else None
        self.country = m.get("country")
        self.planned, self.ongoing = m.get("tense") == "planned", m.get("tense") == "ongoing"
        start = as_date(m.get("date_start"))
        self.start = start if start and m.get("date_precision") == "day" else None
        self.month, self.day, self.year = as_int(m, "month"), as_int(m, "day"), as_int(m, "year")
        self.after_year, self.after_month = as_int(m, "after_year"), as_int(m, "after_month")
        self.after_bound = (valid_day(self.after_year, self.after_month or 1, 1) or date.min) if self.after_year else None
        weekday = m.get("weekday")
        self.weekday = int(weekday) if weekday is not None else None
        self.pub = c["pub"] or c["estimated"]
        self.latest_day = self.pub + timedelta(days=1) if self.pub else None
        self.ended_by = self.pub - timedelta(days=ONGOING_DAYS) if self.pub else None
        self.ordinal = as_int(m, "ordinal")
        self.format, self.duration = m.get("format"), m.get("duration_minutes")
        self.previous = m.get("reference") == "previous"


class Known:
    """What scoring reads of a known round, worked out once per linking pass rather than once for every mention
    scored against it: its folded place names, and its days as sets, so that "some day of the round is within a
    day of the mention's" or "has the mention's month and day" is one set lookup (the same answer as testing each
    day; tests/test_round_speedups.py)."""

    __slots__ = ("r", "venue", "city", "region", "country", "days", "near", "md", "ymd", "ym", "years", "weekdays")

    def __init__(self, r: dict):
        self.r = r
        # None when the round has no such name, else its folded form (which may be empty)
        self.venue, self.city, self.region = (fold(r[k]) if r.get(k) else None for k in ("venue", "city", "region"))
        self.country = r.get("country")
        self.days = days = round_days(r)
        self.near = {d + timedelta(days=k) for d in days for k in (-1, 0, 1)}
        self.md = {(d.month, d.day) for d in days}
        self.ymd = {(d.year, d.month, d.day) for d in days}
        self.ym = {(d.year, d.month) for d in days}
        self.years = {d.year for d in days}
        self.weekdays = {d.weekday() for d in days}


def _place_score(q: _Cues, k: Known, c: dict) -> float | None:
    s = 0.0
    if q.venue:
        if k.venue is not None and k.venue != q.venue:
            return None
        s += W_VENUE if k.venue is not None else 0
    if q.city:
        if k.city is not None and k.city != q.city:
            return None
        s += W_CITY if k.city is not None else 0
    if q.region and k.region is not None and k.region == q.region:
        s += W_REGION
    if q.country:
        if k.country != q.country:
            return None
        s += W_COUNTRY
    elif c["countries"]:
        s += W_ARTICLE_COUNTRY if k.country in c["countries"] else W_OTHER_COUNTRY
    return s


def _date_score(q: _Cues, k: Known) -> float | None:
    days = k.days
    month, day, year = q.month, q.day, q.year
    s = 0.0
    if q.start:
        if q.start in k.near:  # a day of the round within a day of the mention's
            s += W_DAY
        elif q.planned:
            s += W_PLANNED_OTHER_DAY
        else:
            return None
    elif month and day:
        if ((month, day) in k.md) if year is None else ((year, month, day) in k.ymd):
            s += W_DAY
        elif not q.planned:
            return None
    elif month and year:
        if (year, month) not in k.ym:
            return None
        s += W_MONTH
    elif year:
        if year not in k.years:
            return None
        s += W_YEAR
    if q.after_year and days:
        if days[-1] < q.after_bound or (days[0].year, days[0].month) <= (q.after_year, q.after_month or 0):
            return None
    if q.weekday is not None and days:
        s += W_WEEKDAY if q.weekday in k.weekdays else (0 if q.planned else W_OTHER_WEEKDAY)
    if q.pub and days and not q.planned and days[0] > q.latest_day:
        return None
    if q.pub and days and q.ongoing and days[-1] < q.ended_by:
        return None  # talks still going on cannot have ended well before the (earliest possible) date
    return s


def _people_score(r: dict, c: dict) -> float:
    """Depends on the round and the article only, so it is kept per article."""
    memo = c.setdefault("_people_scores", {})
    if r["id"] not in memo:
        memo[r["id"]] = _people_score_of(r, c)
    return memo[r["id"]]


def _people_score_of(r: dict, c: dict) -> float:
    s = W_HEAD * min(MAX_HEADS, len(set(r.get("delegation_heads") or []) & (c["people"] | c["heads"])))
    periods = role_periods()
    for actor, role in c["roles"]:
        held = periods.get((actor, role))
        if held and r["date_start"]:
            inside = any((a is None or a <= r["date_start"]) and (b is None or r["date_start"] <= b) for a, b in held)
            s += W_ROLE_HELD if inside else W_ROLE_NOT_HELD
    return s


def _score(q: _Cues, k: Known, c: dict) -> float | None:
    r = k.r
    place = _place_score(q, k, c)
    when = _date_score(q, k) if place is not None else None
    if when is None:
        return None
    s = place + when + _people_score(r, c)
    if q.ordinal:
        s += W_ORDINAL if r.get("ordinal") == q.ordinal else (W_OTHER_ORDINAL if r.get("ordinal") else W_UNNUMBERED)
    if not formats_agree(q.format, r.get("format")):
        return None
    if q.format in ("online", "phone"):
        s += W_REMOTE_FORMAT
    duration = q.duration
    if duration and r.get("duration_minutes") and DURATION_RATIO[0] <= duration / r["duration_minutes"] <= DURATION_RATIO[1]:
        s += W_DURATION
    if not q.start and not q.month and c.get("talk_days") and not _covers(k, c["talk_days"]):
        s += W_OTHER_ARTICLE_DAYS
    for earlier in c["after"]:  # the article's round comes after a round it calls past
        if not q.previous and r["date_start"] <= earlier:
            s += W_NOT_AFTER_PAST
    return s


def _covers(k: Known, talk_days: set) -> bool:
    return not k.days or any(t in k.near for t in talk_days)


def _recency(scored: list[tuple[float, dict]], m: dict, c: dict) -> list[tuple[float, dict]]:
    """News reports recent rounds: with a (known or estimated) date, favour the latest round before it."""
    pub = c["pub"] or c["estimated"]
    if not pub or m.get("tense") == "planned" or m.get("reference") == "previous" or not scored:
        return scored
    latest = max((r["date_start"] for _, r in scored if r["date_start"] <= pub), default=None)
    out = []
    for s, r in scored:
        if r["date_start"] == latest and (m.get("reference") == "latest" or m.get("tense") == "ongoing"):
            s += W_LATEST
        if c["pub"] and 0 <= (c["pub"] - (r["date_end"] or r["date_start"])).days <= RECENT_DAYS:
            s += W_RECENT
        out.append((s, r))
    return out


def candidates(m: dict, known: list[dict] | list[Known], c: dict) -> list[tuple[float, dict]]:
    """The known rounds the mention may mean, best first, with their scores (`known` as dicts or as `Known`)."""
    q = _Cues(m, c)
    known = known if known and isinstance(known[0], Known) else known_view(known)
    scored = [(s, k.r) for k in known if (s := _score(q, k, c)) is not None]
    return sorted(_recency(scored, m, c), key=lambda sr: -sr[0])



def known_view(known: list[dict]) -> list[Known]:
    return [Known(r) for r in known]


def formats_agree(fmt: str | None, other: str | None) -> bool:
    if fmt in (None, "unknown") or other in (None, "unknown"):
        return True
    return fmt == other or "online" not in (fmt, other) and "phone" not in (fmt, other)
