"""The anchored matchers (pipeline/nlp/anchored.py) return exactly what spaCy's plain Matcher and DependencyMatcher
return on the whole doc, in the same order: property tests over every rule family's real matcher on made-up
texts drawn from the rules' own words (parsed by the model, and built token by token with random lemmas, tags and
trees), the matches inside given token ranges (AnchoredMatcher.within) likewise, and unit tests for windows,
edges, overlapping anchors, the greedy filter and the fallbacks."""
from __future__ import annotations

import functools
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc

from pipeline.nlp import anchored
from pipeline.nlp.anchored import AnchoredMatcher, counts, merge
from pipeline.nlp.anchored_trees import AnchoredDependencyMatcher, tree_roots
from pipeline.nlp.model import load_nlp

FILLER = ["the", "of", "a", "and", "to", "in", "on", ",", ".", "-", "'s", "talks", "said", "was", "is", "be",
          "16", "2024", "mid-2024", "3rd", "12/05/2024", "over", "not", "Ukraine", "Russia", "X", "met"]
POS = ["NOUN", "VERB", "AUX", "PROPN", "ADJ", "ADP", "DET", "NUM", "ADV", "PART", "CCONJ", "PUNCT"]
TAGS = ["NN", "NNS", "VB", "VBD", "VBG", "VBN", "MD", "IN", "DT", "CD", "JJ"]
DEPS = ["nsubj", "nsubjpass", "dobj", "pobj", "prep", "agent", "acl", "relcl", "compound", "conj", "attr", "neg",
        "amod", "det", "aux", "xcomp", "appos", "punct"]


@functools.lru_cache(maxsize=None)
def families() -> dict:
    """Every rule family's matcher, built by its own module from the reference YAML."""
    from pipeline.nlp import claim_measures, date_patterns, delegations, issues, outcome_cues, round_cues, stance_cues
    from pipeline.nlp.roles import load_vocabulary
    from pipeline.nlp.titles import title_matcher
    vocab, v = load_nlp().vocab, load_vocabulary()
    words, deps, _ = stance_cues._matchers()
    *_, tokens, relations = issues._matchers()
    return {"titles": title_matcher(vocab, tuple(sorted(v.titles.items())), tuple(sorted(v.spelling.items())),
                                    tuple(sorted(v.plurals.items()))),
            "outcome_cues": outcome_cues.lexicon()["matcher"], "claim_measures": claim_measures._matcher(),
            "issues": tokens, "issue_relations": relations, "stance_words": words, "stance_deps": deps,
            "dates": date_patterns.matcher(vocab)[0], "round_cues": round_cues._matcher(vocab),
            "delegations": delegations.matcher(vocab), "delegation_parties": delegations.party_matcher(vocab)}


def plain_of(m):
    if isinstance(m, AnchoredMatcher):
        return m.plain
    plain = DependencyMatcher(m.vocab)
    for key, patterns in m._raw_patterns.items():
        plain.add(key, patterns)
    return plain


def _values(spec: dict) -> list[str]:
    out = []
    for value in spec.values():
        if isinstance(value, dict):
            value = value.get("IN", [])
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, str):
                out += [v, v.lower(), v.title()]
    return out


@functools.lru_cache(maxsize=None)
def rule_words() -> list[str]:
    """The words the patterns name (every attribute's values, as written, lower-case and capitalised)."""
    found = set(FILLER)
    for m in families().values():
        if isinstance(m, AnchoredMatcher):
            specs = [s for _, patterns, _, _ in m._added for p in patterns for s in p]
        else:
            specs = [node["RIGHT_ATTRS"] for patterns in m._raw_patterns.values() for p in patterns for node in p]
        for spec in specs:
            found.update(w for w in _values(spec) if w and " " not in w)
    return sorted(found)


def assert_same(doc):
    ranges = _ranges(len(doc))
    for name, m in families().items():
        whole = plain_of(m)(doc)
        assert m(doc) == whole, name
        if isinstance(m, AnchoredMatcher):  # only the ranges' matches, in the whole doc's order
            assert m.within(doc, ranges) == [x for x in whole if any(lo <= x[1] and x[2] <= hi for lo, hi in ranges)], name


