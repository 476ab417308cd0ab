"""newsfacts demo: the main job on the bundled sample sites, no internet needed."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from db.connection import connect
from db.queries import ClaimFilter, counts, query_claims
from pipelines.cli import Context, cli, db_option, handle_errors
from pipelines.commands.ingest import print_report, progress_bar
from pipelines.ingest import IngestOptions, run_ingest
from pipelines.registry_sync import fold

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "sites"


def sample_articles(root: Path = SAMPLES) -> list[Path]:
    """Article pages of the sample sites (each site's own listing page left out)."""
    return sorted(
        p for p in root.rglob("*.htm*") if p.is_file() and p.parent.parent != root.parent
        and not (p.name == "index.html" and p.parent.parent == root)
    )  # fmt: skip


@cli.command(context_settings={"help_option_names": ["-h", "--help"]})
@db_option
@click.option("--top", type=click.IntRange(min=1), default=15, show_default=True,
              help="How many facts to print.")  # fmt: skip
@click.pass_obj
@handle_errors
def demo(obj: Context, db_path: str | None, top: int) -> None:
    """Run the whole pipeline on the bundled sample sites and print what it found.

    \b
    Example:
        newsfacts demo --db demo.db
    """
    db_file = obj.db(db_path)
    files = sample_articles()
    options = IngestOptions(db_path=db_file, source="samples")
    with progress_bar(obj.quiet) as bar:
        task = bar.add_task("analyse", total=len(files), current="")
        report = run_ingest(
            files,
            options,
            on_progress=lambda d, t, p: bar.update(task, completed=d, current=p.name),
        )
    print_report(report, obj.quiet, "demo")
    db = connect(db_file, readonly=True)
    try:
        stored = counts(db)
        rows = query_claims(db, ClaimFilter(limit=None, sort="published_at"), fold)
    finally:
        db.close()
    print_summary(db_file, stored, rows, top)
    if not report.ok:
        raise SystemExit(1)


def print_summary(db_file: str, stored: dict[str, int], rows: list[dict], top: int) -> None:
    console = Console()
    console.print(
        f"[bold]{db_file}[/bold]: {stored['documents']} documents, {stored['figures']} figures, "
        f"{stored['claims']} claims, {stored['quotes']} quotes"
    )
    by_metric: dict[str, int] = {}
    for row in rows:
        by_metric[row["metric"]] = by_metric.get(row["metric"], 0) + 1
    ranked = sorted(rows, key=lambda r: (r["metric"] == "other", -by_metric[r["metric"]]))
    table = Table(title=f"Top {min(top, len(rows))} facts", show_lines=False)
    for column in ("subject", "metric", "figure", "period", "source", "lang", "document"):
        table.add_column(column, overflow="fold")
    seen: set[tuple] = set()
    for row in ranked:
        key = (row["subject"], row["metric"], row["value"], row["low"])
        if key in seen:
            continue
        seen.add(key)
        table.add_row(row["subject"], row["metric"], row["figure_text"], row["period"] or "",
                      row["source"] or "", row["lang"], (row["doc_title"] or "")[:40])  # fmt: skip
        if len(seen) >= top:
            break
    console.print(table)
    console.print(
        "Next: newsfacts query --entity 英伟达 · newsfacts review · newsfacts export --format csv -o facts.csv"
    )
