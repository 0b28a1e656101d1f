"""Actor mentions: spans of an article that name a person, state, organisation, outlet or group.

Candidates come from four places: spaCy's PERSON/ORG/GPE/NORP entities, dictionary aliases found
anywhere (spaCy misses names or mislabels them), nationality words and demonyms, and group phrases
('Ukrainian officials', "Russia's negotiation team"). A person named in full fixes who a later
surname, first name or 'Mr X' in the same article is; a full name outside the dictionary becomes a
discovered person whose id (`person-<key>`, person_names.py) is the same in every article that gives
that name in any spelling. Where candidates overlap, the longest span wins, so the spans returned
never overlap.
"""
from __future__ import annotations

import bisect
import functools
import itertools
from dataclasses import dataclass

from spacy.strings import get_string_id
from spacy.symbols import PROPN

from pipeline.ids import slug
from pipeline.nlp import countries, places
from pipeline.nlp.actor_dictionary import Actor, ActorDictionary, load_actor_dictionary, name_key, word_key
from pipeline.nlp.document import ParsedArticle
from pipeline.nlp.model import load_nlp
from pipeline.nlp.group_mentions import POSSESSIVES, GroupMentions, KeyPhrases, key_words, phrase_keys
from pipeline.nlp.person_names import DETERMINERS, PersonNames, title_words
from pipeline.nlp.token_columns import token_columns

