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
from pipeline.nlp.token_lists import TokenLists
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
# the nouns CAPITAL ends on, looked for first: re jumps to them, and without one CAPITAL cannot match
CAPITAL_NOUN = re.compile(r"(?:capital|city|town|village|resort|port)\b")
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
    yes (the caller's window rules decide). Tokens are indices into the article's TokenLists (no Token objects)."""

    NAME_ENTITIES = ("GPE", "LOC", "FAC")
    CLIMB = 5  # head steps from a preposition to the cue it hangs on ("signed ... at the UN in Geneva")
    CLIMB_DEPS = frozenset({"prep", "pobj", "dobj", "appos", "conj", "compound"})

    def __init__(self, tokens: TokenLists | None, start: int, verbs: list[Cue] = (), nouns: list[Cue] = ()):
        self.t = tokens if tokens is not None and tokens.parsed else None
        self.start = start
        self.verbs = self._cue_tokens(verbs) if self.t is not None and verbs else set()
        self.nouns = self._cue_tokens(nouns) if self.t is not None and nouns else set()

    def token(self, pos: int) -> int | None:
        """The token at sentence offset `pos` (None on a space, or without a parse)."""
        return self.t.at(self.start + pos) if self.t is not None else None

    def is_name(self, pos: int) -> bool:
        i = self.token(pos)
        return i is None or self.t.pos[i] == "PROPN" or self.t.ent_type(i) in self.NAME_ENTITIES

    def _cue_tokens(self, cues: list[Cue]) -> set[int]:
        out = set()
        for c in cues:
            out.update(self.t.covering(self.start + c.start_, self.start + c.end_))
        return out

    def hangs_on(self, pos: int, cues: list[Cue], own: Cue | None = None) -> bool:
        """Whether the phrase opened by the preposition at `pos` modifies a cue ("talks in Nairobi", "met in Nairobi",
        "signed at the UN in Geneva"), not another word ("the war in Ukraine") nor another meeting noun than `own`
        and its phrase (in "the talks followed a meeting in Nairobi", Nairobi is the meeting's)."""
        tok = self.token(pos)
        if tok is None:
            return True
        head, dep = self.t.head, self.t.dep
        targets = self._cue_tokens(cues)
        own_tok = self.token(own.start_) if own is not None else None
        for _ in range(self.CLIMB):
            up = head[tok]
            if up in self.nouns and up not in targets and (own_tok is None or up not in self.t.related(own_tok)):
                return False
            if up in targets:
                return True
            if dep[up] not in self.CLIMB_DEPS or up == tok:
                return False
            tok = up
        return False

    def participants(self, cue: Cue) -> list[tuple[int, int]]:
        """Sentence spans of who met: the subjects of a meeting verb ('X and Y met', 'X and Y signed ...'), the
        agents of a verb whose subject is the meeting ('the session was co-chaired by X and Y') and the people
        it is 'with' or 'between' ('talks with X', 'a meeting between X and Y')."""
        tok = self.token(cue.start_)
        if tok is None:
            return []
        t = self.t
        words, verbs = [], [tok]
        if t.dep[tok] in ("nsubj", "nsubjpass", "dobj"):
            verbs.append(t.head[tok])
            while t.pos[verbs[-1]] == "AUX" and t.head[verbs[-1]] != verbs[-1] and len(verbs) < 4:
                verbs.append(t.head[verbs[-1]])  # 'was co-chaired': the auxiliaries up to the verb
        for h in verbs:
            for c in t.children(h):
                if t.dep[c] == "nsubj" and t.pos[h] in ("VERB", "AUX") and (h in self.verbs or h == tok):
                    words += [c, *t.conjuncts(c)]
                elif t.dep[c] == "agent" or (t.dep[c] == "prep" and t.lower(c) in ("with", "between")):
                    words += [w for g in t.children(c) if t.dep[g] == "pobj" for w in (g, *t.conjuncts(g))]
        seen, todo = set(), list(words)
        while todo:  # 'the minister, General X, and the army chief, General Y': appositions and conjuncts
            w = todo.pop()
            if w not in seen:
                seen.add(w)
                todo += [c for c in t.children(w) if t.dep[c] in ("appos", "conj")]
        return [(t.idx[w] - self.start, t.end[w] - self.start) for w in sorted(seen)]

    def _verb_of(self, tok: int) -> int:
        """The token's own verb: itself or its nearest verb ancestor, else its sentence's root."""
        for i in (tok, *self.t.ancestors(tok)):
            if self.t.pos[i] in ("VERB", "AUX"):
                return i
        return self.t.sentence_root(tok)

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
        if verb == self._verb_of(cue_tok) or cue_tok in self.t.ancestors(tok):
            return 2
        return int(verb in self.t.ancestors(cue_tok) and (verb in self.verbs or not self._sequenced(cue_tok, verb)))

    SEQUENCE = frozenset({"after", "before", "since", "until", "following", "ahead"})

    def _sequenced(self, tok: int, top: int) -> bool:
        """Whether the way up from `tok` to `top` passes an 'after'/'before' ('holding on Tuesday after they
        agreed'): the date is then another moment's. 'It changed on Friday, when they agreed ...' is not."""
        t = self.t
        while tok != top and t.head[tok] != tok:
            if t.dep[tok] == "pobj" and t.lower(t.head[tok]) in self.SEQUENCE:
                return True
            if t.dep[tok] == "advcl" and any(t.dep[c] == "mark" and t.lower(c) in self.SEQUENCE
                                             for c in t.children(tok)):
                return True
            tok = t.head[tok]
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


def article_cues(parsed, tokens: TokenLists | None = None) -> dict[str, dict[str, list[Cue]]]:
    """sentence_id -> the sentence's cues by kind (keyword, verb, alone), in text order, outside its dateline.

    The matcher runs once over the article's doc; each match goes to the sentence holding it. `tokens`: the doc's
    TokenLists, when the caller has them."""
    out: dict[str, dict[str, list[Cue]]] = {}
    doc = parsed.doc
    if doc is None or not parsed.sentences:
        return out
    tokens = tokens or TokenLists(doc)
    kind_of, datelines = {}, {}
    for match_id, a, b in _matcher(doc.vocab)(doc):
        s = parsed.sentence_at(tokens.idx[a])
        if s is None:
            continue
        start, end = tokens.idx[a] - s.start, tokens.end[b - 1] - s.start
        if s.sentence_id not in datelines:
            datelines[s.sentence_id] = dateline_end(s.text)
        if start >= datelines[s.sentence_id] and end <= len(s.text):
            kinds = out.setdefault(s.sentence_id, {"keyword": [], "verb": [], "alone": []})
            kind = kind_of[match_id] if match_id in kind_of else kind_of.setdefault(match_id, doc.vocab.strings[match_id])
            kinds[kind].append(Cue(start, end, s.text[start:end].lower()))
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
    for m in CAPITAL.finditer(text, skip) if CAPITAL_NOUN.search(text, skip) else ():
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
    return "same" in text and any(tree.hangs_on(m.start(), cues, own) for m in SAME_PLACE.finditer(text, dateline_end(text)))
