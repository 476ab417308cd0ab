"""A one-table database for tests of batched writes, and what another connection sees of it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from db.connection import connect


def notes_db(path: Path) -> Database:
    """A new database with one table, `notes (label TEXT PRIMARY KEY)`."""
    database = connect(path)
    database.execute("CREATE TABLE notes (label TEXT PRIMARY KEY)")
    return database


def committed(db: Database) -> list[str]:
    """The labels another connection sees: only committed rows."""
    path = db.conn.execute("PRAGMA database_list").fetchone()[2]
    with sqlite3.connect(path) as other:
        return [row[0] for row in other.execute("SELECT label FROM notes ORDER BY label")]
