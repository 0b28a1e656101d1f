"""What a number counts: the measure of a people count, and whether a length of time is a duration, a truce
length, a deadline, or no claim at all (a point in time).

Cue words are data (claims.yaml) turned into spaCy Matcher patterns on LEMMA (and LOWER, for plurals the
lemmatizer leaves alone, such as "remains"); the functions below read the parse around a number to find the
cue that governs it. The patterns are plain word sequences, so their matches are found by lookup
(word_sequences.py; the Matcher is asked when the order of its matches could matter, see `cue_matches`). Every
rule is tested on made-up sentences in tests/test_claims.py.
"""
from __future__ import annotations

import functools

from pipeline.nlp.anchored import AnchoredMatcher as Matcher  # spaCy's Matcher, run around its anchor words
from pipeline.nlp.model import load_nlp
from pipeline.nlp.word_sequences import WordSequences
from pipeline.reference import load_reference

#: Cue families whose hits are looked up per token; each YAML mapping is measure -> words.
FAMILIES = ("measure_nouns", "weak_measure_nouns", "measure_verbs")
#: Cue families that are plain word lists.
LISTS = ("person_nouns", "generic_count_nouns", "displacement_verbs", "home_nouns", "deadline_preps",
         "deadline_nouns", "deadline_verbs", "point_preps", "truce_phases", "length_verbs", "truce_nouns", "truce_frames")
NOUNISH = ("NOUN", "PROPN", "ADJ", "VERB", "NUM")
NOUN_FAMILIES = ("measure_nouns", "weak_measure_nouns", "person_nouns", "generic_count_nouns", "home_nouns",
                 "deadline_nouns", "truce_phases", "truce_nouns", "truce_frames")
NOUN_TAGS = ("NOUN", "PROPN", "ADJ", "NUM")


@functools.lru_cache(maxsize=None)
def _keyed_patterns() -> tuple[tuple[str, list], ...]:
    """(key, patterns) of every cue: 'family|measure' for the measure families, 'family|' for the word lists."""
    lex = load_reference("claims")
    keyed = [(f"{family}|{measure}", [p for w in words for p in _patterns(w, family)])
             for family in FAMILIES for measure, words in lex[family].items()]
    keyed += [(f"{family}|", [p for w in lex[family] for p in _patterns(w, family)]) for family in LISTS]
    return tuple(keyed)


@functools.lru_cache(maxsize=None)
def _matcher() -> Matcher:
    matcher = Matcher(load_nlp().vocab)
    for key, patterns in _keyed_patterns():
        matcher.add(key, patterns)
    return matcher


@functools.lru_cache(maxsize=None)
def _sequences() -> WordSequences | None:
    return WordSequences.of(_keyed_patterns(), load_nlp().vocab)


def cue_matches(doc) -> list | set:
    """The cue matches of the doc: the set of them, found by lookup, when the order the Matcher gives them cannot
    matter to Cues (no two measures of one family end on one token, where the later would win); else the Matcher's
    list."""
    table = _sequences()
    if table is not None:
        found, strings, measures = table(doc), doc.vocab.strings, {}
        for match_id, _, end in found:
            family, _, measure = strings[match_id].partition("|")
            if measures.setdefault((end - 1, family), measure) != measure:
                break
        else:
            return found
    return _matcher()(doc)


def _patterns(word: str, family: str) -> list[list[dict]]:
    """LEMMA and LOWER patterns for a cue; a noun cue must be tagged as a noun or adjective ('halt the fighting'
    is no halt, 'our position remains' no remains)."""
    parts = str(word).lower().split()
    last = {"POS": {"IN": list(NOUN_TAGS)}} if family in NOUN_FAMILIES else {}
    return [[*({attr: p} for p in parts[:-1]), {attr: parts[-1], **last}] for attr in ("LEMMA", "LOWER")]


class Cues:
    """The cue tokens of one doc: token index -> {family: measure or ''}; a multi-word cue marks its last token."""

    def __init__(self, doc):
        self.doc = doc
        self.at: dict[int, dict[str, str]] = {}
        vocab = doc.vocab.strings
        for match_id, start, end in cue_matches(doc):
            family, _, measure = vocab[match_id].partition("|")
            self.at.setdefault(end - 1, {})[family] = measure

    def get(self, token, family: str) -> str | None:
        return self.at.get(token.i, {}).get(family)

    def has(self, token, family: str) -> bool:
        return self.get(token, family) is not None


