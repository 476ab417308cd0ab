"""AwaitedBatch: coroutines share one transaction and each resumes with its own outcome."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from db.connection import write_transaction
from db.errors import DatabaseUnwritable
from pipelines.async_batches import AwaitedBatch
from tests.db.notes import committed, notes_db


@pytest.fixture()
def db(tmp_path):
    database = notes_db(tmp_path / "pages.db")
    yield database
    database.close()


def store(db, url: str):
    def write() -> str:
        with write_transaction(db):
            db.execute("INSERT INTO notes VALUES (?)", [url])
        return f"stored {url}"

    return write


def test_coroutines_resume_only_after_their_batch_is_committed(db):
    seen_before_commit: list[list[str]] = []

    async def crawl() -> list[str]:
        batch = AwaitedBatch(db, max_units=3, max_seconds=60)

        async def page(url: str) -> str:
            result = await batch.write(store(db, url))
            seen_before_commit.append(committed(db))
            return result

        first_two = [asyncio.ensure_future(page(url)) for url in ("a", "b")]
        await asyncio.sleep(0.05)
        assert not any(task.done() for task in first_two) and committed(db) == []
        return await asyncio.gather(*first_two, page("c"))

    assert asyncio.run(crawl()) == ["stored a", "stored b", "stored c"]
    assert seen_before_commit == [["a", "b", "c"]] * 3


def test_a_batch_that_stops_growing_is_written_by_the_timer(db):
    async def crawl() -> tuple[str, float]:
        batch = AwaitedBatch(db, max_units=100, max_seconds=0.2)
        loop = asyncio.get_running_loop()
        start = loop.time()
        result = await batch.write(store(db, "last"))
        return result, loop.time() - start

    result, waited = asyncio.run(crawl())
    assert result == "stored last" and committed(db) == ["last"]
    assert 0.15 <= waited < 5


def test_a_failing_page_raises_in_its_own_coroutine_and_the_others_are_committed(db):
    def broken() -> str:
        with write_transaction(db):
            db.execute("INSERT INTO notes VALUES ('half of the broken page')")
        raise ValueError("cannot build rows for this page")

    async def crawl() -> list[object]:
        batch = AwaitedBatch(db, max_units=3, max_seconds=60)
        return await asyncio.gather(
            batch.write(store(db, "a")), batch.write(broken), batch.write(store(db, "c")),
            return_exceptions=True,
        )  # fmt: skip

    outcomes = asyncio.run(crawl())
    assert outcomes[0] == "stored a" and outcomes[2] == "stored c"
    assert isinstance(outcomes[1], ValueError) and "cannot build rows" in str(outcomes[1])
    assert committed(db) == ["a", "c"]


def test_a_locked_database_fails_every_waiting_page_and_the_next_batch_is_written(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("NEWSFACTS_BUSY_TIMEOUT", "0.2")
    db = notes_db(tmp_path / "locked.db")
    holder = sqlite3.connect(tmp_path / "locked.db", isolation_level=None)

    async def crawl() -> tuple[list[object], str]:
        batch = AwaitedBatch(db, max_units=2, max_seconds=60)
        holder.execute("BEGIN IMMEDIATE")
        refused = await asyncio.gather(
            batch.write(store(db, "a")), batch.write(store(db, "b")), return_exceptions=True
        )
        holder.execute("ROLLBACK")
        later = asyncio.ensure_future(batch.write(store(db, "c")))
        await asyncio.sleep(0)
        batch.flush()  # as the pipeline does when the spider closes
        return refused, await later

    try:
        refused, later = asyncio.run(crawl())
    finally:
        holder.close()
    assert all(isinstance(outcome, DatabaseUnwritable) for outcome in refused), refused
    assert "locked" in str(refused[0]) and "locked.db" in str(refused[0])
    assert later == "stored c" and committed(db) == ["c"]
    db.close()
