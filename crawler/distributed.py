"""The article spider for a crawl shared by many workers through Redis (scrapy-redis).

The request queue and the duplicate filter live in Redis, so every worker
on every machine draws from one frontier and no URL is fetched twice.
Workers do not analyse or store anything: they hand fetched pages on (see
`pipelines.distributed`). scrapy-redis spiders wait for work forever by
default (a known pitfall); this one closes once the shared queue has been
empty for `idle_timeout` seconds.
"""

from __future__ import annotations

import time
from typing import Any

from scrapy import signals
from scrapy.exceptions import DontCloseSpider

from crawler.frontier import Known
from crawler.spiders.articles import ArticleSpider


class NoFrontier:
    """In a shared crawl the Redis duplicate filter decides what is new."""

    def discover(
        self, source: str, urls: list[tuple[str, str, str | None]]
    ) -> dict[str, Known | None]:
        return {key: None for key, _, _ in urls}

    def resume(self, source: str) -> list[tuple[str, str | None]]:
        return []

    def failed(self, source: str, url: str, reason: str, status: int | None = None,
               state: str = "failed") -> None:  # fmt: skip
        self.failures.append((url, reason, state))

    def __init__(self) -> None:
        self.failures: list[tuple[str, str, str]] = []


class SharedArticleSpider(ArticleSpider):
    name = "articles-shared"
    scheduler_dedupes = True

    def __init__(self, *args: Any, idle_timeout: float = 10.0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.idle_timeout = idle_timeout
        self._idle_since: float | None = None

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> SharedArticleSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.on_work, signal=signals.request_scheduled)
        crawler.signals.connect(spider.on_work, signal=signals.response_received)
        return spider  # type: ignore[return-value]

    def on_work(self, *args: Any, **kwargs: Any) -> None:
        self._idle_since = None

    def on_idle(self, spider: Any = None) -> None:
        """Keep waiting while other workers may still add requests; close after the timeout."""
        now = time.monotonic()
        if self._idle_since is None:
            self._idle_since = now
        if now - self._idle_since < self.idle_timeout:
            raise DontCloseSpider
