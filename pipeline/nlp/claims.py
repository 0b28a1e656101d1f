"""Numeric claims: counts, shares and durations stated in an article, with the measure they count.

A regex finds numbers (digits or words) with their scale and unit; the spaCy parse supplies the noun
a number counts, which the `claims` lexicon maps to a measure. Years, dates, times of day, labels
("Article 5") and vague quantities ("thousands of") are not claims. A number written as a word
("two sides", "one path") is only kept when it has a unit or a known measure, because such words
are mostly determiners in prose.
"""
from __future__ import annotations

import functools
import re

from pipeline.ids import stable_id
from pipeline.nlp.alternation import alternation
from pipeline.nlp.claim_measures import count_measure, doc_cues, time_measure
from pipeline.nlp.document import ParsedArticle
from pipeline.nlp.numbers import parse_number
from pipeline.nlp.spans import DisjointSpans
from pipeline.reference import load_reference


@functools.lru_cache(maxsize=None)
def lexicon() -> dict:
    lex = load_reference("claims")
    words = {k.lower(): float(v) for k, v in lex["number_words"].items()}
    scales = {k.lower(): float(v) for k, v in lex["scales"].items()}
    lex = dict(lex, number_words=words, scales=scales)
    lex["pattern"] = _pattern(lex)
    lex["begins"] = _begins(lex)
    # the context patterns, compiled once (they were rebuilt from the word lists for every number)
    months = "|".join(load_reference("dates")["months"])
    lex["month_before"] = re.compile(rf"\b(?:{months})\.?\s*(?:the\s+)?$")
    lex["month_after"] = re.compile(rf"(?:st|nd|rd|th)?\s*(?:of\s+)?(?:{months})\b")
    lex["clock_after"] = re.compile(rf"\s*(?:(?:{alternation(lex['clock_words'])})(?!\w)|:\d)")
    lex["relative_after_re"] = re.compile(rf"\s+(?:{alternation(lex['relative_after'])})\b", re.IGNORECASE)
    return lex


def _pattern(lex: dict) -> re.Pattern:
    word = alternation(lex["number_words"])
    scale = alternation(lex["scales"])
    units = alternation(list(lex["time_units"]) + list(lex["percent_units"]) + list(lex["currency"]))
    approx = alternation(lex["approximators"])
    # "one million", "twenty-five", "two hundred and fifty", "a dozen", "a million"
    words_number = rf"(?:\b(?:{word})\b(?:(?:[\s-]+|\s+and\s+)\b(?:{word}|{scale})\b)*|\ba\s+(?:{scale})\b)"
    digits = r"(?<![\w.,/:#@+-])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w+]|[.,/]\d)"
    number = (rf"(?P<cur>{alternation([c for c in lex['currency'] if not c.isalpha()])})?"
              rf"(?:(?P<digits>{digits})(?:\s*(?P<scale>(?:{scale})\b))?|(?P<words>{words_number})"
              rf"|(?P<article>\ban?\b)(?=[\s-]+(?:{alternation(lex['time_units'])})\b))")
    unit = rf"(?:\s*-\s*|\s+|(?=%))(?P<unit>{units})(?![\w])"
    half = r"(?P<half>\s+and\s+a\s+half\b)?"  # 'two and a half hours'
    # 'a fifth of the country', 'two thirds of voters': a share, read as a percentage
    fraction = rf"(?P<frac>\b(?:a|one|{word})[\s-]+(?:{alternation(lex['fraction_words'])}|\w+th|thirds?)s?)(?=\s+of\b)"
    return re.compile(rf"(?:(?P<approx>\b(?:{approx}))\s+)?(?:{fraction}|{number}{half}(?:{unit})?)", re.IGNORECASE)


#: Runs of word characters: a claim that begins with a word or a digit begins where one of these does.
WORD_RUNS = re.compile(r"\w+")


def _begins(lex: dict) -> dict:
    """What `numbers_in` needs to know where a match of `_pattern` may begin: the lower-case first words of its
    approximators, number words and articles; the characters of its currency signs that are no letters, and how
    long a sign is. None when a word starts with no word character (then every place is tried)."""
    words = [*lex["approximators"], *lex["number_words"], "a", "an", "one"]
    first = [re.match(r"\w+", w) for w in words]
    if not all(first) or not all(f.group().isascii() for f in first):
        return None
    signs = [c for c in lex["currency"] if not c.isalpha()]
    marks = sorted({ch for c in signs for ch in c if not ch.isalpha()})
    return {"first": frozenset(f.group().lower() for f in first),
            "signs": re.compile("[" + re.escape("".join(marks)) + "]") if marks else None,
            "sign_length": max(map(len, signs), default=1)}


