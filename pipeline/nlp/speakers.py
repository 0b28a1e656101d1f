"""Speakers: who a cue's subject is — a mention, a pronoun, or a description ('the Ukrainian leader').

One resolver for every extractor that needs the actor behind a subject (quotes; positions may adopt it).
A pronoun (cues.yaml `pronouns`) goes to the most salient compatible mention in its sentence, else in up to
SPEAKER_WINDOW sentences back; a pronoun resolved before counts as a mention of its referent where it
stands, so 'X said ... she told ... she said' keeps X over a long quotation. A definite description
goes to the latest person of that nationality ('the Ukrainian leader', 'the Russian minister') or the
latest organisation whose name ends in that noun ('the department' after 'the State Department'); a
description by title goes first to the person the article gives that title ('the prime minister').
"""
from __future__ import annotations

import bisect
import functools

from pipeline.nlp.actor_dictionary import load_actor_dictionary, word_key
from pipeline.nlp.document import ParsedArticle
from pipeline.reference import load_reference

#: How many sentences before its own a pronoun or a description looks for what it refers to.
SPEAKER_WINDOW = 4
SUBJECT_DEPS = ("nsubj", "nsubjpass")
#: Dependents that belong to a subject's name ("Ukrainian President Zelenskyy", "X, the envoy,").
NAME_DEPS = ("compound", "amod", "appos", "flat", "poss", "nmod", "det", "punct", "case")
DEFINITE = ("the", "this", "that")


@functools.lru_cache(maxsize=None)
def pronouns() -> tuple[dict[str, str], dict[str, frozenset]]:
    """({pronoun: class}, {class: actor types it may refer to}) from cues.yaml."""
    ref = load_reference("cues")
    classes = {w.lower(): cls for cls, ws in ref["pronouns"].items() for w in ws}
    return classes, {cls: frozenset(ts) for cls, ts in ref["pronoun_targets"].items()}


@functools.lru_cache(maxsize=None)
def _possessive_pronouns() -> dict[str, str]:
    ref = load_reference("cues")
    return {w.lower(): cls for cls, ws in ref["possessive_pronouns"].items() for w in ws}


def pronoun_class(word: str, possessive: bool = False) -> str | None:
    """'person' or 'collective' for a pronoun of cues.yaml ('she', 'they'; with possessive, 'his', 'their' too):
    the one pronoun list of quotes, speakers and positions."""
    low = word.lower()
    return pronouns()[0].get(low) or (_possessive_pronouns().get(low) if possessive else None)


@functools.lru_cache(maxsize=None)
def title_nouns() -> frozenset[str]:
    """The one-word titles of roles.yaml ('leader', 'minister', 'envoy'): heads of a description of a person."""
    from pipeline.nlp.roles import load_vocabulary

    vocab = load_vocabulary()
    words = {t[-1] for t in vocab.titles if not t[-1].startswith("{")}
    return frozenset(words | set(vocab.plurals))


def name_chars(token) -> tuple[int, int]:
    """Character span of a subject with the words of its name, not its prepositional phrases."""
    keep, todo = [token], [token]
    while todo:
        t = todo.pop()
        for c in t.children:
            if c.dep_ in NAME_DEPS:
                keep.append(c)
                todo.append(c)
    return min(t.idx for t in keep), max(t.idx + len(t) for t in keep)


