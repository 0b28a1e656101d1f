"""Round resolution, the reference data: the documented rounds (rounds.yaml) and the periods actors held roles."""
from __future__ import annotations

import calendar
import functools
from collections import defaultdict
from datetime import date

import pandas as pd

from pipeline.ids import fold
from pipeline.reference import load_reference


def as_date(value) -> date | None:
    if value is None or (not isinstance(value, (list, str, date)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def known_rounds() -> list[dict]:
    """The documented rounds, dates parsed."""
    rounds = []
    for r in load_reference("rounds")["rounds"]:
        start = as_date(r["date_start"])
        rounds.append(dict(r, date_start=start, date_end=as_date(r.get("date_end")) or start))
    return rounds


def _period_bound(value, end: bool) -> date | None:
    """A role's from/to: an ISO date, or a month or year taken at its first (or last) day."""
    if isinstance(value, date):
        return value
    parts = str(value or "").split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else (12 if end else 1)
        day = int(parts[2]) if len(parts) > 2 else (calendar.monthrange(year, month)[1] if end else 1)
        return date(year, month, day)
    except (ValueError, IndexError):
        return None


@functools.lru_cache(maxsize=None)
def role_periods() -> dict[tuple[str, str], list[tuple[date | None, date | None]]]:
    """(actor_id, role) -> the periods the actor held the role, from actors.yaml where it gives them."""
    try:
        data = load_reference("actors")
    except FileNotFoundError:
        return {}
    entries = data.get("actors", []) if isinstance(data, dict) else data
    periods: dict = defaultdict(list)
    for a in entries or []:
        aid = a.get("id") or a.get("actor_id")
        for r in a.get("roles") or []:
            if not isinstance(r, dict) or not r.get("role"):
                continue
            start = _period_bound(next((r[k] for k in ("from", "start", "date_start") if r.get(k)), None), False)
            end = _period_bound(next((r[k] for k in ("to", "end", "date_end") if r.get(k)), None), True)
            if start or end:
                periods[(aid, fold(r["role"]))].append((start, end))
    return dict(periods)
