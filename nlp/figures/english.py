"""Numbers written in English words: a run of number words cut into numbers.

The pattern `nlp.figures.patterns.ENGLISH` finds a run ("three nought four",
"one hundred and three and two thirds", "a third consecutive"); here the run
is cut into the numbers it holds, each the longest stretch that reads as one
(`nlp.figures.numerals.parse_english_words`). In prose only the last number
of a run can be a figure, and a word that is also a period or an ordinal
("the first half", "two quarters in a row", "a third straight year") is read
as one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from nlp.figures.candidate import Candidate
from nlp.figures.numerals import (
    EN_DENOMINATORS,
    EN_DOZEN,
    EN_ORDINALS,
    EN_SCALES,
    parse_english_words,
)

Token = tuple[str, int, int]  # word, start, end
Segment = tuple[int, int, float, list[str]]  # start, end, value, words

_TOKEN = re.compile(r"[a-z]+|[0-9]+(?:\.[0-9]+)?")
# More words than any number written in words needs ("one hundred and
# twenty-three thousand four hundred and fifty-six" is 14).
_LONGEST_NUMBER = 16
_TAIL_CHARS = _LONGEST_NUMBER * 12
# A number never ends on these.
_DANGLING = frozenset(["and", "a", "an", "of", "point", "minus", "negative"])
# Words that read as numbers but alone are not: ordinals, "quarter" (a
# period), a bare scale word.
_NOT_ALONE = frozenset([*EN_DENOMINATORS, *EN_SCALES, *EN_DOZEN, "quarter", "quarters"]) - {"half"}
# "the first half", "last quarter": a half or a quarter of the year.
_PERIOD_BEFORE = frozenset(
    "the first second third fourth last latter back next this that each every 1st 2nd 3rd 4th".split()
)
_OF_AFTER = re.compile(r"[ ]+of\b")
_WORD_AFTER = re.compile(r"[ ]+[a-z]")
_VAGUE_WORDS = {
    "tens": 10.0, "hundreds": 100.0, "thousands": 1000.0, "millions": 1e6, "billions": 1e9,
    "dozens": 12.0, "hundred": 100.0, "thousand": 1000.0, "million": 1e6, "billion": 1e9,
}  # fmt: skip


def read_run(
    low: str, start: int, end: int, all_numbers: bool, bounds: frozenset[str] = frozenset()
) -> list[Candidate]:
    """The numbers of the run of number words `low[start:end]`; in prose
    (`all_numbers` false) only its last one and those with digits or a scale
    word, and not when it is a period or an ordinal. `bounds`: last words of
    qualifiers ("roughly", "than"), after which "a quarter" is a share."""
    if not all_numbers and end - start > _TAIL_CHARS:
        start = low.find(" ", end - _TAIL_CHARS, end) + 1  # read the tail alone
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(low, start, end)]
    if all_numbers:
        segments = list(segment(tokens))
    else:
        found = list(segment(tokens[-_LONGEST_NUMBER:]))
        kept = [seg for seg in found[:-1] if _substantial(seg[3])] + found[-1:]
        readings = (_prose_reading(low, seg, bounds) for seg in kept)
        segments = [seg for seg in readings if seg is not None]
    return [_core(seg) for seg in segments]


def _substantial(words: list[str]) -> bool:
    """1.5 million (and 2 million): a number with digits or a scale word is no
    prose even when another number follows it; "one" in "one two" is."""
    return any(w[0].isdigit() or w in EN_SCALES for w in words)


def read_vague(start: int, end: int, words: list[str]) -> Candidate:
    """tens of thousands -> 10000, hundreds -> 100, several -> 1: qualifier vague."""
    scale = 1.0
    for word in words:
        scale *= _VAGUE_WORDS.get(word, 1.0)
    return Candidate.core(start, end, scale, "vague", qualifier="vague", scaled=scale >= 1000)


def _core(seg: Segment) -> Candidate:
    start, end, value, words = seg
    ratio = words[-1] in EN_DENOMINATORS and abs(value) <= 1
    scaled = any(w in EN_SCALES or w in EN_DOZEN for w in words)
    core = Candidate.core(
        start, end, value, "english", kind="fraction" if ratio else None, scaled=scaled
    )
    for word in reversed(words):  # 3 to 5 million: the lower end shares the million
        if word not in EN_SCALES:
            break
        core.scale *= EN_SCALES[word]
    return core


def segment(tokens: list[Token]) -> Iterator[Segment]:
    """Cut a run of number words into numbers: each the longest prefix that reads
    as one ('three nought four' -> 3, 0, 4). Looks at most four words past the
    last good prefix, so that it stays linear in the run."""
    i = 0
    while i < len(tokens):
        best_j, best_value = _longest_number(tokens, i)
        if best_j < 0 or best_value is None:
            i += 1
            continue
        best_j, best_value = _cut_before_and(tokens, i, best_j, best_value)
        words = [t[0] for t in tokens[i : best_j + 1]]
        if not (len(words) == 1 and words[0] in _NOT_ALONE):
            yield tokens[i][1], tokens[best_j][2], best_value, words
        i = best_j + 1


def _longest_number(tokens: list[Token], i: int) -> tuple[int, float | None]:
    best_j, best_value = -1, None
    misses = 0
    j = i
    while j < len(tokens) and misses <= 3:
        words = [t[0] for t in tokens[i : j + 1]]
        value = None if words[-1] in _DANGLING else parse_english_words(words)
        if value is not None:
            best_j, best_value, misses = j, value, 0
        else:
            misses += 1
        j += 1
    return best_j, best_value


def _cut_before_and(tokens: list[Token], i: int, j: int, value: float) -> tuple[int, float]:
    """'3 hundred and 2 hundred': when the word after "and X" is a scale X cannot
    take, X begins the next number."""
    following = tokens[j + 1][0] if j + 1 < len(tokens) else ""
    if (
        j - 2 >= i
        and tokens[j - 1][0] == "and"
        and (following == "hundred" or following in EN_SCALES)
    ):
        head_value = parse_english_words([t[0] for t in tokens[i : j - 1]])
        if head_value is not None:
            return j - 2, head_value
    return j, value


def _prose_reading(low: str, seg: Segment, bounds: frozenset[str]) -> Segment | None:
    """In prose, 'the first half', 'two quarters in a row' and 'a third straight
    year' are periods and ordinals; 'a third of', 'three quarters of' and
    'roughly a quarter' are fractions."""
    start, end, _, words = seg
    last = words[-1]
    if last not in EN_DENOMINATORS:
        return seg
    followed_by_of = _OF_AFTER.match(low, end) is not None
    head = low[max(0, start - 12) : start].split()
    if last in ("half", "halves", "quarter", "quarters") and head and head[-1] in _PERIOD_BEFORE:
        return None
    bounded = bool(head) and head[-1] in bounds
    if last in ("quarter", "quarters") and not followed_by_of and not bounded:
        if len(words) == 1 or words[0] in ("a", "an"):
            return None  # "in a quarter": a period
        count = parse_english_words(words[:-1])  # "two quarters": the duration is read later
        return (
            None
            if count is None
            else (start, _before_last_word(low, start, end), count, words[:-1])
        )
    if words[0] in ("a", "an") and len(words) == 2 and last in EN_ORDINALS and last != "half":
        if not followed_by_of and _WORD_AFTER.match(low, end):
            return None  # "a third consecutive quarter": an ordinal
    return seg


def _before_last_word(low: str, start: int, end: int) -> int:
    cut = max(low.rfind(" ", start, end), low.rfind("-", start, end))
    return cut if cut > start else end
