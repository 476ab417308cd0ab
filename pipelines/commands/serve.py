"""newsfacts serve (the review desk) and newsfacts chart."""

from __future__ import annotations

import secrets

import click
from rich.console import Console

from db.connection import connect
from db.queries import ClaimFilter, query_claims
from nlp.types import METRICS
from pipelines.charts import FORMATS, chart_subject, render_metric_chart
from pipelines.cli import Context, cli, db_option, handle_errors
from pipelines.errors import NewsfactsError
from pipelines.export import safe_output_path, write_atomically
from pipelines.registry_sync import fold
from pipelines.web import LOOPBACK, DeskConfig, create_app


@cli.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True)
@click.option(
    "--token",
    envvar="NEWSFACTS_TOKEN",
    help="Access token (required, or generated, when --host is not loopback).",
)
@click.option(
    "--reviewer", help="Name recorded with verdicts (default: the 'reviewer' setting or $USER)."
)
@db_option
@click.pass_obj
@handle_errors
def serve(
    obj: Context, host: str, port: int, token: str | None, reviewer: str | None, db_path: str | None
) -> None:
    """Open the review desk: a web page over the database for working through claims.

    A queue of pending claims with the sentence, the figure and the subject
    highlighted, the same fact from other sources and languages, and any
    conflict; accept, reject or edit each one (keys a / r / e, j / k to
    move). Every verdict goes to the audit trail. Filters by entity (any
    alias), metric, language, source, dates, status and a search that reads
    Chinese. Charts of a metric over time at /chart.

    Listens on 127.0.0.1 unless told otherwise; on any other address a token
    is required (given, or generated and printed here).

    \b
    Examples:
        newsfacts serve
        newsfacts serve --host 0.0.0.0 --port 8080 --token s3cret
    """
    import uvicorn

    path = obj.db(db_path)
    connect(path, readonly=True).close()  # fail early and clearly on a bad path
    if host not in LOOPBACK and not token:
        token = secrets.token_urlsafe(24)
        Console(stderr=True).print(f"listening beyond this machine: token required. Open "
                                   f"http://{host}:{port}/queue?token={token}")  # fmt: skip
    app = create_app(
        DeskConfig(
            db_path=path,
            reviewer=reviewer or obj.settings["reviewer"],
            token=token,
            hosts=() if token else LOOPBACK,  # on loopback, loopback names only
        )
    )
    if not obj.quiet:
        Console(stderr=True).print(f"review desk on http://{host}:{port}/queue (Ctrl-C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning")


@cli.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--entity", required=True, help="Subject: any alias in any script.")
@click.option("--metric", type=click.Choice(METRICS), required=True)
@click.option("-o", "--output", required=True, metavar="FILE", help="chart.svg or chart.png")
@click.option("--root", type=click.Path(file_okay=False, exists=True), default=None,
              help="Folder the output must stay inside (default: the working directory).")  # fmt: skip
@db_option
@click.pass_obj
@handle_errors
def chart(
    obj: Context, entity: str, metric: str, output: str, root: str | None, db_path: str | None
) -> None:
    """Draw a metric of an entity over time, one point per claim (SVG or PNG).

    \b
    Example:
        newsfacts chart --entity 英伟达 --metric gross_margin -o margin.svg
    """
    fmt = output.rsplit(".", 1)[-1].lower()
    if fmt not in FORMATS:
        raise NewsfactsError(f"cannot tell the format of {output!r}; end it in .svg or .png")
    target = safe_output_path(output, root)
    db = connect(obj.db(db_path), readonly=True)
    try:
        rows = query_claims(db, ClaimFilter(entity=entity, metric=metric), fold)
    finally:
        db.close()
    write_atomically(
        target, render_metric_chart(rows, f"{chart_subject(rows, entity)} - {metric}", fmt)
    )
    if not obj.quiet:
        Console(stderr=True).print(f"wrote {len(rows)} claims to {target}")
