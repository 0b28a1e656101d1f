"""Round mentions: one row per sentence that speaks of a meeting or round of talks, with its cues.

The cues (place, date, ordinal, format, tense, delegation heads...) are read here, sentence by
sentence; which round a mention means is decided across articles in `pipeline/resolve/rounds.py`.
Words come from `round_terms.yaml`, places from `places.yaml` and pycountry. Matching runs on a
folded copy of the text that keeps every character's offset (lower case, accents stripped).
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict

import pycountry

from pipeline.ids import stable_id
from pipeline.nlp.document import ParsedArticle, Sentence
from pipeline.reference import load_reference

PREPOSITION = re.compile(r"\b(?:in|at|near|outside|to)\s+((?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})")
CAPITALISED = re.compile(r"(?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}")
HEAD_ROLE = re.compile(r"\bhead\b.*\bdelegations?\b|\bdelegations?\b.*\bhead\b|\bchief negotiator\b")
LEADS_DELEGATION = re.compile(r"\b(?:lead|leads|leading|led|head|heads|heading|headed)\b[^.]{0,40}\bdelegations?\b"
                              r"|\bdelegations?\b[^.]{0,20}\b(?:led|headed)\s+by\b")
CLAUSE_BREAK = re.compile(r"[,;:()\u2014\u2013\u201c\u201d\"]|\s(?:but|while|whereas|although|though)\s")
SPEECH = re.compile(r"\b(?:said|says|told|announced|stated|tweeted|wrote|added|reported)\b[^.]{0,15}$")
#: the keys of every row, in order
COLUMNS = ["mention_id", "article_id", "sentence_id", "paragraph_id", "start", "end", "surface", "kind",
           "definiteness", "date_text", "date_start", "date_end", "date_precision", "year", "month", "day",
           "weekday", "after_year", "after_month", "ordinal", "city", "venue", "region", "country", "host",
           "format", "duration_minutes", "delegation_heads", "people", "parties", "tense", "reference"]
WINDOW = 60  # characters before a cue that are read with it ("since ... <date>", "<verb> in <place>")


def flat(text: str) -> str:
    """Lower case without accents, one character for one: offsets into it are offsets into `text`."""
    if text.isascii():  # no accents, and ASCII lower case maps one character to one
        return text.lower()
    return "".join(unicodedata.normalize("NFKD", ch)[:1].lower()[:1] or " " for ch in text)


def _words(words) -> re.Pattern:
    alternation = "|".join(re.escape(flat(w)).replace(r"\ ", r"\s+")
                           for w in sorted(set(words), key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])")


@functools.lru_cache(maxsize=None)
def terms() -> dict:
    t = load_reference("round_terms")
    numbers = {**load_reference("claims")["number_words"], **t["duration_articles"]}
    weekdays = sorted(load_reference("dates")["weekdays"], key=load_reference("dates")["weekdays"].get)
    out = {
        "keyword": _words(t["keywords"]),
        "verb_or_keyword": _words(list(t["keywords"]) + list(t["meeting_verbs"])),
        "meeting_verb": _words(t["meeting_verbs_alone"]),
        "ordinal": re.compile(rf"(?<![\w-])({'|'.join(map(re.escape, t['ordinals']))})(?![\w-])"
                              rf"(?:\W+[\w-]+){{0,3}}?\W+(?:{_words(t['ordinal_heads']).pattern})"),
        "ordinals": {flat(k): int(v) for k, v in t["ordinals"].items()},
        "formats": {fmt: _words(ws) for fmt, ws in t["formats"].items()},
        "tense": {tense: _words(ws) for tense, ws in t["tense"].items()},
        "references": {ref: _words(ws) for ref, ws in t["references"].items()},
        "anaphora": {flat(w) for w in t["anaphora"]},
        "host": re.compile(rf"(?:{_words(t['host_cues']).pattern})\s+"),
        "leader": _words(t["leader_words"]),
        "not_a_round": _words(t["not_a_round"]),
        "since": _words(t["since_cues"]),
        "weekday": _words(weekdays),
        "weekdays": [flat(w) for w in weekdays],
        "duration": re.compile(rf"(?<![\w-])(\d+(?:\.\d+)?|{_words(numbers).pattern})\s+"
                               rf"({'|'.join(t['durations'])})(?![\w-])"),
        "numbers": numbers,
        "units": {k: float(v) for k, v in t["durations"].items()},
    }
    return out


@functools.lru_cache(maxsize=None)
def gazetteer() -> dict:
    """Aliases -> place entries (free-standing and metonymic) and country names -> ISO3."""
    data = load_reference("places")
    free, metonyms = {}, {}
    for place in data["places"]:
        for alias in [place["name"], *place.get("aliases", [])]:
            (metonyms if place.get("metonym") else free)[flat(alias)] = place
    countries = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            if getattr(c, attr, None):
                countries[flat(getattr(c, attr))] = c.alpha_3
    for entry in data.get("countries", []):
        for alias in entry["aliases"]:
            countries[flat(alias)] = entry["code"]
    return {"free": free, "free_re": _words(free), "metonyms": metonyms, "countries": countries}


def _country_of(name: str) -> str | None:
    countries = gazetteer()["countries"]
    words = [w.strip(".,;:'’") for w in flat(name).split()]
    for n in range(len(words), 0, -1):  # longest prefix: "Saudi Arabia and ..." -> "saudi arabia"
        for k in (" ".join(words[:n]), " ".join(words[1:n]) if words[0] == "the" else None):
            if k and k in countries:
                return countries[k]
    return None


def _place(text: str, low: str) -> dict:
    """The most specific place the sentence names as where a meeting is: venue > region/city > country."""
    g = gazetteer()
    found: list[tuple[int, int, dict]] = []
    rank = {"venue": 0, "region": 1, "city": 1}
    for m in g["free_re"].finditer(low):
        entry = g["free"][m.group()]
        found.append((rank.get(entry["kind"], 2), m.start(), entry))
    for m in PREPOSITION.finditer(text):
        if not terms()["verb_or_keyword"].search(low, max(0, m.start() - WINDOW), m.start()):
            continue
        name = m.group(1)
        key = flat(name).strip(".,;:'’")
        entry = g["metonyms"].get(key) or g["metonyms"].get(re.sub(r"^the\s+", "", key))
        if entry:
            found.append((1, m.start(1), entry))
        elif (code := _country_of(name)):
            found.append((2, m.start(1), {"kind": "country", "country": code}))
    if not found:
        return {}
    best = min(found, key=lambda f: (f[0], f[1]))[2]
    by_name = {p["name"]: p for p in load_reference("places")["places"]}
    out = {"country": best.get("country")}
    if best["kind"] == "venue":
        out.update(venue=best["name"], city=best.get("city"), region=best.get("region"))
    elif best["kind"] in ("city", "region"):
        out[best["kind"]] = best["name"]
    if out.get("city") and not out.get("region"):
        out["region"] = by_name.get(out["city"], {}).get("region")
    return {k: v for k, v in out.items() if v}


def _keyword(low: str) -> tuple[re.Match | None, str]:
    """The sentence's round keyword and its kind: round, or leaders (a summit wish, not a round)."""
    t = terms()
    matches = list(t["keyword"].finditer(low))
    for m in matches:
        after = low[m.end():m.end() + WINDOW]
        leaders = re.match(r"\s+(?:between|of)\b", after) and t["leader"].search(after[:45])
        if not leaders and not t["not_a_round"].search(low, m.start(), m.end() + WINDOW):
            return m, "round"
    return (matches[0], "leaders") if matches else (None, "")


