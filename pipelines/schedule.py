"""The scheduler: every source crawled on its own cron schedule, unattended.

Why croniter and a small loop rather than APScheduler: the truth about past
runs already lives in the database (`runs`), where it survives restarts, and
the guard against overlapping runs must work across processes (a flock per
source, see `pipelines.locks`). What remains is "which sources are due now",
which croniter answers from the cron expression and the last run:

- a source is due when its most recent scheduled time has passed since its
  last run started; after downtime that is true once, however many times
  were missed, so a missed run runs once, not N times;
- each due source is crawled in a child process (`newsfacts crawl NAME`), so
  a failing or hanging source never stops the others and Scrapy's reactor
  starts fresh each time; a child whose source is still locked by an earlier
  run records a `skipped` run;
- SIGTERM / SIGINT: no new runs start, the running children get SIGTERM
  (Scrapy finishes the pages in flight and stops cleanly), then we exit.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from croniter import croniter
from sqlite_utils import Database

from crawler.sources import Source

log = logging.getLogger(__name__)
POLL_SECONDS = 30.0


@dataclass(frozen=True)
class Plan:
    source: str
    schedule: str
    last_run: str | None
    last_status: str | None
    previous_due: datetime
    next_due: datetime

    @property
    def due(self) -> bool:
        return self.last_run is None or datetime.fromisoformat(self.last_run) < self.previous_due


def plans(db: Database, sources: Sequence[Source], now: datetime | None = None) -> list[Plan]:
    """For each scheduled source: its last run and its previous and next scheduled times."""
    now = now or datetime.now(UTC)
    out = []
    for source in sources:
        if not source.schedule or not source.enabled:
            continue
        row = db.execute(
            "SELECT started_at, status FROM runs WHERE command = 'crawl' AND source = ? "
            "AND status != 'skipped' ORDER BY id DESC LIMIT 1",
            [source.name],
        ).fetchone()
        cron = croniter(source.schedule, now)
        previous = cron.get_prev(datetime)
        following = croniter(source.schedule, now).get_next(datetime)
        out.append(Plan(source.name, source.schedule, row[0] if row else None, row[1] if row else None,
                        previous, following))  # fmt: skip
    return out


def crawl_command(
    source: str, db_path: str, source_files: Sequence[str], sources_only: bool = False
) -> list[str]:
    command = [sys.executable, "-m", "pipelines", "--quiet", "crawl", source, "--db", db_path]
    for path in source_files:
        command += ["--sources", str(Path(path).resolve())]
    return [*command, "--sources-only"] if sources_only else command


class Scheduler:
    """Runs due sources in child processes until stopped."""

    def __init__(self, db_path: str, sources: Sequence[Source], source_files: Sequence[str] = (),
                 connect: Callable[[str], Database] | None = None, max_parallel: int = 2,
                 sources_only: bool = False) -> None:  # fmt: skip
        from db.connection import connect as default_connect

        self.db_path = db_path
        self.sources = list(sources)
        self.source_files = list(source_files)
        self.connect = connect or default_connect
        self.max_parallel = max_parallel
        self.sources_only = sources_only
        self.stopping = threading.Event()
        self.children: dict[str, subprocess.Popen[bytes]] = {}

    def install_signal_handlers(self) -> None:
        def stop(signum: int, frame: object) -> None:
            log.warning("signal %s: finishing running crawls, starting no new ones", signum)
            self.stop()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)

    def stop(self) -> None:
        self.stopping.set()
        for child in self.children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    def run(self, once: bool = False) -> int:
        """Loop (or one pass with `once`); returns how many crawls were started."""
        started = 0
        while not self.stopping.is_set():
            self._reap()
            db = self.connect(self.db_path)
            try:
                due = [
                    p for p in plans(db, self.sources) if p.due and p.source not in self.children
                ]
                upcoming = plans(db, self.sources)
            finally:
                db.close()
            for plan in due:
                if len(self.children) >= self.max_parallel or self.stopping.is_set():
                    break
                log.info(
                    "starting crawl of %s (due since %s)",
                    plan.source,
                    plan.previous_due.isoformat(),
                )
                self.children[plan.source] = subprocess.Popen(
                    crawl_command(plan.source, self.db_path, self.source_files, self.sources_only),
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )  # fmt: skip
                started += 1
            if once:
                break
            wake = min((p.next_due for p in upcoming), default=None)
            wait = POLL_SECONDS if wake is None else (wake - datetime.now(UTC)).total_seconds()
            self.stopping.wait(timeout=min(max(wait, 1.0), POLL_SECONDS))
        for child in self.children.values():
            child.wait()
        self.children.clear()
        return started

    def _reap(self) -> None:
        for name, child in list(self.children.items()):
            if child.poll() is not None:
                log.info("crawl of %s ended with status %s", name, child.returncode)
                del self.children[name]


# ---------------------------------------------------------------- install


_SIMPLE_FIELD = r"^(\*|\d+|\*/\d+|\d+(?:,\d+)+|\d+-\d+)$"


def systemd_calendar(cron: str) -> str | None:
    """A systemd OnCalendar= equivalent of a cron expression, when there is a simple one."""
    import re

    fields = cron.split()
    if len(fields) != 5 or not all(re.match(_SIMPLE_FIELD, f) for f in fields[:2]):
        return None
    minute, hour, dom, month, dow = fields
    if (dom, month, dow) != ("*", "*", "*"):
        return None

    def convert(field: str) -> str:
        if field == "*":
            return "*"
        if field.startswith("*/"):
            return f"00/{field[2:]}"
        return field.replace("-", "..")

    return f"*-*-* {convert(hour)}:{convert(minute)}:00"


def crontab_lines(sources: Sequence[Source], db_path: str, workdir: Path, executable: str,
                  log_dir: Path) -> list[str]:  # fmt: skip
    lines = [f"# newsfacts crawls (generated {datetime.now(UTC):%Y-%m-%d}); one line per source"]
    for source in sources:
        if source.schedule and source.enabled:
            lines.append(
                f"{source.schedule} cd {workdir} && {executable} --quiet crawl {source.name} "
                f"--db {db_path} >> {log_dir / (source.name + '.log')} 2>&1"
            )
    return lines


def systemd_units(sources: Sequence[Source], db_path: str, workdir: Path,
                  executable: str) -> dict[str, str]:  # fmt: skip
    """Unit files by name: a service and a timer per source whose schedule systemd can express,
    and `newsfacts-scheduler.service` (the long-running scheduler) for the rest."""
    units: dict[str, str] = {}
    for source in sources:
        calendar = systemd_calendar(source.schedule or "")
        if not source.schedule or not source.enabled or calendar is None:
            continue
        name = f"newsfacts-crawl-{source.name}"
        units[f"{name}.service"] = (
            f"[Unit]\nDescription=newsfacts crawl of {source.name}\n\n[Service]\nType=oneshot\n"
            f"WorkingDirectory={workdir}\nExecStart={executable} --quiet crawl {source.name} --db {db_path}\n"
        )
        units[f"{name}.timer"] = (
            f"[Unit]\nDescription=newsfacts crawl of {source.name} ({source.schedule})\n\n"
            f"[Timer]\nOnCalendar={calendar}\nPersistent=true\n\n[Install]\nWantedBy=timers.target\n"
        )
    units["newsfacts-scheduler.service"] = (
        "[Unit]\nDescription=newsfacts scheduler (every source on its cron schedule)\nAfter=network-online.target\n\n"
        f"[Service]\nWorkingDirectory={workdir}\nExecStart={executable} schedule run --db {db_path}\n"
        "Restart=on-failure\nKillSignal=SIGTERM\nTimeoutStopSec=120\n\n[Install]\nWantedBy=multi-user.target\n"
    )
    return units


def next_runs_text(plan: Plan) -> str:
    left = plan.next_due - datetime.now(UTC)
    return f"in {left // timedelta(minutes=1)} min" if left.total_seconds() >= 0 else "now"
