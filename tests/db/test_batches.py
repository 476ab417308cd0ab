"""WriteBatch: units written together, each undone alone, nothing counted that was lost."""

from __future__ import annotations

import sqlite3

import pytest

from db.batches import WriteBatch, write_batches
from db.connection import write_transaction
from db.errors import DatabaseError, DatabaseUnwritable
from tests.db.notes import committed, notes_db


@pytest.fixture()
def db(tmp_path):
    database = notes_db(tmp_path / "batch.db")
    yield database
    database.close()


def note(db, label: str):
    def write() -> str:
        with write_transaction(db):
            db.execute("INSERT INTO notes VALUES (?)", [label])
        return label

    return write


class Log:
    def __init__(self) -> None:
        self.commits: list[tuple[str, str]] = []
        self.failures: list[tuple[str, str]] = []

    def commit(self, label: str, result: str) -> None:
        self.commits.append((label, result))

    def fail(self, label: str, exc: Exception) -> None:
        self.failures.append((label, str(exc)))


def test_units_are_committed_together_when_the_batch_is_full(db):
    log = Log()
    batch: WriteBatch[str] = WriteBatch(db, log.commit, log.fail, max_units=3, max_seconds=60)
    batch.add("a", note(db, "a"))
    batch.add("b", note(db, "b"))
    assert committed(db) == [] and log.commits == []
    assert not db.conn.in_transaction  # no lock held while the caller waits
    batch.add("c", note(db, "c"))
    assert committed(db) == ["a", "b", "c"]
    assert log.commits == [("a", "a"), ("b", "b"), ("c", "c")]


def test_an_old_batch_is_written_at_the_next_unit(db):
    log = Log()
    batch: WriteBatch[str] = WriteBatch(db, log.commit, log.fail, max_units=100, max_seconds=0)
    batch.add("a", note(db, "a"))
    assert committed(db) == ["a"]


def test_the_block_end_writes_what_is_held(db):
    log = Log()
    with write_batches(db, log.commit, log.fail, max_units=100) as batch:
        batch.add("a", note(db, "a"))
        assert committed(db) == []
    assert committed(db) == ["a"] and [label for label, _ in log.commits] == ["a"]


def test_a_failing_unit_is_undone_alone_and_reported_under_its_label(db):
    log = Log()

    def half_then_fail() -> str:
        with write_transaction(db):
            db.execute("INSERT INTO notes VALUES ('half')")
            raise DatabaseError("this page is wrong")

    with write_batches(db, log.commit, log.fail, max_units=100) as batch:
        batch.add("a", note(db, "a"))
        batch.add("bad", half_then_fail)
        batch.add("c", note(db, "c"))
    assert committed(db) == ["a", "c"]
    assert log.failures == [("bad", "this page is wrong")]
    assert [label for label, _ in log.commits] == ["a", "c"]


def test_any_exception_in_a_unit_undoes_that_unit_alone_even_across_its_transactions(db):
    log = Log()

    def two_writes_then_a_bug() -> str:
        with write_transaction(db):
            db.execute("INSERT INTO notes VALUES ('first half')")
        with write_transaction(db):
            db.execute("INSERT INTO notes VALUES ('second half')")
        raise ValueError("a bug in this page's rows")

    with write_batches(db, log.commit, log.fail, max_units=100) as batch:
        batch.add("a", note(db, "a"))
        batch.add("buggy", two_writes_then_a_bug)
        assert len(batch) == 2
        batch.add("c", note(db, "c"))
    assert committed(db) == ["a", "c"] and len(batch) == 0
    assert log.failures == [("buggy", "a bug in this page's rows")]


def test_an_unwritable_database_rolls_the_whole_batch_back_and_names_the_unit(db):
    log = Log()

    def disk_full() -> str:
        raise DatabaseUnwritable("database or disk is full")

    with pytest.raises(DatabaseUnwritable), write_batches(db, log.commit, log.fail) as batch:
        batch.add("a", note(db, "a"))
        batch.add("full", disk_full)
        batch.add("c", note(db, "c"))
    assert committed(db) == [] and log.commits == []
    assert batch.stopped_at == "full"
    assert not db.conn.in_transaction
    with write_batches(db, log.commit, log.fail) as again:  # the connection goes on
        again.add("a", note(db, "a"))
    assert committed(db) == ["a"]


def test_a_held_lock_names_the_first_unit_and_loses_nothing_committed(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSFACTS_BUSY_TIMEOUT", "0.2")
    db = notes_db(tmp_path / "locked.db")
    log = Log()
    with write_batches(db, log.commit, log.fail) as batch:
        batch.add("kept", note(db, "kept"))
    holder = sqlite3.connect(tmp_path / "locked.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseUnwritable, match="locked"):
            with write_batches(db, log.commit, log.fail) as batch:
                batch.add("first", note(db, "first"))
                batch.add("second", note(db, "second"))
        assert batch.stopped_at == "first"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert committed(db) == ["kept"] and [label for label, _ in log.commits] == ["kept"]
    db.close()


def test_units_held_when_the_block_ends_on_an_exception_are_never_written(db):
    log = Log()
    with pytest.raises(KeyboardInterrupt), write_batches(db, log.commit, log.fail) as batch:
        batch.add("a", note(db, "a"))
        raise KeyboardInterrupt
    assert committed(db) == [] and log.commits == []
    assert not db.conn.in_transaction
