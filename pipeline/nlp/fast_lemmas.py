"""A drop-in for spaCy's stock rule lemmatizer that gives identical lemmas for less Python per token.

Why: the stock component walks the doc token by token in Python (a Token object, a MorphAnalysis for its cache
key, a string-store write), ~3.7 us a token, 1.5 % of the parse. In rule mode a token's lemma is a function of
its text, POS and morphology alone (Lemmatizer.rule_lemmatize reads token.text, token.pos_ and, through
is_base_form, token.morph; its own cache is keyed by the same three), so it is worked out once per distinct
(ORTH, POS, MORPH) by the stock lemmatizer itself and then found by a dict lookup, and written with one
Doc.from_array, the same token field `token.lemma_ = ...` sets. Tokens whose lemma is already set (the
attribute ruler's) are left alone unless the stock component overwrites. Identity is proved by
tests/test_fast_lemmas.py; a lemmatizer in another mode or of another class is left as shipped.
"""
from __future__ import annotations

import numpy
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.errors import Errors
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.pipeline import Lemmatizer

FACTORY = "parley_lemma_lookup"
#: Classes whose rule_lemmatize reads only the token's text, POS and morphology (checked in their source).
KNOWN = (Lemmatizer, EnglishLemmatizer)
#: Distinct (ORTH, POS, MORPH) remembered; past this the memo starts over (a forgotten one is worked out again).
MEMO_LIMIT = 200_000
READ = [ORTH, POS, MORPH, LEMMA]


class FastLemmatizer:
    """Lemmas from the stock lemmatizer, asked once per distinct (ORTH, POS, MORPH)."""

    def __init__(self, vocab, name: str = "lemmatizer", stock: Lemmatizer | None = None):
        self.vocab, self.name, self.stock = vocab, name, stock
        self._memo: dict[tuple[int, int, int], int] = {}

    @staticmethod
    def supports(lemmatizer) -> bool:
        return type(lemmatizer) in KNOWN and lemmatizer.mode == "rule"

    def __call__(self, doc):
        stock = self.stock
        if not stock._validated:  # the stock component's own check of its lookup tables, on first use
            stock._validate_tables(Errors.E1004)
        if not len(doc):
            return doc
        rows = doc.to_array(READ).tolist()
        memo, overwrite, changed = self._memo, stock.overwrite, False
        lemmas = []
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if overwrite or lemma == 0:
                key = (orth, pos, morph)
                lemma = memo.get(key)
                if lemma is None:
                    if len(memo) >= MEMO_LIMIT:
                        memo.clear()
                    lemma = memo[key] = self.vocab.strings.add(stock.lemmatize(doc[i])[0])
                changed = True
            lemmas.append(lemma)
        if changed:
            doc.from_array([LEMMA], numpy.array(lemmas, dtype=numpy.uint64).reshape(len(doc), 1))
        return doc


@Language.factory(FACTORY)
def make_fast_lemmatizer(nlp, name: str):
    return FastLemmatizer(nlp.vocab, name)


def swap_in(nlp, name: str = "lemmatizer"):
    """Replace the stock lemmatizer `name` of `nlp` by the memoised one around it (same name and place); leave
    it as shipped when there is none or it is not a rule lemmatizer of a known class."""
    if name not in nlp.pipe_names or not FastLemmatizer.supports(stock := nlp.get_pipe(name)):
        return nlp
    fast = nlp.replace_pipe(name, FACTORY)
    fast.stock = stock
    return nlp
