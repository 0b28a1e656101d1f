"""spaCy's DependencyMatcher, its token matcher run only over the dependency trees that hold a pattern's anchor.

The DependencyMatcher finds each node's candidate tokens with one token Matcher over the whole doc, groups them
by the root of their tree, and matches a pattern inside one group. A pattern's match needs a token of each of its
nodes in one tree, so the token matcher only has to read the trees holding the anchor node each pattern takes
(anchored.py: an equality or IN test on ORTH/LOWER/LEMMA/NORM/SHAPE, the option with the fewest tokens in the doc).
Those trees are read whole, so the groups it forms hold the same tokens in the same order, and the other groups
could not match. Any pattern without such a node, or a node of more than one token, keeps spaCy's own pass.
"""
from __future__ import annotations

from collections import defaultdict

import numpy
from spacy.attrs import HEAD
from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc

from pipeline.nlp.anchored import AnchorChoice, Columns, anchor_values, counts


def tree_roots(doc: Doc) -> numpy.ndarray | None:
    """The root token of each token's dependency tree (what DependencyMatcher groups by); None on a cycle."""
    roots = numpy.arange(len(doc)) + doc.to_array([HEAD]).reshape(-1).astype("int64")
    for _ in range(64):
        nxt = roots[roots]
        if numpy.array_equal(nxt, roots):
            return roots
        roots = nxt
    return None


class AnchoredDependencyMatcher(DependencyMatcher):
    """spaCy's DependencyMatcher whose token matcher runs only over the trees holding a pattern's anchor node."""

    def add(self, key, patterns, *, on_match=None):
        super().add(key, patterns, on_match=on_match)
        self._choice = None

    def choice(self) -> AnchorChoice | None:
        """The patterns' anchor nodes; None when a pattern has none or a node may take more than one token."""
        if getattr(self, "_choice", None) is None:
            choice, ok = AnchorChoice(), True
            for patterns in self._patterns.values():
                for nodes in patterns:
                    options = [(attr, v, None) for node in nodes for attr, v in anchor_values(node[0])]
                    ok = ok and bool(options) and all(counts(node[0]) == (1, 1) for node in nodes)
                    choice.add(options)
            self._choice = choice if ok else False
        return self._choice or None

    def _get_keys_to_position_maps(self, doc):
        choice = self.choice()
        roots = tree_roots(doc) if choice is not None and len(doc) else None
        if roots is None:
            return super()._get_keys_to_position_maps(doc)
        anchors = [i for _, at in choice.taken(doc, Columns(doc)) for i in at]
        covered = numpy.isin(roots, roots[anchors]) if anchors else numpy.zeros(len(doc), dtype=bool)
        maps = defaultdict(lambda: defaultdict(list))  # the shape DependencyMatcher.__call__ reads
        edges = numpy.flatnonzero(numpy.diff(numpy.concatenate(([0], covered.astype("int8"), [0]))))
        for lo, hi in zip(edges[::2].tolist(), edges[1::2].tolist()):
            for match_id, start, _ in self._matcher(doc[lo:hi]):
                maps[int(roots[lo + start])][match_id].append(lo + start)
        return maps
