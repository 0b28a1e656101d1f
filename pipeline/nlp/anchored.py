"""Anchored matching: spaCy's own Matcher and DependencyMatcher, run only where a pattern can match.

spaCy's Matcher starts a state for every pattern at every token, so its cost is patterns x tokens, while a rule
family's words are a small part of an article. Each pattern names at least one word it cannot match without (a
mandatory token constrained by equality or IN on ORTH/LOWER/LEMMA/NORM/SHAPE): its "anchor", read from the
patterns themselves, so a rule a researcher adds to the YAML is anchored the same way. A match holding an anchor
at token a lies in [a - left, a + right], left and right being the pattern's reach on each side of its anchor
(an unbounded element, "+" or "*" on a constrained token, reaches as far as the longest run of tokens it accepts
in this doc). The Matcher runs on the merged windows alone and the matches are mapped back.

Exactness (tests/test_anchored.py checks it against the plain Matcher on random texts of the rules' words): every
whole-doc match lies in one merged window, windows that touch are merged, and a match inside a window is emitted
in the same order as over the whole doc (the Matcher's states of other windows never emit there). The greedy
filter and callbacks are applied after, as spaCy does, on all matches of the doc. Patterns that cannot be
windowed (no anchor, or a "*" on a token of any kind) run first by themselves over the whole doc: when they find
nothing they cannot change the others' order, else the whole Matcher runs over the whole doc.

A DependencyMatcher matches inside one dependency tree (it groups candidates by their root): it runs its token
matcher only over the trees holding an anchor of a pattern, found from the heads with numpy.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict

import numpy
from spacy.attrs import DEP, HEAD, LEMMA, LOWER, MORPH, NORM, ORTH, POS, SHAPE, TAG
from spacy.matcher import DependencyMatcher, Matcher
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

ANCHOR_ATTRS = {"ORTH": ORTH, "TEXT": ORTH, "LOWER": LOWER, "LEMMA": LEMMA, "NORM": NORM, "SHAPE": SHAPE}
COMMON = 50  # the weight of a stop word or punctuation when choosing a pattern's anchor (most selective first)
_COUNT = re.compile(r"\{(\d*)(,?)(\d*)\}")


def counts(spec: dict) -> tuple[int, int | None]:
    """(least, most) tokens a pattern element takes; most None when unbounded. '!' takes one token."""
    op = {k.upper(): v for k, v in spec.items() if isinstance(k, str)}.get("OP")
    fixed = {None: (1, 1), "1": (1, 1), "!": (1, 1), "?": (0, 1), "*": (0, None), "+": (1, None)}
    if op in fixed:
        return fixed[op]
    m = _COUNT.fullmatch(str(op))
    if not m:
        raise ValueError(f"unknown token pattern operator {op!r}")
    least = int(m.group(1) or 0)
    return least, (least if not m.group(2) else int(m.group(3)) if m.group(3) else None)


def anchor_values(spec: dict) -> list[tuple[int, frozenset]]:
    """(attribute id, string ids) for each equality/IN test on an anchor attribute the token must pass."""
    spec = {k.upper(): v for k, v in spec.items() if isinstance(k, str)}
    if spec.get("OP") == "!":
        return []
    out = []
    for name, attr in ANCHOR_ATTRS.items():
        value = spec.get(name)
        if isinstance(value, dict) and isinstance(value.get("IN"), list):
            value = value["IN"]
        elif isinstance(value, (str, int)):
            value = [value]
        else:
            continue
        if value and all(isinstance(v, (str, int)) for v in value):
            out.append((attr, frozenset(get_string_id(v) for v in value)))
    return out


def _weight(vocab, values: frozenset) -> int:
    weight = 0
    for v in values:
        lex = vocab[vocab.strings[v]] if v in vocab.strings else None
        weight += COMMON if lex is not None and (lex.is_stop or lex.is_punct) else 1
    return weight


def _plain_spec(spec: dict) -> dict:
    return {k: v for k, v in spec.items() if not (isinstance(k, str) and k.upper() == "OP")}


def _spec_key(spec: dict) -> str:
    return json.dumps(_plain_spec(spec), sort_keys=True, default=str)


class _Pattern:
    """One token pattern: its elements' (least, most, run key) and its anchor with the reach either side."""

    def __init__(self, vocab, pattern: list[dict]):
        self.elements = []
        for spec in pattern:
            least, most = counts(spec)
            self.elements.append((least, most, None if most is not None else _spec_key(spec)))
        self.wide = any(most is None and not _plain_spec(spec) for spec, (_, most, _k) in zip(pattern, self.elements))
        options = [(_weight(vocab, values), n, attr, values) for n, spec in enumerate(pattern)
                   if self.elements[n][0] >= 1 for attr, values in anchor_values(spec)]
        self.anchor = min(options, key=lambda o: o[:2])[1:] if options and not self.wide else None

    def reach(self, runs: dict[str, int]) -> tuple[int, int]:
        """(tokens before, tokens after) the anchor token that a match may take, for the doc's longest runs."""
        most = [m if m is not None else runs[key] for _, m, key in self.elements]
        k = self.anchor[0]
        return sum(most[:k]) + most[k] - 1, sum(most[k + 1:]) + most[k] - 1


