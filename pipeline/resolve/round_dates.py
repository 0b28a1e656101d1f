"""Round resolution, date estimation: an undated article's date from the rounds it links and the dates it gives."""
from __future__ import annotations

from datetime import date

from pipeline.resolve.round_context import valid_day
from pipeline.resolve.round_reference import as_date


def _pin_year(ms: list[dict], c: dict, by_id: dict) -> int | None:
    years = [by_id[m["round_id"]]["date_start"].year for m in ms if m["round_id"] in by_id]
    years += [int(d["year"]) for d in c["dates"] if d.get("year") and not d.get("relative")]
    return max(years) if years else None



def estimate(ms: list[dict], c: dict, by_id: dict) -> tuple[date | None, str | None]:
    """The latest day the article speaks of as past: a linked round, or the latest date it gives."""
    best: tuple[date, str] | None = None
    for m in ms:
        r = by_id.get(m["round_id"])
        if r and m.get("tense") != "planned":
            d = r["date_end"] or r["date_start"]
            if best is None or d > best[0]:
                best = (d, f"after round {r['id']} ({m.get('surface')!r})")
    year = _pin_year(ms, c, by_id)
    for d in c["dates"]:
        end = as_date(d.get("date_end"))
        if end is None and year and d.get("month"):
            end = valid_day(year, int(d["month"]), int(d["day"]) if d.get("day") else None)
        if end and (best is None or end > best[0]):
            best = (end, f"latest date mentioned ({d.get('text')!r})")
    return best if best else (None, None)
