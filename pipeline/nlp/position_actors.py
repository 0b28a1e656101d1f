"""Who holds a position: the party behind a stance cue (its subject or possessor, else the subject of a
governing clause; a pronoun goes to the most recent compatible subject; a group noun to the article's party,
see group_subjects.py), and the parties of a joint acceptance that a third party reports.
"""
from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass

from pipeline.nlp.group_subjects import group_actor, kind_of, names_both_sides, principal_parties
from pipeline.nlp.issues import covered
from pipeline.nlp.speakers import pronoun_class
from pipeline.nlp.stance_cues import SUBJECTS, cue_particle, lemma_in, negated
from pipeline.reference import load_reference

#: Dependencies inside a noun phrase that lead from its head to a name it carries.
NAME_PARTS = ("appos", "compound", "amod", "poss", "nmod")
#: Inside a quotation these stand for its speaker (or the speaker's side).
FIRST_PERSON = {"i", "me", "my", "we", "us", "our", "ours"}
NON_PERSON_TYPES = {"state", "organization", "group"}
OBJECTS = {"dobj", "xcomp", "ccomp", "prep", "pobj", "attr", "acomp", "dative"}
#: How many sentences back a pronoun may look for its actor.
PRONOUN_REACH = 3


@dataclass(frozen=True)
class Cue:
    token: object       # the spaCy token carrying the stance
    stance: str
    #: "for Ukraine to agree ...", "only possible when ...": the cue's own subject is not the actor;
    #: the stance is a demand of the governing clause's subject.
    governed: bool = False
    #: "Baku will not sign until X": a condition the governing clause's own subject sets (it holds the demand).
    condition: bool = False