class Speakers:
    """One article's mentions, for finding the actor a subject token stands for."""

    def __init__(self, parsed: ParsedArticle, mentions: list[dict], excluded: list[tuple[int, int]] = (),
                 roles: list[dict] | None = None):
        self.parsed, self.doc = parsed, parsed.doc
        # mentions inside quotations are the speaker's words, not antecedents
        self.mentions = sorted((m for m in mentions if m.get("start") is not None
                                and not any(a <= m["start"] < b for a, b in excluded)), key=lambda m: m["start"])
        self.all = sorted((m for m in mentions if m.get("start") is not None), key=lambda m: m["start"])
        self.starts = [m["start"] for m in self.all]
        self.resolved: list[tuple[int, dict]] = []  # (where a pronoun stood, the mention it was resolved to)
        self.titles: dict[str, set[str]] = {}  # actor -> the words of the roles the article gives them
        for r in roles or []:
            self.titles.setdefault(r["actor_id"], set()).update(word_key(w) for w in str(r["role"]).split())

    def mention_for(self, subject) -> dict | None:
        """The mention naming the subject: one over the subject word itself, else one in its name."""
        own = self._overlapping(subject.idx, subject.idx + len(subject))
        if own:
            return max(own, key=lambda m: (m.get("actor_type") == "person", m["end"] - m["start"]))
        start, end = name_chars(subject)
        return max(self._overlapping(start, end), key=lambda m: (m.get("actor_type") == "person", m["start"]),
                   default=None)

    def _overlapping(self, start: int, end: int) -> list[dict]:
        i = bisect.bisect_left(self.starts, end)
        return [m for m in self.all[max(0, i - 8):i] if m["start"] < end and start < m["end"]]

    def speaker(self, subject) -> tuple[dict | None, str | None]:
        """(the mention the subject stands for, the subject's words)."""
        if subject is None:
            return None, None
        classes, _ = pronouns()
        if subject.lower_ in classes:
            return self.pronoun(subject), subject.text
        start, end = name_chars(subject)
        own = self._overlapping(subject.idx, subject.idx + len(subject))
        m = self.mention_for(subject) if own else (self.description(subject) or self.mention_for(subject))
        return m, (m["surface"] if own else self.parsed.text[start:end])

    def _window(self, char: int) -> list:
        if not self.parsed.sentences:
            return []
        index = self.parsed.sentence_index_at(char)
        return list(reversed(self.parsed.sentences[max(0, index - SPEAKER_WINDOW):index + 1]))

    def pronoun(self, token) -> dict | None:
        """The most salient compatible mention before the pronoun: this sentence, then up to SPEAKER_WINDOW
        back; within a sentence a main-clause subject beats any other subject, which beats the latest."""
        classes, targets = pronouns()
        allowed = targets.get(classes.get(token.lower_), frozenset())
        found = self._latest(token.idx, lambda m: m.get("actor_type") in allowed, salient=True)
        if found is not None:
            self.resolved.append((token.idx, found))
        return found

    def description(self, subject) -> dict | None:
        """'the Ukrainian leader' -> the latest Ukrainian person; 'the department' -> the latest
        organisation whose name ends in 'department'."""
        if not any(c.dep_ == "det" and c.lower_ in DEFINITE for c in subject.children):
            return None
        noun = word_key(subject.lemma_ or subject.text)
        d = load_actor_dictionary()
        codes = {d.country_of(c.text) for c in subject.children if c.dep_ in ("amod", "compound")} - {None}
        if noun in title_nouns():
            words = {word_key(c.text) for c in subject.children if c.dep_ == "compound"} | {noun}
            holders = {a for a, held in self.titles.items() if words <= held}
            if holders:  # 'the prime minister' is the person the article calls prime minister
                return self._latest(subject.idx, lambda m: m.get("actor_id") in holders)
            return self._latest(subject.idx, lambda m: m.get("actor_type") == "person"
                                and (not codes or m.get("country") in codes))
        return self._latest(subject.idx, lambda m: m.get("actor_type") in ("organization", "state", "group")
                            and word_key((m.get("name") or "").split()[-1] if m.get("name") else "") == noun)

    def _latest(self, char: int, fits, salient: bool = False) -> dict | None:
        pool = [m for m in self.mentions if m["end"] <= char and fits(m)]
        for s in self._window(char):
            here = [m for m in pool if s.start <= m["start"] < s.end]
            here += [m for at, m in self.resolved if s.start <= at < s.end and at < char and fits(m)]
            if here:
                if salient:
                    return min(here, key=lambda m: (self._salience(m), -m["start"]))
                return max(here, key=lambda m: m["start"])
        return None

    def _salience(self, mention: dict) -> int:
        """0 for the subject of a main verb, 1 for any other subject, 2 otherwise."""
        span = self.doc.char_span(mention["start"], mention["end"], alignment_mode="expand")
        if span is None or not len(span):
            return 2
        root = span.root
        if root.dep_ in SUBJECT_DEPS:
            return 0 if root.head.dep_ in ("ROOT", "conj") or root.head.head is root.head else 1
        return 2
