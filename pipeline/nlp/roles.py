"""Roles: who holds which title, for whom, with the words that say so.

Each sentence becomes a sequence of items: a person mention ({name}), an organisation or outlet
mention ({org}), a nationality word or state name with any possessive ({country}), and folded words
and punctuation. The title vocabulary of roles.yaml is matched on that sequence in three shapes:

- a title before the name: 'Ukrainian Defence Minister Rustem Umerov', "Ukraine's president X",
  'Russian President, X', 'the Chelsea FC owner, X', 'Presidents X and Y' (a plural title
  distributes over the coordinated names);
- an apposition after it: 'X, director of programmes at the Foo Council', 'X, Russian presidential
  aide and head of Russia's negotiation team' (two roles);
- who heads a delegation, from the clause ('Leading the Russian delegation is X'): delegations.py.

The affiliation is the nationality or organisation in the title or next to it, else the dictionary's
affiliation for that person and role, else the person's country. A role needs a person mention.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from pipeline.ids import fold
from pipeline.nlp import countries
from pipeline.nlp.actor_dictionary import APOSTROPHES, ActorDictionary, load_actor_dictionary
from pipeline.nlp.delegations import delegation_heads, main_party, main_state, represented_parties
from pipeline.nlp.document import ParsedArticle
from pipeline.nlp.role_items import Item, sentence_items
from pipeline.nlp.titles import TitleMatch, find_titles
from pipeline.reference import load_reference

SLOTS = ("{country}", "{org}")
DETERMINERS = ("the", "a", "an", "its", "his", "her", "their")
PREPOSITIONS = ("of", "at", "for", "in", "to", "with", "from")
#: How many words may stand between a title and the 'of/at ... Organisation' that gives its affiliation.
AFFILIATION_REACH = 6
#: How many distinct words a Vocabulary remembers the folded form of.
MEMO_SIZE = 262_144
TOKEN = re.compile(r"'s\b|\{\w+\}|[^\W_]+|[^\w\s]")


class Inherited(str):
    """An affiliation taken from the title of a name coordinated before ('X and envoy Y'): the reference
    data's own affiliation for the person wins over it."""


@dataclass(frozen=True)
class _Title:
    role: str
    length: int            # items covered
    plural: bool
    affiliation: str | None  # from a filled slot ('head of {country} delegation')


class Vocabulary:
    """roles.yaml compiled: titles as item-key tuples."""

    def __init__(self, data: dict):
        self._words: dict[str, str] = {}  # text -> word(text)
        self.spelling = {fold(k): fold(v) for k, v in (data.get("spelling") or {}).items()}
        self.titles = {self.phrase(p): str(r) for p, r in (data.get("titles") or {}).items()}
        # a slot for a state takes a party or organisation too ('head of the LNA delegation')
        self.titles.update({tuple("{org}" if w == "{country}" else w for w in t): r for t, r in self.titles.items()
                            if "{country}" in t})
        self.bridges = frozenset(self.word(w) for w in data.get("affiliation_bridges") or [])
        self.owners = {self.word(w): "{government}" for w in data.get("government_owners") or []}
        self.owners.update({self.word(w): "{rebel}" for w in data.get("party_owners") or []})
        self.plurals = {fold(k): fold(v) for k, v in (data.get("plurals") or {}).items()}
        self.not_current = frozenset(fold(w) for w in data.get("not_current") or [])
        self.modifiers = frozenset(self.word(w) for w in data.get("title_modifiers") or [])
        self.prefixes = frozenset(self.word(w) for w in data.get("role_prefixes") or [])
        self.state_office_words = frozenset(self.word(w) for w in data.get("state_office_words") or [])
        self.ranks = frozenset(str(r) for r in data.get("ranks") or [])
        self.max_title = max((len(t) for t in self.titles), default=1)

    def word(self, text: str) -> str:
        try:  # asked for every token of every sentence with a person in it
            return self._words[text]
        except KeyError:
            if len(self._words) >= MEMO_SIZE:  # a bound on memory over a long run of articles
                self._words.clear()
            w = fold(text.translate(APOSTROPHES))
            w = self._words[text] = self.spelling.get(w, w)
            return w

    def phrase(self, text: str) -> tuple[str, ...]:
        """'head of {country} negotiation team' -> ('head', 'of', '{country}', 'negotiation', 'team')."""
        text = fold(text.translate(APOSTROPHES)).replace("-", " ")
        return tuple(self.word(t) for t in TOKEN.findall(text))


