"""Anchored matching: spaCy's own Matcher and DependencyMatcher, run only where a pattern can match.

spaCy's Matcher starts a state for every pattern at every token, so its cost is patterns x tokens, while a rule
family's words are a small part of an article. Each pattern names at least one word it cannot match without (a
mandatory token constrained by equality or IN on ORTH/LOWER/LEMMA/NORM/SHAPE): its "anchor", read from the
patterns themselves, so a rule a researcher adds to the YAML is anchored the same way. A match holding an anchor
at token a lies in [a - left, a + right], left and right being the pattern's reach on each side of its anchor
(an unbounded element, "+" or "*" on a constrained token, reaches to the end of the run of tokens that may pass
it there: its equality and IN tests read with numpy, other tests left out, a superset). The Matcher runs on the
merged windows alone, each window with only the patterns whose anchors it holds, and the matches are mapped back.

Exactness (tests/test_anchored.py checks it against the plain Matcher on random texts of the rules' words): every
whole-doc match lies in one merged window, windows that touch are merged, and a match inside a window is emitted
in the same order as over the whole doc (the Matcher's states of other windows never emit there, and leaving out
patterns that cannot match in a window leaves the others' list as it is: AnchoredMatcher._local). The greedy
filter and callbacks are applied after, as spaCy does, on all matches of the doc. Patterns that cannot be
windowed (no anchor, or a "*" on a token of any kind) run first by themselves over the whole doc: when they find
nothing they cannot change the others' order, else the whole Matcher runs over the whole doc.

A caller that reads only the matches inside some token ranges (titles.py: the sentences that name a person) asks
AnchoredMatcher.within, which runs only the windows that meet a range.

The windows' geometry (runs, reach, merging) is in anchored_reach.py; the DependencyMatcher's counterpart, run over
the trees of its anchors, is in anchored_trees.py.
"""
from __future__ import annotations

import json
import re

import numpy
from spacy.attrs import DEP, LEMMA, LOWER, MORPH, NORM, ORTH, POS, SHAPE, TAG
from spacy.matcher import Matcher
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

from pipeline.nlp.anchored_reach import Columns, _plain_spec, _Runs, merge, reach, spec_mask  # noqa: F401 (re-exported)

ANCHOR_ATTRS = {"ORTH": ORTH, "TEXT": ORTH, "LOWER": LOWER, "LEMMA": LEMMA, "NORM": NORM, "SHAPE": SHAPE}
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


def _spec_key(spec: dict) -> str:
    return json.dumps(_plain_spec(spec), sort_keys=True, default=str)


class _Pattern:
    """One token pattern: the anchors it may use (attribute, string ids, shape), one per mandatory element with an
    equality or IN test; a shape is the pattern seen from that element outward, each element as its most tokens,
    or the key of its spec when unbounded (its reach is then the run of tokens it accepts)."""

    def __init__(self, pattern: list[dict]):
        elements, self.runs = [], {}
        for spec in pattern:
            least, most = counts(spec)
            if most is None:
                self.runs[_spec_key(spec)] = _plain_spec(spec)
            elements.append((least, most if most is not None else _spec_key(spec)))
        self.wide = any(isinstance(m, str) and not self.runs[m] for _, m in elements)  # '*' on any token
        most = [m for _, m in elements]
        self.options = [] if self.wide else [
            (attr, values, (tuple(reversed(most[:k])), most[k], tuple(most[k + 1:])))
            for k, spec in enumerate(pattern) if elements[k][0] >= 1 for attr, values in anchor_values(spec)]


def _padded(choices: set[tuple[int, ...]]) -> numpy.ndarray:
    """The patterns' option numbers as rows of one array, padded with the number after the last option."""
    width, pad = max(map(len, choices), default=1), max((n for c in choices for n in c), default=-1) + 1
    return numpy.array([list(c) + [pad] * (width - len(c)) for c in sorted(choices)] or [[pad]], dtype="int64")


