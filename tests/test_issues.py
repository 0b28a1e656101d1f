"""The issue lexicon (issues.yaml) as spaCy patterns: lemmas instead of listed inflections, the v1.1 issue
words, relations in the parse, and look-alikes that must not match. Made-up sentences."""
from __future__ import annotations

import pytest

from pipeline.nlp.issues import doc_issues, find_issues
from pipeline.nlp.parse import parse_article
from pipeline.nlp.stance_cues import cue_stance


def issues(text):
    parsed = parse_article("t", text)
    return {m.issue for s in parsed.sentences for m in find_issues(parsed, s, [])}


@pytest.mark.parametrize("text, issue", [
    # inflections come from the lemmatizer, not from the lexicon
    ("The rebels laid down their arms last year.", "disarmament"),
    ("Several ceasefires collapsed.", "ceasefire"),
    ("BORDER CEASEFIRE HOLDS", "ceasefire"),
    ("The army halted all military operations.", "ceasefire"),
    ("Fighters were demobilised in camps.", "disarmament"),
    ("The reintegration of former combatants will take years.", "disarmament"),
    ("International monitors will be deployed.", "monitoring"),
    ("A mechanism will verify the ceasefire.", "monitoring"),
    ("The movement freed 20 hostages.", "hostages"),
    ("Trucks were allowed to deliver aid to the city.", "humanitarian_aid"),
    ("Refugees will be able to return home.", "refugee_return"),
    ("The region would get broad autonomy.", "power_sharing"),
    ("The rebels may form a political party.", "power_sharing"),
    ("The accord will be put to a plebiscite.", "elections"),
    ("Fighters will receive an amnesty.", "justice"),
    ("The deal would reopen the airport to flights.", "economy"),
    ("Tariffs of 36% were threatened.", "sanctions"),
    ("Both teams agreed on the agenda.", "procedure"),
    ("Oman offered itself as a neutral host for future talks.", "procedure"),
    ("They will swap all sick, wounded and badly injured young prisoners.", "prisoner_exchange"),
    ("The plan calls for the withdrawal of all foreign forces.", "troop_withdrawal"),
    ("Mercenaries remain in the country.", "foreign_bases"),
    ("Moscow opposes foreign military bases in the region.", "foreign_bases"),
    ("He would not recognise the breakaway republic.", "recognition"),
    ("The envoy refused to sign the document.", "draft_treaty"),
    ("The envoy refused to sign in Brussels.", "draft_treaty"),
])
def test_issue_found(text, issue):
    assert issue in issues(text)


@pytest.mark.parametrize("text, issue", [
    ("He based his remarks on the facts.", "foreign_bases"),            # 'bases' of an argument
    ("A genuine and well-monitored ceasefire is the aim.", "monitoring"),  # a monitored ceasefire is a ceasefire
    ("They recognised the importance of the talks.", "recognition"),     # recognising no state or border
    ("The release of detained civilians, and a prisoner exchange.", None),
    ("She withdrew from the talks.", "troop_withdrawal"),
    ("India will sign up to the truce.", "draft_treaty"),               # signing up to a truce is no text
    ("The army gave weapons to the militia.", "disarmament"),           # supplying arms is no disarmament
])
def test_look_alikes(text, issue):
    found = issues(text)
    if issue is None:  # two issues side by side stay two
        assert {"civilians_release", "prisoner_exchange"} <= found
    else:
        assert issue not in found


def test_a_monitored_ceasefire_is_a_ceasefire():
    assert "ceasefire" in issues("A genuine and well-monitored ceasefire is the aim.")


def test_the_whole_doc_is_matched_once():
    parsed = parse_article("t", "A truce was agreed. Prisoners will be exchanged.")
    assert doc_issues(parsed.doc) is doc_issues(parsed.doc)


@pytest.mark.parametrize("text, word, stance", [
    ("Kyiv sought a truce.", "sought", "demand"),               # irregular form, by its lemma
    ("They called repeatedly for talks.", "called", "demand"),  # two-word cue with its particle apart
    ("They were asked to leave.", "asked", "demand"),           # 'ask' with a clause of what is asked
    ("They promised a vote.", "promised", "offer"),
    ("A truce is unacceptable.", "unacceptable", "refusal"),
])
def test_stance_cues_on_lemma(text, word, stance):
    parsed = parse_article("t", text)
    tok = next(t for t in parsed.doc if t.text == word)
    assert cue_stance(tok) == stance


@pytest.mark.parametrize("text, word", [
    ("They were asked about the truce.", "asked"),        # asked about: a question, not a demand
    ("A promise was made in 2008.", "promise"),           # a promise as a noun is no offer of the speaker
    ("The call came at night.", "call"),                  # 'call' without 'for'
])
def test_no_stance_cue(text, word):
    parsed = parse_article("t", text)
    tok = next(t for t in parsed.doc if t.text == word)
    assert cue_stance(tok) is None
