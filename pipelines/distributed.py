"""A crawl shared by many workers through Redis, with one writer for the fact store.

    workers (any machines):  newsfacts crawl --redis URL --job J SOURCE...
    the writer (one):        newsfacts crawl --redis URL --job J --store

Workers fetch (scrapy-redis: shared request queue and duplicate filter) and
push each page, raw, onto the Redis list `newsfacts:J:items`. The writer is
the only process that touches SQLite: it moves one page at a time to
`newsfacts:J:processing` (LMOVE), analyses it, stores it in a batch of pages
committed together (`db.batches`) and removes it from the processing list
only once that batch is committed. A writer killed before then finds the
page in `processing` when it starts again and stores it then; storing twice
is an upsert keyed by canonical URL, so nothing is lost or duplicated. A
page the database refuses alone (a bad row) is recorded in the run's errors
and removed, so that it does not stop every restart.
Workers and the writer exit after `idle_timeout` seconds without work.
"""

from __future__ import annotations

import base64
import itertools
import json
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from typing import Any

import redis
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.distributed import NoFrontier, SharedArticleSpider
from crawler.items import PageItem
from crawler.sources import Source
from db.batches import BATCH_UNITS, WriteBatch
from db.connection import connect
from db.statistics import refresh_statistics
from db.store import ensure_source, finish_run, start_run
from nlp import Analyzer
from pipelines.crawl import CrawlOptions, scrapy_settings
from pipelines.documents import Stored
from pipelines.parallel import AnalysisPool, PageJob
from pipelines.registry_sync import sync_registry
from pipelines.scrapy_store import page_job, store_fetched


def keys(job: str) -> dict[str, str]:
    prefix = f"newsfacts:{job}"
    return {
        "requests": f"{prefix}:requests",
        "dupefilter": f"{prefix}:dupefilter",
        "items": f"{prefix}:items",
        "processing": f"{prefix}:processing",
    }


def encode_item(item: PageItem) -> str:
    data = asdict(item)
    data["body"] = base64.b64encode(item.body).decode("ascii")
    return json.dumps(data, ensure_ascii=False)


def decode_item(raw: str | bytes) -> PageItem:
    data = json.loads(raw)
    data["body"] = base64.b64decode(data["body"])
    data["aliases"] = tuple(data.get("aliases") or ())
    return PageItem(**data)


class RedisItemPush:
    """Item pipeline of a worker: the page goes onto the job's Redis list, nothing else."""

    def __init__(self, url: str, key: str) -> None:
        self.server = redis.Redis.from_url(url)
        self.key = key

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedisItemPush:
        return cls(crawler.settings.get("REDIS_URL"), crawler.settings.get("NEWSFACTS_ITEMS_KEY"))

    def process_item(self, item: PageItem, spider: Any = None) -> PageItem:
        self.server.rpush(self.key, encode_item(item))
        return item


def worker_settings(options: CrawlOptions, redis_url: str, job: str) -> Settings:
    settings = scrapy_settings(options)
    names = keys(job)
    for key, value in {
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_PERSIST": True,  # the queue outlives any one worker
        "SCHEDULER_QUEUE_KEY": names["requests"],
        "SCHEDULER_DUPEFILTER_KEY": names["dupefilter"],
        "REDIS_URL": redis_url,
        "NEWSFACTS_ITEMS_KEY": names["items"],
        "ITEM_PIPELINES": {"pipelines.distributed.RedisItemPush": 300},
        "ROBOTSTXT_OBEY": options.scrapy_settings.get("ROBOTSTXT_OBEY", True),
    }.items():
        settings.set(
            key, value, priority="cmdline" if key in options.scrapy_settings else "project"
        )
    return settings


@dataclass
class WorkerReport:
    pushed: int = 0
    failures: list[tuple[str, str, str]] = field(default_factory=list)
    seed_errors: list[str] = field(default_factory=list)


