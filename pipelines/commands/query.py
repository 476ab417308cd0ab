"""newsfacts query: claims filtered by entity, metric, language, source, dates, status, text."""

from __future__ import annotations

import csv
import functools
import sys
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from db.adhoc import run_sql
from db.connection import connect
from db.queries import FACT_COLUMNS, STATUSES, ClaimFilter, query_claims
from db.store import valid_text
from nlp.types import METRICS
from pipelines.cli import Context, cli, db_option, echo_json, handle_errors
from pipelines.errors import NewsfactsError
from pipelines.export import finite, neutralise
from pipelines.facts import group_facts
from pipelines.registry_sync import fold
from pipelines.search import search_words


def filter_options(func: Any) -> Any:
    """The filters shared by query and export."""
    options = [
        click.option("--entity", help="Subject: any alias in any script (英伟达, 輝達, Nvidia)."),
        click.option("--metric", type=click.Choice(METRICS), help="One metric of the closed list."),
        click.option("--lang", type=click.Choice(["zh", "en", "ja"]), help="Document language."),
        click.option("--source", help="Source site of the document, or the claim's attribution."),
        click.option("--since", metavar="DATE", help="Published on or after DATE (YYYY-MM-DD)."),
        click.option("--until", metavar="DATE", help="Published on or before DATE (YYYY-MM-DD)."),
        click.option("--status", type=click.Choice(STATUSES), help="Review status."),
        click.option(
            "--search",
            metavar="TEXT",
            help="Claims of articles whose title or text has every word of TEXT (Chinese too).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


_PATH_ARGUMENTS = frozenset(["db_path", "output", "root"])  # file names may hold any bytes


def text_arguments(func: Any) -> Any:
    """Refuse option values that are not valid text (bytes that were not UTF-8 reach
    Python as lone surrogates, which SQLite cannot take), naming the option."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        for name, value in kwargs.items():
            values = value if isinstance(value, tuple) else (value,)
            for text in values:
                if name not in _PATH_ARGUMENTS and isinstance(text, str) and not valid_text(text):
                    raise NewsfactsError(
                        f"{_label(name)} {text!r} is not valid text: it holds bytes "
                        "that are not UTF-8 (is the terminal's encoding UTF-8?)"
                    )
        return func(*args, **kwargs)

    return wrapper


def _label(name: str) -> str:
    """How the user wrote the parameter `name`: --entity, or CLAIM for an argument."""
    ctx = click.get_current_context(silent=True)
    for param in ctx.command.params if ctx else ():
        if param.name == name:
            return param.opts[0] if isinstance(param, click.Option) else param.human_readable_name
    return name


def make_filter(db: Any, **kw: Any) -> ClaimFilter:
    text = kw.pop("search", None) or ""
    words = search_words(text)
    if text.strip() and not words:  # else the search would silently match everything
        raise NewsfactsError(
            f"--search {text!r} has no word to search for (punctuation is not indexed)"
        )
    return ClaimFilter(search=words, **kw)


@cli.command(context_settings={"help_option_names": ["-h", "--help"]})
@filter_options
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="Output format (json: an array of fact-table rows).")  # fmt: skip
@click.option("--sort", default="published_at", show_default=True, help="Column to sort by.")
@click.option("--asc", is_flag=True, help="Ascending order (default: descending).")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="At most N rows.")
@click.option(
    "--sql",
    metavar="SELECT…",
    help="Run your own read-only SQL instead of the filters (tables: documents, claims, figures, fact_table …).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Time limit of --sql, in seconds.",
)
@click.option("--facts", "as_facts", is_flag=True,
              help="One row per cross-lingual fact (its sources, languages, conflicts) instead of per claim.")  # fmt: skip
@db_option
@click.pass_obj
@handle_errors
@text_arguments
def query(obj: Context, fmt: str, sort: str, asc: bool, limit: int | None, sql: str | None, timeout: float, as_facts: bool,
          db_path: str | None, **filters: Any) -> None:  # fmt: skip
    """List claims from the database, newest documents first.

    With --sql, runs your own SELECT on a read-only connection (no writes,
    no ATTACH or PRAGMA) that is stopped after --timeout seconds.

    The columns are the fact table of the extraction contract (claim_id,
    subject, metric, value, low, high, unit, currency, qualifier, period,
    source, figure_text, sentence, start, end, doc_id, doc_url, doc_title,
    published_at, lang, status) plus kind, direction and doc_source. The
    database is opened read-only.

    \b
    Examples:
        newsfacts query --entity 輝達 --metric gross_margin
        newsfacts query --search 出货量 --lang zh --format json
        newsfacts query --status pending --since 2024-08-01 --format csv
        newsfacts query --sql "SELECT lang, count(*) FROM documents GROUP BY lang"
    """
    if sql:
        columns, records = run_sql(obj.db(db_path), sql, timeout=timeout)
        found = [dict(zip(columns, record, strict=True)) for record in records]
        if fmt == "table":
            print_rows(columns, found)
        elif fmt == "csv":
            write_csv(columns, found)
        else:
            echo_json(
                [
                    {k: v.hex() if isinstance(v, bytes) else finite(v) for k, v in r.items()}
                    for r in found
                ]
            )
        return
    db = connect(obj.db(db_path), readonly=True)
    try:
        flt = make_filter(
            db, sort=sort, descending=not asc, limit=None if as_facts else limit, **filters
        )
        rows = query_claims(db, flt, fold)
        if as_facts:
            wanted = {r["claim_id"] for r in rows}
            facts = group_facts(query_claims(db, ClaimFilter(), fold))
            rows = [f.row() for f in facts if any(c["claim_id"] in wanted for c in f.claims)][
                :limit
            ]
    finally:
        db.close()
    if as_facts and fmt == "table":
        print_facts(rows)
    elif fmt == "json":
        echo_json([{k: finite(v) for k, v in row.items()} for row in rows])
    elif fmt == "csv":
        write_csv(list(rows[0]) if rows else list(FACT_COLUMNS), rows)
    else:
        print_table(rows)


def write_csv(columns: list[str], rows: list[dict[str, Any]]) -> None:
    out = csv.writer(sys.stdout)
    out.writerow(columns)
    for row in rows:
        out.writerow(
            ["" if row.get(c) is None else neutralise(finite(row.get(c))) for c in columns]
        )


def print_rows(columns: list[str], rows: list[dict[str, Any]]) -> None:
    table = Table()
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*["" if row[c] is None else str(row[c]) for c in columns])
    Console().print(table)
    Console(stderr=True).print(f"{len(rows)} rows")


def print_facts(rows: list[dict[str, Any]]) -> None:
    table = Table()
    for column in (
        "subject",
        "metric",
        "period",
        "value",
        "claims",
        "languages",
        "sources",
        "conflict",
    ):
        table.add_column(column, overflow="fold")
    for row in rows:
        value = row["value"] if row["value"] is not None else f"{row['low']}–{row['high']}"
        table.add_row(row["subject"], row["metric"], row["period"] or "", f"{value} {row['currency'] or row['unit'] or ''}",
                      str(row["claims"]), row["languages"], ", ".join(row["sources"]),
                      "yes" if row["conflict"] else "")  # fmt: skip
    Console().print(table)
    Console(stderr=True).print(f"{len(rows)} facts")


def print_table(rows: list[dict[str, Any]]) -> None:
    table = Table(show_lines=False)
    for column in (
        "subject",
        "metric",
        "figure_text",
        "value",
        "period",
        "source",
        "lang",
        "status",
        "doc_title",
    ):
        table.add_column(column, overflow="fold", max_width=40 if column == "doc_title" else None)
    for row in rows:
        table.add_row(*[
            "" if row.get(c) is None else str(row.get(c))
            for c in ("subject", "metric", "figure_text", "value", "period", "source", "lang", "status", "doc_title")
        ])  # fmt: skip
    console = Console()
    console.print(table)
    Console(stderr=True).print(f"{len(rows)} claims")
