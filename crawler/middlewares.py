"""Downloader middlewares: strict robots.txt, conditional GET, Retry-After.

Scrapy's RobotsTxtMiddleware allows everything when robots.txt cannot be
fetched (it "fails open"); RFC 9309 asks crawlers to assume a full disallow
when robots.txt answers 5xx or cannot be reached. `StrictRobotsTxtMiddleware`
does that: the host is deferred and every request to it is dropped with a
reason the spider records, so the next run tries again.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.task import deferLater

log = logging.getLogger(__name__)


class HostDeferred(IgnoreRequest):
    """robots.txt of this host could not be read: nothing is fetched from it this run."""


class _Deferred:
    """Marks a host whose robots.txt failed (a sentinel in the parser table)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


class _ReportedElsewhere(logging.Filter):
    """Scrapy logs a robots.txt download error with a traceback; we record the
    deferral on the run instead, so the log line is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Error downloading")


logging.getLogger("scrapy.downloadermiddlewares.robotstxt").addFilter(_ReportedElsewhere())


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    def process_request_2(self, rp: Any, request: Request) -> None:
        if isinstance(rp, _Deferred):
            netloc = urlparse_cached(request).netloc
            self._stats.inc_value("robotstxt/deferred_request")
            raise HostDeferred(f"robots.txt of {netloc} unavailable ({rp.reason}): host deferred")
        super().process_request_2(rp, request)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500:
            self._settle(netloc, _Deferred(f"HTTP {response.status}"))
            return
        if 400 <= response.status < 500:
            # RFC 9309: a missing robots.txt means no restrictions
            response = response.replace(body=b"")
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        self._settle(netloc, _Deferred(type(exc).__name__))

    def _settle(self, netloc: str, value: Any) -> None:
        pending = self._parsers.get(netloc)
        self._parsers[netloc] = value
        if pending is not None and hasattr(pending, "callback"):
            pending.callback(value)


class ConditionalGetMiddleware:
    """Ask only for changes: If-None-Match / If-Modified-Since from what the frontier knows."""

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        etag = request.meta.get("etag")
        modified = request.meta.get("last_modified")
        if etag:
            request.headers.setdefault(b"If-None-Match", etag.encode("latin-1", "ignore"))
        if modified:
            request.headers.setdefault(b"If-Modified-Since", modified.encode("latin-1", "ignore"))


def retry_after_seconds(value: bytes | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    text = value.decode("latin-1", "ignore").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retries, but a 429/503 with Retry-After waits as long as asked
    (up to RETRY_AFTER_MAX seconds; longer waits give the page up for this run)."""

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.max_wait = settings.getfloat("RETRY_AFTER_MAX", 120.0)

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        wait = retry_after_seconds(response.headers.get(b"Retry-After"))
        if wait is not None:
            if wait > self.max_wait:
                log.warning(
                    "%s asks to retry after %.0fs; giving up for this run", request.url, wait
                )
                return response
            if wait > 0:
                from twisted.internet import reactor  # the one Scrapy installed

                await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        reason = f"HTTP {response.status}"
        return self._retry(request, reason) or response
