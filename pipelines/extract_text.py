"""Main text and metadata of a page or file: trafilatura for HTML, pypdf for PDF.

trafilatura is given decoded `str`, never bytes (its own decompression has no
size cap). Publication dates come from the page's own metadata first (meta
tags and JSON-LD keep the time and zone), then htmldate, then the Chinese and
Japanese date patterns htmldate lacks (2024年8月1日 10:43, 2024/8/30 10:43:12).
"""

from __future__ import annotations

import io
import json
import logging
import re
from dataclasses import dataclass

import trafilatura
from htmldate import find_date

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    text: str
    title: str | None = None
    author: str | None = None
    published_at: str | None = None


_META_DATE = re.compile(
    r"""<meta[^>]+(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|og:published_time|"""
    r"""pubdate|publishdate|publish-date|date|datePublished|dc\.date|DC\.date\.issued|parsely-pub-date|"""
    r"""sailthru\.date|publication_date)["'][^>]*>""",
    re.I,
)
_CONTENT = re.compile(r"""content\s*=\s*["']([^"']+)["']""", re.I)
_JSONLD = re.compile(r"""<script[^>]+application/ld\+json[^>]*>(.*?)</script>""", re.I | re.S)
_ISO = re.compile(
    r"((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?"
)
_CJK_DATE = re.compile(
    r"((?:19|20)\d{2})\s*(?:年|/|\.|-)\s*(\d{1,2})\s*(?:月|/|\.|-)\s*(\d{1,2})\s*(?:日|号)?"
    r"(?:\s*(?:(\d{1,2})\s*(?::|時|时|点)\s*(\d{2})))?"
)
_TAGS = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S | re.I)
_ZONE_BY_LANG = {"zh": "+08:00", "ja": "+09:00"}


def extract_html(html: str, url: str | None = None, lang_hint: str | None = None) -> ExtractedPage:
    """Main text, title, author and publication time of an HTML page."""
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        deduplicate=False,
    )
    text = title = author = None
    if doc is not None:
        text = getattr(doc, "text", None)
        title = getattr(doc, "title", None)
        author = getattr(doc, "author", None)
    published = page_date(html, lang_hint)
    return ExtractedPage(_tidy(text or ""), title or _html_title(html), author, published)


def page_date(html: str, lang_hint: str | None = None) -> str | None:
    """The publication time as ISO 8601 (date only when no time is given)."""
    for match in _META_DATE.finditer(html):
        content = _CONTENT.search(match.group())
        if content:
            iso = _iso(content.group(1), lang_hint)
            if iso:
                return iso
    for block in _JSONLD.findall(html):
        try:
            data = json.loads(block)
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and isinstance(item.get("datePublished"), str):
                iso = _iso(item["datePublished"], lang_hint)
                if iso:
                    return iso
    visible = _TAGS.sub(" ", html[:400_000])
    cjk = _CJK_DATE.search(visible)
    if cjk:
        return _from_parts(cjk.groups(), lang_hint)
    try:
        found = find_date(html, original_date=True, extensive_search=True)
    except Exception as exc:  # htmldate raises on odd markup; a date is optional
        log.debug("htmldate failed: %s", exc)
        found = None
    return found or None


def _iso(raw: str, lang_hint: str | None) -> str | None:
    match = _ISO.search(raw)
    if not match:
        cjk = _CJK_DATE.search(raw)
        return _from_parts(cjk.groups(), lang_hint) if cjk else None
    year, month, day, hour, minute, second, zone = match.groups()
    if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
        return None
    date = f"{year}-{int(month):02d}-{int(day):02d}"
    if hour is None:
        return date
    zone = "+00:00" if zone == "Z" else (zone[:3] + ":" + zone[-2:] if zone else "")
    return f"{date}T{int(hour):02d}:{minute}:{second or '00'}{zone}"


def _from_parts(groups: tuple[str | None, ...], lang_hint: str | None) -> str | None:
    year, month, day, hour, minute = groups[:5]
    if not (year and month and day) or not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
        return None
    date = f"{year}-{int(month):02d}-{int(day):02d}"
    if hour and minute and int(hour) < 24:
        return f"{date}T{int(hour):02d}:{minute}:00{_ZONE_BY_LANG.get(lang_hint or '', '')}"
    return date


def _html_title(html: str) -> str | None:
    match = re.search(r"<title[^>]*>(.*?)</title>", html[:100_000], re.I | re.S)
    return re.sub(r"\s+", " ", match.group(1)).strip() or None if match else None


def _tidy(text: str) -> str:
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


def extract_plain(text: str) -> ExtractedPage:
    """A .txt or .md file: the first non-empty line (without # marks) is the title."""
    body = _tidy(text)
    first = body.split("\n", 1)[0] if body else ""
    title = first.lstrip("#").strip()[:300] or None
    return ExtractedPage(body, title)


def extract_pdf(data: bytes) -> ExtractedPage:
    """Text of a PDF, page by page (pypdf); its metadata title when it has one."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    pages = [page.extract_text() or "" for page in reader.pages]
    title = None
    if reader.metadata is not None and reader.metadata.title:
        title = str(reader.metadata.title)
    return ExtractedPage(_tidy("\n".join(pages)), title)
