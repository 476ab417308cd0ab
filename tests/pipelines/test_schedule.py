"""Scheduling: due sources, no overlap across processes (even after a crash), missed runs once,
SIGTERM, a failing source that never stops the others, quality warnings, the run history."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crawler.sources import Source
from db.connection import connect
from db.store import DocumentRow, Extraction, ensure_source, finish_run, save_document, start_run
from pipelines.localsite import serve_folder
from pipelines.locks import SourceBusy, source_lock
from pipelines.quality import check_run
from pipelines.schedule import plans, systemd_calendar
from tests.conftest import REPO, SAMPLES, run_cli
from tests.crawler.conftest import rows

FAST = ["-s", "AUTOTHROTTLE_ENABLED=false", "-s", "DOWNLOAD_DELAY=0"]


def sample_sources(
    tmp_path: Path,
    base: str,
    names: tuple[str, ...] = ("36kr", "ithome"),
    schedule: str = "0 0 1 1 *",
) -> Path:  # fmt: skip (yearly: due once, then not)
    text = (SAMPLES.parent / "sources.toml").read_text("utf-8").replace("{base}", base)
    blocks = [b for b in text.split("[[source]]") if any(f'name = "{n}"' in b for n in names)]
    body = "".join(
        "[[source]]"
        + b.rstrip()
        + f'\nschedule = "{schedule}"\nsettings = {{ AUTOTHROTTLE_ENABLED = false, DOWNLOAD_DELAY = 0 }}\n\n'
        for b in blocks
    )
    path = tmp_path / "sources.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_a_source_is_due_once_after_downtime(tmp_path):
    db = connect(tmp_path / "s.db")
    source = Source(name="a", feeds=("https://a.test/rss",), schedule="0 * * * *")
    now = datetime(2026, 11, 26, 12, 30, tzinfo=UTC)
    assert plans(db, [source], now)[0].due  # never ran
    ensure_source(db, "a", "crawl")
    run = start_run(db, "crawl", "a")
    db.execute(
        "UPDATE runs SET started_at = ? WHERE id = ?", [(now - timedelta(days=3)).isoformat(), run]
    )
    plan = plans(db, [source], now)[0]
    assert plan.due and plan.previous_due == datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    db.execute(
        "UPDATE runs SET started_at = ? WHERE id = ?",
        [(now - timedelta(minutes=10)).isoformat(), run],
    )
    assert not plans(db, [source], now)[0].due  # ran after 12:00: not due until 13:00
    assert plans(db, [source], now)[0].next_due == datetime(2026, 11, 26, 13, 0, tzinfo=UTC)


def test_lock_is_exclusive_and_released_when_the_holder_is_killed(tmp_path):
    db = tmp_path / "l.db"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pipelines.locks import source_lock\n"
         f"with source_lock({str(db)!r}, 'x'):\n    print('held', flush=True); time.sleep(60)"],
        cwd=REPO, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(SourceBusy, match=f"pid {holder.pid}"), source_lock(db, "x"):
        pass
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    with source_lock(db, "x"):
        pass  # the kernel released the crashed holder's lock


def test_a_crawl_of_a_locked_source_is_skipped_and_recorded(tmp_path):
    db = tmp_path / "c.db"
    with serve_folder(SAMPLES) as base, source_lock(db, "36kr"):
        sources = sample_sources(tmp_path, base, ("36kr",))
        result = run_cli("crawl", "36kr", "--sources", str(sources), "--db", str(db), *FAST)
    assert (
        result.returncode == 1 and "skipped" in result.stderr and "being crawled" in result.stderr
    )
    run = rows(db, "SELECT * FROM runs WHERE command = 'crawl'")[0]
    assert run["status"] == "skipped" and "being crawled" in run["errors"]
    assert rows(db, "SELECT count(*) AS n FROM documents")[0]["n"] == 0


def test_schedule_once_runs_each_due_source_once_and_a_failing_source_stops_nothing(tmp_path):
    db = tmp_path / "s.db"
    with serve_folder(SAMPLES) as base:
        sources = sample_sources(tmp_path, base)
        broken = (
            sources.read_text()
            + '[[source]]\nname = "dead"\nfeeds = ["http://127.0.0.1:9/feed.xml"]\nschedule = "0 0 1 1 *"\n'
        )
        sources.write_text(broken)
        common = ["--sources", str(sources), "--sources-only", "--db", str(db)]
        result = run_cli("schedule", "run", "--once", "--parallel", "3", *common, timeout=600)
        again = run_cli("schedule", "run", "--once", *common)
    assert result.returncode == 0, result.stderr
    found = rows(db, "SELECT source, status FROM runs WHERE command = 'crawl' ORDER BY source")
    by_source = {r["source"]: r["status"] for r in found}
    assert (
        by_source["36kr"] == "ok" and by_source["ithome"] == "ok" and by_source["dead"] == "partial"
    )
    assert len(found) == 3
    assert "starting 0 crawl" in again.stderr  # nothing is due again until the next slot
    docs = rows(db, "SELECT count(*) AS n FROM documents")[0]["n"]
    assert docs == 6


def test_sigterm_stops_a_crawl_cleanly_and_the_next_run_resumes(tmp_path):
    """Row P2 of the fault matrix."""
    from tests.crawler.bigsite import build_site

    build_site(tmp_path / "site", 300)
    db = tmp_path / "big.db"
    with serve_folder(tmp_path / "site") as base:
        sources = tmp_path / "big.toml"
        sources.write_text(f'[[source]]\nname = "big"\nsitemaps = ["{base}/sitemap.xml"]\n')
        crawl = [
            sys.executable,
            "-m",
            "pipelines",
            "--quiet",
            "crawl",
            "big",
            "--sources",
            str(sources),
            "--db",
            str(db),
            *FAST,
        ]
        process = subprocess.Popen(
            crawl, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if done_pages(db) >= 30:
                break
            time.sleep(0.2)
        stopped_at = time.monotonic()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        assert time.monotonic() - stopped_at < 30
        run = rows(db, "SELECT * FROM runs ORDER BY id DESC LIMIT 1")[0]
        assert run["status"] == "interrupted" and run["finished_at"]
        stored = rows(db, "SELECT count(*) AS n FROM documents")[0]["n"]
        assert 30 <= stored < 300
        resumed = subprocess.run(crawl, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert rows(db, "SELECT count(*) AS n, count(DISTINCT canonical_url) AS d FROM documents")[
        0
    ] == {"n": 300, "d": 300}


def test_quality_check_warns_when_a_source_breaks(tmp_path):
    db = connect(tmp_path / "q.db")
    ensure_source(db, "site", "crawl")

    def store(i: int, text: str, published: str | None, share: float, when: str) -> None:
        doc = DocumentRow(id=f"d{i}", url=f"http://s/{i}", canonical_url=f"http://s/{i}", source="site", lang="en",
                          title="t", author=None, published_at=published, fetched_at=when, text=text,
                          content_sha256=f"h{i}", extractor_version="1", replacement_share=share)  # fmt: skip
        save_document(db, doc, Extraction())

    for i in range(10):
        store(
            i,
            "Nvidia reported revenue. " * 60,
            "2024-08-01",
            0.0,
            f"2024-08-{i + 1:02d}T00:00:00+00:00",
        )
    started = "2024-09-01T00:00:00+00:00"
    for i in range(10, 14):
        store(i, "Menu Home About" + "\ufffd" * 40, None, 0.05, "2024-09-01T00:10:00+00:00")
    warnings = " | ".join(check_run(db, "site", started, new_documents=4))
    assert "main text shrank" in warnings and "dates missing" in warnings and "U+FFFD" in warnings
    quiet = check_run(db, "site", "2024-12-01T00:00:00+00:00", new_documents=0)
    assert quiet and "no new articles" in quiet[0]


def test_runs_history_filters_and_exit_status(tmp_path):
    db_path = tmp_path / "r.db"
    db = connect(db_path)
    good = start_run(db, "crawl", "a")
    finish_run(db, good, "ok", {"fetched": 3, "new": 3}, [], [])
    bad = start_run(db, "crawl", "b")
    finish_run(
        db, bad, "ok", {"fetched": 3, "new": 0}, [], ["main text shrank: median 20 characters"]
    )
    db.close()
    listing = run_cli("runs", "--db", str(db_path), "--json")
    assert listing.returncode == 1  # the newest run has a warning
    found = json.loads(listing.stdout)
    assert [r["source"] for r in found] == ["b", "a"] and found[0]["warnings"]
    only_a = run_cli("runs", "--db", str(db_path), "--source", "a", "--json")
    assert only_a.returncode == 0 and [r["source"] for r in json.loads(only_a.stdout)] == ["a"]
    warned = run_cli("runs", "--db", str(db_path), "--warnings", "--json")
    assert [r["source"] for r in json.loads(warned.stdout)] == ["b"]


def test_install_prints_crontab_lines_and_systemd_timers(tmp_path):
    crontab = run_cli("schedule", "install", "--db", str(tmp_path / "x.db"))
    assert crontab.returncode == 0
    assert any(
        line.startswith("*/30 * * * * ") and "crawl 36kr" in line
        for line in crontab.stdout.splitlines()
    )
    written = run_cli(
        "schedule",
        "install",
        "--systemd",
        "--write",
        str(tmp_path / "units"),
        "--db",
        str(tmp_path / "x.db"),
    )
    assert written.returncode == 0
    timer = (tmp_path / "units" / "newsfacts-crawl-36kr.timer").read_text()
    assert "OnCalendar=*-*-* *:00/30:00" in timer and "Persistent=true" in timer
    assert systemd_calendar("15 */2 * * *") == "*-*-* 00/2:15:00"
    assert systemd_calendar("0 9 * * 1") is None  # weekdays: left to the long-running scheduler


def done_pages(db: Path) -> int:
    """Pages the crawl has finished so far; 0 before its migrations have run."""
    if not Path(f"{db}-wal").exists():
        return 0
    try:
        return int(rows(db, "SELECT count(*) AS n FROM frontier WHERE state = 'done'")[0]["n"])
    except sqlite3.OperationalError:  # the crawl is still creating its tables
        return 0
