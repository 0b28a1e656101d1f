"""Date expressions, normalised against the article's publication date.

The spaCy Matcher of `date_patterns` (built from dates.yaml) finds explicit dates ("May 16", "16 May",
"23-25 March 2025", "late June", "March-April 2022", "in 2014", "05/16/2025", "16.05.2025") and relative ones
("last Friday", "tomorrow", "last week", "three days ago", "last June"); each match is resolved here from the
classes of its tokens. Two dates joined by a range word ("30 November to 2 December") become one range. A
weekday or a month without a year is read in the past unless a future cue ("will", "slated for", "next")
precedes it in the sentence. spaCy DATE entities that no pattern covers go to the dateparser fallback
(`date_fallback`), and are kept with precision `unknown` when it cannot resolve them, except plain durations
("four days"), which are claims, and frequencies ("every day"). Without a publication date a month and day are
still reported in the month/day columns so that later steps can match them against known rounds.
"""
from __future__ import annotations

import functools
import re
from bisect import bisect_left

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from pipeline.ids import stable_id
from pipeline.nlp.date_fallback import fallback_date
from pipeline.nlp.date_patterns import date_matches, reference, words
from pipeline.nlp.date_resolve import is_duration, lexicon, resolve, safe_date
from pipeline.nlp.document import ParsedArticle

#: spaCy DATE entities that name a frequency or an unbounded stretch, not a point in time.
NOT_A_DATE = re.compile(r"^(?:(?:every|each|daily|weekly|monthly|annual|annually)\b|(?:the\s+)?(?:recent\s+|"
                        r"past\s+|coming\s+)?(?:days|weeks|months|years|decades)$)", re.IGNORECASE)