def _candidates(text: str, begins: dict) -> list[int]:
    """Places where a match may begin, in order (a superset). A match begins with a word of `begins["first"]`
    (an approximator, a number word, 'a', 'an'), a digit after no word character, or a currency sign. The first
    two begin a run of word characters that is that very word, as the pattern wants no word character after its
    words: such a run is kept when it starts with a digit, is that word in lower case, or is not ASCII (whose case
    folding is the regex's business, so it is tried). A sign holds a non-letter, found by itself; the places up to
    a sign's length before it are kept."""
    first = begins["first"]
    at = [run.start() for run in WORD_RUNS.finditer(text)
          if (word := run.group())[0] in "0123456789" or not word.isascii() or word.lower() in first]
    if begins["signs"] is not None:
        reach = begins["sign_length"]
        signs = {p for mark in begins["signs"].finditer(text) for p in range(max(0, mark.start() - reach + 1),
                                                                               mark.start() + 1)}
        if signs:
            at = sorted(signs.union(at))
    return at


def numbers_in(text: str, lex: dict):
    """The matches of `_pattern` in the text, exactly as its finditer gives them: the pattern is tried at each place
    a match may begin, from the end of the last match on (a lookbehind or \\b still sees the text before the
    place; no match is empty), instead of at every character, where it fails almost everywhere."""
    pattern, begins = lex["pattern"], lex["begins"]
    if begins is None:
        yield from pattern.finditer(text)
        return
    end = 0
    for at in _candidates(text, begins):
        if at >= end:
            m = pattern.match(text, at)
            if m is not None:
                yield m
                end = m.end()


def _unit_of(unit: str | None, lex: dict) -> tuple[str | None, str | None]:
    """(unit name, kind) for the unit as written; kind is time, percent or currency."""
    if not unit:
        return None, None
    u = " ".join(unit.lower().split())
    if u in lex["time_units"]:
        return lex["time_units"][u], "time"
    if u in [p.lower() for p in lex["percent_units"]]:
        return "percent", "percent"
    for k, v in lex["currency"].items():
        if k.lower() == u:
            return v, "currency"
    return None, None


def _token_at(doc, start: int, end: int):
    span = doc.char_span(start, end, alignment_mode="expand")
    return span[-1] if span is not None and len(span) else None


def _preceding_word(text: str, start: int) -> str:
    m = re.search(r"([\w.]+)\W*$", text[max(0, start - 30):start])
    return m.group(1).lower() if m else ""


def _is_not_quantity(text: str, m: re.Match, lex: dict) -> bool:
    """Years, dates, times of day, ages and labels share the digits of quantities but are not claims."""
    start, end = m.start("digits"), m.end()
    before, after = text[max(0, start - 20):start].lower(), text[end:end + 16].lower()
    if lex["month_before"].search(before):
        return True
    if lex["month_after"].match(after) or re.match(r"(?:st|nd|rd|th)\b", after):
        return True
    if lex["clock_after"].match(after) or before.endswith(":"):
        return True
    if m.group("unit") and re.match(r"\s*-?\s*olds?\b", after):
        return True
    if _preceding_word(text, start) in lex["label_words"]:
        return True
    digits = m.group("digits")
    return bool(digits and re.fullmatch(r"1[89]\d\d|20\d\d", digits) and not m.group("unit")
                and not m.group("scale") and not m.group("cur"))


def _noun_for(token):
    """The noun a number counts: its head through nummod/compound/quantmod, or None."""
    t, steps = token, 0
    while t.dep_ in ("nummod", "compound", "quantmod", "amod", "nmod") and t.head is not t and steps < 3:
        t, steps = t.head, steps + 1
        if t.pos_ in ("NOUN", "PROPN"):
            return t
    return None


