"""Parties a subject names by a group noun rather than by name (stances.yaml `group_nouns`).

"the government refused ...", "the government side pressed for ...": the article's government, i.e. the
last party mentioned as a government before ("Colombia's government"), else the state the article names
most. "the rebels demanded ...", "the movement wants ...": the non-state party the article names most.
"officials in Kabul", "negotiators from Baku", "the Taliban's spokesman": the party named beside them.
Used only when the subject holds no actor mention of its own.
"""
from __future__ import annotations

import functools
from collections import Counter

from pipeline.nlp.countries import is_state_code
from pipeline.nlp.stance_cues import stance_lexicon

#: Prepositions linking a delegate noun to the party it acts for ("officials in Kabul").
FOR_PARTY = ("in", "from", "of", "for")


@functools.lru_cache(maxsize=None)
def _nouns() -> dict[str, frozenset[str]]:
    return {kind: frozenset(words) for kind, words in (stance_lexicon().get("group_nouns") or {}).items()}




def kind_of(token) -> str | None:
    """government, armed_group or delegates, by the lemma of the noun."""
    lemma = token.lemma_.lower()
    return next((kind for kind, words in _nouns().items() if lemma in words), None)


def group_actor(token, actors) -> dict | None:
    """The party behind a subject noun without a mention of its own (see the module doc)."""
    kind = kind_of(token)
    if kind is None:
        return None
    if kind == "delegates":
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in FOR_PARTY:
                for obj in child.children:
                    m = actors.containing(obj.idx) if obj.dep_ == "pobj" else None
                    if m is not None and _usable(m):
                        return m
            if child.dep_ in ("compound", "amod", "poss", "nmod"):
                inner = kind_of(child)
                if inner in ("government", "armed_group"):
                    kind = inner
        if kind == "delegates":
            return None
    before = [m for m in actors.mentions if m["start"] < token.idx and _usable(m)]
    if kind == "government":
        named = [m for m in before if any(w in m.get("surface", "").lower() for w in _nouns()["government"])]
        if named:
            return named[-1]
        states = [m for m in actors.mentions if m.get("actor_type") == "state" and _usable(m)]
        return _most_named(states)
    groups = [m for m in actors.mentions if m.get("actor_type") in ("group", "organization") and _usable(m)
              and not is_state_code(m.get("country")) and m["country"] not in _organisations()]
    return _most_named(groups)


def names_both_sides(token) -> bool:
    """'both sides', 'the two parties' (stances.yaml `joint_subjects`)."""
    joint = stance_lexicon().get("joint_subjects") or {}
    return token.lemma_.lower() in set(joint.get("nouns") or ()) \
        and any(c.lower_ in set(joint.get("markers") or ()) for c in token.children)


def principal_parties(actors, excluded: set[str]) -> list[dict]:
    """The two parties the article names most (not organisations, media, nor the `excluded` countries, i.e.
    who reports the joint act): whom 'both sides' stands for."""
    usable = [m for m in actors.mentions if _usable(m) and m["country"] not in excluded
              and m["country"] not in _organisations()]
    counts = Counter(m["country"] for m in usable)
    top = [country for country, _ in counts.most_common(2)]
    return [next(m for m in usable if m["country"] == c) for c in top] if len(top) == 2 else []


@functools.lru_cache(maxsize=None)
def _organisations() -> frozenset[str]:
    """Short names of international organisations (never an armed group): from the mediators a user may list."""
    return frozenset(stance_lexicon().get("organisations") or ())


def _most_named(mentions: list[dict]) -> dict | None:
    """The mention of the party named most often (first named on a tie)."""
    if not mentions:
        return None
    counts = Counter(m["country"] for m in mentions)
    best = max(counts.values())
    return next(m for m in mentions if counts[m["country"]] == best)


def _usable(m: dict) -> bool:
    return bool(m.get("country")) and m.get("actor_type") != "media"
