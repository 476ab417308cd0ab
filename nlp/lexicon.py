"""The word lists of the claim stage (nlp/data/claims.toml), loaded once.

Kept apart from the code that reads them so that a reviewer can add a word
(a pronoun, a preposition, an attribution frame) without touching logic.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from nlp.errors import NlpError
from nlp.figures.lexicon import alternation as trie_alternation


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words that tries the longest first (so 该公司
    beats 公司). Written as a trie (`nlp.figures.lexicon.alternation`: "the chip"
    and "the chipmaker" try "the chip" once; a third of the time on the English
    pronoun list) unless one word is the start of another but for case (The and
    the company): under IGNORECASE the trie could take the shorter one's branch
    first, and only the flat list still tries the longer word first."""
    unique = set(words)
    if _prefix_but_for_case(unique):
        return "|".join(re.escape(w) for w in sorted(unique, key=lambda w: (-len(w), w)))
    return trie_alternation(unique)


def _prefix_but_for_case(words: Iterable[str]) -> bool:
    """Whether one of `words` begins another ignoring case, but not as written."""
    folded = sorted((word.lower(), word) for word in words)
    for index, (short, word) in enumerate(folded):
        for longer, other in folded[index + 1 :]:
            if not longer.startswith(short):
                break
            if not other.startswith(word):
                return True
    return False


@dataclass(frozen=True)
class ClaimWords:
    raw: dict

    def clause_breaks(self, lang: str) -> re.Pattern[str]:
        patterns = self.raw["clauses"].get(lang) or self.raw["clauses"]["zh"]
        return re.compile("|".join(f"(?:{p})" for p in patterns))

    def subject(self, key: str) -> list[str]:
        return list(self._section("subjects").get(key, []))

    def figures(self) -> dict:
        return self._section("figures")

    def source(self, key: str) -> list[str]:
        return list(self._section("sources").get(key, []))

    def _section(self, name: str) -> dict:
        section = self.raw.get(name)
        if not isinstance(section, dict):
            raise NlpError(f"claims.toml: missing [{name}]")
        return section


@cache
def load_claim_words() -> ClaimWords:
    text = resources.files("nlp").joinpath("data/claims.toml").read_text("utf-8")
    return ClaimWords(tomllib.loads(text))
