"""`newsfacts crawl` end to end against a server the test starts: the User-Agent it
sends comes from the `user_agent` setting, and a page that cannot be stored fails
the run (non-zero exit, an error on the run record) instead of passing silently."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.conftest import REPO, SAMPLES

ARTICLE = (SAMPLES / "36kr" / "p" / "2926374015871.html").read_bytes()


@contextmanager
def recording_server() -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """One article at /a.html, robots.txt allowing all; records (path, User-Agent)."""
    seen: list[tuple[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            seen.append((self.path, self.headers.get("User-Agent", "")))
            body, kind = (
                (b"User-agent: *\nAllow: /\n", "text/plain")
                if self.path == "/robots.txt"
                else (ARTICLE, "text/html; charset=utf-8")
            )
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def crawl(url: str, db: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipelines", "--quiet", "crawl", "--url", url, "--db", str(db),
         "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"],
        cwd=REPO, capture_output=True, text=True, timeout=300,
        env={**os.environ, "NEWSFACTS_WORKERS": "1", **env},
    )  # fmt: skip


def test_the_user_agent_setting_is_what_the_crawler_sends(tmp_path):
    with recording_server() as (base, seen):
        result = crawl(
            f"{base}/a.html", tmp_path / "ua.db", NEWSFACTS_USER_AGENT="AcmeResearch/2.0"
        )
    assert result.returncode == 0, result.stderr
    assert {path for path, _ in seen} >= {"/robots.txt", "/a.html"}
    assert {agent for _, agent in seen} == {"AcmeResearch/2.0"}


def test_a_page_that_cannot_be_stored_fails_the_run(tmp_path):
    db = tmp_path / "broken.db"
    with recording_server() as (base, _):
        assert crawl(f"{base}/a.html", db).returncode == 0
        with sqlite3.connect(db) as conn:  # break the store: every figure insert now fails
            conn.execute(
                "CREATE TRIGGER no_figures BEFORE INSERT ON figures "
                "BEGIN SELECT RAISE(ABORT, 'figures are read-only today'); END"
            )
            conn.execute("DELETE FROM documents")  # so the page is new again
            conn.execute("DELETE FROM frontier")
        result = crawl(f"{base}/a.html", db)
    assert result.returncode != 0
    assert "figures are read-only today" in result.stderr
    with sqlite3.connect(db) as conn:
        status, errors = conn.execute("SELECT status, errors FROM runs ORDER BY id DESC").fetchone()
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    assert status != "ok" and "figures are read-only today" in errors