def merge(windows) -> list[tuple[int, int]]:
    """Sorted (start, end) windows with those that overlap or touch merged."""
    out: list[list[int]] = []
    for s, e in sorted(windows):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def greedy_filter(matches: list, filters: dict, length: int) -> list:
    """spaCy's Matcher filter, as in Matcher.__call__: keys without a filter keep every match in order; then, key by
    key in order of first match, the non-overlapping matches of a FIRST or LONGEST key."""
    final, pairs_by_id = [], {}
    for key, start, end in matches:
        if filters.get(key) is None:
            final.append((key, start, end))
        else:
            pairs_by_id.setdefault(key, []).append((start, end))
    for key, pairs in pairs_by_id.items():
        matched = bytearray(length)
        if filters[key] == "FIRST":
            ordered = sorted(pairs, key=lambda x: (x[0], -x[1]))
        else:
            ordered = sorted(pairs, key=lambda x: (x[1] - x[0], -x[0]), reverse=True)
        for start, end in ordered:
            if not any(matched[start:end]):
                final.append((key, start, end))
                matched[start:end] = b"\x01" * (end - start)
    return final


class AnchoredMatcher:
    """A drop-in for spacy.matcher.Matcher (add, __call__, __len__, __contains__, get) that returns exactly what
    the Matcher returns on the whole doc, in the same order, running it over the anchors' windows."""

    def __init__(self, vocab, validate: bool = False):
        self.vocab = vocab
        self.plain = Matcher(vocab, validate=validate)  # the exact reference, also the fallback
        self._added: list[tuple] = []
        self._built = None

    def add(self, key, patterns, *, on_match=None, greedy=None) -> None:
        self.plain.add(key, patterns, on_match=on_match, greedy=greedy)  # spaCy validates and raises
        self._added.append((key, [list(p) for p in patterns], on_match, greedy))
        self._built = None

    def __len__(self) -> int:
        return len(self.plain)

    def __contains__(self, key) -> bool:
        return key in self.plain

    def get(self, key, default=None):
        return self.plain.get(key, default)

    def _build(self) -> dict:
        """The raw matchers (no filter, no callback): all patterns, the windowed ones, the whole-doc ones."""
        raw, local, wide = (Matcher(self.vocab) for _ in range(3))
        anchored, runs, filters, callbacks = [], {}, {}, {}
        for key, patterns, on_match, greedy in self._added:
            norm = self.plain._normalize_key(key)
            filters[norm], callbacks[norm] = greedy, on_match
            raw.add(key, patterns)
            for pattern in patterns:
                p = _Pattern(self.vocab, pattern)
                (local if p.anchor is not None else wide).add(key, [pattern])
                if p.anchor is not None:
                    anchored.append(p)
                    runs.update({k: _plain_spec(s) for s, (_, m, k) in zip(pattern, p.elements) if m is None})
        run_matcher = None
        if runs:
            run_matcher = Matcher(self.vocab)
            for k, spec in runs.items():
                run_matcher.add(k, [[spec]])
        self._built = {"raw": raw, "local": local if len(local) else None, "wide": wide if len(wide) else None,
                       "patterns": anchored, "runs": run_matcher, "filters": filters, "callbacks": callbacks,
                       "tables": None}
        return self._built

    def _tables(self, built: dict, doc: Doc) -> dict[int, tuple]:
        """attr -> (sorted anchor ids, reach before, reach after) for the doc (reaches grow with its runs)."""
        runs = {}
        if built["runs"] is not None:
            strings = doc.vocab.strings
            hits: dict[str, list[int]] = {}
            for key, start, _ in built["runs"](doc):
                hits.setdefault(strings[key], []).append(start)
            for key in (strings[k] for k in built["runs"]._patterns):
                runs[key] = _longest_run(hits.get(key, []))
        elif built["tables"] is not None:
            return built["tables"]
        reach: dict[int, dict[int, list[int]]] = {}
        for p in built["patterns"]:
            before, after = p.reach(runs)
            _, attr, values = p.anchor
            table = reach.setdefault(attr, {})
            for v in values:
                r = table.setdefault(v, [0, 0])
                r[0], r[1] = max(r[0], before), max(r[1], after)
        tables = {}
        for attr, table in reach.items():
            ids = numpy.array(sorted(table), dtype="uint64")
            tables[attr] = (ids, numpy.array([table[i][0] for i in ids.tolist()]),
                            numpy.array([table[i][1] for i in ids.tolist()]))
        if built["runs"] is None:
            built["tables"] = tables
        return tables

    def windows(self, doc: Doc) -> list[tuple[int, int]]:
        """The merged token windows that hold every match of the anchored patterns."""
        built = self._built or self._build()
        tables = self._tables(built, doc)
        if not tables:
            return []
        attrs = list(tables)
        columns = doc.to_array(attrs).reshape(len(doc), len(attrs))
        found = []
        for n, attr in enumerate(attrs):
            ids, before, after = tables[attr]
            column = columns[:, n]
            at = numpy.flatnonzero(numpy.isin(column, ids))
            if len(at):
                row = numpy.searchsorted(ids, column[at])
                found += zip(numpy.maximum(at - before[row], 0).tolist(),
                             numpy.minimum(at + after[row] + 1, len(doc)).tolist())
        return merge(found)

    def __call__(self, doclike, *, as_spans=False, allow_missing=False, with_alignments=False):
        if not isinstance(doclike, Doc) or with_alignments or not len(doclike):
            return self.plain(doclike, as_spans=as_spans, allow_missing=allow_missing, with_alignments=with_alignments)
        doc = doclike
        if not allow_missing and any(a in self.plain._seen_attrs and not doc.has_annotation(a)
                                     for a in (TAG, POS, MORPH, LEMMA, DEP)):
            return self.plain(doc)  # raises spaCy's own error
        built = self._built or self._build()
        if built["wide"] is not None and built["wide"](doc, allow_missing=True):
            matches = built["raw"](doc, allow_missing=True)  # a wide pattern matched: the whole doc, every pattern
        elif built["local"] is None:
            matches = []
        else:
            matches = [(key, lo + s, lo + e) for lo, hi in self.windows(doc)
                       for key, s, e in built["local"](doc[lo:hi], allow_missing=True)]
        final = greedy_filter(matches, built["filters"], len(doc))
        for i, (key, *_) in enumerate(final):
            if built["callbacks"].get(key) is not None:
                built["callbacks"][key](self, doc, i, final)
        return [Span(doc, s, e, label=key) for key, s, e in final] if as_spans else final


