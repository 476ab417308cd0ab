"""newsfacts eval figures: the figure extractor on the Recognizers-Text specs and on our gold."""

from __future__ import annotations

from pathlib import Path

import click

from pipelines.cli import handle_errors
from pipelines.commands.evaluate import evaluate, shared_option
from pipelines.errors import NewsfactsError
from pipelines.evaluation import DEFAULT_SHARED
from pipelines.evaluation.figures import (
    GOLD_LANGS,
    GoldScore,
    RecognizersReport,
    Tally,
    evaluate_recognizers,
    load_gold,
    recognizers_folder,
    score_gold,
)


@evaluate.command("figures")
@shared_option
@click.option("--errors", is_flag=True, help="Also list every failed spec case and gold sentence.")
@handle_errors
def eval_figures(shared: str | None, errors: bool) -> None:
    """Pass rates on the Recognizers-Text spec cases, and F1 on our own gold.

    Reads the Chinese and English Number, Percent, Currency and Dimension
    specs (the "core" files) and the NumberRange specs ("ranges") from
    SHARED/eval/recognizers, prints our pass rate per file next to the rate
    of Recognizers-Text's own Python port, then precision, recall and F1 on
    tests/golden/figures_{zh,en,ja}.jsonl. The mapping rules are in the
    docstring of pipelines/evaluation/figures.py.

    \b
    Example:
        newsfacts eval figures --shared ../shared
    """
    folder = Path(shared) if shared else DEFAULT_SHARED
    if not folder.is_dir():
        raise NewsfactsError(f"the shared folder {folder} is missing: pass --shared PATH", code=2)
    if not recognizers_folder(folder).is_dir():
        raise NewsfactsError(f"the shared folder {folder} has no eval/recognizers", code=2)
    report = evaluate_recognizers(folder)
    scores = [score_gold(load_gold(lang)) for lang in GOLD_LANGS]
    if errors:
        _print_failures(report, scores)
    _print_recognizers(report)
    click.echo("")
    _print_gold(scores)


def _print_recognizers(report: RecognizersReport) -> None:
    click.echo("Recognizers-Text spec cases (a case passes when our figures equal its Results)")
    if report.numbers_mode:
        click.echo(
            "NumberModel files are read with FigureExtractor(mode='numbers'), which also reports"
        )
        click.echo("bare numerals that news mode drops as prose; the product never uses it.")
    click.echo(f"{'file':58} {'group':6} {'cases':>5} {'ours':>7} {'python':>7}")
    for score in report.files:
        tally = Tally(score.cases, score.passed, score.python_passed)
        click.echo(f"{score.path:58} {score.group:6} {_cells(tally)}")
    for lang in ("zh", "en"):
        click.echo(f"{'  ' + lang + ' core':58} {'':6} {_cells(report.tally(['core'], lang))}")
    click.echo(f"{'overall core':58} {'':6} {_cells(report.tally(['core']))}")
    click.echo(f"{'overall core+ranges':58} {'':6} {_cells(report.tally(['core', 'ranges']))}")


def _cells(tally: Tally) -> str:
    return f"{tally.cases:>5} {tally.rate:7.1%} {tally.python_rate:7.1%}"


def _print_gold(scores: list[GoldScore]) -> None:
    click.echo("Our gold (tests/golden/figures_*.jsonl, extractor alone, news mode)")
    click.echo(
        f"{'lang':5} {'sents':>5} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6} {'strict':>7}"
    )
    for score in scores:
        click.echo(
            f"{score.lang:5} {len(score.results):>5} {score.gold:>5} {score.predicted:>5} "
            f"{score.precision:6.3f} {score.recall:6.3f} {score.f1:6.3f} {score.strict_accuracy:7.1%}"
        )


def _print_failures(report: RecognizersReport, scores: list[GoldScore]) -> None:
    for file_score in report.files:
        for result in file_score.results:
            if result.passed:
                continue
            want = ", ".join(
                f"{e.text}@{e.start}={e.value or e.interval}" for e in result.case.expected
            )
            got = ", ".join(
                f"{f.text}@{f.start}={f.value if f.interval is None else f.interval}"
                for f in result.found
            )
            click.echo(
                f"FAIL {file_score.path}: {result.case.input!r}\n     want [{want}]\n     got  [{got}]"
            )
    for score in scores:
        for sentence_result in score.results:
            sentence = sentence_result.sentence
            where = f"{score.lang}:{sentence.line}"
            for gold in sentence_result.missed:
                click.echo(f"MISS {where} {gold.text} ({gold.kind}) in {sentence.text}")
            for extra in sentence_result.extra:
                click.echo(f"EXTRA {where} {extra.text} ({extra.kind}) in {sentence.text}")
    click.echo("")
