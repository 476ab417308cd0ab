"""The phrase matcher against a plain search for every phrase, on texts of all scripts."""

from __future__ import annotations

import random

from nlp.figures.numerals import ascii_lower
from nlp.phrases import PhraseMatcher, case_blind, latin_edges_ok

PHRASES = [
    ("英伟达", "NVIDIA"),
    ("英伟", "stub"),
    ("台积电", "TSMC"),
    ("AMD", "AMD"),
    ("AI", "AI"),
    ("Nvidia", "NVIDIA"),
    ("Nvidia Corp", "NVIDIA corp"),
    ("エヌビディア", "NVIDIA"),
    ("É.U.", "EU"),
]


def plain_search(phrases: list[tuple[str, str]], text: str) -> list[tuple[int, int, str]]:
    """Every occurrence by str.find (case-blind phrases on the lower-cased text), the
    Latin edge rule, then leftmost-longest without overlaps, exact phrases first."""
    found = []
    lowered = ascii_lower(text)
    for order, blind in enumerate((False, True)):
        seen = set()
        for phrase, payload in phrases:
            if case_blind(phrase) != blind:
                continue
            key = ascii_lower(phrase) if blind else phrase
            if key in seen:
                continue
            seen.add(key)
            haystack = lowered if blind else text
            at = haystack.find(key)
            while at >= 0:
                if latin_edges_ok(text, at, at + len(key)):
                    found.append((at, -(len(key)), order, payload))
                at = haystack.find(key, at + 1)
    found.sort()
    out, last_end = [], -1
    for start, negative_length, _, payload in found:
        if start >= last_end:
            out.append((start, start - negative_length, payload))
            last_end = start - negative_length
    return out


def test_phrases_of_every_script_are_found_leftmost_longest() -> None:
    matcher = PhraseMatcher(PHRASES)
    text = "英伟达与台积电合作，AMD和NVIDIA CORP（エヌビディア）以及AIMD"
    assert [(m.text, m.payload) for m in matcher.find(text)] == [
        ("英伟达", "NVIDIA"),
        ("台积电", "TSMC"),
        ("AMD", "AMD"),
        ("NVIDIA CORP", "NVIDIA corp"),
        ("エヌビディア", "NVIDIA"),
    ]
    assert [m.text for m in matcher.find("Shares of AMD rose; Nvidia fell.")] == ["AMD", "Nvidia"]


def test_same_as_a_plain_search_on_random_texts() -> None:
    """English-only texts skip the automaton of CJK phrases; mixed ones run it."""
    matcher = PhraseMatcher(PHRASES)
    pieces = [p for p, _ in PHRASES] + ["nvidia", "corp", " ", "x", "1", "，", "达", "伟", "_"]
    rng = random.Random(5)
    for _ in range(500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        got = [(m.start, m.end, m.payload) for m in matcher.find(text)]
        assert got == plain_search(PHRASES, text), text
