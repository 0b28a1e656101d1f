"""A doc's token attributes as plain lists, read once per doc (Doc.to_array and the string store).

Why: `doc[i]` and iterating a Doc make a new Token object at every look (~0.2 us, then the attribute), and the
mention and role extractors look at every token several times. Each column here is read on first use, for all
tokens at once, and kept in `doc.user_data` for every later reader of the same doc (a doc's tokens never change
after the parse). Each holds exactly what the Token attribute of the same name gives.
"""
from __future__ import annotations

import functools
import weakref

from spacy.attrs import ENT_TYPE, IDX, IS_LOWER, IS_PUNCT, IS_SPACE, LOWER, ORTH, POS, SPACY
from spacy.tokens import Doc

MEMO = "parley.token_columns"


class TokenColumns:
    """Lists indexed like the doc's tokens."""

    def __init__(self, doc: Doc):
        self._doc = weakref.ref(doc)  # not the doc itself: the doc holds this object (no reference cycle)

    @property
    def doc(self) -> Doc | None:
        return self._doc()

    def _column(self, attr: int) -> list[int]:
        return self.doc.to_array(attr).tolist()

    @functools.cached_property
    def text(self) -> list[str]:
        """token.text: a token's text is its lexeme's ORTH string."""
        strings = self.doc.vocab.strings
        return [strings[orth] for orth in self.doc.to_array(ORTH).tolist()]

    @functools.cached_property
    def idx(self) -> list[int]:
        return self._column(IDX)

    @functools.cached_property
    def end(self) -> list[int]:
        """token.idx + len(token)."""
        return [start + len(text) for start, text in zip(self.idx, self.text)]

    @functools.cached_property
    def has_space(self) -> list[bool]:
        """bool(token.whitespace_): spaCy's whitespace_ is ' ' or '' (a newline is a token of its own)."""
        return [bool(v) for v in self._column(SPACY)]

    @functools.cached_property
    def is_punct(self) -> list[bool]:
        return [bool(v) for v in self._column(IS_PUNCT)]

    @functools.cached_property
    def is_space(self) -> list[bool]:
        return [bool(v) for v in self._column(IS_SPACE)]

    @functools.cached_property
    def is_lower(self) -> list[bool]:
        return [bool(v) for v in self._column(IS_LOWER)]

    @functools.cached_property
    def lower_id(self) -> list[int]:
        """token.lower: the string id of token.lower_."""
        return self._column(LOWER)

    @functools.cached_property
    def pos(self) -> list[int]:
        """token.pos: the id of token.pos_ (spacy.symbols)."""
        return self._column(POS)

    @functools.cached_property
    def ent_type(self) -> list[int]:
        """token.ent_type (0: outside any entity)."""
        return self._column(ENT_TYPE)


def token_columns(doc: Doc) -> TokenColumns:
    """The doc's columns, made on first use and kept in the doc."""
    columns = doc.user_data.get(MEMO)
    if columns is None or columns.doc is not doc:
        columns = doc.user_data[MEMO] = TokenColumns(doc)
    return columns
