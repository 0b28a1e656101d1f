"""A cheap language guess: English when its commonest function words make up a normal share of the words."""
from __future__ import annotations

import re

_EN = frozenset("the of and to in a is that for on with as was were by at from it be has have are said".split())
_WORD = re.compile(r"[^\W\d_]+")


def guess_language(text: str) -> str:
    words = [w.lower() for w in _WORD.findall(text[:20000])]
    if len(words) < 5:
        return "und"
    return "en" if sum(w in _EN for w in words) / len(words) >= 0.12 else "und"
