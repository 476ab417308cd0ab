"""The spider's parsing, on saved pages of the sample sites (no network)."""

from __future__ import annotations

from scrapy.http import HtmlResponse, Request, XmlResponse

from crawler.frontier import Known
from crawler.sources import Listing, Source
from crawler.spiders.articles import ArticleSpider
from crawler.urls import canonical_url
from tests.conftest import SAMPLES

BASE = "http://news.test"


class MemoryFrontier:
    def __init__(self, known: dict[str, Known] | None = None) -> None:
        self.known = dict(known or {})
        self.discovered: list[tuple[str, str, str | None]] = []
        self.failures: list[tuple[str, str, str]] = []

    def discover(self, source, urls):
        self.discovered.extend(urls)
        return {key: self.known.get(key) for key, _, _ in urls}

    def resume(self, source):
        return []

    def failed(self, source, url, reason, status=None, state="failed"):
        self.failures.append((url, reason, state))


def response(cls, path: str, url: str):
    body = (SAMPLES / path).read_bytes().replace(b"__BASE__", BASE.encode())
    return cls(url=url, body=body, request=Request(url))


def spider(frontier: MemoryFrontier, **kw) -> ArticleSpider:
    source = Source(name="s", lang="zh", feeds=(f"{BASE}/36kr/feed.xml",), **kw)
    return ArticleSpider(source=source, frontier=frontier)


def test_feed_entries_are_requested_newest_first():
    frontier = MemoryFrontier()
    requests = list(
        spider(frontier).parse_feed(response(XmlResponse, "36kr/feed.xml", f"{BASE}/36kr/feed.xml"))
    )
    urls = [r.url for r in requests]
    assert len(urls) == 3 and all("/36kr/p/" in u for u in urls)
    published = [r.meta["published"] for r in requests]
    assert published == sorted(published, reverse=True)
    assert [r.priority for r in requests] == sorted((r.priority for r in requests), reverse=True)


def test_news_sitemap_gives_publication_dates():
    frontier = MemoryFrontier()
    requests = list(
        spider(frontier).parse_sitemap(
            response(XmlResponse, "jiwei/sitemap.xml", f"{BASE}/jiwei/sitemap.xml")
        )
    )
    assert len(requests) == 3
    assert all(r.meta["published"] and r.meta["published"].startswith("2024") for r in requests)


def test_listing_follows_only_article_links():
    frontier = MemoryFrontier()
    page = response(HtmlResponse, "ithome/index.html", f"{BASE}/ithome/index.html")
    requests = list(spider(frontier).parse_listing(page, pattern=r"/ithome/0/\d{3}/\d{3}\.htm$"))
    assert sorted(r.url for r in requests) == sorted(
        f"{BASE}/ithome/0/{p}" for p in ("792/415.htm", "793/088.htm", "794/261.htm")
    )


def test_known_articles_are_asked_conditionally_and_unchanged_feed_items_skipped():
    feed_url = f"{BASE}/36kr/feed.xml"
    page = response(XmlResponse, "36kr/feed.xml", feed_url)
    first = list(spider(MemoryFrontier()).parse_feed(page))
    keys = [canonical_url(r.url) for r in first]
    known = {
        keys[0]: Known(
            "done",
            etag='"abc"',
            last_modified="Wed, 28 Aug 2024 10:00:00 GMT",
            fetched_at="2099-01-01T00:00:00+00:00",
        ),
        keys[1]: Known("done", etag='"def"', fetched_at="2000-01-01T00:00:00+00:00"),
    }
    again = list(spider(MemoryFrontier(known)).parse_feed(page))
    by_key = {canonical_url(r.url): r for r in again}
    assert keys[0] not in by_key  # fetched after its feed date: not asked at all
    assert by_key[keys[1]].meta["etag"] == '"def"'  # asked with If-None-Match
    assert "etag" not in by_key[keys[2]].meta  # new: plain request


def test_since_filters_dated_entries():
    frontier = MemoryFrontier()
    s = spider(frontier)
    s.since = "2099-01-01"
    assert list(s.parse_feed(response(XmlResponse, "36kr/feed.xml", f"{BASE}/36kr/feed.xml"))) == []


def test_article_page_becomes_an_item_without_analysis():
    url = f"{BASE}/36kr/p/2926374015871.html"
    page = response(HtmlResponse, "36kr/p/2926374015871.html", url)
    page.request.meta["published"] = "2024-08-29T10:43:00+08:00"
    items = list(spider(MemoryFrontier(), listings=(Listing(BASE, "x"),)).parse_article(page))
    assert len(items) == 1
    item = items[0]
    assert item.canonical_url == canonical_url(url) and item.body == page.body
    assert item.source == "s" and item.lang == "zh" and item.status == 200 and not item.not_modified
