"""The lookup attribute ruler (pipeline/nlp/fast_attributes.py) annotates exactly as spaCy's stock one."""
import pickle
import runpy
from pathlib import Path

import numpy
import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, NORM, ORTH, POS, SENT_START, TAG
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from pipeline.nlp.fast_attributes import FastAttributeRuler, swap_in
from pipeline.nlp.model import load_nlp, load_stock_nlp

ROOT = Path(__file__).resolve().parent.parent
ATTRS = [ORTH, TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE, SENT_START, NORM]

TEXTS = [
    "Let's go, y'all ain't gonna stop the talks. I gotta see it, c'mon!",
    "He ain't here and she aint either; nothin' was agreed and nuthin' will be.",
    "There is a deal. There are two drafts, there's hope and there're doubts. Is it done?",
    "The envoy said that it would not happen, because the rebels hadn't signed and didn't want to.",
    "  Leading spaces,\n\n\ttabs and  double  spaces \n between words.\n\n",
    "I did it. You did it for me and we gave it to you. Do they have it? They do have it.",
    "Which side wins? That is what the mediator asked whether or not anyone listened.",
    "'Tis the season: I'm sure you're right, we've met, they'd left and he'll return.",
    "Gotta love it. Gonna be long. GONNA BE LONGER. Let 's see. Y' all know.",
    "\n",
    "",
    "Talks resumed in Doha on 3 March 2024 between the government and the M23 rebels.",
]


def _table(doc):
    return doc.to_array(ATTRS), [str(t.morph) for t in doc], [t.lemma_ for t in doc]


def _same(a, b):
    (xa, ma, la), (xb, mb, lb) = _table(a), _table(b)
    return numpy.array_equal(xa, xb) and ma == mb and la == lb


@pytest.fixture(scope="module")
def stock():
    return load_stock_nlp()


def test_pipeline_uses_the_lookup_ruler_in_the_stock_place(stock):
    nlp = load_nlp()
    assert isinstance(nlp.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert isinstance(stock.get_pipe("attribute_ruler"), AttributeRuler)
    assert nlp.pipe_names == stock.pipe_names


def test_made_up_texts_annotated_identically(stock):
    nlp = load_nlp()
    for text, a, b in zip(TEXTS, stock.pipe(TEXTS, batch_size=4), nlp.pipe(TEXTS, batch_size=4)):
        assert _same(a, b), text
    # the contraction rules did fire: the test covers the multi-token and REGEX rules
    lemmas = {t.text.lower(): t.lemma_ for t in nlp(TEXTS[0] + " " + TEXTS[1])}
    assert lemmas["'s"] == "us" and lemmas["gon"] == "go" and lemmas["na"] == "to" and lemmas["nothin'"] == "nothing"


def test_ruler_alone_identical_on_the_same_parsed_docs(stock):
    """The ruler applied to the very same tagger+parser output, the attribute the whole identity rests on."""
    nlp = load_nlp()
    for text in TEXTS:
        doc = stock.make_doc(text)
        for name in ("tok2vec", "tagger", "parser"):
            doc = stock.get_pipe(name)(doc)
        a = stock.get_pipe("attribute_ruler")(Doc(stock.vocab).from_bytes(doc.to_bytes()))
        b = nlp.get_pipe("attribute_ruler")(Doc(nlp.vocab).from_bytes(doc.to_bytes()))
        assert _same(a, b), text


# Hand-made rules of every shape the lookup handles, and shapes it leaves to the Matcher, on hand-made parses.
RULES = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
    {"patterns": [[{"TAG": "NN", "LOWER": "talks"}]], "attrs": {"LEMMA": "talk", "MORPH": "Number=Plur"}},
    {"patterns": [[{"LOWER": {"IN": ["talks", "envoy"]}, "DEP": {"NOT_IN": ["ROOT", ""]}}]],
     "attrs": {"POS": "PROPN"}},
    {"patterns": [[{"LOWER": {"REGEX": "^env"}}]], "attrs": {"LEMMA": "ENVOY"}},
    {"patterns": [[{"IS_SPACE": True}]], "attrs": {"TAG": "_SP", "POS": "SPACE", "MORPH": "_"}},
    {"patterns": [[{"IS_SPACE": False, "TAG": "_SP"}]], "attrs": {"POS": "X"}},
    {"patterns": [[{"TAG": "VBD"}], [{"LOWER": "met"}]], "attrs": {"POS": "VERB", "LEMMA": "meet"}},
    {"patterns": [[{"LOWER": "the"}, {"TAG": "NN"}]], "attrs": {"LEMMA": "THE-NOUN"}, "index": -1},
    {"patterns": [[{"LOWER": "the"}, {"TAG": "NN"}, {"LOWER": "met"}]], "attrs": {"DEP": "appos"}, "index": 1},
    {"patterns": [[{"LOWER": "again", "OP": "+"}]], "attrs": {"LEMMA": "AGAIN"}},  # operator: Matcher
    {"patterns": [[{"LENGTH": 5}]], "attrs": {"NORM": "five"}},  # attribute outside the lookup: Matcher
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NUM"}},  # later rule overrides the first one's POS
]
WORDS = ["The", "envoy", "met", "the", "talks", "again", "again", " ", "envoys", "met", "\n"]
TAGS = ["DT", "NN", "VBD", "DT", "NN", "RB", "RB", "_SP", "NNS", "VBD", "_SP"]
DEPS = ["det", "nsubj", "ROOT", "det", "dobj", "advmod", "advmod", "dep", "nsubj", "conj", ""]
HEADS = [1, 2, 2, 4, 2, 2, 2, 2, 9, 2, 9]