def _ranges(n: int) -> list[tuple[int, int]]:
    """Sorted disjoint token ranges over a doc of n tokens (some touching, some apart), drawn from n."""
    rng, out, at = random.Random(n), [], 0
    while at < n:
        lo = at + rng.choice([0, 0, 1, 3])
        hi = min(n, lo + rng.randint(1, 12))
        if lo < hi:
            out.append((lo, hi))
        at = hi
    return out


def _slots(doc, seed: int):
    """Random title slots ('{country}' tokens), runs included."""
    rng = random.Random(seed)
    for tok in doc:
        tok._.role_slot = rng.choice(["", "", "", "country", "org"])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_every_family_matches_as_spacy_does_on_parsed_made_up_texts(data):
    words = data.draw(st.lists(st.sampled_from(rule_words()), max_size=70))
    doc = load_nlp()(" ".join(words))
    assert_same(doc)
    _slots(doc, data.draw(st.integers(0, 10**6)))
    assert_same(doc)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_every_family_matches_as_spacy_does_on_random_token_attributes(data):
    """Tokens with any lemma, tag and dependency, in random trees (several roots, crossing arcs)."""
    vocab = load_nlp().vocab
    n = data.draw(st.integers(1, 60))
    pick = lambda pool: data.draw(st.lists(st.sampled_from(pool), min_size=n, max_size=n))  # noqa: E731
    words, lemmas = pick(rule_words()), pick(rule_words())
    order = data.draw(st.permutations(range(n)))
    heads = [0] * n
    for k, i in enumerate(order):  # each token hangs on one placed before it, or is a root
        heads[i] = i if k == 0 or data.draw(st.integers(0, 9)) == 0 else order[data.draw(st.integers(0, k - 1))]
    deps = [d if heads[i] != i else "ROOT" for i, d in enumerate(pick(DEPS))]
    doc = Doc(vocab, words=words, lemmas=[w.lower() for w in lemmas], pos=pick(POS), tags=pick(TAGS), deps=deps,
              heads=heads)
    _slots(doc, data.draw(st.integers(0, 10**6)))
    assert_same(doc)


def _pick(spec: dict, key: str, rng):
    value = spec.get(key)
    value = value.get("IN") if isinstance(value, dict) else value
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return rng.choice(value)
    return value if isinstance(value, str) else None


def _token(spec: dict, rng) -> dict:
    """A token meeting a pattern element where it can (words, lemma, shape, tags, slot), random elsewhere."""
    spec = {k.upper(): v for k, v in spec.items() if isinstance(k, str)}
    shape = _pick(spec, "SHAPE", rng)
    word = next((w for w in (_pick(spec, k, rng) for k in ("ORTH", "TEXT", "LOWER", "NORM")) if w), None)
    word = word or (shape.replace("d", "7").replace("x", "a").replace("X", "A") if shape else None)
    lemma = _pick(spec, "LEMMA", rng)
    word = word or lemma or rng.choice(FILLER)
    slot = spec.get("_", {}).get("role_slot") if isinstance(spec.get("_"), dict) else None
    if not isinstance(slot, str):
        slot = rng.choice(slot["IN"] if isinstance(slot, dict) else ["", "country"])
    return {"word": word, "lemma": (lemma or word).lower(), "pos": _pick(spec, "POS", rng) or rng.choice(POS),
            "tag": _pick(spec, "TAG", rng) or rng.choice(TAGS), "dep": _pick(spec, "DEP", rng) or rng.choice(DEPS),
            "slot": slot, "head": None}


