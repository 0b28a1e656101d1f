"""Person names inside an article's mentions: what makes a span a person, and which person it is.

Mixed into mentions._Article (it uses the article's doc, dictionary and candidates): a name's first and last
words spaCy left out are taken in, titles stripped and honorifics kept; a lone surname (particles
included: 'de la Calle', 'al-Yamani') or first name goes to the person named in full in the article, else
the reference data; a full name to a reference person under another spelling (guarded rapidfuzz), else
to a discovered person whose id is alike for every spelling; 'X, better known as Y' makes Y X.
"""
from __future__ import annotations

import functools

from pipeline.ids import slug
from pipeline.nlp.actor_dictionary import NAME_PARTICLES, Actor, name_key, person_key, word_key
from pipeline.nlp.roles import SLOTS, load_vocabulary

DETERMINERS = ("the", "a", "an")
#: How many characters an alias cue may span between a name and its alias ('X, who is better known by his
#: noms de guerre Y').
ALIAS_REACH = 80


@functools.lru_cache(maxsize=None)
def title_words() -> frozenset[str]:
    """Every word of every title in roles.yaml: stripped from the front of a PERSON entity."""
    return frozenset(w for title in load_vocabulary().titles for w in title
                     if w not in SLOTS and w not in ("of", "the", "for", "in", "'s"))


def discovered_person(name: str) -> Actor:
    """A person outside the reference data; the id is alike for every spelling of the name (person_key)."""
    return Actor(f"person-{slug(person_key(name))}", name, "person", None, in_reference=False)


