"""`run_crawl`: crawl sources with Scrapy into the database and record each run.

All sources of one call run in one Scrapy process (one crawler each, with
that source's own settings on top of crawler/settings.py and the command
line's `-s KEY=VALUE`). Each source gets a `runs` row with its counts and
errors. SIGINT / SIGTERM stop Scrapy gracefully: requests in flight finish,
nothing half-stored, and what is left pending is fetched by the next run.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.sources import Source
from crawler.spiders.articles import ArticleSpider
from db.connection import connect
from db.statistics import refresh_statistics
from db.store import ensure_source, finish_run, start_run
from pipelines.locks import SourceBusy, source_lock
from pipelines.quality import check_run
from pipelines.registry_sync import sync_registry
from pipelines.scrapy_store import (
    SqliteFrontier,
    counters_for,
    errors_for,
    reset_counters,
    shared_analyzer,
    start_pool,
    stop_pool,
)


@dataclass(frozen=True)
class CrawlOptions:
    db_path: str
    since: str | None = None
    refresh: bool = True  # ask known articles again, conditionally
    entity_files: tuple[str, ...] = ()
    scrapy_settings: dict[str, Any] = field(default_factory=dict)
    progress: bool = False
    workers: int = 1  # processes for extraction and analysis (0: one per core)
    user_agent: str | None = None  # the `user_agent` setting; crawler/settings.py's otherwise


@dataclass
class SourceReport:
    source: str
    counts: dict[str, int]
    errors: list[str]
    run_id: int
    status: str = "ok"
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "ok" and not self.errors


@dataclass
class CrawlReport:
    sources: list[SourceReport]

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.sources)


def scrapy_settings(options: CrawlOptions) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set(
        "ITEM_PIPELINES", {"pipelines.scrapy_store.StorePipeline": 300}, priority="project"
    )
    settings.set("EXTENSIONS", {"pipelines.scrapy_store.ProgressLine": 500}, priority="project")
    settings.set("NEWSFACTS_DB", options.db_path, priority="project")
    settings.set("NEWSFACTS_ENTITY_FILES", list(options.entity_files), priority="project")
    settings.set("NEWSFACTS_PROGRESS", options.progress, priority="project")
    settings.set("NEWSFACTS_WORKERS", options.workers, priority="project")
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="project")
    if options.user_agent:
        settings.set("USER_AGENT", options.user_agent, priority="project")
    for key, value in options.scrapy_settings.items():
        settings.set(key, value, priority="cmdline")
    return settings


def run_crawl(sources: Sequence[Source], options: CrawlOptions) -> CrawlReport:
    """Crawl `sources` (each under its lock) and record one run per source."""
    reset_counters()
    db = connect(options.db_path)
    analyzer = shared_analyzer(options.entity_files)  # build before the reactor starts
    sync_registry(db, analyzer)
    reports: list[SourceReport] = []
    with ExitStack() as locks:
        runnable: list[Source] = []
        for source in sources:
            seed = source.seed_urls()[0] if source.seed_urls() else None
            ensure_source(db, source.name, "crawl", source.lang, seed)
            try:
                locks.enter_context(source_lock(options.db_path, source.name))
            except SourceBusy as exc:
                run_id = start_run(db, "crawl", source.name)
                finish_run(db, run_id, "skipped", {}, [str(exc)])
                reports.append(SourceReport(source.name, {}, [str(exc)], run_id, "skipped"))
                continue
            runnable.append(source)
        if runnable:
            reports += _crawl(db, runnable, options)
            refresh_statistics(db)
    db.close()
    return CrawlReport(reports)


def _crawl(db: Any, sources: list[Source], options: CrawlOptions) -> list[SourceReport]:
    runs = {source.name: start_run(db, "crawl", source.name) for source in sources}
    started = {name: db.execute("SELECT started_at FROM runs WHERE id = ?", [run]).fetchone()[0]
               for name, run in runs.items()}  # fmt: skip
    frontier = SqliteFrontier(options.db_path)
    start_pool(
        shared_analyzer(options.entity_files), options.workers
    )  # fork workers before the reactor
    process = CrawlerProcess(scrapy_settings(options))
    crawlers: dict[str, Any] = {}
    for source in sources:
        spider_class = type(
            f"ArticleSpider_{len(crawlers)}",
            (ArticleSpider,),
            {"custom_settings": dict(source.settings)},
        )
        crawler = process.create_crawler(spider_class)
        process.crawl(crawler, source=source, frontier=frontier, since=options.since,
                      refresh=options.refresh)  # fmt: skip
        crawlers[source.name] = crawler
    finished = False
    try:
        process.start()
        finished = True
    finally:
        frontier.close()
        stop_pool()
        reports = []
        for source in sources:
            crawler = crawlers[source.name]
            spider = getattr(crawler, "spider", None)
            errors = [*errors_for(source.name), *getattr(spider, "seed_errors", [])]
            counts = dict(counters_for(source.name))
            reason = crawler.stats.get_value("finish_reason") if crawler.stats else None
            status = "ok" if finished and reason == "finished" else "interrupted"
            if status == "ok" and errors:
                status = "partial"
            warnings = check_run(db, source.name, started[source.name], counts.get("new", 0))
            finish_run(db, runs[source.name], status, counts, errors, warnings)
            reports.append(
                SourceReport(source.name, counts, errors, runs[source.name], status, warnings)
            )
    return reports
