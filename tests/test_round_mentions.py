"""Round mentions: which sentences speak of a round of talks, and the cues read from them."""
from datetime import date

import pytest

from pipeline.nlp.parse import parse_article
from pipeline.nlp.round_mentions import extract_round_mentions


def mentions_of(text: str, dates=(), mentions=(), roles=(), published=None) -> list[dict]:
    parsed = parse_article("a1", text, published)
    return extract_round_mentions(parsed, list(dates), list(mentions), list(roles))


def test_venue_ordinal_and_place():
    [m] = mentions_of("The second round of talks was held at Ciragan Palace in Istanbul.")
    assert (m["ordinal"], m["venue"], m["city"], m["country"]) == (2, "Ciragan Palace", "Istanbul", "TUR")
    assert m["format"] == "in_person" and m["tense"] == "past"
    assert "round" in m["surface"] and m["start"] < m["end"]


def test_country_needs_a_meeting_word_before_it():
    [m] = mentions_of("As fighting raged in Ukraine, delegations gathered in Belarus for a meeting.")
    assert m["country"] == "BLR"


def test_capital_as_government_is_not_a_place():
    [m] = mentions_of("Moscow and Kyiv have conducted several rounds of talks.")
    assert m["city"] is None and m["country"] is None
    assert m["definiteness"] == "indefinite"


def test_online_planned_and_host():
    [m] = mentions_of("The delegations will resume talks by video link next week.")
    assert (m["format"], m["tense"]) == ("online", "planned")
    [h] = mentions_of("The talks, hosted by Turkey, began on Monday.")
    assert h["host"] == "TUR" and h["weekday"] == 0


def test_a_meeting_verb_with_place_and_date_is_a_round_mention():
    text = "The two leaders met at the White House on August 8, 2025."
    dates = [{"start": 42, "end": 56, "text": "August 8, 2025", "date_start": date(2025, 8, 8),
              "date_end": date(2025, 8, 8), "precision": "day", "year": 2025, "month": 8, "day": 8}]
    assert text[42:56] == "August 8, 2025"
    [m] = mentions_of(text, dates=dates)
    assert (m["kind"], m["venue"], m["city"], m["country"]) == ("round", "White House", "Washington", "USA")
    assert mentions_of("The two leaders met at the White House.") == []  # no date: a visit, not a round
    assert mentions_of("The ministers met on August 8, 2025.", dates=[dict(dates[0], start=19, end=33)]) == []


def test_heads_of_several_delegations():
    text = "Witkoff and Araghchi led their delegations. The talks lasted two hours."
    people = [{"article_id": "a1", "sentence_id": "a1-s0000", "start": s, "end": e, "actor_id": a,
               "actor_type": "person", "country": c}
              for s, e, a, c in [(0, 7, "steve-witkoff", "USA"), (12, 20, "abbas-araghchi", "IRN")]]
    rows = mentions_of(text, mentions=people)
    assert rows[-1]["delegation_heads"] == ["abbas-araghchi", "steve-witkoff"]


def test_leaders_meeting_is_not_a_round():
    [m] = mentions_of("Kyiv wants a meeting between the presidents of both countries.")
    assert m["kind"] == "leaders"


def test_date_after_since_is_a_bound_not_the_date():
    dates = [{"start": 45, "end": 61, "text": "March-April 2022", "date_start": date(2022, 3, 1),
              "date_end": date(2022, 4, 30), "precision": "month", "year": 2022, "month": 3, "day": None}]
    text = "They held their first direct talks since the March-April 2022 meetings."
    assert text[45:61] == "March-April 2022"
    [m] = mentions_of(text, dates=dates)
    assert m["after_year"] == 2022 and m["date_text"] is None and m["ordinal"] == 1


def test_month_day_and_previous_reference():
    text = "Past negotiations also failed, like the talks on May 16."
    dates = [{"start": 49, "end": 55, "text": "May 16", "date_start": None, "date_end": None,
              "precision": "day", "year": None, "month": 5, "day": 16}]
    [m] = mentions_of(text, dates=dates)
    assert (m["month"], m["day"], m["reference"]) == (5, 16, "previous")


def test_delegation_heads_from_roles_and_leading_sentences():
    text = "Leading the Russian delegation is Vladimir Medinsky. The talks lasted two hours."
    mention = {"article_id": "a1", "sentence_id": "a1-s0000", "start": 34, "end": 51, "actor_id": "vladimir-medinsky",
               "actor_type": "person", "country": "RUS"}
    rows = mentions_of(text, mentions=[mention])
    assert rows[-1]["delegation_heads"] == ["vladimir-medinsky"]
    assert rows[-1]["duration_minutes"] == 120


