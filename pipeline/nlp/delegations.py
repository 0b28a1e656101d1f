"""Heads of delegation read from clause shapes: spaCy DependencyMatcher patterns built from roles.yaml.

'The government delegation is led by X', 'the Ukrainian team, headed by X', 'X, who led the Russian
delegation', 'X will head the team', 'Leading the Russian delegation is X'. The verbs and the nouns for a
delegation are roles.yaml's `delegation_heads`, matched on LEMMA. The affiliation is the delegation's:
a state, party or organisation that modifies the noun ('the Taliban team', "Russia's delegation", 'the
delegation of Ukraine'), a government or rebel delegation's state or party in the article, or the subject
that sent it ('Russia sent a delegation headed by X').
"""
from __future__ import annotations

import bisect
import functools
from collections import Counter

from pipeline.nlp import countries
from pipeline.nlp.anchored_trees import AnchoredDependencyMatcher as DependencyMatcher  # spaCy's, anchored
from pipeline.nlp.document import ParsedArticle
from pipeline.reference import load_reference

ROLE = "head of delegation"
#: Dependencies under the delegation noun that may name whose it is.
OWNER_DEPS = ("amod", "compound", "poss", "nmod", "prep", "pobj")


@functools.lru_cache(maxsize=None)
def settings() -> dict:
    data = load_reference("roles")["delegation_heads"]
    return {k: [str(w).lower() for w in v] for k, v in data.items() if isinstance(v, list)}


