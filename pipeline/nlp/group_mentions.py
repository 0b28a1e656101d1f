"""Group mentions: a state's officials, side or delegation ('Ukrainian officials', "Russia's negotiation team",
'Russian and American delegations'), found after a state's mention by a phrase matcher of actors.yaml's group
nouns over the tokens' name keys (KeyPhrases, also the matcher of the dictionary's aliases). Mixed into
mentions._Article.
"""
from __future__ import annotations

import functools

from pipeline.nlp.actor_dictionary import ActorDictionary, name_key, word_key
from pipeline.nlp.model import load_nlp

POSSESSIVES = ("'s", "\u2019s", "'", "\u2019")


@functools.lru_cache(maxsize=65_536)  # pure; every token of every article is keyed
def token_key(text: str) -> str:
    """A token as aliases and nouns are compared: its name_key, one placeholder for none (punctuation)."""
    return name_key(text).replace(" ", "_") or "\u2205"


def key_words(words: list[str]) -> list[str]:
    """The name keys of an article's tokens (`words`: their texts), aligned token for token."""
    return [token_key(w) for w in words]


def phrase_keys(nlp, phrase: str) -> tuple[str, ...]:
    """A phrase's name keys, tokenised as an article's text is."""
    return tuple(token_key(t.text) for t in nlp.make_doc(phrase))


class KeyPhrases:
    """spaCy's PhraseMatcher on ORTH over a Doc of name keys, without that Doc (building it asked the vocabulary
    for a lexeme per token, ~1 us): every (label, start, end) where the keys from start to end are a phrase of
    that label, each once; phrases of no token are left out, as PhraseMatcher leaves them. Callers read the
    matches by start and end, never by their order."""

    def __init__(self):
        self.labels: dict[tuple[str, ...], list[str]] = {}  # phrase -> its labels, each once
        self.lengths: dict[str, list[int]] = {}  # first key -> the lengths of the phrases it starts, longest first

    def add(self, label: str, phrase: tuple[str, ...]) -> None:
        if not phrase:
            return
        labels = self.labels.setdefault(phrase, [])
        if label not in labels:
            labels.append(label)
        lengths = self.lengths.setdefault(phrase[0], [])
        if len(phrase) not in lengths:
            lengths.append(len(phrase))
            lengths.sort(reverse=True)

    def __call__(self, keys: list[str]) -> list[tuple[str, int, int]]:
        out, lengths, labels, n = [], self.lengths, self.labels, len(keys)
        for start in [i for i, key in enumerate(keys) if key in lengths]:  # where a phrase may start
            for length in lengths[keys[start]]:
                if start + length <= n:
                    for label in labels.get(tuple(keys[start:start + length]), ()):
                        out.append((label, start, start + length))
        return out


@functools.lru_cache(maxsize=4)
def group_noun_matcher(d: ActorDictionary) -> tuple[KeyPhrases, dict[tuple[str, str], int]]:
    """The group nouns of actors.yaml ('officials', 'negotiation team') as phrases of name keys, and each
    one's rank: plural nouns before singular ones, each list in its own order."""
    nlp = load_nlp()
    matcher, rank = KeyPhrases(), {}
    for label, nouns in (("plural", d.group_nouns_plural), ("singular", d.group_nouns_singular)):
        for noun in nouns:
            words = phrase_keys(nlp, noun)
            rank.setdefault((label, " ".join(words)), len(rank))
            matcher.add(label, words)
    return matcher, rank


class GroupMentions:
    """The group-noun half of an article's mention finding."""

    def scan_groups(self) -> None:
        """'Ukrainian officials', 'the Russian side', "Russia's negotiation team", 'Russian and
        American delegations' (each nationality its own group)."""
        doc, d = self.doc, self.d
        states = sorted({(c.start, c.end, c.actor.country) for c in self.candidates
                         if c.actor.actor_type == "state" and c.actor.country})
        person_starts = {c.start for c in self.candidates if c.actor.actor_type == "person"}
        person_starts |= {p[0] for p in self.pending}
        by_start = {s: (e, code) for s, e, code in states}
        matcher, rank = group_noun_matcher(d)
        self.nouns: dict[int, list[tuple[int, int, bool]]] = {}  # start -> [(rank, end, singular)]
        for name, start, end in matcher(self.keys) if states else ():
            phrase = " ".join(self.keys[start:end])
            self.nouns.setdefault(start, []).append((rank[(name, phrase)], end, name == "singular"))
        for start, end, code in states:
            j = end
            if j < len(doc) and doc[j].text in POSSESSIVES:
                j += 1
            coordinated = j < len(doc) and doc[j].lower_ in ("and", "&") and (j + 1) in by_start
            if coordinated:
                j = by_start[j + 1][0]
            noun_end = self._group_noun(j, person_starts)
            if noun_end is None:
                continue
            self.add(start, end if coordinated else noun_end, d.group(code), "GROUP")

    def _group_noun(self, j: int, person_starts: set[int]) -> int | None:
        doc, d = self.doc, self.d
        for _ in range(5):
            for _, end, singular in sorted(self.nouns.get(j, ())):  # plural nouns first, each list in its order
                if all(t.is_lower for t in doc[j:end]):
                    after = end + (1 if end < len(doc) and doc[end].text == "," else 0)
                    if singular and after in person_starts:
                        return None
                    return end
            if j < len(doc) and (doc[j].text == "-" or doc[j].is_lower and word_key(doc[j].text) in d.group_modifiers):
                j += 1
                continue
            return None
        return None
