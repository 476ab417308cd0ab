"""A crawl shared by three workers through a real Redis, with one writer: nothing lost or doubled.

The test starts Debian's redis-server on 127.0.0.1 on a free port (`.ci/run`
installs it) and skips with a reason when it is not installed.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections import Counter

import pytest
import redis

from pipelines.localsite import serve_folder
from tests.crawler.bigsite import build_site
from tests.crawler.conftest import REPO, rows
from tests.faults.helpers import (
    alive,
    children_of,
    cli_env,
    count,
    kill_all,
    scalar,
    start,
    wait_for,
)

REDIS = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(
    REDIS is None, reason="redis-server is not installed (apt-get install redis-server)"
)
PAGES = 1000
WORKERS = 3
# Each worker asks for a page every 10 ms at most: alone, one worker would need ten
# seconds for the site, longer than the five an idle Scrapy engine waits before it
# looks at the shared queue again, so the others join in. (With no delay one worker
# fetched all 1,000 pages before the others had looked.)
PACED = [
    "-s",
    "AUTOTHROTTLE_ENABLED=false",
    "-s",
    "DOWNLOAD_DELAY=0.01",
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=8",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    port = free_port()
    server = subprocess.Popen(
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


def newsfacts(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipelines", *args], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip


@pytest.mark.slow
def test_three_workers_and_one_writer_store_every_page_exactly_once(tmp_path, redis_url):
    build_site(tmp_path / "site", PAGES)
    db = tmp_path / "shared.db"
    hits: Counter[str] = Counter()
    with serve_folder(tmp_path / "site", hits=hits) as base:
        sources = tmp_path / "s.toml"
        sources.write_text(
            f'[[source]]\nname = "big"\nlang = "en"\nsitemaps = ["{base}/sitemap.xml"]\n'
        )
        common = ["--redis", redis_url, "--job", "t1", "--db", str(db)]
        writer = newsfacts("crawl", *common, "--store", "--idle-timeout", "20")
        workers = [newsfacts("crawl", "big", "--sources", str(sources), "--sources-only", *common,
                             "--idle-timeout", "5", *PACED) for _ in range(WORKERS)]  # fmt: skip
        outputs = [w.communicate(timeout=600) for w in workers]
        writer_out = writer.communicate(timeout=900)
    for worker, (_, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err
    assert writer.returncode == 0, writer_out[1]
    pushed = [int(err.split("worker (t1): ")[1].split()[0]) for _, err in outputs]
    assert sum(pushed) == PAGES and sum(1 for p in pushed if p > 0) >= 2  # the work was shared
    article_hits = {path: n for path, n in hits.items() if path.startswith("/news/")}
    assert len(article_hits) == PAGES and set(article_hits.values()) == {
        1
    }  # each page fetched once
    counts = rows(db, "SELECT count(*) AS n, count(DISTINCT canonical_url) AS d FROM documents")[0]
    assert counts == {"n": PAGES, "d": PAGES}
    assert rows(db, "SELECT count(*) AS n FROM frontier WHERE state = 'done'")[0]["n"] == PAGES
    assert f"writer (t1): {PAGES} pages received — {PAGES} new" in writer_out[1]


@pytest.mark.slow
def test_a_writer_killed_mid_batch_loses_nothing_and_a_new_writer_stores_each_page_once(
    tmp_path, redis_url
):
    """Pages reach `processing` before they are stored and leave it only once their batch
    is committed: after a kill -9 the next writer stores exactly what is missing."""
    pages = 300
    build_site(tmp_path / "site", pages)
    db = tmp_path / "shared.db"
    common = ["--redis", redis_url, "--job", "k1", "--db", str(db)]
    with serve_folder(tmp_path / "site") as base:
        sources = tmp_path / "s.toml"
        sources.write_text(
            f'[[source]]\nname = "big"\nlang = "en"\nsitemaps = ["{base}/sitemap.xml"]\n'
        )
        worker = newsfacts("crawl", "big", "--sources", str(sources), "--sources-only", *common,
                           "--idle-timeout", "1", *PACED)  # fmt: skip
        _, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
    queue = redis.Redis.from_url(redis_url)
    assert queue.llen("newsfacts:k1:items") == pages  # every page waits for a writer

    writer_args = ["crawl", *common, "--store", "--idle-timeout", "2"]
    writer = start(writer_args, log=tmp_path / "writer1.log", env=cli_env(NEWSFACTS_WORKERS="2"))
    try:
        wait_for(lambda: db.exists() and scalar(db, "SELECT count(*) FROM documents") >= 40,
                 120, "the first writer to store 40 pages")  # fmt: skip
        pool = children_of(writer.pid)
        writer.kill()
        writer.wait(timeout=30)
    finally:
        kill_all([writer.pid, *children_of(writer.pid)])
    wait_for(lambda: not alive(pool), 30, "the killed writer's workers to exit")
    stored_before = count(db, "documents")
    taken = queue.llen("newsfacts:k1:processing")
    assert stored_before < pages and taken > 0, (stored_before, taken)

    again = subprocess.run(
        [sys.executable, "-m", "pipelines", *writer_args], cwd=REPO, capture_output=True,
        text=True, timeout=600, env=cli_env(NEWSFACTS_WORKERS="2"),
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    counts = rows(db, "SELECT count(*) AS n, count(DISTINCT canonical_url) AS d FROM documents")[0]
    assert counts == {"n": pages, "d": pages}
    assert rows(db, "SELECT count(*) AS n FROM frontier WHERE state = 'done'")[0]["n"] == pages
    assert queue.llen("newsfacts:k1:items") == 0 and queue.llen("newsfacts:k1:processing") == 0