def _share_measure(token, sentence_text: str, lex: dict) -> str:
    """territory_share for 'X% of <land or a country>', survey_share for shares of people or polls."""
    percent = token.head if token.head.lower_ in ("%", "percent", "cent") else token
    whole = None
    for t in list(percent.children) + list(token.children):
        if t.dep_ == "prep" and t.lower_ == "of":
            whole = next((c for c in t.children if c.dep_ == "pobj"), None)
            break
    if whole is not None:
        if whole.lower_ in lex["territory_nouns"] or whole.ent_type_ == "GPE" and whole.pos_ == "PROPN" \
                and not whole.lower_.endswith("s"):
            return "territory_share"
        if whole.lower_ in lex["survey_nouns"] or whole.ent_type_ == "NORP":
            return "survey_share"
    if any(re.search(rf"\b{re.escape(w)}\b", sentence_text, re.IGNORECASE) for w in lex["survey_words"]):
        return "survey_share"
    return "other"


def _value(m: re.Match, text: str, lex: dict) -> tuple[float, str | None, str | None] | None:
    """(value, unit, kind) of a number the pattern found, or None when it is no quantity; every number is read
    by numbers.parse_number."""
    if m.group("frac"):
        share = parse_number(m.group("frac"))
        return (round(share * 100, 6), "percent", "percent") if share and share < 1 else None
    if not (m.group("digits") or m.group("words") or m.group("article")):
        return None
    if m.group("digits") and _is_not_quantity(text, m, lex):
        return None
    unit, kind = _unit_of(m.group("unit"), lex)
    if m.group("cur"):
        unit, kind = lex["currency"].get(m.group("cur"), unit), "currency"
    if m.group("article"):
        if kind != "time" or (m.group("approx") is None and _preceding_word(text, m.start("article"))
                              not in lex["article_as_one_after"]):
            return None
        value = 1.0
    elif m.group("words"):
        value = parse_number(m.group("words"))
    else:
        value = parse_number(" ".join(filter(None, (m.group("digits"), m.group("scale")))))
    if not value:
        return None
    if m.group("half"):
        if not m.group("unit"):
            return None  # 'two and a half million': the scale after 'half' is not read
        value += 0.5
    return value, unit, kind


def extract_claims(parsed: ParsedArticle) -> list[dict]:
    """One row per numeric claim: value in the unit as written, unit, measure and evidence span."""
    text, doc = parsed.text or "", parsed.doc
    if not text.strip():
        return []
    lex = lexicon()
    cues = doc_cues(parsed)
    rows, taken = [], DisjointSpans()
    for m in numbers_in(text, lex):
        read = _value(m, text, lex)
        if read is None:
            continue
        value, unit, kind = read
        number = "frac" if m.group("frac") else "digits" if m.group("digits") else "words" if m.group("words") else None
        num_start, num_end = (m.start(number), m.end(number)) if number else (m.start(), m.end())
        token = _token_at(doc, num_start, num_end)
        if token is None:
            continue
        sentence = parsed.sentence_at(m.start())
        if kind == "time":
            if lex["relative_after_re"].match(text[m.end():m.end() + 10]):
                continue
            unit_token = _token_at(doc, m.start("unit"), m.end("unit")) or token
            if unit_token.lower_ in lex["ordinal_units"] and unit_token.pos_ != "NOUN":
                continue
            measure = time_measure(cues, unit_token, value)
            if measure is None:
                continue  # 'in four days', 'would one day join': a point in time, not a length
        elif kind == "percent":
            measure = _share_measure(token, sentence.text if sentence else "", lex)
        elif kind == "currency":
            measure = "other"
        else:
            # 'from about 13,000 to 8,600': the first number of a range counts what the second counts;
            # '12 million': the scale word carries the number's place in the clause
            anchor = token
            while anchor.dep_ in ("quantmod", "compound") and anchor.head.pos_ == "NUM" and anchor.head.i != anchor.i:
                anchor = anchor.head
            noun = _noun_for(anchor)
            measure = count_measure(cues, noun, anchor, written_in_digits=bool(m.group("digits")))
            if measure is None and m.group("words") and not token.is_sent_start:
                continue  # "two sides", "one path": a determiner, not a reported quantity
            if measure is None and noun is None and value < 10:
                continue
            unit = "person" if measure or noun is not None and cues.has(noun, "person_nouns") else "count"
            measure = measure or "other"
        start, end = m.start(), m.end()
        if taken.overlaps(start, end):
            continue
        taken.append((start, end))
        rows.append({
            "claim_id": stable_id("claim", parsed.article_id, start, end),
            "article_id": parsed.article_id,
            "sentence_id": parsed.sentence_id_at(start),
            "value": float(value),
            "unit": unit,
            "measure": measure,
            "text": text[start:end],
            "start": start,
            "end": end,
        })
    return rows
