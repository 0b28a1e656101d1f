"""The one way a word list of reference YAML becomes a regular-expression alternation.

Round cues, dates, places, claims and quote markers all match word lists as `a|b|c`; written once, the longest
words come first (so "half an" is tried before "an") and a space in a phrase matches any run of white space.
"""
from __future__ import annotations

import re
from collections.abc import Iterable


def alternation(words: Iterable[str], space: str = r"\s+") -> str:
    """'half\\s+an|an|a' from ['a', 'an', 'half an']: each word escaped, longest first, spaces matched by `space`."""
    return "|".join(re.escape(w).replace(r"\ ", space) for w in sorted(set(words), key=lambda w: (-len(w), w)))
