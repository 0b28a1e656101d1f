"""Round cues in a sentence: the meeting nouns and verbs (spaCy Matcher on LEMMA, from round_terms.yaml) and the
place a meeting is said to be held in (a locative phrase near a cue, "the <nationality> capital", or a city or
venue naming the meeting: "the Nairobi meeting"), looked up in the one gazetteer, `pipeline/nlp/places.py`.

A wire dateline ("RIMBO, Sweden, Dec 11 (Wire) -") is where the story was written, not where the talks were: its
span is left out of the cues (the text names the talks' place itself when it is the same).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from pipeline.nlp.actor_dictionary import load_actor_dictionary
from pipeline.nlp.anchored import AnchoredMatcher as Matcher  # spaCy's Matcher, run around its anchor words
from pipeline.ids import fold
from pipeline.nlp.alternation import alternation
from pipeline.nlp.countries import ISO3, demonym_guess
from pipeline.nlp.places import calendar_words, capital_place, named_place, venue_aliases
from pipeline.reference import load_reference

WINDOW = 60  # characters before a place in which a meeting noun or verb makes it the meeting's place
# "in Nairobi", "at Ciragan Palace", "in the village of X", "in the Saudi city of X", "at a Nairobi hotel";
# a name may hold a lower-case article particle ("Sharm el-Sheikh"), never a lower-case word ("Republic of")
LOCATIVE = re.compile(r"\b(?:in|at|near|outside|to)\s+(?:the\s+(?:[A-Z][\w'’-]*\s+)?(?:[a-z-]+\s+){1,2}of\s+|an?\s+)?"
                      r"((?:the\s+)?[A-Z][\w'’.-]*(?:\s+(?:[a-z]{1,3}-)?[A-Z][\w'’.-]*){0,3})")
# "signed in the same city": the place the article last named for a meeting
SAME_PLACE = re.compile(r"\b(?:in|at)\s+the\s+same\s+(?:city|town|place|venue|capital|hotel|resort)\b")
# "in the Kenyan capital", "in Kenya's administrative capital", "in the Egyptian resort"
CAPITAL = re.compile(r"\b(?:in|at|to)\s+(?:the\s+)?([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)?)\s+(?:[a-z]+\s+)?"
                     r"(capital|city|town|village|resort|port)\b")
NAMING = re.compile(r"((?:[A-Z][\w'’.-]*\s+){1,3})$")  # capitalised words right before a meeting noun
POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
DATELINE = re.compile(r"^\s*[A-Z][A-Z'’.\-/ ]+?(?:,[^–—\n]{0,80}?)?\s+[-–—]+\s")
RANK = {"venue": 0, "region": 1, "city": 1, "country": 2}


@dataclass(frozen=True)
class Cue:
    """A matched cue, offsets relative to its sentence (the shape of a regex match, which the readers use)."""
    start_: int
    end_: int
    text: str

    def start(self) -> int:
        return self.start_

    def end(self) -> int:
        return self.end_

    def group(self) -> str:
        return self.text


class Tree:
    """The parse of one sentence, read at sentence offsets: is a word a name, does a phrase or a date hang on a
    cue. `verbs` are the cues that make an event of their own ('agreed', 'signed'). Without a parse every answer is
    yes (the caller's window rules decide)."""

    NAME_ENTITIES = ("GPE", "LOC", "FAC")
    CLIMB = 5  # head steps from a preposition to the cue it hangs on ("signed ... at the UN in Geneva")

    def __init__(self, doc, start: int, verbs: list[Cue] = (), nouns: list[Cue] = ()):
        self.doc, self.start = doc, start
        self.verbs = self._cue_tokens(verbs) if doc is not None and verbs else set()
        self.nouns = self._cue_tokens(nouns) if doc is not None and nouns else set()

    def token(self, pos: int):
        if self.doc is None or not self.doc.has_annotation("DEP"):
            return None
        span = self.doc.char_span(self.start + pos, self.start + pos + 1, alignment_mode="expand")
        return span[0] if span is not None and len(span) else None

    def is_name(self, pos: int) -> bool:
        tok = self.token(pos)
        return tok is None or tok.pos_ == "PROPN" or tok.ent_type_ in self.NAME_ENTITIES

    def _cue_tokens(self, cues: list[Cue]) -> set[int]:
        out = set()
        for c in cues:
            span = self.doc.char_span(self.start + c.start_, self.start + c.end_, alignment_mode="expand")
            out.update(tok.i for tok in span or ())
        return out

    def hangs_on(self, pos: int, cues: list[Cue], own: Cue | None = None) -> bool:
        """Whether the phrase opened by the preposition at `pos` modifies a cue ("talks in Nairobi", "met in Nairobi",
        "signed at the UN in Geneva"), not another word ("the war in Ukraine") nor another meeting noun than `own`
        and its phrase (in "the talks followed a meeting in Nairobi", Nairobi is the meeting's)."""
        tok = self.token(pos)
        if tok is None:
            return True
        targets = self._cue_tokens(cues)
        own_tok = self.token(own.start_) if own is not None else None
        related = {t.i for t in own_tok.subtree} | {t.i for t in own_tok.ancestors} if own_tok is not None else set()
        for _ in range(self.CLIMB):
            if tok.head.i in self.nouns and tok.head.i not in targets and tok.head.i not in related:
                return False
            if tok.head.i in targets:
                return True
            if tok.head.dep_ not in ("prep", "pobj", "dobj", "appos", "conj", "compound") or tok.head.i == tok.i:
                return False
            tok = tok.head
        return False

    def participants(self, cue: Cue) -> list[tuple[int, int]]:
        """Sentence spans of who met: the subjects of a meeting verb ('X and Y met', 'X and Y signed ...'), the
        agents of a verb whose subject is the meeting ('the session was co-chaired by X and Y') and the people
        it is 'with' or 'between' ('talks with X', 'a meeting between X and Y')."""
        tok = self.token(cue.start_)
        if tok is None:
            return []
        words, verbs = [], [tok]
        if tok.dep_ in ("nsubj", "nsubjpass", "dobj"):
            verbs.append(tok.head)
            while verbs[-1].pos_ == "AUX" and verbs[-1].head.i != verbs[-1].i and len(verbs) < 4:
                verbs.append(verbs[-1].head)  # 'was co-chaired': the auxiliaries up to the verb
        for h in verbs:
            for c in h.children:
                if c.dep_ == "nsubj" and h.pos_ in ("VERB", "AUX") and h.i in self.verbs | {tok.i}:
                    words += [c, *c.conjuncts]
                elif c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ in ("with", "between")):
                    words += [w for g in c.children if g.dep_ == "pobj" for w in (g, *g.conjuncts)]
        seen, todo = set(), list(words)
        while todo:  # 'the minister, General X, and the army chief, General Y': appositions and conjuncts
            w = todo.pop()
            if w.i not in seen:
                seen.add(w.i)
                todo += [c for c in w.children if c.dep_ in ("appos", "conj")]
        words = [self.doc[i] for i in sorted(seen)]
        return [(w.idx - self.start, w.idx - self.start + len(w)) for w in words]

    @staticmethod
    def _verb_of(tok):
        return next((t for t in [tok, *tok.ancestors] if t.pos_ in ("VERB", "AUX")), tok.sent.root)

    def dates_cue(self, date_pos: int, cue: Cue | None) -> int:
        """How closely a date says when the cue's meeting was: 2 when it modifies the cue's own verb ("signed
        ... on Friday", "talks ended on Saturday") or hangs under the cue ("talks that opened last Thursday"); 1
        when it modifies a verb above the cue, one of `verbs` ("agreed on Tuesday after ten hours of talks")
        or one with no 'after'/'before' between ("sat down on Saturday, opening negotiations"); 0 for another
        event ("it followed a phone call last week", "holding on Tuesday after they agreed")."""
        tok = self.token(date_pos)
        cue_tok = self.token(cue.start_) if cue is not None else None
        if tok is None or cue_tok is None:
            return 2
        verb = self._verb_of(tok)
        if verb == self._verb_of(cue_tok) or cue_tok in tok.ancestors:
            return 2
        return int(verb in cue_tok.ancestors and (verb.i in self.verbs or not self._sequenced(cue_tok, verb)))

    SEQUENCE = frozenset({"after", "before", "since", "until", "following", "ahead"})

    def _sequenced(self, tok, top) -> bool:
        """Whether the way up from `tok` to `top` passes an 'after'/'before' ('holding on Tuesday after they
        agreed'): the date is then another moment's. 'It changed on Friday, when they agreed ...' is not."""
        while tok.i != top.i and tok.head.i != tok.i:
            if tok.dep_ == "pobj" and tok.head.lower_ in self.SEQUENCE:
                return True
            if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in self.SEQUENCE for c in tok.children):
                return True
            tok = tok.head
        return False