def doc_cues(parsed) -> Cues:
    """The cues of a parsed article, found once and kept on it."""
    memo = parsed.__dict__
    if "_measure_cues" not in memo:
        memo["_measure_cues"] = Cues(parsed.doc)
    return memo["_measure_cues"]


# ---------- people counts ----------------------------------------------------------------------------

def count_measure(cues: Cues, noun, number, written_in_digits: bool = True) -> str | None:
    """The measure of a count: its noun, the noun it is 'of', the verb it goes with, a combatant noun, then the
    one measure its sentence names. None when nothing says (the caller decides between 'other' and no claim)."""
    if noun is not None:
        of_head = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ == "of" else None
        for token in (of_head, noun):
            if token is not None and token.pos_ in NOUNISH and cues.has(token, "measure_nouns"):
                return cues.get(token, "measure_nouns")
    if noun is None:
        partitive = _partitive(cues, number)
        if partitive:
            return partitive
    if noun is None or _is_people(cues, noun):
        verb = _verb_measure(cues, noun if noun is not None else number)
        if verb:
            return verb
    if noun is not None:
        for token in (noun, *(c for c in noun.children if c.dep_ == "compound")):
            if cues.has(token, "weak_measure_nouns"):
                return cues.get(token, "weak_measure_nouns")
    # a bare word number ("No one seeks...") is too often a pronoun to take its sentence's measure
    if noun is None and written_in_digits or noun is not None and cues.has(noun, "generic_count_nouns"):
        return _sentence_measure(cues, number)
    return None


def _partitive(cues: Cues, number) -> str | None:
    """'48 hostages, 20 of whom are alive': a part 'of whom' counts what the relative clause's noun counts."""
    if not any(p.lower_ == "of" and any(o.lower_ == "whom" for o in p.children) for p in number.children):
        return None
    t = number
    while t.dep_ != "relcl" and t.head.i != t.i:
        t = t.head
    antecedent = t.head if t.dep_ == "relcl" else None
    for family in ("measure_nouns", "weak_measure_nouns"):
        if antecedent is not None and cues.has(antecedent, family):
            return cues.get(antecedent, family)
    return None


def _is_people(cues: Cues, noun) -> bool:
    return (cues.has(noun, "person_nouns") or cues.has(noun, "weak_measure_nouns")
            or cues.has(noun, "generic_count_nouns") or noun.ent_type_ in ("NORP", "ORG"))


def _verb_measure(cues: Cues, word) -> str | None:
    """'300 civilians were killed', 'freed 1,000 members', '7,687 people they were prepared to release',
    'left 36 people dead', 'put the number of troops at 20,000', 'driven five million from their homes'."""
    candidates = [c for c in word.children if c.dep_ in ("relcl", "acl", "amod")]
    candidates += [x for c in candidates for x in c.children if x.dep_ == "xcomp"]
    head = word.head
    for _ in range(3):  # 'from about 12,000 to 9,500': up through the prepositions to the verb
        if not (head.dep_ == "prep" or head.pos_ == "ADP") or head.head.i == head.i:
            break
        head = head.head
    if head.pos_ in ("VERB", "AUX"):
        objects = [c for c in head.children if c.dep_ in ("dobj", "nsubj", "nsubjpass")]
        candidates = [head, *(c for c in head.children if c.dep_ in ("oprd", "acomp", "ccomp", "xcomp")),
                      *candidates, *objects,
                      *(x for o in objects for x in o.children if x.dep_ == "compound"),
                      *(x for o in objects for p in o.children if p.lower_ == "of" for x in p.children)]
        if cues.has(head, "displacement_verbs") and any(
                p.lower_ == "from" and any(cues.has(x, "home_nouns") for x in p.children) for p in head.children):
            return "displaced"
    for token in candidates:
        for family in ("measure_verbs", "measure_nouns", "weak_measure_nouns"):
            if token.i != word.i and cues.has(token, family):
                return cues.get(token, family)
    return None