def _meeting_verb(s: Sentence, low: str, dates: list[dict]) -> tuple[re.Match | None, str]:
    """'met at the White House on August 8': a meeting verb with a place and a date is a round mention."""
    m = terms()["meeting_verb"].search(low)
    if m and _place(s.text, low) and _date(dates, low, s).get("date_text"):
        return m, "round"
    return None, ""


def _span(parsed: ParsedArticle, m: re.Match, offset: int) -> tuple[int, int, str]:
    """The noun phrase around the keyword ("the second round of peace talks"), else the keyword."""
    start, end = offset + m.start(), offset + m.end()
    s = parsed.sentence_at(start)
    chunk = parsed.noun_chunk_at(start) if parsed.doc is not None else None
    if chunk is not None:
        start = max(min(start, chunk[0]), s.start if s else 0)
        end = min(max(end, chunk[1]), s.end if s else len(parsed.text))
    return start, end, parsed.text[start:end]


def _definiteness(parsed: ParsedArticle, start: int, end: int) -> str:
    span = parsed.doc.char_span(start, end, alignment_mode="expand") if parsed.doc is not None else None
    if span is None:
        return "bare"
    for tok in span.root.children:
        if tok.dep_ == "poss" or (tok.dep_ == "det" and tok.lower_ in terms()["anaphora"]):
            return "definite"
        if tok.dep_ in ("det", "amod", "nummod") and tok.lower_ in ("a", "an", "another", "any", "several",
                                                                     "many", "some", "no", "more"):
            return "indefinite"
    return "bare"


