"""Numbers as written in news text -> their value: the one number reader of the NLP layer.

Digits ("1,000", "6.5", "6.5bn"), cardinal words ("five hundred", "Eighteen", "twenty-five") read by the
maintained `number-parser` package, and the shapes it leaves out, whose words are data in claims.yaml:
halves ("four and a half"), fractions ("a fifth", "two thirds"), a lone article before a scale or unit
("a million", "an hour"), multipliers ("a dozen", "two million", "$40bn").

Claims, outcomes, round mentions and dates call `parse_number` instead of keeping word tables of their own,
so that "five hundred prisoners" is 500 wherever it is read.
"""
from __future__ import annotations

import functools
import re

import number_parser

from pipeline.reference import load_reference

#: Only English articles are extracted: naming the language spares number-parser guessing it, which rebuilds the
#: tables of all its languages on every call (a fifth of all extraction time in a profile of 40 articles); its
#: answers depend on the words alone, so each distinct text is also read once per process.
_parse_words = functools.lru_cache(maxsize=8192)(functools.partial(number_parser.parse_number, language="en"))
parse_ordinal = functools.lru_cache(maxsize=8192)(functools.partial(number_parser.parse_ordinal, language="en"))

DIGITS = re.compile(r"^(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<dec>\d+))?$")
ORDINAL = re.compile(r"(?:th|third)$")  # "a third", "a fifth", "a tenth"; never "second" (a time unit)
HALF = re.compile(r"^(?P<whole>.+?)\s+and\s+an?\s+half$")


@functools.lru_cache(maxsize=None)
def _words() -> dict:
    lex = load_reference("claims")
    return {
        "scales": {k.lower(): float(v) for k, v in lex["scales"].items()},
        "fractions": {k.lower(): float(v) for k, v in lex["fraction_words"].items()},
        "one": {w.lower() for w in lex["article_one"]},
    }


@functools.lru_cache(maxsize=65_536)  # a pure function of the text; round mentions read the same phrases again
def parse_number(text: str | None) -> float | None:
    """The value of a number as written, or None when the text is not a number.

    >>> parse_number("five hundred"), parse_number("4.5"), parse_number("four and a half"), parse_number("a fifth")
    (500.0, 4.5, 4.5, 0.2)
    """
    if not text:
        return None
    words = " ".join(text.lower().replace("-", " ").split())
    if not words:
        return None
    half = HALF.match(words)
    if half:
        whole = parse_number(half.group("whole"))
        return None if whole is None else whole + 0.5
    parts = words.split(" ")
    lex = _words()
    if len(parts) == 2 and parts[0] in lex["fractions"] and parts[1] in lex["one"]:
        return 1.0 / lex["fractions"][parts[0]]  # 'half an (hour)', 'a quarter of' is read below
    fraction = _fraction(parts, lex)
    if fraction is not None:
        return fraction
    scale = 1.0
    while len(parts) > 1 and parts[-1] in lex["scales"] and _is_multiplier(parts[:-1], lex):
        scale *= lex["scales"][parts.pop()]
    value = _plain(" ".join(parts), lex)
    return None if value is None else value * scale


def _is_multiplier(head: list[str], lex: dict) -> bool:
    """'6.5 million', 'a dozen', 'two million': a scale multiplies the number before it when that number is
    digits, an article or a word number ending below a thousand ('two hundred thousand' is read whole)."""
    text = " ".join(head)
    return bool(DIGITS.match(text)) or text in lex["one"] or (
        _parse_words(text) is not None and head[-1] not in lex["scales"])


def _plain(text: str, lex: dict) -> float | None:
    digits = DIGITS.match(text)
    if digits:
        return float(digits.group("n").replace(",", "") + ("." + digits.group("dec") if digits.group("dec") else ""))
    if text in lex["one"]:
        return 1.0
    if text in lex["scales"]:
        return lex["scales"][text]
    value = _parse_words(text)
    return float(value) if isinstance(value, (int, float)) else None


def _fraction(parts: list[str], lex: dict) -> float | None:
    """'a fifth', 'one third', 'two thirds', 'a quarter', 'half' -> 0.2, 0.333.., 0.666.., 0.25, 0.5."""
    last = parts[-1]
    singular = last[:-1] if last.endswith("s") else last
    if singular in lex["fractions"]:
        denominator = lex["fractions"][singular]
    elif len(parts) > 1 and ORDINAL.search(singular) and parse_ordinal(singular):
        denominator = float(parse_ordinal(singular))
    else:
        return None
    if len(parts) == 1:
        return 1.0 / denominator if last in lex["fractions"] else None
    numerator = _plain(" ".join(parts[:-1]), lex)
    return None if numerator is None else numerator / denominator
