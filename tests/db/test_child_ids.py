"""Rows of a document carry its id as a prefix, and m005 renames rows stored before."""

from __future__ import annotations

import json
import sqlite3

import pytest
from sqlite_utils import Database

from db.connection import connect
from db.migrations import migrations
from db.store import add_review, ensure_source
from pipelines import records
from pipelines.documents import PageRef, page_from_bytes, prepare_page, write_prepared
from pipelines.registry_sync import sync_registry
from tests.pipelines.articles import EN_HTML, zh_article

CHILD_TABLES = ("mentions", "figures", "claims", "quotes")
PAGES = {"https://example.com/zh": zh_article(), "https://example.com/en": EN_HTML}


def _store_pages(db: Database, analyzer) -> None:
    sync_registry(db, analyzer)
    ensure_source(db, "testwire", "local")
    for url, html in PAGES.items():
        page = page_from_bytes(html.encode("utf-8"), url=url)
        ref = PageRef(url=url, canonical_url=url, source="testwire", fetched_at="2024-09-01")
        write_prepared(db, prepare_page(page, ref, analyzer))


def _ids(db: Database) -> dict[str, set[str]]:
    return {t: {row[0] for row in db.execute(f"SELECT id FROM {t}")} for t in CHILD_TABLES}


def test_new_rows_begin_with_their_documents_id(tmp_path, analyzer, caplog) -> None:
    db = connect(tmp_path / "new.db")
    assert "upgrading" not in caplog.text  # a new database is made, not upgraded
    _store_pages(db, analyzer)
    for table in CHILD_TABLES:
        rows = db.execute(f"SELECT id, document_id FROM {table}").fetchall()
        assert rows, table
        assert all(len(id_) == 16 and id_[:6] == doc[:6] for id_, doc in rows), table


def test_m005_renames_stored_rows_as_new_code_names_them_and_reviews_follow(
    tmp_path, analyzer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before="m005_child_ids")
    # Before m005 a row's id was its digest alone.
    monkeypatch.setattr(records, "child_id", lambda document_id, digest: digest)
    _store_pages(old, analyzer)
    before = _ids(old)
    reviewed, document_id = old.execute(
        "SELECT id, document_id FROM claims ORDER BY id LIMIT 1"
    ).fetchone()
    add_review(old, reviewed, "accepted", "ana")
    # A review whose claim a later extraction dropped: only its snapshot knows the document.
    gone = "0123456789abcdef"
    old.execute(
        "INSERT INTO reviews (claim_id, verdict, reviewer, created_at, snapshot) "
        "VALUES (?, 'rejected', 'ana', '2024-09-02', ?)",
        [gone, json.dumps({"doc_id": document_id})],
    )
    old.conn.commit()
    old.close()
    monkeypatch.undo()

    db = connect(path)  # applies m005
    assert f"upgrading {path} to the current schema (m005_child_ids, " in caplog.text
    after = _ids(db)
    for table in CHILD_TABLES:
        assert len(after[table]) == len(before[table]), table
    renamed = document_id[:6] + reviewed[:10]
    assert renamed in after["claims"]
    assert db.execute("SELECT status FROM fact_table WHERE claim_id = ?", [renamed]).fetchone() == (
        "accepted",
    )
    claim_ids = [row[0] for row in db.execute("SELECT claim_id FROM reviews ORDER BY id")]
    assert claim_ids == [renamed, document_id[:6] + gone[:10]]
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE reviews SET verdict = 'accepted'")

    # Extracting the same pages again gives exactly the renamed ids.
    fresh = connect(tmp_path / "fresh.db")
    _store_pages(fresh, analyzer)
    assert _ids(fresh) == after


def test_an_interrupted_m005_leaves_the_database_as_it_was(
    tmp_path, analyzer, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before="m005_child_ids")
    with monkeypatch.context() as patch:
        patch.setattr(records, "child_id", lambda document_id, digest: digest)
        _store_pages(old, analyzer)
    before = _ids(old)
    old.conn.commit()
    old.close()

    real_execute = Database.execute

    def stopped_half_way(self: Database, sql: str, *args: object) -> object:
        if sql.startswith("DROP TRIGGER reviews_no_update"):  # rows already renamed by now
            raise KeyboardInterrupt
        return real_execute(self, sql, *args)

    monkeypatch.setattr(Database, "execute", stopped_half_way)
    with pytest.raises(KeyboardInterrupt):
        connect(path)
    monkeypatch.undo()

    reopened = Database(path)
    assert _ids(reopened) == before
    assert "m005_child_ids" not in {m.name for m in migrations.applied(reopened)}
    reopened.close()
    assert _ids(connect(path)) != before  # and the next open upgrades it
