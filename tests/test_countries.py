"""countries.py: one look-up from a country's name, capital or demonym to ISO3."""
from __future__ import annotations

import pytest

from pipeline.nlp.countries import (adjective, capital_name, country_code, demonym_guess, name_code, people_code,
                                    short_name)


@pytest.mark.parametrize("text, code", [
    ("Kosovo", "XKX"), ("Pristina", "XKX"), ("Ivory Coast", "CIV"), ("the Netherlands", "NLD"),
    ("Cambodian", "KHM"), ("Kabul", "AFG"), ("Phnom Penh", "KHM"), ("Russia's", "RUS"), ("Côte d'Ivoire", "CIV"),
])
def test_names_capitals_and_demonyms(text, code):
    assert country_code(text) == code


@pytest.mark.parametrize("text", ["chad", "jordan", "Victoria", "Hamilton", "Male", "Ministry", "Geneva Talks"])
def test_not_countries(text):
    assert country_code(text) is None


def test_ambiguous_name_is_decided_by_the_article():
    assert name_code("Congo") == "COD"
    assert name_code("Congo", "Officials in Brazzaville said the Congo would attend.") == "COG"
    assert name_code("Georgia", "The governor in Atlanta said Georgia would vote.") == "USA"


def test_peoples_adjectives_and_names():
    assert people_code("Afghans") == "AFG" and people_code("Afghan") is None
    assert adjective("KHM") == "Cambodian" and short_name("XKX") == "Kosovo" and short_name("Taliban") is None


def test_adjectives_no_table_knows_are_guessed_from_the_name():
    assert [demonym_guess(w) for w in ("Egyptian", "Qatari", "Ethiopian", "Kenyan")] == ["EGY", "QAT", "ETH", "KEN"]
    assert demonym_guess("Peaceful") is None and demonym_guess("Ab") is None


def test_capital_names_of_any_size():
    assert capital_name("EGY") == "Cairo" and capital_name("XKX") == "Pristina" and capital_name(None) is None
    assert name_code("the U.S.") == "USA" and name_code("Britain") == "GBR"  # the press's short names


def test_state_codes_and_their_shape_are_countries_concern():
    from pipeline.nlp.countries import ISO3, is_state_code
    assert is_state_code("XKX") and is_state_code("UKR") and not is_state_code("HTS") and not is_state_code(None)
    assert ISO3.fullmatch("UKR") and not ISO3.fullmatch("Ukr") and not ISO3.fullmatch("UKRA")


def test_the_article_decides_a_shared_name_every_time_it_is_asked():
    """The dictionary remembers the country of a surface, but never the article's decision on a shared name."""
    from pipeline.nlp.actor_dictionary import load_actor_dictionary
    d = load_actor_dictionary()
    brazzaville = "Officials in Brazzaville said the Congo would attend."
    assert [d.country_of("Congo", brazzaville), d.country_of("Congo"), d.country_of("Congo", brazzaville)] \
        == ["COG", "COD", "COG"]
    assert d.country_of("Kenyan") == d.country_of("Kenyan") == "KEN" and d.country_of("kenyan") is None
