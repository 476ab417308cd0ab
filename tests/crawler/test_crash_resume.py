"""kill -9 a crawl of a 2,000-page local site at random points, resume, and lose nothing.

The frontier is in SQLite and a page's `done` mark commits with its document,
so every restart fetches exactly what is not stored yet.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipelines.localsite import serve_folder
from tests.crawler.bigsite import build_site
from tests.crawler.conftest import REPO, rows

PAGES = 2000
SETTINGS = ["-s", "AUTOTHROTTLE_ENABLED=false", "-s", "DOWNLOAD_DELAY=0",
            "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "CONCURRENT_REQUESTS=16"]  # fmt: skip


def done_count(db: Path) -> int:
    # Read only once the crawler has switched the file to WAL: before that a
    # reader polling in a tight loop can starve the switch's exclusive lock.
    if not Path(f"{db}-wal").exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM frontier WHERE state = 'done'").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return 0


def start_crawl(db: Path, sources: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "pipelines", "--quiet", "crawl", "big", "--sources", str(sources),
         "--db", str(db), *SETTINGS],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


@pytest.mark.slow
def test_P1_kill_9_at_random_points_then_resume_loses_and_duplicates_nothing(tmp_path):
    site = tmp_path / "site"
    build_site(site, PAGES)
    db = tmp_path / "crawl.db"
    rng = random.Random(int(os.environ.get("NEWSFACTS_KILL_SEED", "20261126")))
    kill_points = sorted(rng.sample(range(100, PAGES - 200), 3))
    with serve_folder(site) as base:
        sources = tmp_path / "sources.toml"
        sources.write_text(f'[[source]]\nname = "big"\nsitemaps = ["{base}/sitemap.xml"]\n')
        for point in kill_points:
            process = start_crawl(db, sources)
            deadline = time.monotonic() + 240
            while done_count(db) < point and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.2)
            assert process.poll() is None, (
                f"the crawl ended before page {point}: {process.stderr.read()}"
            )
            process.send_signal(signal.SIGKILL)
            process.wait()
            killed_at = done_count(db)
            assert killed_at >= point
        final = start_crawl(db, sources)
        _, err = final.communicate(timeout=600)
        assert final.returncode == 0, err
    counts = rows(db, "SELECT (SELECT count(*) FROM documents) AS docs, "
                      "(SELECT count(DISTINCT canonical_url) FROM documents) AS distinct_docs, "
                      "(SELECT count(*) FROM frontier WHERE state = 'done') AS done, "
                      "(SELECT count(*) FROM frontier) AS known, "
                      "(SELECT count(*) FROM raw_pages) AS raw")[0]  # fmt: skip
    assert counts == {
        "docs": PAGES,
        "distinct_docs": PAGES,
        "done": PAGES,
        "known": PAGES,
        "raw": PAGES,
    }
    orphans = rows(db, "SELECT count(*) AS n FROM figures f LEFT JOIN documents d ON d.id = f.document_id "
                       "WHERE d.id IS NULL")[0]["n"]  # fmt: skip
    assert orphans == 0
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()
