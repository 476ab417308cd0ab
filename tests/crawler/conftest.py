"""Helpers for crawl tests: run `newsfacts crawl` in a subprocess and read the database."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]

_MEASURE = """
import json, resource, subprocess, sys
proc = subprocess.run(sys.argv[1:], capture_output=True, text=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"code": proc.returncode, "out": proc.stdout, "err": proc.stderr, "rss_kb": peak}))
"""


def crawl(db: Path, *args: str, timeout: float = 300) -> tuple[subprocess.CompletedProcess, float]:
    """Run `newsfacts crawl --db DB ARGS`; returns the result and its peak RSS in MB."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    command = [sys.executable, "-m", "pipelines", "crawl", "--db", str(db), *args]
    measured = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command],
        capture_output=True, text=True, timeout=timeout, env=env, cwd=REPO,
    )  # fmt: skip
    data = json.loads(measured.stdout)
    result = subprocess.CompletedProcess(command, data["code"], data["out"], data["err"])
    return result, data["rss_kb"] / 1024


def rows(db: Path, sql: str, *params: Any) -> list[dict[str, Any]]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def write_sources(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
