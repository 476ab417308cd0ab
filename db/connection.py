"""Opening the database: WAL, foreign keys, a busy timeout, migrations applied.

Writers take the write lock up front (`BEGIN IMMEDIATE` in `write_transaction`),
so a transaction never fails half-way with "database is locked" when it first
tries to write; readers can open the file read-only.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from db.errors import DatabaseError
from db.migrations import migrations

DEFAULT_PATH = "newsfacts.db"
BUSY_TIMEOUT_MS = 30_000


def default_path() -> str:
    return os.environ.get("NEWSFACTS_DB") or DEFAULT_PATH


def connect(path: str | Path, *, readonly: bool = False, migrate: bool = True) -> Database:
    """Open (and, unless read-only, create and migrate) the database at `path`."""
    path = Path(path)
    try:
        if readonly:
            if not path.exists():
                raise DatabaseError(f"database {path} does not exist")
            conn = sqlite3.connect(
                f"file:{path.resolve()}?mode=ro", uri=True, isolation_level=None,
                timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
            )  # fmt: skip
        else:
            if path.parent and not path.parent.exists():
                raise DatabaseError(f"the folder of database {path} does not exist")
            conn = sqlite3.connect(
                str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                check_same_thread=False,
            )  # fmt: skip
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        db = Database(conn)
        if not readonly and migrate:
            migrations.apply(db)
        elif readonly:
            conn.execute("PRAGMA query_only = ON")
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"cannot open database {path}: {exc}") from exc
    return db


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One unit of work: BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any error."""
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise DatabaseError(f"cannot start a write: {exc}") from exc
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise DatabaseError(f"cannot commit: {exc}") from exc
