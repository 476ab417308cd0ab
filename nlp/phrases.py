"""Find many fixed phrases in a text at once (Aho-Corasick, linear in the text).

Used by the alias registry and the cue lexicons. CJK phrases match exactly;
Latin phrases of four letters or more match in any letter case (short ones,
such as AMD, TSMC, US, keep theirs); a Latin phrase must not continue a Latin
word or number on either side. Overlaps resolve leftmost first, then longest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

import ahocorasick

from nlp.figures.numerals import ascii_lower

T = TypeVar("T")


@dataclass(slots=True)  # not frozen: made by the hundred a page, and a plain __init__ is faster
class PhraseMatch(Generic[T]):
    start: int
    end: int
    text: str
    payload: T


def case_blind(phrase: str) -> bool:
    letters = [ch for ch in phrase if ch.isalpha()]
    return len(letters) >= 4 and all(ch.isascii() for ch in letters)


class PhraseMatcher(Generic[T]):
    """Phrases in three automata: case-blind Latin ones (matched on the lower-cased
    text), phrases that begin with an ASCII character, and the rest (CJK). An
    automaton scans every character of the text, and one whose root has hundreds of
    first characters (the CJK aliases) spends most of its time there, so it runs
    only on a text that holds one of its phrases' first characters: an English
    text never pays for the Chinese phrases."""

    def __init__(self, phrases: Iterable[tuple[str, T]]) -> None:
        ascii_first: ahocorasick.Automaton = ahocorasick.Automaton()
        other_first: ahocorasick.Automaton = ahocorasick.Automaton()
        folded: ahocorasick.Automaton = ahocorasick.Automaton()
        for phrase, payload in phrases:
            if not phrase:
                continue
            if case_blind(phrase):
                key = ascii_lower(phrase)
                if key not in folded:
                    folded.add_word(key, (len(phrase), payload))
                continue
            exact = ascii_first if phrase[0].isascii() else other_first
            if phrase not in exact:
                exact.add_word(phrase, (len(phrase), payload))
        # (automaton, runs on the lower-cased text, first characters that let it run)
        self._scans: list[tuple[ahocorasick.Automaton, bool, re.Pattern[str] | None]] = []
        for auto, lowered in ((ascii_first, False), (other_first, False), (folded, True)):
            if len(auto):
                auto.make_automaton()
                firsts = sorted({str(word)[0] for word in auto.keys()})
                gate = re.compile(f"[{''.join(map(re.escape, firsts))}]") if not lowered else None
                self._scans.append((auto, lowered, gate))

    def find_all(self, text: str) -> list[PhraseMatch[T]]:
        """Every occurrence, overlaps included, sorted by start then longest."""
        found: list[PhraseMatch[T]] = []
        lowered: str | None = None
        for auto, on_lowered, gate in self._scans:
            if on_lowered:
                haystack = lowered = lowered if lowered is not None else ascii_lower(text)
            else:
                haystack = text
                if gate is not None and gate.search(text) is None:
                    continue  # none of its phrases can start anywhere in this text
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
