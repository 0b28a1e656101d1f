"""The matches of plain word-sequence patterns, found by table lookup instead of spaCy's Matcher.

Stance cues ("demand", "call for") and the claims' measure cues ("prisoners", "killed") are patterns of one or two
tokens, each token tested only for equality of its LEMMA or LOWER and for membership of its POS: no operator, no
other attribute. Such a pattern matches at token i exactly when token i has its first word and the tokens after it
pass the rest, so the doc's matches are the set the Matcher returns (it drops repeats of a key over one span),
found by one dictionary lookup per token and attribute. Only the set is given: callers that depend on the
Matcher's order keep asking the Matcher where it could matter. The values are turned into ids the way the
Matcher turns them (StringStore.add), and read from the same token fields (Doc.to_array).
"""
from __future__ import annotations

from spacy.attrs import LEMMA, LOWER, NORM, ORTH, POS, TAG

WORD_ATTRS = {"LEMMA": LEMMA, "LOWER": LOWER, "ORTH": ORTH, "NORM": NORM}
SET_ATTRS = {"POS": POS, "TAG": TAG}


def _element(spec: dict, strings) -> tuple[list, list] | None:
    """([(attr, id)] equality tests, [(attr, ids)] membership tests) of one token spec; None for anything else."""
    words, sets = [], []
    for name, value in spec.items():
        name = name.upper() if isinstance(name, str) else name
        if name in WORD_ATTRS and isinstance(value, str):
            words.append((WORD_ATTRS[name], strings.add(value)))
        elif name in SET_ATTRS and isinstance(value, str):
            sets.append((SET_ATTRS[name], frozenset([strings.add(value)])))
        elif name in SET_ATTRS and isinstance(value, dict) and list(value) == ["IN"] \
                and all(isinstance(v, str) for v in value["IN"]):
            sets.append((SET_ATTRS[name], frozenset(strings.add(v) for v in value["IN"])))
        else:
            return None
    return words, sets


class WordSequences:
    """The patterns of a Matcher, as (key, patterns) pairs, indexed by their first token's first word test
    (attribute -> value id -> [(key id, each token's tests)])."""

    def __init__(self, index: dict, attrs: tuple):
        self.index, self.attrs = index, attrs

    @classmethod
    def of(cls, added, vocab) -> WordSequences | None:
        """From (key, patterns) pairs; None when a pattern is no plain word sequence (the Matcher is then needed)."""
        strings, index = vocab.strings, {}
        for key, patterns in added:
            key_id = strings.add(key) if isinstance(key, str) else key
            for pattern in patterns:
                elements = [_element(spec, strings) for spec in pattern] if pattern else [None]
                if any(e is None for e in elements) or not elements[0][0]:
                    return None
                attr, value = elements[0][0][0]
                index.setdefault(attr, {}).setdefault(value, []).append((key_id, elements))
        attrs = tuple(sorted({a for by_value in index.values() for entries in by_value.values()
                              for _, elements in entries for words, sets in elements for a, _ in words + sets}))
        return cls(index, attrs)

    def __call__(self, doc) -> set[tuple[int, int, int]]:
        """{(key id, start, end)} of every match in the doc."""
        n = len(doc)
        if not n:
            return set()
        columns = {attr: doc.to_array(attr).tolist() for attr in self.attrs}
        found = set()
        for attr, by_value in self.index.items():
            get = by_value.get
            for i, value in enumerate(columns[attr]):
                entries = get(value)
                if entries is None:
                    continue
                for key_id, elements in entries:
                    end = i + len(elements)
                    if end <= n and all(columns[a][i + k] == v for k, (words, sets) in enumerate(elements)
                                        for a, v in words) \
                            and all(columns[a][i + k] in vs for k, (_, sets) in enumerate(elements) for a, vs in sets):
                        found.add((key_id, i, end))
        return found
