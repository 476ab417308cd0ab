"""`newsfacts eval extraction`: its metrics on small cases, its command, and the quality
gate over ../shared/eval (skipped when the shared folder is absent).

The gate's floors are pinned in extraction_floors.json next to this file. Raise
them when the extractor gets better; never lower them without saying why in
the commit that does it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipelines.evaluation.extraction import (
    SETS,
    ExtractionEvaluation,
    Page,
    body_shingles,
    evaluate_pages,
    load_pages,
    same_day,
    snippet_counts,
    title_matches,
    tokens,
)
from tests.conftest import shared_path

FLOORS = Path(__file__).with_name("extraction_floors.json")
TOLERANCE = 0.005  # our F1 may trail trafilatura's by this much on a set, no more
ENGLISH_SAMPLE_EVERY = 3  # the gate reads every 3rd non-CJK page (in id order) to stay fast
GATE_SETS = tuple(name for name in SETS if name != "date_htmldate")  # dates only: no F1

# ---------------------------------------------------------------- metrics


def test_english_tokens_are_words_and_cjk_tokens_are_characters() -> None:
    assert tokens("Nvidia's revenue rose 122%.", "en") == ["Nvidia", "s", "revenue", "rose", "122"]
    assert tokens("英伟达营收 300 亿，增长。", "zh") == list("英伟达营收300亿增长")


def test_body_shingles_perfect_partial_and_empty() -> None:
    gold = "英伟达公布了第二季度财报，营收为300亿美元，同比增长122%。"
    perfect = body_shingles(gold, gold, "zh")
    assert (perfect.precision, perfect.recall) == (1.0, 1.0)
    half = body_shingles(gold[:16], gold, "zh")
    assert half.precision == 1.0 and 0.3 < half.recall < 0.7
    extra = body_shingles(gold + "相关阅读：寒武纪上半年营收下降", gold, "zh")
    assert extra.recall == 1.0 and extra.precision < 1.0
    missing = body_shingles("", gold, "zh")
    assert (missing.precision, missing.recall) == (0.0, 0.0)
    both_empty = body_shingles("", "", "en")
    assert (both_empty.precision, both_empty.recall) == (1.0, 1.0)


def test_body_shingles_english_four_grams() -> None:
    gold = "one two three four five six"
    scored = body_shingles("one two three four five", gold, "en")
    assert scored.precision == 1.0
    assert scored.recall == pytest.approx(2 / 3)


def test_snippet_counts_normalise_whitespace() -> None:
    counts = snippet_counts(
        "The quick\n brown fox jumps", ["quick brown", "lazy dog"], ["fox  jumps"]
    )
    assert (counts.tp, counts.fn, counts.fp, counts.tn) == (1, 1, 1, 0)


@pytest.mark.parametrize(
    ("predicted", "gold", "ok"),
    [
        ("Losing face: masks stolen", "Losing  face: Masks stolen", True),
        (
            "宇航员在太空中喝酒会怎么样？后果很严重",
            "宇航员在太空中喝酒会怎么样？后果很严重 _探索者 _光明网",
            True,
        ),
        ("Penny", "Penny - Stardew Valley Wiki", True),
        ("Penny - Stardew Valley Wiki", "Penny", False),
        ("Four Years Remaining", "Interning of Small Integers in Python", False),
        (None, "anything", False),
    ],
)
def test_title_matches(predicted: str | None, gold: str, ok: bool) -> None:
    assert title_matches(predicted, gold) is ok


@pytest.mark.parametrize(
    ("predicted", "gold", "ok"),
    [
        ("2024-08-29T08:15:00+08:00", "2024-08-29", True),
        ("2024-08-28T21:12:00+00:00", "2024-08-29T05:12:00+08:00", True),
        ("2024-08-28T21:12:00+00:00", "2024-08-29", False),
        ("2024-08-29", "2024-8-29 10:43", True),
        (None, "2024-08-29", False),
    ],
)
def test_same_day(predicted: str | None, gold: str, ok: bool) -> None:
    assert same_day(predicted, gold) is ok


def test_evaluate_pages_on_a_handmade_page() -> None:
    html = (
        "<html><head><title>标题</title></head><body><h1>标题</h1>"
        "<p>英伟达今日公布了第二季度财报，营收为300亿美元，同比增长122%。</p>"
        "<p>公司表示，数据中心业务仍是增长的主要来源。</p></body></html>"
    )
    page = Page(
        "zh_fixtures",
        "handmade",
        "zh",
        html,
        body="英伟达今日公布了第二季度财报，营收为300亿美元，同比增长122%。\n公司表示，数据中心业务仍是增长的主要来源。",
        title="标题",
    )
    evaluation = evaluate_pages([page])
    ours = evaluation.summary("zh_fixtures", "zh", "ours")
    assert ours is not None and ours.f1 is not None and ours.f1 > 0.9
    assert ours.titles.hits == ours.titles.total == 1
    assert evaluation.groups() == [("zh_fixtures", "zh")]


# ---------------------------------------------------------------- the command


def _cli():
    from pipelines import commands  # noqa: F401  (registers the subcommands)
    from pipelines.cli import cli

    return cli


def test_missing_shared_folder_exits_2_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = CliRunner().invoke(_cli(), ["eval", "extraction", "--shared", str(missing)])
    assert result.exit_code == 2
    assert str(missing / "eval") in result.output


def test_help_documents_the_command() -> None:
    result = CliRunner().invoke(_cli(), ["eval", "extraction", "-h"])
    assert result.exit_code == 0
    assert "trafilatura" in result.output and "Example" in result.output


# ---------------------------------------------------------------- the quality gate


def _gate_pages(shared: Path) -> list[Page]:
    """Every Chinese and Japanese page; every ENGLISH_SAMPLE_EVERY-th other page."""
    pages = load_pages(shared, GATE_SETS)
    kept, seen = [], 0
    for page in pages:
        if page.lang in ("zh", "ja"):
            kept.append(page)
            continue
        if seen % ENGLISH_SAMPLE_EVERY == 0:
            kept.append(page)
        seen += 1
    return kept


@pytest.fixture(scope="module")
def gate() -> ExtractionEvaluation:
    shared = shared_path("eval").parent
    return evaluate_pages(_gate_pages(shared))


def _floors() -> dict[str, float]:
    return json.loads(FLOORS.read_text(encoding="utf-8"))["f1"]


def test_f1_at_or_above_the_pinned_floors(gate: ExtractionEvaluation) -> None:
    too_low = {}
    for key, floor in _floors().items():
        set_name, lang = key.split("/")
        summary = gate.summary(set_name, lang, "ours")
        assert summary is not None and summary.f1 is not None, key
        if summary.f1 < floor:
            too_low[key] = (round(summary.f1, 4), floor)
    assert not too_low, too_low


def test_every_gated_group_has_a_floor(gate: ExtractionEvaluation) -> None:
    groups = {f"{set_name}/{lang}" for set_name, lang in gate.groups()}
    assert groups == set(_floors())


def test_not_below_trafilatura_anywhere(gate: ExtractionEvaluation) -> None:
    """Body (or snippet) F1 within TOLERANCE of trafilatura's on every set and
    language, and never fewer right titles or dates."""
    worse = {}
    for set_name, lang in gate.groups():
        ours = gate.summary(set_name, lang, "ours")
        theirs = gate.summary(set_name, lang, "trafilatura")
        assert ours is not None and theirs is not None
        if ours.f1 is not None and theirs.f1 is not None and ours.f1 < theirs.f1 - TOLERANCE:
            worse[f"{set_name}/{lang} F1"] = (round(ours.f1, 4), round(theirs.f1, 4))
        if ours.titles.hits < theirs.titles.hits:
            worse[f"{set_name}/{lang} titles"] = (ours.titles.hits, theirs.titles.hits)
        if ours.dates.hits < theirs.dates.hits:
            worse[f"{set_name}/{lang} dates"] = (ours.dates.hits, theirs.dates.hits)
    assert not worse, worse


def test_clearly_better_on_chinese_pages(gate: ExtractionEvaluation) -> None:
    ours = gate.summary("zh_cwced", "zh", "ours")
    theirs = gate.summary("zh_cwced", "zh", "trafilatura")
    assert ours is not None and theirs is not None
    assert ours.f1 is not None and theirs.f1 is not None
    assert ours.f1 >= theirs.f1 + 0.03
