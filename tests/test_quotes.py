"""Quotations: pairing marks, cue and speaker attribution, direct vs partial, scare quotes."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from pipeline.nlp.parse import parse_article
from pipeline.nlp.quotes import extract_quotes, find_quote_spans
from schemas.quotes import QuotesSchema

STATES = {"Russia": "RUS", "Ukraine": "UKR", "Turkey": "TUR", "Moscow": "RUS"}
GROUPS = {"Ukrainian officials": "UKR", "the Russian side": "RUS", "Russian negotiators": "RUS"}


def hand_mentions(parsed, people=()):
    """Mention dicts as extract_mentions returns them, built by hand for the names in a test."""
    out = []

    def add(pattern, actor_id, actor_type, country):
        for m in re.finditer(rf"\b{re.escape(pattern)}\b", parsed.text):
            out.append({"article_id": parsed.article_id, "sentence_id": parsed.sentence_id_at(m.start()),
                        "start": m.start(), "end": m.end(), "surface": m.group(), "actor_id": actor_id,
                        "name": pattern, "actor_type": actor_type, "country": country,
                        "in_reference": False, "label": None})

    for name in people:
        add(name, "person-" + name.split()[-1].lower(), "person", None)
    for name, code in STATES.items():
        add(name, code.lower(), "state", code)
    for name, code in GROUPS.items():
        add(name, "group-" + code.lower(), "group", code)
    return sorted(out, key=lambda m: m["start"])


def quotes(text, people=()):
    parsed = parse_article("t", text)
    return extract_quotes(parsed, hand_mentions(parsed, people))


@pytest.mark.parametrize("text", [
    '"We are ready to talk," Ivan Petrov said on Monday.',
    '\u201cWe are ready to talk,\u201d said Ivan Petrov.',
    'Ivan Petrov said on Sunday: \u201cWe are ready to talk.\u201d',
    'Ivan Petrov told reporters, "We are ready to talk."',
    '"We are ready to talk," according to Ivan Petrov.',
])
def test_direct_quote_speaker_before_or_after(text):
    [q] = quotes(text, ["Ivan Petrov"])
    assert q["text"].rstrip(".,") == "We are ready to talk"
    assert q["speaker_actor_id"] == "person-petrov"
    assert q["kind"] == "direct"
    assert q["cue"]


def test_partial_quote_inside_writer_sentence():
    [q] = quotes("Anna Kovalenko tweeted after the meeting that the results were \u201cnot yet achieved.\u201d",
                 ["Anna Kovalenko"])
    assert q["kind"] == "partial" and q["speaker_actor_id"] == "person-kovalenko" and q["cue"] == "tweeted"


def test_multi_sentence_quote_is_one_row():
    [q] = quotes('Minister Ali Demir stressed the point, stating, "We must act. Every day counts. '
                 'Talks are the only way."', ["Ali Demir"])
    assert q["text"].startswith("We must act.") and q["text"].endswith("only way.")
    assert q["speaker_actor_id"] == "person-demir" and q["kind"] == "direct"


def test_as_x_summed_up_colon():
    [q] = quotes("As President Ali Demir summed up the mood: \u201cNobody can negotiate under fire.\u201d",
                 ["Ali Demir"])
    assert q["speaker_actor_id"] == "person-demir" and q["cue"] == "summed up"


@pytest.mark.parametrize("cue", ["said", "noted", "added", "warned"])
def test_pronoun_speaker_resolves_to_last_person(cue):
    text = (f"Anna Kovalenko met the envoy in Geneva. \u201cThe talks were hard, but useful,\u201d she {cue}.")
    [q] = quotes(text, ["Anna Kovalenko"])
    assert q["speaker_actor_id"] == "person-kovalenko" and q["speaker_surface"] == "she"


def test_collective_pronoun_prefers_main_subject():
    text = ("Russia said that it will insist that Ukraine must \u201cdisarm.\u201d "
            "It has also signaled that it wants Ukraine to have a \u201cneutral status.\u201d")
    rows = quotes(text)
    assert [q["speaker_actor_id"] for q in rows] == ["rus", "rus"]


def test_state_and_group_subjects_of_stance_verbs():
    rows = quotes('Ukrainian officials pushed for an "unconditional ceasefire," but Russia demanded a '
                  '"full withdrawal" first.')
    assert [(q["text"].rstrip(","), q["speaker_actor_id"]) for q in rows] == [
        ("unconditional ceasefire", "group-ukr"), ("full withdrawal", "rus")]


def test_nearest_cue_wins_in_a_long_sentence():
    text = ("Anna Kovalenko said that she saw progress, while Boris Orlov, the Russian envoy, said that Ukraine "
            "had shown its readiness \u201cfor the first time in years.\u201d")
    [q] = quotes(text, ["Anna Kovalenko", "Boris Orlov"])
    assert q["speaker_actor_id"] == "person-orlov"


def test_unknown_speaker_keeps_surface():
    [q] = quotes("A spokesperson for the ministry confirmed that the envoy had been contacted by "
                 "\u201cthe other side for support.\u201d")
    assert q["speaker_actor_id"] is None and "spokesperson" in q["speaker_surface"]


@pytest.mark.parametrize("text", [
    'He repeated calls for a "no-fly zone" over the country.',
    'The so-called "special operation" continued for a month.',
    'Troops left the "grey zone" near the river.',
    "The ministry denied the report.",
])
def test_scare_quotes_and_unquoted_text_are_not_quotes(text):
    assert quotes(text) == []


def test_following_quote_continues_the_speaker():
    rows = quotes('"It was a good meeting," Ivan Petrov said. "We will continue tomorrow."', ["Ivan Petrov"])
    assert [q["speaker_actor_id"] for q in rows] == ["person-petrov", "person-petrov"]


def test_headline_name_colon():
    [q] = quotes("Kovalenko: \u201cWe will not give up land\u201d\nThe talks ended.", ["Kovalenko"])
    assert q["speaker_actor_id"] == "person-kovalenko"


@pytest.mark.parametrize("text", [
    "", "\u201c", '"unbalanced quote said Ivan', "\u201d stray close \u201c", "\x00\x07 \U0001f600 \u201c\u201d",
    'He said "a\n"b" "', "\u2018single\u2019 and didn\u2019t \u2018", "\u201c" * 50,
])
def test_odd_text_never_raises(text):
    rows = quotes(text)
    for q in rows:
        assert 0 <= q["start"] <= q["end"] <= len(text)


def test_marks_pairing():
    text = 'A "b c" d \u201ce f\u201d g \u2018h i\u2019 don\u2019t.'
    assert [text[s.start:s.end] for s in find_quote_spans(text)] == ["b c", "e f", "h i"]


def test_quote_running_over_paragraphs_and_stray_opener():
    text = '\u201cFirst part of it.\n\u201cSecond part,\u201d he said.\nAn \u201copen mark never closed.'
    assert [text[s.start:s.end] for s in find_quote_spans(text)] == ["First part of it.", "Second part,"]


def test_seeds_quotes_have_valid_spans_and_schema(seeds_dir):
    rows = []
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        parsed = parse_article(path.stem, text)
        found = extract_quotes(parsed, hand_mentions(parsed, ["Zelensky", "Zelenskyy", "Podolyak", "Medinsky",
                                                               "Timofeev", "Umerov", "Hakan Fidan"]))
        for q in found:
            assert text[q["start"]:q["end"]] == q["text"]
        rows += found
    QuotesSchema.validate(pd.DataFrame(rows), lazy=True)
    by_text = {q["text"]: q for q in rows}
    assert by_text["in full."]["speaker_actor_id"] == "person-zelenskyy"
    assert by_text["a more realistic approach"]["speaker_actor_id"] == "person-medinsky"
    assert by_text["unconditional ceasefire,"]["speaker_actor_id"] == "group-ukr"
    assert "no-fly zone" not in by_text
    assert len(rows) == 13


def test_relative_pronoun_speaker_is_its_antecedent():
    [q] = quotes('The meeting was chaired by Ivan Petrov, who told the delegates that "time is short".',
                 ["Ivan Petrov"])
    assert q["speaker_actor_id"] == "person-petrov" and q["cue"] == "told"


def test_verb_after_a_preposition_shares_the_main_subject():
    [q] = quotes('Ivan Petrov closed the session by urging both sides to seek "a fair settlement".', ["Ivan Petrov"])
    assert q["speaker_actor_id"] == "person-petrov"


def test_liveblog_timestamp_before_name_colon():
    [q] = quotes('09:15 GMT - Kovalenko: "We need more time"\nOfficials told reporters the talks went on.',
                 ["Kovalenko"])
    assert q["speaker_actor_id"] == "person-kovalenko"


def test_straight_single_quotes_and_new_speech_verbs():
    rows = quotes("Asked about a summit, Ivan Petrov replied: 'Not this year.' He cautioned that "
                  "\"nothing is agreed\". The nations' leaders met.", ["Ivan Petrov"])
    assert [(q["text"], q["speaker_actor_id"]) for q in rows] == [
        ("Not this year.", "person-petrov"), ("nothing is agreed", "person-petrov")]


def test_one_pronoun_list_serves_quotes_and_positions():
    """speakers.pronoun_class reads cues.yaml: subject pronouns for quotes, possessives too for positions."""
    from pipeline.nlp.speakers import pronoun_class
    assert [pronoun_class(w) for w in ("She", "they", "his", "Obama")] == ["person", "collective", None, None]
    assert [pronoun_class(w, possessive=True) for w in ("his", "their", "we")] == ["person", "collective", None]
