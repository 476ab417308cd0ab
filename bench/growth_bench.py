"""Does ingest stay flat as the database grows? One run from empty, sampled as it goes.

    python bench/growth_bench.py --docs 100000 [--every 300] [--keep DIR]

Builds (or reuses, with --keep) a bench corpus of `--docs` pages, starts
`newsfacts ingest` on it into an empty database, and every `--every` seconds
prints the documents stored, the rate since the last sample (articles a
minute, milliseconds an article) and the resident memory of the writer and
of each worker. Flat means the rate and the memory of the last samples are
those of the first ones. Run it by hand; the README reports its latest output.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.corpus import build  # noqa: E402
from tests.faults.helpers import children_of  # noqa: E402


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc (0 once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def stored(db: Path) -> int:
    """Documents committed so far, read as any reader would."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
            return conn.execute("SELECT max(seq) FROM documents").fetchone()[0] or 0
    except sqlite3.Error:
        return 0


def watch(process: subprocess.Popen[bytes], db: Path, every: float) -> None:
    """Print a sample every `every` seconds, and one when the ingest ends."""
    print("   min   documents   articles/min   ms/article   writer MB   workers MB", flush=True)
    start = last_time = time.monotonic()
    last_count = 0
    while process.poll() is None:
        time.sleep(min(every, 5))
        now = time.monotonic()
        if now - last_time < every and process.poll() is None:
            continue
        count = stored(db)
        rate = (count - last_count) / (now - last_time) * 60
        per = (now - last_time) / (count - last_count) * 1000 if count > last_count else 0
        workers = " / ".join(f"{rss_mb(p):.0f}" for p in children_of(process.pid)) or "-"
        print(
            f"{(now - start) / 60:6.1f} {count:11,} {rate:14,.0f} {per:12.1f} "
            f"{rss_mb(process.pid):11.0f}   {workers}",
            flush=True,
        )
        last_time, last_count = now, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--every", type=float, default=300, help="seconds between samples")
    parser.add_argument("--keep", type=Path, help="build the corpus here and keep it")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="nf-growth-"))
    folder = base / f"n{args.docs}"
    if not folder.exists():
        print(f"building {args.docs:,} pages in {folder} …", flush=True)
        build(folder, args.docs)
    db = base / f"growth-{args.docs}.db"
    for stale in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        stale.unlink(missing_ok=True)
    print(
        f"machine: {os.cpu_count()} cores, "
        f"{os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.0f} GiB"
    )
    command = [sys.executable, "-m", "pipelines", "--quiet", "ingest", str(folder), "--db", str(db)]
    start = time.monotonic()
    log = base / f"growth-{args.docs}.log"
    with log.open("w") as errors:  # a file, not a pipe: a full pipe would stall the ingest
        process = subprocess.Popen(command, cwd=REPO, stderr=errors)
        watch(process, db, args.every)
    if process.returncode != 0:
        raise SystemExit(f"ingest failed ({process.returncode}): {log.read_text()[-2000:]}")
    wall, total = time.monotonic() - start, stored(db)
    print(
        f"{total:,} documents in {wall:,.0f} s: {total / wall * 60:,.0f} articles/min, "
        f"{wall / total * 1000:.1f} ms/article"
    )


if __name__ == "__main__":
    main()
