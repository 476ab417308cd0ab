"""newsfacts review: work through pending claims; every verdict goes to the audit trail."""

from __future__ import annotations

from typing import Any

import click
from rich.console import Console
from rich.text import Text

from db.connection import connect
from db.queries import ClaimFilter, query_claims, reviews_of
from db.store import add_review
from nlp.types import METRICS
from pipelines.cli import Context, cli, db_option, echo_json, handle_errors
from pipelines.commands.query import text_arguments
from pipelines.errors import NewsfactsError
from pipelines.registry_sync import fold


def resolve_claim(db: Any, given: str) -> str:
    """A full claim id, or a unique prefix of one (at least 4 characters)."""
    if len(given) < 4:
        raise NewsfactsError(f"claim id {given!r} is too short; give at least 4 characters")
    rows = list(db.query("SELECT id FROM claims WHERE id LIKE ? LIMIT 2", [given + "%"]))
    if not rows:
        raise NewsfactsError(f"no claim with id {given!r} (see 'newsfacts review list')")
    if len(rows) > 1:
        raise NewsfactsError(
            f"claim id {given!r} is ambiguous: several claims begin with it (the first 6 "
            "characters are their document's); give more characters"
        )
    return str(rows[0]["id"])


def highlighted(row: dict[str, Any]) -> Text:
    sentence = row["sentence"]
    start = row["start"] - row["sentence_start"]
    end = row["end"] - row["sentence_start"]
    text = Text(sentence)
    if 0 <= start < end <= len(sentence):
        text.stylize("bold black on yellow", start, end)
    subject = row.get("subject") or ""
    at = sentence.find(subject) if subject else -1
    if at >= 0:
        text.stylize("bold cyan", at, at + len(subject))
    return text


@cli.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@db_option
@click.pass_context
def review(ctx: click.Context, db_path: str | None) -> None:
    """Review claims: list them, then accept, reject or edit each one.

    Without a subcommand, lists pending claims. Verdicts are appended to the
    `reviews` table (never updated or deleted); the newest verdict is a
    claim's status. Claim ids may be shortened to a unique prefix; the
    first 6 characters are the document's, so give 8 or more.

    \b
    Examples:
        newsfacts review
        newsfacts review accept 3f9a2c --note "matches the 10-Q"
        newsfacts review edit 3f9a2c --value 75.1 --period FY2025Q2
        newsfacts review history 3f9a2c
    """
    ctx.meta["db_path"] = db_path
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_claims, db_path=db_path)


def _db_path(obj: Context, given: str | None) -> str:
    ctx = click.get_current_context()
    return obj.db(given or ctx.meta.get("db_path"))


@review.command("list")
@click.option("--status", default="pending", show_default=True,
              type=click.Choice(["pending", "accepted", "rejected", "edited", "all"]))  # fmt: skip
@click.option("--entity", help="Only claims about this entity (any alias).")
@click.option("--metric", type=click.Choice(METRICS))
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Rows as a JSON array.")
@db_option
@click.pass_obj
@handle_errors
@text_arguments
def list_claims(obj: Context, status: str = "pending", entity: str | None = None,
                metric: str | None = None, limit: int = 20, as_json: bool = False,
                db_path: str | None = None) -> None:  # fmt: skip
    """List claims with their sentence, the figure highlighted."""
    db = connect(_db_path(obj, db_path), readonly=True)
    try:
        flt = ClaimFilter(entity=entity, metric=metric, status=None if status == "all" else status,
                          limit=limit, sort="published_at")  # fmt: skip
        rows = query_claims(db, flt, fold)
    finally:
        db.close()
    if as_json:
        echo_json(rows)
        return
    console = Console(highlight=False)
    for row in rows:
        value = row["value"] if row["value"] is not None else f"{row['low']}–{row['high']}"
        console.print(
            f"[bold]{row['claim_id']}[/bold]  {row['subject']} · {row['metric']} · {value}"
            f"{' ' + row['unit'] if row['unit'] else ''}{' ' + row['currency'] if row['currency'] else ''}"
            f" · {row['period'] or '-'} · [dim]{row['status']}[/dim]"
        )
        console.print(Text("    ").append(highlighted(row)))
        console.print(f"    [dim]{row['doc_title'] or ''} — {row['doc_url']}[/dim]")
    Console(stderr=True).print(f"{len(rows)} claims shown")


def _verdict(obj: Context, claim: str, verdict: str, note: str | None, reviewer: str | None,
             db_path: str | None, edits: dict[str, Any] | None = None) -> None:  # fmt: skip
    db = connect(_db_path(obj, db_path))
    try:
        claim_id = resolve_claim(db, claim)
        review_id = add_review(
            db, claim_id, verdict, reviewer or obj.settings["reviewer"], note, edits
        )
    finally:
        db.close()
    Console(stderr=True).print(f"claim {claim_id}: {verdict} (review #{review_id})")


_common = [
    click.argument("claim"),
    click.option("--note", help="Why; kept in the audit trail."),
    click.option("--reviewer", help="Your name (default: the 'reviewer' setting or $USER)."),
    db_option,
]


def _with_common(func: Any) -> Any:
    for option in reversed(_common):
        func = option(func)
    return func


@review.command()
@_with_common
@click.pass_obj
@handle_errors
@text_arguments
def accept(
    obj: Context, claim: str, note: str | None, reviewer: str | None, db_path: str | None
) -> None:
    """Accept CLAIM as extracted."""
    _verdict(obj, claim, "accepted", note, reviewer, db_path)


@review.command()
@_with_common
@click.pass_obj
@handle_errors
@text_arguments
def reject(
    obj: Context, claim: str, note: str | None, reviewer: str | None, db_path: str | None
) -> None:
    """Reject CLAIM (wrong subject, metric or value, or not a claim at all)."""
    _verdict(obj, claim, "rejected", note, reviewer, db_path)


@review.command()
@_with_common
@click.option("--subject", help="Corrected subject (a canonical name).")
@click.option("--metric", type=click.Choice(METRICS), help="Corrected metric.")
@click.option("--value", type=float, help="Corrected value.")
@click.option("--low", type=float, help="Corrected lower end of a range.")
@click.option("--high", type=float, help="Corrected upper end of a range.")
@click.option("--period", help="Corrected period (2024, 2024Q2, FY2025Q2, 2024H1, 2024-06).")
@click.pass_obj
@handle_errors
@text_arguments
def edit(obj: Context, claim: str, note: str | None, reviewer: str | None, db_path: str | None,
         **fields: Any) -> None:  # fmt: skip
    """Correct CLAIM's subject, metric, value or period; the claim counts as reviewed."""
    edits = {k: v for k, v in fields.items() if v is not None}
    if not edits:
        raise NewsfactsError(
            "give at least one of --subject, --metric, --value, --low/--high, --period"
        )
    if ("low" in edits) != ("high" in edits):
        raise NewsfactsError("--low and --high go together")
    _verdict(obj, claim, "edited", note, reviewer, db_path, edits)


@review.command()
@click.argument("claim")
@db_option
@click.pass_obj
@handle_errors
@text_arguments
def history(obj: Context, claim: str, db_path: str | None) -> None:
    """Every verdict given on CLAIM, oldest first (JSON lines)."""
    db = connect(_db_path(obj, db_path), readonly=True)
    try:
        claim_id = resolve_claim(db, claim)
        for row in reviews_of(db, claim_id):
            echo_json(row)
    finally:
        db.close()
