"""A drop-in for spaCy's stock attribute_ruler that gives identical annotations at a fraction of its cost.

Why: en_core_web_sm's attribute_ruler holds ~180 rules (its tag map, morph rules and a few fixes) and runs them all
through a token Matcher, ~25 us a token: 12 % of the parse. Almost all of them look at ONE token's TAG, LOWER,
DEP or IS_SPACE, so their outcome is a function of those few values: it is worked out once per distinct
combination and then found by a dict lookup. The few fixed-length multi-token rules ("gon na", "let 's") are
matched from the same lookups; rules of any other shape (operators, other attributes) would stay in a small spaCy
Matcher of just those rules (en_core_web_sm 3.8 has none).

Exactness (proved by tests/test_fast_attributes.py on made-up texts, and on real articles by a slow test): the
rules are read from the stock ruler itself at load time, so they follow the model version. As in the stock ruler,
every rule is matched against the doc as it was before any rule applied, matches apply in rule order (a later
rule overrides what an earlier one set on the same token) and the values are the stock ruler's own normalised
ones, written into the same token fields (Doc.from_array calls the same Token.set_struct_attr). A ruler that sets
anything else (extension or lexeme attributes) is left as shipped.
"""
from __future__ import annotations

import re
from collections import defaultdict
from types import SimpleNamespace

import numpy
from spacy.attrs import DEP, IDS, IS_SPACE, LEMMA, LOWER, MORPH, NORM, ORTH, POS, TAG
from spacy.errors import Errors
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.strings import get_string_id

FACTORY = "parley_attribute_lookup"
#: Token attributes a one-token rule may test and still be resolved by lookup: Doc.to_array gives their values
#: exactly as the Matcher reads them (token fields, or the lexeme's for ORTH/LOWER/IS_SPACE).
LOOKUP_ATTRS = {ORTH: "ORTH", LOWER: "LOWER", NORM: "NORM", TAG: "TAG", DEP: "DEP", IS_SPACE: "IS_SPACE"}
#: Attributes a rule may set here: plain token fields, which set_token_attrs and Doc.from_array both write with
#: Token.set_struct_attr (for these ids Lexeme.set_struct_attr, which set_token_attrs also calls, is a no-op).
WRITE_ATTRS = frozenset({POS, TAG, MORPH, LEMMA, DEP, NORM})
#: Distinct (TAG, LOWER, DEP, IS_SPACE) combinations remembered; past this the memo starts over (a few MB; a
#: forgotten combination is only worked out again, the same way).
MEMO_LIMIT = 50_000


def _predicate(attr: int, value):
    """A test of one attribute value (an int, as Doc.to_array gives it) mirroring the Matcher's; None when the
    value uses an operator not reproduced here. REGEX is returned as ("REGEX", pattern): it needs the string."""
    if isinstance(value, bool):
        return lambda v, want=int(value): v == want
    if isinstance(value, (int, str)):
        want = get_string_id(value)
        return lambda v: v == want
    if not isinstance(value, dict) or len(value) != 1:
        return None
    (op, arg), = value.items()
    op = op.upper()
    if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(a, (str, int)) for a in arg):
        wanted = frozenset(get_string_id(a) for a in arg)
        return (lambda v: v in wanted) if op == "IN" else (lambda v: v not in wanted)
    if op == "REGEX" and isinstance(arg, str) and attr != IS_SPACE:
        return ("REGEX", re.compile(arg))
    return None


def _equal_values(value) -> list[int]:
    """The values an attribute must have under an equality or IN test (else none: no index on it)."""
    if isinstance(value, (bool, int, str)):
        return [int(value) if isinstance(value, bool) else get_string_id(value)]
    if isinstance(value, dict) and len(value) == 1 and next(iter(value)).upper() == "IN":
        return [get_string_id(v) for v in next(iter(value.values()))]
    return []