def _clause(low: str, pos: int) -> tuple[int, int]:
    """Bounds of the clause holding `pos` (commas, quotes and 'but'/'while' end a clause)."""
    start, end = 0, len(low)
    for m in CLAUSE_BREAK.finditer(low):
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            end = m.start()
            break
    return start, end


def _nearest(patterns: dict, low: str, anchor: int) -> str | None:
    """The cue nearest to the keyword within its clause."""
    lo, hi = _clause(low, anchor)
    hits = [(abs(m.start() - anchor), name) for name, rx in patterns.items() for m in rx.finditer(low, lo, hi)]
    return min(hits)[1] if hits else None


def _duration(low: str) -> float | None:
    t = terms()
    m = t["duration"].search(low)
    if not m:
        return None
    n = m.group(1)
    value = float(n) if n[0].isdigit() else float(t["numbers"][" ".join(n.split())])
    return value * t["units"][m.group(2)]


def _since(low: str, pos: int, sentence_start: int) -> bool:
    return bool(terms()["since"].search(low, max(0, pos - sentence_start - WINDOW), pos - sentence_start))


def _date(dates: list[dict], low: str, s: Sentence) -> dict:
    """The sentence's date of the meeting; a date after 'since' is only a lower bound on it."""
    out: dict = {}
    for d in sorted(dates, key=lambda d: d.get("start", 0)):
        if not (s.start <= d.get("start", -1) < s.end) or SPEECH.search(low, 0, d["start"] - s.start):
            continue
        if _since(low, d["start"], s.start):
            out.setdefault("after_year", d.get("year") or (d["date_end"].year if d.get("date_end") else None))
            out.setdefault("after_month", d.get("month") if d.get("year") else None)
            continue
        if "date_text" not in out and any(d.get(k) for k in ("date_start", "year", "month", "day")):
            out.update(date_text=d.get("text"), date_start=d.get("date_start"), date_end=d.get("date_end"),
                       date_precision=d.get("precision"), year=d.get("year"), month=d.get("month"),
                       day=d.get("day"))
    weekdays = [m for m in terms()["weekday"].finditer(low)
                if not _since(low, s.start + m.start(), s.start) and not SPEECH.search(low, 0, m.start())]
    if weekdays:
        out["weekday"] = terms()["weekdays"].index(weekdays[0].group())
        out.setdefault("date_text", s.text[weekdays[0].start():weekdays[0].end()])
    return out


def _host(text: str, low: str) -> str | None:
    m = terms()["host"].search(low)
    if not m:
        return None
    name = CAPITALISED.match(text, m.end())
    return _country_of(name.group()) if name else None