class PersonNames:
    """The person-name half of an article's mention finding."""

    def _title_first(self, start: int, end: int) -> bool:
        """'Lieutenant General X Y' labelled an organisation: a title, then a name of two words or more."""
        vocab = load_vocabulary()
        i = start
        while i < end and vocab.word(self.doc[i].text) in self.title_words:
            i += 1
        keys = {word_key(t.text) for t in self.doc[i:end]}
        return start < i and end - i >= 2 and self._name_like(i, end) and not keys & self.d.organisation_words

    def _name_like(self, start: int, end: int) -> bool:
        tokens = self.doc[start:end]
        words = [t.text for t in tokens]
        for t in tokens:
            w = t.text
            if any(ch.isdigit() for ch in w) or "#" in w or "@" in w:
                return False
            hyphenated = t.i > 0 and self.doc[t.i - 1].text == "-" and not self.doc[t.i - 1].whitespace_
            if not w[:1].isupper() and w.lower() not in NAME_PARTICLES and w not in ("-", "'") and not hyphenated:
                return False
        return not self.d.is_not_person(" ".join(words)) and len(words) <= 5

    def _titled_name(self, start: int, end: int) -> bool:
        """A name spaCy labelled a facility or organisation that an apposition gives a person's title
        ('Tatiana Stanovaya, a senior fellow at ...')."""
        keys = {word_key(t.text) for t in self.doc[start:end]}
        return (2 <= end - start <= 4 and self.d.lookup(self.surface(start, end)) is None
                and not keys & self.d.organisation_words and self._name_like(start, end)
                and self._titled_apposition(end))

    def _titled_apposition(self, end: int) -> bool:
        """', a senior fellow at ...' after a name spaCy called an ORG: a person's title follows."""
        doc, vocab = self.doc, load_vocabulary()
        if end >= len(doc) or doc[end].text != ",":
            return False
        j = end + 1
        while j < len(doc) and (doc[j].lower_ in DETERMINERS or vocab.word(doc[j].text) in vocab.modifiers):
            j += 1
        words = tuple(vocab.word(t.text) for t in doc[j:j + vocab.max_title])
        return any(words[:n] in vocab.titles for n in range(1, len(words) + 1))

    def _person(self, start: int, end: int, label: str) -> bool:
        """A PERSON entity outside the dictionary: titles trimmed, honorific kept in the span."""
        doc, d = self.doc, self.d
        vocab = load_vocabulary()
        start, end = self._first_name(start), self._last_name(end)
        while start < end and (vocab.word(doc[start].text) in self.title_words
                               or (d.country_of(doc[start].text) and end - start > 2)):
            start += 1  # 'Ukrainian President X Y'; a lone word before a surname stays a name ('Maly Socheata')
        name_start = start
        while name_start < end and d.is_honorific(doc[name_start].text):
            name_start += 1
        if name_start >= end or not self._name_like(name_start, end):
            return False
        name = self.surface(name_start, end)
        actor = d.lookup(name)
        if actor is None and self._surname_only(name_start, end):
            self.pending.append((start, end, label, start < name_start or self._titled(start)))
            return True
        if actor is None:
            actor = self._known_by_initial(name_start, end) or d.by_spelling(name)
        if actor is None and self._holds_known_person(name_start, end):
            return False
        if actor is None:
            actor = discovered_person(name)
        self.add(start, end, actor, label)
        return True

    def _surname_only(self, start: int, end: int) -> bool:
        """'Santos', 'de la Calle', 'al-Yamani': one name word, with the particles of a surname."""
        words = [t for t in self.doc[start:end] if t.text[:1].isalpha() and word_key(t.text) not in NAME_PARTICLES]
        return len(words) <= 1

    def _titled(self, start: int) -> bool:
        """A title word right before the name ('General Haftar'): a lone surname there is a person's."""
        return start > 0 and load_vocabulary().word(self.doc[start - 1].text) in self.title_words

    def _first_name(self, start: int) -> int:
        """spaCy leaves a first name out of PERSON now and then ('Sameh' of 'Sameh Shoukry'):
        take in up to two untagged proper nouns before it that are no title, nationality or actor."""
        doc, d, vocab = self.doc, self.d, load_vocabulary()
        for _ in range(2):
            prev = doc[start - 1] if start > 0 else None
            if (prev is None or prev.ent_type_ or prev.pos_ != "PROPN" or not prev.text[:1].isupper()
                    or "\n" in prev.whitespace_ or vocab.word(prev.text) in self.title_words
                    or d.is_honorific(prev.text) or d.country_of(prev.text) or d.lookup(prev.text)):
                break
            start -= 1
        return start

    def _last_name(self, end: int) -> int:
        """spaCy leaves a surname out of PERSON now and then ('Mohammad Naeem [Wardak] told'): take in one
        untagged proper noun after it that is no title, nationality or actor."""
        doc, d = self.doc, self.d
        nxt = doc[end] if end < len(doc) else None
        if (nxt is not None and not nxt.ent_type_ and nxt.pos_ == "PROPN" and nxt.text[:1].isupper()
                and "\n" not in doc[end - 1].whitespace_ and doc[end - 1].whitespace_
                and load_vocabulary().word(nxt.text) not in self.title_words and not d.country_of(nxt.text)
                and d.lookup(nxt.text) is None):
            return end + 1
        return end

    def _holds_known_person(self, start: int, end: int) -> bool:
        """'Zelensky Says Talks', 'Putin Zelensky': spaCy ran names and words together; the
        dictionary's names inside are the mentions, not a new person."""
        return any((a := self.d.lookup(t.text)) is not None and a.actor_type == "person"
                   for t in self.doc[start:end])

    def _known_by_initial(self, start: int, end: int) -> Actor | None:
        """'V. Putin', 'Volodymir Zelensky': a reference person with this surname and first initial."""
        first, last = self.doc[start].text, self.doc[end - 1].text
        found = [a for a in self.d.persons_by_surname(last) if name_key(a.name)[:1] == name_key(first)[:1]]
        return found[0] if len(found) == 1 else None

    def named_here(self, word: str) -> Actor | None:
        """The person named in full in this article whose surname, else whose first name (if one person's
        only: 'Phumtham said', 'Anwar said'), this word is."""
        key = word_key(word)
        if key in self.local:
            return self.local[key]
        people = self.given.get(key) or {}
        return next(iter(people.values())) if len(people) == 1 else None

    def resolve_pending(self) -> None:
        """Single-word names: a person named in full in this article, else the reference data; a titled one
        ('Mullah X', 'General X') that neither knows is a person of its own."""
        for start, end, label, titled in self.pending:
            actor = self.named_here(self.doc[end - 1].text) or self.d.by_surname(self.doc[end - 1].text)
            if actor is None and titled:
                name_start = start
                while name_start < end - 1 and self.d.is_honorific(self.doc[name_start].text):
                    name_start += 1
                actor = discovered_person(self.surface(name_start, end))
            if actor is not None:
                self.add(start, end, actor, label)
            else:
                self.blocking.append((start, end))
        # a surname matched through the reference data yields to a namesake named here in full
        for c in self.candidates:
            if c.actor.actor_type == "person" and c.end - c.start == 1:
                local = self.local.get(word_key(self.doc[c.start].text))
                if local is not None:
                    c.actor = local

    def add_honorifics(self) -> None:
        """'Mr Zelensky': the honorific belongs to the mention's span."""
        for c in self.candidates:
            if c.actor.actor_type == "person" and c.start > 0:
                prev = self.doc[c.start - 1]
                if prev.text[:1].isupper() and self.d.is_honorific(prev.text):
                    c.start -= 1

    def link_aliases(self, chosen: list) -> None:
        """'X, better known by his nom de guerre Y': Y is X, when only an alias cue stands between them."""
        cue = self.d.alias_cue
        if cue is None:
            return
        people = [c for c in chosen if c.actor.actor_type == "person"]
        linked = False
        for first, later in zip(people, people[1:]):
            between = self.parsed.text[self.doc[first.end - 1].idx + len(self.doc[first.end - 1]):self.doc[later.start].idx]
            listed = linked and between.strip(" ,").lower() in ("and", "or", "")  # '... noms de guerre Y and Z'
            linked = "\n" not in between and len(between) < ALIAS_REACH and (bool(cue.search(between)) or listed)
            if linked:
                later.actor = first.actor

    # -- choosing --
