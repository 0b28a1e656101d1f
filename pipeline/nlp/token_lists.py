"""A parsed doc's tokens as plain Python lists, read once per article with `Doc.to_array`, and the parse walks the
round rules make (a character's token, heads, children, conjuncts) answered from them.

Why: every `doc[i]`, `token.head` or `doc.char_span` builds new Token or Span objects (~1 us each); the round
rules walk the parse of every sentence that names a meeting, and did so through hundreds of thousands of them per
hundred articles. The answers are spaCy's own (tests/test_round_cue_speedups.py checks each one against the
Token API on made-up sentences): heads are `Token.head`, children are `Token.children` (spaCy lists a token's
children between its left and right edges, which always hold them), conjuncts are `Token.conjuncts`.
"""
from __future__ import annotations

from bisect import bisect_right

import numpy
from spacy.attrs import DEP, ENT_TYPE, HEAD, IDX, LENGTH, LOWER, POS, SPACY


class TokenLists:
    """One doc's tokens: `idx`, `end` (of the text, no space), `head` (a token index), `dep` and `pos` (strings, as
    Token.dep_ and pos_ give them; lower() and ent_type() read one token's); `parsed` when the doc has a parse."""

    def __init__(self, doc):
        self.doc = doc
        self.parsed = doc.has_annotation("DEP")
        rows = doc.to_array([IDX, LENGTH, SPACY, HEAD, DEP, POS, ENT_TYPE, LOWER])
        ints = rows[:, :4].astype("int64")
        self.idx = ints[:, 0].tolist()
        self.end = (ints[:, 0] + ints[:, 1]).tolist()
        self._end_space = (ints[:, 0] + ints[:, 1] + ints[:, 2]).tolist()  # spaCy's token_by_char counts the space
        self._heads = numpy.arange(len(ints)) + ints[:, 3]
        self.head = self._heads.tolist()
        self._strings, self._names = doc.vocab.strings, {}
        self.dep, self.pos = (list(map(self._name, rows[:, k].tolist())) for k in (4, 5))
        self._ent_type, self._lower = rows[:, 6].tolist(), rows[:, 7].tolist()  # read as strings only when asked
        self._children: dict[int, list[int]] = {}
        self._memo: dict = {}

    def _name(self, string_id: int) -> str:
        if string_id not in self._names:
            self._names[string_id] = self._strings[string_id]
        return self._names[string_id]

    def lower(self, i: int) -> str:
        """Token.lower_"""
        return self._name(self._lower[i])

    def ent_type(self, i: int) -> str:
        """Token.ent_type_"""
        return self._name(self._ent_type[i])

    def _by_char(self, char: int) -> int:
        """spaCy's token_by_char: the token whose text or trailing space holds `char`, else -1."""
        i = bisect_right(self.idx, char) - 1
        return i if i >= 0 and char < self._end_space[i] else -1

    def at(self, char: int) -> int | None:
        """The token `doc.char_span(char, char + 1, alignment_mode="expand")` holds (None: a space or no token)."""
        i = self._by_char(char)
        return i if i >= 0 and char < self.end[i] else None

    def covering(self, start: int, end: int) -> range:
        """The tokens of `doc.char_span(start, end, alignment_mode="expand")` (empty where it is None)."""
        first, last = self._by_char(start), self._by_char(end - 1)
        if first < 0 or last < 0:
            return range(0)
        return range(first + (start == self.end[first]), last + 1)

    def children(self, i: int) -> list[int]:
        """Token.children, in order."""
        if i not in self._children:
            self._children[i] = [c for c in numpy.flatnonzero(self._heads == i).tolist() if c != i]
        return self._children[i]

    def ancestors(self, i: int):
        """Token.ancestors, nearest first."""
        for _ in range(len(self.head)):
            if self.head[i] == i:
                return
            i = self.head[i]
            yield i

    def conjuncts(self, i: int) -> list[int]:
        """Token.conjuncts: the head of the token's coordination and its conj children, down, without the token."""
        start = i
        while self.head[start] != start and self.dep[start] == "conj":
            start = self.head[start]
        queue = [start]
        for word in queue:
            queue += [c for c in self.children(word) if c > word and self.dep[c] == "conj"]
        return [w for w in queue if w != i]

    def related(self, i: int) -> frozenset[int]:
        """The token's subtree and ancestors (spaCy's own walk, remembered: few tokens are asked)."""
        key = ("related", i)
        if key not in self._memo:
            tok = self.doc[i]
            self._memo[key] = frozenset([t.i for t in tok.subtree] + [t.i for t in tok.ancestors])
        return self._memo[key]

    def sentence_root(self, i: int) -> int:
        """Token.sent.root (spaCy's own, remembered)."""
        key = ("root", i)
        if key not in self._memo:
            self._memo[key] = self.doc[i].sent.root.i
        return self._memo[key]
