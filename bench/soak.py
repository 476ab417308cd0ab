"""Soak: kill -9 a long crawl again and again, resume it, and count what was lost.

    python bench/soak.py [--pages 10000] [--every 1000] [--workdir DIR]

Row P1 of ../shared/spec/reliability.md at full size. A local site of
`--pages` article pages (the generator of tests/crawler/bigsite.py) is served
on 127.0.0.1; `newsfacts crawl` runs on it in a subprocess and is killed with
SIGKILL each time `--every` more pages have been stored, then started again,
until a run finishes by itself. Printed at the end: pages expected, stored,
lost, duplicated, `PRAGMA integrity_check`, the number of kills and the total
time. Exit status 0 when nothing was lost or duplicated and the file is sound.

The analysis workers of a killed crawl must die with it; any still alive 30 s
after the kill is counted ("workers left behind") and killed here.
"""

from __future__ import annotations

import argparse
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawler.urls import canonical_url  # noqa: E402
from pipelines.localsite import serve_folder  # noqa: E402
from tests.crawler.bigsite import build_site  # noqa: E402
from tests.faults.helpers import (  # noqa: E402
    CHILD_TABLES,
    FAST_CRAWL,
    alive,
    children_of,
    cli_env,
    kill_all,
    newsfacts,
    scalar,
    sources_file,
)

RUN_TIMEOUT = 3600.0  # seconds one crawl run may take before the soak gives up
WORKER_GRACE = 30.0  # seconds a killed crawl's workers get to die with it


def crawl(db: Path, sources: Path, log: Path) -> subprocess.Popen:
    args = ["--quiet", "crawl", "big", "--sources", str(sources), "--db", str(db), *FAST_CRAWL]
    with log.open("a", encoding="utf-8") as err:
        return subprocess.Popen(newsfacts(*args), cwd=REPO, stdout=subprocess.DEVNULL,
                                stderr=err, env=cli_env())  # fmt: skip


def stored(db: Path) -> int:
    """Documents stored so far, read without disturbing the crawl (0 while unreadable)."""
    return int(scalar(db, "SELECT count(*) FROM documents"))


def stored_between_runs(db: Path) -> int:
    """Documents stored, read while no crawl runs."""
    if not db.exists():
        return 0
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=60)
    try:
        return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    finally:
        conn.close()


def kill_9(process: subprocess.Popen) -> int:
    """SIGKILL the crawl (its main process only, as the kernel's OOM killer or a
    `kill -9` would); returns how many of its workers outlived it."""
    workers = children_of(process.pid)
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + WORKER_GRACE
    while alive(workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = alive(workers)
    kill_all(left)
    return len(left)


def final_counts(db: Path, expected: set[str]) -> dict[str, object]:
    conn = sqlite3.connect(db, timeout=60)
    try:
        urls = [r[0] for r in conn.execute("SELECT canonical_url FROM documents")]
        orphans = sum(
            conn.execute(
                f"SELECT count(*) FROM {table} t LEFT JOIN documents d "
                "ON d.id = t.document_id WHERE d.id IS NULL"
            ).fetchone()[0]
            for table in CHILD_TABLES
        )
        return {
            "stored": len(urls),
            "lost": len(expected - set(urls)),
            "duplicated": len(urls) - len(set(urls)),
            "unexpected": len(set(urls) - expected),
            "frontier_done": conn.execute(
                "SELECT count(*) FROM frontier WHERE state = 'done'"
            ).fetchone()[0],
            "frontier_not_done": conn.execute(
                "SELECT count(*) FROM frontier WHERE state != 'done'"
            ).fetchone()[0],
            "orphans": orphans,
            "integrity": conn.execute("PRAGMA integrity_check").fetchone()[0],
            "foreign_keys": len(conn.execute("PRAGMA foreign_key_check").fetchall()),
        }
    finally:
        conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=10_000, help="pages on the local site")
    parser.add_argument("--every", type=int, default=1_000,
                        help="kill -9 the crawl each time this many more pages are stored")  # fmt: skip
    parser.add_argument("--workdir", type=Path, default=None,
                        help="folder for the site, the database and the crawl log "
                             "(default: a new temporary folder, kept)")  # fmt: skip
    options = parser.parse_args()
    if options.pages < 1 or options.every < 1:
        parser.error("--pages and --every must be positive")
    work = options.workdir or Path(tempfile.mkdtemp(prefix="newsfacts-soak-"))
    work.mkdir(parents=True, exist_ok=True)
    site, db, log = work / "site", work / "soak.db", work / "crawl.log"
    for stale in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), log):
        stale.unlink(missing_ok=True)

    print(f"soak: {options.pages:,} pages, kill -9 every {options.every:,} newly stored pages; "
          f"work folder {work}", flush=True)  # fmt: skip
    paths = build_site(site, options.pages)
    started = time.monotonic()
    kills = left_behind = 0
    finished: subprocess.Popen | None = None
    with serve_folder(site) as base:
        expected = {canonical_url(f"{base}/{path}") for path in paths}
        sources = sources_file(work / "sources.toml", base)
        run = 0
        while finished is None:
            run += 1
            at_start = stored_between_runs(db)
            process = crawl(db, sources, log)
            run_started = time.monotonic()
            while process.poll() is None:
                now = stored(db)
                if now - at_start >= options.every and now < options.pages:
                    left_behind += kill_9(process)
                    kills += 1
                    print(f"  run {run}: killed at {now:,} stored (+{now - at_start:,}) "
                          f"after {time.monotonic() - run_started:.1f} s", flush=True)  # fmt: skip
                    break
                if time.monotonic() - run_started > RUN_TIMEOUT:
                    kill_9(process)
                    print(f"  run {run}: no end after {RUN_TIMEOUT:.0f} s; see {log}")
                    return 1
                time.sleep(0.2)
            else:
                finished = process
                print(f"  run {run}: finished (exit {process.returncode}) at "
                      f"{stored_between_runs(db):,} "
                      f"stored after {time.monotonic() - run_started:.1f} s", flush=True)  # fmt: skip
    elapsed = time.monotonic() - started
    counts = final_counts(db, expected)
    print(f"pages expected:          {options.pages}")
    print(f"stored:                  {counts['stored']}")
    print(f"lost:                    {counts['lost']}")
    print(f"duplicated:              {counts['duplicated']}")
    print(f"not from the site:       {counts['unexpected']}")
    print(f"frontier done / other:   {counts['frontier_done']} / {counts['frontier_not_done']}")
    print(f"orphan rows:             {counts['orphans']}")
    print(f"foreign key violations:  {counts['foreign_keys']}")
    print(f"workers left behind:     {left_behind}")
    print(f"PRAGMA integrity_check:  {counts['integrity']}")
    print(f"kills:                   {kills}")
    print(f"last run exit status:    {finished.returncode}")
    print(f"total time:              {elapsed:.1f} s")
    sound = (
        counts["stored"] == options.pages
        and counts["lost"] == 0
        and counts["duplicated"] == 0
        and counts["orphans"] == 0
        and counts["foreign_keys"] == 0
        and counts["integrity"] == "ok"
        and left_behind == 0
        and finished.returncode == 0
    )
    return 0 if sound else 1


if __name__ == "__main__":
    sys.exit(main())
