"""Round mentions: one row per sentence that speaks of a meeting or round of talks, with its cues.

The cues (place, date, ordinal, format, tense, delegation heads...) are read here, sentence by
sentence; which round a mention means is decided across articles in `pipeline/resolve/rounds.py`.
Meeting nouns and verbs, and the meeting's place, come from `round_cues.py` (spaCy Matcher on LEMMA over
`round_terms.yaml`; places from the gazetteer of `places.py`); the other cues are read on a folded copy of the
text that keeps every character's offset (lower case, accents stripped).
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict

from pipeline.ids import stable_id
from pipeline.nlp.alternation import alternation
from pipeline.nlp.document import ParsedArticle, Sentence
from pipeline.nlp.numbers import parse_number
from pipeline.nlp.round_mention_columns import COLUMNS
from pipeline.nlp.round_cues import (Cue, Tree, article_cues, dateline_end, meeting_place, named_country,
                                     names_same_place)
from pipeline.nlp.token_lists import TokenLists
from pipeline.reference import load_reference

CAPITALISED = re.compile(r"(?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}")
HEAD_ROLE = re.compile(r"\bhead\b.*\bdelegations?\b|\bdelegations?\b.*\bhead\b|\bchief negotiator\b")
LEADS_DELEGATION = re.compile(r"\b(?:lead|leads|leading|led|head|heads|heading|headed)\b[^.]{0,40}\bdelegations?\b"
                              r"|\bdelegations?\b[^.]{0,20}\b(?:led|headed)\s+by\b")
CLAUSE_BREAK = re.compile(r"[,;:()\u2014\u2013\u201c\u201d\"]|\s(?:but|while|whereas|although|though)\s")
SPEECH = re.compile(r"\b(?:said|says|told|announced|stated|tweeted|wrote|added|reported)\b[^.]{0,15}$")
WINDOW = 60  # characters before a cue that are read with it ("since ... <date>", "<verb> in <place>")
DURATION_NUMBER_WORDS = 5  # words before a duration unit that may spell its number ("two hundred and fifty")


def flat(text: str) -> str:
    """Lower case without accents, one character for one: offsets into it are offsets into `text`."""
    if text.isascii():  # no accents, and ASCII lower case maps one character to one
        return text.lower()
    return text.translate(_FLAT)


class _FlatChars(dict):
    """ord -> the character flat() makes of it, each worked out the first time it is met."""

    def __missing__(self, code: int) -> str:
        flat_char = self[code] = unicodedata.normalize("NFKD", chr(code))[:1].lower()[:1] or " "
        return flat_char


_FLAT = _FlatChars()


def _words(words) -> re.Pattern:
    return re.compile(rf"(?<![\w-])(?:{alternation(flat(w) for w in words)})(?![\w-])")


@functools.lru_cache(maxsize=None)
def terms() -> dict:
    t = load_reference("round_terms")
    weekdays = sorted(load_reference("dates")["weekdays"], key=load_reference("dates")["weekdays"].get)
    out = {
        "ordinal": re.compile(rf"(?<![\w-])({'|'.join(map(re.escape, t['ordinals']))})(?![\w-])"
                              rf"(?:\W+[\w-]+){{0,3}}?\W+(?:{_words(t['ordinal_heads']).pattern})"),
        "ordinals": {flat(k): int(v) for k, v in t["ordinals"].items()},
        "formats": {fmt: _words(ws) for fmt, ws in t["formats"].items()},
        "tense": {tense: _words(ws) for tense, ws in t["tense"].items()},
        # any format or tense word at all: one scan that rules out the per-name scans when it finds none
        "any_format": _words([w for ws in t["formats"].values() for w in ws]),
        "any_tense": _words([w for ws in t["tense"].values() for w in ws]),
        "references": {ref: _words(ws) for ref, ws in t["references"].items()},
        "anaphora": {flat(w) for w in t["anaphora"]},
        "host": re.compile(rf"(?:{_words(t['host_cues']).pattern})\s+"),
        "leader": _words(t["leader_words"]),
        "not_a_round": _words(t["not_a_round"]),
        "since": _words(t["since_cues"]),
        "weekday": _words(weekdays),
        # the same words as bare alternations: re jumps to their first letters (the lookbehind in front of the
        # word patterns keeps it from that), and where none occurs in a sentence the word pattern finds nothing
        "since_words": re.compile(alternation(flat(w) for w in t["since_cues"])),
        "weekday_words": re.compile(alternation(flat(w) for w in weekdays)),
        "weekdays": [flat(w) for w in weekdays],
        "duration_articles": {flat(k): float(v) for k, v in t["duration_articles"].items()},
        "units": {k: float(v) for k, v in t["durations"].items()},
        "duration_unit": _words(t["durations"]),
    }
    return out


def _keyword(low: str, keywords: list[Cue]) -> tuple[Cue | None, str]:
    """The sentence's round keyword and its kind: round, or leaders (a summit wish, not a round)."""
    t = terms()
    numbered = t["ordinal"].search(low)  # a numbered round is the one the sentence is about ("further talks, then
    # a second round"): its keyword goes first
    matches = sorted(keywords, key=lambda m: not (numbered and numbered.start() <= m.start() < numbered.end()))
    for m in matches:
        after = low[m.end():m.end() + WINDOW]
        leaders = re.match(r"\s+(?:between|of)\b", after) and t["leader"].search(after[:45])
        if not leaders and not t["not_a_round"].search(low, m.start(), m.end() + WINDOW):
            return m, "round"
    return (matches[0], "leaders") if matches else (None, "")