class Actors:
    """The article's mentions, for finding the actor behind a token or a pronoun."""

    def __init__(self, parsed, mentions: list[dict], roles: list[dict] | None = None,
                 quotes: list[dict] | None = None):
        self.parsed = parsed
        sides = _role_sides(roles or ())
        self.mentions = sorted((_with_side(m, sides) for m in mentions
                                if m.get("article_id", parsed.article_id) == parsed.article_id),
                               key=lambda m: m["start"])
        by_actor = {m["actor_id"]: m for m in self.mentions if usable(m)}
        #: (start, end, speaker's mention) of each direct quotation whose speaker has a side
        self.quotes = [(q["start"], q["end"], by_actor[q["speaker_actor_id"]]) for q in quotes or ()
                       if q.get("kind") != "indirect" and q.get("speaker_actor_id") in by_actor]
        self.starts = [m["start"] for m in self.mentions]  # mentions never overlap: bisection finds them

    def containing(self, char: int) -> dict | None:
        """The mention holding character `char` (mention spans of an article are disjoint)."""
        i = bisect.bisect_right(self.starts, char) - 1
        return self.mentions[i] if i >= 0 and char < self.mentions[i]["end"] else None

    def starting_in(self, start: int, end: int) -> list[dict]:
        """The mentions that start in [start, end), in order."""
        return self.mentions[bisect.bisect_left(self.starts, start):bisect.bisect_left(self.starts, end)]

    def at(self, token) -> dict | None:
        """The mention holding the token, else one named inside its noun phrase (appositions, modifiers,
        and who leads it: "the delegation, led by Umerov")."""
        queue = [token]
        while queue:
            tok = queue.pop(0)
            m = self.containing(tok.idx)
            if m is not None:
                return m
            queue += [c for c in tok.children if c.dep_ in NAME_PARTS]
            queue += [p for c in tok.children if c.dep_ == "acl" and lemma_in(c, "led_by")
                      for a in c.children if a.dep_ == "agent" for p in a.children if p.dep_ == "pobj"]
        return None

    def actor(self, cue: Cue) -> dict | None:
        """The cue's subject or possessor, else a governing clause's subject; pronouns resolved."""
        pronoun = None
        tok, first = cue.token, True
        while True:
            if first and cue.condition:  # only a named party as the clause's subject sets the condition
                held = [m for c in tok.children if c.dep_ in SUBJECTS for m in [self.at(c) or group_actor(c, self)]
                        if m is not None and usable(m)]
                if held:
                    return held[0]
            if not (first and cue.governed):
                for child in _agents(tok, cue):
                    m = self.at(child)
                    if m is None or not usable(m):  # "Ghani's government": a person of no known side
                        m = group_actor(child, self) or m
                    if child.dep_ in SUBJECTS and len(self.sides(child)) > 1:
                        return None  # "Russia and Ukraine agreed ...": a joint act is no one side's position
                    if m is not None and usable(m) and (pronoun is None or compatible(pronoun, m)):
                        return m
                    if m is not None and child.dep_ in SUBJECTS and not usable(m):
                        return None  # the clause's subject is named, but of no known side
                    if m is None and child.lower_ in FIRST_PERSON:
                        m = self.speaker(child)  # "'We agreed that ...,' X told reporters"
                        if m is not None:
                            return m
                    if m is None and pronoun is None and pronoun_class(child.lower_, possessive=True):
                        pronoun = child
                    elif first and child.dep_ in SUBJECTS and pronoun is None and not tok.tag_.startswith("NN"):
                        return None  # the cue's own subject is no side ("both sides agreed ...")
                    elif m is None and child.dep_ in SUBJECTS and child.pos_ in ("NOUN", "PROPN") \
                            and not _names_issue(child) and kind_of(child) is None:
                        # a governing clause of something that is no party ("the plan does not require ..."); a
                        # group noun ("the two sides would ...") lets the reporter's side through
                        return None
            first = False
            if tok.head.i == tok.i:
                break
            # "Kiev, which proposed X": the relative clause's subject is its noun; a finite verb parsed as
            # a noun's modifier ("the delegation, led by Umerov, called for X") is that noun's predicate
            if tok.dep_ == "relcl" or (tok.dep_ == "acl" and tok.tag_ == "VBD"):
                m = self.at(tok.head) or group_actor(tok.head, self)
                return m if m is not None and usable(m) else self.resolve(pronoun) if pronoun is not None else None
            tok = tok.head
        return self.resolve(pronoun) if pronoun is not None else None

    def speaker(self, token) -> dict | None:
        """Who says a first-person pronoun: the speaker of the quotation holding it."""
        return next((m for start, end, m in self.quotes if start <= token.idx < end), None)

    def own(self, token) -> dict | None:
        """The party a noun cue names as its own: 'an American proposal', "Russia's demand", 'a demand of Kyiv'."""
        if not token.tag_.startswith("NN"):
            return None
        for child in token.children:
            if child.dep_ in ("poss", "amod", "compound", "nmod"):
                m = self.containing(child.idx)
            elif child.dep_ in ("prep", "agent") and child.lower_ in ("of", "from", "by"):
                m = next((self.containing(p.idx) for p in child.children if p.dep_ == "pobj"), None)
            else:
                continue
            if m is not None and usable(m):
                return m
        return None

    def parties(self, cue: Cue) -> list[dict]:
        """'Thailand and Cambodia agreed to a ceasefire, Malaysia's prime minister said': a joint acceptance that
        someone else reports is each party's acceptance (a joint act told by the parties is an outcome only)."""
        if cue.stance != "acceptance" or negated(cue.token) or not reported(cue.token):
            return []
        for child in cue.token.children:
            if child.dep_ in SUBJECTS and names_both_sides(child):  # "both sides agreed to X, C said"
                reporters = {m["country"] for t in _reporters(cue.token) for m in [self.at(t)] if m is not None}
                return principal_parties(self, reporters)
            if child.dep_ in SUBJECTS:
                found: dict[str, dict] = {}
                for tok in [child, *(t for t in child.subtree if t.dep_ == "conj")]:
                    m = self.at(tok)
                    if m is not None and usable(m):
                        found.setdefault(m["country"], m)
                return list(found.values()) if len(found) > 1 else []
        return []

    def sides(self, token) -> set[str]:
        """The countries a noun phrase names, its coordinated parts included ("Russian and Ukrainian negotiators")."""
        countries, queue = set(), [token]
        while queue:
            tok = queue.pop()
            m = self.containing(tok.idx)
            if m is not None and usable(m):
                countries.add(m["country"])
            queue += [c for c in tok.children if c.dep_ in (*NAME_PARTS, "conj")]
        return countries

    def resolve(self, pronoun) -> dict | None:
        """The most recent compatible subject before the pronoun: in its own sentence any subject, in
        earlier sentences a main-clause subject first."""
        here = self.parsed.sentence_at(pronoun.idx)
        if here is None:
            return None
        index = self.parsed.sentence_index_at(pronoun.idx)
        for back in range(PRONOUN_REACH + 1):
            if index - back < 0:
                break
            sent = self.parsed.sentences[index - back]
            limit = pronoun.idx if back == 0 else sent.end
            cands = [m for m in self.starting_in(sent.start, limit) if usable(m) and compatible(pronoun, m)]
            subjects = [(m, top) for m in cands for top in [self._subject_level(m)] if top is not None]
            ranked = ([m for m, top in subjects if top] or [m for m, _ in subjects]) if back else \
                [m for m, _ in subjects]
            if ranked:
                return ranked[-1]
        return None

    def _subject_level(self, mention: dict) -> bool | None:
        """None when the mention is no clause's subject; else whether that clause is a main one."""
        span = self.parsed.doc.char_span(mention["start"], mention["end"], alignment_mode="expand")
        if span is None:
            return None
        tok = span.root
        while tok.dep_ in NAME_PARTS and tok.head.i != tok.i:
            tok = tok.head
        if tok.dep_ not in SUBJECTS:
            return None
        verb = tok.head
        while verb.dep_ == "conj" and verb.head.i != verb.i:
            verb = verb.head
        return verb.dep_ == "ROOT"


