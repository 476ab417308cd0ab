"""The word tables of `nlp/data/figures.toml`, compiled for lookups at a position.

A lookup asks: which listed word starts exactly here? The longest one wins,
and a word in the text's own letter case beats one matched case-blind. Each
lookup costs at most one comparison per listed word sharing the first
character, so scanning stays linear in the text.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from nlp.figures.numerals import ascii_lower


@dataclass(frozen=True, slots=True)
class Word:
    surface: str
    category: str
    payload: Any = None

    @property
    def latin(self) -> bool:
        return self.surface[:1].isascii() and self.surface[:1].isalpha()

    @property
    def case_sensitive(self) -> bool:
        """Short Latin symbols (GB, Gb, W, k, bn, pp) keep their case."""
        return len(self.surface) <= 3 or not self.surface.isalpha()


class WordTable:
    def __init__(self, words: list[Word]) -> None:
        self._by_first: dict[str, list[Word]] = {}
        self._by_last: dict[str, list[Word]] = {}
        for word in sorted(words, key=lambda w: -len(w.surface)):
            self._by_first.setdefault(ascii_lower(word.surface[0]), []).append(word)
            self._by_last.setdefault(ascii_lower(word.surface[-1]), []).append(word)

    def longest_at(
        self, text: str, lowered: str, pos: int, categories: frozenset[str] | None = None
    ) -> Word | None:
        """The longest word of `categories` starting at `pos`, or None."""
        if pos >= len(text):
            return None
        best: Word | None = None
        for word in self._by_first.get(lowered[pos], ()):
            if best is not None and len(word.surface) < len(best.surface):
                break
            if categories is not None and word.category not in categories:
                continue
            end = pos + len(word.surface)
            if word.case_sensitive or not word.latin:
                if not text.startswith(word.surface, pos):
                    continue
            elif lowered[pos:end] != ascii_lower(word.surface):
                continue
            if word.surface[-1].isascii() and word.surface[-1].isalnum() and _alnum_at(text, end):
                continue
            if best is None or (
                text.startswith(word.surface, pos) and not text.startswith(best.surface, pos)
            ):
                best = word
        return best

    def ending_at(self, text: str, lowered: str, end: int) -> Word | None:
        """The longest word ending exactly at `end` (words written before a number)."""
        if end <= 0:
            return None
        for word in self._by_last.get(lowered[end - 1], ()):
            start = end - len(word.surface)
            if start < 0:
                continue
            if word.case_sensitive or not word.latin:
                if not text.startswith(word.surface, start):
                    continue
            elif lowered[start:end] != ascii_lower(word.surface):
                continue
            if word.latin and start > 0 and _alnum_at(text, start - 1):
                continue
            return word
        return None


def _alnum_at(text: str, pos: int) -> bool:
    return pos < len(text) and text[pos].isascii() and text[pos].isalnum()


@dataclass(frozen=True)
class Lexicon:
    suffixes: WordTable  # scale words, units, currencies, dates written after a number
    prefixes: WordTable  # currency signs and words written before a number
    qualifiers_before: WordTable
    qualifiers_after: WordTable
    yen_sign: dict[str, str]
    vague_cjk: tuple[str, ...]
    vague_latin: tuple[str, ...]
    en_not_nouns: frozenset[str]
    name_families: tuple[str, ...]
    months_en: tuple[str, ...]


@cache
def load_lexicon() -> Lexicon:
    raw = tomllib.loads(
        resources.files("nlp").joinpath("data/figures.toml").read_text(encoding="utf-8")
    )
    suffixes: list[Word] = []
    for surface, factor in raw["scale"]["cjk"].items():
        suffixes.append(Word(surface, "scale", factor))
    for surface, factor in raw["scale"]["latin"].items():
        suffixes.append(Word(surface, "scale", factor))
    for surface, factor in raw["scale"]["latin_money_only"].items():
        suffixes.append(Word(surface, "money_scale", factor))
    for surface, code in raw["currency"]["suffix"].items():
        suffixes.append(Word(surface, "currency", code))
    for surface in raw["percent"]["suffix"]:
        suffixes.append(Word(surface, "percent"))
    for surface in raw["percent"]["tenths"]:
        suffixes.append(Word(surface, "percent_tenths"))
    for surface in raw["percentage_point"]["suffix"]:
        suffixes.append(Word(surface, "percentage_point"))
    for surface in raw["percentage_point"]["basis"]:
        suffixes.append(Word(surface, "basis_point"))
    for surface in raw["multiple"]["suffix"]:
        suffixes.append(Word(surface, "multiple"))
    for surface, unit in raw["dimension"].items():
        suffixes.append(Word(surface, "dimension", unit))
    for surface, unit in raw["duration"].items():
        suffixes.append(Word(surface, "duration", unit))
    for surface in raw["count"]["cjk"]:
        suffixes.append(Word(surface, "count"))
    for surface in raw["dates"]["cjk_after"]:
        suffixes.append(Word(surface, "date"))
    for surface in raw["dates"]["en_after"]:
        suffixes.append(Word(surface, "ordinal"))
    for surface in ("多", "余", "餘", "有余", "有餘", "+"):
        suffixes.append(Word(surface, "inside_more"))

    prefixes = [Word(s, "currency", code) for s, code in raw["currency"]["prefix"].items()]
    prefixes += [Word(s, "yen") for s in ("¥", "￥", "JP¥", "CN¥")]

    def qualifier_table(section: dict[str, list[str]]) -> WordTable:
        return WordTable([Word(s, name) for name, words in section.items() for s in words])

    return Lexicon(
        suffixes=WordTable(suffixes),
        prefixes=WordTable(prefixes),
        qualifiers_before=qualifier_table(raw["qualifier"]["before"]),
        qualifiers_after=qualifier_table(raw["qualifier"]["after"]),
        yen_sign=dict(raw["currency"]["yen_sign"]),
        vague_cjk=tuple(raw["vague"]["cjk_prefix"]),
        vague_latin=tuple(raw["vague"]["latin"]),
        en_not_nouns=frozenset(raw["count"]["en_not_nouns"]),
        name_families=tuple(raw["names"]["families"]),
        months_en=tuple(raw["names"]["months_en"]),
    )
