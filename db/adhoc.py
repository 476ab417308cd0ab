"""Ad-hoc SQL for people: read-only, authorised statement by statement, with a time limit.

The database is opened read-only (`mode=ro`, `query_only`), and an SQLite
authoriser lets through only reading: no ATTACH, no PRAGMA, no writes, no
extension loading. A progress handler stops a query that runs past its time.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from db.errors import DatabaseError

_ALLOWED = {
    sqlite3.SQLITE_SELECT,
    sqlite3.SQLITE_READ,
    sqlite3.SQLITE_FUNCTION,
    getattr(sqlite3, "SQLITE_RECURSIVE", 33),
}
_FORBIDDEN_FUNCTIONS = {"load_extension", "readfile", "writefile", "edit", "fts3_tokenizer"}


def run_sql(path: str | Path, sql: str, params: tuple[Any, ...] = (), timeout: float = 10.0,
            max_rows: int = 100_000) -> tuple[list[str], list[tuple[Any, ...]]]:  # fmt: skip
    """Columns and rows of one read-only statement, or DatabaseError saying why not."""
    path = Path(path)
    if not path.exists():
        raise DatabaseError(f"database {path} does not exist")
    conn = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True, timeout=5)
    refused: list[str] = []

    def authorise(
        action: int, arg1: str | None, arg2: str | None, db: str | None, source: str | None
    ) -> int:
        if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in _FORBIDDEN_FUNCTIONS:
            refused.append(f"function {arg2}")
            return sqlite3.SQLITE_DENY
        if action in _ALLOWED:
            return sqlite3.SQLITE_OK
        refused.append(_ACTION_NAMES.get(action, f"action {action}"))
        return sqlite3.SQLITE_DENY

    deadline = time.monotonic() + timeout
    conn.execute("PRAGMA query_only = ON")
    conn.set_authorizer(authorise)
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
    try:
        cursor = conn.execute(sql, params)
        rows = cursor.fetchmany(max_rows + 1)
        columns = [d[0] for d in cursor.description or ()]
    except sqlite3.Warning as exc:
        raise DatabaseError(f"give one SQL statement at a time ({exc})") from exc
    except sqlite3.DatabaseError as exc:
        if refused:
            raise DatabaseError(
                f"refused: only reading is allowed here (not {refused[0]})"
            ) from exc
        if "interrupted" in str(exc):
            raise DatabaseError(f"query stopped after its time limit of {timeout:g} s") from exc
        raise DatabaseError(f"SQL error: {exc}") from exc
    finally:
        conn.close()
    if len(rows) > max_rows:
        raise DatabaseError(f"more than {max_rows:,} rows; add a LIMIT")
    return columns, rows


_ACTIONS = (
    "CREATE_INDEX CREATE_TABLE CREATE_TEMP_INDEX CREATE_TEMP_TABLE CREATE_TEMP_TRIGGER CREATE_TEMP_VIEW "
    "CREATE_TRIGGER CREATE_VIEW DELETE DROP_INDEX DROP_TABLE DROP_TEMP_INDEX DROP_TEMP_TABLE "
    "DROP_TEMP_TRIGGER DROP_TEMP_VIEW DROP_TRIGGER DROP_VIEW INSERT PRAGMA READ SELECT TRANSACTION "
    "UPDATE ATTACH DETACH ALTER_TABLE REINDEX ANALYZE CREATE_VTABLE DROP_VTABLE FUNCTION SAVEPOINT"
).split()
_ACTION_NAMES = {
    getattr(sqlite3, f"SQLITE_{name}"): name.lower().replace("_", " ")
    for name in _ACTIONS
    if hasattr(sqlite3, f"SQLITE_{name}")
}
