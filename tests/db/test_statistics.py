"""Planner statistics: our tables are analysed, FTS5's shadow tables never are, so
FTS5's segment-merge DELETE seeks its rowid range at every size of the index
instead of scanning the index (which made a long ingest slow down as it went)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from db.connection import connect
from db.migrations import migrations
from db.statistics import full_text_shadow_tables, refresh_statistics
from db.store import save_document
from tests.db.rows import document

# The statement FTS5 runs to drop a merged segment's pages.
MERGE_DELETE = "DELETE FROM 'main'.'documents_fts_data' WHERE id>=? AND id<=?"


def merge_delete_plan(db: Database) -> str:
    return " ".join(row[3] for row in db.execute("EXPLAIN QUERY PLAN " + MERGE_DELETE, [1, 2]))


def analysed(db: Database) -> set[str]:
    return {tbl for (tbl,) in db.execute("SELECT DISTINCT tbl FROM sqlite_stat1")}


def test_shadow_tables_are_those_of_the_full_text_index(tmp_path: Path):
    db = connect(tmp_path / "facts.db")
    assert set(full_text_shadow_tables(db)) == {
        f"documents_fts_{suffix}" for suffix in ("data", "idx", "content", "docsize", "config")
    }


def test_a_new_database_seeks_the_merged_segment(tmp_path: Path):
    db = connect(tmp_path / "facts.db")
    assert "USING INTEGER PRIMARY KEY" in merge_delete_plan(db)
    assert not analysed(db) & set(full_text_shadow_tables(db))


def test_refresh_analyses_our_tables_and_not_the_index(tmp_path: Path):
    path = tmp_path / "facts.db"
    db = connect(path)
    for n in range(3):
        save_document(db, *document(n, "2024-08-01", f"words {n}"))
    refresh_statistics(db)
    assert {"documents", "claims", "figures"} <= analysed(db)
    assert not analysed(db) & set(full_text_shadow_tables(db))
    again = connect(path)  # the next run plans with what this one left
    assert "USING INTEGER PRIMARY KEY" in merge_delete_plan(again)


def test_upgrade_drops_statistics_an_older_version_took_of_the_index(tmp_path: Path):
    """An older refresh analysed every table, the 2-row shadow tables included; the
    connection that applies m006 must already plan without those counts."""
    path = tmp_path / "facts.db"
    old = connect(path)
    old.execute("ANALYZE")  # as m003 and every run's end used to, here of an empty index
    old.execute("DELETE FROM _sqlite_migrations WHERE name = 'm006_no_full_text_statistics'")
    old.conn.close()
    with sqlite3.connect(path) as conn:
        stale = conn.execute(
            "SELECT stat FROM sqlite_stat1 WHERE tbl = 'documents_fts_data'"
        ).fetchone()
        assert stale is not None and int(stale[0].split()[0]) < 10
        # the fault this guards against, as SQLite plans it
        assert "SCAN" in merge_delete_plan(Database(conn))
    db = connect(path)
    assert not migrations.pending(db)
    assert not analysed(db) & set(full_text_shadow_tables(db))
    assert "USING INTEGER PRIMARY KEY" in merge_delete_plan(db)