@functools.lru_cache(maxsize=None)
def load_vocabulary() -> Vocabulary:
    return Vocabulary(load_reference("roles"))


class _Sentence:
    """One sentence's items and the roles read from them."""

    def __init__(self, items: list[Item], vocab: Vocabulary, d: ActorDictionary, parsed: ParsedArticle,
                 matches: list[TitleMatch] = ()):
        self.items, self.vocab, self.d, self.parsed = items, vocab, d, parsed
        self.rows: list[dict] = []
        firsts = {item.tokens[0]: x for x, item in enumerate(items)}
        lasts = {item.tokens[1]: x for x, item in enumerate(items)}
        self.found: dict[tuple[int, int], TitleMatch] = {}
        for m in matches:
            if m.start in firsts and m.end in lasts and firsts[m.start] <= lasts[m.end]:
                self.found.setdefault((firsts[m.start], lasts[m.end]), m)

    # -- titles --

    def _title_at(self, k: int, j: int) -> _Title | None:
        """The title exactly covering items k..j, if any (titles.py found it in the doc)."""
        match = self.found.get((k, j))
        if match is None:
            return None
        slot = next((x for x in range(k, j + 1) if self.items[x].kind in ("country", "org")), None)
        return _Title(match.role, j - k + 1, match.plural, self.items[slot].affiliation if slot is not None else None)

    def title_ending_at(self, j: int) -> tuple[int, _Title] | None:
        for k in range(max(0, j - self.vocab.max_title + 1), j + 1):
            title = self._title_at(k, j)
            if title is not None:
                return k, title
        return None

    def title_starting_at(self, k: int) -> _Title | None:
        for j in range(min(len(self.items), k + self.vocab.max_title) - 1, k - 1, -1):
            title = self._title_at(k, j)
            if title is not None:
                return title
        return None

    # -- output --

    def emit(self, name: Item, role: str, affiliation: str | None, start: int, end: int,
             role_start: int, role_end: int) -> None:
        actor = self.d.get(name.mention["actor_id"])
        if (affiliation is None or isinstance(affiliation, Inherited)) and actor is not None:
            affiliation = self.d.role_affiliation(actor, role, self.parsed.published_date) or affiliation
        affiliation = str(affiliation) if affiliation is not None else None
        text = self.parsed.text
        self.rows.append({
            "actor_id": name.mention["actor_id"],
            "role": role,
            "affiliation": affiliation,
            "article_id": self.parsed.article_id,
            "sentence_id": name.mention["sentence_id"],
            "start": start,
            "end": end,
            "role_text": text[role_start:role_end],
        })

    # -- the three shapes --

    def before(self, i: int) -> None:
        """A title before the name (or before the first of coordinated names, when plural)."""
        items, name = self.items, self.items[i]
        j = i - 1
        if j >= 0 and items[j].key == ",":
            j -= 1
        found = self.title_ending_at(j)
        if found is None:
            first = i
            while first >= 2 and items[first - 1].key in (",", "and") and items[first - 2].kind == "name":
                first -= 2
            if first == i:
                return
            found = self.title_ending_at(first - 1)
            if found is None or not found[1].plural:
                return
        k, title = found
        titles = [(k, title)]
        if k >= 2 and items[k - 1].key == "," and title.role in self.vocab.ranks:
            office = self.title_ending_at(k - 2)  # "Cambodia's Defence Minister, General X": the rank and the office
            if office is not None and not office[1].plural:
                titles.append(office)
        while titles[-1][0] >= 2 and items[titles[-1][0] - 1].key == "and":
            # "Qatar's Prime Minister and Foreign Minister, X": each coordinated title is held
            earlier = self.title_ending_at(titles[-1][0] - 2)
            if earlier is None or earlier[1].plural:
                break
            titles.append(earlier)
        first = titles[-1][0]
        prefix = ""
        if first > 0 and items[first - 1].key in self.vocab.prefixes:
            prefix, first = items[first - 1].key + " ", first - 1  # 'acting Prime Minister X'
        if first > 0 and items[first - 1].key in self.vocab.not_current:
            return
        shared, start = self._prefix_affiliation(first)
        if shared is False:
            return
        for k, title in titles:
            self.emit(name, prefix + title.role, title.affiliation or shared, start, name.end, items[k].start,
                      items[k + title.length - 1].end)

    def _prefix_affiliation(self, k: int) -> tuple:
        """The state or organisation right before the title at k ('Ukrainian', "Ukraine's", "X's"), with
        where the evidence starts; (False, _) when a 'former' before it makes the role not current."""
        items = self.items
        while k > 1 and (items[k - 1].key in self.vocab.bridges or items[k - 1].key == "'s"
                         and items[k - 2].key in self.vocab.bridges) and items[k - 2].kind in ("country", "org", "word"):
            k -= 1  # 'Thai government spokesman', "Cambodia's defence ministry spokeswoman", "the UN mission's head"
        if k > 1 and items[k - 1].key == "and" and items[k - 2].kind == "name":
            earlier = [r["affiliation"] for r in self.rows if r["actor_id"] == items[k - 2].mention["actor_id"]]
            if earlier and earlier[-1]:  # "the EU's foreign policy chief X and envoy Y": Y's is X's
                return Inherited(earlier[-1]), items[k].start
        if k > 0:
            prev = items[k - 1]
            if prev.kind in ("country", "org"):
                if k > 1 and items[k - 2].key in self.vocab.not_current:
                    return False, prev.start
                return prev.affiliation, prev.start
            if prev.key == "'s" and k > 1 and items[k - 2].kind == "name":
                return items[k - 2].mention.get("country"), items[k - 2].start
            if prev.key in ("'s", "'") and k > 1 and items[k - 2].key in self.vocab.owners:
                return self.vocab.owners[items[k - 2].key], items[k - 2].start  # "the government's negotiator"
        return None, items[k].start

    def after(self, i: int) -> None:
        """An apposition: 'X, [the] [Russian] title [of/at ... Organisation] [and title ...]'."""
        items, name = self.items, self.items[i]
        p = i + 1
        if p >= len(items) or items[p].key not in (",", "as"):
            return
        p += 1
        inherited = None
        while p < len(items):
            while p < len(items) and items[p].key in DETERMINERS:
                p += 1
            prefix = ""
            while p + 1 < len(items) and items[p].key in self.vocab.prefixes:
                prefix, p = prefix + items[p].key + " ", p + 1  # 'X, the acting UN envoy'
            if p < len(items) and items[p].kind in ("country", "org"):
                inherited = items[p].affiliation  # 'the UN special representative', 'Russian presidential aide'
                p += 1
            elif p + 1 < len(items) and items[p].kind == "name" and items[p + 1].key == "'s":
                inherited = items[p].mention.get("country")
                p += 2
            elif p + 1 < len(items) and items[p].key in self.vocab.owners and items[p + 1].key in ("'s", "'"):
                inherited = self.vocab.owners[items[p].key]  # 'X, the movement's chief justice'
                p += 2
            if p >= len(items) or items[p].key in self.vocab.not_current:
                return
            title = self.title_starting_at(p)
            while title is None and p + 1 < len(items) and items[p].key in self.vocab.modifiers | self.vocab.prefixes:
                prefix = items[p].key + " " if items[p].key in self.vocab.prefixes else prefix
                p += 1
                title = self.title_starting_at(p)
            if title is None or (p + title.length < len(items) and items[p + title.length].kind == "name"):
                return  # 'X, President Y': the title is Y's, not an apposition of X
            role_start, q = items[p].start, p + title.length
            affiliation, end = title.affiliation, items[q - 1].end
            if affiliation is None:
                affiliation, end, q = self._affiliation_after(q, end, employer_only=inherited is not None)
                affiliation = affiliation or inherited
            self.emit(name, prefix + title.role, affiliation, name.start, end, role_start, items[p + title.length - 1].end)
            if q < len(items) and items[q].key == "and":
                p = q + 1
                continue
            return

    def _affiliation_after(self, q: int, end: int, employer_only: bool = False) -> tuple[str | None, int, int]:
        """'... of programmes at the Foo Council': the first organisation or state after a preposition.
        With `employer_only` (a nationality already stands before the title: 'Iran project director at
        the Foo Group'), only an organisation after 'at' overrides it."""
        items = self.items
        seen_preposition = False
        for x in range(q, min(len(items), q + AFFILIATION_REACH + 1)):
            item = items[x]
            if item.kind in ("punct", "name") or item.key == "and":
                break
            if item.key in PREPOSITIONS and (not employer_only or item.key == "at"):
                seen_preposition = True
            elif item.kind in ("org", "country") and seen_preposition and (not employer_only or item.kind == "org"):
                if item.kind == "country" and x + 1 < len(items) and items[x + 1].kind == "org":
                    continue  # "chairman of Afghanistan's High Council": the body, not its state
                return item.affiliation, item.end, x + 1
        return None, end, q

    def read(self) -> list[dict]:
        for i, item in enumerate(self.items):
            if item.kind == "name":
                self.before(i)
                self.after(i)
        return self.rows


