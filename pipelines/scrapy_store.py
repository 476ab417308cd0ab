"""The Scrapy side of storing: the frontier adapter, the item pipeline, progress.

These are thin: settings come in through `from_crawler`, the database opens
in `open_spider`, and the work is `pipelines.documents.write_prepared`, the
same function ingest uses. A page, its extraction, its raw bytes and its
frontier `done` mark are written in one savepoint; pages are committed in
batches (`pipelines.async_batches`), and a page counts as stored only once its
batch is committed. A page fetched but not committed when the process dies has
no `done` mark, so the next run fetches it again.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections import Counter
from functools import cache
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from sqlite_utils import Database

from crawler.frontier import Known
from crawler.items import PageItem
from crawler.urls import canonical_url
from db import frontier as frontier_db
from db.connection import connect, write_transaction
from nlp import Analyzer
from pipelines.async_batches import AwaitedBatch
from pipelines.decode import charset_of
from pipelines.documents import (
    PageRef,
    Stored,
    page_from_bytes,
    prepare_page,
    store_if_unchanged,
    write_prepared,
)
from pipelines.parallel import AnalysisPool, JobResult, PageJob

log = logging.getLogger(__name__)


@cache
def shared_analyzer(entity_files: tuple[str, ...] = ()) -> Analyzer:
    """One analyzer per process: every crawler of a run shares it."""
    return Analyzer(entity_files=entity_files)


class SqliteFrontier:
    """crawler.frontier.Frontier over db.frontier."""

    def __init__(self, db_path: str) -> None:
        self.db: Database = connect(db_path)

    def discover(
        self, source: str, urls: list[tuple[str, str, str | None]]
    ) -> dict[str, Known | None]:
        rows = frontier_db.discover(self.db, source, urls)
        return {key: _known(row) for key, row in rows.items()}

    def resume(self, source: str) -> list[tuple[str, str | None]]:
        return frontier_db.resume(self.db, source)

    def failed(self, source: str, url: str, reason: str, status: int | None = None,
               state: str = "failed") -> None:  # fmt: skip
        frontier_db.mark_failed(self.db, source, url, url, reason, status, state)
        counters_for(source)["failed" if state == "failed" else state] += 1
        errors_for(source).append(f"{url}: {reason}")

    def close(self) -> None:
        self.db.close()


def _known(row: dict[str, Any] | None) -> Known | None:
    if row is None:
        return None
    return Known(
        row["state"], row["etag"], row["last_modified"], row["fetched_at"], row["attempts"]
    )


# Counters and error lists per source for the current process (one run).
_COUNTERS: dict[str, Counter[str]] = {}
_ERRORS: dict[str, list[str]] = {}


def counters_for(source: str) -> Counter[str]:
    return _COUNTERS.setdefault(source, Counter())


def errors_for(source: str) -> list[str]:
    return _ERRORS.setdefault(source, [])


def reset_counters() -> None:
    _COUNTERS.clear()
    _ERRORS.clear()


def page_job(item: PageItem, db_path: str | None) -> PageJob:
    """The analysis job for a fetched page (run in a worker process)."""
    content_type = item.headers.get("content-type")
    ref = PageRef(
        url=item.url, canonical_url=canonical_url(item.final_url), source=item.source,
        fetched_at=item.fetched_at, lang_hint=item.lang, published_hint=item.published_hint,
        aliases=tuple(dict.fromkeys([item.final_url, *item.aliases])),
    )  # fmt: skip
    return PageJob(item.body, ref, content_type, charset_of(content_type), db_path=db_path,
                   follow_declared_canonical=True)  # fmt: skip


def store_fetched(
    db: Database, item: PageItem, result: JobResult, analyzer: Analyzer
) -> Stored | None:
    """Write an analysed page with its raw bytes and its frontier mark, in one transaction
    (a savepoint of the batch's); a page that is not a document gets a failed frontier
    row instead (returns None)."""
    if result.skipped is not None:
        frontier_db.mark_failed(
            db, item.source, item.canonical_url, item.url, result.skipped, item.status
        )
        return None

    def also(document_id: str) -> None:
        frontier_db.save_raw_page(db, document_id, item.final_url, item.status, item.headers,
                                  result.encoding, item.body, item.fetched_at)  # fmt: skip
        frontier_db.mark_done(
            db, item.canonical_url, fetch_url=item.url, source=item.source, document_id=document_id,
            status=item.status, etag=item.headers.get("etag"),
            last_modified=item.headers.get("last-modified"), content_sha256=None,
        )  # fmt: skip

    ref = result.prepared.ref if result.prepared is not None else result.job.ref
    if result.unchanged_text is not None:
        stored = store_if_unchanged(db, result.unchanged_text, ref, also)
        if stored is not None:
            return stored
        page = page_from_bytes(item.body, url=item.final_url, content_type=result.job.content_type,
                               charset=result.job.charset, lang_hint=item.lang)  # fmt: skip
        return write_prepared(db, prepare_page(page, ref, analyzer), also)
    assert result.prepared is not None
    return write_prepared(db, result.prepared, also)


def mark_not_modified(db: Database, item: PageItem) -> None:
    with write_transaction(db):
        frontier_db.mark_done(db, item.canonical_url, fetch_url=item.url, source=item.source,
                              document_id=None, status=304, etag=None, last_modified=None,
                              content_sha256=None)  # fmt: skip


_POOL: AnalysisPool | None = None


def start_pool(analyzer: Analyzer, workers: int) -> AnalysisPool:
    """The process pool every crawler of this process shares; start it before the reactor."""
    global _POOL
    if _POOL is None:
        _POOL = AnalysisPool(analyzer, workers)
        _POOL.warm()
    return _POOL


def stop_pool() -> None:
    global _POOL
    if _POOL is not None:
        _POOL.close()
        _POOL = None


class StorePipeline:
    """Analyse each fetched page in the worker pool, then store it (committed in batches)."""

    def __init__(self, db_path: str, entity_files: tuple[str, ...], workers: int) -> None:
        self.db_path = db_path
        self.entity_files = entity_files
        self.workers = workers
        self.db: Database | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        settings = crawler.settings
        return cls(settings.get("NEWSFACTS_DB"), tuple(settings.getlist("NEWSFACTS_ENTITY_FILES")),
                   settings.getint("NEWSFACTS_WORKERS", 1))  # fmt: skip

    def open_spider(self, spider: Spider | None = None) -> None:
        self.db = connect(self.db_path)
        self.batch = AwaitedBatch(self.db)
        self.analyzer = shared_analyzer(self.entity_files)
        self.pool = start_pool(self.analyzer, self.workers)

    def close_spider(self, spider: Spider | None = None) -> None:
        if self.db is not None:
            self.batch.flush()
            self.db.close()

    async def process_item(self, item: PageItem, spider: Spider | None = None) -> PageItem:
        assert self.db is not None
        counts = counters_for(item.source)
        counts["fetched"] += 1
        db = self.db
        if item.not_modified:
            await self.batch.write(lambda: mark_not_modified(db, item))
            counts["not_modified"] += 1
            counts["unchanged"] += 1
            return item
        try:
            result = await asyncio.wrap_future(self.pool.submit(page_job(item, self.db_path)))
            stored = await self.batch.write(lambda: store_fetched(db, item, result, self.analyzer))
        except Exception as exc:  # not stored: counted, reported, and left for the next run
            counts["failed"] += 1
            errors_for(item.source).append(f"{item.url}: not stored: {exc}")
            raise DropItem(f"{item.url}: not stored: {exc}") from exc
        if stored is None:
            counts["failed"] += 1
            errors_for(item.source).append(f"{item.url}: {result.skipped}")
            raise DropItem(f"{item.url}: {result.skipped}")
        counts[stored.outcome] += 1
        counts["figures"] += stored.figures
        counts["claims"] += stored.claims
        counts["quotes"] += stored.quotes
        if stored.duplicate_of:
            counts["near_duplicates"] += 1
        return item


class ProgressLine:
    """A Scrapy extension: one status line on stderr every few seconds (terminals only)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.enabled = crawler.settings.getbool("NEWSFACTS_PROGRESS") and sys.stderr.isatty()
        self.task: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressLine:
        from scrapy import signals

        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self, spider: Spider) -> None:
        if not self.enabled:
            return
        from twisted.internet import task

        self.task = task.LoopingCall(self.tick, spider)
        self.task.start(2.0, now=False)

    def tick(self, spider: Spider) -> None:
        source = getattr(spider, "source", None)
        name = source.name if source is not None else spider.name
        c = counters_for(name)
        stats = self.crawler.stats
        queued = 0
        if stats is not None:
            queued = int(stats.get_value("scheduler/enqueued", 0)) - int(
                stats.get_value("scheduler/dequeued", 0)
            )
        sys.stderr.write(
            f"\rcrawl {name}: {c['fetched']} fetched, {c['new']} new, {c['changed']} changed, "
            f"{c['unchanged']} unchanged, {c['failed']} failed, {queued} queued   "
        )
        sys.stderr.flush()

    def closed(self, spider: Spider) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
            sys.stderr.write("\n")
