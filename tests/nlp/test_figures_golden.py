"""The hand-checked figure gold (tests/golden/figures_*.jsonl) as a quality gate.

F1 and the strict all-fields accuracy must stay at or above the floors pinned
in figures_floors.json beside this file (the measured values rounded down).
Scoring is the one `newsfacts eval figures` prints; see
pipelines/evaluation/figures.py for the matching rules.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.figures.extract import FigureExtractor
from pipelines.evaluation.figures import GOLD_LANGS, GoldScore, load_gold, score_gold

FLOORS = json.loads((Path(__file__).parent / "figures_floors.json").read_text("utf-8"))["gold"]


@pytest.fixture(scope="module")
def extractor() -> FigureExtractor:
    return FigureExtractor()


def _report(score: GoldScore) -> str:
    lines = []
    for result in score.results:
        lines += [f"missed {g.text!r} ({g.kind}) in {result.sentence.text}" for g in result.missed]
        lines += [f"extra {f.text!r} ({f.kind}) in {result.sentence.text}" for f in result.extra]
    return "\n".join(lines[:30])


@pytest.mark.parametrize("lang", GOLD_LANGS)
def test_gold_f1_stays_above_its_floor(lang: str, extractor: FigureExtractor) -> None:
    score = score_gold(load_gold(lang), extractor)
    assert score.f1 >= FLOORS[lang]["f1"], _report(score)


@pytest.mark.parametrize("lang", GOLD_LANGS)
def test_gold_strict_accuracy_stays_above_its_floor(lang: str, extractor: FigureExtractor) -> None:
    score = score_gold(load_gold(lang), extractor)
    assert score.strict_accuracy >= FLOORS[lang]["strict"], _report(score)


@pytest.mark.parametrize("lang", GOLD_LANGS)
def test_every_gold_figure_stands_in_its_sentence(lang: str) -> None:
    for sentence in load_gold(lang):
        for figure in sentence.figures:
            assert sentence.text[figure.start : figure.end] == figure.text


def test_the_gold_is_as_large_as_the_issue_asks() -> None:
    sizes = {lang: len(load_gold(lang)) for lang in GOLD_LANGS}
    assert sizes["zh"] >= 150 and sizes["en"] >= 150 and sizes["ja"] >= 60, sizes