def _instance(m, rng) -> list[dict]:
    """The tokens of one random pattern of the matcher, each element repeated within its counts; a dependency
    pattern's nodes hang on one another as its '>' and '<' operators say."""
    if isinstance(m, AnchoredMatcher):
        pattern = rng.choice([p for _, patterns, _, _ in m._added for p in patterns])
        out = []
        for spec in pattern:
            least, most = counts(spec)
            out += [_token(spec, rng) for _ in range(rng.randint(least, most if most is not None else least + 2))]
        return out
    pattern = rng.choice([p for patterns in m._raw_patterns.values() for p in patterns])
    ids = {node["RIGHT_ID"]: n for n, node in enumerate(pattern)}
    out = [_token(node["RIGHT_ATTRS"], rng) for node in pattern]
    for n, node in enumerate(pattern[1:], 1):
        left = ids[node["LEFT_ID"]]
        if node["REL_OP"] in (">", ">>"):
            out[n]["head"] = left
        elif node["REL_OP"] == "<" and out[left]["head"] is None:
            out[left]["head"] = n
    order = list(range(len(out)))
    rng.shuffle(order)  # the nodes in any order in the text
    where = {old: new for new, old in enumerate(order)}
    return [{**out[o], "head": where[out[o]["head"]] if out[o]["head"] is not None else None} for o in order]


def _acyclic(heads: list[int]) -> list[int]:
    for i in range(len(heads)):
        seen, t = set(), i
        while heads[t] != t and t not in seen:
            seen.add(t)
            t = heads[t]
        if t in seen:
            heads[t] = t
    return heads


def instance_doc(seed: int):
    """Random rule-word filler around instances of random patterns of every family, in random trees."""
    rng, ms = random.Random(seed), list(families().values())
    tokens = []
    for _ in range(rng.randint(1, 8)):
        tokens += [_token({}, rng) | {"word": rng.choice(rule_words())} for _ in range(rng.randint(0, 4))]
        start, segment = len(tokens), _instance(rng.choice(ms), rng)
        tokens += [t | {"head": start + t["head"] if t["head"] is not None else None} for t in segment]
    tokens = tokens or [_token({}, rng)]
    heads = _acyclic([t["head"] if t["head"] is not None else rng.choice([i, rng.randrange(len(tokens))])
                      for i, t in enumerate(tokens)])
    doc = Doc(load_nlp().vocab, words=[t["word"] for t in tokens], lemmas=[t["lemma"] for t in tokens],
              pos=[t["pos"] for t in tokens], tags=[t["tag"] for t in tokens], heads=heads,
              deps=["ROOT" if h == i else t["dep"] for i, (h, t) in enumerate(zip(heads, tokens))])
    for tok, t in zip(doc, tokens):
        tok._.role_slot = t["slot"]
    return doc


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32))
def test_every_family_matches_as_spacy_does_around_instances_of_its_patterns(seed):
    doc = instance_doc(seed)
    assert_same(doc)
    for m in families().values():  # every match of an anchored pattern lies inside one window
        if isinstance(m, AnchoredMatcher) and m._built["local"] is not None:
            windows = m.windows(doc)
            assert all(any(lo <= s and e <= hi for lo, hi in windows) for _, s, e in m._built["local"](doc))
    assert_same(load_nlp()(doc.text))  # the same words, parsed by the model


# ---------- units ---------------------------------------------------------------------------------------------

def test_windows_merge_when_they_overlap_or_touch():
    assert merge([(5, 8), (0, 3), (3, 4), (7, 12), (14, 15)]) == [(0, 4), (5, 12), (14, 15)]
    assert merge([]) == []


def test_operators_count_tokens():
    assert [counts(s) for s in ({}, {"OP": "?"}, {"OP": "+"}, {"OP": "*"}, {"OP": "!"}, {"OP": "{2}"},
                                {"OP": "{,3}"}, {"OP": "{1,4}"}, {"OP": "{2,}"})] == [
        (1, 1), (0, 1), (1, None), (0, None), (1, 1), (2, 2), (0, 3), (1, 4), (2, None)]
    assert anchored.anchor_values({"LOWER": "x", "OP": "!"}) == []


def _pair(patterns: dict, greedy=None):
    vocab = load_nlp().vocab
    a, p = AnchoredMatcher(vocab), Matcher(vocab)
    for key, pats in patterns.items():
        a.add(key, pats, greedy=greedy)
        p.add(key, pats, greedy=greedy)
    return a, p


