"""Issue matching shared by positions and outcomes: the issue lexicon (issues.yaml), the stance
cue lexicon (stances.yaml), regular word forms, negation, and the issue phrases of a sentence.

The model runs without a lemmatizer, so cue words are matched through their regular inflections
(`word_forms`) plus the irregular forms the stance lexicon lists.
"""
from __future__ import annotations

import bisect

import functools
import re
from dataclasses import dataclass

from pipeline.reference import load_reference

SUBJECTS = {"nsubj", "nsubjpass"}
COPULAS = {"be", "is", "are", "was", "were", "been", "being", "'s", "’s", "'re", "’re",
           "remain", "remains", "remained"}


@dataclass(frozen=True)
class IssueMatch:
    issue: str
    start: int
    end: int
    span: object  # spacy Span over the match


# ---------- lexicons ------------------------------------------------------------------------------

def word_forms(base: str) -> set[str]:
    """Regular inflections of a base word (the model runs without a lemmatizer)."""
    forms = {base, base + "s", base + "es", base + "ed", base + "d", base + "ing"}
    if base.endswith("e"):
        forms.add(base[:-1] + "ing")
    if base.endswith("y") and len(base) > 2 and base[-2] not in "aeiou":
        forms |= {base[:-1] + "ies", base[:-1] + "ied"}
    if len(base) > 2 and base[-1] not in "aeiouwxy" and base[-2] in "aeiou" and base[-3] not in "aeiou":
        forms |= {base + base[-1] + "ed", base + base[-1] + "ing"}
    return forms


@functools.lru_cache(maxsize=None)
def stance_lexicon() -> dict:
    return load_reference("stances")


@functools.lru_cache(maxsize=None)
def cue_table() -> dict[str, tuple[tuple[str, str | None], ...]]:
    """Surface form -> ((stance, required second word or None), ...)."""
    lex = stance_lexicon()
    table: dict[str, list] = {}
    irregular: dict[str, list[str]] = {}
    for form, base in (lex.get("irregular") or {}).items():
        irregular.setdefault(base, []).append(form)
    for stance, words in lex["stances"].items():
        for entry in words:
            head, _, particle = entry.partition(" ")
            for form in word_forms(head) | set(irregular.get(head, ())):
                table.setdefault(form, []).append((stance, particle or None))
    return {form: tuple(v) for form, v in table.items()}


@functools.lru_cache(maxsize=None)
def _issue_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    lex = load_reference("issues")["issues"]
    return tuple((issue, re.compile(rf"(?<!\w)(?:{p})(?!\w)", re.IGNORECASE))
                 for issue, patterns in lex.items() for p in patterns)


@functools.lru_cache(maxsize=None)
def issue_settings() -> tuple[frozenset, frozenset]:
    lex = load_reference("issues")
    return frozenset(lex.get("leaders_meeting_heads") or ()), frozenset(lex.get("mutual") or ())


def cue_stance(token) -> str | None:
    """The stance a token carries as a cue, if any (a two-word cue needs its second word)."""
    for stance, particle in cue_table().get(token.lower_, ()):
        if particle is None or _has_particle(token, particle):
            return stance
    return None


def _has_particle(token, particle: str) -> bool:
    nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return (nxt is not None and nxt.lower_ == particle) or any(c.lower_ == particle for c in token.children)


def negated(token) -> bool:
    """'did not agree', 'has no interest', 'is not ready' (the copula carries the negation)."""
    negators = set(stance_lexicon().get("negators") or ())
    nodes = [token, token.head] if token.dep_ == "acomp" else [token]
    return any(c.dep_ in ("neg", "det") and c.lower_ in negators for n in nodes for c in n.children)


# ---------- issues --------------------------------------------------------------------------------

def find_issues(parsed, sentence, mentions: list[dict]) -> list[IssueMatch]:
    """Issue phrases in one sentence: lexicon patterns plus meetings between named persons.

    Positions and outcomes both ask for every sentence with the article's mentions: the answer is kept on the
    parsed article and given to the second asker as it is."""
    memo = parsed.__dict__.setdefault("_issues", {})
    key = (sentence.start, sentence.end, len(mentions))
    if key not in memo:
        memo[key] = _find_issues(parsed, sentence, mentions)
    return memo[key]


def _find_issues(parsed, sentence, mentions: list[dict]) -> list[IssueMatch]:
    found = []
    for issue, pattern in _issue_patterns():
        for m in pattern.finditer(sentence.text):
            found.append((issue, sentence.start + m.start(), sentence.start + m.end()))
    found += _leaders_meetings(parsed, sentence, mentions)
    kept: list[IssueMatch] = []
    for issue, start, end in sorted(found, key=lambda f: (f[1], -f[2], f[0])):
        if any(k.issue == issue and k.start < end and start < k.end for k in kept):
            continue
        span = parsed.doc.char_span(start, end, alignment_mode="expand")
        if span is not None and len(span):
            kept.append(IssueMatch(issue, start, end, span))
    return kept


def _person_spans(parsed, mentions: list[dict]) -> tuple[list[int], list[int]]:
    """(starts, ends) of the article's person mentions, sorted; made once per article and number of mentions
    (a long article asked for them in every sentence with a meeting word: quadratic)."""
    memo = parsed.__dict__.setdefault("_person_spans", {})
    if len(mentions) not in memo:
        spans = sorted((m["start"], m["end"]) for m in mentions if m.get("actor_type") == "person")
        memo[len(mentions)] = ([s for s, _ in spans], [e for _, e in spans])
    return memo[len(mentions)]


def _inside(char: int, spans: tuple[list[int], list[int]]) -> bool:
    """Whether `char` lies in one of the spans (mention spans of an article never overlap)."""
    starts, ends = spans
    i = bisect.bisect_right(starts, char) - 1
    return i >= 0 and char < ends[i]


def _leaders_meetings(parsed, sentence, mentions: list[dict]) -> list[tuple[str, int, int]]:
    """'a meeting between Zelensky and Putin', 'speak directly with Putin', 'meet Putin'."""
    heads, _ = issue_settings()
    persons = None  # built only for sentences holding a meeting word: most have none, and long articles many mentions
    span = parsed.doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
    out = []
    for tok in span if span is not None else ():
        if tok.lower_ not in heads:
            continue
        if persons is None:
            persons = _person_spans(parsed, mentions)
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ in ("between", "with"):
                names = [t for t in child.subtree if t.dep_ in ("pobj", "conj")]
            elif child.dep_ == "dobj":
                names = [t for t in child.subtree if t.i == child.i or t.dep_ == "conj"]
            else:
                continue
            if any(_inside(t.idx, persons) for t in names):
                out.append(("leaders_meeting", tok.idx, max(t.idx + len(t) for t in child.subtree)))
    return out