MENTION_LABELS = ("PERSON", "ORG", "GPE", "NORP")
#: Entities that are not actors but whose inside is no place for an alias ('South China Sea').
BLOCKING_LABELS = MENTION_LABELS + ("LOC", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT")
#: Punctuation an alias may hold ('Co-operation', 'AT&T').
INNER_PUNCT = ("-", "&")
#: Labels spaCy sometimes gives a person's name; an apposition with a title then shows it is one.
MISLABELLED = ("ORG", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW")
#: Entities that are places: a name listed with them is a place too ('the ports of Hodeidah and Ras Issa').
PLACE_LABELS = ("GPE", "LOC", "FAC")
#: The LOWER ids of the determiners a span drops in front.
_DETERMINER_IDS = frozenset(get_string_id(w) for w in DETERMINERS)
#: Candidate precedence where two spans are equally long (lower wins).
RANK = {"person": 0, "group": 1, "organization": 2, "media": 2, "state": 3}


@functools.lru_cache(maxsize=4)
def alias_matcher(d: ActorDictionary) -> KeyPhrases:
    """Every alias of the dictionary as a phrase of name keys, tokenised as the text is."""
    nlp = load_nlp()
    matcher = KeyPhrases()
    for alias in sorted({alias for pairs in d.alias_table().values() for _, alias in pairs}):
        matcher.add("ALIAS", phrase_keys(nlp, alias))
    return matcher


@dataclass
class _Candidate:
    start: int            # token index
    end: int              # token index, exclusive
    actor: Actor
    label: str            # spaCy label, or ALIAS / GROUP
    from_alias: bool = False


class _Article(PersonNames, GroupMentions):
    """One article's candidates, resolved and made disjoint."""

    def __init__(self, parsed: ParsedArticle, d: ActorDictionary):
        self.parsed, self.d, self.doc = parsed, d, parsed.doc
        # Per-token flags, read once as columns (token_columns.py): a Doc makes a new Token at every look.
        columns = self.columns = token_columns(self.doc)
        self.words, self.starts, self.ends, self.punct = columns.text, columns.idx, columns.end, columns.is_punct
        self.breaks = [s or "\n" in w for s, w in zip(columns.is_space, self.words)]
        self.outer_punct = [p and w not in INNER_PUNCT for p, w in zip(self.punct, self.words)]
        # (no entity, PROPN, capitalised; spaCy's whitespace_ after a token is ' ' or '', never a newline)
        self.untagged_propn = [not e and p == PROPN and w[:1].isupper()
                               for e, p, w in zip(columns.ent_type, columns.pos, self.words)]
        self.title_words = title_words()
        self.candidates: list[_Candidate] = []
        self.parties: dict[str, Actor] = {}             # short name -> a non-state party named in full here
        self.blocking: list[tuple[int, int]] = []       # unresolved entity spans (token indices)
        self.pending: list[tuple[int, int, str, bool]] = []  # lone surnames to resolve in context (titled?)
        self.local: dict[str, Actor] = {}               # surname key -> person named in full here
        self.given: dict[str, dict[str, Actor]] = {}     # first-name key -> the persons named in full here

    # -- token helpers --

    def surface(self, start: int, end: int) -> str:
        return self.parsed.text[self.starts[start]:self.starts[end - 1] + len(self.words[end - 1])]

    def _breaks(self, start: int, end: int) -> bool:
        return any(self.breaks[start:end])

    def _trim(self, start: int, end: int) -> tuple[int, int]:
        """Drop a leading determiner, trailing possessive and punctuation, and anything past a line break."""
        breaks, words, punct, lower = self.breaks, self.words, self.punct, self.columns.lower_id
        for i in range(start, end):
            if breaks[i]:
                end = i
                break
        while start < end and (lower[start] in _DETERMINER_IDS or punct[start]):
            start += 1
        while end > start and (words[end - 1] in POSSESSIVES or punct[end - 1]):
            end -= 1
        return start, end

    # -- candidates --

    def add(self, start: int, end: int, actor: Actor, label: str, from_alias: bool = False) -> None:
        self.candidates.append(_Candidate(start, end, actor, label, from_alias))
        if actor.actor_type == "person" and end - start > 1:
            words = self.words
            self.local.setdefault(word_key(words[end - 1]), actor)
            first = next((i for i in range(start, end) if words[i][:1].isupper() and not self.d.is_honorific(words[i])),
                         None)
            if first is not None and first < end - 1:
                self.given.setdefault(word_key(words[first]), {}).setdefault(actor.actor_id, actor)

    def scan_aliases(self) -> None:
        """Dictionary aliases (a phrase matcher over folded name keys: KeyPhrases), nationality words and demonyms
        anywhere; at each token the longest alias whose capitalisation fits wins, else the word alone."""
        d, words, punct = self.d, self.words, self.punct
        found: dict[int, list[int]] = {}
        self.keys = key_words(words)
        for _, start, end in alias_matcher(d)(self.keys):
            found.setdefault(start, []).append(end)
        # only an alias's start or a capitalised word can add a candidate: the others are not visited
        for i in sorted(found.keys() | {i for i, word in enumerate(words) if word[:1].isupper()}):
            word = words[i]
            if not word[:1].isalpha():
                continue
            ends = found.get(i)
            for end in sorted(ends, reverse=True) if ends else ():
                if self._breaks(i, end) or words[end - 1] in POSSESSIVES or punct[end - 1] \
                        or any(self.outer_punct[i:end]):
                    continue
                surface = self.surface(i, end)
                actor = None if countries.is_ambiguous(surface) else d.lookup(surface, article=False)
                if actor is not None:
                    self.add(i, end, actor, "ALIAS", from_alias=True)
                    break
            else:
                if word[:1].isupper():  # _single_word's own first test, before a call per word
                    self._single_word(i)

    def _single_word(self, i: int) -> None:
        text = self.words[i]
        if not text[:1].isupper():
            return
        code = self.d.country_of(text, self.parsed.text)
        if code and self.d.state(code):
            self.add(i, i + 1, self.d.state(code), "ALIAS", from_alias=True)
            return
        code = self.d.people_of(text)
        if code:
            self.add(i, i + 1, self.d.group(code), "ALIAS", from_alias=True)
            return
        actor = self.parties.get(text) or self.d.by_surname(text)
        if actor is None and self.doc[i].pos_ == "PROPN":
            actor = self.named_here(text)  # 'Pashinyan' after 'Nikol Pashinyan', untagged by spaCy
        if actor is not None:
            self.add(i, i + 1, actor, "ALIAS", from_alias=True)

    def scan_entities(self) -> None:
        d = self.d
        for ent in self.doc.ents:
            if ent.label_ not in BLOCKING_LABELS:
                continue
            start, end = self._trim(ent.start, ent.end)
            if start >= end:
                continue
            if ent.label_ in MISLABELLED and (self._titled_name(start, end) or self._title_first(start, end)
                                              or self._listed_with(ent, ("PERSON",))):
                if not self._person(start, end, "PERSON"):
                    self.blocking.append((start, end))
                continue
            if ent.label_ == "PERSON" and (self._listed_with(ent, PLACE_LABELS) or self._place_name(start, end)):
                self.blocking.append((start, end))  # 'the ports of Hodeidah, Salif and Ras Issa', 'KHAN YOUNIS'
                continue
            if ent.label_ not in MENTION_LABELS:
                self.blocking.append((start, end))
                continue
            text = self.surface(start, end)
            actor = None if countries.is_ambiguous(text) else d.lookup(text)  # 'Congo': decided by the article
            if actor is None and ent.label_ in ("GPE", "NORP"):
                code = d.country_of(text, self.parsed.text)
                actor = d.state(code) if code else None
                if actor is None and d.people_of(text):
                    actor = d.group(d.people_of(text))
            if actor is not None:
                self.add(start, end, actor, ent.label_)
            elif ent.label_ == "PERSON" or (ent.label_ == "ORG" and end - start == 1 and self._name_like(start, end)):
                if not self._person(start, end, ent.label_):
                    self.blocking.append((start, end))
            elif not (ent.label_ == "ORG" and self._organisation(start, end)):
                self.blocking.append((start, end))

    def _place_name(self, start: int, end: int) -> bool:
        """A town's name, or a dateline: a name in capitals opening its line ('SHARM EL-SHEIKH, Oct 9 -')."""
        text = self.surface(start, end)
        at_line_start = start == 0 or "\n" in self.doc[start - 1].whitespace_ or "\n" in self.doc[start - 1].text
        return places.is_place(text) or (at_line_start and text.isupper() and len(text) > 3)

    def _listed_with(self, ent, labels: tuple[str, ...]) -> bool:
        """Whether a conjunct of the entity is an entity of these labels: the members of a list are alike
        ('X for the government and Y for the rebels'); a conjunct that is a country does not count."""
        return any(c.ent_type_ in labels and not self.d.country_of(c.text) for c in ent.root.conjuncts
                   if not (ent.start <= c.i < ent.end))

    def scan_untagged_names(self) -> None:
        """Runs of proper nouns spaCy left without an entity that a titled apposition follows."""
        untagged, n, i = self.untagged_propn, len(self.words), 0
        for k in [k for k, flag in enumerate(untagged) if flag]:  # a run starts at such a token only
            if k < i:
                continue
            i = j = k
            while j < n and j - i < 4 and untagged[j]:
                j += 1
            if self._titled_name(i, j):
                self._person(i, j, "PERSON")
            i = j

    def _organisation(self, start: int, end: int) -> bool:
        """An ORG outside the dictionary is an organisation only if its words say so."""
        keys = [word_key(t.text) for t in self.doc[start:end]]
        if not set(keys) & self.d.organisation_words or not self._capitalised(start, end):
            return False
        name = self.surface(start, end)
        if set(keys) & self.d.armed_group_words and self._own_name(start, end, keys):
            self._party(start, end, name)
            return True
        actor_type = "media" if set(keys) & self.d.media_words else "organization"
        country = next(filter(None, (self.d.country_of(t.text) for t in self.doc[start:end])), None)
        self.add(start, end, Actor(f"org-{slug(name_key(name))}", name, actor_type, country, in_reference=False), "ORG")
        return True

    def _own_name(self, start: int, end: int, keys: list[str]) -> bool:
        """A party's name has a word of its own and no state in it ('Tigray Defence Forces', not 'Sudan Armed
        Forces' or 'the Armed Forces', which are a state's)."""
        if any(self.d.country_of(t.text) for t in self.doc[start:end]):
            return False
        generic = self.d.organisation_words | self.d.generic_words
        return any(k not in generic and k not in ("of", "the", "for", "and") for k in keys)

    def _party(self, start: int, end: int, name: str) -> None:
        """A movement, front or armed group outside the reference data: a `group` whose code is the short
        name in brackets after it ('the Tigray People's Liberation Front (TPLF)'), else its name; the short
        name alone later in the article is the same group."""
        doc = self.doc
        short = None
        if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")" and doc[end + 1].text.isupper():
            short = doc[end + 1].text
        actor = Actor(f"group-{slug(short or name_key(name))}", name, "group", short or name, in_reference=False)
        self.add(start, end, actor, "ORG")
        if short:
            self.parties[short] = actor

    def _capitalised(self, start: int, end: int) -> bool:
        return all(t.text[:1].isupper() or t.is_punct or t.lower_ in ("of", "the", "for", "and", "on", "in", "&")
                   for t in self.doc[start:end]) and not any(ch.isdigit() for ch in self.surface(start, end))

    def blocked(self, c: _Candidate) -> bool:
        """A non-person alias that starts inside an entity left unresolved ('Jersey' in 'New Jersey')."""
        if not (c.from_alias and c.actor.actor_type != "person"):
            return False
        i = bisect.bisect_left(self._blocking_starts, c.start) - 1  # the spans starting before the candidate
        return i >= 0 and self._blocking_reach[i] > c.start

    def choose(self) -> list[_Candidate]:
        # Blocking spans by start, with the furthest end reached so far: "some span has s < x < e" is one
        # bisection instead of a scan of every span for every candidate (quadratic on long articles).
        spans = sorted(self.blocking)
        self._blocking_starts = [start for start, _ in spans]
        self._blocking_reach = list(itertools.accumulate((end for _, end in spans), max))
        chosen: list[_Candidate] = []
        taken: set[int] = set()
        starts, ends = self.starts, self.ends
        order = sorted(self.candidates, key=lambda c: (
            -(ends[c.end - 1] - starts[c.start]),
            RANK.get(c.actor.actor_type, 9), c.from_alias, c.start))
        for c in order:
            if self.blocked(c) or taken.intersection(range(c.start, c.end)):
                continue
            chosen.append(c)
            taken.update(range(c.start, c.end))
        chosen = sorted(chosen, key=lambda c: c.start)
        self.link_aliases(chosen)
        return chosen


def extract_mentions(parsed: ParsedArticle, dictionary: ActorDictionary | None = None) -> list[dict]:
    """One dict per actor mention, in text order; spans never overlap."""
    article = _Article(parsed, dictionary or load_actor_dictionary())
    article.scan_entities()
    article.scan_untagged_names()
    article.scan_aliases()
    article.resolve_pending()
    article.add_honorifics()
    article.scan_groups()
    rows = []
    for c in article.choose():
        start, end = article.starts[c.start], article.ends[c.end - 1]
        rows.append({
            "article_id": parsed.article_id,
            "sentence_id": parsed.sentence_id_at(start),
            "start": start,
            "end": end,
            "surface": parsed.text[start:end],
            "actor_id": c.actor.actor_id,
            "name": c.actor.name,
            "actor_type": c.actor.actor_type,
            "country": c.actor.country,
            "in_reference": c.actor.in_reference,
            "label": c.label,
        })
    return rows
