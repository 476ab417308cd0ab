"""Rows are inserted, never replaced: a re-extraction clears its own rows first, and an
id clash with another document's row fails the one document and overwrites nothing."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

from db.connection import connect
from db.store import save_document
from tests.db.rows import document


def test_reextraction_replaces_its_own_rows(tmp_path) -> None:
    db = connect(tmp_path / "d.db")
    doc, extraction = document(1, "2024-08-01", "NVIDIA margin")
    assert save_document(db, doc, extraction) == "new"
    changed = replace(doc, content_sha256="other text")
    assert save_document(db, changed, extraction) == "changed"
    assert save_document(db, changed, extraction, force=True) == "reanalysed"
    ids = [row[0] for row in db.execute("SELECT id FROM claims ORDER BY id")]
    assert ids == sorted(c.id for c in extraction.claims)


def test_an_id_clash_fails_the_document_and_keeps_the_other_row(tmp_path) -> None:
    db = connect(tmp_path / "d.db")
    first, first_rows = document(1, "2024-08-01", "NVIDIA margin")
    save_document(db, first, first_rows)
    second, second_rows = document(2, "2024-08-02", "AMD margin")
    clashing = replace(
        second_rows,
        claims=[replace(second_rows.claims[0], id=first_rows.claims[0].id, subject="AMD")],
    )
    with pytest.raises(sqlite3.IntegrityError):
        save_document(db, second, clashing)
    kept = db.execute(
        "SELECT document_id, subject FROM claims WHERE id = ?", [first_rows.claims[0].id]
    ).fetchall()
    assert kept == [("d1", "NVIDIA")]
    assert db.execute("SELECT count(*) FROM documents WHERE id = 'd2'").fetchone() == (0,)


def test_rows_left_by_a_document_deleted_by_hand_make_way_when_it_is_stored_again(
    tmp_path,
) -> None:
    """A plain sqlite3 shell does not enforce foreign keys: deleting a document there
    leaves its rows behind, and storing the document again must still work."""
    path = tmp_path / "d.db"
    db = connect(path)
    doc, extraction = document(1, "2024-08-01", "NVIDIA margin")
    save_document(db, doc, extraction)
    db.close()
    with sqlite3.connect(path) as shell:
        shell.execute("DELETE FROM documents_fts")
        shell.execute("DELETE FROM documents")
    shell.close()
    db = connect(path)
    assert db.execute("SELECT count(*) FROM claims").fetchone() == (2,)  # left behind
    assert save_document(db, doc, extraction) == "new"
    assert db.execute("SELECT count(*) FROM claims").fetchone() == (2,)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
