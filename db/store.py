"""Typed writes: one document with everything extracted from it, reviews, runs, entities.

`save_document` is the unit of work of ingest and crawl: the document row, its
URL aliases, mentions, figures, claims, quotes and full-text rows commit
together or not at all. Unchanged content costs one lookup and no writes but
the URL alias; changed content replaces the extractions and leaves every
review in place (reviews are keyed by claim id, and claim ids come from
content, so an unchanged claim finds its verdict again).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any, Literal

from sqlite_utils import Database

from db.connection import write_transaction
from db.errors import DatabaseError

SaveOutcome = Literal["new", "changed", "unchanged", "reanalysed"]


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True, slots=True)
class DocumentRow:
    id: str
    url: str
    canonical_url: str
    source: str | None
    lang: str
    title: str | None
    author: str | None
    published_at: str | None
    fetched_at: str
    text: str
    content_sha256: str
    extractor_version: str
    replacement_share: float = 0.0
    duplicate_of: str | None = None


# The rows below are plain dataclasses, not frozen ones: a page makes hundreds, and
# a frozen dataclass's __init__ costs three times a plain one's.
@dataclass(slots=True)
class MentionRow:
    id: str
    entity_id: str | None
    surface: str
    label: str
    start: int
    end: int


@dataclass(slots=True)
class FigureRow:
    id: str
    start: int
    end: int
    text: str
    kind: str
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    currency: str | None
    qualifier: str
    error: str | None = None


@dataclass(slots=True)
class ClaimRow:
    id: str
    figure_id: str
    subject: str
    entity_id: str | None
    metric: str
    direction: str | None
    period: str | None
    source: str | None
    sentence: str
    sentence_start: int
    sentence_end: int
    fact_key: str | None = None


@dataclass(slots=True)
class QuoteRow:
    id: str
    start: int
    end: int
    text: str
    speaker: str | None
    speaker_entity: str | None
    anonymous: bool
    cue: str | None


@dataclass(frozen=True)
class Extraction:
    """Everything found in one document, ready to store."""

    mentions: Sequence[MentionRow] = ()
    figures: Sequence[FigureRow] = ()
    claims: Sequence[ClaimRow] = ()
    quotes: Sequence[QuoteRow] = ()
    search_title: str = ""
    search_body: str = ""


def ensure_source(db: Database, name: str, kind: str, lang: str | None = None,
                  url: str | None = None) -> None:  # fmt: skip
    db.execute(
        "INSERT INTO sources (name, lang, kind, url, created_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(name) DO NOTHING",
        [name, lang, kind, url, now_iso()],
    )


def find_document(db: Database, canonical_url: str) -> dict[str, Any] | None:
    rows = list(
        db.query(
            "SELECT id, content_sha256, extractor_version FROM documents WHERE canonical_url = ?",
            [canonical_url],
        )
    )
    return rows[0] if rows else None


def unchanged(db: Database, canonical_url: str, content_sha256: str, version: str) -> bool:
    """True when this content was stored already by this extractor version."""
    row = find_document(db, canonical_url)
    return bool(
        row and row["content_sha256"] == content_sha256 and row["extractor_version"] == version
    )


def add_url_alias(db: Database, url: str, document_id: str) -> None:
    db.execute(
        "INSERT INTO document_urls (url, document_id, first_seen) VALUES (?, ?, ?) "
        "ON CONFLICT(url) DO NOTHING",
        [url, document_id, now_iso()],
    )


def save_document(
    db: Database,
    doc: DocumentRow,
    extraction: Extraction,
    *,
    aliases: Iterable[str] = (),
    force: bool = False,
) -> SaveOutcome:
    """Store `doc` and its extraction in one transaction; returns what happened.
    With `force`, an unchanged document's extraction is replaced all the same."""
    with write_transaction(db):
        existing = find_document(db, doc.canonical_url)
        if existing and existing["id"] != doc.id:
            doc = _with_id(doc, existing["id"])
        outcome: SaveOutcome = "new"
        if existing:
            same_text = existing["content_sha256"] == doc.content_sha256
            if same_text and existing["extractor_version"] == doc.extractor_version and not force:
                for url in {doc.url, *aliases}:
                    add_url_alias(db, url, doc.id)
                return "unchanged"
            outcome = "reanalysed" if same_text else "changed"
            _delete_extraction(db, doc.id)
            row = asdict(doc)
            row["updated_at"] = now_iso()
            db.table("documents").update(doc.id, row)
        else:
            # Rows a document deleted by hand left behind (a plain sqlite3 shell does
            # not enforce foreign keys) would clash with the ones it gets again.
            _delete_rows(db, doc.id)
            db.execute(_INSERT_DOCUMENT, [*_document_cells(doc), doc.fetched_at, _next_seq(db)])
        for url in {doc.url, *aliases}:
            add_url_alias(db, url, doc.id)
        _insert_extraction(db, doc.id, extraction)
        return outcome