@pytest.mark.parametrize("text", ["", "   \n\n", "talks", "Meeting!!! ??? 12:00", "\u201cthe talks\u201d, she said."])
def test_odd_text_never_raises(text):
    assert isinstance(mentions_of(text), list)


def test_seeds_have_round_mentions(seeds_dir):
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        rows = mentions_of(text)
        assert rows, path.name
        for r in rows:
            assert text[r["start"]:r["end"]] == r["surface"]
    brest = mentions_of((seeds_dir / "001_56d16fd4f36746c6.txt").read_text(encoding="utf-8"))
    assert any(r["region"] == "Brest region" and r["ordinal"] == 2 for r in brest)


def _dated(text: str, published=date(2024, 10, 10)) -> list[dict]:
    from pipeline.nlp.dates import extract_dates
    parsed = parse_article("a1", text, published)
    return extract_round_mentions(parsed, extract_dates(parsed), [], [])


def test_a_place_from_the_gazetteer_hangs_on_the_meeting_not_on_another_word():
    [m] = mentions_of("Delegates who discussed the war in Syria held talks in Nairobi.")
    assert (m["city"], m["country"]) == ("Nairobi", "KEN")
    [m] = mentions_of("The fighting in Sudan continued while the talks stalled.")
    assert m["country"] is None


def test_the_dateline_is_where_the_story_was_written():
    [m] = _dated("NAIROBI, Oct 9 (Wire) - The talks opened on Tuesday in Addis Ababa.")
    assert (m["city"], m["country"], m["date_start"]) == ("Addis Ababa", "ETH", date(2024, 10, 8))
    [m] = _dated("NAIROBI, Oct 9 (Wire) - Officials said the talks went well.")
    assert m["city"] is None and m["date_text"] is None


def test_a_city_naming_the_meeting_is_its_place_but_a_party_country_is_its_subject():
    [m] = mentions_of("The Sochi talks ended without a deal.")
    assert (m["city"], m["country"]) == ("Sochi", "RUS")

    def states(text, *names):
        return [{"sentence_id": "a1-s0000", "start": text.index(n, i), "end": text.index(n, i) + len(n),
                 "actor_type": "state", "country": code} for n, code, i in names]
    text = "Kosovo walked out of the Kosovo talks."  # Kosovo is a party of them: talks about Kosovo
    [m] = mentions_of(text, mentions=states(text, ("Kosovo", "XKX", 0), ("Kosovo", "XKX", 10)))
    assert m["country"] is None
    text = "Serbia walked out of the Norway talks."  # Norway is no party: talks in Norway
    [m] = mentions_of(text, mentions=states(text, ("Serbia", "SRB", 0), ("Norway", "NOR", 0)))
    assert m["country"] == "NOR"


def test_a_capital_or_resort_named_by_its_country():
    [m] = mentions_of("Negotiators met for hours of talks in the Egyptian capital.")
    assert (m["city"], m["country"]) == ("Cairo", "EGY")
    [m] = mentions_of("The talks in the Kenyan resort lasted a week.")
    assert (m["city"], m["country"]) == (None, "KEN")
    [m] = mentions_of("The talks were held in the village of Sochi.")
    assert m["city"] == "Sochi"


def test_the_date_of_another_event_is_not_the_meetings():
    [m] = _dated("The meeting was their first in years, and it followed a phone call last week.")
    assert m["date_text"] is None
    [m] = _dated("Both sides agreed on Tuesday, after ten hours of talks.")
    assert m["date_start"] == date(2024, 10, 8)
    assert _dated("The truce was holding on Tuesday after the rivals agreed in Nairobi to stop fighting.") == []


def test_a_sentence_names_a_passing_meeting_with_its_own_place_and_day():
    rows = _dated("The talks were the latest step in a process that began with a meeting in Nairobi on October 2.")
    assert [(r["city"], r["date_start"]) for r in rows] == [(None, None), ("Nairobi", date(2024, 10, 2))]
    rows = _dated("The talks resumed under the accord the rivals signed in Nairobi on October 2.")
    assert rows[-1]["surface"] == "signed" and (rows[-1]["city"], rows[-1]["date_start"]) == \
        ("Nairobi", date(2024, 10, 2))


