"""Issue matching shared by positions and outcomes: the issue lexicon (issues.yaml) as spaCy patterns.

Each issue's `phrases` go to a PhraseMatcher on LEMMA (the phrases are lemmatised by the same model, so
no inflection is listed by hand) and to one on LOWER (headlines in title case carry proper-noun lemmas);
its `patterns` go to a Matcher. The whole doc is matched once; a sentence takes the matches inside it.
A meeting word with a named person in its "between"/"with" phrase or as its object is a leaders' meeting.
The stance cue helpers live in `stance_cues.py` and are re-exported here for the outcome extractor.
"""
from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass

from spacy.attrs import LEMMA
from spacy.matcher import PhraseMatcher

from pipeline.nlp.anchored_trees import AnchoredDependencyMatcher as DependencyMatcher  # spaCy's, anchored
from pipeline.nlp.anchored import AnchoredMatcher as Matcher
from pipeline.nlp.model import load_nlp
from pipeline.nlp.stance_cues import (SUBJECTS, cue_stance, is_copula, negated,  # noqa: F401 (re-exported)
                                      stance_lexicon)
from pipeline.nlp.word_flags import positions
from pipeline.reference import load_reference

#: Kept for outcomes.py, which still compares surface forms (it moves to LEMMA in its own change).
COPULAS = {"be", "is", "are", "was", "were", "been", "being", "'s", "’s", "'re", "’re",
           "remain", "remains", "remained"}


def word_forms(base: str) -> set[str]:
    """Regular inflections of a base word. Kept only for outcomes.py's surface lists; new rules match LEMMA."""
    forms = {base, base + "s", base + "es", base + "ed", base + "d", base + "ing"}
    if base.endswith("e"):
        forms.add(base[:-1] + "ing")
    if base.endswith("y") and len(base) > 2 and base[-2] not in "aeiou":
        forms |= {base[:-1] + "ies", base[:-1] + "ied"}
    if len(base) > 2 and base[-1] not in "aeiouwxy" and base[-2] in "aeiou" and base[-3] not in "aeiou":
        forms |= {base + base[-1] + "ed", base + base[-1] + "ing"}
    return forms


@dataclass(frozen=True)
class IssueMatch:
    issue: str
    start: int
    end: int
    span: object  # spacy Span over the match


# ---------- lexicon -------------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def issue_lexicon() -> dict:
    return load_reference("issues")


@functools.lru_cache(maxsize=None)
def issue_settings() -> tuple[frozenset, frozenset]:
    lex = issue_lexicon()
    return frozenset(lex.get("leaders_meeting_heads") or ()), frozenset(lex.get("mutual") or ())


@functools.lru_cache(maxsize=None)
def _matchers() -> tuple[PhraseMatcher, PhraseMatcher, Matcher, DependencyMatcher]:
    nlp = load_nlp()
    by_lemma, by_lower, tokens = (PhraseMatcher(nlp.vocab, attr="LEMMA"), PhraseMatcher(nlp.vocab, attr="LOWER"),
                                  Matcher(nlp.vocab))
    relations = DependencyMatcher(nlp.vocab)
    for issue, entry in issue_lexicon()["issues"].items():
        phrases = [str(p) for p in entry.get("phrases") or ()]
        if phrases:
            by_lemma.add(issue, list(nlp.pipe(phrases)))
            by_lower.add(issue, [nlp.make_doc(p.lower()) for p in phrases])
        patterns = entry.get("patterns") or ()
        if patterns:
            tokens.add(issue, [list(p) for p in patterns])
        for heads, objects in entry.get("relations") or ():
            relations.add(issue, _relation_patterns(list(heads), list(objects)))
        if entry.get("dependencies"):
            relations.add(issue, [list(p) for p in entry["dependencies"]])
    return by_lemma, by_lower, tokens, relations


#: How a `relations` head governs its object: directly (object, subject, compound), through "of", or as the
#: second item of a coordinated object ("release 500 soldiers and 200 civilians").
OBJECT_DEPS = ["dobj", "nsubj", "nsubjpass", "compound", "pobj"]


def _relation_patterns(heads: list[str], objects: list[str]) -> list[list[dict]]:
    head = {"RIGHT_ID": "head", "RIGHT_ATTRS": {"LEMMA": {"IN": heads}}}
    obj = {"LEMMA": {"IN": objects}}
    return [
        [head, {"LEFT_ID": "head", "REL_OP": ">", "RIGHT_ID": "obj", "RIGHT_ATTRS": {**obj, "DEP": {"IN": OBJECT_DEPS}}}],
        [head, {"LEFT_ID": "head", "REL_OP": ">", "RIGHT_ID": "of", "RIGHT_ATTRS": {"LOWER": "of"}},
         {"LEFT_ID": "of", "REL_OP": ">", "RIGHT_ID": "obj", "RIGHT_ATTRS": {**obj, "DEP": "pobj"}}],
        [head, {"LEFT_ID": "head", "REL_OP": ">", "RIGHT_ID": "first", "RIGHT_ATTRS": {"DEP": "dobj"}},
         {"LEFT_ID": "first", "REL_OP": ">", "RIGHT_ID": "obj", "RIGHT_ATTRS": {**obj, "DEP": "conj"}}],
    ]


