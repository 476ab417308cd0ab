"""Word alternations match what a plain longest-first list of the words matches."""

from __future__ import annotations

import random
import re

import pytest

from nlp.lexicon import alternation


def longest_first(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def test_the_longest_word_wins_and_no_words_match_nothing() -> None:
    assert re.match(f"(?:{alternation(['公司', '该公司'])})", "该公司的").group() == "该公司"
    chip = re.compile(rf"\b(?:{alternation(['the chip', 'the chipmaker', 'the GPU'])})", re.I)
    assert [m.group() for m in chip.finditer("The chipmaker and the chip")] == [
        "The chipmaker",
        "the chip",
    ]
    assert re.search(alternation([]), "anything") is None


def test_words_equal_but_for_case_keep_the_longer_first_under_ignorecase() -> None:
    """the / The chipmaker: a trie would try the t branch ("the chip") first."""
    pattern = re.compile(alternation(["the chip", "The chipmaker"]), re.I)
    assert pattern.match("the chipmaker").group() == "the chipmaker"


@pytest.mark.parametrize("flags", [0, re.I])
def test_same_matches_as_the_plain_list_on_random_words_and_texts(flags: int) -> None:
    """Random words over a small alphabet (prefixes of each other, case variants) and
    random texts: every match, and every match a pattern around it backtracks into,
    is the plain list's."""
    rng = random.Random(11)
    letters = "abAB 公司"
    for _ in range(300):
        words = ["".join(rng.choice(letters) for _ in range(rng.randint(1, 4))) for _ in range(6)]
        text = "".join(rng.choice(letters) for _ in range(40))
        for around in ("{}", r"(?:{})\b", "(?:{})a"):
            ours = re.compile(around.format(alternation(words)), flags)
            plain = re.compile(around.format(longest_first(words)), flags)
            assert [m.span() for m in ours.finditer(text)] == [
                m.span() for m in plain.finditer(text)
            ], (words, text, around)