class _Spec:
    """One token of a rule's pattern: its tests on attribute ids, its index keys, and its slot (the alternative
    pattern it belongs to, its position there)."""

    def __init__(self, spec: dict, slot: tuple[int, int]):
        self.slot, self.tests, self.keys = slot, [], []
        if not spec or not isinstance(spec, dict):
            raise ValueError("any-token spec")
        for key, value in spec.items():
            attr = IDS.get(key.upper()) if isinstance(key, str) else None
            predicate = _predicate(attr, value) if attr in LOOKUP_ATTRS else None  # OP, "_", ... are not
            if predicate is None:
                raise ValueError(f"not a lookup test: {key}={value!r}")
            self.tests.append((attr, predicate))
            if not self.keys:  # indexed by its first equality/IN test: a new combination tests only likely specs
                self.keys = [(attr, v) for v in _equal_values(value)]

    def test(self, values: dict[int, int], strings) -> bool:
        for attr, predicate in self.tests:
            if isinstance(predicate, tuple):  # REGEX: the Matcher searches the attribute's string
                if not predicate[1].search(strings[values[attr]]):
                    return False
            elif not predicate(values[attr]):
                return False
        return True


class _Alternative:
    """One pattern of a rule: without operators it matches wherever each of its tokens passes its spec."""

    def __init__(self, number: int, index: int, tokens: list):
        self.number, self.index, self.length, self.tokens = number, index, len(tokens), tokens


