"""Several units of work per transaction, for a writer that stores many documents.

Each COMMIT writes every page the transaction touched to the WAL, and the
pages of the claims' and mentions' indexes are touched by nearly every
document: committing once per batch of documents writes them once per batch.
`WriteBatch` holds the units (functions that write one document) until it has
`max_units` of them or the oldest has waited `max_seconds`, then runs them in
one transaction. The write lock is held only while the batch is written, never
while the caller waits for its next unit.

Each unit runs in a savepoint of its own (`write_transaction` nests), so a
unit that fails (a `DatabaseError`, or any other exception: one bad page must
not cost its neighbours) is undone alone, reported to `on_failure` under its
label, and the others are committed. When the database takes no writes
(`DatabaseUnwritable`: disk full, lock held, I/O) the whole batch is rolled
back and the error raised, with `stopped_at` naming the unit (being written,
or the first while waiting for the lock, or the last at COMMIT).
`on_commit` hears of a unit only after its transaction committed: a caller
counts nothing that was lost. Units still held when a process is killed were
never written; a resumed run writes them again.

    with write_batches(db, on_commit=counted, on_failure=failed) as batch:
        for path, page in pages:
            batch.add(str(path), lambda page=page: write_prepared(db, page))
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

from sqlite_utils import Database

from db.connection import write_transaction
from db.errors import DatabaseUnwritable

T = TypeVar("T")

BATCH_UNITS = 32  # units per transaction at most
BATCH_SECONDS = 1.0  # a unit waits at most this long (until the next `add`) to be written


class WriteBatch(Generic[T]):
    """Units waiting to be written together; see the module's docstring."""

    def __init__(
        self,
        db: Database,
        on_commit: Callable[[str, T], None],
        on_failure: Callable[[str, Exception], None],
        max_units: int = BATCH_UNITS,
        max_seconds: float = BATCH_SECONDS,
    ) -> None:
        self.db, self.on_commit, self.on_failure = db, on_commit, on_failure
        self.max_units, self.max_seconds = max_units, max_seconds
        self.stopped_at: str | None = None  # the unit the database refused, if one did
        self._units: list[tuple[str, Callable[[], T]]] = []
        self._oldest = 0.0

    def __len__(self) -> int:
        """The units held, not written yet."""
        return len(self._units)

    def add(self, label: str, write: Callable[[], T]) -> None:
        """Hold `write` and write the batch when it is full or its oldest unit old."""
        if not self._units:
            self._oldest = time.monotonic()
        self._units.append((label, write))
        if (
            len(self._units) >= self.max_units
            or time.monotonic() - self._oldest >= self.max_seconds
        ):
            self.flush()

    def flush(self) -> None:
        """Write the units held, in one transaction."""
        units, self._units = self._units, []
        if not units:
            return
        written: list[tuple[str, T]] = []
        at = units[0][0]  # the unit being written; the first while BEGIN waits for the lock
        try:
            with write_transaction(self.db):  # BEGIN IMMEDIATE … COMMIT
                for at, write in units:
                    try:
                        with write_transaction(self.db):  # a savepoint: undone alone
                            result = write()
                    except DatabaseUnwritable:
                        raise
                    except Exception as exc:
                        self.on_failure(at, exc)
                    else:
                        written.append((at, result))
        except DatabaseUnwritable:
            self.stopped_at = at
            raise
        for label, result in written:
            self.on_commit(label, result)


@contextmanager
def write_batches(
    db: Database,
    on_commit: Callable[[str, T], None],
    on_failure: Callable[[str, Exception], None],
    *,
    max_units: int = BATCH_UNITS,
    max_seconds: float = BATCH_SECONDS,
) -> Iterator[WriteBatch[T]]:
    """A `WriteBatch` whose units still held are written when the block ends normally
    (and dropped, never half-written, when it ends on an exception)."""
    batch: WriteBatch[T] = WriteBatch(db, on_commit, on_failure, max_units, max_seconds)
    yield batch
    batch.flush()
