"""newsfacts ingest PATH...: local files into the database."""

from __future__ import annotations

import signal

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from pipelines.cli import Context, cli, db_option, handle_errors
from pipelines.errors import NewsfactsError
from pipelines.ingest import IngestOptions, IngestReport, run_ingest, stop_on_signals


def progress_bar(quiet: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[current]}", style="dim"),
        console=Console(stderr=True),
        disable=quiet,
        transient=True,
    )


def print_report(report: IngestReport, quiet: bool, title: str = "ingest") -> None:
    err = Console(stderr=True, highlight=False)
    for path, message in report.failures:
        err.print(f"[red]skipped[/red] {path}: {message}")
    if not quiet:
        c = report.counts()
        err.print(
            f"{title}: {c['files']} files — {c['new']} new, {c['changed']} changed, "
            f"{c['unchanged']} unchanged, {c['reanalysed']} re-analysed, {c['failed']} failed; "
            f"{c['figures']} figures, {c['claims']} claims, {c['quotes']} quotes stored"
        )


@cli.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path())
@db_option
@click.option(
    "--source", default="local", show_default=True, help="Source name recorded on each document."
)
@click.option("--lang", type=click.Choice(["auto", "zh", "en", "ja"]), default="auto", show_default=True,
              help="Language of the files; auto detects it per file.")  # fmt: skip
@click.option("--entities", "entity_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Your own entity file (TOML), added to the registry; repeatable.")  # fmt: skip
@click.pass_obj
@handle_errors
def ingest(obj: Context, paths: tuple[str, ...], db_path: str | None, source: str, lang: str,
           entity_files: tuple[str, ...]) -> None:  # fmt: skip
    """Store local articles (.html .htm .txt .md .pdf; folders are searched).

    A file's text, figures, claims and quotes are stored together, never in
    part; files are committed in batches (up to 32, or every second).
    Unchanged files are skipped; changed ones are re-analysed and keep their
    reviews. A file that cannot be read is named on stderr and skipped; the
    exit status is then 1. Ctrl-C or SIGTERM stop it within seconds, keeping
    what was committed (the open batch is rolled back); running it again goes
    on from there.

    \b
    Example:
        newsfacts ingest articles/ notes/report.md --db facts.db
    """
    if not paths:
        raise NewsfactsError("give at least one file or folder to ingest")
    options = IngestOptions(
        db_path=obj.db(db_path),
        source=source,
        lang=None if lang == "auto" else lang,
        entity_files=tuple(obj.settings["entities"]) + entity_files,
        workers=int(obj.settings["workers"]),
    )
    try:
        with stop_on_signals(), progress_bar(obj.quiet) as bar:
            task = bar.add_task("ingest", total=None, current="")

            def advance(done: int, total: int, path: object) -> None:
                bar.update(task, completed=done, total=total, current=str(path)[-50:])

            report = run_ingest(paths, options, on_progress=advance)
    except KeyboardInterrupt as exc:
        name = str(exc) or "SIGINT"
        click.echo(f"newsfacts: ingest interrupted ({name}); the files stored so far are kept; "
                   "run the same ingest again to go on", err=True)  # fmt: skip
        raise SystemExit(128 + getattr(signal, name, signal.SIGINT)) from None
    print_report(report, obj.quiet)
    if not report.ok:
        raise SystemExit(1)
