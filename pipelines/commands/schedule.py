"""newsfacts schedule run|list|install, and newsfacts runs (the run history)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from crawler.sources import SourceError, load_sources
from db.connection import connect
from pipelines.cli import Context, cli, db_option, echo_json, handle_errors
from pipelines.commands.crawl import user_source_files
from pipelines.errors import NewsfactsError
from pipelines.schedule import Scheduler, crontab_lines, next_runs_text, plans, systemd_units


def _sources(obj: Context, files: tuple[str, ...], only: bool = False) -> tuple[list, list[str]]:
    paths = user_source_files(obj, files)
    try:
        return list(load_sources(paths, shipped=not only).values()), paths
    except SourceError as exc:
        raise NewsfactsError(
            "the source list has problems:\n  " + "\n  ".join(exc.problems)
        ) from exc


def sources_option(func):  # type: ignore[no-untyped-def]
    func = click.option(
        "--sources-only", is_flag=True, help="Use only the --sources files, not the shipped list."
    )(func)
    return click.option("--sources", "source_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
                        help="Your own source list (TOML), added to the shipped one.")(func)  # fmt: skip


@cli.group(context_settings={"help_option_names": ["-h", "--help"]})
def schedule() -> None:
    """Crawl every source on its own cron schedule (the 'schedule' field of the source list).

    \b
    Examples:
        newsfacts schedule list
        newsfacts schedule run                # runs until SIGTERM / Ctrl-C
        newsfacts schedule install            # print crontab lines instead
        newsfacts schedule install --systemd --write ~/.config/systemd/user
    """


@schedule.command("run")
@click.option(
    "--once", is_flag=True, help="Start the crawls that are due now, wait for them, and exit."
)
@click.option("--parallel", type=click.IntRange(min=1), default=2, show_default=True,
              help="Sources crawled at the same time.")  # fmt: skip
@sources_option
@db_option
@click.pass_obj
@handle_errors
def run_schedule(
    obj: Context,
    once: bool,
    parallel: int,
    source_files: tuple[str, ...],
    sources_only: bool,
    db_path: str | None,
) -> None:
    """Run the scheduler: each due source is crawled in its own process.

    A source whose previous run is still going (in any process) is skipped
    and the skip recorded; after downtime a missed run runs once. SIGTERM
    lets running crawls finish their pages and stops cleanly.
    """
    sources, paths = _sources(obj, source_files, sources_only)
    db = obj.db(db_path)
    connect(db).close()
    scheduler = Scheduler(db, sources, paths, max_parallel=parallel, sources_only=sources_only)
    scheduler.install_signal_handlers()
    if not obj.quiet:
        Console(stderr=True).print(f"scheduler: {sum(1 for s in sources if s.schedule)} scheduled sources; "
                                   "SIGTERM or Ctrl-C to stop")  # fmt: skip
    started = scheduler.run(once=once)
    if not obj.quiet:
        Console(stderr=True).print(f"scheduler stopped after starting {started} crawl(s)")


@schedule.command("list")
@sources_option
@db_option
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
@handle_errors
def list_schedule(
    obj: Context,
    source_files: tuple[str, ...],
    sources_only: bool,
    db_path: str | None,
    as_json: bool,
) -> None:
    """Each scheduled source: its cron, last run (and how it ended) and next run."""
    sources, _ = _sources(obj, source_files, sources_only)
    db = connect(obj.db(db_path))
    try:
        found = plans(db, sources)
    finally:
        db.close()
    if as_json:
        echo_json([{"source": p.source, "schedule": p.schedule, "last_run": p.last_run, "last_status": p.last_status,
                    "next_run": p.next_due.isoformat(), "due": p.due} for p in found])  # fmt: skip
        return
    table = Table()
    for column in ("source", "schedule", "last run", "status", "next run", "due"):
        table.add_column(column)
    for p in found:
        table.add_row(p.source, p.schedule, p.last_run or "never", p.last_status or "",
                      f"{p.next_due:%Y-%m-%d %H:%M} UTC ({next_runs_text(p)})", "yes" if p.due else "")  # fmt: skip
    Console().print(table)


@schedule.command("install")
@click.option("--systemd", is_flag=True, help="systemd timer units instead of crontab lines.")
@click.option("--write", "write_to", type=click.Path(file_okay=False), default=None,
              help="Write the units (or a crontab file) into this folder instead of printing them.")  # fmt: skip
@sources_option
@db_option
@click.pass_obj
@handle_errors
def install(
    obj: Context,
    systemd: bool,
    write_to: str | None,
    source_files: tuple[str, ...],
    sources_only: bool,
    db_path: str | None,
) -> None:
    """Print (or write) the crontab lines or systemd timers equivalent to the schedule."""
    sources, _ = _sources(obj, source_files, sources_only)
    db = str(Path(obj.db(db_path)).resolve())
    beside = Path(sys.executable).with_name("newsfacts")
    executable = (
        str(beside)
        if beside.exists()
        else (shutil.which("newsfacts") or f"{sys.executable} -m pipelines")
    )
    workdir = Path.cwd()
    if systemd:
        units = systemd_units(sources, db, workdir, executable)
        if write_to:
            folder = Path(write_to)
            folder.mkdir(parents=True, exist_ok=True)
            for name, text in units.items():
                (folder / name).write_text(text, encoding="utf-8")
            click.echo(f"wrote {len(units)} units to {folder}; then: systemctl --user daemon-reload && "
                       "systemctl --user enable --now newsfacts-crawl-*.timer")  # fmt: skip
            return
        for name, text in units.items():
            click.echo(f"# ---- {name}\n{text}")
        return
    lines = crontab_lines(sources, db, workdir, executable, Path(f"{db}.logs"))
    if write_to:
        folder = Path(write_to)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "newsfacts.crontab").write_text("\n".join(lines) + "\n", encoding="utf-8")
        click.echo(
            f"wrote {folder / 'newsfacts.crontab'}; install it with: crontab {folder / 'newsfacts.crontab'}"
        )
        return
    click.echo("\n".join(lines))


@cli.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--source", help="Only runs of this source.")
@click.option(
    "--status", type=click.Choice(["ok", "partial", "failed", "skipped", "interrupted", "running"])
)
@click.option("--command", "command_name", type=click.Choice(["crawl", "ingest", "reextract"]))
@click.option("--since", metavar="DATE", help="Runs started on or after DATE.")
@click.option("--warnings", "with_warnings", is_flag=True, help="Only runs with quality warnings.")
@click.option("--limit", type=click.IntRange(min=1), default=30, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@db_option
@click.pass_obj
@handle_errors
def runs(obj: Context, source: str | None, status: str | None, command_name: str | None, since: str | None,
         with_warnings: bool, limit: int, as_json: bool, db_path: str | None) -> None:  # fmt: skip
    """The run history: what ran, when, how it ended, its counts, errors and quality warnings.

    The exit status is 1 when the newest run shown failed or has warnings,
    so a monitoring script can call `newsfacts runs --source X --limit 1`.
    """
    where, params = ["1 = 1"], []
    for column, value in (("source", source), ("status", status), ("command", command_name)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    if since:
        where.append("started_at >= ?")
        params.append(since)
    if with_warnings:
        where.append("warnings IS NOT NULL AND warnings != '[]'")
    db = connect(obj.db(db_path), readonly=True)
    try:
        found = list(
            db.query(
                f"SELECT * FROM runs WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT ?",
                [*params, limit],
            )
        )
    finally:
        db.close()
    for row in found:
        for key in ("counts", "errors", "warnings"):
            row[key] = json.loads(row[key]) if row[key] else ({} if key == "counts" else [])
    if as_json:
        echo_json(found)
    else:
        table = Table()
        for column in (
            "#",
            "command",
            "source",
            "started",
            "status",
            "counts",
            "warnings / errors",
        ):
            table.add_column(column, overflow="fold")
        for row in found:
            counts = ", ".join(f"{k} {v}" for k, v in row["counts"].items() if v and k in
                               ("fetched", "new", "changed", "unchanged", "failed", "claims", "files"))  # fmt: skip
            notes = "; ".join([*row["warnings"], *row["errors"][:3]])
            table.add_row(
                str(row["id"]),
                row["command"],
                row["source"] or "",
                row["started_at"],
                row["status"],
                counts,
                notes,
            )
        Console().print(table)
    if found and (
        found[0]["status"] in ("failed", "interrupted", "partial") or found[0]["warnings"]
    ):
        raise SystemExit(1)
