"""Spans already taken by an extractor: whether a new one overlaps them is a bisection, not a scan."""
from __future__ import annotations

import bisect


class DisjointSpans:
    """Disjoint (start, end) spans kept sorted. A long article holds thousands of dates and numbers, and checking
    each new match against every span taken before made their extraction quadratic in the article's length."""

    def __init__(self):
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end) - 1  # the last span starting before `end` ends furthest right
        return i >= 0 and self.ends[i] > start

    def append(self, span: tuple[int, int]) -> None:
        """Add a span that overlaps none taken before."""
        i = bisect.bisect_left(self.starts, span[0])
        self.starts.insert(i, span[0])
        self.ends.insert(i, span[1])
