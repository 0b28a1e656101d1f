"""Round resolution, the linking passes: mentions with cues of their own are linked to the known round they fit
best; ties, definite mentions and 'next'/'previous' rounds then follow the article's main round."""
from __future__ import annotations

from collections import Counter, defaultdict

from pipeline.resolve.round_context import as_int, round_days, has_place, lend_places, own_anchors, weak_anchors
from pipeline.resolve.round_dates import estimate
from pipeline.resolve.round_reference import as_date
from pipeline.resolve.round_scoring import MARGIN, THRESHOLD, candidates, formats_agree, known_view


def _link_known(ms: list[dict], known: list[dict], ctx: dict) -> None:
    """Set `round_id` (or the tied `_tied` ids) on mentions with cues of their own."""
    known = known_view(known)  # each round's days and names worked out once per pass
    for m in ms:
        m["round_id"], m["_tied"], m["link_score"], m["_new"] = None, [], None, False
        if m.get("kind") != "round" or not own_anchors(m):
            continue
        cands = candidates(m, known, ctx[m["article_id"]])
        if not cands or cands[0][0] < THRESHOLD:
            m["_new"] = not any(s > 0 for s, _ in cands)
            continue
        best = cands[0][0]
        m["link_score"] = best
        if len(cands) == 1 or best - cands[1][0] >= MARGIN:
            m["round_id"] = cands[0][1]["id"]
        else:
            m["_tied"] = [r["id"] for s, r in cands if best - s < MARGIN]


def _main_round(ms: list[dict], scores: dict) -> str | None:
    """The round an article is about: the most linked one outside planned or past references."""
    votes = Counter(m["round_id"] for m in ms if m["round_id"] and m.get("tense") != "planned"
                    and m.get("reference") != "previous")
    votes = votes or Counter(m["round_id"] for m in ms if m["round_id"])
    if not votes:
        return None
    return max(votes, key=lambda rid: (votes[rid], scores.get(rid, 0)))


def _neighbours(info: dict) -> dict[str, tuple[str | None, str | None]]:
    """round id -> (previous, next) round of the same series, by date."""
    series: dict[str, list[dict]] = defaultdict(list)
    for r in info.values():
        if r.get("series"):
            series[r["series"]].append(r)
    out = {}
    for rounds in series.values():
        rounds = sorted(rounds, key=lambda x: x["date_start"])
        for i, r in enumerate(rounds):
            out[r["id"]] = (rounds[i - 1]["id"] if i else None, rounds[i + 1]["id"] if i + 1 < len(rounds) else None)
    return out


def _same_format(m: dict, r: dict) -> bool:
    """Online or phone talks are not an in-person round, and the other way round."""
    return formats_agree(m.get("format"), r.get("format"))



def _same_days(m: dict, main: dict) -> bool:
    """A mention dated to a day (not planned) names other talks than a round it falls outside of."""
    day = as_date(m.get("date_start")) if m.get("date_precision") == "day" else None
    days = round_days(main) if main.get("date_start") else ()
    return not day or not days or m.get("tense") == "planned" or any(abs((d - day).days) <= 1 for d in days)


def _fits(m: dict, main: dict) -> bool:
    """A mention with cues of its own may still mean the main round if none of them contradicts it."""
    ordinal, country = as_int(m, "ordinal"), m.get("country")
    if not _same_days(m, main):
        return False
    return (not ordinal or not main.get("ordinal") or ordinal == main["ordinal"]) and \
        (not country or not main.get("country") or country == main["country"]) and _same_format(m, main)


def link_rest(ms: list[dict], info: dict) -> None:
    """Ties, definite mentions and 'next'/'previous' rounds follow the article's main round."""
    by_article: dict[str, list[dict]] = defaultdict(list)
    for m in ms:
        by_article[m["article_id"]].append(m)
    neighbours = _neighbours(info)
    for group in by_article.values():
        scores = Counter()
        for m in group:
            if m["round_id"]:
                scores[m["round_id"]] += m["link_score"] or 0
        main = _main_round(group, scores)
        if main is None:
            continue
        for m in group:
            if m["round_id"] or m.get("kind") != "round":
                continue
            if m["_tied"]:
                m["round_id"] = main if main in m["_tied"] else None
            elif m.get("reference") in ("next", "previous"):
                if m.get("definiteness") == "definite" or m.get("ordinal"):
                    m["round_id"] = neighbours.get(main, (None, None))[m["reference"] == "next"]
            elif own_anchors(m):
                if _fits(m, info.get(main, {})) and not (m["_new"] and has_place(m)):
                    m["round_id"] = main
            elif m.get("definiteness") == "definite" or weak_anchors(m):
                m["round_id"] = main



def link_articles(ms: list[dict], ctx: dict, known: list[dict], by_id: dict) -> None:
    """Both passes over the mentions of whole articles (each article's links depend on that article alone)."""
    by_article: dict[str, list[dict]] = defaultdict(list)
    for m in ms:
        by_article[m["article_id"]].append(m)
    _link_known(ms, known, ctx)
    for aid, group in by_article.items():
        c = ctx[aid]
        c["after"] = {by_id[m["round_id"]]["date_start"] for m in group
                      if m["round_id"] and m.get("reference") == "previous"}
        if c["pub"] is None:
            c["estimated"], c["basis"] = estimate(group, c, by_id)
    # Linked again where the first pass changed the article's context (rounds it calls past, an estimated date);
    # elsewhere the second pass would give the same links.
    _link_known([m for m in ms if ctx[m["article_id"]]["after"] or ctx[m["article_id"]]["estimated"]], known, ctx)
    link_rest(ms, by_id)
    for aid, group in by_article.items():
        if not any(m["round_id"] for m in group):
            lend_places(group, ctx[aid])
