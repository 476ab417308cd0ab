"""`db.batches.WriteBatch` for coroutines on one event loop (the crawl's reactor).

A crawl stores pages as they come back from the workers, one coroutine per
page. Committing each page alone costs a COMMIT per page on the reactor
thread; `AwaitedBatch` hands each page's write to a shared `WriteBatch` and
lets the coroutine await the commit of its own unit. The coroutine resumes
with the unit's result once it is committed, or with the exception that
undid it, so a page is counted as stored only when it is. A timer writes a
batch that stops growing, so the last pages of a crawl wait at most
`max_seconds`.

    batch = AwaitedBatch(db)
    stored = await batch.write(lambda: write_prepared(db, prepared))
    ...
    batch.flush()  # when the spider closes
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from typing import Any, TypeVar

from sqlite_utils import Database

from db.batches import BATCH_SECONDS, BATCH_UNITS, WriteBatch

T = TypeVar("T")


class AwaitedBatch:
    """Units from many coroutines, written together; each coroutine awaits its own."""

    def __init__(
        self, db: Database, max_units: int = BATCH_UNITS, max_seconds: float = BATCH_SECONDS
    ) -> None:
        self.batch: WriteBatch[Any] = WriteBatch(
            db, self._committed, self._failed, max_units, max_seconds
        )
        self._waiting: dict[str, asyncio.Future[Any]] = {}
        self._labels = itertools.count()
        self._timer: asyncio.TimerHandle | None = None

    async def write(self, write: Callable[[], T]) -> T:
        """Hold `write` for the next batch; return its result once committed, or raise
        what undid it (the unit's own error, or the database refusing the batch)."""
        loop = asyncio.get_running_loop()
        label = str(next(self._labels))
        future: asyncio.Future[T] = loop.create_future()
        self._waiting[label] = future
        self._writing(self.batch.add, label, write)  # writes the batch when it is full
        if len(self.batch) == 0:
            self._cancel_timer()
        elif self._timer is None:
            self._timer = loop.call_later(self.batch.max_seconds, self.flush)
        return await future

    def flush(self) -> None:
        """Write the units held now; their coroutines resume once it is done."""
        self._cancel_timer()
        self._writing(self.batch.flush)

    def _writing(self, step: Callable[..., None], *args: Any) -> None:
        """Run a step that may write the batch; when the database refuses the batch as
        a whole, every unit it held was undone: each waiting coroutine gets the error."""
        try:
            step(*args)
        except Exception as exc:
            waiting, self._waiting = self._waiting, {}
            for future in waiting.values():
                if not future.done():
                    future.set_exception(exc)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _committed(self, label: str, result: Any) -> None:
        if (future := self._still_waiting(label)) is not None:
            future.set_result(result)

    def _failed(self, label: str, exc: Exception) -> None:
        if (future := self._still_waiting(label)) is not None:
            future.set_exception(exc)

    def _still_waiting(self, label: str) -> asyncio.Future[Any] | None:
        """The unit's future, unless its coroutine was cancelled meanwhile."""
        future = self._waiting.pop(label)
        return None if future.done() else future
