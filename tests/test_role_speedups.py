"""The issue-18 fast paths of the mention and role extractors give what the code before them gave, on made-up data:
token columns (token_columns.py) equal the Token attributes, KeyPhrases equals spaCy's PhraseMatcher over a Doc of
keys, and role_items.sentence_items equals the old walk (tests/_role_items_before.py) in every sentence that names
a person (the only ones roles read), slot marks included."""
from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from _role_items_before import sentence_items_before
from pipeline.nlp.actor_dictionary import load_actor_dictionary
from pipeline.nlp.group_mentions import KeyPhrases
from pipeline.nlp.mentions import extract_mentions
from pipeline.nlp.model import load_nlp
from pipeline.nlp.parse import parse_article
from pipeline.nlp.role_items import sentence_items
from pipeline.nlp.roles import load_vocabulary
from pipeline.nlp.token_columns import token_columns

PIECES = ["Ukrainian Defence Minister Rustem Umerov", "Russia's", "Russia\u2019s", "Hamas", "the Taliban", "said",
          "President Zelensky", "Vladimir Putin", "and", ",", "-", "Secretary-General", "UN envoy", "met", "in Geneva",
          "the Russian delegation", "led by", "Mr Lavrov", "Qatar's Prime Minister and Foreign Minister", "talks",
          "Ukrainian officials", "the", "Kremlin spokesman Dmitry Peskov", "a senior fellow at the Foo Council",
          "Tatiana Stanovaya", "'s", "former", "acting", "(", ")", "U.S.", "Kyiv", "\n\n", "Ivan Petrov"]


def made_up_text(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(1, 6)):
        words = [rng.choice(PIECES) for _ in range(rng.randint(1, 14))]
        sentences.append(" ".join(words).replace(" 's", "'s") + rng.choice([".", ".", "!", ".\n\n"]))
    return " ".join(sentences)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32))
def test_token_columns_are_the_token_attributes(seed):
    doc = parse_article("t", made_up_text(random.Random(seed))).doc
    c = token_columns(doc)
    assert token_columns(doc) is c
    assert c.text == [t.text for t in doc] and c.idx == [t.idx for t in doc]
    assert c.end == [t.idx + len(t) for t in doc] and c.has_space == [bool(t.whitespace_) for t in doc]
    assert c.is_punct == [t.is_punct for t in doc] and c.is_space == [t.is_space for t in doc]
    assert c.is_lower == [t.is_lower for t in doc] and c.lower_id == [t.lower for t in doc]
    assert c.pos == [t.pos for t in doc] and c.ent_type == [t.ent_type for t in doc]
    assert token_columns(doc.copy()) is not c


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c", "\u2205", "d_e"]), max_size=40),
       st.lists(st.tuples(st.sampled_from(["X", "Y"]), st.lists(st.sampled_from(["a", "b", "c", "\u2205"]),
                                                               max_size=4)), max_size=12))
def test_key_phrases_match_as_the_phrase_matcher(keys, phrases):
    vocab = load_nlp().vocab
    fast, plain = KeyPhrases(), PhraseMatcher(vocab, attr="ORTH")
    for label, words in phrases:
        fast.add(label, tuple(words))
        if words:
            plain.add(label, [Doc(vocab, words=words)])
    got = sorted(fast(keys))
    assert len(got) == len(set(got))
    expected = sorted({(vocab.strings[k], s, e) for k, s, e in plain(Doc(vocab, words=keys))}) if keys and phrases else []
    assert got == expected


def _mark(doc, i):
    return doc.user_data.get(("._.", "role_slot", doc[i].idx, None), "")


@pytest.mark.parametrize("seed", range(30))
def test_sentence_items_are_the_old_walk_where_a_person_is_named(seed):
    text = made_up_text(random.Random(seed))
    old, new = parse_article("t", text), parse_article("t", text)
    mentions = extract_mentions(old)
    vocab, d = load_vocabulary(), load_actor_dictionary()
    for _ in range(2):  # a doc marked before too
        before, after = sentence_items_before(old, mentions, vocab, d), sentence_items(new, mentions, vocab, d)
        assert len(before) == len(after)
        for was, now in zip(before, after):
            if any(item.kind == "name" for item in was):
                assert now == was
                lo, hi = was[0].tokens[0], was[-1].tokens[1]
                assert [_mark(new.doc, i) for i in range(lo, hi)] == [_mark(old.doc, i) for i in range(lo, hi)]
            else:
                assert now in ([], was)
