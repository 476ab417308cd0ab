"""Planner statistics (sqlite_stat1) for our tables, never for full-text indexes.

FTS5 keeps each index in ordinary "shadow" tables (`documents_fts_data`,
`_idx`, `_content`, `_docsize`, `_config`) and runs its own statements on
them, keyed by rowid. Analysed while the index is small, `documents_fts_data`
holds 2 rows, and with that count SQLite plans FTS5's `DELETE ... WHERE id >= ?
AND id <= ?` (run at every segment merge) as a scan of the whole table. The
plan is kept for the life of the connection, so one long ingest into a new
database read the whole index at every merge: storage grew with the size of
the database, and throughput fell from 5,200 to 2,400 articles a minute by
40,000 documents. Without statistics SQLite assumes a large table and seeks
the rowid range, which is right at every size. So the shadow tables are left
out of ANALYZE, and statistics an older version took of them are dropped.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database

# The shadow tables FTS5 makes for a table named T are T_<suffix>.
FTS5_SHADOW_SUFFIXES = ("data", "idx", "content", "docsize", "config")


def full_text_shadow_tables(db: Database) -> list[str]:
    """The shadow tables of every FTS5 table in the database."""
    tables = set(db.table_names())
    return [
        shadow
        for name in db.table_names(fts5=True)
        for shadow in (f"{name}_{suffix}" for suffix in FTS5_SHADOW_SUFFIXES)
        if shadow in tables
    ]


def analysed_tables(db: Database) -> list[str]:
    """The tables whose statistics help the planner: all but SQLite's own and FTS5's."""
    skip = {*db.table_names(fts5=True), *full_text_shadow_tables(db)}
    return [
        name for name in db.table_names() if name not in skip and not name.startswith("sqlite_")
    ]


def forget_full_text_statistics(db: Database) -> None:
    """Delete what sqlite_stat1 says about FTS5 shadow tables (an older ANALYZE took it)."""
    if not db["sqlite_stat1"].exists():
        return
    shadows = full_text_shadow_tables(db)
    if shadows:
        marks = ", ".join("?" * len(shadows))
        db.execute(f"DELETE FROM sqlite_stat1 WHERE tbl IN ({marks})", shadows)


def refresh_statistics(db: Database) -> None:
    """Sample our tables for the query planner (sqlite_stat1); every command that
    stores documents ends with it, once. Without current row counts SQLite may
    scan every claim and sort, where walking documents newest first stops after
    a page; sampled, this costs milliseconds."""
    try:
        db.execute("PRAGMA analysis_limit = 1000")
        for table in analysed_tables(db):
            db.execute(f'ANALYZE "{table}"')
    except sqlite3.Error:
        pass  # an optimisation only: the run itself is already recorded
