"""Use every core: pages are decoded, extracted and analysed in worker processes,
and written by the one process that holds the database.

Main-text extraction and the NLP stages are pure CPU work on one document at
a time, so they parallelise across documents; SQLite wants one writer. The
pool forks from a parent that has already built the Analyzer (jieba
dictionary, alias automaton), so workers start at once and share those pages
copy-on-write. A worker checks, on a read-only connection, whether the text
is stored already, so re-ingesting unchanged files costs no analysis.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace
from typing import Any

from sqlite_utils import Database

from crawler.urls import choose_canonical
from db.connection import connect
from db.ids import sha256_text
from db.store import unchanged as is_unchanged
from nlp import EXTRACTOR_VERSION, Analyzer
from pipelines.documents import PageRef, Prepared, SkipPage, page_from_bytes, prepare_page

WINDOW_BYTES = 64 * 1024 * 1024  # page data in flight at most (a job's file may be 50 MB)


@dataclass(frozen=True)
class PageJob:
    data: bytes
    ref: PageRef
    content_type: str | None = None
    charset: str | None = None
    as_html: bool | None = None
    db_path: str | None = None  # for the read-only "already stored?" check
    force: bool = False
    follow_declared_canonical: bool = False  # a crawled page's <link rel="canonical"> names it
    tag: str = ""  # the caller's own key; comes back unchanged with the result


@dataclass(frozen=True)
class JobResult:
    job: PageJob
    prepared: Prepared | None = None
    unchanged_text: str | None = None  # set when the text is stored already
    skipped: str | None = None
    encoding: str | None = None


_ANALYZER: Analyzer | None = None


def set_analyzer(analyzer: Analyzer) -> None:
    """The analyzer this process (and the workers forked from it) uses."""
    global _ANALYZER
    _ANALYZER = analyzer


def run_job(job: PageJob) -> JobResult:
    """Decode, extract and analyse one page (in a worker, or inline)."""
    assert _ANALYZER is not None, "set_analyzer() first"
    try:
        page = page_from_bytes(job.data, url=job.ref.url, content_type=job.content_type,
                               charset=job.charset, lang_hint=job.ref.lang_hint, as_html=job.as_html)  # fmt: skip
    except SkipPage as exc:
        return JobResult(job, skipped=str(exc))
    if job.follow_declared_canonical and page.canonical_link:
        final = job.ref.aliases[0] if job.ref.aliases else job.ref.url
        job = replace(
            job, ref=replace(job.ref, canonical_url=choose_canonical(final, page.canonical_link))
        )
    if (
        not job.force
        and job.db_path
        and _stored_already(job.db_path, job.ref.canonical_url, page.text)
    ):
        return JobResult(job, unchanged_text=page.text, encoding=page.encoding)
    return JobResult(job, prepare_page(page, job.ref, _ANALYZER), encoding=page.encoding)


# A worker keeps one read-only connection per database file, opened on first
# use: opening one per page cost more than the lookup. Keyed by the file's
# identity too, so a database deleted and made again at the same path is not
# misread. Inline (one process) the connection is closed after each check: an
# open reader would keep SQLite from folding the WAL back into the file when
# the writer closes, and a copy of the file alone would miss the latest writes.
_READERS: dict[tuple[str, int, int], Database] = {}
_IN_WORKER = False


def _stored_already(db_path: str, canonical_url: str, text: str) -> bool:
    try:
        stat = os.stat(db_path)
    except FileNotFoundError:
        return False
    key = (db_path, stat.st_dev, stat.st_ino)
    db = _READERS.get(key)
    if db is None:
        for old in [k for k in _READERS if k[0] == db_path]:
            _READERS.pop(old).close()
        db = connect(db_path, readonly=True)
        if _IN_WORKER:
            _READERS[key] = db
    try:
        return is_unchanged(db, canonical_url, sha256_text(text), EXTRACTOR_VERSION)
    finally:
        if not _IN_WORKER:
            db.close()


def _die_with_parent(parent: int) -> None:
    """Worker initializer: a worker must not outlive the process that forked it, nor
    die of the terminal's Ctrl-C meant for it.

    A `kill -9` of a crawl would otherwise leave its workers running, and they
    hold copies of every descriptor the parent had, the per-source flock among
    them, so the next run would find the source still "being crawled".
    """
    global _IN_WORKER
    _IN_WORKER = True
    # Ctrl-C reaches the whole foreground process group; the parent decides how to stop
    # and shuts the pool down, a worker dying of it mid-job would only break the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def worker_count(requested: int = 0) -> int:
    """0 means one per core."""
    return requested if requested > 0 else (os.cpu_count() or 1)


class AnalysisPool:
    """Run `run_job` on `workers` processes (or inline when workers == 1)."""

    def __init__(self, analyzer: Analyzer, workers: int = 0) -> None:
        set_analyzer(analyzer)
        self.workers = worker_count(workers)
        self._executor: ProcessPoolExecutor | None = None
        if self.workers > 1:
            context = multiprocessing.get_context("fork")
            self._executor = ProcessPoolExecutor(
                self.workers,
                mp_context=context,
                initializer=_die_with_parent,
                initargs=(os.getpid(),),
            )

    def warm(self) -> None:
        """Start the worker processes now (before Scrapy's reactor and its threads exist)."""
        if self._executor is not None:
            for future in [self._executor.submit(os.getpid) for _ in range(self.workers)]:
                future.result()

    def submit(self, job: PageJob) -> Future[JobResult]:
        if self._executor is None:
            future: Future[JobResult] = Future()
            try:
                future.set_result(run_job(job))
            except BaseException as exc:  # surfaced by future.result()
                future.set_exception(exc)
            return future
        return self._executor.submit(run_job, job)

    def map_unordered(
        self, jobs: Iterable[PageJob], window: int | None = None, max_bytes: int = WINDOW_BYTES
    ) -> Iterator[JobResult]:
        """Results as they finish (finished ones in the order they were given), with at most
        `window` jobs and `max_bytes` of page data in flight, so memory stays flat however
        many jobs there are. (A caller that pauses between results, as a writer storing a
        batch does, wants a window that keeps the workers busy meanwhile.)"""
        limit = window or self.workers * 4
        pending: dict[Future[JobResult], tuple[int, int]] = {}  # order, bytes
        for order, job in enumerate(jobs):
            pending[self.submit(job)] = (order, len(job.data))
            finished = [f for f in pending if f.done()]
            full = len(pending) >= limit or sum(size for _, size in pending.values()) >= max_bytes
            if not finished and full:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                finished = list(done)
            yield from self._take(pending, finished)
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            yield from self._take(pending, list(done))

    @staticmethod
    def _take(
        pending: dict[Future[JobResult], tuple[int, int]], finished: list[Future[JobResult]]
    ) -> Iterator[JobResult]:
        for future in sorted(finished, key=pending.__getitem__):
            del pending[future]
            yield future.result()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def __enter__(self) -> AnalysisPool:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
