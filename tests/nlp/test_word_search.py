"""WordSearch finds what `\\b(?:words)\\b` (or the plain alternation) finds."""

from __future__ import annotations

import random
import re

import pytest

from nlp.lexicon import alternation
from nlp.word_search import WordSearch

WORDS = [
    "it",
    "its",
    "company",
    "the company",
    "the company's",
    "The GPU",
    "the chip",
    "each rack",
    "said",
]


def reference(words: list[str], whole_words: bool, ignore_case: bool, text: str) -> list:
    body = alternation(words)
    pattern = rf"\b(?:{body})\b" if whole_words else body
    return [m.span() for m in re.finditer(pattern, text, re.I if ignore_case else 0)]


def random_texts(count: int) -> list[str]:
    rng = random.Random(3)
    pieces = [
        "it", "It", "ITS", "bit", "its", "with", "the", "The", "company", "Company's", "'s",
        "GPU", "gpu", "chip", "chips", "each", "rack", "said", "Said", "_", "x", "9", "é",
        " ", "  ", ".", ",", "-", "（", "公司", "据", "によると",
    ]  # fmt: skip
    return ["".join(rng.choices(pieces, k=rng.randrange(1, 30))) for _ in range(count)]


@pytest.mark.parametrize(
    ("whole_words", "ignore_case"), [(True, True), (True, False), (False, False), (False, True)]
)
def test_same_spans_as_the_regular_expression(whole_words: bool, ignore_case: bool) -> None:
    search = WordSearch(WORDS, whole_words, ignore_case)
    found = 0
    for text in random_texts(3000):
        spans = search.spans(text)
        assert spans == reference(WORDS, whole_words, ignore_case, text), text
        found += len(spans)
    assert found > 200


def test_words_it_cannot_speed_up_are_searched_as_written() -> None:
    for words in (["'s", "its"], ["Été", "it"]):  # begins outside \w; a letter A-Z lowering misses
        search = WordSearch(words, whole_words=True, ignore_case=True)
        for text in [*random_texts(500), "ÉTÉ it 's", "été, It"]:
            assert search.spans(text) == reference(words, True, True, text)


def test_no_words_find_nothing() -> None:
    assert WordSearch([], whole_words=True, ignore_case=True).spans("anything at all") == []
