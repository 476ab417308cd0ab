"""A set of spans of one text, asked whether a position or a span falls in it (bisect)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence


class SpanSet:
    """Sorted, non-overlapping spans of a document, asked whether they hold a position."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self._starts = [start for start, _ in self.spans]

    def contains(self, position: int) -> bool:
        index = bisect_right(self._starts, position) - 1
        return index >= 0 and self.spans[index][0] <= position < self.spans[index][1]

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect_right(self._starts, start) - 1
        if index >= 0 and self.spans[index][1] > start:
            return True
        following = index + 1
        return following < len(self.spans) and self.spans[following][0] < end

    def add(self, start: int, end: int) -> None:
        index = bisect_right(self._starts, start)
        self._starts.insert(index, start)
        self.spans.insert(index, (start, end))
