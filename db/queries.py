"""Named reads: the fact table with filters, entity lookups, counts.

Filter values only ever travel as SQL parameters; column and sort names are
checked against the fact table's own columns first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from db.errors import DatabaseError

# The contract's fact-table columns, in its order (spec/extract.md).
FACT_COLUMNS: tuple[str, ...] = (
    "claim_id", "subject", "metric", "value", "low", "high", "unit", "currency", "qualifier",
    "period", "source", "figure_text", "sentence", "start", "end",
    "doc_id", "doc_url", "doc_title", "published_at", "lang", "status",
)  # fmt: skip
EXTRA_COLUMNS: tuple[str, ...] = (
    "kind", "direction", "entity_id", "fact_key", "doc_source", "sentence_start", "sentence_end",
    "reviewer", "review_note", "reviewed_at",
)  # fmt: skip
ALL_COLUMNS = FACT_COLUMNS + EXTRA_COLUMNS
STATUSES = ("pending", "accepted", "rejected", "edited")


@dataclass(frozen=True)
class ClaimFilter:
    entity: str | None = None  # any alias, any script
    metric: str | None = None
    lang: str | None = None
    source: str | None = None  # the site a document came from, or a claim's attribution
    since: str | None = None  # published on or after (ISO date)
    until: str | None = None  # published on or before (ISO date)
    status: str | None = None
    search: Sequence[str] = ()  # words, already segmented like the index
    accepted_only: bool = False
    fetched_since: str | None = None
    sort: str = "published_at"
    descending: bool = True
    limit: int | None = None
    offset: int = 0
    columns: Sequence[str] = field(default_factory=lambda: ALL_COLUMNS)


def check_column(name: str) -> str:
    if name not in ALL_COLUMNS:
        raise DatabaseError(f"unknown column {name!r}; allowed: {', '.join(ALL_COLUMNS)}")
    return name


def entity_ids(db: Database, name: str, fold: Callable[[str], str]) -> list[str]:
    """Canonical ids whose alias (or canonical name) is `name`, in any letter case."""
    rows = db.query(
        "SELECT DISTINCT entity_id FROM entity_aliases WHERE alias = ? OR folded = ?",
        [name, fold(name)],
    )
    return [row["entity_id"] for row in rows]


def fts_query(words: Sequence[str]) -> str:
    """Every word must occur; each is a quoted FTS5 string, so no syntax leaks in."""
    return " ".join('"' + w.replace('"', '""') + '"' for w in words if w.strip())


def query_claims(
    db: Database, flt: ClaimFilter, fold: Callable[[str], str] = str.lower
) -> list[dict[str, Any]]:
    columns = [check_column(c) for c in flt.columns]
    sort = check_column(flt.sort)
    where: list[str] = []
    params: list[Any] = []
    if flt.entity:
        ids = entity_ids(db, flt.entity, fold)
        marks = ", ".join("?" for _ in ids)
        clause = "subject = ?" + (f" OR entity_id IN ({marks})" if ids else "")
        where.append(f"({clause})")
        params += [flt.entity, *ids]
    if flt.metric:
        where.append("metric = ?")
        params.append(flt.metric)
    if flt.lang:
        where.append("lang = ?")
        params.append(flt.lang)
    if flt.source:
        where.append("(doc_source = ? OR source = ?)")
        params += [flt.source, flt.source]
    if flt.since:
        where.append("substr(published_at, 1, 10) >= ?")
        params.append(flt.since[:10])
    if flt.until:
        where.append("substr(published_at, 1, 10) <= ?")
        params.append(flt.until[:10])
    if flt.status:
        if flt.status not in STATUSES:
            raise DatabaseError(f"unknown status {flt.status!r}; allowed: {', '.join(STATUSES)}")
        where.append("status = ?")
        params.append(flt.status)
    if flt.accepted_only:
        where.append("status IN ('accepted', 'edited')")
    if flt.fetched_since:
        where.append("doc_id IN (SELECT id FROM documents WHERE fetched_at >= ?)")
        params.append(flt.fetched_since)
    if flt.search:
        match = fts_query(flt.search)
        if match:
            where.append(
                "(claim_id IN (SELECT claim_id FROM claims_fts WHERE claims_fts MATCH ?)"
                " OR doc_id IN (SELECT document_id FROM documents_fts WHERE documents_fts MATCH ?))"
            )
            params += [match, match]
    sql = "SELECT " + ", ".join(f'"{c}"' for c in columns) + " FROM fact_table"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f' ORDER BY "{sort}" {"DESC" if flt.descending else "ASC"}, claim_id'
    if flt.limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [flt.limit, flt.offset]
    return list(db.query(sql, params))


def counts(db: Database) -> dict[str, int]:
    tables = ("documents", "mentions", "figures", "claims", "quotes", "reviews", "runs")
    return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def claim(db: Database, claim_id: str) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM fact_table WHERE claim_id = ?", [claim_id]))
    return rows[0] if rows else None


def reviews_of(db: Database, claim_id: str) -> list[dict[str, Any]]:
    return list(db.query("SELECT * FROM reviews WHERE claim_id = ? ORDER BY id", [claim_id]))
