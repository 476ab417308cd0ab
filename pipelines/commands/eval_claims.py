"""newsfacts eval claims: claims and quotes against tests/golden (passages and sample corpus)."""

from __future__ import annotations

import click

from pipelines.cli import handle_errors
from pipelines.commands.evaluate import evaluate
from pipelines.evaluation.claims import LANGS, SETS, ClaimsEvaluation, Score


@evaluate.command("claims")
@click.option(
    "--lang",
    "langs",
    type=click.Choice(LANGS),
    multiple=True,
    help="Only this language (repeatable).",
)
@click.option(
    "--set",
    "set_name",
    type=click.Choice([*SETS, "both"]),
    default="both",
    show_default=True,
    help="The short passages, the sample-corpus articles, or both.",
)
@click.option(
    "--errors", is_flag=True, help="Also list each missed and each extra claim and quote."
)
@click.option(
    "--spacy",
    "with_spacy",
    is_flag=True,
    help="Add the optional entities_spacy stage (en_core_web_sm; slow).",
)
@handle_errors
def eval_claims(langs: tuple[str, ...], set_name: str, errors: bool, with_spacy: bool) -> None:
    """Precision, recall and F1 of claims (subject, metric, value) and quotes (span, speaker).

    Runs the NLP pipeline over the passages of tests/golden/claims_*.jsonl and
    over the sample articles of samples/sites/ (main text via trafilatura), and
    scores against the hand-checked gold. "missing fig" counts the missed gold
    claims whose figure the figure stage never found.

    \b
    Example:
        newsfacts eval claims --lang zh --set passages --errors
    """
    from nlp import DEFAULT_STAGES, SPACY_STAGES, Analyzer
    from pipelines.evaluation.claims import evaluate_claims, load_gold

    sets = SETS if set_name == "both" else (set_name,)
    documents = load_gold(langs or LANGS, sets)
    analyzer = Analyzer(SPACY_STAGES if with_spacy else DEFAULT_STAGES)
    evaluation = evaluate_claims(documents, analyzer)
    if errors:
        _print_errors(evaluation)
    _print_scores(evaluation)


def _print_scores(evaluation: ClaimsEvaluation) -> None:
    header = f"{'':9} {'set':9} {'gold':>5} {'P':>6} {'R':>6} {'F1':>6}"
    click.echo(f"claims (subject, metric, value){'':20}quotes (span, speaker)")
    click.echo(f"{header} {'missing fig':>11}   {'gold':>5} {'P':>6} {'R':>6} {'F1':>6}")
    rows: list[tuple[str | None, str | None, str, str]] = []
    for lang in evaluation.langs():
        for one_set in evaluation.sets():
            rows.append((lang, one_set, lang, one_set))
        rows.append((lang, None, lang, "both"))
    rows.append((None, None, "all", "both"))
    for row_lang, row_set, lang_label, set_label in rows:
        claims = evaluation.claims(row_lang, row_set)
        quotes = evaluation.quotes(row_lang, row_set)
        click.echo(
            f"{lang_label:9} {set_label:9} {_cells(claims)} {claims.missing_figure:>11}   {_cells(quotes)}"
        )
    click.echo("")
    click.echo("claims recall per metric (all languages and sets)")
    ordered = sorted(evaluation.metric_recall.items(), key=lambda kv: (-kv[1].gold, kv[0]))
    for metric, recall in ordered:
        click.echo(f"  {metric:18} {recall.found:>4} / {recall.gold:<4} {recall.recall:6.3f}")


def _cells(score: Score) -> str:
    gold = score.tp + score.fn
    return f"{gold:>5} {score.precision:6.3f} {score.recall:6.3f} {score.f1:6.3f}"


def _print_errors(evaluation: ClaimsEvaluation) -> None:
    for result in evaluation.documents:
        lines: list[str] = []
        for gold, figure_found in result.missed_claims:
            tag = "" if figure_found else "  [figure not found]"
            lines.append(
                f"  missed  {'|'.join(gold.subjects)} {gold.metric} {gold.figure_text}{tag}"
            )
        for claim in result.extra_claims:
            lines.append(f"  extra   {claim.subject} {claim.metric} {claim.figure.text}")
        for quote in result.missed_quotes:
            lines.append(f"  missed quote  [{quote.speaker}] {quote.text[:60]}")
        for extra in result.extra_quotes:
            lines.append(f"  extra quote   [{extra.speaker}] {extra.text[:60]}")
        if lines:
            click.echo(f"{result.doc.lang} {result.doc.set_name} {result.doc.id}", err=False)
            click.echo("\n".join(lines))
    click.echo("")
