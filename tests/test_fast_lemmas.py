"""The memoised lemmatizer (pipeline/nlp/fast_lemmas.py) gives exactly the stock rule lemmatizer's lemmas."""
import pickle

import pytest
import spacy
from spacy.tokens import Doc

from pipeline.nlp.fast_lemmas import FastLemmatizer, swap_in
from pipeline.nlp.model import load_nlp, load_stock_nlp
from tests.test_fast_attributes import TEXTS, _same


@pytest.fixture(scope="module")
def stock():
    return load_stock_nlp()


def test_pipeline_uses_the_memoised_lemmatizer(stock):
    assert isinstance(load_nlp().get_pipe("lemmatizer"), FastLemmatizer)
    assert not isinstance(stock.get_pipe("lemmatizer"), FastLemmatizer)


def test_made_up_texts_lemmatised_identically_twice(stock):
    """Twice: the second pass is answered from the memo."""
    nlp = load_nlp()
    for _ in range(2):
        for text, a, b in zip(TEXTS, stock.pipe(TEXTS), nlp.pipe(TEXTS)):
            assert _same(a, b), text
    assert [t.lemma_ for t in nlp("The envoys were meeting; talks went better.")] == \
        ["the", "envoy", "be", "meet", ";", "talk", "go", "well", "."]


def test_lemmatizer_alone_identical_on_the_same_docs(stock):
    """Same input docs (the stock pipe up to the lemmatizer): same lemmas, including those already set."""
    nlp = load_nlp()
    for text in TEXTS + ["They met, were met, are meeting, had said and say so."]:
        doc = stock.make_doc(text)
        for name in ("tok2vec", "tagger", "parser", "attribute_ruler"):
            doc = stock.get_pipe(name)(doc)
        a = stock.get_pipe("lemmatizer")(Doc(stock.vocab).from_bytes(doc.to_bytes()))
        b = nlp.get_pipe("lemmatizer")(Doc(nlp.vocab).from_bytes(doc.to_bytes()))
        assert [t.lemma_ for t in a] == [t.lemma_ for t in b], text


def test_overwrite_follows_the_stock_setting(stock):
    nlp = load_nlp()
    fast = nlp.get_pipe("lemmatizer")
    doc = stock("Talks went well.")
    doc[1].lemma_ = "KEPT"
    assert fast(Doc(nlp.vocab).from_bytes(doc.to_bytes()))[1].lemma_ == "KEPT"
    fast.stock.overwrite = True
    try:
        assert fast(Doc(nlp.vocab).from_bytes(doc.to_bytes()))[1].lemma_ == "go"
    finally:
        fast.stock.overwrite = False


def test_lookup_mode_stays_stock():
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    swap_in(nlp)
    assert not isinstance(nlp.get_pipe("lemmatizer"), FastLemmatizer)


def test_pickled_pipeline_keeps_lemmas():
    assert [t.lemma_ for t in pickle.loads(pickle.dumps(load_nlp()))("Talks went well.")] == ["talk", "go", "well", "."]
