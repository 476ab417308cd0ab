"""Process faults (rows P1-P6 of the fault matrix): kill -9, SIGTERM and Ctrl-C, a full
disk, a long reader, a second writer, reviews during a crawl.

Every test ends the same way: no document lost or duplicated, no review lost,
`PRAGMA integrity_check` ok (`helpers.assert_intact`). Crawls and ingests run
as real `newsfacts` subprocesses against files or a site served on 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import random
import re
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from db.connection import BUSY_TIMEOUT_ENV, busy_timeout_ms, connect
from db.errors import DatabaseError
from pipelines.ingest import IngestOptions, run_ingest
from pipelines.localsite import serve_folder
from pipelines.web import DeskConfig, create_app
from tests.faults.helpers import (
    FAST_CRAWL,
    REPO,
    alive,
    articles,
    assert_intact,
    children_of,
    cli_env,
    count,
    has_open,
    kill_all,
    rows,
    run,
    scalar,
    snapshot,
    sources_file,
    start,
    wait_for,
)

SEED = int(os.environ.get("NEWSFACTS_KILL_SEED", "20261126"))
DOCUMENTS = "SELECT count(*) FROM documents"
DONE = "SELECT count(*) FROM frontier WHERE state = 'done'"


def crawl_args(db: Path, sources: Path) -> list[str]:
    return ["--quiet", "crawl", "big", "--sources", str(sources), "--db", str(db), *FAST_CRAWL]


def ingest_args(db: Path, *paths: Path) -> list[str]:
    return ["--quiet", "ingest", *map(str, paths), "--db", str(db)]


def log_of(path: Path) -> str:
    return path.read_text("utf-8", "replace") if path.exists() else ""


# ---------------------------------------------------------------- P1: kill -9


@pytest.mark.slow
def test_P1_kill_9_of_an_ingest_at_random_points_then_resume(tmp_path):
    """P1 for `newsfacts ingest` (the crawl is tests/crawler/test_crash_resume.py):
    files are committed in batches, each file whole, so a killed ingest leaves whole
    documents only and the next run stores exactly the files that are missing."""
    folder = tmp_path / "files"
    total = len(articles(folder, 300))
    db = tmp_path / "ingest.db"
    # Points in the first third: the count grows a batch (up to 32) at a time and a
    # run may commit another before its kill, so each run can overshoot its point by
    # two batches; the last run must still be going when its own point is reached.
    points = sorted(random.Random(SEED).sample(range(5, total // 3), 3))
    left: list[int] = []
    try:
        for point in points:
            # Each run must store something of its own before the kill: the points can
            # be so close that the previous run already passed this one.
            target = max(point, scalar(db, DOCUMENTS) + 1)
            process = start(ingest_args(db, folder), log=tmp_path / "ingest.log")
            wait_for(lambda t=target, pr=process: scalar(db, DOCUMENTS) >= t or pr.poll() is not None,
                     300, f"{target} documents")  # fmt: skip
            assert process.poll() is None, log_of(tmp_path / "ingest.log")
            workers = children_of(process.pid)
            process.send_signal(signal.SIGKILL)
            process.wait()
            left += workers
            kill_all(workers)  # see test_P1_kill_9_leaves_no_worker_process_behind
            assert_intact(db)
            assert count(db, "documents") >= point
        final = run(ingest_args(db, folder))
        assert final.returncode == 0, final.stderr
    finally:
        kill_all(left)
    assert_intact(db, documents=total)
    statuses = [r["status"] for r in rows(db, "SELECT status FROM runs ORDER BY id")]
    assert statuses[-1] == "ok" and len(statuses) == len(points) + 1


@pytest.mark.parametrize("command", ["crawl", "ingest"])
def test_P1_kill_9_leaves_no_worker_process_behind(tmp_path, command):
    """After kill -9 of the main process nothing of it may linger: no worker holding
    memory, stderr or the source lock; the next run starts and finishes."""
    folder = tmp_path / "site"
    total = len(articles(folder, 400))  # enough that a fast writer is still going at the kill
    db = tmp_path / "k.db"
    workers: list[int] = []
    with serve_folder(folder) as base:
        sources = sources_file(tmp_path / "sources.toml", base)
        args = crawl_args(db, sources) if command == "crawl" else ingest_args(db, folder)
        env = cli_env(NEWSFACTS_WORKERS="2")
        try:
            process = start(args, log=tmp_path / "first.log", env=env)
            wait_for(lambda: scalar(db, DOCUMENTS) >= 5 or process.poll() is not None, 300,
                     "5 documents")  # fmt: skip
            workers = children_of(process.pid)
            assert workers, "expected analysis worker processes"
            process.send_signal(signal.SIGKILL)
            process.wait()
            time.sleep(3)
            assert alive(workers) == [], "worker processes outlived the killed command"
            again = run(args, env=env)
            assert again.returncode == 0, again.stderr
        finally:
            kill_all(workers)
    assert_intact(db, documents=total)


# ---------------------------------------------------------------- P2: SIGTERM, Ctrl-C


@pytest.mark.parametrize(
    ("signum", "whole_group"),
    [(signal.SIGTERM, False), (signal.SIGINT, True)],
    ids=["sigterm", "ctrl-c"],
)
def test_P2_sigterm_or_ctrl_c_stops_an_ingest_within_seconds_and_it_resumes(
    tmp_path, analyzer, signum, whole_group
):
    """P2 for `newsfacts ingest` (the crawl's SIGTERM is tests/pipelines/test_schedule.py):
    Ctrl-C reaches the whole process group, workers included; SIGTERM only the main one.
    Either way: out within seconds, the batch in flight rolled back, workers gone, the run
    recorded as interrupted, and the next run stores the rest. (Enough files that the
    first committed batch, up to a second's worth, leaves many still to do.)"""
    folder = tmp_path / "files"
    total = len(articles(folder, 200))
    db = tmp_path / "ingest.db"
    log = tmp_path / "ingest.log"
    process = start(ingest_args(db, folder), log=log, new_session=True)
    workers: list[int] = []
    try:
        wait_for(lambda: scalar(db, DOCUMENTS) >= 8 or process.poll() is not None, 300,
                 "8 documents")  # fmt: skip
        assert process.poll() is None, log_of(log)
        workers = children_of(process.pid)
        sent = time.monotonic()
        if whole_group:
            os.killpg(process.pid, signum)
        else:
            process.send_signal(signum)
        code = process.wait(timeout=60)
        assert time.monotonic() - sent < 15
        assert code == 128 + signum, log_of(log)
        assert "interrupted" in log_of(log) and "Traceback" not in log_of(log)
        time.sleep(1)
        assert alive(workers) == []
    finally:
        kill_all([process.pid, *workers])
    run_row = rows(db, "SELECT status, finished_at FROM runs ORDER BY id DESC LIMIT 1")[0]
    assert run_row["status"] == "interrupted" and run_row["finished_at"]
    assert_intact(db)
    stored = count(db, "documents")
    assert 8 <= stored < total
    resumed = run_ingest([folder], IngestOptions(str(db)), analyzer)
    assert resumed.ok and (resumed.new, resumed.unchanged) == (total - stored, stored)
    assert_intact(db, documents=total)


@pytest.mark.slow
def test_P2_ctrl_c_to_the_process_group_stops_a_crawl_within_seconds(tmp_path):
    """A terminal's Ctrl-C sends SIGINT to every process of the foreground group."""
    folder = tmp_path / "site"
    articles(folder, 200)
    db = tmp_path / "c.db"
    log = tmp_path / "crawl.log"
    with serve_folder(folder) as base:
        args = crawl_args(db, sources_file(tmp_path / "sources.toml", base))
        process = start(args, log=log, new_session=True)
        group: list[int] = []
        try:
            wait_for(lambda: scalar(db, DONE) >= 20 or process.poll() is not None, 300,
                     "20 pages")  # fmt: skip
            group = [process.pid, *children_of(process.pid)]
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=45)
            except subprocess.TimeoutExpired:
                pytest.fail(f"the crawl did not stop within 45 s of Ctrl-C: {log_of(log)[-500:]}")
        finally:
            kill_all([*group, *children_of(process.pid)])
        assert process.returncode in (0, 1, 130), log_of(log)
        assert rows(db, "SELECT status FROM runs ORDER BY id DESC LIMIT 1")[0]["status"] == (
            "interrupted"
        )
        assert_intact(db)
        resumed = run(args)
        assert resumed.returncode == 0, resumed.stderr
    assert_intact(db, documents=200)


# ---------------------------------------------------------------- P3: disk full

# `newsfacts` with every writing connection limited by PRAGMA max_page_count (the page
# limit is a property of a connection, not of the file): the disk is "full" at that size.
_LIMITED_CLI = """
import os, sys
import db.connection as connection
_connect = connection.connect
def connect(path, **kw):
    db = _connect(path, **kw)
    if not kw.get("readonly"):
        db.execute(f"PRAGMA max_page_count = {int(os.environ['NF_MAX_PAGES'])}")
    return db
connection.connect = connect
sys.argv[0] = "newsfacts"
from pipelines.cli import main
main()
"""


def test_P3_disk_full_mid_ingest_names_the_cause_rolls_back_and_resumes_later(tmp_path, analyzer):
    early = articles(tmp_path / "early", 10)
    late = articles(tmp_path / "late", 40, seed=8)
    db = tmp_path / "full.db"
    assert run_ingest([tmp_path / "early"], IngestOptions(str(db)), analyzer).ok
    before = snapshot(db)
    pages = rows(db, "PRAGMA page_count")[0]["page_count"]
    full = subprocess.run(
        [sys.executable, "-c", _LIMITED_CLI, "ingest", str(tmp_path / "late"), "--db", str(db)],
        cwd=REPO, capture_output=True, text=True, timeout=600,
        env=cli_env(NF_MAX_PAGES=str(pages + 6)),
    )  # fmt: skip
    assert full.returncode == 2, full.stderr
    assert "Traceback" not in full.stderr
    message = full.stderr.strip().splitlines()[-1]
    assert "database or disk is full" in message and str(db) in message
    assert "rolled back" in message and "run the same ingest again" in message
    stopped_at = re.search(r"ingest stopped at (\S+?):", message)
    assert stopped_at, message
    assert_intact(db)
    after = snapshot(db)
    assert {k: after[k] for k in before} == before  # the earlier documents are untouched
    stored = count(db, "documents")
    assert len(early) <= stored < len(early) + len(late)
    failed_url = Path(stopped_at.group(1)).resolve().as_uri()
    assert rows(db, "SELECT count(*) AS n FROM documents WHERE url = ?", failed_url)[0]["n"] == 0
    assert rows(db, "SELECT status FROM runs ORDER BY id DESC LIMIT 1")[0]["status"] != "ok"
    # with room again, the same ingest goes on where it stopped
    report = run_ingest([tmp_path / "late"], IngestOptions(str(db)), analyzer)
    assert report.ok and report.new == len(early) + len(late) - stored
    assert report.unchanged == stored - len(early)
    assert_intact(db, documents=len(early) + len(late))
    assert {k: snapshot(db)[k] for k in before} == before


# ---------------------------------------------------------------- P4: a long reader


def test_P4_a_reader_holding_a_long_transaction_does_not_stop_an_ingest(tmp_path, analyzer):
    articles(tmp_path / "first", 5)
    articles(tmp_path / "more", 25, seed=9)
    db = tmp_path / "read.db"
    assert run_ingest([tmp_path / "first"], IngestOptions(str(db)), analyzer).ok
    reader = connect(db, readonly=True)  # as `newsfacts query` and the review desk read
    try:
        reader.conn.execute("BEGIN")
        assert reader.conn.execute(DOCUMENTS).fetchone()[0] == 5
        result = run(ingest_args(db, tmp_path / "more"), timeout=600)
        assert result.returncode == 0, result.stderr
        # still inside its transaction: the reader sees its snapshot, the writer went on
        assert reader.conn.in_transaction
        assert reader.conn.execute(DOCUMENTS).fetchone()[0] == 5
        reader.conn.execute("COMMIT")
        assert reader.conn.execute(DOCUMENTS).fetchone()[0] == 30
    finally:
        reader.close()
    assert_intact(db, documents=30)


@pytest.mark.slow
def test_P4_a_reader_holding_a_long_transaction_does_not_stop_a_crawl(tmp_path):
    folder = tmp_path / "site"
    articles(folder, 80)
    db = tmp_path / "crawl.db"
    connect(db).close()  # an existing database, in WAL mode, as a reader would find it
    reader = connect(db, readonly=True)
    try:
        reader.conn.execute("BEGIN")
        assert reader.conn.execute(DOCUMENTS).fetchone()[0] == 0
        with serve_folder(folder) as base:
            crawled = run(crawl_args(db, sources_file(tmp_path / "s.toml", base)), timeout=600)
        assert crawled.returncode == 0, crawled.stderr
        assert reader.conn.execute(DOCUMENTS).fetchone()[0] == 0
        reader.conn.execute("COMMIT")
    finally:
        reader.close()
    assert_intact(db, documents=80)


# ---------------------------------------------------------------- P5: a second writer

# A second process that takes the write lock when told ("lock") and lets go ("release").
_HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=120)
for line in sys.stdin:
    if line.strip() == "lock":
        conn.execute("BEGIN IMMEDIATE")
    elif line.strip() == "release":
        conn.execute("COMMIT")
    print(line.strip(), flush=True)