def _longest_run(positions: list[int]) -> int:
    best = run = 0
    last = None
    for p in sorted(set(positions)):
        run = run + 1 if last is not None and p == last + 1 else 1
        best, last = max(best, run), p
    return best


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
        self._anchors = None

    def _anchor_ids(self) -> dict[int, numpy.ndarray] | None:
        """attr -> anchor string ids, one anchor node per pattern; None when a pattern has none (or a node is no
        single token: the windows would not hold its matches)."""
        if getattr(self, "_anchors", None) is None:
            by_attr: dict[int, set] = {}
            ok = True
            for patterns in self._patterns.values():
                for nodes in patterns:
                    if any(counts(n[0]) != (1, 1) for n in nodes):
                        ok = False
                    options = [(_weight(self.vocab, v), attr, v) for n in nodes for attr, v in anchor_values(n[0])]
                    if not options:
                        ok = False
                        continue
                    _, attr, values = min(options, key=lambda o: o[0])
                    by_attr.setdefault(attr, set()).update(values)
            self._anchors = {a: numpy.array(sorted(v), dtype="uint64") for a, v in by_attr.items()} if ok else {}
        return self._anchors or None

    def _get_keys_to_position_maps(self, doc):
        anchors = self._anchor_ids()
        roots = tree_roots(doc) if anchors is not None and len(doc) else None
        if roots is None:
            return super()._get_keys_to_position_maps(doc)
        attrs = list(anchors)
        columns = doc.to_array(attrs).reshape(len(doc), len(attrs))
        hit = numpy.zeros(len(doc), dtype=bool)
        for n, attr in enumerate(attrs):
            hit |= numpy.isin(columns[:, n], anchors[attr])
        covered = numpy.isin(roots, roots[hit])
        maps = defaultdict(lambda: defaultdict(list))  # the shape DependencyMatcher.__call__ reads
        edges = numpy.flatnonzero(numpy.diff(numpy.concatenate(([0], covered.astype("int8"), [0]))))
        for lo, hi in zip(edges[::2].tolist(), edges[1::2].tolist()):
            for match_id, start, _ in self._matcher(doc[lo:hi]):
                maps[int(roots[lo + start])][match_id].append(lo + start)
        return maps
