"""Two readings of one article put together: the density text and trafilatura's.

On a Chinese page the density reading (`extract_density`) finds the right
container more often, and trafilatura judges single elements better once it
is in the right place. So the density text is the base; a short, sentence-less
line of it that trafilatura left out is a widget ("转播到腾讯微博") and goes,
when the two found the same article; a prose line only trafilatura found (a
lead in a box of its own) comes in, after the line it follows in trafilatura.

Lines are compared by their letters and digits only (no spaces, punctuation
or table bars), first as substrings of the other text joined into one string,
which is fast and settles nearly every line; a line that is not found whole
falls back to its character 4-grams.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable

SHINGLE = 4
COVERED = 0.8  # a line with this share of its 4-grams in the other text is in it
AGREEMENT = 0.8  # both found the same article when trafilatura holds this share of ours
_NOT_WORD = re.compile(r"[\W_]+")


def letters(line: str) -> str:
    """The letters, digits and hanzi of a line, as one string."""
    return _NOT_WORD.sub("", line)


def shingles(key: str) -> set[str]:
    if not key:
        return set()
    return {key[i : i + SHINGLE] for i in range(max(1, len(key) - SHINGLE + 1))}


class Text:
    """Lines of text, joined into one string of their letters, that can say which of
    its lines holds a given piece of another text."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.keys = [letters(line) for line in lines]
        self.joined = "".join(self.keys)
        self.starts: list[int] = []
        offset = 0
        for key in self.keys:
            self.starts.append(offset)
            offset += len(key)
        self._shingles: set[str] | None = None

    def _line_at(self, offset: int) -> int:
        return max(0, bisect_right(self.starts, offset) - 1)

    def _all_shingles(self) -> set[str]:
        if self._shingles is None:
            self._shingles = shingles(self.joined)
        return self._shingles

    def contains(self, key: str) -> bool:
        """Whether most of `key` (a line's letters) is in this text."""
        if not key:
            return False
        if key in self.joined:
            return True
        grams = shingles(key)
        return len(grams & self._all_shingles()) >= COVERED * len(grams)

    def where(self, key: str) -> int | None:
        """The line where `key` ends in this text, or None when most of it is not here."""
        if not self.contains(key):
            return None
        at = self.joined.find(key)
        if at >= 0:
            return self._line_at(at + len(key) - 1)
        for start in range(len(key) - SHINGLE, -1, -1):  # the last 4-gram found
            at = self.joined.find(key[start : start + SHINGLE])
            if at >= 0:
                return self._line_at(at)
        return None


def drop_widgets(density: list[str], other: Text, is_prose: Callable[[str], bool]) -> list[str]:
    """`density` without the sentence-less lines `other` left out, when `other` holds
    most of `density` (it found the same article)."""
    keys = [letters(line) for line in density]
    total = sum(len(key) for key in keys)
    found = sum(len(key) for key in keys if other.contains(key))
    if not total or found < AGREEMENT * total:
        return density
    return [
        line
        for line, key in zip(density, keys, strict=True)
        if is_prose(line) or other.contains(key)
    ]


def add_missing_prose(
    density: list[str], other: list[str], is_prose: Callable[[str], bool]
) -> list[str]:
    """`density` plus the prose lines of `other` it lacks, each put after the density
    line that holds the `other` line before it. Only lines before the last line
    both share are added: what follows the article in trafilatura's text is mostly
    comments and notices."""
    base = Text(density)
    places = [base.where(letters(line)) for line in other]
    shared = [index for index, place in enumerate(places) if place is not None]
    if not shared:
        return density
    added: dict[int, list[str]] = {}
    after = -1  # the density line the next added line follows
    for index, line in enumerate(other[: shared[-1]]):
        place = places[index]
        if place is not None:
            after = place
        elif is_prose(line):
            added.setdefault(after, []).append(line)
    merged = list(added.get(-1, []))
    for number, line in enumerate(density):
        merged.append(line)
        merged.extend(added.get(number, []))
    return merged
