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
    ids = entity_ids(db, flt.entity, fold) if flt.entity else []
    if flt.entity:
        where.append(f"({_entity_clause(ids)})")
        params += [flt.entity, *ids]
    if flt.metric:
        where.append("metric = ?")
        params.append(flt.metric)
    if few := _few_candidates(db, flt.entity, ids, flt.metric):
        where.append(few[0])
        params += few[1]
    if flt.lang:
        where.append("lang = ?")
        params.append(flt.lang)
    if flt.source:
        where.append("(doc_source = ? OR source = ?)")
        params += [flt.source, flt.source]
    # Dates compare as ISO text, so a bound on the column itself can use its
    # index: on or after day D is `>= D`, on or before day D is `< D + "~"`
    # (any time or offset written after D sorts below "~").
    if flt.since:
        where.append("published_at >= ?")
        params.append(flt.since[:10])
    if flt.until:
        where.append("published_at < ?")
        params.append(flt.until[:10] + "~")
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
            # Full-text rows are keyed by the document's seq, so matches come
            # from the index's doclists alone; the unary + keeps the planner
            # walking documents newest first instead of sorting every match.
            where.append(
                "+doc_seq IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)"
            )
            params.append(match)
    sql = "SELECT " + ", ".join(f'"{c}"' for c in columns) + " FROM fact_table"
    if where:
        sql += " WHERE " + " AND ".join(where)
    direction = "DESC" if flt.descending else "ASC"
    if sort == "published_at":
        # The order of the (published_at, id) index, then the claims of one
        # document in reading order: no sort beyond a single document's claims.
        sql += f" ORDER BY published_at {direction}, doc_id {direction}, start, claim_id"
    else:
        sql += f' ORDER BY "{sort}" {direction}, claim_id'
    if flt.limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [flt.limit, flt.offset]
    return list(db.query(sql, params))


# Below this many candidate claims an entity or metric filter drives the query
# (look those claims up, sort them); above it, walking documents newest first
# fills a page sooner than sorting every match.
SELECTIVE = 2000


def _entity_clause(ids: Sequence[str]) -> str:
    return "subject = ?" + (f" OR entity_id IN ({', '.join('?' for _ in ids)})" if ids else "")


def _few_candidates(
    db: Database, entity: str | None, ids: Sequence[str], metric: str | None
) -> tuple[str, list[Any]] | None:
    """`claim_id IN (…)` over the claims the filters can match (by the claims' own
    columns, plus every claim a reviewer edited), when there are few of them."""
    parts: list[tuple[str, list[Any]]] = []
    if entity:
        # Named indexes: sampled statistics can rate the metric index as good,
        # and one metric may hold a tenth of all claims.
        and_metric, metric_params = (" AND metric = ?", [metric]) if metric else ("", [])
        by_subject = f"SELECT id FROM claims INDEXED BY idx_claims_subject_metric WHERE subject = ?{and_metric}"
        subject_params = [entity, *metric_params]
        if ids:
            marks = ", ".join("?" for _ in ids)
            parts.append((
                f"SELECT id FROM claims INDEXED BY idx_claims_entity_metric "
                f"WHERE entity_id IN ({marks}){and_metric}", [*ids, *metric_params],
            ))  # fmt: skip
            # Most claims with the entity's id also have its name as subject: leaving
            # them out here counts each claim once (counted twice, 1,236 AMD shipment
            # claims passed for more than SELECTIVE and took the slow path).
            by_subject += f" AND (entity_id IS NULL OR entity_id NOT IN ({marks}))"
            subject_params += ids
        parts.append((by_subject, subject_params))
    elif metric:
        parts.append(("SELECT id FROM claims WHERE metric = ?", [metric]))
    else:
        return None
    parts.append(("SELECT claim_id FROM reviews WHERE verdict = 'edited'", []))
    candidates = " UNION ALL ".join(sql for sql, _ in parts)
    params = [p for _, values in parts for p in values]
    count = f"SELECT count(*) FROM ({candidates} LIMIT ?)"
    if db.execute(count, [*params, SELECTIVE + 1]).fetchone()[0] > SELECTIVE:
        return None
    return f"claim_id IN ({candidates})", params


def counts(db: Database) -> dict[str, int]:
    tables = ("documents", "mentions", "figures", "claims", "quotes", "reviews", "runs")
    return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def claim(db: Database, claim_id: str) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM fact_table WHERE claim_id = ?", [claim_id]))
    return rows[0] if rows else None


def reviews_of(db: Database, claim_id: str) -> list[dict[str, Any]]:
    return list(db.query("SELECT * FROM reviews WHERE claim_id = ? ORDER BY id", [claim_id]))
