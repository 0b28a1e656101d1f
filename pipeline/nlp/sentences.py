"""Sentences with paragraph ids and offsets into the article text.

spaCy gives the boundaries; a paragraph break (a newline in the cleaned text) always ends a sentence,
so no sentence spans two paragraphs, and surrounding whitespace is trimmed off each span.
"""
from __future__ import annotations

import bisect
import re

from pipeline.nlp.document import Sentence

PARAGRAPH = re.compile(r"[^\n]+")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in PARAGRAPH.finditer(text) if m.group().strip()]


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) moved inward past white space at both ends: the one trimming of a span of text."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(article_id: str, text: str, doc) -> list[Sentence]:
    """Sentence rows for one article; `doc` is spaCy's parse of exactly `text`."""
    boundaries = sorted({s.start_char for s in doc.sents} | {0})
    out: list[Sentence] = []
    for p_index, (p_start, p_end) in enumerate(paragraph_spans(text)):
        inside = boundaries[bisect.bisect_right(boundaries, p_start):bisect.bisect_left(boundaries, p_end)]
        cuts = [p_start, *inside, p_end]
        for start, end in zip(cuts, cuts[1:]):
            start, end = trim(text, start, end)
            if start < end:
                n = len(out)
                out.append(Sentence(f"{article_id}-s{n:04d}", f"{article_id}-p{p_index:03d}",
                                    start, end, text[start:end]))
    return out