def doc_issues(doc) -> list[tuple[str, int, int]]:
    """(issue, first token, end token) of every lexicon match in the doc, longest first per start; a match
    inside a longer one of another issue is dropped (the most specific phrase names the issue:
    'withdrawal of foreign forces' is a withdrawal, not foreign forces)."""
    memo = doc.user_data.get("parley.issues")
    if memo is not None:
        return memo
    strings = doc.vocab.strings
    *spans_matchers, relations = _matchers()
    found = {(strings[m], s, e) for matcher in spans_matchers for m, s, e in matcher(doc)}
    # a relation names its issue by its object ("swap ... prisoners", "sign the text"), so that the head verb
    # stays a governing word for the extractors ("refused to sign the text", "initialled the text")
    linked = {(strings[m], ids[-1], ids[-1] + 1) for m, ids in relations(doc)}
    kept = _longest(found) + [m for m in _longest(linked) if m not in found]
    kept.sort(key=lambda x: (x[1], -x[2], x[0]))
    doc.user_data["parley.issues"] = kept
    return kept


def _longest(found: set[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """The longest match per issue and start, without those inside a longer match (one sweep by start: a long
    article has thousands of matches)."""
    longest: dict[tuple[str, int], int] = {}
    for issue, s, e in found:
        longest[(issue, s)] = max(e, longest.get((issue, s), e))
    kept, reach, reach_start = [], -1, -1  # the furthest end of the spans seen so far, and where that span starts
    for issue, s, e in sorted(((i, s, e) for (i, s), e in longest.items()), key=lambda m: (m[1], -m[2])):
        if not (reach > e or reach == e and reach_start < s):
            kept.append((issue, s, e))
        if e > reach:
            reach, reach_start = e, s
    return kept


def covered(doc) -> frozenset[int]:
    """Indices of the tokens inside an issue match."""
    memo = doc.user_data.get("parley.issue_tokens")
    if memo is None:
        memo = frozenset(i for _, s, e in doc_issues(doc) for i in range(s, e))
        doc.user_data["parley.issue_tokens"] = memo
    return memo


# ---------- issues of a sentence ------------------------------------------------------------------

def find_issues(parsed, sentence, mentions: list[dict]) -> list[IssueMatch]:
    """Issue phrases in one sentence: lexicon matches plus meetings between named persons.

    Positions and outcomes both ask for every sentence with the article's mentions: the answer is kept on the
    parsed article and given to the second asker as it is."""
    memo = parsed.__dict__.setdefault("_issues", {})
    key = (sentence.start, sentence.end, len(mentions))
    if key not in memo:
        memo[key] = _find_issues(parsed, sentence, mentions)
    return memo[key]


def _find_issues(parsed, sentence, mentions: list[dict]) -> list[IssueMatch]:
    doc = parsed.doc
    chars, starts = _issue_chars(doc)
    found = []
    for x in range(bisect.bisect_left(starts, sentence.start), len(chars)):  # the matches starting in the sentence
        if starts[x] > sentence.end:
            break
        if chars[x][2] <= sentence.end:
            found.append(chars[x])
    found += _leaders_meetings(parsed, sentence, mentions)
    kept: list[IssueMatch] = []
    for issue, start, end in sorted(found, key=lambda f: (f[1], -f[2], f[0])):
        if any(k.issue == issue and k.start < end and start < k.end for k in kept):
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and len(span):
            kept.append(IssueMatch(issue, start, end, span))
    return kept


def _issue_chars(doc) -> tuple[list[tuple[str, int, int]], list[int]]:
    """doc_issues in characters (issue, start, end), in its order (by start), and their starts: made once per
    doc, not once per sentence (each sentence read every match of its article)."""
    memo = doc.user_data.get("parley.issue_chars")
    if memo is None:
        chars = [(issue, doc[s].idx, doc[e - 1].idx + len(doc[e - 1])) for issue, s, e in doc_issues(doc)]
        memo = doc.user_data["parley.issue_chars"] = (chars, [start for _, start, _ in chars])
    return memo


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


def _meeting_heads(doc) -> list[int]:
    """Indices of the doc's tokens whose lemma is a meeting head ('meeting', 'talk'), found in one pass per doc."""
    memo = doc.user_data.get("parley.meeting_heads")
    if memo is None:
        heads, _ = issue_settings()
        memo = doc.user_data["parley.meeting_heads"] = positions(doc, LEMMA, lambda lemma: lemma.lower() in heads)[0]
    return memo


def _leaders_meetings(parsed, sentence, mentions: list[dict]) -> list[tuple[str, int, int]]:
    """'a meeting between Zelensky and Putin', 'speak directly with Putin', 'meet Putin'."""
    persons = None  # built only for sentences holding a meeting word: most have none, and long articles many mentions
    doc = parsed.doc
    span = parsed.sentence_span(sentence)
    out = []
    at = _meeting_heads(doc) if span is not None else []
    for i in at[bisect.bisect_left(at, span.start):bisect.bisect_left(at, span.end)] if at else ():
        tok = doc[i]
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
