"""Which tokens of a doc carry a word of a list, tested once per distinct word instead of once per token.

`[t.lower_ for t in doc]` builds a spaCy Token object for every token of the article; the doc's array of string
ids (Doc.to_array) holds the ids of the very strings Token.lower_ and Token.lemma_ return, so each distinct id is
looked up and tested once and the answers are spread back over the tokens.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy


def positions(doc, attr: int, *tests: Callable[[str], bool]) -> list[list[int]]:
    """For each test, the indices (in order) of the tokens whose `attr` string passes it; `attr` is a spaCy attribute
    id read as a string, LOWER (token.lower_) or LEMMA (token.lemma_)."""
    if not len(doc):
        return [[] for _ in tests]
    distinct, inverse = numpy.unique(doc.to_array(attr), return_inverse=True)
    words = [doc.vocab.strings[i] for i in distinct.tolist()]
    return [numpy.flatnonzero(numpy.array([test(w) for w in words], dtype=bool)[inverse]).tolist() for test in tests]
