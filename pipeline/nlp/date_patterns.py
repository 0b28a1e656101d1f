"""The date rules as a spaCy Matcher, built from the `tokens` and `patterns` of dates.yaml.

Each family ("month_day", "weekday", ...) is a list of patterns written as token-class names; a class is a
spaCy token-pattern dict whose word lists name the vocabulary above it in the same file. The relative day
words ("yesterday", "the day before") are phrases: each becomes a pattern of its tokens' LOWER forms.
`date_matches` gives the longest non-overlapping matches, the family listed first winning a tie.
"""
from __future__ import annotations

import copy
import functools
import re

from spacy.tokens import Doc, Span

from pipeline.nlp.anchored import AnchoredMatcher as Matcher  # spaCy's Matcher, run around its anchor words
from pipeline.reference import load_reference

OPERATORS = "?*+"
RELATIVE = "relative"


@functools.lru_cache(maxsize=None)
def reference() -> dict:
    return load_reference("dates")


def words(name: str) -> list[str]:
    """The words of a list or mapping of dates.yaml, lowercased."""
    return [str(w).lower() for w in reference()[name]]


def _expand(value: str) -> list[str]:
    """'$months|title|dot' -> the words of `months`, capitalised, each also with a full stop."""
    name, *mods = value[1:].split("|")
    out = words(name)
    if "title" in mods:
        out = [w.title() for w in out]
    if "dot" in mods:
        out = out + [w + "." for w in out]
    return out


def _fill(spec):
    """A token-class dict with its "$list" references and "{list}" regex placeholders filled in."""
    if isinstance(spec, dict):
        out = {}
        for key, value in spec.items():
            if key in ("IN", "NOT_IN") and isinstance(value, str) and value.startswith("$"):
                out[key] = _expand(value)
            elif key == "REGEX":
                out[key] = re.sub(r"\{(\w+)\}", lambda m: "|".join(map(re.escape, words(m.group(1)))), value)
            else:
                out[key] = _fill(value)
        return out
    return copy.deepcopy(spec)


def token_pattern(text: str, classes: dict) -> list[dict]:
    """'weekday? comma? month_any day' -> a spaCy Matcher pattern."""
    pattern = []
    for item in text.split():
        name, op = (item[:-1], item[-1]) if item[-1] in OPERATORS else (item, None)
        if name not in classes:
            raise ValueError(f"dates.yaml: pattern {text!r} names an unknown token class {name!r}")
        token = _fill(classes[name])
        if op:
            token["OP"] = op
        pattern.append(token)
    return pattern


@functools.lru_cache(maxsize=4)
def matcher(vocab) -> tuple[Matcher, tuple[str, ...]]:
    """(the Matcher over `vocab`, the families in order of preference)."""
    ref = reference()
    m = Matcher(vocab, validate=True)
    families = list(ref["patterns"])
    for family in families:
        m.add(family, [token_pattern(p, ref["tokens"]) for p in ref["patterns"][family]])
    m.add(RELATIVE, [[{"LOWER": w} for w in phrase.split()] for phrase in words("relative_days")])
    return m, (*families, RELATIVE)


EDGE_PUNCT = (",", "-", "–", "—")


def _trimmed(span: Span) -> Span:
    """A match without the commas and dashes its optional weekday or year left at either end."""
    start, end = span.start, span.end
    while end > start + 1 and span.doc[end - 1].text in EDGE_PUNCT:
        end -= 1
    while start < end - 1 and span.doc[start].text in EDGE_PUNCT:
        start += 1
    return span.doc[start:end]


def windows(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges that may hold a date: the Matcher's windows around its patterns' anchor words (a month, weekday,
    relative or part word, a number's shape), overlapping ones merged (pipeline/nlp/anchored.py)."""
    return matcher(doc.vocab)[0].windows(doc) if len(doc) else []


def date_matches(doc: Doc, valid=None) -> list[tuple[str, Span]]:
    """(family, span) of every date expression that `valid(family, span)` accepts, longest first among overlapping
    ones, in text order. The check comes before the choice, so a longer match turned down leaves its shorter
    variant ("May 16" when the year of "May 16, 1500" is no year)."""
    m, families = matcher(doc.vocab)
    rank = {f: i for i, f in enumerate(families)}
    found = [(doc.vocab.strings[key], _trimmed(doc[start:end])) for key, start, end in m(doc)]
    found = [(f, s) for f, s in found if valid is None or valid(f, s)]
    found.sort(key=lambda fs: (-(fs[1].end - fs[1].start), rank[fs[0]], fs[1].start))
    taken = set()
    kept = []
    for family, span in found:
        if taken.isdisjoint(range(span.start, span.end)):
            taken.update(range(span.start, span.end))
            kept.append((family, span))
    return sorted(kept, key=lambda fs: fs[1].start)
