"""`run_ingest`: local files and folders into the database.

A file that cannot be read, is binary or empty, or whose encoding cannot be
told is reported by name and skipped; the others are stored; nothing stored
before is touched. Unchanged files (same content, same extractor version)
cost a hash and no analysis. Documents are committed in batches (up to 32
files, or what one second brought; `db.batches`), each file in a savepoint
of its own, so one file's error undoes that file alone. When the database
takes no more writes (disk full, the write lock held by another process past
the busy timeout) the ingest stops with `DatabaseUnwritable` naming the file
it was storing: the batch not yet committed is rolled back, the files
committed before it are kept, and running the same ingest again later picks
up where it stopped (the rolled-back files are read again). Ctrl-C or
SIGTERM (inside `stop_on_signals`) stop it the same way within seconds: the
open batch is rolled back, the worker processes are shut down and the run is
recorded as interrupted.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db.batches import BATCH_UNITS, WriteBatch, write_batches
from db.connection import connect
from db.errors import DatabaseError, DatabaseUnwritable
from db.statistics import refresh_statistics
from db.store import ensure_source, finish_run, now_iso, start_run
from nlp import Analyzer
from pipelines.documents import PageRef, Stored, store_if_unchanged, write_prepared
from pipelines.parallel import AnalysisPool, JobResult, PageJob
from pipelines.registry_sync import sync_registry

log = logging.getLogger(__name__)

SUFFIXES = (".html", ".htm", ".txt", ".md", ".pdf")
MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class IngestOptions:
    db_path: str
    source: str = "local"
    lang: str | None = None
    entity_files: tuple[str, ...] = ()
    workers: int = 1  # processes for extraction and analysis (0: one per core)


@dataclass
class IngestReport:
    files: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    reanalysed: int = 0
    figures: int = 0
    claims: int = 0
    quotes: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def stored(self) -> int:
        """Files whose document is in the database (committed), new or not."""
        return self.new + self.changed + self.unchanged + self.reanalysed

    def count_stored(self, path: str, stored: Stored) -> None:
        """Count a committed document."""
        setattr(self, stored.outcome, getattr(self, stored.outcome) + 1)
        self.figures += stored.figures
        self.claims += stored.claims
        self.quotes += stored.quotes

    def counts(self) -> dict[str, int]:
        return {
            "files": self.files, "new": self.new, "changed": self.changed,
            "unchanged": self.unchanged, "reanalysed": self.reanalysed, "failed": len(self.failures),
            "figures": self.figures, "claims": self.claims, "quotes": self.quotes,
        }  # fmt: skip


class SkipFile(Exception):
    """This one file cannot be ingested; the message says why."""


def collect_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files to ingest (folders recursed, sorted) and the paths refused up front."""
    files: list[Path] = []
    refused: list[tuple[str, str]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
            )
            if not found:
                refused.append((str(path), f"no {'/'.join(SUFFIXES)} files in this folder"))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        elif not path.exists():
            refused.append((str(path), "no such file or folder"))
        else:
            refused.append((str(path), "not a regular file"))
    return list(dict.fromkeys(files)), refused


def _as_html(path: Path) -> bool | None:
    suffix = path.suffix.lower()
    return True if suffix in (".html", ".htm") else (False if suffix in (".txt", ".md") else None)


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or SkipFile naming why not."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SkipFile(f"too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})")
        return path.read_bytes()
    except OSError as exc:
        raise SkipFile(f"cannot read: {exc.strerror or exc}") from exc


def run_ingest(
    paths: Iterable[str | Path],
    options: IngestOptions,
    analyzer: Analyzer | None = None,
    on_progress: Callable[[int, int, Path], None] | None = None,
) -> IngestReport:
    """Ingest files and folders; never raises for a bad file, only for a bad database."""
    files, refused = collect_files(paths)
    report = IngestReport()
    report.failures.extend(refused)
    db = connect(options.db_path)
    run_id = start_run(db, "ingest", options.source)
    analyzer = analyzer or Analyzer(entity_files=options.entity_files)
    sync_registry(db, analyzer)
    ensure_source(db, options.source, "local")
    status = "failed"
    done = 0

    def jobs() -> Iterator[PageJob]:
        nonlocal done
        for path in files:
            try:
                data = read_bytes(path)
            except SkipFile as exc:
                report.files += 1
                report.failures.append((str(path), str(exc)))
                done += 1
                if on_progress:
                    on_progress(done, len(files), path)
                continue
            url = path.resolve().as_uri()
            ref = PageRef(url=url, canonical_url=url, source=options.source, fetched_at=now_iso(),
                          lang_hint=options.lang)  # fmt: skip
            yield PageJob(data, ref, as_html=_as_html(path), db_path=str(options.db_path))

    def failed(label: str, exc: Exception) -> None:
        report.failures.append((label, f"not stored: {exc}"))

    try:
        with AnalysisPool(analyzer, options.workers) as pool, \
                write_batches(db, on_commit=report.count_stored, on_failure=failed) as batch:  # fmt: skip
            try:
                # enough in flight that the workers go on while a batch is written
                for result in pool.map_unordered(jobs(), window=2 * BATCH_UNITS):
                    report.files += 1
                    _store(db, batch, result, report)
                    done += 1
                    if on_progress:
                        on_progress(done, len(files), Path(_local_path(result.job.ref.url)))
                batch.flush()
            except DatabaseUnwritable as exc:
                at = batch.stopped_at or str(options.db_path)  # set whenever a flush failed
                report.failures.append((at, f"not stored: {exc}"))
                raise DatabaseUnwritable(
                    f"ingest stopped at {at}: {exc}. The {report.stored} files stored before "
                    "it are kept; run the same ingest again to go on"
                ) from exc
        status = "ok" if report.ok else "partial"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        try:
            finish_run(db, run_id, status, report.counts(),
                       [f"{p}: {m}" for p, m in report.failures])  # fmt: skip
        except DatabaseError as exc:
            if status in ("ok", "partial"):
                raise
            # the error that stopped the ingest is the one to show; the run row stays 'running'
            log.warning("could not record the end of run %s: %s", run_id, exc)
        finally:
            refresh_statistics(db)
            db.close()
    return report


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """For the block, SIGINT and SIGTERM raise KeyboardInterrupt in this process, so that
    `run_ingest` stops cleanly; processes forked inside (the analysis workers) ignore
    them and finish when the pool is shut down, instead of dying or being orphaned."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    owner = os.getpid()

    def stop(signum: int, frame: object) -> None:
        if os.getpid() == owner:
            raise KeyboardInterrupt(signal.Signals(signum).name)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _store(db: Any, batch: WriteBatch[Stored], result: JobResult, report: IngestReport) -> None:
    """Hand the page to the batch: as unchanged (its URLs noted) or as a new version."""
    ref, prepared, text = result.job.ref, result.prepared, result.unchanged_text
    if result.skipped is not None:
        report.failures.append((_local_path(ref.url), result.skipped))
        return

    def write() -> Stored:
        stored = store_if_unchanged(db, text, ref) if text is not None else None
        if stored is None:
            assert prepared is not None
            stored = write_prepared(db, prepared)
        return stored

    batch.add(_local_path(ref.url), write)


def _local_path(url: str) -> str:
    from urllib.parse import unquote, urlsplit

    return unquote(urlsplit(url).path)