def _meeting_verb(s: Sentence, low: str, dates: list[dict], cues: dict, mentions_of: list, tree: Tree) -> tuple[Cue | None, str]:
    """'met at the White House on August 8': a meeting verb with a place and a date (or a length: 'met for four
    hours at ...') is a round mention."""
    for m in cues["alone"]:
        if meeting_place(s.text, low, [m], None, tree, _parties_outside(mentions_of, s)) and \
                (_date(dates, low, s, m, tree).get("date_text") or terms()["duration_unit"].search(low)):
            return m, "round"
    return None, ""


def _span(parsed: ParsedArticle, m: Cue, offset: int) -> tuple[int, int, str]:
    """The noun phrase around the keyword ("the second round of peace talks"), else the keyword."""
    start, end = offset + m.start(), offset + m.end()
    s = parsed.sentence_at(start)
    chunk = parsed.noun_chunk_at(start) if parsed.doc is not None else None
    if chunk is not None:
        start = max(min(start, chunk[0]), s.start if s else 0)
        end = min(max(end, chunk[1]), s.end if s else len(parsed.text))
    return start, end, parsed.text[start:end]


def _definiteness(parsed: ParsedArticle, tokens: TokenLists | None, start: int, end: int) -> str:
    covered = tokens.covering(start, end) if tokens is not None else range(0)
    if len(covered) == 1:  # a one-token span is its own root
        children = [(tokens.dep[c], tokens.lower(c)) for c in tokens.children(covered[0])]
    else:
        span = parsed.doc.char_span(start, end, alignment_mode="expand") if parsed.doc is not None else None
        if span is None:
            return "bare"
        children = [(tok.dep_, tok.lower_) for tok in span.root.children]
    for dep, lower in children:
        if dep == "poss" or (dep == "det" and lower in terms()["anaphora"]):
            return "definite"
        if dep in ("det", "amod", "nummod") and lower in ("a", "an", "another", "any", "several",
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


def _nearest(patterns: dict, low: str, anchor: int, clause: tuple[int, int] | None = None,
             any_word: re.Pattern | None = None) -> str | None:
    """The cue nearest to the keyword within its clause (`clause`: its bounds, when the caller has them).

    `any_word`: the alternation of all the patterns' words, which matches wherever one of them does: when it finds
    nothing in the clause, neither can they."""
    lo, hi = clause or _clause(low, anchor)
    if any_word is not None and not any_word.search(low, lo, hi):
        return None
    hits = [(abs(m.start() - anchor), name) for name, rx in patterns.items() for m in rx.finditer(low, lo, hi)]
    return min(hits)[1] if hits else None


def _duration(low: str) -> float | None:
    """Minutes of the first '<number> <unit>' ('two hours', '90 minutes', 'half an hour'): the words before the
    unit are read by the one number reader, longest first; round_terms.yaml's duration_articles are the phrases
    that are a number only before a unit ('half an')."""
    t = terms()
    for unit in t["duration_unit"].finditer(low):
        before = low[:unit.start()]
        if not before[-1:].isspace():  # '30-minute' is a modifier's shape, read as the old pattern did: not at all
            continue
        words = before.split()[-DURATION_NUMBER_WORDS:]
        for n in range(len(words), 0, -1):
            phrase = " ".join(words[-n:]).lstrip("([\"'")
            value = t["duration_articles"].get(phrase)
            value = parse_number(phrase) if value is None else value
            if value is not None:
                return value * t["units"][unit.group()]
    return None


def _since(low: str, pos: int, sentence_start: int) -> bool:
    t = terms()
    return bool(t["since_words"].search(low) and
                t["since"].search(low, max(0, pos - sentence_start - WINDOW), pos - sentence_start))


def _date(dates: list[dict], low: str, s: Sentence, cue: Cue | None = None, tree: Tree | None = None) -> dict:
    """The sentence's date of the meeting: the one the parse ties most closely to its cue, then the nearest (a
    dateline's date is the story's, and a date after a speech verb the statement's); a date after 'since' is only
    a lower bound on it."""
    out: dict = {}
    skip = s.start + dateline_end(s.text)
    anchor = s.start + (cue.start() if cue is not None else 0)
    tie = {id(d): tree.dates_cue(d.get("start", 0) - s.start, cue) if tree is not None else 2 for d in dates}
    for d in sorted(dates, key=lambda d: (-tie[id(d)], abs(d.get("start", 0) - anchor), d.get("start", 0))):
        if not (skip <= d.get("start", -1) < s.end) or SPEECH.search(low, 0, d["start"] - s.start) or not tie[id(d)]:
            continue
        if _since(low, d["start"], s.start):
            out.setdefault("after_year", d.get("year") or (d["date_end"].year if d.get("date_end") else None))
            out.setdefault("after_month", d.get("month") if d.get("year") else None)
            continue
        if "date_text" not in out and any(d.get(k) for k in ("date_start", "year", "month", "day")):
            out.update(date_text=d.get("text"), date_start=d.get("date_start"), date_end=d.get("date_end"),
                       date_precision=d.get("precision"), year=d.get("year"), month=d.get("month"),
                       day=d.get("day"))
    weekdays = [m for m in (terms()["weekday"].finditer(low) if terms()["weekday_words"].search(low) else ())
                if not _since(low, s.start + m.start(), s.start) and not SPEECH.search(low, 0, m.start())
                and m.start() >= skip - s.start and (tree is None or tree.dates_cue(m.start(), cue))]
    if weekdays:
        out["weekday"] = terms()["weekdays"].index(weekdays[0].group())
        out.setdefault("date_text", s.text[weekdays[0].start():weekdays[0].end()])
    return out


def _host(text: str, low: str) -> str | None:
    m = terms()["host"].search(low)
    if not m:
        return None
    name = CAPITALISED.match(text, m.end())
    return named_country(name.group()) if name else None


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


def _rows(parsed: ParsedArticle, tokens: TokenLists | None, s: Sentence, dates, mentions, heads, article_heads, cues,
          last_place) -> list[dict]:
    """The sentence's round mention, and the passing ones it names with their own place and date ("the talks
    were the latest step after a meeting in Nairobi on May 2", "the deal they signed in Oslo on June 3")."""
    low = flat(s.text)
    tree = Tree(tokens, s.start, cues["alone"], cues["keyword"])
    kw, kind = _keyword(low, cues["keyword"])
    if kw is None:
        kw, kind = _meeting_verb(s, low, dates, cues, mentions, tree)
    if kw is None:
        return []
    rows = [_row(parsed, s, low, tree, kw, kind, dates, mentions, heads, article_heads, cues, last_place)]
    for other in cues["keyword"] + cues["alone"]:
        if other == kw or (other in cues["keyword"] and _keyword(low, [other])[1] != "round"):
            continue
        # another meeting than the sentence's own: another place or day (read first; the rest of the row only then)
        found = _place(s, low, tree, other, mentions, cues, last_place), _date(dates, low, s, other, tree)
        where = {"country": None, "city": None, "date_text": None, **found[0], **found[1]}
        if (where["country"] or where["city"]) and where["date_text"] and \
                (where["country"], where["city"], where["date_text"]) != (rows[0]["country"], rows[0]["city"],
                                                                            rows[0]["date_text"]):
            rows.append(_row(parsed, s, low, tree, other, "round", dates, mentions, heads, article_heads, cues,
                             last_place, found))
    return rows


def _place(s: Sentence, low: str, tree: Tree, kw: Cue, mentions, cues, last_place: dict) -> dict:
    """Where the cue's meeting is: the place the sentence names for it, else 'the same city' as the last one."""
    noun = kw if kw in cues["keyword"] else None  # only a meeting noun is named by a place ("the Nairobi talks")
    return meeting_place(s.text, low, [kw] + cues["verb"], noun, tree, _parties_outside(mentions, s)) or \
        (dict(last_place) if names_same_place(s.text, [kw] + cues["verb"], tree, noun) else {})


def _row(parsed: ParsedArticle, s: Sentence, low: str, tree: Tree, kw: Cue, kind: str, dates, mentions, heads,
         article_heads, cues, last_place: dict, found: tuple[dict, dict] | None = None) -> dict:
    t = terms()
    start, end, surface = _span(parsed, kw, s.start)
    ordinal = t["ordinal"].search(low)
    before = low[max(0, kw.start() - 30):kw.end()]
    reference = next((ref for ref in ("previous", "next", "first") if t["references"][ref].search(before)), None)
    if reference is None and t["references"]["latest"].search(low):
        reference = "latest"
    place, when = found or (_place(s, low, tree, kw, mentions, cues, last_place), _date(dates, low, s, kw, tree))
    clause = _clause(low, kw.start())
    fmt = _nearest(t["formats"], low, kw.start(), clause, t["any_format"]) or ("in_person" if place else "unknown")
    people = sorted({m["actor_id"] for m in mentions if m.get("sentence_id") == s.sentence_id
                     and m.get("actor_type") == "person" and m.get("actor_id")})
    parties = sorted(_parties(mentions, s) - {place.get("country")})
    row = {
        "mention_id": stable_id("rm", parsed.article_id, start, end),
        "article_id": parsed.article_id, "sentence_id": s.sentence_id, "paragraph_id": s.paragraph_id,
        "start": start, "end": end, "surface": surface, "kind": kind,
        "definiteness": _definiteness(parsed, tree.t, kw.start() + s.start, kw.end() + s.start),
        "date_text": None, "date_start": None, "date_end": None, "date_precision": None,
        "year": None, "month": None, "day": None, "weekday": None, "after_year": None, "after_month": None,
        "ordinal": t["ordinals"][ordinal.group(1)] if ordinal else None,
        "city": None, "venue": None, "region": None, "country": None,
        "host": _host(s.text, low), "format": fmt, "duration_minutes": _duration(low),
        "delegation_heads": sorted(set(heads.get(s.sentence_id) or article_heads) | _who_met(tree, kw, mentions, s)),
        "people": people, "parties": parties,
        "tense": _nearest(t["tense"], low, kw.start(), clause, t["any_tense"]) or "past", "reference": reference,
    }
    row.update(place)
    row.update(when)
    if row["reference"] == "next":
        row["tense"] = "planned"
    return {k: row.get(k) for k in COLUMNS}


def _who_met(tree: Tree, cue: Cue, mentions: list[dict], s: Sentence) -> set[str]:
    """The people the parse gives as meeting (`Tree.participants`): their actor ids."""
    spans = tree.participants(cue)
    return {m["actor_id"] for m in mentions if m.get("actor_type") == "person" and m.get("actor_id") and any(
        m.get("start", -1) - s.start <= a < m.get("end", -1) - s.start for a, _ in spans)}


def _parties(mentions: list[dict], s: Sentence) -> set[str]:
    return {m["country"] for m in mentions if m.get("sentence_id") == s.sentence_id
            and m.get("actor_type") in ("state", "person", "group") and m.get("country")}


def _parties_outside(mentions: list[dict], s: Sentence):
    """The sentence's parties named outside a stretch of it (sentence offsets): a place naming a meeting ('the
    Nairobi meeting') is no party of it, though the capital stands for its government elsewhere."""
    def parties(start: int, end: int) -> set[str]:
        return _parties([m for m in mentions if not start <= m.get("start", -1) - s.start < end], s)
    return parties


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
    rows: list[dict] = []
    last_place: dict = {}
    tokens = TokenLists(parsed.doc) if parsed.doc is not None else None
    cues = article_cues(parsed, tokens)
    for s in parsed.sentences:
        if s.sentence_id not in cues:
            continue
        rows += _rows(parsed, tokens, s, dates_in[s.sentence_id], mentions_in[s.sentence_id], heads, article_heads,
                      cues[s.sentence_id], last_place)
        for row in rows[-2:]:  # 'in the same city' means the place last named for a meeting
            if row["country"]:
                last_place = {k: row[k] for k in ("venue", "city", "region", "country") if row[k]}
    return rows
