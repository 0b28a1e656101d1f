"""Titles: where roles.yaml's titles stand in a parsed article, found by one spaCy Matcher.

Each title phrase becomes a token pattern on LOWER, every word with its spelling variants (roles.yaml
`spelling`: 'defense' for 'defence'), optional joining hyphens ('commander-in-chief'), and its last word
also in the plural ('Presidents X and Y'). A slot `{country}` / `{org}` ('head of {country} delegation')
matches the tokens of a state, nationality, party or organisation, with a possessive after them; the
caller marks those tokens through the `role_slot` token attribute (slot_key: written straight where spaCy keeps
it). Words inside an actor's name (a person's, an organisation's: 'the Presidential Office') never count as a title.
The caller may ask only for the titles inside some token ranges (its sentences that name a person).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from spacy.tokens import Token

from pipeline.nlp.anchored import AnchoredMatcher as Matcher  # spaCy's Matcher, run around its anchor words

SLOT_ATTR = "role_slot"
SLOT_KINDS = ("country", "org")
POSSESSIVE = ["'s", "\u2019s"]
if not Token.has_extension(SLOT_ATTR):
    Token.set_extension(SLOT_ATTR, default="")


def slot_key(char: int) -> tuple:
    """The doc.user_data key under which `token._.role_slot` of the token at character `char` is stored (spaCy's
    Underscore key of a token attribute without getter or setter): the caller marks a doc's tokens by writing
    there, without a Token and an Underscore object per write."""
    return ("._.", SLOT_ATTR, char, None)


@dataclass(frozen=True)
class TitleMatch:
    start: int      # token index
    end: int        # token index, exclusive
    role: str
    plural: bool


def _variants(word: str, spelling: dict[str, str]) -> list[str]:
    """The lower-case forms a folded word may have in text: itself and every spelling folded into it."""
    forms = {word} | {k for k, v in spelling.items() if v == word}
    return sorted(forms | {f.replace("'", "\u2019") for f in forms if "'" in f})


def _pattern(words: tuple[str, ...], spelling: dict[str, str], plurals: dict[str, str]) -> list[dict]:
    pattern: list[dict] = []
    for n, word in enumerate(words):
        if n:
            pattern.append({"ORTH": "-", "OP": "?"})
        if word in ("{country}", "{org}"):
            pattern += [{"_": {SLOT_ATTR: {"IN": list(SLOT_KINDS)}}, "OP": "+"}, {"LOWER": {"IN": POSSESSIVE}, "OP": "?"}]
            continue
        forms = _variants(word, spelling)
        if n == len(words) - 1:
            forms += [p for p, singular in plurals.items() if singular == word]
        pattern.append({"LOWER": {"IN": forms}, "_": {SLOT_ATTR: ""}})  # a plain word, in no actor's name
    return pattern


@functools.lru_cache(maxsize=4)
def title_matcher(vocab, titles: tuple, spelling: tuple, plurals: tuple) -> Matcher:
    """One Matcher for every title; each match's label is the role."""
    spelling_map, plural_map = dict(spelling), dict(plurals)
    matcher = Matcher(vocab)
    by_role: dict[str, list] = {}
    for words, role in titles:
        by_role.setdefault(role, []).append(_pattern(words, spelling_map, plural_map))
    for role, patterns in by_role.items():
        matcher.add(role, patterns)
    return matcher


#: (ids of the titles, spelling and plurals dicts) -> (the dicts, their sorted items as title_matcher's key).
_KEYS: dict[tuple[int, int, int], tuple] = {}


def _frozen(titles: dict, spelling: dict, plurals: dict) -> tuple[tuple, tuple, tuple]:
    """title_matcher's hashable arguments, sorted once per vocabulary (its dicts are built once and never
    changed) rather than at every article; the dicts are held with them, so that their ids stay theirs."""
    held = _KEYS.get((id(titles), id(spelling), id(plurals)))
    if held is None:
        if len(_KEYS) >= 16:
            _KEYS.clear()
        frozen = tuple(tuple(sorted(m.items())) for m in (titles, spelling, plurals))
        held = _KEYS[(id(titles), id(spelling), id(plurals))] = (titles, spelling, plurals, frozen)
    return held[3]


def find_titles(doc, titles: dict, spelling: dict, plurals: dict,
                within: list[tuple[int, int]] | None = None) -> list[TitleMatch]:
    """Every title match in the doc (overlapping ones included: the caller picks by its shapes); with `within`
    (sorted token ranges), those inside a range, as they stand in the whole doc's list."""
    matcher = title_matcher(doc.vocab, *_frozen(titles, spelling, plurals))
    out = []
    for match_id, start, end in (matcher(doc) if within is None else matcher.within(doc, within)):
        last = doc[end - 1].lower_
        out.append(TitleMatch(start, end, doc.vocab.strings[match_id], last in plurals))
    return out