class FastAttributeRuler:
    """Sets what the stock AttributeRuler would set, by lookup; rules of other shapes by a small spaCy Matcher.

    A fixed-length pattern (no operators) matches exactly where each of its tokens passes its spec, so which
    specs a token passes is a function of its (TAG, LOWER, DEP, IS_SPACE) too and is remembered with it. Only
    patterns with operators or other tests go to the Matcher: even a Matcher of the model's 9 multi-token rules
    cost ~5 us a token (its Python REGEX and IN predicates run on every token).
    """

    def __init__(self, vocab, name: str = "attribute_ruler"):
        self.vocab, self.name = vocab, name
        self.attrs: list[dict[int, int]] = []  # per rule number, the stock ruler's normalised attrs
        self.alternatives: list[_Alternative] = []
        self.matcher = Matcher(vocab)
        self.indices: dict[int, int] = {}  # rule number -> target index, for the rules left to the Matcher
        self.read: list[int] = []  # attributes the specs test, in the memo key's order
        self.write: list[int] = []  # attributes any rule sets, in the from_array columns' order
        self._index: dict[tuple[int, int], list[_Spec]] = defaultdict(list)
        self._unindexed: list[_Spec] = []
        self._memo: dict[tuple, tuple] = {}
        self._source: tuple = ([], [], [])

    @staticmethod
    def supports(ruler) -> bool:
        """Whether every rule of the stock ruler sets only attributes this module writes the same way."""
        return all(set(attrs) <= WRITE_ATTRS for attrs in ruler.attrs)

    def copy_rules(self, ruler) -> "FastAttributeRuler":
        """Take the stock ruler's rules (patterns, normalised attrs, indices), in its order."""
        self._source = ([dict(p) for p in ruler.patterns], [dict(a) for a in ruler.attrs], list(ruler.indices))
        specs = []
        for number, (pattern, attrs, index) in enumerate(zip(ruler.patterns, ruler.attrs, ruler.indices)):
            self.attrs.append(dict(attrs))
            first = len(self.alternatives)
            try:
                rule_specs = [_Spec(spec, (first + a, j)) for a, tokens in enumerate(pattern["patterns"])
                              for j, spec in enumerate(tokens)]
            except ValueError:
                self.matcher.add(str(number), pattern["patterns"])
                self.indices[number] = index
                continue
            self.alternatives += [_Alternative(number, index, tokens) for tokens in pattern["patterns"]]
            specs += rule_specs
        for spec in specs:
            for key in spec.keys:
                self._index[key].append(spec)
            if not spec.keys:
                self._unindexed.append(spec)
        self.read = sorted({a for spec in specs for a, _ in spec.tests})
        self.write = sorted({a for attrs in self.attrs for a in attrs})
        return self

    def __reduce__(self):  # picklable like the stock ruler (nlp.pipe with n_process > 1 may pickle it)
        return _rebuild, (self.vocab, self.name, self._source)

    def _resolve(self, key: tuple) -> tuple:
        """For one combination of values: (numbers of the one-token rules it matches, their final (column,
        value) writes, the longer alternatives it can start, the (alternative, position) slots it passes)."""
        if len(self._memo) >= MEMO_LIMIT:
            self._memo.clear()
        values = dict(zip(self.read, key))
        candidates = {id(s): s for a, v in values.items() for s in self._index.get((a, v), ())}
        candidates.update((id(s), s) for s in self._unindexed)
        passed = {s.slot for s in candidates.values() if s.test(values, self.vocab.strings)}
        alternatives = self.alternatives
        numbers = tuple(sorted({alternatives[a].number for a, _ in passed if alternatives[a].length == 1}))
        starts = tuple(sorted(a for a, j in passed if j == 0 and alternatives[a].length > 1))
        result = self._memo[key] = (numbers, self._writes(numbers), starts, frozenset(passed))
        return result

    def _writes(self, numbers) -> tuple:
        final: dict[int, int] = {}
        for number in sorted(numbers):  # later rules override what earlier ones set, as in the stock ruler
            final.update(self.attrs[number])
        return tuple((self.write.index(a), v) for a, v in final.items())

    @staticmethod
    def _target(doc, index: int, start: int, end: int, patterns) -> int:
        position = (start if index >= 0 else end) + index
        if not start <= position < end:  # the stock ruler's own error for an index outside the match
            raise ValueError(Errors.E1001.format(patterns=patterns, span=[t.text for t in doc[start:end]],
                                                 index=index))
        return position

    def _longer_matches(self, doc, entries, targets) -> None:
        """Token position -> numbers of the multi-token rules that set it, into `targets`."""
        for i, entry in enumerate(entries):
            for a in entry[2]:
                alt = self.alternatives[a]
                end = i + alt.length
                if end <= len(entries) and all((a, j) in entries[i + j][3] for j in range(1, alt.length)):
                    targets[self._target(doc, alt.index, i, end, [alt.tokens])].add(alt.number)
        if self.indices:  # the rules left to the spaCy Matcher
            for match_id, start, end in self.matcher(doc, allow_missing=True):
                number = int(self.vocab.strings[match_id])
                patterns = self.matcher.get(str(number))[1]
                targets[self._target(doc, self.indices[number], start, end, patterns)].add(number)

    def __call__(self, doc):
        if not len(doc) or not self.write:
            return doc
        # Every rule sees the doc as it was before any rule applied, as in the stock ruler.
        keys = map(tuple, _columns(doc, self.read).tolist()) if self.read else [()] * len(doc)
        memo = self._memo
        entries = [memo.get(key) or self._resolve(key) for key in keys]
        targets: dict[int, set[int]] = defaultdict(set)
        self._longer_matches(doc, entries, targets)
        rows = _columns(doc, self.write).tolist()
        for i, entry in enumerate(entries):
            writes = self._writes(set(entry[0]) | targets[i]) if i in targets else entry[1]
            row = rows[i]
            for column, value in writes:
                row[column] = value
        doc.from_array(self.write, numpy.array(rows, dtype=numpy.uint64).reshape(len(doc), len(self.write)))
        return doc


def _columns(doc, attrs: list[int]):
    """doc.to_array(attrs) as rows of len(attrs) even for one attribute (to_array then gives a flat array)."""
    return doc.to_array(attrs).reshape(len(doc), len(attrs))


def _rebuild(vocab, name, source):
    patterns, attrs, indices = source
    return FastAttributeRuler(vocab, name).copy_rules(SimpleNamespace(patterns=patterns, attrs=attrs,
                                                                       indices=indices))


@Language.factory(FACTORY)
def make_fast_attribute_ruler(nlp, name: str):
    return FastAttributeRuler(nlp.vocab, name)


def swap_in(nlp, name: str = "attribute_ruler"):
    """Replace the stock ruler `name` of `nlp` by the lookup version of its own rules (same name and place).
    Leaves the stock ruler when there is none or when it sets what this module does not reproduce."""
    if name not in nlp.pipe_names or not FastAttributeRuler.supports(stock := nlp.get_pipe(name)):
        return nlp
    fast = nlp.replace_pipe(name, FACTORY)
    fast.copy_rules(stock)
    return nlp