CUE_WINDOW = 15  # tokens before a date, within its sentence, where a future cue counts
YEAR = re.compile(r"(?:1[89]|20)\d\d")
DAY_OF_MONTH = re.compile(r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?")
NOT_YEAR_ENTITIES = ("CARDINAL", "MONEY", "PERCENT", "QUANTITY")
DAY_FAMILIES = ("month_day", "day_month", "numeric")


@functools.lru_cache(maxsize=4)
def _cue_matcher(vocab) -> PhraseMatcher:
    """The future and past cues of dates.yaml, matched on LOWER ("to be" is two tokens, "'ll" one)."""
    m = PhraseMatcher(vocab, attr="LOWER")
    for name in ("future_cues", "past_cues"):
        m.add(name, [Doc(vocab, words=cue.split()) for cue in words(name)])
    return m


def _cues(doc) -> dict[str, list[int]]:
    """Token positions of the future and past cues of the doc, sorted."""
    out = {"future_cues": [], "past_cues": []}
    for key, start, _ in _cue_matcher(doc.vocab)(doc):
        out[doc.vocab.strings[key]].append(start)
    return {k: sorted(v) for k, v in out.items()}


def _any_in(positions: list[int], lo: int, hi: int) -> bool:
    i = bisect_left(positions, lo)
    return i < len(positions) and positions[i] < hi


def _is_future(span: Span, cues: dict[str, list[int]]) -> bool:
    """A future cue in the expression ("next June"), or before it in its sentence and in its clause ("would be put to
    a vote on October 2", "is due to meet on Tuesday"; not "hoped would end the war, was signed in late August");
    and no past cue in it or right before it."""
    doc = span.doc
    if _any_in(cues["past_cues"], span.start - 1, span.end):
        return False
    if _any_in(cues["future_cues"], span.start, span.end):
        return True
    lo = max(span.sent.start if doc.has_annotation("SENT_START") else 0, span.start - CUE_WINDOW)
    before = cues["future_cues"][bisect_left(cues["future_cues"], lo):bisect_left(cues["future_cues"], span.start)]
    if not before or not doc.has_annotation("DEP"):
        return bool(before)
    clause = _clause(span.root)
    return any(i in clause or doc[i].head.i in clause for i in before)


def _clause(tok) -> set[int]:
    """The token and its heads up to the verb of its clause; through a verb that completes another ("due to
    meet": meet -> due), since the cue may sit on that one."""
    out = {tok.i}
    while tok.head.i != tok.i and not (tok.pos_ == "VERB" and tok.dep_ != "xcomp"):
        tok = tok.head
        out.add(tok.i)
    return out


def _row(parsed, m_start, m_end, *, start=None, end=None, precision="unknown", relative=False,
         year=None, month=None, day=None) -> dict:
    return {
        "date_id": stable_id("date", parsed.article_id, m_start, m_end),
        "article_id": parsed.article_id,
        "sentence_id": parsed.sentence_id_at(m_start),
        "start": m_start,
        "end": m_end,
        "text": parsed.text[m_start:m_end],
        "date_start": start,
        "date_end": end if end is not None else start,
        "precision": precision,
        "relative": relative,
        "year": year,
        "month": month,
        "day": day,
    }


def _part_of_name(span: Span) -> bool:
    """'Theresa May': a month name that spaCy puts in a PERSON (or an ORG), or that a capitalised first name modifies, is a
    surname; 'the March 23 Movement': a date that qualifies the capitalised name right after it is part of it."""
    doc, months = span.doc, lexicon()["months"]
    month = [t for t in span if t.lower_.rstrip(".") in months]
    if any(t.ent_type_ in ("PERSON", "ORG") for t in month):
        return True
    if not doc.has_annotation("DEP"):
        return False
    prev = doc[span.start - 1] if span.start else None
    if prev is not None and prev.pos_ == "PROPN" and prev.is_title and prev.dep_ == "compound" and prev.head in month:
        return True
    nxt = doc[span.end] if span.end < len(doc) else None
    return (nxt is not None and nxt.pos_ == "PROPN" and nxt.is_title and nxt.lower_ not in months
            and any(tok.head.i == nxt.i for tok in span))


def _bare_month(span: Span) -> bool:
    """A month alone ("May", "March") is a date only right after a preposition such as "in" or "since"."""
    return span.start > 0 and span.doc[span.start - 1].lower_ in lexicon()["bare_month_after"]


def _matched(parsed: ParsedArticle) -> tuple[list[tuple[Span, dict]], list[Span]]:
    """(resolved matches, matches that are part of a name: those are no dates for the fallback either)."""
    doc, pub = parsed.doc, parsed.published_date
    cues = _cues(doc)
    out, names = [], []
    for family, span in _with_weekdays(date_matches(doc, _valid)):
        if family != "year" and _part_of_name(span):
            names.append(span)
            continue
        if (family == "month" and len(span) == 1 and not _bare_month(span)) or (
                family == "year" and _not_a_year(span)):
            continue  # spaCy may still call it a DATE: then the fallback reads it
        resolved = resolve(family, span, pub, _is_future(span, cues))
        if resolved is not None:
            out.append((span, resolved))
    return _ranges(out), names


def _valid(family: str, span: Span) -> bool:
    """What the token shapes of the patterns cannot say: a day is 1-31 ("16th", not "2pm"), a year 1800-2099
    and, standing alone, no count or amount by spaCy's reading; a month name is no verb ("May I", "March on")."""
    lex, day_shapes = lexicon(), reference()["tokens"]["day"]["SHAPE"]["IN"]
    for tok in span:
        if tok.shape_ == "dddd" and not (YEAR.fullmatch(tok.text) and (
                family not in ("year", "year_part") or tok.ent_type_ not in NOT_YEAR_ENTITIES)):
            return False
        if family in ("month_day", "day_month") and tok.shape_ in day_shapes and not DAY_OF_MONTH.fullmatch(tok.text):
            return False
        if "-" in tok.text and family == "year_part" and tok.lower_.split("-")[0] not in lex["year_parts"]:
            return False
        if tok.text.rstrip(".").lower() in lex["months"] and tok.is_title and tok.pos_ in ("AUX", "VERB"):
            return False
    return True


def _with_weekdays(matches: list[tuple[str, Span]]) -> list[tuple[str, Span]]:
    """'Friday, May 16': a weekday right before a day date (a comma between at most) is part of that date."""
    out: list[tuple[str, Span]] = []
    for family, span in matches:
        if out and family in DAY_FAMILIES and out[-1][0] == "weekday" and len(out[-1][1]) == 1:
            prev = out[-1][1]
            if all(t.text == "," for t in span.doc[prev.end:span.start]) and span.start - prev.end <= 1:
                out[-1] = (family, span.doc[prev.start:span.end])
                continue
        out.append((family, span))
    return out


def _not_a_year(span: Span) -> bool:
    """'$2014', '2014%', '2014 percent': a number that looks like a year."""
    doc = span.doc
    before = doc[span.start - 1] if span.start else None
    after = doc[span.end] if span.end < len(doc) else None
    return bool((before is not None and (before.is_currency or before.text in ".,")) or
                (after is not None and (after.text in ("%", "percent") or after.lower_ == "per")))


def _ranges(found: list[tuple[Span, dict]]) -> list[tuple[Span, dict]]:
    """'30 November to 2 December 2024': two day dates joined by a range word are one range of days."""
    out: list[tuple[Span, dict]] = []
    connectors, openers = lexicon()["connectors"], lexicon()["range_openers"]
    for span, kw in found:
        if out:
            prev, pkw = out[-1]
            between = span.doc[prev.end:span.start]
            joined = len(between) == 1 and (between[0].lower_ in connectors or (
                between[0].lower_ == "and" and prev.start > 0 and span.doc[prev.start - 1].lower_ in openers))
            if (joined and pkw.get("precision") == "day"
                    == kw.get("precision") and pkw.get("month") and kw.get("month")):
                out[-1] = (span.doc[prev.start:span.end], _joined(pkw, kw))
                continue
        out.append((span, kw))
    return out


def _joined(first: dict, last: dict) -> dict:
    """The range from the first date to the last; the first takes the last's year when it gave none."""
    out = dict(first)
    if last.get("year") and first.get("relative") and not last.get("relative") and first.get("day"):
        year = last["year"] - (first["month"] > last["month"])
        out.update(year=year, start=safe_date(year, first["month"], first["day"]), relative=False)
    end = last.get("end") or last.get("start")
    if out.get("start") and end and end >= out["start"]:
        out["end"] = end
    return out


def extract_dates(parsed: ParsedArticle) -> list[dict]:
    """One row per date expression, with its normalised range and precision."""
    matched, rejected = _matched(parsed)
    taken = [(span.start_char, span.end_char) for span in rejected]
    rows = []
    for span, kw in matched:
        taken.append((span.start_char, span.end_char))
        rows.append(_row(parsed, span.start_char, span.end_char, **kw))
    for ent in getattr(parsed.doc, "ents", ()):
        text = ent.text.strip()
        if ent.label_ != "DATE" or is_duration(text) or NOT_A_DATE.match(text):
            continue
        if any(s < ent.end_char and ent.start_char < e for s, e in taken):
            continue
        taken.append((ent.start_char, ent.end_char))
        rows.append(_row(parsed, ent.start_char, ent.end_char, **fallback_date(ent, parsed.published_date)))
    return sorted(rows, key=lambda r: (r["start"], r["end"]))
