"""Group mentions: a state's officials, side or delegation ('Ukrainian officials', "Russia's negotiation team",
'Russian and American delegations'), found after a state's mention by a PhraseMatcher of actors.yaml's group
nouns over the tokens' name keys. Mixed into mentions._Article.
"""
from __future__ import annotations

import functools

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from pipeline.nlp.actor_dictionary import ActorDictionary, name_key, word_key
from pipeline.nlp.model import load_nlp

POSSESSIVES = ("'s", "\u2019s", "'", "\u2019")


@functools.lru_cache(maxsize=65_536)  # pure; every token of every article is keyed
def token_key(text: str) -> str:
    """A token as aliases and nouns are compared: its name_key, one placeholder for none (punctuation)."""
    return name_key(text).replace(" ", "_") or "\u2205"


def key_doc(doc, words: list[str] | None = None):
    """A Doc of the article's tokens' name keys, aligned token for token with `doc` (`words`: its tokens' texts,
    when the caller has read them already)."""
    return Doc(doc.vocab, words=[token_key(w) for w in (words if words is not None else [t.text for t in doc])])


@functools.lru_cache(maxsize=4)
def group_noun_matcher(d: ActorDictionary) -> tuple[PhraseMatcher, dict[tuple[str, str], int]]:
    """The group nouns of actors.yaml ('officials', 'negotiation team') as phrases of name keys, and each
    one's rank: plural nouns before singular ones, each list in its own order."""
    nlp = load_nlp()
    matcher, rank = PhraseMatcher(nlp.vocab, attr="ORTH"), {}
    for label, nouns in (("plural", d.group_nouns_plural), ("singular", d.group_nouns_singular)):
        for noun in nouns:
            words = [token_key(t.text) for t in nlp.make_doc(noun)]
            rank.setdefault((label, " ".join(words)), len(rank))
            matcher.add(label, [Doc(nlp.vocab, words=words)])
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
        for label, start, end in matcher(self.keys) if states else ():
            name = self.doc.vocab.strings[label]
            phrase = " ".join(t.text for t in self.keys[start:end])
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