class AnchorChoice:
    """Anchor options (attribute, string ids, shape), numbered once, and each pattern's options. In a doc a pattern
    takes the option with the fewest anchor tokens; one with none means the pattern cannot match there."""

    def __init__(self):
        self.numbers: dict[tuple, int] = {}
        self.patterns: set[tuple[int, ...]] = set()
        self._frozen = None

    def add(self, options: list[tuple]) -> tuple[int, ...]:
        numbers = tuple(self.numbers.setdefault(o, len(self.numbers)) for o in options)
        self.patterns.add(numbers)
        self._frozen = None
        return numbers

    def _freeze(self) -> tuple:
        anchors: dict[int, dict[int, list[int]]] = {}  # attr -> string id -> the options it anchors
        for (attr, values, _), n in self.numbers.items():
            for v in values:
                anchors.setdefault(attr, {}).setdefault(v, []).append(n)
        # per attribute: the sorted string ids, and the options of the k-th id in flat[offsets[k]:offsets[k + 1]]
        tables = {}
        for attr, table in anchors.items():
            ids = sorted(table)
            sizes = [len(table[v]) for v in ids]
            tables[attr] = (numpy.array(ids, dtype="uint64"), numpy.cumsum([0] + sizes, dtype="int64"),
                            numpy.array([n for v in ids for n in table[v]], dtype="int64"))
        self._frozen = (tables, _padded(self.patterns), list(self.numbers))
        return self._frozen

    def hits(self, doc: Doc, columns: Columns) -> dict[int, numpy.ndarray]:
        """Option number -> its anchor tokens in the doc, ascending (options without any left out). Read with numpy
        alone: each token's id is looked up among the sorted ids, then every (token, option) pair is spread out."""
        tables = (self._frozen or self._freeze())[0]
        tokens, options = [], []
        for attr, (ids, offsets, flat) in tables.items():
            column = columns[attr]
            where = numpy.minimum(numpy.searchsorted(ids, column), len(ids) - 1)
            at = numpy.flatnonzero(ids[where] == column)
            if not len(at):
                continue
            first, sizes = offsets[where[at]], offsets[where[at] + 1] - offsets[where[at]]
            tokens.append(numpy.repeat(at, sizes))
            steps = numpy.arange(int(sizes.sum())) - numpy.repeat(numpy.cumsum(sizes) - sizes, sizes)
            options.append(flat[numpy.repeat(first, sizes) + steps])
        if not tokens:
            return {}
        tokens, options = numpy.concatenate(tokens), numpy.concatenate(options)
        order = numpy.argsort(options, kind="stable")  # an option's tokens stay ascending (one attribute each)
        tokens, options = tokens[order], options[order]
        starts = numpy.flatnonzero(numpy.r_[True, options[1:] != options[:-1]])
        return dict(zip(options[starts].tolist(), numpy.split(tokens, starts[1:])))

    def taken(self, doc: Doc, columns: Columns, hits: dict | None = None) -> list[tuple[tuple, list[int]]]:
        """(option, its anchor tokens) for each option a pattern takes in the doc."""
        _, choices, options = self._frozen or self._freeze()
        hits = self.hits(doc, columns) if hits is None else hits
        counts = numpy.zeros(len(options) + 1, dtype="int64")  # an option without hit: no match
        counts[list(hits)] = [len(at) for at in hits.values()]
        counts[-1] = len(doc) + 1  # the padding is never the fewest
        chosen = set(choices[numpy.arange(len(choices)), counts[choices].argmin(axis=1)].tolist())
        return [(options[n], hits[n]) for n in sorted(chosen & set(hits))]


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