def _names_issue(token) -> bool:
    """Whether the token is part of an issue phrase ('a truce was not acceptable': the truce is no one)."""
    return token.i in covered(token.doc)


def _role_sides(roles) -> dict[str, str]:
    """actor_id -> the affiliation of the person's first affiliated role in the article ('President Santos')."""
    sides: dict[str, str] = {}
    for role in roles:
        if role.get("affiliation") and role.get("actor_id"):
            sides.setdefault(role["actor_id"], role["affiliation"])
    return sides


def _with_side(mention: dict, sides: dict[str, str]) -> dict:
    """A person of no known country takes the side of the office the article gives them."""
    if mention.get("country") or mention.get("actor_type") != "person" or mention.get("actor_id") not in sides:
        return mention
    return {**mention, "country": sides[mention["actor_id"]]}


@functools.lru_cache(maxsize=None)
def _speech_lemmas() -> frozenset[str]:
    return frozenset(load_reference("cues")["speech"])


def reported(tok) -> bool:
    """Whether a verb of saying governs the cue, or hangs on it ('A and B agreed to X, C said')."""
    speech = _speech_lemmas()
    if any(c.dep_ in ("parataxis", "ccomp") and c.lemma_.lower() in speech for c in tok.children):
        return True
    while tok.head.i != tok.i:
        tok = tok.head
        if tok.lemma_.lower() in speech:
            return True
    return False


def _reporters(tok) -> list:
    """The subjects of the verbs of saying that report a cue (see `reported`)."""
    speech = _speech_lemmas()
    verbs = [c for c in tok.children if c.dep_ in ("parataxis", "ccomp") and c.lemma_.lower() in speech]
    while tok.head.i != tok.i:
        tok = tok.head
        if tok.lemma_.lower() in speech:
            verbs.append(tok)
    return [s for v in verbs for s in v.children if s.dep_ in SUBJECTS]


def _agents(tok, cue: Cue) -> list:
    out = [c for c in tok.children if c.dep_ in SUBJECTS or c.dep_ in ("poss", "agent")]
    # a misparse makes the reporting verb a modifier of the noun cue: "[Zelensky repeated] calls for"
    out += [s for c in tok.children if c.dep_ in ("amod", "acl") for s in c.children if s.dep_ in SUBJECTS]
    particle_for = cue_particle(cue.token) == "for"
    # "a demand of Belgrade": the "of" of a noun cue names whose it is
    by = ("by", "from", "of") if tok.i == cue.token.i and tok.tag_.startswith("NN") else ("by", "from")
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ in by or (
                prep.dep_ == "prep" and prep.lower_ == "for" and tok.i == cue.token.i and not particle_for
                and tok.tag_.startswith("NN")):
            out += [c for c in prep.children if c.dep_ == "pobj"]
    return out


def usable(mention: dict) -> bool:
    return bool(mention.get("country")) and mention.get("actor_type") != "media"


def compatible(pronoun, mention: dict) -> bool:
    if pronoun_class(pronoun.lower_, possessive=True) == "person":
        return mention.get("actor_type") == "person"
    return mention.get("actor_type") in NON_PERSON_TYPES