def _rulers(vocab):
    stock = AttributeRuler(vocab)
    stock.add_patterns(RULES)
    return stock, FastAttributeRuler(vocab).copy_rules(stock)


def test_hand_made_rules_of_every_shape_identical():
    nlp = spacy.blank("en")
    stock, fast = _rulers(nlp.vocab)
    assert sorted(fast.indices) == [9, 10]  # the operator and the LENGTH rule went to the Matcher
    for cut in range(1, len(WORDS) + 1):  # every prefix: patterns cut off at the end of the doc
        make = lambda: Doc(nlp.vocab, words=WORDS[:cut], tags=TAGS[:cut], deps=DEPS[:cut],  # noqa: E731
                           heads=[min(h, cut - 1) for h in HEADS[:cut]])
        a, b = stock(make()), fast(make())
        assert _same(a, b), cut
    doc = fast(make())
    assert [t.lemma_ for t in doc][:6] == ["", "THE-NOUN", "meet", "", "THE-NOUN", "AGAIN"]
    assert doc[8].lemma_ == "ENVOY"  # REGEX
    assert doc[1].pos_ == "NUM" and doc[7].pos_ == "SPACE" and doc[1].dep_ == "appos"


def test_index_outside_the_match_is_the_stock_error():
    nlp = spacy.blank("en")
    stock = AttributeRuler(nlp.vocab)
    stock.add([[{"LOWER": "a"}, {"LOWER": "b"}]], {"LEMMA": "x"}, index=2)
    fast = FastAttributeRuler(nlp.vocab).copy_rules(stock)
    with pytest.raises(ValueError, match="E1001"):
        fast(nlp.make_doc("a b"))
    assert fast(nlp.make_doc("a c"))[0].lemma == 0


def test_ruler_setting_other_attributes_stays_stock():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "talks"}]], {"IS_STOP": True})
    swap_in(nlp)
    assert isinstance(nlp.get_pipe("attribute_ruler"), AttributeRuler)


def test_pickled_pipeline_keeps_the_rules():
    nlp = pickle.loads(pickle.dumps(load_nlp()))
    assert [t.lemma_ for t in nlp("Let's go, y'all.")][:2] == ["let", "us"]


@pytest.mark.slow
def test_generated_and_seed_articles_identical(stock):
    """40 generated bench articles (as bench/run.py makes them) and the seed articles, parsed in full."""
    article = runpy.run_path(str(ROOT / "bench" / "generate.py"))["article"]
    texts = [article(7, i) for i in range(40)]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("**/*.txt"))]
    nlp = load_nlp()
    for a, b in zip(stock.pipe(texts, batch_size=32), nlp.pipe(texts, batch_size=32)):
        assert _same(a, b), a.text[:80]


def _spec_values(ruler, name: str) -> set:
    """Every string an equality or IN test of the ruler's patterns compares `name` with."""
    values = set()
    for rule in ruler.patterns:
        for tokens in rule["patterns"]:
            for spec in tokens:
                value = spec.get(name)
                if isinstance(value, str):
                    values.add(value)
                elif isinstance(value, dict):
                    values.update(v for op, vs in value.items() if op in ("IN", "NOT_IN") for v in vs)
    return values


def test_every_tag_word_and_dep_the_rules_name_annotated_identically(stock):
    """Every combination of a tag the tagger can give, a word the rules name and a dependency label the rules
    name (plus none and an unnamed one), side by side in hand-made parses: the model's own rules, exhaustively."""
    ruler = stock.get_pipe("attribute_ruler")
    tags = sorted(set(stock.get_pipe("tagger").labels) | _spec_values(ruler, "TAG") | {""})
    words = sorted(_spec_values(ruler, "LOWER") - {""} | {"nothin'", "nuthin'", "y", "peace", " ", "\n\n"})
    deps = sorted(_spec_values(ruler, "DEP") - {""} | {"nsubj", "dep"}) + [""]
    fast = load_nlp().get_pipe("attribute_ruler")
    combos = [(w, t, d) for w in words for t in tags for d in deps]
    for start in range(0, len(combos), 2000):
        part = combos[start:start + 2000]
        make = lambda vocab: Doc(vocab, words=[w for w, _, _ in part], tags=[t for _, t, _ in part],  # noqa: E731
                                 deps=[d for _, _, d in part], heads=list(range(len(part))))
        assert _same(ruler(make(stock.vocab)), fast(make(load_nlp().vocab))), start
    assert len(combos) > 50_000
