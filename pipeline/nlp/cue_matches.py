"""One anchored Matcher pass per doc for the token patterns of four rule families.

The issue patterns (issues.py), the one-word and adjacent two-word stance cues (stance_cues.py), the outcome cues
(outcome_cues.py) and the claims' measure cues (claim_measures.py) were four AnchoredMatcher runs over every doc,
each reading the doc's columns, finding its anchors and running spaCy's Matcher window by window. Each family still
builds its own matcher from the reference YAML (the definition of its patterns, and the reference the tests hold
this pass to); here their patterns go into one AnchoredMatcher under keys naming their family, and each family is
given back exactly the list its own matcher returns: the anchored matcher returns what the plain Matcher returns
on the whole doc, and spaCy's Matcher states never interact (anchored.py), so a family's patterns emit the same
matches in the same order among the others', which are taken out. No family sets a greedy filter or a callback
(checked when the pass is built; a family that did would keep its own run).
"""
from __future__ import annotations

import functools

from pipeline.nlp.anchored import AnchoredMatcher
from pipeline.nlp.model import load_nlp

_MEMO = "parley.cue_matches"


def family_matchers() -> dict[str, AnchoredMatcher]:
    """Each family's own matcher, by family name."""
    # imported here: these modules ask this one for their matches
    from pipeline.nlp import claim_measures, issues, outcome_cues, stance_cues
    return {"issues": issues._matchers()[2], "stances": stance_cues._matchers()[0],
            "outcomes": outcome_cues.lexicon()["matcher"], "claims": claim_measures._matcher()}


@functools.lru_cache(maxsize=None)
def _combined() -> tuple[AnchoredMatcher, dict[int, tuple[str, int]], frozenset[str]]:
    """(the one matcher, its key's string id -> (family, the family's own key's string id), the families in it)."""
    vocab = load_nlp().vocab
    strings = vocab.strings
    matcher, owner, families = AnchoredMatcher(vocab), {}, set()
    for family, own in family_matchers().items():
        if any(on_match is not None or greedy is not None for _, _, on_match, greedy in own._added):
            continue
        families.add(family)
        for key, patterns, _, _ in own._added:
            combined_key = f"{family}\x1f{key}"
            matcher.add(combined_key, patterns)
            owner[strings[combined_key]] = (family, strings.add(key) if isinstance(key, str) else key)
    return matcher, owner, frozenset(families)


def family_matches(doc, family: str) -> list[tuple[int, int, int]]:
    """(match_id, start, end) of the family's token patterns in the doc, exactly as its own matcher gives them."""
    memo = doc.user_data.get(_MEMO)
    if memo is None:
        matcher, owner, families = _combined()
        memo = {name: [] for name in families}
        for match_id, start, end in matcher(doc):
            name, own_id = owner[match_id]
            memo[name].append((own_id, start, end))
        doc.user_data[_MEMO] = memo
    if family not in memo:
        return family_matchers()[family](doc)
    return memo[family]
