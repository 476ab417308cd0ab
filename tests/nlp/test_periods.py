"""Reporting periods, normalised, with relative ones resolved against the document date."""

from __future__ import annotations

import random
import re

import pytest

from nlp import periods
from nlp.periods import find_periods
from pipelines.evaluation.claims import load_gold


@pytest.mark.parametrize(
    ("text", "doc_date", "expected"),
    [
        ("2023年全年", None, ["2023"]),
        ("in 2023", None, ["2023"]),
        ("2024年第二季度", None, ["2024Q2"]),
        ("Q2 2024", None, ["2024Q2"]),
        ("2Q24", None, ["2024Q2"]),
        ("the second quarter of 2024", None, ["2024Q2"]),
        ("2024年4〜6月期", None, ["2024Q2"]),
        ("2025财年第二财季", None, ["FY2025Q2"]),
        ("Q2 FY2026", None, ["FY2026Q2"]),
        ("FY2025 Q3", None, ["FY2025Q3"]),
        ("the third quarter of fiscal 2025", None, ["FY2025Q3"]),
        ("2025年度第1四半期", None, ["FY2025Q1"]),
        ("fiscal 2025", None, ["FY2025"]),
        ("2025财年", None, ["FY2025"]),
        ("2025年3月期", None, ["FY2025"]),
        ("2024年上半年", None, ["2024H1"]),
        ("first half of 2024", None, ["2024H1"]),
        ("H2 2024", None, ["2024H2"]),
        ("H1'24 and H2 24", None, ["2024H1", "2024H2"]),
        ("1H24", None, ["2024H1"]),
        ("NVIDIA's H100 and H200 chips", None, []),  # chip names, not 2000H1 / 2000H2
        ("2024年6月", None, ["2024-06"]),
        ("June 2024", None, ["2024-06"]),
        # relative periods need the document date, and are left out without it
        ("去年", "2024-03-05", ["2023"]),
        ("去年", None, []),
        ("last year", "2024-03-05", ["2023"]),
        ("昨年", "2024-03-05", ["2023"]),
        ("今年上半年", "2024-08-01", ["2024H1"]),
        ("this year", "2024-08-01", ["2024"]),
        ("last quarter", "2024-03-05", ["2023Q4"]),
        ("上季度", "2024-08-30", ["2024Q2"]),
        ("上个月", "2024-01-10", ["2023-12"]),
        # a comparison base or a day is not the period of a claim
        ("去年同期", "2024-05-01", []),
        ("2024年7月31日", None, []),
        ("第二季度", None, []),
    ],
)
def test_periods(text, doc_date, expected):
    assert [p.value for p in find_periods(text, doc_date)] == expected


def test_period_offsets_point_at_the_words():
    text = "英伟达2025财年第二财季营收为300亿美元"
    [period] = find_periods(text)
    assert text[period.start : period.end] == "2025财年第二财季"


def test_full_width_digits_are_read():
    assert [p.value for p in find_periods("２０２４年第２四半期")] == ["2024Q2"]


def test_case_blind_patterns_are_written_in_lower_case() -> None:
    for _, pattern in periods._PATTERNS:
        if pattern.flags & re.I:
            literal = re.sub(r"\(\?P<\w+>|\\[A-Za-z]", "", pattern.pattern)
            assert not re.search("[A-Z]", literal), pattern.pattern


def test_lowered_text_finds_what_the_case_blind_patterns_find(monkeypatch) -> None:
    """The patterns run as written (re.I, on the text as it is) and as they run
    (lower case, on the lowered text) find the same periods."""
    rng = random.Random(5)
    words = [
        "Q2", "q3", "FY2026", "fy25", "Fiscal", "FISCAL YEAR", "2024", "'24", "second", "SECOND",
        "Quarter", "half", "Half", "of", "OF", "In", "during", "June", "JUNE", "may", "H1",
        "this year", "Last Year", "A YEAR AGO", "上季度", "2024年", "第二季度", ",", " ", "-",
    ]  # fmt: skip
    texts = [" ".join(rng.choices(words, k=rng.randrange(2, 12))) for _ in range(3000)]
    texts += [case.text for case in load_gold()]
    as_run = [find_periods(text, "2024-05-01") for text in texts]
    monkeypatch.setattr(
        periods,
        "_GATED",
        [
            (kind, p, False, gate)
            for (kind, p), (*_, gate) in zip(periods._PATTERNS, periods._GATED, strict=True)
        ],
    )
    monkeypatch.setattr(
        periods,
        "_RELATIVE_GATED",
        [
            (p, False, *rest)
            for (p, *_), (_, _, *rest) in zip(
                periods._RELATIVE, periods._RELATIVE_GATED, strict=True
            )
        ],
    )
    assert [find_periods(text, "2024-05-01") for text in texts] == as_run
    assert sum(1 for found in as_run if found) > 1000