def _with_id(doc: DocumentRow, new_id: str) -> DocumentRow:
    data = asdict(doc)
    data["id"] = new_id
    return DocumentRow(**data)


def _next_seq(db: Database) -> int:
    """The next free document `seq` (the key of its full-text row)."""
    return int(db.execute("SELECT IFNULL(MAX(seq), 0) + 1 FROM documents").fetchone()[0])


def _delete_rows(db: Database, document_id: str) -> None:
    for table in ("claims", "quotes", "mentions", "figures"):
        db.execute(f"DELETE FROM {table} WHERE document_id = ?", [document_id])


def _delete_extraction(db: Database, document_id: str) -> None:
    _delete_rows(db, document_id)
    db.execute(
        "DELETE FROM documents_fts WHERE rowid = (SELECT seq FROM documents WHERE id = ?)",
        [document_id],
    )


def _insert_extraction(db: Database, document_id: str, ex: Extraction) -> None:
    # Plain executemany with the rows' own fields: sqlite-utils' insert_all looks
    # the table up again on every call, which cost more than the rows themselves.
    # (sqlite3 binds a bool as the integer 0 or 1, as sqlite-utils stored it.)
    for items in (ex.mentions, ex.figures, ex.claims, ex.quotes):
        if items:
            insert, cells = _INSERTS[type(items[0])]
            db.conn.executemany(insert, [(*cells(item), document_id) for item in items])
    db.execute(
        "INSERT INTO documents_fts (rowid, document_id, title, body) "
        "SELECT seq, id, ?, ? FROM documents WHERE id = ?",
        [ex.search_title, ex.search_body, document_id],
    )


def _insert(
    table: str, row: type, after: tuple[str, ...] = ("document_id",)
) -> tuple[str, Callable[[Any], tuple[Any, ...]]]:
    """The INSERT of `row`'s fields (then the columns `after`, given by the caller)
    into `table`, and a function that reads those fields off an item in the same order.

    A plain INSERT: `save_document` deletes a document's old rows (and any a
    hand-deleted document left behind) before its new ones go in, so there is
    nothing to replace. INSERT OR REPLACE cost a fifth of
    storage, since with foreign keys on SQLite readies every such insert for
    deleting a row other rows point at; and an id clash, which it would have
    settled by overwriting the other row, is an error that fails the one
    document instead."""
    names = tuple(f.name for f in fields(row))
    columns = ", ".join(f'"{name}"' for name in (*names, *after))
    marks = ", ".join("?" * (len(names) + len(after)))
    getter = attrgetter(*names)
    return f"INSERT INTO {table} ({columns}) VALUES ({marks})", getter


# A new document's row: its fields, then updated_at (its fetch time) and seq.
_INSERT_DOCUMENT, _document_cells = _insert("documents", DocumentRow, ("updated_at", "seq"))

_INSERTS = {
    row: _insert(table, row)
    for table, row in (
        ("mentions", MentionRow),
        ("figures", FigureRow),
        ("claims", ClaimRow),
        ("quotes", QuoteRow),
    )
}


# ------------------------------------------------------------------ entities


