"""Stance cues (stances.yaml) as spaCy patterns on LEMMA: which token of a parsed doc carries which stance.

A one-word cue is a Matcher pattern on its lemma; a two-word cue ("call for", "rule out") is found both
as adjacent words (Matcher) and as a head with that word among its dependents (DependencyMatcher:
"called repeatedly for"); "ask >xcomp" is a head with a dependent of that relation ("asked the rebels to
hand over ..."). The word patterns are plain word sequences, read by lookup (word_sequences.py gives the
Matcher's set of matches; the least key per token is kept, so their order cannot matter). The matches of a doc
are computed once and kept in `doc.user_data`.
"""
from __future__ import annotations

import functools

from pipeline.nlp.anchored_trees import AnchoredDependencyMatcher as DependencyMatcher  # spaCy's, anchored
from pipeline.nlp.anchored import AnchoredMatcher as Matcher
from pipeline.nlp.model import load_nlp
from pipeline.nlp.word_sequences import WordSequences
from pipeline.reference import load_reference

SUBJECTS = {"nsubj", "nsubjpass"}
_MEMO = "parley.stance_cues"


@functools.lru_cache(maxsize=None)
def stance_lexicon() -> dict:
    return load_reference("stances")


@functools.lru_cache(maxsize=None)
def lexicon_words(key: str) -> frozenset[str]:
    """The words listed under `key` of stances.yaml (none when absent), as a set made once: the tests below ran on
    every token of every issue's chain of heads and rebuilt it each time."""
    return frozenset(stance_lexicon().get(key) or ())


def _entries() -> list[tuple[str, str, str | None, str | None]]:
    """(stance, head lemma, particle word or None, dependency or None), in the lexicon's order."""
    out = []
    for stance, words in stance_lexicon()["stances"].items():
        for entry in words:
            head, _, second = entry.partition(" ")
            if second.startswith(">"):
                out.append((stance, head, None, second[1:]))
            else:
                out.append((stance, head, second or None, None))
    return out


@functools.lru_cache(maxsize=None)
def _keyed() -> tuple[list[tuple[str, list]], list[tuple[str, list]], dict[str, tuple[str, str | None]]]:
    """((key, token patterns), (key, dependency patterns), key -> (stance, particle)) of every cue."""
    words, deps, keys = [], [], {}
    for n, (stance, head, particle, dep) in enumerate(_entries()):
        key = f"{n:03d}|{stance}|{head}|{particle or ''}"
        keys[key] = (stance, particle)
        head, _, pos = head.partition(":")
        if particle is None and dep is None:
            only = {"POS": pos} if pos else {}
            words.append((key, [[{"LEMMA": head, **only}], [{"LOWER": head, **only}]]))
            continue
        child = {"LOWER": particle} if particle else {"DEP": dep}
        deps.append((key, [[{"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LEMMA": head}},
                            {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "second", "RIGHT_ATTRS": child}]]))
        if particle:
            words.append((key, [[{"LEMMA": head}, {"LOWER": particle}]]))
    return words, deps, keys


@functools.lru_cache(maxsize=None)
def _matchers() -> tuple[Matcher, DependencyMatcher, dict[str, tuple[str, str | None]]]:
    vocab = load_nlp().vocab
    words, deps = Matcher(vocab), DependencyMatcher(vocab)
    word_patterns, dep_patterns, keys = _keyed()
    for key, patterns in word_patterns:
        words.add(key, patterns)
    for key, patterns in dep_patterns:
        deps.add(key, patterns)
    return words, deps, keys


@functools.lru_cache(maxsize=None)
def _sequences() -> WordSequences | None:
    return WordSequences.of(_keyed()[0], load_nlp().vocab)


def doc_cues(doc) -> dict[int, tuple[str, str | None]]:
    """Token index -> (stance, particle or None) for every cue of the doc; the lexicon's first entry wins."""
    memo = doc.user_data.get(_MEMO)
    if memo is not None:
        return memo
    words, deps, keys = _matchers()
    vocab_strings = doc.vocab.strings
    found: dict[int, str] = {}
    table = _sequences()  # the least key per token is kept: the order of the matches cannot matter
    for match_id, start, _ in (table(doc) if table is not None else words(doc)):
        key = vocab_strings[match_id]
        if start not in found or key < found[start]:
            found[start] = key
    for match_id, token_ids in deps(doc):
        key, head = vocab_strings[match_id], token_ids[0]
        if head not in found or key < found[head]:
            found[head] = key
    memo = {i: keys[key] for i, key in found.items()}
    doc.user_data[_MEMO] = memo
    return memo


def cue_stance(token) -> str | None:
    """The stance a token carries as a cue, if any."""
    hit = doc_cues(token.doc).get(token.i)
    return hit[0] if hit else None


def cue_particle(token) -> str | None:
    """The second word of the token's two-word cue ("for" of "call for"), if any."""
    hit = doc_cues(token.doc).get(token.i)
    return hit[1] if hit else None


def self_cue(token) -> str | None:
    """The stance of a verb that names its own issue ("will never recognise Kosovo")."""
    return (stance_lexicon().get("self_cues") or {}).get(token.lemma_.lower())


def is_copula(token) -> bool:
    return token.lemma_.lower() in lexicon_words("copulas")


def lemma_in(token, key: str) -> bool:
    """Whether the token's lemma is listed under `key` of stances.yaml (e.g. giving_verbs)."""
    return token.lemma_.lower() in lexicon_words(key)


def negated(token) -> bool:
    """'did not agree', 'has no interest', 'is not ready' (the copula carries the negation)."""
    negators = lexicon_words("negators")
    nodes = [token, token.head] if token.dep_ == "acomp" or (token.dep_ == "xcomp" and is_copula(token.head)) \
        else [token]
    return any(c.dep_ in ("neg", "det") and (c.lower_ in negators or c.lemma_.lower() in negators)
               for n in nodes for c in n.children)
