"""The issue-18 fast paths of the position, outcome, claim and stance extractors give what the plain ways gave:
claims' number pattern tried only where a match can begin (claims.numbers_in) against its finditer; word-sequence
patterns by lookup (word_sequences.py) against spaCy's Matcher, on made-up texts and on tokens with random
lemmas and tags; per-distinct-word flags (word_flags.py) against a per-token reading; a sentence's span made once
(ParsedArticle.sentence_span) against char_span."""
from __future__ import annotations

import functools

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from spacy.attrs import LEMMA, LOWER
from spacy.matcher import Matcher
from spacy.tokens import Doc

from pipeline.nlp import claim_measures, claims, outcomes, stance_cues
from pipeline.nlp.model import load_nlp
from pipeline.nlp.parse import parse_article
from pipeline.nlp.word_flags import positions
from pipeline.nlp.word_sequences import WordSequences

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
POS = ["NOUN", "VERB", "AUX", "PROPN", "ADJ", "ADP", "DET", "NUM", "ADV", "PART", "PUNCT"]
# characters the regex folds with ASCII letters under IGNORECASE although str.lower() does not ('ſ' ~ 's', 'K' ~ 'k')
ODD = ["ſome", "\u212aill", "İn", "ﬁve", "AUS$5", "US$ 3", "£2bn", "€ 40", "$", "x5", "5x", "1,000.5", "-", "/", "."]


@functools.lru_cache(maxsize=None)
def claim_words() -> list[str]:
    lex = claims.lexicon()
    words = [*lex["approximators"], *lex["number_words"], *lex["scales"], *lex["time_units"], *lex["percent_units"],
             *lex["currency"], *lex["fraction_words"], *lex["label_words"], "a", "an", "and", "half", "of", "the",
             "March", "years", "old", "12", "2024", "3.5", "1,200", "40%", "7th", "10:30"]
    return sorted({str(w) for w in words}) + ODD


def finditer_spans(text: str) -> list:
    return [(m.span(), m.groupdict()) for m in claims.lexicon()["pattern"].finditer(text)]


@SETTINGS
@given(st.lists(st.one_of(st.sampled_from(claim_words()), st.text(max_size=4)), max_size=40),
       st.lists(st.sampled_from([" ", "", "-", "\n", ", ", "  "]), min_size=40, max_size=40))
@example(["Some", "ſome", "5", "years"], [" "] * 40)
@example(["AUS$5", "and", "US$", "3"], ["", " "] * 20)
def test_numbers_in_gives_the_pattern_s_finditer(words, gaps):
    text = "".join(w + g for w, g in zip(words, gaps))
    assert [(m.span(), m.groupdict()) for m in claims.numbers_in(text, claims.lexicon())] == finditer_spans(text)


def sequence_families() -> dict[str, tuple]:
    return {"claims": claim_measures._keyed_patterns(), "stances": tuple(stance_cues._keyed()[0])}


@functools.lru_cache(maxsize=None)
def plain_matcher(family: str) -> Matcher:
    matcher = Matcher(load_nlp().vocab)
    for key, patterns in sequence_families()[family]:
        matcher.add(key, patterns)
    return matcher


@functools.lru_cache(maxsize=None)
def pattern_words() -> list[str]:
    found = {"the", "of", "a", "to", ",", "said", "Ukraine"}
    for keyed in sequence_families().values():
        for _, patterns in keyed:
            found.update(v for p in patterns for spec in p for v in spec.values() if isinstance(v, str) and v.islower())
    return sorted(found)


def test_every_word_sequence_family_is_read_by_lookup():
    for family, keyed in sequence_families().items():
        assert WordSequences.of(keyed, load_nlp().vocab) is not None, family


@SETTINGS
@given(st.data())
def test_word_sequences_give_the_matcher_s_matches_on_random_tokens(data):
    n = data.draw(st.integers(1, 50))
    pick = lambda pool: data.draw(st.lists(st.sampled_from(pool), min_size=n, max_size=n))  # noqa: E731
    words, lemmas = pick(pattern_words()), pick(pattern_words())
    capitals = pick([False, False, True])
    words = [w.title() if c else w for w, c in zip(words, capitals)]
    doc = Doc(load_nlp().vocab, words=words, lemmas=lemmas, pos=pick(POS))
    for family, keyed in sequence_families().items():
        assert WordSequences.of(keyed, doc.vocab)(doc) == set(plain_matcher(family)(doc)), family


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(pattern_words()), max_size=40))
def test_word_sequences_give_the_matcher_s_matches_on_parsed_texts(words):
    doc = load_nlp()(" ".join(words))
    for family, keyed in sequence_families().items():
        assert WordSequences.of(keyed, doc.vocab)(doc) == set(plain_matcher(family)(doc)), family


def test_patterns_with_operators_are_left_to_the_matcher():
    vocab = load_nlp().vocab
    assert WordSequences.of([("k", [[{"LOWER": "a"}, {"LOWER": "b", "OP": "?"}]])], vocab) is None
    assert WordSequences.of([("k", [[{"POS": "NOUN"}]])], vocab) is None  # no word to look up
    assert WordSequences.of([("k", [[{"LEMMA": {"IN": ["a", "b"]}}]])], vocab) is None


def test_claims_cues_take_the_matcher_s_order_when_two_measures_meet():
    doc = Doc(load_nlp().vocab, words=["5", "prisoners"], lemmas=["5", "prisoner"], pos=["NUM", "NOUN"])
    found = claim_measures.cue_matches(doc)
    assert set(found) == set(claim_measures._matcher().plain(doc))
    measures = {}
    for match_id, _, end in found:
        family, _, measure = doc.vocab.strings[match_id].partition("|")
        measures.setdefault((end - 1, family), set()).add(measure)
    assert isinstance(found, set) == all(len(m) == 1 for m in measures.values())


TEXT = ("The talks ended without a breakthrough. Both sides made no progress on prisoners.\n"
        "Putin said a meeting with Zelensky was possible. The Talks Concluded; the deal was reached.")


def test_word_flags_read_each_token_s_string():
    doc = load_nlp()(TEXT)
    lowers, lemmas = [t.lower_ for t in doc], [t.lemma_ for t in doc]
    for test in (lambda w: w.startswith("t"), lambda w: w in {"progress", "deal", "talk"}, lambda w: False):
        assert positions(doc, LOWER, test)[0] == [i for i, w in enumerate(lowers) if test(w)]
        assert positions(doc, LEMMA, test)[0] == [i for i, w in enumerate(lemmas) if test(w)]
    assert positions(load_nlp()(""), LOWER, bool) == [[]]


def test_outcome_words_and_sentence_spans():
    parsed = parse_article("a", TEXT)
    lex = outcomes._lexicon()
    ending, results = outcomes._word_positions(parsed)
    assert ending == [t.i for t in parsed.doc if t.lower_ in lex["ending_verbs"]]
    assert results == [t.i for t in parsed.doc if t.lower_ in lex["result_nouns"]]
    for sentence in parsed.sentences:
        span = parsed.doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
        assert parsed.sentence_span(sentence) == span and parsed.sentence_span(sentence) is parsed.sentence_span(sentence)