def run_worker(sources: Sequence[Source], options: CrawlOptions, redis_url: str, job: str,
               idle_timeout: float) -> WorkerReport:  # fmt: skip
    """Fetch pages for the shared job until the queue has been idle for `idle_timeout` s."""
    redis.Redis.from_url(redis_url).ping()  # fail early with a clear error
    process = CrawlerProcess(worker_settings(options, redis_url, job))
    frontier = NoFrontier()
    crawlers: list[Any] = []
    for source in sources:
        spider_class = type(f"SharedArticleSpider_{len(crawlers)}", (SharedArticleSpider,),
                            {"custom_settings": dict(source.settings)})  # fmt: skip
        crawler = process.create_crawler(spider_class)
        process.crawl(
            crawler,
            source=source,
            frontier=frontier,
            since=options.since,
            idle_timeout=idle_timeout,
        )
        crawlers.append(crawler)
    process.start()
    report = WorkerReport(failures=frontier.failures)
    for crawler in crawlers:
        report.pushed += (
            int(crawler.stats.get_value("item_scraped_count", 0)) if crawler.stats else 0
        )
        report.seed_errors += getattr(crawler.spider, "seed_errors", [])
    return report


def run_writer(db_path: str, redis_url: str, job: str, idle_timeout: float,
               entity_files: tuple[str, ...] = (), workers: int = 1,
               on_page: Callable[[Counter[str]], None] | None = None) -> Counter[str]:  # fmt: skip
    """Store every page the workers push, committed in batches, until idle for `idle_timeout` s.
    Analysis runs on `workers` processes; only this process writes."""
    server = redis.Redis.from_url(redis_url)
    server.ping()
    names = keys(job)
    db = connect(db_path)
    analyzer = Analyzer(entity_files=entity_files)
    sync_registry(db, analyzer)
    counts: Counter[str] = Counter()
    run_id = start_run(db, "store", f"redis:{job}")
    errors: list[str] = []
    sources_seen: set[str] = set()
    taken: dict[str, tuple[Any, PageItem]] = {}  # by job tag: the raw page and its item
    held: dict[str, tuple[Any, str, str | None]] = {}  # raw, URL, why skipped: until committed
    tags = itertools.count()

    def committed(tag: str, stored: Stored | None) -> None:
        raw, url, skipped = held.pop(tag)
        if stored is None:  # not a document: its failed frontier row is what was committed
            counts["failed"] += 1
            errors.append(f"{url}: {skipped}")
        else:
            counts[stored.outcome] += 1
        server.lrem(names["processing"], 1, raw)
        if on_page:
            on_page(counts)

    def refused(tag: str, exc: Exception) -> None:
        raw, url, _ = held.pop(tag)
        counts["failed"] += 1
        errors.append(f"{url}: not stored: {exc}")
        server.lrem(names["processing"], 1, raw)

    def jobs() -> Iterator[PageJob]:
        # pages a killed writer had taken but not stored come first
        for raw in server.lrange(names["processing"], 0, -1):
            yield _job(raw)
        idle_since = time.monotonic()
        while True:
            moved: Any = server.lmove(names["items"], names["processing"], "LEFT", "RIGHT")
            if moved is None:
                batch.flush()  # nothing new to wait for: commit what is held
                if time.monotonic() - idle_since >= idle_timeout:
                    return
                time.sleep(0.2)
                continue
            idle_since = time.monotonic()
            yield _job(moved)

    def _job(raw: Any) -> PageJob:
        tag = str(next(tags))
        item = decode_item(raw)
        taken[tag] = (raw, item)
        return replace(page_job(item, db_path), tag=tag)

    batch: WriteBatch[Stored | None] = WriteBatch(db, committed, refused)
    try:
        with AnalysisPool(analyzer, workers) as pool:
            # enough in flight that the workers go on while a batch is written
            for result in pool.map_unordered(jobs(), window=2 * BATCH_UNITS):
                tag = result.job.tag
                raw, item = taken.pop(tag)
                held[tag] = (raw, item.url, result.skipped)
                if item.source not in sources_seen:
                    ensure_source(db, item.source, "crawl", item.lang)
                    sources_seen.add(item.source)
                counts["received"] += 1
                batch.add(tag, partial(store_fetched, db, item, result, analyzer))
            batch.flush()
    finally:
        finish_run(db, run_id, "ok" if not errors else "partial", dict(counts), errors)
        refresh_statistics(db)
        db.close()
    return counts
