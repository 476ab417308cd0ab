"""Reporting periods in a sentence, normalised: 2023, 2024Q2, FY2025Q2, FY2025, 2024H1, 2024-06.

Relative periods (去年, last quarter, 前年同期) resolve against the document
date when there is one; without it they are left out rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.figures.numerals import CN_DIGITS, ascii_lower, shadow
from nlp.spans import SpanSet

_QNUM = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4, "first": 1,
         "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}  # fmt: skip
_HALF = {"上": 1, "下": 2, "first": 1, "second": 2, "1": 1, "2": 2, "前": 1, "後": 2, "后": 2}
_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1
)}  # fmt: skip

_Y = r"(?P<y>(?:19|20)[0-9]{2})"
# Patterns marked re.I are written in lower case and run without the flag on the
# text with A-Z lowered (`_lowered`): the same matches, at half the cost (re.I
# takes away the regex engine's quick scan for a pattern's first characters).
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # fiscal quarter: Q2 FY2026, FY2025 Q2, 2025财年第二财季, fiscal 2025 second quarter
    (
        "fq",
        re.compile(
            r"\bq(?P<q>[1-4])\s*(?:of\s*)?(?:fy|fiscal\s*(?:year\s*)?)\s*'?(?P<y>[0-9]{2,4})\b",
            re.I,
        ),
    ),
    (
        "fq",
        re.compile(
            r"\b(?:fy|fiscal\s*(?:year\s*)?)\s*'?(?P<y>[0-9]{2,4})\s*,?\s*q(?P<q>[1-4])\b", re.I
        ),
    ),
    (
        "fq",
        re.compile(
            r"\b(?:fy|fiscal\s*(?:year\s*)?)\s*'?(?P<y>[0-9]{2,4})\s*(?:'s\s*)?(?P<q>first|second|third|fourth)[\s-]+quarter",
            re.I,
        ),
    ),
    (
        "fq",
        re.compile(
            r"(?P<q>first|second|third|fourth)[\s-]+(?:fiscal\s+)?quarter\s+of\s+(?:fiscal\s*(?:year\s*)?|fy\s*)'?(?P<y>[0-9]{2,4})",
            re.I,
        ),
    ),
    (
        "fq",
        re.compile(
            r"(?P<y>[0-9]{2,4})\s*(?:财年|財年|会计年度|會計年度|年度)\s*(?:第\s*)?(?P<q>[一二三四1-4])\s*(?:财季|財季|季度|季|四半期)"
        ),
    ),
    ("fq", re.compile(r"(?P<y>[0-9]{2,4})\s*年度\s*第\s*(?P<q>[1-4一二三四])\s*四半期")),
    # calendar quarter: 2024年第二季度, Q2 2024, 2Q24, second quarter of 2024, 2024年4～6月期
    (
        "q",
        re.compile(
            r"(?P<y>(?:19|20)[0-9]{2})\s*年\s*(?:第\s*)?(?P<q>[一二三四1-4])\s*(?:季度|季|四半期)"
        ),
    ),
    ("q", re.compile(r"\bQ(?P<q>[1-4])\s*'?(?P<y>(?:19|20)?[0-9]{2})\b")),
    ("q", re.compile(r"\b(?P<q>[1-4])Q\s*'?(?P<y>(?:19|20)?[0-9]{2})\b")),
    (
        "q",
        re.compile(
            r"(?P<q>first|second|third|fourth)[\s-]+quarter\s+(?:of\s+)?(?:calendar\s+)?" + _Y, re.I
        ),
    ),
    (
        "qm",
        re.compile(
            r"(?P<y>(?:19|20)[0-9]{2})\s*年\s*(?P<m1>[0-9]{1,2})\s*[~〜～-]\s*(?P<m2>[0-9]{1,2})\s*月期"
        ),
    ),
    # fiscal year: FY2025, fiscal 2025, 2025财年, 2025年3月期 (ja: the year ending March)
    ("fy", re.compile(r"\b(?:fy|fiscal\s*(?:year\s*)?)\s*'?(?P<y>(?:19|20)?[0-9]{2})\b", re.I)),
    ("fy", re.compile(r"(?P<y>(?:19|20)[0-9]{2})\s*(?:财年|財年|会计年度|會計年度)")),
    ("fy", re.compile(r"(?P<y>(?:19|20)[0-9]{2})\s*年\s*[0-9]{1,2}\s*月期")),
    ("fy", re.compile(r"(?P<y>(?:19|20)[0-9]{2})\s*年度")),
    # half: 2024年上半年, first half of 2024, 1H24, H1 2024
    ("h", re.compile(r"(?P<y>(?:19|20)[0-9]{2})\s*年\s*(?P<h>[上下前後后])\s*半(?:年|期)")),
    ("h", re.compile(r"(?P<h>first|second)\s+half\s+(?:of\s+)?" + _Y, re.I)),
    ("h", re.compile(r"\b(?P<h>[12])H\s*'?(?P<y>(?:19|20)?[0-9]{2})\b")),
    # H1 2024, H1'24, H1 24; never H100 or H200 (chips, not the year 2000)
    ("h", re.compile(r"\bH(?P<h>[12])(?=[\s'])\s*'?(?P<y>(?:19|20)?[0-9]{2})\b")),
    # month: 2024年6月, June 2024
    (
        "m",
        re.compile(
            r"(?P<y>(?:19|20)[0-9]{2})\s*年\s*(?P<m>[0-9]{1,2})\s*月(?!\s*[0-9]{1,2}\s*[日号])(?!期)"
        ),
    ),
    (
        "m",
        re.compile(
            r"\b(?P<mn>january|february|march|april|may|june|july|august|september|october|november|december)\s+(?:of\s+)?"
            + _Y,
            re.I,
        ),
    ),
    # year
    ("y", re.compile(r"(?P<y>(?:19|20)[0-9]{2})\s*年(?![0-9]{1,2}月[0-9])")),
    ("y", re.compile(r"\b(?:in|for|during|of|by|since)\s+(?:calendar\s+)?" + _Y + r"\b", re.I)),
    ("y", re.compile(r"\b" + _Y + r"\b(?!\s*[-/.][0-9])")),
]
_RELATIVE: list[tuple[re.Pattern[str], str, int]] = [
    (re.compile(r"去年同期|上年同期|前年同期|a year earlier|year-ago|a year ago", re.I), "skip", 0),
    (re.compile(r"今年上半年|this year's first half", re.I), "h1", 0),
    (re.compile(r"去年|上年|last year|昨年|前年度", re.I), "year", -1),
    (re.compile(r"今年|this year|本年|今年度|今期", re.I), "year", 0),
    (
        re.compile(r"上季度|上一季度|上个季度|上季|last quarter|previous quarter|前四半期", re.I),
        "quarter",
        -1,
    ),
    (re.compile(r"本季度|这个季度|this quarter|current quarter|今四半期", re.I), "quarter", 0),
    (re.compile(r"上个月|上月|last month|先月", re.I), "month", -1),
]


# Words a pattern cannot match without: a pattern runs only on a text holding one of
# them (a cheap substring test, on the text with A-Z lowered), so a Chinese text
# skips the English patterns and the other way round.
_GATES: list[tuple[str, tuple[str, ...]]] = [
    ("fiscal", ("fy", "fiscal")),
    ("quarter", ("quarter",)),
    ("half", ("half",)),
    ("january|february", ("january", "february", "march", "april", "may", "june", "july",
                          "august", "september", "october", "november", "december")),
    ("年", ("年",)),
    ("Q(?P<q>", ("q1", "q2", "q3", "q4")),
    ("Q\\s", ("1q", "2q", "3q", "4q")),
    ("H(?P<h>", ("h1", "h2")),
    ("H\\s", ("1h", "2h")),
    ("in|for|during", ("in", "for", "during", "of", "by", "since")),
]  # fmt: skip


def _gate(pattern: re.Pattern[str]) -> tuple[str, ...]:
    for marker, words in _GATES:
        if marker in pattern.pattern:
            return words
    return ()


def _lowered(pattern: re.Pattern[str]) -> tuple[re.Pattern[str], bool]:
    """The pattern as it runs, and whether it reads the lowered text."""
    if pattern.flags & re.I:
        return re.compile(pattern.pattern, pattern.flags & ~re.I), True
    return pattern, False


_GATED = [(kind, *_lowered(pattern), _gate(pattern)) for kind, pattern in _PATTERNS]
# a relative period is one of its pattern's words, lowercased: those are its gate
_RELATIVE_GATED = [
    (*_lowered(pattern), unit, offset, tuple(ascii_lower(w) for w in pattern.pattern.split("|")))
    for pattern, unit, offset in _RELATIVE
]


@dataclass(frozen=True, slots=True)
class Period:
    start: int
    end: int
    value: str


def find_periods(text: str, doc_date: str | None = None) -> list[Period]:
    """Every period mentioned in `text`, leftmost-longest, normalised."""
    sh = shadow(text)
    low = ascii_lower(sh)
    found: list[Period] = []
    for kind, pattern, on_lowered, gate in _GATED:
        if gate and not any(word in low for word in gate):
            continue
        for match in pattern.finditer(low if on_lowered else sh):
            value = _normalise(kind, match)
            if value:
                found.append(Period(match.start(), match.end(), value))
    if doc_date:
        skipped = SpanSet([])  # 去年同期: a comparison base, not a period
        for pattern, on_lowered, unit, offset, words in _RELATIVE_GATED:
            if not any(word in low for word in words):
                continue
            for match in pattern.finditer(low if on_lowered else sh):
                if unit == "skip":
                    skipped.add(*match.span())
                    continue
                if skipped.contains(match.start()):
                    continue
                value = _relative(unit, offset, doc_date)
                if value:
                    found.append(Period(match.start(), match.end(), value))
    found.sort(key=lambda p: (p.start, -(p.end - p.start)))
    out: list[Period] = []
    last_end = -1
    for period in found:
        if period.start >= last_end:
            out.append(period)
            last_end = period.end
    return out


def _year(raw: str) -> int | None:
    digits = "".join(str(CN_DIGITS[c]) if c in CN_DIGITS else c for c in raw)
    if not digits.isdigit():
        return None
    year = int(digits)
    if year < 100:
        year += 2000
    return year if 1900 <= year <= 2100 else None


def _normalise(kind: str, match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    year = _year(groups["y"]) if groups.get("y") else None
    if year is None:
        return None
    if kind in ("fq", "q"):
        quarter = _QNUM.get(ascii_lower(groups["q"]))
        if quarter is None:
            return None
        return f"FY{year}Q{quarter}" if kind == "fq" else f"{year}Q{quarter}"
    if kind == "qm":
        first, last = int(groups["m1"]), int(groups["m2"])
        if last - first != 2 or last % 3 != 0:
            return None
        return f"{year}Q{last // 3}"
    if kind == "fy":
        return f"FY{year}"
    if kind == "h":
        half = _HALF.get(ascii_lower(groups["h"]))
        return f"{year}H{half}" if half else None
    if kind == "m":
        month = int(groups["m"]) if groups.get("m") else _MONTHS.get(ascii_lower(groups["mn"]))
        return f"{year}-{month:02d}" if month and 1 <= month <= 12 else None
    return str(year)


def _relative(unit: str, offset: int, doc_date: str) -> str | None:
    match = re.match(r"((?:19|20)[0-9]{2})-([0-9]{2})", doc_date)
    if not match or unit == "skip":
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if unit == "year":
        return str(year + offset)
    if unit == "h1":
        return f"{year}H1"
    if unit == "month":
        month += offset
        if month == 0:
            year, month = year - 1, 12
        return f"{year}-{month:02d}"
    quarter = (month - 1) // 3 + 1 + offset
    if quarter == 0:
        year, quarter = year - 1, 4
    return f"{year}Q{quarter}"
