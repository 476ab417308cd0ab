"""newsfacts export: the fact table to a file."""

from __future__ import annotations

from typing import Any

import click
from rich.console import Console

from db.connection import connect
from db.queries import ALL_COLUMNS, ClaimFilter, query_claims
from pipelines.cli import Context, cli, db_option, handle_errors
from pipelines.commands.query import filter_options, make_filter, text_arguments
from pipelines.export import FORMATS, export_table
from pipelines.facts import FACT_COLUMNS, FACT_LINK_COLUMNS, annotate_claims, group_facts
from pipelines.registry_sync import fold


@cli.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True, help="File format.")
@click.option("-o", "--output", "output", required=True, metavar="FILE", help="File to write.")
@click.option("--accepted-only", is_flag=True, help="Only claims a reviewer accepted (or edited).")
@click.option("--fetched-since", metavar="DATE", help="Only documents fetched on or after DATE.")
@click.option("--root", type=click.Path(file_okay=False, exists=True), default=None,
              help="Folder the output must stay inside (default: the working directory).")  # fmt: skip
@click.option("--level", type=click.Choice(["claim", "fact"]), default="claim", show_default=True,
              help="One row per claim, or one row per cross-lingual fact with all its sources.")  # fmt: skip
@filter_options
@db_option
@click.pass_obj
@handle_errors
@text_arguments
def export(obj: Context, fmt: str, output: str, accepted_only: bool, fetched_since: str | None,
           root: str | None, level: str, db_path: str | None, **filters: Any) -> None:  # fmt: skip
    """Write the fact table: one row per claim, with its review status.

    Columns: the contract's fact table (claim_id … status), then kind,
    direction, entity_id, fact_key, doc_source, sentence offsets, the last
    reviewer, and the claim's cross-lingual fact: fact_id, fact_sources (every
    source of the same fact), fact_languages and conflict. With --level fact,
    one row per fact: its value, how many claims and documents say it, in
    which languages, on whose word, and whether another value conflicts. The file is written beside its target and renamed into place;
    paths that lead outside the working directory (or --root) are refused;
    spreadsheet cells that could run as formulas are made inert.

    \b
    Examples:
        newsfacts export --format csv -o facts.csv --accepted-only
        newsfacts export --format parquet -o facts.parquet --entity 华为
    """
    db = connect(obj.db(db_path), readonly=True)
    try:
        flt = make_filter(db, accepted_only=accepted_only, fetched_since=fetched_since,
                          descending=False, **filters)  # fmt: skip
        rows = query_claims(db, flt, fold)
        facts = group_facts(query_claims(db, ClaimFilter(descending=False), fold))
    finally:
        db.close()
    if level == "fact":
        wanted = {r["claim_id"] for r in rows}
        fact_rows = [f.row() for f in facts if any(c["claim_id"] in wanted for c in f.claims)]
        path, count = export_table(fact_rows, FACT_COLUMNS, fmt, output, root)
    else:
        annotate_claims(rows, facts)
        path, count = export_table(rows, [*ALL_COLUMNS, *FACT_LINK_COLUMNS], fmt, output, root)
    if not obj.quiet:
        Console(stderr=True).print(f"wrote {count} {level}s to {path}")