def extract_roles(parsed: ParsedArticle, mentions: list[dict], dictionary: ActorDictionary | None = None) -> list[dict]:
    """One dict per (person, role, evidence) in the article; needs the article's mentions."""
    d = dictionary or load_actor_dictionary()
    vocab = load_vocabulary()
    person_mentions = [m for m in mentions if m["actor_type"] == "person"]
    if not person_mentions:
        return []
    sentences = [items for items in sentence_items(parsed, mentions, vocab, d)
                 if any(item.kind == "name" for item in items)]  # roles need a person
    # a title is read only where it covers items of one sentence: only those sentences' tokens are matched
    matches = find_titles(parsed.doc, vocab.titles, vocab.spelling, vocab.plurals,
                          within=[(items[0].tokens[0], items[-1].tokens[1]) for items in sentences])
    found = [row for items in sentences for row in _Sentence(items, vocab, d, parsed, matches).read()]
    for row in delegation_heads(parsed, mentions):
        if row["affiliation"] is None:
            actor = d.get(row["actor_id"])
            row["affiliation"] = d.role_affiliation(actor, row["role"], parsed.published_date) if actor else None
        found.append(row)
    represented = represented_parties(parsed, mentions)  # 'Hamas was represented by its negotiator X'
    for row in found:
        if row["affiliation"] is None:
            row["affiliation"] = represented.get((row["sentence_id"], row["actor_id"]))
    _fill_affiliations(found, mentions, vocab)
    rows, seen = [], set()
    for row in found:
        key = (row["actor_id"], row["role"], row["affiliation"], row["start"], row["end"])
        if key not in seen:
            seen.add(key)
            rows.append(row)
    return sorted(rows, key=lambda r: (r["start"], r["end"], r["actor_id"], r["role"]))


def _fill_affiliations(rows: list[dict], mentions: list[dict], vocab: Vocabulary) -> None:
    """A role the text gives no affiliation: the side the same person's other roles here name, else, for
    an office of state ('President X'), the one state the article speaks of most."""
    # A side (a state, or an armed group coded by its short name) the same person's other roles here name:
    # 'the RSF team is headed by Major General X' makes X's 'major general' an RSF title too.
    groups = {m["country"] for m in mentions if m["actor_type"] == "group" and m.get("country")}
    states: dict[str, str] = {}
    for row in rows:
        if countries.is_state_code(row["affiliation"]) or row["affiliation"] in groups:
            states.setdefault(row["actor_id"], row["affiliation"])
    main = {"{government}": main_state(mentions), "{rebel}": main_party(mentions)}
    for row in rows:
        if row["affiliation"] in main:
            row["affiliation"] = main[row["affiliation"]]
        elif row["affiliation"] is None:
            office = bool(set(row["role"].split()) & vocab.state_office_words)
            row["affiliation"] = states.get(row["actor_id"]) or (main["{government}"] if office else None)
