"""newsfacts demo: the main job on the bundled sample sites, no internet needed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from crawler.sources import SourceError, load_sources
from db.connection import connect
from db.queries import ClaimFilter, counts, query_claims
from pipelines.cli import Context, cli, db_option, handle_errors
from pipelines.commands.crawl import print_crawl_report
from pipelines.crawl import CrawlOptions, run_crawl
from pipelines.errors import NewsfactsError
from pipelines.localsite import serve_folder
from pipelines.registry_sync import fold

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
DEMO_PORT = 8731


@cli.command(context_settings={"help_option_names": ["-h", "--help"]})
@db_option
@click.option("--port", type=click.IntRange(0, 65535), default=DEMO_PORT, show_default=True,
              help="Port of the local server for the sample sites (keep it fixed: URLs include it).")  # fmt: skip
@click.option("--top", type=click.IntRange(min=1), default=12, show_default=True,
              help="How many facts to print.")  # fmt: skip
@click.pass_obj
@handle_errors
def demo(obj: Context, db_path: str | None, port: int, top: int) -> None:
    """Run the whole pipeline on the bundled sample sites and print what it found.

    Serves samples/sites on 127.0.0.1, crawls it with the real spider (feeds,
    sitemaps and listing pages, as samples/sources.toml says), runs the NLP
    stages and prints the top facts. Running it again costs a few conditional
    requests and stores nothing twice.

    \b
    Example:
        newsfacts demo --db demo.db
    """
    db_file = obj.db(db_path)
    try:
        server = serve_folder(SAMPLES / "sites", port)
        base = server.__enter__()
    except OSError as exc:
        raise NewsfactsError(f"cannot serve the sample sites on 127.0.0.1:{port} ({exc.strerror}); "
                             "try --port with another number") from exc  # fmt: skip
    try:
        try:
            sources = load_sources([SAMPLES / "sources.toml"], base=base, shipped=False)
        except SourceError as exc:
            raise NewsfactsError("samples/sources.toml: " + "; ".join(exc.problems)) from exc
        options = CrawlOptions(
            db_path=db_file, entity_files=tuple(obj.settings["entities"]), progress=not obj.quiet,
            scrapy_settings={"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0},
        )  # fmt: skip
        report = run_crawl(list(sources.values()), options)
    finally:
        server.__exit__(None, None, None)
    print_crawl_report(report, quiet=True)
    db = connect(db_file, readonly=True)
    try:
        stored = counts(db)
        rows = query_claims(db, ClaimFilter(sort="published_at"), fold)
    finally:
        db.close()
    print_summary(db_file, report, stored, rows, top)
    if not report.ok:
        raise SystemExit(1)


def print_summary(
    db_file: str, report: Any, stored: dict[str, int], rows: list[dict], top: int
) -> None:
    console = Console()
    fetched = sum(s.counts.get("fetched", 0) for s in report.sources)
    new = sum(s.counts.get("new", 0) + s.counts.get("changed", 0) for s in report.sources)
    console.print(
        f"Crawled {len(report.sources)} sample sites: {fetched} pages fetched, {new} new or changed.\n"
        f"[bold]{db_file}[/bold] holds {stored['documents']} documents, {stored['figures']} figures, "
        f"{stored['claims']} claims and {stored['quotes']} quotes."
    )
    # the facts most sources agree on come first
    support: dict[tuple[Any, ...], set[str]] = {}
    for row in rows:
        support.setdefault((row["subject"], row["metric"], row["value"], row["low"]), set()).add(
            row["doc_id"]
        )
    ranked = sorted(rows, key=lambda r: (-len(support[(r["subject"], r["metric"], r["value"], r["low"])]),
                                         r["metric"] == "other"))  # fmt: skip
    table = Table(title="Top facts (most sources first)", show_lines=False)
    for column in ("subject", "metric", "figure", "period", "source", "docs", "langs"):
        table.add_column(column, overflow="fold")
    shown: set[tuple[Any, ...]] = set()
    for row in ranked:
        key = (row["subject"], row["metric"], row["value"], row["low"])
        if key in shown:
            continue
        shown.add(key)
        langs = sorted(
            {r["lang"] for r in rows if (r["subject"], r["metric"], r["value"], r["low"]) == key}
        )
        table.add_row(row["subject"], row["metric"], row["figure_text"], row["period"] or "",
                      row["source"] or "", str(len(support[key])), ",".join(langs))  # fmt: skip
        if len(shown) >= top:
            break
    console.print(table)
    console.print("Next: newsfacts query --entity 英伟达 · newsfacts review · "
                  "newsfacts export --format csv -o facts.csv")  # fmt: skip