def sync_entities(db: Database, records: Iterable[tuple[str, str, str | None, Iterable[str]]],
                  fold: Any) -> int:  # fmt: skip
    """Mirror the alias registry into `entities` / `entity_aliases` (one transaction)."""
    count = 0
    with write_transaction(db):
        db.execute("DELETE FROM entity_aliases")
        for canonical, label, org, aliases in records:
            db.execute(
                "INSERT INTO entities (id, label, org) VALUES (?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET label = excluded.label, org = excluded.org",
                [canonical, label, org],
            )
            for alias in {canonical, *aliases}:
                db.execute(
                    "INSERT OR IGNORE INTO entity_aliases (alias, folded, entity_id) "
                    "VALUES (?, ?, ?)",
                    [alias, fold(alias), canonical],
                )
            count += 1
    return count


# ------------------------------------------------------------------ reviews

VERDICTS = ("accepted", "rejected", "edited")
EDITABLE = ("subject", "metric", "value", "low", "high", "period")


def add_review(
    db: Database,
    claim_id: str,
    verdict: str,
    reviewer: str,
    note: str | None = None,
    edits: dict[str, Any] | None = None,
) -> int:
    """Append a verdict to the audit trail; returns the review id."""
    if verdict not in VERDICTS:
        raise DatabaseError(f"verdict {verdict!r} is not one of {', '.join(VERDICTS)}")
    edits = dict(edits or {})
    unknown = sorted(set(edits) - set(EDITABLE))
    if unknown:
        raise DatabaseError(
            f"cannot edit {', '.join(unknown)}; editable fields: {', '.join(EDITABLE)}"
        )
    if verdict == "edited" and not edits:
        raise DatabaseError("an 'edited' verdict needs at least one edited field")
    if verdict != "edited" and edits:
        raise DatabaseError("edited values are only kept with the verdict 'edited'")
    for name in ("value", "low", "high"):
        number = edits.get(name)
        if number is not None and (
            isinstance(number, bool)
            or not isinstance(number, (int, float))
            or not math.isfinite(number)
        ):
            raise DatabaseError(f"{name} {number!r} is not a finite number")
    texts = {"claim id": claim_id, "reviewer": reviewer, "note": note, **edits}
    for name, text in texts.items():
        if isinstance(text, str) and not valid_text(text):
            raise DatabaseError(
                f"{name} {text!r} is not valid text: it holds bytes that are not UTF-8"
            )
    with write_transaction(db):
        rows = list(db.query("SELECT * FROM fact_table WHERE claim_id = ?", [claim_id]))
        if not rows:
            raise DatabaseError(f"no claim with id {claim_id!r}")
        cursor = db.execute(
            "INSERT INTO reviews (claim_id, verdict, subject, metric, value, low, high, period, "
            "reviewer, note, created_at, snapshot) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                claim_id,
                verdict,
                edits.get("subject"),
                edits.get("metric"),
                edits.get("value"),
                edits.get("low"),
                edits.get("high"),
                edits.get("period"),
                reviewer,
                note,
                now_iso(),
                json.dumps(
                    {k: None if _not_finite(v) else v for k, v in rows[0].items()},
                    ensure_ascii=False,
                    allow_nan=False,
                ),
            ],
        )
        return int(cursor.lastrowid or 0)


def valid_text(text: str) -> bool:
    """False for a str SQLite cannot store: lone surrogates (bytes that were not UTF-8,
    smuggled in through a command-line argument or a JSON escape)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _not_finite(value: Any) -> bool:
    return isinstance(value, float) and not math.isfinite(value)


# ------------------------------------------------------------------ runs


def start_run(db: Database, command: str, source: str | None = None) -> int:
    with write_transaction(db):
        cursor = db.execute(
            "INSERT INTO runs (command, source, started_at, status) VALUES (?, ?, ?, 'running')",
            [command, source, now_iso()],
        )
        return int(cursor.lastrowid or 0)


def finish_run(
    db: Database,
    run_id: int,
    status: str,
    counts: dict[str, int],
    errors: Sequence[str] = (),
    warnings: Sequence[str] = (),
) -> None:
    with write_transaction(db):
        db.execute(
            "UPDATE runs SET finished_at = ?, status = ?, counts = ?, errors = ?, warnings = ? "
            "WHERE id = ?",
            [
                now_iso(),
                status,
                json.dumps(counts),
                json.dumps(list(errors)[:1000], ensure_ascii=False),
                json.dumps(list(warnings), ensure_ascii=False),
                run_id,
            ],
        )
