"""One crawl per source at a time, across processes, even when a holder crashes.

The lock is an `flock` on a file beside the database (`<db>.locks/<source>.lock`):
the kernel releases it when the holding process dies, however it dies, so a
`kill -9` never leaves a source locked. The file records who holds it, for
the message a second run prints.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path


class SourceBusy(Exception):
    """Another process is crawling this source; the message says which."""


def lock_path(db_path: str | Path, source: str) -> Path:
    folder = Path(f"{db_path}.locks")
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{source}.lock"


@contextmanager
def source_lock(db_path: str | Path, source: str) -> Iterator[None]:
    """Hold the source's lock for the block, or raise SourceBusy at once."""
    path = lock_path(db_path, source)
    handle = path.open("a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise SourceBusy(f"source {source!r} is being crawled by {holder}") from None
        handle.seek(0)
        handle.truncate()
        handle.write(
            f"pid {os.getpid()} since {datetime.now(UTC).replace(microsecond=0).isoformat()}"
        )
        handle.flush()
        yield
    finally:
        handle.close()  # closing releases the flock
