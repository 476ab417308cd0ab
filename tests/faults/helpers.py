"""Helpers of the fault tests: run `newsfacts` in a subprocess, watch its processes,
read a database that another process is writing, and check that nothing was lost."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from tests.crawler.bigsite import build_site

REPO = Path(__file__).resolve().parents[2]
FAST_CRAWL = ["-s", "AUTOTHROTTLE_ENABLED=false", "-s", "DOWNLOAD_DELAY=0",
              "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "CONCURRENT_REQUESTS=16"]  # fmt: skip

# Rows that hang off a document; after any fault none may point to a missing one.
CHILD_TABLES = ("mentions", "figures", "claims", "quotes", "document_urls", "fingerprints",
                "raw_pages")  # fmt: skip


def newsfacts(*args: str) -> list[str]:
    return [sys.executable, "-m", "pipelines", *args]


def cli_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200", **extra}
    env.pop("NEWSFACTS_DB", None)
    return env


def start(args: Sequence[str], *, log: Path | None = None, env: dict[str, str] | None = None,
          new_session: bool = False) -> subprocess.Popen:  # fmt: skip
    """Start `newsfacts ARGS`; stderr goes to `log` (a file, never a pipe: a pipe would be
    held open by any worker process the command leaves behind)."""
    stderr = log.open("w", encoding="utf-8") if log else subprocess.DEVNULL
    try:
        return subprocess.Popen(
            newsfacts(*args), cwd=REPO, stdout=subprocess.DEVNULL, stderr=stderr,
            env=env or cli_env(), start_new_session=new_session,
        )  # fmt: skip
    finally:
        if log:
            stderr.close()  # type: ignore[union-attr]


def run(args: Sequence[str], *, env: dict[str, str] | None = None,
        timeout: float = 600) -> subprocess.CompletedProcess:  # fmt: skip
    return subprocess.run(newsfacts(*args), cwd=REPO, capture_output=True, text=True,
                          env=env or cli_env(), timeout=timeout)  # fmt: skip


def articles(folder: Path, count: int, seed: int = 7) -> list[Path]:
    """`count` article files (the big-site generator's pages) under `folder`."""
    return [folder / p for p in build_site(folder, count, seed)]


def sources_file(path: Path, base: str, name: str = "big") -> Path:
    path.write_text(f'[[source]]\nname = "{name}"\nsitemaps = ["{base}/sitemap.xml"]\n')
    return path


# ---------------------------------------------------------------- reading a busy database


def scalar(db: Path, sql: str, *params: Any, default: Any = 0) -> Any:
    """One value, read on a read-only connection; `default` while the file is not
    there yet, not in WAL mode yet, or locked (a poll must never disturb the writer)."""
    if not db.exists() or not Path(f"{db}-wal").exists():
        return default
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute(sql, params).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return default


def rows(db: Path, sql: str, *params: Any) -> list[dict[str, Any]]:
    conn = sqlite3.connect(db, timeout=30)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def count(db: Path, table: str) -> int:
    return int(rows(db, f"SELECT count(*) AS n FROM {table}")[0]["n"])


def wait_for(condition: Callable[[], bool], timeout: float, what: str,
             interval: float = 0.2) -> None:  # fmt: skip
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def snapshot(db: Path) -> dict[str, tuple[str, int, int]]:
    """Each document's content hash and its numbers of figures and claims."""
    found = rows(db, "SELECT d.id, d.content_sha256, "
                     "(SELECT count(*) FROM figures f WHERE f.document_id = d.id) AS figures, "
                     "(SELECT count(*) FROM claims c WHERE c.document_id = d.id) AS claims "
                     "FROM documents d")  # fmt: skip
    return {r["id"]: (r["content_sha256"], r["figures"], r["claims"]) for r in found}


def assert_intact(db: Path, documents: int | None = None,
                  reviews: Iterable[tuple[int, str, str]] | None = None) -> None:  # fmt: skip
    """No document duplicated or half-stored, no review lost, `PRAGMA integrity_check` ok;
    with `documents`, exactly that many; with `reviews`, exactly those (id, claim, verdict)."""
    conn = sqlite3.connect(db, timeout=30)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        total, distinct = conn.execute(
            "SELECT count(*), count(DISTINCT canonical_url) FROM documents"
        ).fetchone()
        assert total == distinct, f"{total - distinct} duplicate documents"
        if documents is not None:
            assert total == documents, f"{total} documents stored, {documents} expected"
        for table in CHILD_TABLES:
            orphans = conn.execute(
                f"SELECT count(*) FROM {table} t LEFT JOIN documents d ON d.id = t.document_id "
                "WHERE d.id IS NULL"
            ).fetchone()[0]
            assert orphans == 0, f"{orphans} rows of {table} without their document"
        unindexed = conn.execute(
            "SELECT count(*) FROM documents WHERE id NOT IN (SELECT document_id FROM documents_fts)"
        ).fetchone()[0]
        assert unindexed == 0, f"{unindexed} documents stored without their search row"
        if reviews is not None:
            stored = conn.execute(
                "SELECT id, claim_id, verdict FROM reviews ORDER BY id"
            ).fetchall()
            assert stored == sorted(reviews), "reviews lost or added"
    finally:
        conn.close()


# ---------------------------------------------------------------- processes


def children_of(pid: int) -> list[int]:
    """Live processes whose parent is `pid` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def alive(pids: Iterable[int]) -> list[int]:
    living = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            living.append(pid)
    return living


def kill_all(pids: Iterable[int]) -> None:
    """SIGKILL each of these processes (all started by the test) that is still alive."""
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def has_open(pid: int, path: Path) -> bool:
    """Whether process `pid` has `path` open."""
    target = str(path.resolve())
    try:
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink(fd) == target:
                return True
        except OSError:
            continue
    return False
