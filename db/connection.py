"""Opening the database: WAL, foreign keys, a busy timeout, migrations applied.

Writers take the write lock up front (`BEGIN IMMEDIATE` in `write_transaction`),
so a transaction never fails half-way with "database is locked" when it first
tries to write; readers can open the file read-only.

A writer waits for another process's write lock up to the busy timeout: 30
seconds, or `NEWSFACTS_BUSY_TIMEOUT` seconds when that environment variable is
set. A write that cannot happen for a reason outside the unit of work (the
lock held past the busy timeout, the disk or `max_page_count` full, a
read-only file, an I/O error) is rolled back and raised as
`DatabaseUnwritable`, which names the database and the cause; whatever was
committed before is kept.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from db.errors import DatabaseError, DatabaseUnwritable
from db.migrations import migrations

log = logging.getLogger(__name__)

DEFAULT_PATH = "newsfacts.db"
BUSY_TIMEOUT_MS = 30_000
BUSY_TIMEOUT_ENV = "NEWSFACTS_BUSY_TIMEOUT"  # seconds a writer waits for another's lock

# SQLite result codes that say "the database cannot take this write now", not
# "this unit of work is wrong": the next write would fail the same way.
_UNWRITABLE = ("SQLITE_FULL", "SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_READONLY", "SQLITE_IOERR",
               "SQLITE_CANTOPEN", "SQLITE_PROTOCOL")  # fmt: skip


def default_path() -> str:
    return os.environ.get("NEWSFACTS_DB") or DEFAULT_PATH


def busy_timeout_ms() -> int:
    """How long a connection waits for another process's lock, in milliseconds:
    $NEWSFACTS_BUSY_TIMEOUT seconds when set, else 30 seconds."""
    raw = os.environ.get(BUSY_TIMEOUT_ENV, "").strip()
    if not raw:
        return BUSY_TIMEOUT_MS
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 86_400:
        raise DatabaseError(f"{BUSY_TIMEOUT_ENV}={raw!r} is not a number of seconds (0 to 86400)")
    return int(seconds * 1000)


def connect(path: str | Path, *, readonly: bool = False, migrate: bool = True) -> Database:
    """Open (and, unless read-only, create and migrate) the database at `path`."""
    path = Path(path)
    timeout_ms = busy_timeout_ms()
    try:
        if readonly:
            if not path.exists():
                raise DatabaseError(f"database {path} does not exist")
        elif path.parent and not path.parent.exists():
            raise DatabaseError(f"the folder of database {path} does not exist")
        db = Database(_open(path, readonly, timeout_ms))
        if not readonly and migrate and _upgrade(db, path):
            # The planner read sqlite_stat1 when the file opened; a migration may have
            # changed it (m006 drops rows whose stale counts made FTS5 scan its index).
            db.conn.close()
            db = Database(_open(path, readonly, timeout_ms))
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"cannot open database {path}: {exc}") from exc
    return db


def _open(path: Path, readonly: bool, timeout_ms: int) -> sqlite3.Connection:
    """A connection with our settings: busy timeout, foreign keys, WAL for writers."""
    if readonly:
        conn = sqlite3.connect(
            f"file:{path.resolve()}?mode=ro", uri=True, isolation_level=None,
            timeout=timeout_ms / 1000, check_same_thread=False,
        )  # fmt: skip
    else:
        conn = sqlite3.connect(
            str(path), isolation_level=None, timeout=timeout_ms / 1000, check_same_thread=False
        )
    conn.execute(f"PRAGMA busy_timeout = {timeout_ms}")
    conn.execute("PRAGMA foreign_keys = ON")
    if readonly:
        conn.execute("PRAGMA query_only = ON")
    else:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def _upgrade(db: Database, path: Path) -> bool:
    """Apply pending migrations, saying so first when the database already holds data:
    some rewrite every row (m005 took 4 minutes at 107,000 documents). True when
    any ran."""
    pending = migrations.pending(db)
    if not pending:
        return False
    if migrations.applied(db):
        names = ", ".join(m.name for m in pending)
        log.warning(
            "upgrading %s to the current schema (%s); on a large database this takes "
            "minutes, and if stopped it is rolled back and runs again next time",
            path, names,
        )  # fmt: skip
    migrations.apply(db)
    return True


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One unit of work: BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any error.

    A failure the database itself causes (lock held past the busy timeout, disk
    full, read-only, I/O) is rolled back and raised as `DatabaseUnwritable`."""
    conn = db.conn
    if conn.in_transaction:
        try:
            with db.atomic():
                yield db
        except sqlite3.Error as exc:
            if error := _unwritable(conn, exc, "write"):
                raise error from exc
            raise
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        error = _unwritable(conn, exc, "start a write")
        raise error or DatabaseError(f"cannot start a write: {exc}") from exc
    try:
        yield db
    except BaseException as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error) and (error := _unwritable(conn, exc, "write")):
            raise error from exc
        raise
    else:
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            error = _unwritable(conn, exc, "commit")
            raise error or DatabaseError(f"cannot commit: {exc}") from exc


def _unwritable(conn: sqlite3.Connection, exc: sqlite3.Error, doing: str) -> DatabaseError | None:
    """`DatabaseUnwritable` naming the file and the cause, when `exc` is one; else None."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if not name.startswith(_UNWRITABLE):
        return None
    try:
        rows = conn.execute("PRAGMA database_list").fetchall()
        where = next((str(r[2]) for r in rows if r[1] == "main" and r[2]), "the database")
    except sqlite3.Error:
        where = "the database"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        try:
            waited = conn.execute("PRAGMA busy_timeout").fetchone()[0] / 1000
        except sqlite3.Error:
            waited = busy_timeout_ms() / 1000
        cause = (f"{exc}: another process held the write lock longer than the busy timeout "
                 f"({waited:g} s; {BUSY_TIMEOUT_ENV} sets it)")  # fmt: skip
    elif name.startswith("SQLITE_FULL"):
        cause = f"{exc} (free some space first)"
    else:
        cause = str(exc)
    undone = "" if doing == "start a write" else "; rolled back"
    return DatabaseUnwritable(f"cannot {doing} {where}: {cause}{undone}")
