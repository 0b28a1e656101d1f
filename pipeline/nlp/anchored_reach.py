"""Where an anchored pattern can reach in a doc (pipeline/nlp/anchored.py): the tokens an element may accept,
read with numpy from doc.to_array (a superset: tests other than equality and IN are left out), the runs of such
tokens an unbounded element may cover, the window around each anchor token, and the merged windows."""
from __future__ import annotations

import numpy
from spacy.attrs import ENT_IOB, HEAD, IDS, IDX, MORPH, SENT_START
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token


def _plain_spec(spec: dict) -> dict:
    return {k: v for k, v in spec.items() if not (isinstance(k, str) and k.upper() == "OP")}


class _Runs:
    """Where the tokens a spec may accept run in a doc: for each token, the first and last token of its run
    (t + 1 and t - 1 off a run), and their running min from the right and max from the left."""

    def __init__(self, mask: numpy.ndarray):
        n, idx = len(mask), numpy.arange(len(mask))
        begin = mask & ~numpy.r_[False, mask[:-1]]
        finish = mask & ~numpy.r_[mask[1:], False]
        first = numpy.maximum.accumulate(numpy.where(begin, idx, 0))
        last = numpy.minimum.accumulate(numpy.where(finish, idx, n - 1)[::-1])[::-1]
        self.start, self.end = numpy.where(mask, first, idx + 1), numpy.where(mask, last, idx - 1)
        self.smin = numpy.minimum.accumulate(self.start[::-1])[::-1]
        self.pmax = numpy.maximum.accumulate(self.end)


class Columns(dict):
    """doc.to_array columns, read once per attribute."""

    def __init__(self, doc: Doc):
        super().__init__()
        self.doc = doc

    def __missing__(self, attr: int) -> numpy.ndarray:
        self[attr] = self.doc.to_array([attr]).reshape(-1)
        return self[attr]


def spec_mask(spec: dict, doc: Doc, columns: Columns) -> numpy.ndarray:
    """The tokens that may pass a token spec: its tests on token attributes, flags and extensions that are plain
    equality or IN are applied, any other test is left out (a superset: the windows can only grow)."""
    mask = numpy.ones(len(doc), dtype=bool)
    for name, value in _plain_spec(spec).items():
        name = name.upper() if isinstance(name, str) else name
        if name == "_" and isinstance(value, dict):
            for ext, test in value.items():
                allowed = test.get("IN") if isinstance(test, dict) and set(test) == {"IN"} else [test]
                if all(isinstance(v, str) for v in allowed):
                    got = extension_values(doc, ext, columns)
                    mask &= numpy.array([not isinstance(g, str) or g in allowed for g in got], dtype=bool)
            continue
        attr = IDS.get("ORTH" if name == "TEXT" else name)
        values = value.get("IN") if isinstance(value, dict) and set(value) == {"IN"} else [value]
        if attr is None or attr in (ENT_IOB, MORPH, SENT_START, HEAD) or not isinstance(values, list):
            continue
        if all(isinstance(v, bool) for v in values) and name.startswith(("IS_", "LIKE_")):
            mask &= numpy.isin(columns[attr], [int(v) for v in values])
        elif all(isinstance(v, str) and not isinstance(v, bool) for v in values):
            mask &= numpy.isin(columns[attr], numpy.array([get_string_id(v) for v in values], dtype="uint64"))
    return mask


def extension_values(doc: Doc, name: str, columns: Columns) -> list:
    """token._.get(name) for every token; a plain stored value is read from doc.user_data, where spaCy's
    Underscore keeps it, without making an Underscore object per token."""
    default, method, getter, _ = Token.get_extension(name) or (None, None, None, None)
    if getter is not None or method is not None or isinstance(default, (list, dict, set)):
        return [tok._.get(name) for tok in doc]
    data = doc.user_data
    return [data.get(("._.", name, i, None), default) for i in columns[IDX].tolist()]


def reach(hits: numpy.ndarray, shape: tuple, runs, n: int) -> tuple[numpy.ndarray, numpy.ndarray]:
    """(first, end) token of the window around each anchor hit: outward over the shape's elements, an unbounded
    one reaching the end of the furthest run of its tokens that may start inside the reach so far."""
    before, own, after = shape
    if isinstance(own, int):
        left, right = hits - (own - 1), hits + (own - 1)
    else:
        left, right = numpy.minimum(runs[own].start[hits], hits), numpy.maximum(runs[own].end[hits], hits)
    for most in after:
        if isinstance(most, int):
            right = right + most
        else:
            right = numpy.maximum(right, runs[most].pmax[numpy.minimum(right + 1, n - 1)])
    for most in before:
        if isinstance(most, int):
            left = left - most
        else:
            left = numpy.minimum(left, runs[most].smin[numpy.maximum(left - 1, 0)])
    return numpy.maximum(left, 0), numpy.minimum(right + 1, n)


def merge(windows) -> list[tuple[int, int]]:
    """Sorted (start, end) windows with those that overlap or touch merged."""
    out: list[list[int]] = []
    for s, e in sorted(windows):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]