def _heads(parsed: ParsedArticle, mentions: list[dict], roles: list[dict]) -> dict[str, list[str]]:
    """Delegation heads per sentence: from roles, and from 'leading the ... delegation' sentences."""
    heads: dict[str, list[str]] = {}
    for r in roles:
        if HEAD_ROLE.search(flat(r.get("role") or "")) and r.get("actor_id"):
            sid = r.get("sentence_id") or parsed.sentence_id_at(r.get("start", 0))
            heads.setdefault(sid, []).append(r["actor_id"])
    for s in parsed.sentences:
        if LEADS_DELEGATION.search(flat(s.text)):
            for m in mentions:
                if m.get("sentence_id") == s.sentence_id and m.get("actor_type") == "person" and m.get("actor_id"):
                    heads.setdefault(s.sentence_id, []).append(m["actor_id"])
    return {sid: sorted(set(ids)) for sid, ids in heads.items()}


def _row(parsed: ParsedArticle, s: Sentence, dates, mentions, heads, article_heads) -> dict | None:
    t = terms()
    low = flat(s.text)
    kw, kind = _keyword(low)
    if kw is None:
        kw, kind = _meeting_verb(s, low, dates)
    if kw is None:
        return None
    start, end, surface = _span(parsed, kw, s.start)
    ordinal = t["ordinal"].search(low)
    before = low[max(0, kw.start() - 30):kw.end()]
    reference = next((ref for ref in ("previous", "next", "first") if t["references"][ref].search(before)), None)
    if reference is None and t["references"]["latest"].search(low):
        reference = "latest"
    place = _place(s.text, low)
    fmt = _nearest(t["formats"], low, kw.start()) or ("in_person" if place else "unknown")
    people = sorted({m["actor_id"] for m in mentions if m.get("sentence_id") == s.sentence_id
                     and m.get("actor_type") == "person" and m.get("actor_id")})
    parties = sorted({m["country"] for m in mentions if m.get("sentence_id") == s.sentence_id
                      and m.get("actor_type") in ("state", "person", "group") and m.get("country")}
                     - {place.get("country")})
    row = {
        "mention_id": stable_id("rm", parsed.article_id, start, end),
        "article_id": parsed.article_id, "sentence_id": s.sentence_id, "paragraph_id": s.paragraph_id,
        "start": start, "end": end, "surface": surface, "kind": kind,
        "definiteness": _definiteness(parsed, kw.start() + s.start, kw.end() + s.start),
        "date_text": None, "date_start": None, "date_end": None, "date_precision": None,
        "year": None, "month": None, "day": None, "weekday": None, "after_year": None, "after_month": None,
        "ordinal": t["ordinals"][ordinal.group(1)] if ordinal else None,
        "city": None, "venue": None, "region": None, "country": None,
        "host": _host(s.text, low), "format": fmt, "duration_minutes": _duration(low),
        "delegation_heads": heads.get(s.sentence_id) or article_heads,
        "people": people, "parties": parties,
        "tense": _nearest(t["tense"], low, kw.start()) or "past", "reference": reference,
    }
    row.update(place)
    row.update(_date(dates, low, s))
    if row["reference"] == "next":
        row["tense"] = "planned"
    return {k: row.get(k) for k in COLUMNS}


def extract_round_mentions(parsed: ParsedArticle, dates: list[dict], mentions: list[dict],
                           roles: list[dict]) -> list[dict]:
    """One row per sentence that speaks of a meeting or round of talks (see the module docstring)."""
    heads = _heads(parsed, mentions or [], roles or [])
    article_heads = sorted({a for ids in heads.values() for a in ids})
    # A sentence reads only its own dates and mentions: indexing them once keeps long articles linear.
    dates_in, mentions_in = defaultdict(list), defaultdict(list)
    for d in dates or []:
        dates_in[parsed.sentence_id_at(d.get("start", 0))].append(d)
    for m in mentions or []:
        mentions_in[m.get("sentence_id") or parsed.sentence_id_at(m.get("start", 0))].append(m)
    rows = []
    for s in parsed.sentences:
        row = _row(parsed, s, dates_in[s.sentence_id], mentions_in[s.sentence_id], heads, article_heads)
        if row:
            rows.append(row)
    return rows
