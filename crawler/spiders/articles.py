"""One generic spider for every source: feeds, sitemaps and listing pages lead to articles.

The spider is configured by a `crawler.sources.Source`. It reads feeds
(newest first) and sitemaps (news sitemaps included), follows article links
on listing pages, and yields every article page as a `PageItem`. It asks the
frontier what is already known: new URLs are fetched, known ones are asked
for conditionally (If-None-Match / If-Modified-Since), and URLs a crashed
run left pending are fetched again first. It never analyses a page.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from time import mktime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import scrapy
from lxml import etree
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.frontier import Frontier, Known
from crawler.items import PageItem
from crawler.middlewares import HostDeferred
from crawler.sources import Source
from crawler.urls import canonical_url, same_site

_ARTICLE_LIKE = re.compile(
    r"/(?:[^/]*\d{4,}[^/]*|[a-z0-9]+(?:-[a-z0-9]+){3,}[^/]*)/?(?:index\.html?)?$", re.I
)
_XML_PARSER = etree.XMLParser(
    recover=True, resolve_entities=False, no_network=True, huge_tree=False
)


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class ArticleSpider(scrapy.Spider):
    name = "articles"
    # False: the SQLite frontier decides what to fetch and every request is sent
    # (Scrapy's in-memory filter would silently drop a redirect loop's second
    # leg instead of failing it). True in a shared crawl: the Redis filter decides.
    scheduler_dedupes = False

    def __init__(self, source: Source, frontier: Frontier, since: str | None = None,
                 refresh: bool = True, **kwargs: Any) -> None:  # fmt: skip
        super().__init__(name=f"articles:{source.name}", **kwargs)
        self.source = source
        self.frontier = frontier
        self.since = since
        self.refresh = refresh
        self.seed_errors: list[str] = []

    # ------------------------------------------------------------ start

    async def start(self) -> AsyncIterator[Any]:
        for url, hint in self.frontier.resume(self.source.name):
            yield self._article_request(url, hint, None, priority=200)  # left by an earlier run
        for url in self.source.feeds:
            yield self._seed(url, self.parse_feed)
        for url in self.source.sitemaps:
            yield self._seed(url, self.parse_sitemap)
        for listing in self.source.listings:
            yield self._seed(url=listing.url, callback=self.parse_listing,
                             cb_kwargs={"pattern": listing.article_pattern})  # fmt: skip
        for url in self.source.urls:
            yield self._seed(url, self.parse_adhoc)

    def _seed(
        self, url: str, callback: Any, cb_kwargs: dict[str, Any] | None = None
    ) -> scrapy.Request:
        return scrapy.Request(
            url, callback=callback, errback=self.on_seed_error, priority=100,
            dont_filter=not self.scheduler_dedupes,
            cb_kwargs=cb_kwargs or {}, meta={"seed": True},
        )  # fmt: skip

    # ------------------------------------------------------------ seeds

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        feed = feedparser.parse(response.body)
        entries: list[tuple[str, str | None]] = []
        for entry in feed.entries:
            link = entry.get("link")
            if not link:
                continue
            stamp = entry.get("published_parsed") or entry.get("updated_parsed")
            published = (
                datetime.fromtimestamp(mktime(stamp), UTC).replace(microsecond=0).isoformat()
                if stamp else None
            )  # fmt: skip
            entries.append((_join(response.url, link), published))
        if not entries and feed.bozo:
            self.seed_errors.append(f"{response.url}: not a readable feed ({feed.bozo_exception})")
        entries.sort(key=lambda e: e[1] or "", reverse=True)  # newest first
        yield from self._follow(entries)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        try:
            root = etree.fromstring(response.body, _XML_PARSER)
        except etree.XMLSyntaxError:
            root = None
        if root is None:
            self.seed_errors.append(f"{response.url}: not a readable sitemap")
            return
        tag = etree.QName(root).localname
        if tag == "sitemapindex":
            for loc in root.iterfind(".//{*}sitemap/{*}loc"):
                if not loc.text:
                    continue
                url = _join(response.url, loc.text.strip())
                if not _readable(url):
                    self.seed_errors.append(f"{url}: not a valid URL, skipped")
                    continue
                yield self._seed(url, self.parse_sitemap)
            return
        entries = []
        for node in root.iterfind(".//{*}url"):
            loc = node.findtext("{*}loc")
            if not loc:
                continue
            published = node.findtext(".//{*}publication_date") or node.findtext("{*}lastmod")
            entries.append(
                (_join(response.url, loc.strip()), published.strip() if published else None)
            )
        entries.sort(key=lambda e: e[1] or "", reverse=True)
        yield from self._follow(entries)

    def parse_listing(self, response: Response, pattern: str) -> Iterator[scrapy.Request]:
        regex = re.compile(pattern)
        links = [_join(response.url, href) for href in response.css("a::attr(href)").getall()]
        yield from self._follow(
            [(link, None) for link in dict.fromkeys(links) if regex.search(link)]
        )

    def parse_adhoc(self, response: Response) -> Iterator[Any]:
        """A page given on the command line: a listing when it links to several
        article-like pages of its own site, else an article itself."""
        links = [_join(response.url, href) for href in response.css("a::attr(href)").getall()]
        articles = [
            link for link in dict.fromkeys(links)
            if same_site(link, response.url) and _ARTICLE_LIKE.search(urlsplit(link).path)
            and canonical_url(link) != canonical_url(response.url)
        ]  # fmt: skip
        if len(articles) >= 3:
            yield from self._follow([(link, None) for link in articles])
        else:
            yield self._item(response, None)

    # ------------------------------------------------------------ articles

    def _follow(self, entries: Iterable[tuple[str, str | None]]) -> Iterator[scrapy.Request]:
        chosen: dict[str, tuple[str, str | None]] = {}  # canonical -> (url to fetch, published)
        seen_as: dict[str, list[str]] = {}  # canonical -> every URL that led to it
        for url, published in entries:
            if not url.startswith(("http://", "https://")):
                continue
            if not _readable(url):  # one bad link must not stop the rest of the seed
                self.seed_errors.append(f"{url}: not a valid URL, skipped")
                continue
            if not self._allowed(url):
                continue
            if self.since and published and published[:10] < self.since[:10]:
                continue
            key = canonical_url(url)
            chosen.setdefault(key, (url, published))
            seen_as.setdefault(key, []).append(url)
        if not chosen:
            return
        known = self.frontier.discover(
            self.source.name, [(key, url, published) for key, (url, published) in chosen.items()]
        )
        for rank, (key, (url, published)) in enumerate(chosen.items()):
            before = known.get(key)
            if before is not None and before.state == "done":
                if not self.refresh:
                    continue
                if published and before.fetched_at and published <= before.fetched_at:
                    continue  # the feed or sitemap says it has not changed since
            request = self._article_request(url, published, before, priority=max(0, 100 - rank))
            request.meta["seen_as"] = seen_as[key]
            yield request

    def _article_request(self, url: str, published: str | None, known: Known | None,
                         priority: int) -> scrapy.Request:  # fmt: skip
        meta: dict[str, Any] = {"published": published, "handle_httpstatus_list": [304]}
        if known is not None and known.state == "done":
            meta["etag"], meta["last_modified"] = known.etag, known.last_modified
        return scrapy.Request(url, callback=self.parse_article, errback=self.on_article_error,
                              priority=priority, meta=meta, dont_filter=not self.scheduler_dedupes)  # fmt: skip

    def parse_article(self, response: Response) -> Iterator[PageItem]:
        yield self._item(response, response.meta.get("published"))

    def _item(self, response: Response, published: str | None) -> PageItem:
        requested = response.request.url if response.request is not None else response.url
        redirects = response.meta.get("redirect_urls", [])
        return PageItem(
            url=redirects[0] if redirects else requested,
            final_url=response.url,
            canonical_url=canonical_url(redirects[0] if redirects else requested),
            source=self.source.name,
            lang=self.source.lang,
            status=response.status,
            headers={
                k.decode("latin-1").lower(): v[0].decode("latin-1")
                for k, v in response.headers.items()
                if v
            },
            body=response.body if response.status != 304 else b"",
            fetched_at=now_iso(),
            published_hint=published,
            not_modified=response.status == 304,
            aliases=tuple(
                dict.fromkeys([*response.meta.get("seen_as", []), *redirects, response.url])
            ),
        )

    # ------------------------------------------------------------ failures

    def on_article_error(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        url = canonical_url(request.url)
        reason, status, state = describe_failure(failure)
        self.frontier.failed(self.source.name, url, reason, status, state)

    def on_seed_error(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        reason, _, _ = describe_failure(failure)
        self.seed_errors.append(f"{request.url}: {reason}")

    def _allowed(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.source.domains())


def _join(base: str, link: str) -> str:
    """`link` made absolute against `base`; one that cannot be parsed is kept as written
    (`_readable` then refuses it)."""
    try:
        return urljoin(base, link)
    except ValueError:
        return link


def _readable(url: str) -> bool:
    """Whether `url` can be requested: no broken IPv6 host, a port that is a port."""
    try:
        urlsplit(url).port  # noqa: B018
    except ValueError:
        return False
    return True


def describe_failure(failure: Failure) -> tuple[str, int | None, str]:
    """(reason, HTTP status, frontier state) for a failed request."""
    exc = failure.value
    if isinstance(exc, HttpError):
        status = exc.response.status
        return f"HTTP {status}", status, "failed"
    if isinstance(exc, HostDeferred):
        return str(exc), None, "deferred"
    text = str(exc) or type(exc).__name__
    if "robots.txt" in text:
        return "forbidden by robots.txt", None, "forbidden"
    if "max redirections" in text.lower():
        return "redirect loop (too many redirects)", None, "failed"
    if "download max size" in text.lower() or "maxsize" in text.lower():
        return "page larger than the download size limit", None, "failed"
    return f"{type(exc).__name__}: {text}"[:300], None, "failed"
