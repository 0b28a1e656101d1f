"""The actor dictionary: reference actors found by any alias, spelling variant, metonym or surname.

Names are compared through `name_key`: case, accents, apostrophes, full stops and a possessive 's
are folded away, and each word's transliteration ending is folded (Zelenskyy, Zelenskiy, Zelenskyi ->
zelensky; Medinski -> medinsky; Kyslytsya -> kyslytsia; Sergei -> sergey), so one alias covers the
spellings that differ only there. Capitalisation is still checked against the alias as written: an
all-capitals alias (US, UN, NATO) matches only in capitals, any other only where the text is
capitalised like the alias (so 'us' is never the United States).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date

from pipeline.ids import fold, slug
from pipeline.nlp import countries
from pipeline.nlp.countries import APOSTROPHES  # noqa: F401 (roles.py reads it from here too)
from pipeline.reference import load_reference

ACTOR_TYPES = ("person", "organization", "state", "media", "group")
#: Letters that Unicode does not decompose into a base letter and an accent (Brende's ø, Wałęsa's ł).
LETTERS = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ß": "ss", "ł": "l",
                         "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "þ": "th", "ı": "i", "ħ": "h"})
#: Particles that belong to a surname ('de la Calle', 'al-Yamani', 'Abu Shahma'): part of its key.
NAME_PARTICLES = frozenset({"de", "da", "di", "del", "della", "der", "den", "van", "von", "bin", "ibn", "al", "el",
                            "la", "le", "du", "dos", "das", "abu", "abd", "ben", "ould", "ag", "ter", "ten", "mac"})
#: How alike two spellings of a surname must be (rapidfuzz ratio, 0-100) to be one person's, and how long.
SPELLING_SIMILARITY = 85
SPELLING_MIN_LETTERS = 5
#: How many capitalised surfaces an ActorDictionary remembers the country of.
COUNTRY_MEMO_SIZE = 262_144
WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
ARTICLES = ("the",)


@functools.lru_cache(maxsize=262_144)  # the same words recur across articles; folding them is a hot path
def word_key(word: str) -> str:
    """One folded word with its transliteration ending folded (short words are left alone)."""
    w = fold(word.translate(APOSTROPHES).translate(LETTERS))
    if len(w) > 3:
        w = re.sub(r"(yy|iy|yi|ii)$", "y", w)
        w = re.sub(r"i$", "y", w)
        w = re.sub(r"i?ya$", "ia", w)
    return w


@functools.lru_cache(maxsize=262_144)
def name_key(text: str) -> str:
    """The comparison key of a name: 'Zelenskyy's' -> 'zelensky', 'U.S.' -> 'us'."""
    text = fold((text or "").translate(APOSTROPHES).translate(LETTERS))
    text = re.sub(r"'s\b|'$", "", text).replace(".", "")
    return " ".join(word_key(w) for w in WORD.findall(text))


@functools.lru_cache(maxsize=65_536)  # pure; named_here compares every surname of an article with each word
def skeleton(word: str) -> str:
    """A word's transliteration skeleton: its first letter and its consonants, doubled letters once
    (Abdulsalam/Abdelsalam -> abdlslm, Stanekzai/Stanikzai -> stnkz, Wechayachai/Wichaiyachai -> wchych)."""
    w = word_key(word).replace("'", "")
    w = re.sub(r"ph", "f", w)
    tail = re.sub(r"[aeiouy]", "", w[1:])
    return re.sub(r"(.)\1+", r"\1", w[:1] + tail)


@functools.lru_cache(maxsize=65_536)
def surname_words(name: str) -> tuple[str, ...]:
    """A name's surname with the particles before it, folded: 'Humberto de la Calle' -> ('de', 'la', 'calle')."""
    words = [w for w in re.split(r"[\s\-]+", name_key(name)) if w]
    i = len(words) - 1
    while i > 0 and words[i - 1] in NAME_PARTICLES:
        i -= 1
    return tuple(words[i:])


@functools.lru_cache(maxsize=65_536)
def person_key(name: str) -> str:
    """The key of a discovered person's id, alike across spellings and middle names: first initial and
    the surname's skeleton ('Khaled al-Yamani', 'Khalid al-Yamany' -> 'k-lymn'); a lone surname keeps
    its skeleton alone."""
    words = [w for w in re.split(r"[\s\-]+", name_key(name)) if w]
    surname = surname_words(name)
    core = skeleton("".join(surname)) if surname else ""
    given = words[:len(words) - len(surname)]
    return f"{given[0][:1]}-{core}" if given else core


@functools.lru_cache(maxsize=65_536)
def _letters(text: str) -> str:
    return "".join(filter(str.isalpha, text))


def _strip_article(text: str) -> str:
    words = text.split(maxsplit=1)
    return words[1] if len(words) == 2 and words[0].lower() in ARTICLES else text


