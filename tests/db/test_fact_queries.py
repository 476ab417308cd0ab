"""The fact-table query layer: full-text rows keyed by document seq, newest-first order,
date bounds, reviewed values, the m003 upgrade of an older database, and a
plan that walks documents by date instead of sorting every claim."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database

from db.connection import connect
from db.migrations import migrations
from db.queries import ClaimFilter, query_claims
from db.statistics import refresh_statistics
from db.store import add_review, save_document
from tests.db.rows import document


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return connect(tmp_path / "facts.db")


def ids(db: Database, **filters) -> list[str]:
    return [r["claim_id"] for r in query_claims(db, ClaimFilter(**filters))]


def test_search_matches_the_words_of_each_claims_document(db):
    save_document(db, *document(1, "2024-08-01", "gross margin rose"))
    save_document(db, *document(2, "2024-08-02", "shipments fell"))
    assert ids(db, search=["margin"]) == ["d1c0", "d1c1"]
    assert ids(db, search=["gross", "rose"]) == ["d1c0", "d1c1"]
    assert ids(db, search=["title"]) == ["d2c0", "d2c1", "d1c0", "d1c1"]
    assert ids(db, search=["margin", "shipments"]) == []


def test_changed_document_replaces_its_search_row(db):
    save_document(db, *document(1, "2024-08-01", "gross margin rose"))
    save_document(db, *document(1, "2024-08-01", "shipments fell", sha="changed"))
    assert ids(db, search=["margin"]) == []
    assert ids(db, search=["shipments"]) == ["d1c0", "d1c1"]
    rows = db.execute("SELECT rowid, document_id FROM documents_fts").fetchall()
    assert rows == [(db.execute("SELECT seq FROM documents").fetchone()[0], "d1")]


def test_newest_first_then_document_then_reading_order(db):
    save_document(db, *document(1, "2024-08-01", "old", claims=1))
    save_document(db, *document(3, "2024-08-05T10:00:00+08:00", "same day", claims=3))
    save_document(db, *document(2, "2024-08-05T10:00:00+08:00", "same day", claims=2))
    assert ids(db) == ["d3c0", "d3c1", "d3c2", "d2c0", "d2c1", "d1c0"]
    assert ids(db, descending=False) == ["d1c0", "d2c0", "d2c1", "d3c0", "d3c1", "d3c2"]
    assert ids(db, limit=2, offset=1) == ["d3c1", "d3c2"]


def test_date_bounds_are_whole_days_whatever_the_time_and_offset(db):
    save_document(db, *document(1, "2024-08-31T23:59:00+08:00", "late", claims=1))
    save_document(db, *document(2, "2024-09-01", "next day", claims=1))
    save_document(db, *document(3, "2024-08-30", "before", claims=1))
    save_document(db, *document(4, None, "undated", claims=1))
    assert ids(db, until="2024-08-31") == ["d1c0", "d3c0"]
    assert ids(db, since="2024-08-31", until="2024-08-31") == ["d1c0"]
    assert ids(db, since="2024-09-01") == ["d2c0"]


def test_reviewed_subject_and_metric_are_what_filters_see(db):
    save_document(db, *document(1, "2024-08-01", "margin", claims=2))
    add_review(db, "d1c0", "edited", "ana", edits={"subject": "AMD", "metric": "revenue"})
    assert ids(db, metric="revenue") == ["d1c0"]
    assert ids(db, metric="gross_margin") == ["d1c1"]
    add_review(db, "d1c0", "accepted", "ana")  # the latest verdict decides
    assert ids(db, metric="gross_margin") == ["d1c0", "d1c1"]
    assert ids(db, status="accepted") == ["d1c0"]


@pytest.mark.parametrize(
    "filters",
    [
        {"entity": "NVIDIA"},
        {"entity": "英伟达"},  # an alias the registry does not know: matched as a subject
        {"entity": "AMD", "metric": "revenue"},
        {"metric": "gross_margin"},
        {"metric": "revenue", "limit": 1},
    ],
)
def test_few_matches_drive_the_query_with_the_same_rows(db, monkeypatch, filters):
    """A filter with few candidate claims looks them up instead of walking by
    date; both ways must return the same rows, reviewed edits included."""
    for n in range(4):
        save_document(db, *document(n, f"2024-08-0{n + 1}", f"words {n}", claims=3))
    db.execute("UPDATE claims SET subject = '英伟达', entity_id = NULL WHERE id = 'd2c2'")
    add_review(db, "d1c0", "edited", "ana", edits={"subject": "AMD", "metric": "revenue"})
    add_review(db, "d3c1", "edited", "ana", edits={"metric": "revenue"})
    walked = _with_threshold(monkeypatch, db, 0, filters)
    looked_up = _with_threshold(monkeypatch, db, 10**6, filters)
    assert looked_up == walked and walked


def _with_threshold(monkeypatch, db, selective: int, filters: dict) -> list[str]:
    monkeypatch.setattr("db.queries.SELECTIVE", selective)
    return ids(db, **filters)


def test_upgrade_keys_older_search_rows_by_seq(tmp_path):
    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before="m003_fast_queries")
    old.execute(
        "INSERT INTO documents (id, url, canonical_url, lang, published_at, fetched_at, "
        "updated_at, text, content_sha256, extractor_version) VALUES "
        "('d1', 'u', 'u', 'en', '2024-08-01', 't', 't', 'x', 's', 'v')"
    )
    old.execute(
        'INSERT INTO figures (id, document_id, start, "end", text, kind, qualifier) '
        "VALUES ('f1', 'd1', 0, 3, '71%', 'percent', 'exact')"
    )
    old.execute(
        "INSERT INTO claims (id, document_id, figure_id, subject, metric, sentence, "
        "sentence_start, sentence_end) VALUES ('c1', 'd1', 'f1', 'NVIDIA', 'gross_margin', "
        "'claim', 0, 5)"
    )
    # Older databases numbered full-text rows on their own, out of step with documents.
    old.execute(
        "INSERT INTO documents_fts (rowid, document_id, title, body) VALUES (5, 'd1', 'T', 'old words')"
    )
    old.execute("INSERT INTO claims_fts (claim_id, sentence) VALUES ('c1', 'claim')")
    old.conn.commit()
    old.close()

    db = connect(path)
    assert ids(db, search=["old"]) == ["d1c1"]  # m005 put its document's id in front
    assert "claims_fts" not in db.table_names()
    save_document(db, *document(2, "2024-08-02", "fresh words"))  # new seqs follow the old
    assert ids(db, search=["fresh"]) == ["d2c0", "d2c1"]
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_newest_first_walks_documents_by_date(db, monkeypatch):
    """The plan behind <100 ms at 100,000 documents: with current statistics the
    default order reads the (published_at, id) index and sorts at most one
    document's claims, never every matching claim."""
    for n in range(60):
        save_document(db, *document(n, f"2024-08-{1 + n % 28:02d}", f"words {n}", claims=5))
    refresh_statistics(db)
    monkeypatch.setattr("db.queries.SELECTIVE", 0)  # as if every filter matched many claims
    for flt in (
        ClaimFilter(status="pending", limit=20),
        ClaimFilter(entity="NVIDIA", metric="gross_margin", limit=50),
        ClaimFilter(search=["words"], limit=50),
    ):
        plan = [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + _sql_of(db, flt))]
        assert any("idx_documents_published_at_id" in step for step in plan), plan
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan


def _sql_of(db: Database, flt: ClaimFilter) -> str:
    """The statement query_claims runs, values inlined, caught from the connection's trace."""
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        query_claims(db, flt)
    finally:
        db.conn.set_trace_callback(None)
    return next(s for s in reversed(seen) if "FROM fact_table" in s)


def test_claims_named_by_both_entity_id_and_subject_count_once(tmp_path):
    """1,500 claims whose entity id and subject both name NVIDIA are 1,500 candidates,
    not 3,000: under SELECTIVE, so they are looked up rather than found by walking
    every document."""
    from db.queries import SELECTIVE, _few_candidates

    db = connect(tmp_path / "f.db")
    save_document(db, *document(1, "2024-08-01", "gross margin", claims=1500))
    assert 1500 < SELECTIVE < 3000
    assert _few_candidates(db, "NVIDIA", ["NVIDIA"], "gross_margin") is not None
    found = ids(db, entity="NVIDIA", metric="gross_margin", limit=3)
    assert found == ["d1c0", "d1c1", "d1c2"]  # one document: its claims in reading order
    assert len(ids(db, entity="NVIDIA", metric="gross_margin")) == 1500
