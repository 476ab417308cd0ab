"""Sentence splitting for Chinese, Japanese and English that keeps offsets.

A sentence ends at 。！？!? or a line break (a semicolon or an ellipsis does
not end one: Chinese news joins clauses of one statement with them); an English full
stop ends one only when followed by space and not after a known
abbreviation or inside a number. Closing quotes and brackets right after the
terminator stay with the sentence they close.
"""

from __future__ import annotations

import re

from nlp.types import Sentence

_CLOSERS = "”’」』）)】》\"'"
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st inc corp co ltd llc plc no vs etc e.g i.e u.s u.k "
    "jan feb mar apr jun jul aug sep sept oct nov dec fig approx est dept gov "
    "a.m p.m u.s.a n.v s.a ag bros".split()
)
_BREAK = re.compile(r"[。！？!?]+|\.(?=[\"'”’)\]]*\s)|\n+")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


def split_sentences(text: str) -> list[Sentence]:
    """Split `text` into sentences; offsets index `text`, surrounding space trimmed."""
    sentences: list[Sentence] = []
    start = 0
    for match in _BREAK.finditer(text):
        end = match.end()
        if match.group().startswith(".") and _is_abbreviation(text, match.start()):
            continue
        while end < len(text) and text[end] in _CLOSERS:
            end += 1
        _append(sentences, text, start, end)
        start = end
    _append(sentences, text, start, len(text))
    return sentences


def _is_abbreviation(text: str, dot: int) -> bool:
    found = _WORD_BEFORE.search(text, max(0, dot - 12), dot)
    if not found:
        return False
    word = found.group(1).lower()
    if word in _ABBREVIATIONS:
        return True
    # Initials such as "C. C. Wei" or "J.P."
    return len(word.replace(".", "")) == 1 and word[-1:].isalpha()


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end]))