def _patterns() -> dict[str, list[list[dict]]]:
    s = settings()
    verb = {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": {"IN": s["verbs"]}, "POS": {"IN": ["VERB", "AUX"]}}}
    noun = {"LEMMA": {"IN": s["nouns"]}}
    by = [{"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "by", "RIGHT_ATTRS": {"DEP": "agent"}},
          {"LEFT_ID": "by", "REL_OP": ">", "RIGHT_ID": "person", "RIGHT_ATTRS": {"DEP": "pobj"}}]
    return {
        # 'the delegation is led by X'
        "passive": [verb, {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "noun",
                           "RIGHT_ATTRS": {**noun, "DEP": "nsubjpass"}}, *by],
        # 'the delegation, headed by X'; 'sent a delegation led by X'
        "participle": [{"RIGHT_ID": "noun", "RIGHT_ATTRS": noun},
                       {"LEFT_ID": "noun", "REL_OP": ">", "RIGHT_ID": "verb",
                        "RIGHT_ATTRS": {**verb["RIGHT_ATTRS"], "DEP": "acl"}}, *by],
        # 'X led the delegation'; 'Leading the delegation is X'
        "active": [verb, {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "noun", "RIGHT_ATTRS": {**noun, "DEP": "dobj"}},
                   {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "person",
                    "RIGHT_ATTRS": {"DEP": {"IN": ["nsubj", "dobj", "attr"]}}}],
        # 'Leading the delegation is X' (the parser may hang 'is X' under the verb)
        "fronted": [verb, {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "noun", "RIGHT_ATTRS": {**noun, "DEP": "dobj"}},
                    {"LEFT_ID": "verb", "REL_OP": ">>", "RIGHT_ID": "person", "RIGHT_ATTRS": {"DEP": "attr"}}],
        # 'X, who led the delegation'
        "relative": [{"RIGHT_ID": "person", "RIGHT_ATTRS": {"POS": "PROPN"}},
                     {"LEFT_ID": "person", "REL_OP": ">", "RIGHT_ID": "verb",
                      "RIGHT_ATTRS": {**verb["RIGHT_ATTRS"], "DEP": "relcl"}},
                     {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "noun", "RIGHT_ATTRS": {**noun, "DEP": "dobj"}}],
    }


@functools.lru_cache(maxsize=4)
def party_matcher(vocab) -> DependencyMatcher:
    """'<party> was represented by <person>': the party, the person."""
    m = DependencyMatcher(vocab)
    verb = {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": {"IN": settings().get("party_verbs", [])}}}
    m.add("represented", [[verb,
                           {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "party", "RIGHT_ATTRS": {"DEP": "nsubjpass"}},
                           {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "by", "RIGHT_ATTRS": {"DEP": "agent"}},
                           {"LEFT_ID": "by", "REL_OP": ">", "RIGHT_ID": "person", "RIGHT_ATTRS": {"DEP": "pobj"}}]])
    return m


def represented_parties(parsed: ParsedArticle, mentions: list[dict]) -> dict[tuple[str, str], str]:
    """(sentence id, person actor id) -> the state or group that person represents there, from the clause."""
    doc = parsed.doc
    if not doc.has_annotation("DEP"):
        return {}
    index = _Mentions([m for m in mentions if m.get("start") is not None])
    out = {}
    for _, tokens in party_matcher(doc.vocab)(doc):
        verb, party_token, _, person_token = (doc[i] for i in tokens)
        party, person = index.at(party_token), _person(person_token, index)
        if party is not None and person is not None and party["actor_type"] in ("state", "group") and party["country"]:
            out[(person["sentence_id"], person["actor_id"])] = party["country"]
    return out


@functools.lru_cache(maxsize=4)
def matcher(vocab) -> DependencyMatcher:
    m = DependencyMatcher(vocab)
    for name, pattern in _patterns().items():
        m.add(name, [pattern])
    return m


class _Mentions:
    """The article's mentions by character, with the state and the party it speaks of most."""

    def __init__(self, mentions: list[dict]):
        self.rows = sorted(mentions, key=lambda m: m["start"])
        self.starts = [m["start"] for m in self.rows]

    @functools.cached_property
    def main(self) -> dict[str, str | None]:
        """Worked out when a clause asks (most articles have none): a look-up per mention."""
        return {"government": main_state(self.rows), "rebel": main_party(self.rows)}

    def at(self, token) -> dict | None:
        i = bisect.bisect_right(self.starts, token.idx) - 1
        return self.rows[i] if i >= 0 and token.idx < self.rows[i]["end"] else None


def main_state(mentions: list[dict]) -> str | None:
    """The state the article speaks of most (by name, demonym or its officials; a capital is mostly a place)."""
    return _leading(Counter(m["country"] for m in mentions if m["actor_type"] in ("state", "group")
                            and countries.is_state_code(m["country"]) and countries.capital_code(m["surface"]) is None))


def main_party(mentions: list[dict]) -> str | None:
    """The non-state party the article speaks of most (a group whose code is no state's)."""
    return _leading(Counter(m["country"] for m in mentions if m["actor_type"] == "group" and m["country"]
                            and countries.short_name(m["country"]) is None))


def _leading(counts: Counter) -> str | None:
    """The most frequent value, if it leads the others."""
    top = counts.most_common(2)
    return top[0][0] if top and (len(top) == 1 or top[0][1] > top[1][1]) else None


def _person(token, mentions: _Mentions) -> dict | None:
    """The person the token names, or an apposition under it names ('their spokesman, X')."""
    appositions = (t for t in token.subtree if t.dep_ == "appos")  # 'X's negotiator in Gaza, Y,' (parsed onto Gaza)
    for t in (token, *(c for c in token.children if c.dep_ == "compound"), *appositions):
        m = mentions.at(t)
        if m is not None and m["actor_type"] == "person":
            return m
    return None


def _affiliation(noun, verb, mentions: _Mentions) -> str | None:
    s = settings()
    for t in noun.subtree:
        if t.i == noun.i or not (t.dep_ in OWNER_DEPS or t.head.dep_ in OWNER_DEPS):
            continue
        m = mentions.at(t)
        if m is not None and m["actor_type"] in ("state", "group", "organization"):
            return m["country"] if m["actor_type"] != "organization" or not m["country"] else m["country"]
        if t.lemma_.lower() in s["government_words"]:
            return mentions.main["government"]
        if t.lemma_.lower() in s["rebel_words"]:
            return mentions.main["rebel"]
    sender = next((c for c in noun.head.children if c.dep_ == "nsubj"), None) if noun.head is not verb else None
    m = mentions.at(sender) if sender is not None else None
    return m["country"] if m is not None and m["actor_type"] in ("state", "group") else None


def delegation_heads(parsed: ParsedArticle, mentions: list[dict]) -> list[dict]:
    """One role row per clause that says who heads a delegation."""
    doc = parsed.doc
    if not doc.has_annotation("DEP"):
        return []
    index = _Mentions([m for m in mentions if m.get("start") is not None])
    rows = []
    for match_id, tokens in matcher(doc.vocab)(doc):
        names = _patterns()[doc.vocab.strings[match_id]]
        found = {node["RIGHT_ID"]: doc[i] for node, i in zip(names, tokens)}
        person = _person(found["person"], index)
        if person is None:
            continue
        noun, verb = found["noun"], found["verb"]
        start = min(person["start"], verb.idx, noun.idx)
        end = max(person["end"], verb.idx + len(verb), noun.idx + len(noun))
        first, last = sorted((verb, noun), key=lambda t: t.i)
        rows.append({"actor_id": person["actor_id"], "role": ROLE, "affiliation": _affiliation(noun, verb, index),
                     "article_id": parsed.article_id, "sentence_id": person["sentence_id"], "start": start,
                     "end": end, "role_text": parsed.text[first.idx:last.idx + len(last)]})
    return rows
