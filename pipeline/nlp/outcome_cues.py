"""Outcome cues as spaCy Matcher patterns built from outcomes.yaml: issue phrases of agreements, signing,
implementation and violation words, agreement frames ('under the text', 'the deal includes') and next-round
announcements. outcomes.py reads the matches; the patterns are data a researcher can extend.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from pipeline.nlp.anchored import AnchoredMatcher as Matcher  # spaCy's Matcher, run around its anchor words
from pipeline.nlp.model import load_nlp
from pipeline.reference import load_reference

CUE_FAMILIES = ("signing", "implemented", "violated", "next_round")


@dataclass(frozen=True)
class IssueMatch:
    """An issue phrase, shaped like the positions' issue matches (issue, character span, spaCy span)."""
    issue: str
    start: int
    end: int
    span: object


@functools.lru_cache(maxsize=None)
def lexicon() -> dict:
    lex = load_reference("outcomes")
    matcher = Matcher(load_nlp().vocab)
    for issue, patterns in lex["issues"].items():
        matcher.add(f"issue|{issue}", patterns)
    for family in CUE_FAMILIES:
        matcher.add(f"{family}|", lex[family])
    frames = {k: frozenset(v) for k, v in lex["agreement_frames"].items()}
    words = {k: frozenset(map(str, lex[k])) for k in ("unrealized_heads", "process_verbs", "condition_marks", "denial_words",
                                                     "clause_marks", "hypothetical_determiners")}
    return {"matcher": matcher, "frames": frames, **words}


class OutcomeCues:
    """The matches of one doc: issue spans by sentence start, and the token indices of each cue family."""

    def __init__(self, doc):
        strings = doc.vocab.strings
        self.issues: list[tuple[str, object]] = []
        self.tokens: dict[str, set[int]] = {f: set() for f in CUE_FAMILIES}
        self.spans: dict[str, list] = {f: [] for f in CUE_FAMILIES}
        for match_id, start, end in lexicon()["matcher"](doc):
            family, _, label = strings[match_id].partition("|")
            span = doc[start:end]
            if family == "issue":
                self.issues.append((label, span))
            else:
                self.tokens[family].update(range(start, end))
                self.spans[family].append(span)

    def issue_matches(self, sentence_span) -> list[IssueMatch]:
        """Issue phrases inside one sentence, the longest of overlapping matches of one issue kept."""
        found = [(issue, span) for issue, span in self.issues
                 if span.start >= sentence_span.start and span.end <= sentence_span.end]
        kept: list[IssueMatch] = []
        for issue, span in sorted(found, key=lambda f: (f[1].start, -len(f[1]))):
            if any(k.issue == issue and k.span.start < span.end and span.start < k.span.end for k in kept):
                continue
            kept.append(IssueMatch(issue, span.start_char, span.end_char, span))
        return kept

    def in_clause(self, family: str, span) -> bool:
        """A cue of `family` says what happened to the issue phrase: inside it, in a relative clause on it ('a
        ceasefire that holds'), or as the verb it is subject or object of, with that verb's complements ('the
        ceasefire is holding', 'appeared to be broadly holding', 'has gone unfulfilled', 'breaching the truce').
        'Ceasefire talks were held' is no holding ceasefire: the phrase is no argument of 'held'."""
        tokens = self.tokens[family]
        if not tokens:  # no cue of the family in the doc: nothing to look for around the phrase
            return False
        root = span.root
        near = [*span, *(c for c in root.children if c.dep_ in ("relcl", "acl"))]
        near += [x for c in near[len(span):] for x in c.subtree]
        arg = root
        while arg.dep_ in ("appos", "conj") and arg.head.i != arg.i:  # 'the clause — the departure of ... — has'
            arg = arg.head
        if arg.dep_ in ("nsubj", "nsubjpass", "dobj") and arg.head.i != arg.i:
            verb = arg.head
            near += [verb, *(x for c in verb.children if c.dep_ in ("acomp", "xcomp", "oprd", "prt", "dobj")
                             for x in c.subtree)]
        return any(tok.i in tokens for tok in near)

    def next_round_spans(self, sentence_span) -> list:
        return [s for s in self.spans["next_round"] if sentence_span.start <= s.start and s.end <= sentence_span.end]


def doc_outcome_cues(parsed) -> OutcomeCues:
    memo = parsed.__dict__
    if "_outcome_cues" not in memo:
        memo["_outcome_cues"] = OutcomeCues(parsed.doc)
    return memo["_outcome_cues"]


def agreement_frame(verb) -> bool:
    """'Under the agreement, X will ...', 'the deal includes X', 'the text commits both sides to X'."""
    frames = lexicon()["frames"]
    for child in verb.children:  # 'under the text, ...', 'is bound by the plan to ...'
        if (child.dep_ == "prep" and child.lower_ == "under" or child.dep_ == "agent") and any(
                g.lemma_.lower() in frames["nouns"] for g in child.children if g.dep_ == "pobj"):
            return True
    # 'the deal includes X' reports a text; 'any agreement must include X' is a demand
    modal = any(c.dep_ == "aux" and c.tag_ == "MD" for c in verb.children)
    return not modal and verb.lemma_.lower() in frames["verbs"] and any(
        c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in frames["nouns"] for c in verb.children)


def signed(cues: OutcomeCues, span) -> bool:
    """A realised, not negated signing in `span` (a sentence or the whole doc: 'signed a permanent ceasefire', 'the
    accord was signed'); 'neither leader signed', 'did not sign', 'signed nothing' are no signing."""
    if not cues.tokens["signing"]:
        return False
    for tok in span:
        if tok.i in cues.tokens["signing"] and not _denied(tok):
            return True
    return False


def _denied(verb) -> bool:
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    denial = lexicon()["denial_words"]
    return any(c.dep_ in ("nsubj", "nsubjpass", "dobj") and (
        c.lower_ in denial or any(d.dep_ in ("det", "preconj") and d.lower_ in denial for d in c.children))
        for c in verb.children)