def _token_patterns(terms, constraint: dict, first: bool) -> list[list[dict]]:
    """One pattern per term: its lemmas, the `constraint` on its first (verbs) or last (nouns) token."""
    patterns = []
    for term in terms:
        pattern = [{"LEMMA": w} for w in (term if isinstance(term, list) else [term])]
        pattern[0 if first else -1].update(constraint)
        patterns.append(pattern)
    return patterns


@functools.lru_cache(maxsize=4)
def _matcher(vocab) -> Matcher:
    t = load_reference("round_terms")
    matcher = Matcher(vocab)
    noun = {"POS": {"IN": ["NOUN", "PROPN"]}, "DEP": {"NOT_IN": ["compound"]}}
    verb = {"POS": {"IN": ["VERB", "AUX"]}}
    matcher.add("keyword", _token_patterns(t["keyword_lemmas"], noun, first=False), greedy="LONGEST")
    matcher.add("verb", _token_patterns(t["meeting_verb_lemmas"], verb, first=True), greedy="LONGEST")
    matcher.add("alone", _token_patterns(t["meeting_verbs_alone"], verb, first=True), greedy="LONGEST")
    return matcher


def article_cues(parsed) -> dict[str, dict[str, list[Cue]]]:
    """sentence_id -> the sentence's cues by kind (keyword, verb, alone), in text order, outside its dateline.

    The matcher runs once over the article's doc; each match goes to the sentence holding it."""
    out: dict[str, dict[str, list[Cue]]] = {}
    doc = parsed.doc
    if doc is None or not parsed.sentences:
        return out
    for match_id, a, b in _matcher(doc.vocab)(doc):
        s = parsed.sentence_at(doc[a].idx)
        if s is None:
            continue
        start, end = doc[a].idx - s.start, doc[b - 1].idx + len(doc[b - 1]) - s.start
        if start >= dateline_end(s.text) and end <= len(s.text):
            kinds = out.setdefault(s.sentence_id, {"keyword": [], "verb": [], "alone": []})
            kinds[doc.vocab.strings[match_id]].append(Cue(start, end, s.text[start:end].lower()))
    for kinds in out.values():
        for cues in kinds.values():
            cues.sort(key=lambda c: c.start_)
    return out