def _meeting(windows: list[tuple[int, int]], ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sorted disjoint windows that share a token with one of the sorted disjoint ranges."""
    out, r = [], 0
    for lo, hi in windows:
        while r < len(ranges) and ranges[r][1] <= lo:
            r += 1
        if r < len(ranges) and ranges[r][0] < hi:
            out.append((lo, hi))
    return out


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
        """The raw matchers (no filter, no callback): all patterns, the windowed ones, the whole-doc ones; the
        windowed patterns in order, with their anchor option numbers (a row each, padded past the last option)."""
        raw, local, wide = (Matcher(self.vocab) for _ in range(3))
        choice, runs, filters, callbacks, windowed = AnchorChoice(), {}, {}, {}, []
        for key, patterns, on_match, greedy in self._added:
            norm = self.plain._normalize_key(key)
            filters[norm], callbacks[norm] = greedy, on_match
            raw.add(key, patterns)
            for pattern in patterns:
                p = _Pattern(pattern)
                (local if p.options else wide).add(key, [pattern])
                if p.options:
                    windowed.append((key, pattern, choice.add(p.options)))
                    runs.update(p.runs)
        pad = len(choice.numbers)
        width = max((len(n) for *_, n in windowed), default=1)
        rows = numpy.array([list(n) + [pad] * (width - len(n)) for *_, n in windowed] or [[pad]], dtype="int64")
        self._built = {"raw": raw, "local": local if len(local) else None, "wide": wide if len(wide) else None,
                       "runs": runs, "filters": filters, "callbacks": callbacks, "choice": choice,
                       "windowed": windowed, "rows": rows, "subsets": {}}
        return self._built

    def windows(self, doc: Doc, columns: Columns | None = None, hits: dict | None = None) -> list[tuple[int, int]]:
        """The merged token windows that hold every match of the anchored patterns: each pattern is windowed around
        its anchor option with the fewest tokens in this doc (none: it cannot match)."""
        built = self._built or self._build()
        columns, runs, found = columns if columns is not None else Columns(doc), {}, []
        for (_, _, shape), at in built["choice"].taken(doc, columns, hits):
            for key in {m for m in (*shape[0], shape[1], *shape[2]) if isinstance(m, str)} - set(runs):
                runs[key] = _Runs(spec_mask(built["runs"][key], doc, columns))
            found += zip(*(side.tolist() for side in reach(numpy.array(at), shape, runs, len(doc))))
        return merge(found)

    def _subset(self, needed: numpy.ndarray):
        """A raw Matcher of the windowed patterns flagged in needed, in their order (cached by the flags)."""
        built = self._built
        subsets, flags = built["subsets"], needed.tobytes()
        if flags not in subsets:
            if len(subsets) >= 1024:  # bounded: a long run of rare subsets only rebuilds them
                subsets.clear()
            matcher = Matcher(self.vocab)
            for i in numpy.flatnonzero(needed).tolist():
                key, pattern, _ = built["windowed"][i]
                matcher.add(key, [pattern])
            subsets[flags] = matcher
        return subsets[flags]

    def within(self, doc: Doc, ranges: list[tuple[int, int]]) -> list[tuple]:
        """The (key, start, end) matches self(doc) returns that lie inside one of the sorted disjoint token ranges,
        in the same order, for a caller that reads no other: without filters, callbacks or whole-doc patterns, only
        the windows that share a token with a range are matched (whole: a window cut at a range's edge could match
        otherwise there, as with a '!' element), and their matches kept where they lie inside a range."""
        built = self._built or self._build()
        if any(built["filters"].values()) or any(built["callbacks"].values()) or built["wide"] is not None \
                or not len(doc) or built["local"] is None:
            return [m for m in self(doc) if any(lo <= m[1] and m[2] <= hi for lo, hi in ranges)]
        if any(a in self.plain._seen_attrs and not doc.has_annotation(a) for a in (TAG, POS, MORPH, LEMMA, DEP)):
            return self.plain(doc)  # raises spaCy's own error
        return [m for m in self._local(doc, ranges) if any(lo <= m[1] and m[2] <= hi for lo, hi in ranges)]

    def _local(self, doc: Doc, ranges: list[tuple[int, int]] | None = None) -> list[tuple]:
        """The windowed patterns' matches over the doc, window by window, each window running only the patterns
        whose every anchor option has a token in it. Exact, same list and order as the plain Matcher: a pattern
        left out cannot match there (its match would hold a token of each of its options), and spaCy's states
        never interact (each moves on its own pattern and token; survivors keep their order, new states follow
        in their parents' order, fresh ones in pattern order), so a Matcher of some of the patterns pushes and
        emits exactly the others' states and matches with theirs taken out; taking out patterns that emit none
        leaves the list unchanged."""
        built = self._built
        columns = Columns(doc)
        hits = built["choice"].hits(doc, columns)
        windows = self.windows(doc, columns, hits)
        if ranges is not None:
            windows = _meeting(windows, ranges)
        if not windows:
            return []
        pos = numpy.concatenate(list(hits.values())) if hits else numpy.zeros(0, dtype="int64")
        opt = numpy.repeat(numpy.array(list(hits), dtype="int64"), [len(at) for at in hits.values()])
        order = numpy.argsort(pos, kind="stable")
        pos, opt = pos[order], opt[order]
        rows, pad = built["rows"], len(built["choice"].numbers)
        matches = []
        for lo, hi in windows:
            present = numpy.zeros(pad + 1, dtype=bool)
            present[opt[numpy.searchsorted(pos, lo):numpy.searchsorted(pos, hi)]] = True
            present[pad] = True
            needed = present[rows].all(axis=1)
            if not needed.any():
                continue
            matcher = built["local"] if needed.all() else self._subset(needed)
            matches += [(key, lo + s, lo + e) for key, s, e in matcher(doc[lo:hi], allow_missing=True)]
        return matches

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
            matches = self._local(doc)
        final = greedy_filter(matches, built["filters"], len(doc))
        for i, (key, *_) in enumerate(final):
            if built["callbacks"].get(key) is not None:
                built["callbacks"][key](self, doc, i, final)
        return [Span(doc, s, e, label=key) for key, s, e in final] if as_spans else final