def case_fits(surface: str, alias: str) -> bool:
    """Whether `surface` is capitalised as `alias` requires."""
    letters = _letters(alias)
    if len(letters) > 1 and letters.isupper():
        return _letters(surface).isupper()
    s, a = _letters(_strip_article(surface)), _letters(_strip_article(alias))
    return bool(s and a) and s[0].isupper() == a[0].isupper()


def _as_text(value) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


@dataclass(frozen=True)
class Actor:
    actor_id: str
    name: str
    actor_type: str
    country: str | None
    aliases: tuple[str, ...] = ()
    roles: tuple[dict, ...] = ()
    source: str | None = None
    in_reference: bool = True
    surname: str | None = field(default=None, compare=False)

    @property
    def affiliation(self) -> str | None:
        """What a role held in or for this actor is affiliated to: a code for a state, an
        international organisation's short name, else an organisation's name; a person's country."""
        if self.actor_type in ("organization", "media"):
            return self.country if self.country and not countries.ISO3.fullmatch(self.country) else self.name
        return self.country


class ActorDictionary:
    """Reference actors with alias, surname and nationality look-ups."""

    def __init__(self, actors_data: dict, roles_data: dict):
        rules = actors_data.get("mention_rules") or {}
        self.honorifics = frozenset(name_key(w) for w in rules.get("honorifics") or [])
        self.not_persons = frozenset(name_key(w) for w in rules.get("not_persons") or [])
        self.organisation_words = frozenset(word_key(w) for w in rules.get("organisation_words") or [])
        self.media_words = frozenset(word_key(w) for w in rules.get("media_words") or [])
        self.armed_group_words = frozenset(word_key(w) for w in rules.get("armed_group_words") or [])
        self.generic_words = frozenset(word_key(w) for w in rules.get("generic_words") or [])
        cues = rules.get("alias_cues") or []
        self.alias_cue = re.compile(r"\b(?:" + "|".join(cues) + r")\b", re.IGNORECASE) if cues else None
        nouns = rules.get("group_nouns") or {}
        self.group_nouns_plural = tuple(name_key(n) for n in nouns.get("plural") or [])
        self.group_nouns_singular = tuple(name_key(n) for n in nouns.get("singular") or [])
        self.group_modifiers = frozenset(word_key(w) for w in nouns.get("modifiers") or [])

        self.actors: dict[str, Actor] = {}
        self._aliases: dict[str, list[tuple[str, str]]] = {}   # key -> [(actor_id, alias as written)]
        self._surnames: dict[str, set[str]] = {}               # surname key -> person ids
        self._states: dict[str, str] = {}                      # ISO3 -> state actor id
        self._groups: dict[str, str] = {}                      # ISO3 -> group actor id
        self._country_of: dict[str, str | None] = {}            # surface -> country_of where no context decides
        for entry in actors_data.get("actors") or []:
            self._add(entry)


    # -- loading --

    def _add(self, entry: dict) -> None:
        actor_type = entry["actor_type"]
        if actor_type not in ACTOR_TYPES:
            raise ValueError(f"actor {entry['id']}: actor_type {actor_type!r} not in {ACTOR_TYPES}")
        name = str(entry["name"])
        aliases = tuple(str(a) for a in entry.get("aliases") or [])
        surname = entry.get("surname", name.split()[-1] if actor_type == "person" else None)
        actor = Actor(
            actor_id=str(entry["id"]), name=name, actor_type=actor_type,
            country=str(entry["country"]) if entry.get("country") else None, aliases=aliases,
            roles=tuple({k: _as_text(v) for k, v in role.items()} for role in entry.get("roles") or []),
            source=entry.get("source"), in_reference=True, surname=surname)
        if actor.actor_id in self.actors:
            raise ValueError(f"actor id {actor.actor_id} defined twice")
        self.actors[actor.actor_id] = actor
        for alias in (name, *aliases):
            key = name_key(alias)
            if key:
                self._aliases.setdefault(key, []).append((actor.actor_id, alias))
        if actor_type == "person":
            surnames = {surname} if surname else set()
            surnames |= {a for a in aliases if len(a.split()) == 1}
            for s in surnames:
                self._surnames.setdefault(name_key(s), set()).add(actor.actor_id)
        elif actor_type == "state" and actor.country:
            self._states.setdefault(actor.country, actor.actor_id)
        elif actor_type == "group" and actor.country:
            self._groups.setdefault(actor.country, actor.actor_id)

    # -- look-ups --

    def get(self, actor_id: str) -> Actor | None:
        return self.actors.get(actor_id)

    def lookup(self, surface: str, article: bool = True) -> Actor | None:
        """The actor one of whose aliases (or name) the surface is, capitalisation permitting; with
        `article`, a leading 'the' may be dropped too ('the Kremlin' -> Russia)."""
        for actor_id, alias in self._aliases.get(name_key(surface), ()):
            if case_fits(surface, alias):
                return self.actors[actor_id]
        stripped = _strip_article(surface)
        if article and stripped != surface:
            return self.lookup(stripped, article=False)
        return None

    def alias_table(self) -> dict[str, list[tuple[str, str]]]:
        """{alias key: [(actor id, alias as written)]}: what a matcher of aliases is built from."""
        return self._aliases

    def ambiguous_aliases(self) -> dict[str, list[str]]:
        """Alias keys that name more than one actor (the reference data should have none)."""
        out = {}
        for key, pairs in self._aliases.items():
            ids = sorted({actor_id for actor_id, _ in pairs})
            if len(ids) > 1:
                out[key] = ids
        return out

    def persons_by_surname(self, surname: str) -> list[Actor]:
        return [self.actors[i] for i in sorted(self._surnames.get(name_key(surname), ()))]

    def by_spelling(self, name: str) -> Actor | None:
        """The one reference person this full name spells differently ('Rustem Umierov' -> Rustem Umerov):
        the same first initial, and surnames alike by rapidfuzz's ratio (guarded by length)."""
        from rapidfuzz import fuzz

        words = name_key(name).split()
        surname = "".join(surname_words(name))
        if len(words) < 2 or len(surname) < SPELLING_MIN_LETTERS:
            return None
        found = set()
        for key, ids in self._surnames.items():
            if abs(len(key) - len(surname)) <= 3 and fuzz.ratio(key.replace(" ", ""), surname) >= SPELLING_SIMILARITY:
                found |= {i for i in ids if name_key(self.actors[i].name)[:1] == words[0][:1]}
        return self.actors[found.pop()] if len(found) == 1 else None

    def by_surname(self, surname: str) -> Actor | None:
        """The one reference person with this surname, if exactly one has it."""
        found = self.persons_by_surname(surname)
        return found[0] if len(found) == 1 else None

    def country_of(self, surface: str, context: str | None = None) -> str | None:
        """ISO3 of a nationality word, a state's name, capital or metonym ('Ukrainian', "Russia's", 'Kremlin',
        'Kabul'); `context` (the article) decides a name two states share."""
        if not surface or not _letters(surface)[:1].isupper():
            return None
        try:  # asked for every capitalised word of every article; the answer is the surface's alone
            return self._country_of[surface]
        except KeyError:
            pass
        if not countries.adjective_code(surface) and countries.is_ambiguous(surface):
            return countries.name_code(surface, context)  # 'Congo': the article's other words decide
        if len(self._country_of) >= COUNTRY_MEMO_SIZE:  # a bound on memory over a long run of articles
            self._country_of.clear()
        code = self._country_of[surface] = self._context_free_country(surface)
        return code

    def _context_free_country(self, surface: str) -> str | None:
        code = countries.adjective_code(surface)
        if code:
            return code
        actor = self.lookup(surface)
        if actor is not None:
            return actor.country if actor.actor_type == "state" else None
        return countries.name_code(surface) or countries.capital_code(surface)

    def people_of(self, surface: str) -> str | None:
        """ISO3 of a plural demonym ('Ukrainians')."""
        if not surface or not _letters(surface)[:1].isupper():
            return None
        return countries.people_code(surface)

    def state(self, code: str) -> Actor | None:
        """The state actor of a code: the reference entry, else one named by country-converter."""
        actor_id = self._states.get(code)
        if actor_id:
            return self.actors[actor_id]
        name = countries.short_name(code) if code else None
        return Actor(slug(name), name, "state", code, in_reference=False) if name else None

    def group(self, code: str) -> Actor:
        """The group actor of a state's officials and delegation; one outside the reference data
        gets the same id shape (`group-<iso3>`) so that it is stable too."""
        actor_id = self._groups.get(code)
        if actor_id:
            return self.actors[actor_id]
        adjective = countries.adjective(code)
        if adjective is None:
            state = self.state(code)
            adjective = state.name if state else code
        return Actor(f"group-{code.lower()}", f"{adjective} side", "group", code, in_reference=False)

    def role_affiliation(self, actor: Actor, role: str, on: date | None = None) -> str | None:
        """The affiliation the reference data gives for the actor holding `role` (the entry current on
        `on` first), else the actor's own country."""
        held = [r for r in actor.roles if r.get("role") == role and r.get("affiliation")]
        if on is not None:
            day = on.isoformat()
            current = [r for r in held if (r.get("from") or "") <= day and (r.get("to") is None or day <= r["to"])]
            held = current or held
        return held[0]["affiliation"] if held else actor.country

    def is_honorific(self, word: str) -> bool:
        return name_key(word) in self.honorifics

    def is_not_person(self, surface: str) -> bool:
        return name_key(surface) in self.not_persons


@functools.lru_cache(maxsize=None)
def load_actor_dictionary() -> ActorDictionary:
    """The dictionary of the reference data (packaged plus PARLEY_REFERENCE_DIRS), built once."""
    return ActorDictionary(load_reference("actors"), load_reference("roles"))
