"""Pass rates on the Microsoft Recognizers-Text spec cases (../shared/eval/recognizers).

The cases are read from the shared folder only (skipped when it is absent);
the floors are pinned in figures_floors.json beside this file. The mapping of
our figures to each spec type is in pipelines/evaluation/figures.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.evaluation.figures import RecognizersReport, evaluate_recognizers
from tests.conftest import shared_path

FLOORS = json.loads((Path(__file__).parent / "figures_floors.json").read_text("utf-8"))[
    "recognizers"
]


@pytest.fixture(scope="module")
def report() -> RecognizersReport:
    folder = shared_path("eval", "recognizers")
    return evaluate_recognizers(folder.parents[1])


def test_core_pass_rate_stays_above_its_floor(report: RecognizersReport) -> None:
    assert report.tally(["core"]).rate >= FLOORS["core"]


def test_core_pass_rate_reaches_the_issue_target(report: RecognizersReport) -> None:
    core = report.tally(["core"])
    assert core.rate >= 0.90
    assert core.rate > core.python_rate  # Recognizers-Text's own Python port


def test_core_and_ranges_pass_rate_stays_above_its_floor(report: RecognizersReport) -> None:
    assert report.tally(["core", "ranges"]).rate >= FLOORS["core+ranges"]


@pytest.mark.parametrize("path", sorted(FLOORS["files"]))
def test_each_file_stays_above_its_floor(report: RecognizersReport, path: str) -> None:
    scores = {score.path: score for score in report.files}
    assert path in scores, f"{path} was not read"
    score = scores[path]
    failed = [r.case.input for r in score.results if not r.passed][:20]
    assert score.passed / score.cases >= FLOORS["files"][path], failed