def _doc(text: str):
    return load_nlp()(text)


def test_anchors_at_both_edges_of_the_doc_and_overlapping_anchors():
    a, p = _pair({"deal": [[{"LOWER": "peace"}, {"LOWER": "deal"}], [{"LOWER": "deal"}, {"IS_PUNCT": True, "OP": "?"}]],
                  "peace": [[{"LOWER": {"IN": ["peace", "truce"]}, "OP": "+"}]]})
    for text in ("peace deal", "deal peace peace truce deal.", "Peace deal, peace deal and a deal", "nothing here"):
        doc = _doc(text)
        assert a(doc) == p(doc) and a(doc[:]) == p(doc[:])
    doc = _doc("deal one two three four five six seven peace")
    assert a.windows(doc) == [(0, 2), (len(doc) - 1, len(doc))]


def test_a_window_reaches_as_far_as_the_longest_run_of_an_unbounded_element():
    a, p = _pair({"k": [[{"LOWER": "head"}, {"POS": "PROPN", "OP": "+"}, {"LOWER": "delegation"}]]})
    doc = _doc("He met the head Abu Bakr Al Baghdadi Mohammed delegation today.")
    assert a(doc) == p(doc) and len(p(doc)) == 1


def test_greedy_keys_are_filtered_over_the_whole_doc_in_spacys_order():
    pats = {"a": [[{"LOWER": "peace"}, {"LOWER": "talks", "OP": "?"}]], "b": [[{"LOWER": "talks"}, {"OP": "?"}]]}
    for greedy in ("LONGEST", "FIRST", None):
        a, p = _pair(pats, greedy)
        doc = _doc("talks and peace talks, peace talks in peace. Talks talks")
        assert a(doc) == p(doc) and a(doc, as_spans=True) == p(doc, as_spans=True)


def test_patterns_without_anchor_run_over_the_whole_doc_first():
    pats = {"any": [[{"POS": "NUM"}, {"LOWER": "prisoners"}]], "wild": [[{"LOWER": "meeting"}, {"OP": "*"},
                                                                          {"LEMMA": "hold"}]],
            "word": [[{"LOWER": "prisoners"}]]}
    a, p = _pair(pats)
    for text in ("They freed 50 prisoners.", "The meeting ended. Talks were held later.", "No prisoners. None."):
        doc = _doc(text)
        assert a(doc) == p(doc)
    doc = _doc("No number here, only prisoners.")
    assert a(doc) == p(doc) == [(load_nlp().vocab.strings["word"], 5, 6)]


def test_callbacks_see_the_final_matches_and_spans_fall_back():
    seen = []
    vocab = load_nlp().vocab
    a, p = AnchoredMatcher(vocab), Matcher(vocab)
    for m in (a, p):
        m.add("k", [[{"LOWER": "truce"}]], on_match=lambda _m, doc, i, matches: seen.append((i, matches[i])))
    doc = _doc("A truce, then another truce.")
    assert a(doc) == p(doc) and seen[:2] == seen[2:]
    assert a(doc[2:]) == p(doc[2:]) and a(doc[:0]) == p(doc[:0]) == []


def test_tree_roots_are_the_last_ancestors():
    doc = _doc("The delegation was led by the minister. Talks ended on Friday in Geneva.")
    assert tree_roots(doc).tolist() == [([t] + list(t.ancestors))[-1].i for t in doc]


