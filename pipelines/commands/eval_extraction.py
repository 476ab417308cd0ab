"""newsfacts eval extraction: main text, title and date of our extractor next to plain trafilatura."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from pipelines.cli import handle_errors
from pipelines.commands.evaluate import evaluate, shared_option
from pipelines.evaluation import DEFAULT_SHARED
from pipelines.evaluation.extraction import (
    SETS,
    SYSTEMS,
    ExtractionEvaluation,
    Rate,
    Summary,
    evaluate_pages,
    load_pages,
)


@evaluate.command("extraction")
@shared_option
@click.option(
    "--set",
    "set_names",
    type=click.Choice(SETS),
    multiple=True,
    help="Only this set (repeatable; default: all).",
)
@click.option(
    "--worst",
    type=int,
    default=0,
    metavar="N",
    help="Also list the N pages where our body or snippet score trails trafilatura's most.",
)
@handle_errors
def eval_extraction(shared: str | None, set_names: tuple[str, ...], worst: int) -> None:
    """Body P/R/F1, title and date accuracy of extract_html and plain trafilatura.

    Both systems get the same decoded page from ../shared/eval (INDEX.md,
    sections 2 and 3). Body: the ScrapingHub shingle metric (word 4-grams in
    English, character 4-grams in Chinese and Japanese); mce_trafilatura:
    its with/without snippets; title: normalised match; date: same day.
    ms/page is the time of the extraction call alone.

    \b
    Example:
        newsfacts eval extraction --set zh_cwced --set zh_fixtures
    """
    for noisy in ("trafilatura", "htmldate"):  # they log every page they give up on
        logging.getLogger(noisy).setLevel(logging.CRITICAL)
    folder = Path(shared) if shared else DEFAULT_SHARED
    pages = load_pages(folder, set_names or SETS)
    click.echo(f"scoring {len(pages)} pages from {folder / 'eval'} ...", err=True)
    evaluation = evaluate_pages(pages)
    _print_table(evaluation)
    if worst:
        _print_worst(evaluation, worst)


_HEADER = (
    f"{'set':16} {'lang':4} {'pages':>5}  {'system':11} {'metric':8} "
    f"{'P':>6} {'R':>6} {'F1':>6}  {'title':>15}  {'date':>15}  {'ms/page':>8}"
)


def _print_table(evaluation: ExtractionEvaluation) -> None:
    click.echo(_HEADER)
    for set_name, lang in evaluation.groups():
        for system in SYSTEMS:
            summary = evaluation.summary(set_name, lang, system)
            if summary is not None:
                click.echo(_row(summary))
    click.echo("")
    _print_speed(evaluation)


def _row(s: Summary) -> str:
    if s.body_pages:
        metric = "body"
        cells = f"{s.body_precision:6.3f} {s.body_recall:6.3f} {s.body_f1:6.3f}"
    elif s.has_snippets:
        metric = "snippets"
        cells = f"{s.snippet_precision:6.3f} {s.snippet_recall:6.3f} {s.snippet_f1:6.3f}"
    else:
        metric, cells = "-", f"{'-':>6} {'-':>6} {'-':>6}"
    return (
        f"{s.set_name:16} {s.lang:4} {s.pages:>5}  {s.system:11} {metric:8} {cells}  "
        f"{_rate(s.titles):>15}  {_rate(s.dates):>15}  {1000 * s.seconds_per_page:8.1f}"
    )


def _rate(rate: Rate) -> str:
    if not rate.total:
        return "-"
    return f"{rate.hits}/{rate.total} {rate.share:.3f}"


def _print_speed(evaluation: ExtractionEvaluation) -> None:
    ours = 1000 * evaluation.seconds_per_page("ours")
    theirs = 1000 * evaluation.seconds_per_page("trafilatura")
    ratio = ours / theirs if theirs else 0.0
    click.echo(
        f"time per page over {evaluation.page_count()} pages: ours {ours:.1f} ms, "
        f"trafilatura {theirs:.1f} ms ({ratio:.2f}x)"
    )


def _print_worst(evaluation: ExtractionEvaluation, count: int) -> None:
    click.echo("")
    click.echo(f"{'Δ':>7} {'ours':>6} {'traf':>6}  page")
    for gap in evaluation.worst_pages(count):
        click.echo(
            f"{gap.ours - gap.trafilatura:7.3f} {gap.ours:6.3f} {gap.trafilatura:6.3f}  "
            f"{gap.set_name} {gap.page_id}"
        )