def _sentence_measure(cues: Cues, number) -> str | None:
    """The single strong measure the number's sentence names, if exactly one."""
    found = {cues.get(t, "measure_nouns") for t in number.sent if t.pos_ == "NOUN" and cues.has(t, "measure_nouns")}
    found |= {cues.get(t, "measure_verbs") for t in number.sent if t.pos_ == "VERB" and cues.has(t, "measure_verbs")}
    return found.pop() if len(found) == 1 else None


# ---------- lengths of time --------------------------------------------------------------------------

def time_measure(cues: Cues, unit, value: float) -> str | None:
    """deadline, truce_length or duration for the unit token of a length of time; None for a point in time."""
    number = next((c for c in unit.children if c.dep_ == "nummod"), None)
    if value == 1 and (unit.dep_ == "npadvmod" and unit.head.pos_ in ("VERB", "AUX") and unit.i < unit.head.i
                       or number is not None and number.i > 0 and unit.doc[number.i - 1].tag_ == "MD"):
        return None  # 'Kyiv would one day join': 'one day' before its verb is 'some day'
    chain = _ancestors(unit, 4)
    if any(cues.has(t, "deadline_preps") for t in chain) or any(cues.has(t, "deadline_nouns") for t in chain):
        return "deadline"
    if unit.dep_ == "dobj" and cues.has(unit.head, "deadline_verbs") and (
            any(c.dep_ in ("acl", "relcl") and _infinitive(c) for c in unit.children)
            or any(c.dep_ in ("xcomp", "advcl") and _infinitive(c) for c in unit.head.children)):
        return "deadline"
    if unit.head.dep_ == "prep" or unit.head.pos_ == "ADP":
        if cues.has(unit.head, "point_preps") and not any(c.lower_ == "of" for c in unit.children):
            return None
    if _truce(cues, chain) or any(cues.has(t, "truce_phases") for t in chain) and (any(
            cues.has(t, "truce_nouns") for t in unit.sent) or _phased_truce(cues, unit.doc)):
        return "truce_length"
    return "duration"


def _phased_truce(cues: Cues, doc) -> bool:
    """The article speaks of a truce in phases ('the first phase of a ceasefire deal', 'the truce's second
    stage'): a 'phase' of so many days elsewhere in it ('the 42-day first phase would see ...') is that truce's."""
    for t in doc:
        if cues.has(t, "truce_phases"):
            objects = [g for c in t.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
            near = [t.head, *(c for c in t.children if c.dep_ in ("compound", "poss")), *objects,
                    *(m for g in objects for m in g.children if m.dep_ in ("compound", "nmod", "amod"))]
            if any(cues.has(x, "truce_nouns") for x in near):
                return True
    return False


def _ancestors(token, steps: int) -> list:
    """The token and its heads up to the first verb (through 'meant to last'): a length belongs to its own
    clause ('a ceasefire to end 40 years of war' is no truce of 40 years)."""
    chain = [token]
    while steps and token.head.i != token.i and (token.pos_ not in ("VERB", "AUX") or token.dep_ == "xcomp"):
        token, steps = token.head, steps - 1
        chain.append(token)
    return chain


def _infinitive(verb) -> bool:
    return verb.pos_ in ("VERB", "AUX") and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _truce(cues: Cues, chain: list) -> bool:
    """A duration inside a phrase about a pause in fighting ('a 30-day truce', 'a seven-day ceasefire agreement'),
    or the length of one ('the first phase of the ceasefire is meant to last 42 days')."""
    lasting = any(cues.has(t, "length_verbs") for t in chain)
    for t in chain:
        if cues.has(t, "truce_nouns"):
            return True
        if cues.has(t, "truce_frames") and any(c.dep_ == "compound" and cues.has(c, "truce_nouns") for c in t.children):
            return True
        if t.pos_ in ("VERB", "AUX") and lasting:
            for subject in (c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")):
                whole = [subject] + [o for p in subject.children if p.dep_ == "prep" and p.lower_ == "of"
                                     for o in p.children if o.dep_ == "pobj"]
                if any(cues.has(w, "truce_nouns") for w in whole):
                    return True
    return False
