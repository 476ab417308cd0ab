"""A page's title, author, site name and quick date, as trafilatura reads them.

`trafilatura.bare_extraction(with_metadata=True)` also reads categories, tags,
the licence and the host name (through the public-suffix list): a third of its
metadata time, a tenth of a page's main-text time, for fields newsfacts never
stores. This asks trafilatura's own readers for the four fields we keep, in
the order `trafilatura.metadata.extract_metadata` uses them (meta tags, then
JSON-LD over them, then the page itself; the author through
`pipelines.extract_author`, trafilatura's reading without its copy of the
page). `quick_date` asks htmldate for the day with its quick heuristics only,
when the caller needs it (a quarter of a millisecond a page, spent only where
the page's own metadata leaves the date open).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from htmldate import find_date
from lxml import etree
from trafilatura.metadata import (
    META_URL,
    examine_meta,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)

from pipelines.extract_author import extract_author

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageMetadata:
    title: str | None = None
    author: str | None = None
    sitename: str | None = None
    url: str | None = None  # the canonical URL the page gives, else the one it was read from


def page_metadata(root: etree._Element, url: str | None) -> PageMetadata:
    """What the page says about itself; empty fields where it says nothing (or
    trafilatura's readers fail on odd markup: metadata is optional)."""
    try:
        return _read(root, url)
    except Exception as exc:
        log.debug("metadata unreadable on %s: %s", url, exc)
        return PageMetadata()


def _read(root: etree._Element, url: str | None) -> PageMetadata:
    meta = examine_meta(root)
    if meta.author and " " not in meta.author:
        meta.author = None  # a one-word meta author is mostly a site or a handle
    try:
        meta = extract_meta_json(root, meta)
    except Exception as exc:  # trafilatura guards its JSON-LD reader the same way
        log.debug("JSON-LD unreadable on %s: %s", url, exc)
    page_url = meta.url or extract_url(root, url)
    sitename = meta.sitename or extract_sitename(root)
    if sitename:
        sitename = sitename.lstrip("@")
        if sitename and "." not in sitename and not sitename[0].isupper():
            sitename = sitename.title()
    elif page_url and (host := META_URL.match(page_url)):
        sitename = host[1]
    return PageMetadata(
        title=meta.title or extract_title(root),
        author=meta.author or extract_author(root),
        sitename=sitename or None,
        url=page_url,
    )


def quick_date(root: etree._Element, page_url: str | None) -> str | None:
    """The day (YYYY-MM-DD) by htmldate's quick heuristics, else None. Its extensive
    search runs dateparser (300 ms on some pages); `extract_text` runs that later,
    and only when no other rule found the date."""
    try:
        return find_date(root, url=page_url, original_date=True, extensive_search=False) or None
    except Exception as exc:  # htmldate raises on odd markup; a date is optional
        log.debug("htmldate failed on %s: %s", page_url, exc)
        return None