def test_a_dependency_matcher_reads_only_the_trees_of_its_anchors():
    vocab = load_nlp().vocab
    a, p = AnchoredDependencyMatcher(vocab), DependencyMatcher(vocab)
    pattern = [{"RIGHT_ID": "v", "RIGHT_ATTRS": {"LEMMA": "lead"}},
               {"LEFT_ID": "v", "REL_OP": ">", "RIGHT_ID": "s", "RIGHT_ATTRS": {"DEP": "nsubjpass"}},
               {"LEFT_ID": "v", "REL_OP": ".*", "RIGHT_ID": "x", "RIGHT_ATTRS": {"POS": "PROPN"}}]
    for m in (a, p):
        m.add("led", [pattern])
    doc = _doc("The team was led by Smith. The other team was led by Jones in Oslo. Nobody else came.")
    assert a(doc) == p(doc) and len(a(doc)) >= 2
    b = AnchoredDependencyMatcher(vocab)
    b.add("bare", [[{"RIGHT_ID": "v", "RIGHT_ATTRS": {"POS": "VERB"}}]])  # no anchor: spaCy's own pass
    plain = DependencyMatcher(vocab)
    plain.add("bare", [[{"RIGHT_ID": "v", "RIGHT_ATTRS": {"POS": "VERB"}}]])
    assert b.choice() is None and b(doc) == plain(doc)


def test_an_unbounded_element_reaches_only_over_its_own_run_of_tokens():
    a, p = _pair({"k": [[{"LOWER": "head"}, {"POS": "PROPN", "OP": "+"}, {"LOWER": "delegation"}]]})
    words = ["head", "Abu", "Bakr", "delegation", "met", "in", "Nairobi", "Kenya", "East", "Africa", "Region", "."]
    pos = ["NOUN", "PROPN", "PROPN", "NOUN", "VERB", "ADP", "PROPN", "PROPN", "PROPN", "PROPN", "PROPN", "PUNCT"]
    doc = Doc(load_nlp().vocab, words=words, pos=pos)
    assert a.windows(doc) == [(0, 4)] and a(doc) == p(doc) == [(load_nlp().vocab.strings["k"], 0, 4)]


def test_each_pattern_is_windowed_around_its_rarest_anchor_in_the_doc():
    a, p = _pair({"k": [[{"LOWER": "the"}, {"LOWER": "ceasefire"}]]})
    doc = _doc("The talks, the text and the ceasefire held, the envoy said.")
    assert a.windows(doc) == [(6, 8)] and a(doc) == p(doc) == [(load_nlp().vocab.strings["k"], 6, 8)]
    doc = _doc("The talks, the text and the truce held.")  # no 'ceasefire': the pattern cannot match anywhere
    assert a.windows(doc) == [] and a(doc) == p(doc) == []


SUBSET_PATTERNS = {
    "a": [[{"LOWER": "peace"}, {"LOWER": "talks", "OP": "?"}], [{"LOWER": "talks"}, {"OP": "?"}, {"OP": "?"}]],
    "b": [[{"LOWER": {"IN": ["truce", "peace"]}, "OP": "+"}, {"LOWER": "deal", "OP": "?"}],
          [{"IS_PUNCT": True, "OP": "?"}, {"LOWER": "deal"}, {"LOWER": "talks", "OP": "*"}]],
    "c": [[{"LOWER": "talks"}, {"LOWER": {"IN": ["peace", "truce", "deal"]}, "OP": "{1,3}"}],
          [{"LOWER": "deal"}, {"LOWER": "peace"}]],
}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["peace", "talks", "truce", "deal", ",", "x", "y", "z", "w"]), max_size=40))
def test_windows_running_a_subset_of_the_patterns_keep_spacys_list_and_order(words):
    """Interleaved keys, '?', '+', '*' and counted tails, one key's patterns on different anchors: each window
    runs only the patterns whose anchors it holds, and the list (order and de-duplication) is the plain one."""
    a, p = _pair(SUBSET_PATTERNS)
    doc = Doc(load_nlp().vocab, words=words or ["x"])
    assert a(doc) == p(doc)


def test_a_window_without_some_anchors_runs_the_other_patterns_alone():
    a, p = _pair(SUBSET_PATTERNS)
    doc = Doc(load_nlp().vocab, words=["truce", "truce", "deal", "x", "x", "x", "x", "x", "x", "peace", "talks"])
    assert a(doc) == p(doc) and len(a(doc)) > 3
    assert len(a._built["subsets"]) == 2  # the two windows hold different anchors: two partial matchers