"""


class LockHolder:
    def __init__(self, db: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _HOLDER, str(db)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip

    def tell(self, command: str) -> None:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        assert self.process.stdout.readline().strip() == command

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


@pytest.fixture
def holder_of(tmp_path):
    holders: list[LockHolder] = []

    def make(db: Path) -> LockHolder:
        holders.append(LockHolder(db))
        return holders[-1]

    yield make
    for holder in holders:
        holder.close()


def test_P5_an_ingest_waits_for_another_writer_then_succeeds(tmp_path, analyzer, holder_of):
    articles(tmp_path / "first", 3)
    articles(tmp_path / "more", 10, seed=9)
    db = tmp_path / "two.db"
    assert run_ingest([tmp_path / "first"], IngestOptions(str(db)), analyzer).ok
    holder = holder_of(db)
    holder.tell("lock")
    process = start(ingest_args(db, tmp_path / "more"), log=tmp_path / "ingest.log")
    try:
        wait_for(lambda: has_open(process.pid, db) or process.poll() is not None, 120,
                 "the ingest to open the database")  # fmt: skip
        time.sleep(2)  # it is now waiting for the lock: nothing of it can be committed
        assert process.poll() is None, log_of(tmp_path / "ingest.log")
        assert count(db, "documents") == 3 and count(db, "runs") == 1
        released = datetime.now(UTC).replace(microsecond=0)
        holder.tell("release")
        assert process.wait(timeout=600) == 0, log_of(tmp_path / "ingest.log")
    finally:
        kill_all([process.pid])
    started = rows(db, "SELECT started_at FROM runs ORDER BY id DESC LIMIT 1")[0]["started_at"]
    assert datetime.fromisoformat(started) >= released  # its first write came after the wait
    assert_intact(db, documents=13)


def test_P5_a_lock_held_past_the_busy_timeout_is_a_clear_error_and_nothing_is_lost(
    tmp_path, analyzer, holder_of
):
    articles(tmp_path / "first", 3)
    # enough files that the ingest is still going when the lock is taken half-way,
    # however fast this machine stores them
    total = 3 + len(articles(tmp_path / "more", 200, seed=9))
    db = tmp_path / "busy.db"
    assert run_ingest([tmp_path / "first"], IngestOptions(str(db)), analyzer).ok
    before = snapshot(db)
    holder = holder_of(db)
    env = cli_env(**{BUSY_TIMEOUT_ENV: "1"})
    # locked before the ingest starts: it stops at its first write
    holder.tell("lock")
    refused = run(ingest_args(db, tmp_path / "more"), env=env)
    holder.tell("release")
    assert refused.returncode == 2, refused.stderr
    assert "Traceback" not in refused.stderr
    assert "database is locked" in refused.stderr and str(db) in refused.stderr
    assert f"busy timeout (1 s; {BUSY_TIMEOUT_ENV} sets it)" in refused.stderr
    assert snapshot(db) == before
    assert_intact(db, documents=3)
    # locked half-way through: the ingest stops at the file it was storing, keeps the rest
    log = tmp_path / "ingest.log"
    process = start(
        ingest_args(db, tmp_path / "more"), log=log, env=cli_env(**{BUSY_TIMEOUT_ENV: "2"})
    )
    try:
        wait_for(lambda: scalar(db, DOCUMENTS) >= 6 or process.poll() is not None, 300,
                 "6 documents")  # fmt: skip
        holder.tell("lock")
        code = process.wait(timeout=300)
        holder.tell("release")
    finally:
        kill_all([process.pid])
    assert code == 2, log_of(log)
    message = log_of(log).strip().splitlines()[-1]
    assert "ingest stopped at" in message and "database is locked" in message, message
    assert "run the same ingest again" in message
    assert_intact(db)
    stored = count(db, "documents")
    assert 6 <= stored < total
    assert {k: snapshot(db)[k] for k in before} == before
    report = run_ingest([tmp_path / "more"], IngestOptions(str(db)), analyzer)
    assert report.ok and report.new == total - stored
    assert_intact(db, documents=total)


def test_P5_the_busy_timeout_setting_is_checked(monkeypatch, tmp_path):
    monkeypatch.setenv(BUSY_TIMEOUT_ENV, "2.5")
    assert busy_timeout_ms() == 2500
    db = connect(tmp_path / "t.db")
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 2500
    db.close()
    monkeypatch.setenv(BUSY_TIMEOUT_ENV, "soon")
    with pytest.raises(DatabaseError, match=f"{BUSY_TIMEOUT_ENV}='soon' is not a number"):
        connect(tmp_path / "t.db")
    monkeypatch.delenv(BUSY_TIMEOUT_ENV)
    assert busy_timeout_ms() == 30_000


# ---------------------------------------------------------------- P6: reviews during a crawl


@pytest.mark.slow
def test_P6_reviews_written_while_a_crawl_runs_are_all_kept(tmp_path):
    """Reviews through the review desk (in this process) and `newsfacts review` (a
    subprocess) while `newsfacts crawl` stores pages: every verdict is kept, exactly once."""
    pages = 300
    folder = tmp_path / "site"
    articles(folder, pages)
    db = tmp_path / "p6.db"
    secret = b"p6-secret"
    csrf = hmac.new(secret, b"csrf", hashlib.sha256).hexdigest()
    desk = TestClient(create_app(DeskConfig(db_path=str(db), reviewer="desk", secret=secret)))
    written: list[tuple[int, str, str]] = []
    during_crawl = {"desk": 0, "cli": 0}
    verdicts = ["accepted", "rejected", "edited"]
    with serve_folder(folder) as base:
        log = tmp_path / "crawl.log"
        # paced (one page at a time, 0.1 s apart) so that the crawl outlasts the reviews
        paced = ["-s", "DOWNLOAD_DELAY=0.1", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]
        process = start(crawl_args(db, sources_file(tmp_path / "s.toml", base)) + paced, log=log)
        try:
            wait_for(lambda: scalar(db, "SELECT count(*) FROM claims") >= 5
                     or process.poll() is not None, 300, "the first claims")  # fmt: skip
            while process.poll() is None:
                reviewed = {claim for _, claim, _ in written}
                candidates = [r["id"] for r in rows(db, "SELECT id FROM claims ORDER BY rowid DESC LIMIT 50")
                              if r["id"] not in reviewed]  # fmt: skip
                if not candidates:
                    time.sleep(0.2)
                    continue
                claim = candidates[0]
                if len(written) % 10 == 9:  # every tenth through the command line
                    result = run(["review", "--db", str(db), "accept", claim, "--reviewer", "cli"])
                    assert result.returncode == 0, result.stderr
                    review_id = int(re.search(r"review #(\d+)", result.stderr).group(1))
                    written.append((review_id, claim, "accepted"))
                    during_crawl["cli"] += process.poll() is None
                    continue
                verdict = verdicts[len(written) % 3]
                form = {"verdict": verdict, "csrf": csrf, "note": f"review {len(written)}"}
                if verdict == "edited":
                    form["value"] = "12.5"
                answer = desk.post(f"/claim/{claim}/review", data=form,
                                   headers={"accept": "application/json"})  # fmt: skip
                assert answer.status_code == 200, answer.text
                written.append((answer.json()["review"], claim, verdict))
                during_crawl["desk"] += process.poll() is None
            assert process.wait() == 0, log_of(log)
        finally:
            kill_all([process.pid])
    assert during_crawl["desk"] >= 10 and during_crawl["cli"] >= 1, during_crawl
    assert_intact(db, documents=pages, reviews=written)
    edited = rows(db, "SELECT count(*) AS n FROM reviews WHERE verdict = 'edited' AND value = 12.5")
    assert edited[0]["n"] == sum(1 for *_, v in written if v == "edited")
