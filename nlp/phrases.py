"""Find many fixed phrases in a text at once (Aho-Corasick, linear in the text).

Used by the alias registry and the cue lexicons. CJK phrases match exactly;
Latin phrases of four letters or more match in any letter case (short ones,
such as AMD, TSMC, US, keep theirs); a Latin phrase must not continue a Latin
word or number on either side. Overlaps resolve leftmost first, then longest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

import ahocorasick

from nlp.figures.numerals import ascii_lower

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PhraseMatch(Generic[T]):
    start: int
    end: int
    text: str
    payload: T


def case_blind(phrase: str) -> bool:
    letters = [ch for ch in phrase if ch.isalpha()]
    return len(letters) >= 4 and all(ch.isascii() for ch in letters)


class PhraseMatcher(Generic[T]):
    def __init__(self, phrases: Iterable[tuple[str, T]]) -> None:
        self._exact = ahocorasick.Automaton()
        self._folded = ahocorasick.Automaton()
        for phrase, payload in phrases:
            if not phrase:
                continue
            if case_blind(phrase):
                key = ascii_lower(phrase)
                if key not in self._folded:
                    self._folded.add_word(key, (len(phrase), payload))
            elif phrase not in self._exact:
                self._exact.add_word(phrase, (len(phrase), payload))
        for auto in (self._exact, self._folded):
            if len(auto):
                auto.make_automaton()

    def find_all(self, text: str) -> list[PhraseMatch[T]]:
        """Every occurrence, overlaps included, sorted by start then longest."""
        found: list[PhraseMatch[T]] = []
        for auto, haystack in ((self._exact, text), (self._folded, None)):
            if not len(auto):
                continue
            if haystack is None:
                haystack = ascii_lower(text)
            for end_index, (length, payload) in auto.iter(haystack):
                start, end = end_index + 1 - length, end_index + 1
                if latin_edges_ok(text, start, end):
                    found.append(PhraseMatch(start, end, text[start:end], payload))
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        return found

    def find(self, text: str) -> list[PhraseMatch[T]]:
        """Leftmost-longest occurrences that never overlap."""
        out: list[PhraseMatch[T]] = []
        last_end = -1
        for match in self.find_all(text):
            if match.start >= last_end:
                out.append(match)
                last_end = match.end
        return out


def latin_edges_ok(text: str, start: int, end: int) -> bool:
    """A Latin phrase must not continue a Latin word or number on either side."""
    if start > 0 and text[start].isascii() and text[start].isalnum():
        before = text[start - 1]
        if before.isascii() and (before.isalnum() or before == "_"):
            return False
    if end < len(text) and text[end - 1].isascii() and text[end - 1].isalnum():
        after = text[end]
        if after.isascii() and (after.isalnum() or after == "_"):
            return False
    return True
