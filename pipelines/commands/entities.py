"""newsfacts entities suggest | list | lookup: grow and inspect the alias registry.

The registry (nlp/data/entities.toml, plus your own files in the same format
listed under `entities` in newsfacts.toml or given with --entities) names
every entity once. `suggest` reads the database for names the extractor found
but the registry does not know, most frequent first, so that a person can add
them; `lookup` shows the record any alias belongs to; `list` prints them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click

from db.connection import connect
from nlp.aliases import AliasRegistry, EntityRecord
from nlp.types import ENTITY_LABELS
from pipelines.cli import Context, F, cli, db_option, echo_json, handle_errors


@dataclass(frozen=True, slots=True)
class Suggestion:
    surface: str
    label: str
    mentions: int
    documents: int


def suggest_entities(
    db_path: str | Path, min_count: int = 2, lang: str | None = None, limit: int | None = None
) -> list[Suggestion]:
    """Entity surfaces in `mentions` with no registry entry, most frequent first."""
    db = connect(db_path, readonly=True)
    sql = (
        "SELECT m.surface, m.label, COUNT(*) AS n, COUNT(DISTINCT m.document_id) AS docs "
        "FROM mentions m JOIN documents d ON d.id = m.document_id "
        "WHERE (m.entity_id IS NULL OR m.entity_id = '') AND (:lang IS NULL OR d.lang = :lang) "
        "GROUP BY m.surface, m.label HAVING COUNT(*) >= :min_count "
        "ORDER BY n DESC, docs DESC, m.surface"
    )
    params: dict[str, object] = {"lang": lang, "min_count": min_count}
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    try:
        rows = db.execute(sql, params).fetchall()
    finally:
        db.conn.close()
    return [Suggestion(surface, label, int(n), int(docs)) for surface, label, n, docs in rows]


def lookup_entity(registry: AliasRegistry, name: str) -> EntityRecord | None:
    """The record of any alias, in any script and (for long Latin names) any letter case."""
    canonical = registry.canonical(name.strip())
    return registry.record(canonical) if canonical else None


def record_json(record: EntityRecord) -> dict[str, object]:
    return {
        "canonical": record.canonical,
        "label": record.label,
        "aliases": list(record.aliases),
        "org": record.org,
        "role": record.role,
    }


def _registry(ctx: Context, files: tuple[str, ...]) -> AliasRegistry:
    configured = tuple(str(p) for p in ctx.settings.get("entities") or ())
    return AliasRegistry.load(configured + files)


def _entities_option(func: F) -> F:
    return click.option(
        "--entities",
        "entity_files",
        multiple=True,
        metavar="FILE",
        help="Your own entity file (TOML, the registry's format); repeatable.",
    )(func)


@cli.group(context_settings={"help_option_names": ["-h", "--help"]})
def entities() -> None:
    """Grow and inspect the alias registry of organisations, people, products and places.

    \b
    Examples:
        newsfacts entities suggest --min-count 3 --lang zh
        newsfacts entities lookup 輝達
        newsfacts entities list --label PERSON
    """


@entities.command("suggest")
@db_option
@click.option("--min-count", type=click.IntRange(min=1), default=2, show_default=True,
              help="Only names seen at least this often.")  # fmt: skip
@click.option("--lang", type=click.Choice(["zh", "en", "ja"]), help="Only documents in LANG.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most N names.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.pass_obj
@handle_errors
def suggest(
    ctx: Context,
    db_path: str | None,
    min_count: int,
    lang: str | None,
    limit: int | None,
    as_json: bool,
) -> None:
    """Frequent entity names in the database that the registry does not know.

    Add the ones worth keeping to your entity file (see `newsfacts entities
    lookup` for the format of a record) and re-extract.

    \b
    Example:
        newsfacts entities suggest --db newsfacts.db --min-count 3
    """
    for item in suggest_entities(ctx.db(db_path), min_count, lang, limit):
        if as_json:
            echo_json({"surface": item.surface, "label": item.label,
                       "mentions": item.mentions, "documents": item.documents})  # fmt: skip
        else:
            click.echo(
                f"{item.mentions:>6}  {item.documents:>5} docs  {item.label:<8} {item.surface}"
            )


@entities.command("lookup")
@click.argument("name")
@_entities_option
@click.pass_obj
@handle_errors
def lookup(ctx: Context, name: str, entity_files: tuple[str, ...]) -> None:
    """Print the registry record NAME belongs to (any alias, any script) as JSON.

    Exits with status 1 when no record has that name.

    \b
    Example:
        newsfacts entities lookup 英偉達
    """
    record = lookup_entity(_registry(ctx, entity_files), name)
    if record is None:
        click.echo(f"newsfacts: no entity named {name!r} in the registry", err=True)
        raise SystemExit(1)
    echo_json(record_json(record))


@entities.command("list")
@click.option("--label", type=click.Choice(ENTITY_LABELS), help="Only entities with this label.")
@_entities_option
@click.pass_obj
@handle_errors
def list_entities(ctx: Context, label: str | None, entity_files: tuple[str, ...]) -> None:
    """Every registry entry: canonical name, label and aliases, one per line.

    \b
    Example:
        newsfacts entities list --label PRODUCT
    """
    registry = _registry(ctx, entity_files)
    for record in sorted(
        registry.records.values(), key=lambda r: (r.label, r.canonical.casefold())
    ):
        if label is None or record.label == label:
            aliases = ", ".join(record.aliases)
            click.echo(
                f"{record.label:<8} {record.canonical}" + (f"  ({aliases})" if aliases else "")
            )