def test_the_same_city_is_the_place_last_named():
    rows = _dated("The opening ceremony took place at a Nairobi hotel.\n"
                  "The talks followed the accord they signed in the same city on October 2.")
    assert rows[-1]["city"] == "Nairobi" and rows[-1]["date_start"] == date(2024, 10, 2)


def test_a_deal_verb_with_place_and_date_or_length_is_a_round_mention():
    [m] = _dated("The rivals signed a ceasefire in Nairobi on Tuesday.")
    assert (m["kind"], m["city"], m["date_start"]) == ("round", "Nairobi", date(2024, 10, 8))
    [m] = mentions_of("The two ministers met for three hours at Ciragan Palace.")
    assert m["venue"] == "Ciragan Palace"
    assert mentions_of("The rivals signed a ceasefire in Nairobi.") == []


def test_meeting_nouns_are_matched_on_their_lemma_as_heads():
    assert mentions_of("They reviewed all negotiation parameters.") == []  # a modifier, not a meeting
    assert mentions_of("The ministers talked for an hour.") == []  # the verb, not the noun
    [m] = mentions_of("A sit-down between the envoys is planned.")
    assert "sit-down" in m["surface"]


def test_who_met_are_the_delegation_heads_of_the_mention():
    def people(text, *names):
        return [{"sentence_id": "a1-s0000", "start": text.index(n), "end": text.index(n) + len(n),
                 "actor_type": "person", "actor_id": n.lower().replace(" ", "-"), "country": "XXX"} for n in names]
    text = "Jane Doe and John Roe met for four hours at Ciragan Palace."
    [m] = mentions_of(text, mentions=people(text, "Jane Doe", "John Roe"))
    assert m["delegation_heads"] == ["jane-doe", "john-roe"]
    text = "The session was co-chaired by the defence minister, Ann Lee, and the army chief, Bo Tan."
    [m] = mentions_of(text, mentions=people(text, "Ann Lee", "Bo Tan"))
    assert m["delegation_heads"] == ["ann-lee", "bo-tan"]
    text = "Jane Doe said the talks failed, John Roe told reporters."  # speakers, not who met
    rows = mentions_of(text, mentions=people(text, "Jane Doe", "John Roe"))
    assert rows[0]["delegation_heads"] == []


@pytest.mark.xfail(reason="known miss: a meeting placed only by its host ('after hosting the leaders') gets no place",
                   strict=True)
def test_known_miss_place_from_the_host():
    [m] = mentions_of("The meeting ended after the Malaysian prime minister had hosted the two leaders for hours.")
    assert m["country"] == "MYS"


def test_durations_are_read_by_the_one_number_reader():
    """'<number> <unit>' in minutes, its number read by numbers.parse_number (words, digits, halves)."""
    from pipeline.nlp.round_mentions import _duration
    assert _duration("the talks lasted two hours") == 120 and _duration("for 90 minutes") == 90
    assert _duration("half an hour") == 30 and _duration("just over an hour") == 60
    assert _duration("two and a half hours") == 150 and _duration("twenty-five minutes") == 25
    assert _duration("for hours") is None and _duration("in the second hour") is None
    assert _duration("for a few hours") is None and _duration("a 30-minute call") is None


@pytest.mark.parametrize("text, city, country", [
    ("The talks were held in the Saudi city of Jeddah on Monday.", "Jeddah", "SAU"),
    ("The delegations met in the Egyptian resort of Sharm el-Sheikh for a new round of talks.", "Sharm el-Sheikh", "EGY"),
    ("A second round of talks opened in the Kenyan town of Naivasha.", "Naivasha", "KEN"),
])
def test_demonym_place_noun_of_a_city_gives_the_city(text, city, country):
    [m] = mentions_of(text)
    assert (m["city"], m["country"]) == (city, country)


def test_demonym_place_noun_alone_gives_the_country_and_republic_of_is_no_city():
    [m] = mentions_of("The talks were held in the Egyptian resort on Monday.")
    assert (m["city"], m["country"]) == (None, "EGY")
    [r] = mentions_of("A round of talks was held in the Democratic Republic of the Congo.")
    assert r["city"] is None


def test_flat_text_keeps_every_offset():
    """Cues are read on a folded copy whose offsets are the text's: one character for one."""
    from pipeline.nlp.round_mentions import flat
    text = "Talks in Brasília and İstanbul ended \u2014 the Ærø meeting, “the Zürich round”."
    low = flat(text)
    assert len(low) == len(text) and low.index("zurich") == text.index("Zürich")
    assert "brasilia" in low and "istanbul" in low and flat("Plain ASCII") == "plain ascii"
