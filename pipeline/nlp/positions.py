"""Positions: which side demands, proposes, offers, accepts or refuses what, on which issue.

An issue named in a sentence (issues.yaml) becomes a position only when a stance cue
(stances.yaml) governs it in the dependency parse: the cue is on the issue's chain of heads, or is
the subject of the copula whose complement holds the issue ("Ukraine's priorities are X"), or a
condition is set on something ("only possible when X" demands X). The outermost cue wins, so that
"its proposals, which contained its refusal to join NATO" is a proposal. The actor is the cue's
subject or possessor, else the subject of a governing clause; a pronoun goes to the most recent
compatible actor. The side is the actor's country.
"""
from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass

from pipeline.ids import stable_id
from pipeline.nlp.group_subjects import group_actor
from pipeline.nlp.issues import IssueMatch, find_issues, issue_settings
from pipeline.reference import load_reference
from pipeline.nlp.stance_cues import (SUBJECTS, cue_particle, cue_stance, is_copula, lemma_in, negated, self_cue,
                                      stance_lexicon)

#: Dependencies that open a new clause: a copula's nominal cue is looked for outside them.
CLAUSES = {"ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "csubj", "parataxis", "pcomp", "appos"}
#: Dependencies inside a noun phrase that lead from its head to a name it carries.
NAME_PARTS = ("appos", "compound", "amod", "poss", "nmod")
PERSON_PRONOUNS = {"he", "him", "his", "she", "her", "hers"}
OTHER_PRONOUNS = {"it", "its", "they", "them", "their", "theirs"}
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


# ---------- actors --------------------------------------------------------------------------------

class Actors:
    """The article's mentions, for finding the actor behind a token or a pronoun."""

    def __init__(self, parsed, mentions: list[dict]):
        self.parsed = parsed
        self.mentions = sorted((m for m in mentions if m.get("article_id", parsed.article_id) == parsed.article_id),
                               key=lambda m: m["start"])
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
                    if m is None and pronoun is None and child.lower_ in PERSON_PRONOUNS | OTHER_PRONOUNS:
                        pronoun = child
                    elif first and child.dep_ in SUBJECTS and pronoun is None:
                        return None  # the cue's own subject is no side ("both sides agreed ...")
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

    def parties(self, cue: Cue) -> list[dict]:
        """'Thailand and Cambodia agreed to a ceasefire, Malaysia's prime minister said': a joint acceptance that
        someone else reports is each party's acceptance (a joint act told by the parties is an outcome only)."""
        if cue.stance != "acceptance" or negated(cue.token) or not _reported(cue.token):
            return []
        for child in cue.token.children:
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


@functools.lru_cache(maxsize=None)
def _speech_lemmas() -> frozenset[str]:
    return frozenset(load_reference("cues")["speech"])


def _reported(tok) -> bool:
    """Whether a verb of saying governs the cue, or hangs on it ('A and B agreed to X, C said')."""
    speech = _speech_lemmas()
    if any(c.dep_ in ("parataxis", "ccomp") and c.lemma_.lower() in speech for c in tok.children):
        return True
    while tok.head.i != tok.i:
        tok = tok.head
        if tok.lemma_.lower() in speech:
            return True
    return False


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
    if pronoun.lower_ in PERSON_PRONOUNS:
        return mention.get("actor_type") == "person"
    return mention.get("actor_type") in NON_PERSON_TYPES


# ---------- cues ----------------------------------------------------------------------------------

def governing_cues(span) -> list[Cue]:
    """Stance cues governing an issue span, innermost first."""
    inside = {t.i for t in span}
    # a verb naming its own issue is its innermost cue ("will never recognise X")
    cues: list[Cue] = [Cue(span.root, self_cue(span.root))] if self_cue(span.root) else []
    prev, tok = span.root, span.root.head
    while tok.i not in inside:
        stance = cue_stance(tok) or self_cue(tok)
        if stance and not _addressee(prev, tok):
            cues.append(Cue(tok, stance, _for_clause(tok)))
        if prev.dep_ == "advcl" and _sets_condition(prev, tok):
            cues.append(Cue(tok, "demand", governed=True))
        if is_copula(tok):
            cues += [Cue(n, cue_stance(n)) for n in _clause_nouns(tok, prev)]
        cues += [Cue(a, cue_stance(a)) for a in _judgements(tok, prev)]
        # a conjoined verb that carries a stance is a predicate of its own: "rejected a ceasefire and
        # instead offered a truce" offers the truce; a plain one shares its partner's cue ("its refusal
        # to join NATO and deploy foreign bases")
        if tok.head.i == tok.i or (tok.dep_ == "conj" and tok.tag_.startswith("VB") and (cues or stance)):
            break
        prev, tok = tok, tok.head
    return cues


def _addressee(prev, cue) -> bool:
    """'urged NATO allies to impose X': the object of a cue that has its own infinitive is who is asked,
    not what is demanded."""
    return prev.dep_ == "dobj" and any(c.dep_ == "xcomp" for c in cue.children)


def relative_cues(span) -> list[Cue]:
    """A second actor's cue on the issue: in a relative clause ('a ceasefire, which the Kremlin dismissed'), or
    a cue noun in apposition to a noun on the way up ('talks on X, a long-standing demand of Belgrade')."""
    out = [Cue(c, cue_stance(c)) for c in span.root.children
           if c.dep_ == "relcl" and cue_stance(c)
           and any(o.dep_ in ("dobj", "nsubjpass") and o.tag_ == "WDT" for o in c.children)]
    prev, tok = span.root, span.root
    while True:
        out += [Cue(a, cue_stance(a)) for a in tok.children
                if a.dep_ == "appos" and a.i != prev.i and a.tag_.startswith("NN") and cue_stance(a)]
        if tok.head.i == tok.i or not (tok.tag_.startswith("NN") or tok.dep_ in ("prep", "acl")):
            return out
        prev, tok = tok, tok.head


def _for_clause(tok) -> bool:
    return any(c.dep_ == "mark" and c.lower_ == "for" for c in tok.children)


def _sets_condition(clause, head) -> bool:
    lex = stance_lexicon()
    markers, restrictors = set(lex["condition_markers"]), set(lex["restrictors"])
    marked = any(c.lower_ in markers and c.dep_ in ("mark", "advmod") for c in clause.children)
    restricted = any(c.lower_ in restrictors for t in (clause, head) for c in t.children if c.dep_ == "advmod")
    return marked and restricted


def _judgements(verb, came_from) -> list:
    """A cue adjective predicated of the issue: 'X is unacceptable', 'would regard X as unacceptable'."""
    out = []
    for child in verb.children:
        if child.i == came_from.i:
            continue
        if child.dep_ in ("acomp", "oprd") and child.pos_ == "ADJ" and cue_stance(child):
            out.append(child)
        if child.dep_ == "prep" and child.lower_ == "as":
            out += [g for g in child.children if g.dep_ in ("pobj", "amod", "acomp") and g.pos_ == "ADJ"
                    and cue_stance(g)]
    return out


def _clause_nouns(copula, came_from) -> list:
    """Noun cues in the copula's own clause ('Ukraine's priorities are ...', 'clear with their aim: ...')."""
    out, queue = [], [c for c in copula.children if c.i != came_from.i and c.dep_ not in CLAUSES]
    while queue:
        tok = queue.pop(0)
        if tok.tag_.startswith("NN") and cue_stance(tok):
            out.append(tok)
        queue += [c for c in tok.children if c.dep_ not in CLAUSES]
    return out


def final_stance(cue: Cue, issue: str) -> str:
    lex = stance_lexicon()
    if cue.governed:
        stance = "demand"
    elif negated(cue.token):
        stance = lex["negated"][cue.stance]
    else:
        stance = cue.stance
    if stance == "acceptance" and any(c.dep_ == "xcomp" and lemma_in(c, "giving_verbs") for c in cue.token.children):
        stance = "offer"
    if stance == "demand" and issue in issue_settings()[1]:
        stance = "proposal"
    return stance


# ---------- rows ----------------------------------------------------------------------------------

def extract_positions(parsed, mentions: list[dict]) -> list[dict]:
    """Position rows (see schemas/positions.py) for one parsed article."""
    actors = Actors(parsed, mentions)
    rows: list[dict] = []
    for sentence in parsed.sentences:
        rows += _sentence_positions(parsed, sentence, actors)
    return rows


def _sentence_positions(parsed, sentence, actors: Actors) -> list[dict]:
    rows: dict[tuple, dict] = {}
    by_cue: dict[int, list[IssueMatch]] = {}
    for match in find_issues(parsed, sentence, actors.mentions):
        for cue in reversed(governing_cues(match.span)):
            actor = actors.actor(cue)
            if actor is not None:
                by_cue.setdefault(cue.token.i, []).append(match)
                _add(rows, parsed, sentence, cue, match, actor)
                break
            joint = actors.parties(cue)
            for party in joint:
                _add(rows, parsed, sentence, cue, match, party)
            if joint:
                break
        for cue in relative_cues(match.span):
            actor = actors.actor(cue)
            if actor is not None:
                _add(rows, parsed, sentence, cue, match, actor)
    for tok in _elliptical_cues(parsed, sentence, by_cue):
        cue = Cue(tok, cue_stance(tok))
        actor = actors.actor(cue)
        if actor is not None:
            for match in by_cue[tok.head.i]:
                _add(rows, parsed, sentence, cue, match, actor)
    return list(rows.values())


def _elliptical_cues(parsed, sentence, by_cue: dict) -> list:
    """'X pushed for a ceasefire, but Russia didn't agree': a bare conjoined cue takes its partner's issues."""
    span = parsed.doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
    return [t for t in (span if span is not None else ())
            if t.dep_ == "conj" and t.head.i in by_cue and t.i not in by_cue and cue_stance(t)
            and not any(c.dep_ in OBJECTS for c in t.children)]


def _add(rows: dict, parsed, sentence, cue: Cue, match: IssueMatch, actor: dict) -> None:
    stance = final_stance(cue, match.issue)
    key = (actor["actor_id"], match.issue, stance)
    if key in rows:
        return
    tok = cue.token
    start, end = min(tok.idx, match.start), max(tok.idx + len(tok), match.end)
    rows[key] = {
        "position_id": stable_id("position", parsed.article_id, start, end, match.issue, stance, actor["actor_id"]),
        "round_id": None,
        "actor_id": actor["actor_id"],
        "side": actor["country"],
        "stance": stance,
        "issue": match.issue,
        "article_id": parsed.article_id,
        "sentence_id": sentence.sentence_id,
        "start": start,
        "end": end,
        "cue": tok.text,
    }