def dateline_end(text: str) -> int:
    """Where a sentence's wire dateline ends (0 when it has none)."""
    m = DATELINE.match(text)
    return m.end() if m else 0


def _lookup(name: str, kinds=RANK) -> dict | None:
    """The place the capitalised words name, whole: "Nairobi Castle" would be no town of Nairobi. A month or
    weekday ends the name ("in Nairobi Tuesday")."""
    words = []
    for w in POSSESSIVE.sub("", name.strip(" .,;:")).split():
        if fold(w) in calendar_words():
            break
        words.append(w)
    found = named_place(POSSESSIVE.sub("", " ".join(words))) if words else None
    return found if found and found["kind"] in kinds else None


def _capital(name: str, noun: str) -> dict | None:
    """'the Kenyan capital', "Kenya's administrative capital": the capital of the country a word names; 'the
    Egyptian resort': somewhere in that country."""
    words = POSSESSIVE.sub("", name).strip()
    code = load_actor_dictionary().country_of(words) or demonym_guess(words)
    code = code if code and ISO3.fullmatch(code) else None
    if noun == "capital":
        return capital_place(code)
    return {"kind": "country", "country": code} if code else None


def meeting_place(text: str, low: str, cues: list[Cue], keyword: Cue | None, tree: Tree | None = None,
                  parties=lambda start, end: frozenset()) -> dict:
    """The most specific place the sentence names as where a meeting is: venue > region/city > country.

    A place after a preposition counts when the phrase hangs on a cue (`tree`), or, unparsed, follows one closely;
    a city's name that is also a common word ('Peace talks') counts only where the model tags a name. A place
    naming the meeting ("the Nairobi meeting", "Norway talks") counts unless its country is a party named
    elsewhere in the sentence (`parties(start, end)` gives those outside the name: "Cyprus talks" are about
    Cyprus)."""
    tree = tree or Tree(None, 0)
    skip = dateline_end(text)
    found: list[tuple[int, int, dict]] = []
    aliases = venue_aliases()
    for m in _alias_re().finditer(low, skip):
        entry = aliases[m.group()]
        found.append((RANK[entry["kind"]], m.start(), named_place(entry["name"])))
    near = [c.start_ for c in cues]

    def after_cue(pos: int) -> bool:
        if tree.token(pos) is not None:
            return tree.hangs_on(pos, cues, keyword)
        return any(pos - WINDOW <= c < pos for c in near)
    for m in CAPITAL.finditer(text, skip):
        if after_cue(m.start()) and (place := _capital(m.group(1), m.group(2))):
            # 'the Saudi city of Jeddah': a country read from a demonym yields to the city named after it
            found.append((RANK[place["kind"]], m.start(1), place))
    for m in LOCATIVE.finditer(text, skip):
        if after_cue(m.start()) and (place := _lookup(m.group(1))) and (place["kind"] != "city" or tree.is_name(m.start(1))):
            found.append((RANK[place["kind"]], m.start(1), place))
    if keyword is not None and keyword.start_ > skip:
        before = NAMING.search(text[max(skip, keyword.start_ - 40):keyword.start_])
        words = before.group(1).split() if before else []
        for n in range(len(words), 0, -1):
            place = named_place(POSSESSIVE.sub("", " ".join(words[-n:])))
            at = keyword.start_ - len(" ".join(words[-n:])) - 1
            if place and place["country"] not in parties(at, keyword.start_) and tree.is_name(at):
                found.append((RANK[place["kind"]], keyword.start_, place))
                break
    if not found:
        return {}
    best = min(found, key=lambda f: (f[0], f[1]))[2]
    return {k: v for k, v in best.items() if k != "kind" and v}


@functools.lru_cache(maxsize=None)
def _alias_re() -> re.Pattern:
    return re.compile(rf"(?<![\w-])(?:{alternation(venue_aliases())})(?![\w-])")


def named_country(name: str) -> str | None:
    """ISO3 of the country the words (or their longest prefix) name: 'Turkey', "Malaysia's", 'the UAE'."""
    place = _lookup(name, kinds=("country",))
    return place["country"] if place else None


def names_same_place(text: str, cues: list[Cue], tree: Tree, own: Cue | None = None) -> bool:
    """Whether a cue's meeting is 'in the same city' (as the one the article named before)."""
    return any(tree.hangs_on(m.start(), cues, own) for m in SAME_PLACE.finditer(text, dateline_end(text)))
