"""The faster round cue reading answers as the plain one did: the Tree read from TokenLists (token indices) against
the Tree of spaCy Token objects it replaced (tests/_round_cues_before.py), on made-up sentences, at every character
and for every cue; TokenLists' walks against spaCy's Token API; the prefilters of round_mentions (a clause with no
format or tense word, a sentence without 'since' or a weekday) against the plain scans."""
from datetime import date

import pytest
from hypothesis import given, settings, strategies as st

from pipeline.nlp import round_mentions as rm
from pipeline.nlp.parse import parse_article
from pipeline.nlp.round_cues import CAPITAL, CAPITAL_NOUN, SAME_PLACE, Tree, article_cues
from pipeline.nlp.token_lists import TokenLists
from tests._round_cues_before import TreeBefore

TEXT = (
    "GENEVA, Jan 5 (Wire) - The second round of talks between the two delegations opened in Geneva on Monday, "
    "after the ministers met in the Kenyan capital last week.\n\n"
    "The head of the army delegation, General Ama Osei, and the foreign minister, Lina Park, signed the deal at "
    "the Palais des Nations on Friday before they agreed to meet again in the same city.\n\n"
    "A new session was co-chaired by Ama Osei and Lina Park, and a meeting with the mediators is due to take place "
    "in Nairobi on Tuesday, when talks that opened last Thursday will end.\n\n"
    "Negotiators sat down on Saturday, opening negotiations that ended on Sunday after ten hours of talks by video "
    "link, since the summit in March."
)


@pytest.fixture(scope="module")
def parsed():
    return parse_article("a1", TEXT, date(2024, 1, 10))


def _sentences_with_cues(parsed):
    cues = article_cues(parsed)
    return [(s, cues[s.sentence_id]) for s in parsed.sentences if s.sentence_id in cues]


def test_token_lists_walk_the_parse_as_spacy_does(parsed):
    doc, t = parsed.doc, TokenLists(parsed.doc)
    for tok in doc:
        i = tok.i
        assert (t.idx[i], t.end[i], t.head[i], t.dep[i], t.pos[i]) == (tok.idx, tok.idx + len(tok), tok.head.i,
                                                                          tok.dep_, tok.pos_)
        assert (t.lower(i), t.ent_type(i)) == (tok.lower_, tok.ent_type_)
        assert t.children(i) == [c.i for c in tok.children]
        assert list(t.ancestors(i)) == [a.i for a in tok.ancestors]
        assert t.conjuncts(i) == [c.i for c in tok.conjuncts]
    for char in range(-2, len(doc.text) + 2):
        span = doc.char_span(char, char + 1, alignment_mode="expand") if 0 <= char < len(doc.text) else None
        assert t.at(char) == (span[0].i if span is not None and len(span) else None)
        for width in (1, 3, 8):
            span = doc.char_span(char, char + width, alignment_mode="expand") if 0 <= char < len(doc.text) else None
            assert list(t.covering(char, char + width)) == [w.i for w in span or ()]


def test_tree_answers_as_the_token_tree(parsed):
    tokens = TokenLists(parsed.doc)
    asked = 0
    for s, cues in _sentences_with_cues(parsed):
        new = Tree(tokens, s.start, cues["alone"], cues["keyword"])
        old = TreeBefore(parsed.doc, s.start, cues["alone"], cues["keyword"])
        assert (new.verbs, new.nouns) == (old.verbs, old.nouns)
        every = cues["keyword"] + cues["verb"] + cues["alone"]
        for cue in every:
            assert new.participants(cue) == old.participants(cue)
        for pos in range(len(s.text)):
            tok = old.token(pos)
            assert new.token(pos) == (tok.i if tok is not None else None)
            assert new.is_name(pos) == old.is_name(pos)
            for own in [None, *every]:
                assert new.hangs_on(pos, [c for c in every if c != own][:3], own) == \
                    old.hangs_on(pos, [c for c in every if c != own][:3], own)
                assert new.dates_cue(pos, own) == old.dates_cue(pos, own)
                asked += 1
    assert asked > 1000


def test_trees_without_a_parse_answer_yes():
    assert Tree(None, 0).token(3) is None and Tree(None, 0).is_name(3)
    assert Tree(None, 0).hangs_on(3, []) and Tree(None, 0).dates_cue(3, None) == 2


WORDS = ["talks", "video", "link", "will", "next", "since", "Monday", "in", "the", "capital", "city", "same",
         "Nairobi", "by", "phone", "ongoing", "face-to-face", ",", ";", "but", "(", "-", "are", "to", "be", "held"]
TEXTS = st.lists(st.sampled_from(WORDS), max_size=18).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.integers(0, 120))
def test_prefilters_change_no_answer(text, anchor):
    t = rm.terms()
    low = rm.flat(text)
    anchor = min(anchor, len(low))
    clause = rm._clause(low, anchor)
    assert rm._nearest(t["formats"], low, anchor, clause, t["any_format"]) == rm._nearest(t["formats"], low, anchor, clause)
    assert rm._nearest(t["tense"], low, anchor, clause, t["any_tense"]) == rm._nearest(t["tense"], low, anchor, clause)
    for pos in range(len(low) + 1):
        assert rm._since(low, pos, 0) == bool(t["since"].search(low, max(0, pos - rm.WINDOW), pos))
    assert bool(t["weekday_words"].search(low)) or not t["weekday"].search(low)
    assert bool(CAPITAL_NOUN.search(text)) or not CAPITAL.search(text)
    assert "same" in text or not SAME_PLACE.search(text)
