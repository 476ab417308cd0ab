"""What a number without a unit counts in English: the head of the noun phrase
after it (12 companies, 350,000 H100 GPUs, 1.2 million foldable phones, three
more fabs, tens of thousands of GPUs)."""

from __future__ import annotations

import re

from nlp.figures.candidate import Candidate
from nlp.figures.lexicon import Lexicon
from nlp.figures.scan import Page

_CURRENCY = frozenset(["currency"])


class CountedNouns:
    """Reads counted nouns after numbers; built once per lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        self._months = frozenset(w.surface.lower() for w in lexicon.months_en.words("month"))

    def count(self, page: Page, cand: Candidate) -> None:
        """What a number counts is the head of the noun phrase after it: 12
        companies, 350,000 H100 GPUs, 1.2 million foldable phones, three more
        fabs. The surface takes the noun in only when it follows the number."""
        sh = page.sh
        if sh[cand.end : cand.end + 1] != " ":
            return  # glued letters are a name (910B), handled with names
        phrase = self._noun_phrase(page, cand.end + 1)
        if not phrase:
            if cand.source == "vague" and page.low.startswith("of ", cand.end + 1):
                self._vague_of(page, cand, cand.end + 4)
            return
        head = _head_noun(phrase, cand.value)
        cand.kind, cand.unit = "count", head.group()
        if head is phrase[0] and head.start() == cand.end + 1:
            cand.end = head.end()

    def _noun_phrase(self, page: Page, at: int) -> list[re.Match[str]]:
        """Up to three words after `at` that can be part of a noun phrase, stopping
        at a function word, a verb-like word listed as no noun, or punctuation;
        adjectives such as "more" and "new" are passed over."""
        words: list[re.Match[str]] = []
        while len(words) < 3:
            word = (_LATIN_NOUN if not words else _LATIN_WORD).match(page.sh, at)
            if word is None or not any(ch.isalpha() for ch in word.group()):
                break  # H100 and 910B may stand in the phrase, bare digits not
            lowered = word.group().lower()
            if lowered not in self.lex.en_between:
                if not words and self.noun_at(page, at) is None:
                    break
                if lowered in self.lex.en_not_nouns or lowered in self._months:
                    break
                words.append(word)
            if page.sh[word.end() : word.end() + 1] != " ":
                break
            at = word.end() + 1
        return words

    def noun_at(self, page: Page, at: int) -> re.Match[str] | None:
        """The Latin word at `at` (after one space) when it can be a counted noun."""
        if page.sh[at : at + 1] == " ":
            at += 1
        noun = _LATIN_NOUN.match(page.sh, at)
        if noun is None or noun.group().lower() in self.lex.en_not_nouns:
            return None
        currency = self.lex.prefixes.longest_at(page.sh, page.low, at, digits_after=True)
        if currency is not None and noun.group()[len(currency.surface) :].isdigit():
            return None  # USD50: a price, not a noun
        return noun

    def _vague_of(self, page: Page, cand: Candidate, at: int) -> None:
        """tens of thousands of GPUs / of dollars: what the vague amount counts."""
        word = self.lex.suffixes[page.lang].longest_at(page.sh, page.low, at, _CURRENCY)
        if word is not None:
            cand.kind, cand.currency = "money", str(word.payload).partition(":")[0]
            cand.end = at + len(word.surface)  # billions of dollars
            return
        noun = self.noun_at(page, at)
        if noun is not None:
            cand.kind, cand.unit = "count", noun.group()


_LATIN_NOUN = re.compile(r"[A-Za-z][A-Za-z0-9\-]*(?:'s)?")
_LATIN_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]*")


def _head_noun(phrase: list[re.Match[str]], value: float | None) -> re.Match[str]:
    """The head of "H100 GPUs" or "data center GPUs" is the plural at the end; with
    no plural ("people", or one thing) the first word."""
    if value is not None and value != 1:
        for word in reversed(phrase):
            if word.group().endswith("s") and not word.group().endswith("'s"):
                return word
    return phrase[0]
