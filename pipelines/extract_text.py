"""Main text and metadata of a page or file: trafilatura plus CJK rules for HTML, pypdf for PDF.

HTML is parsed once (trafilatura's own parser settings) and the tree is shared:

- trafilatura (comments off: their sections are pruned rather than
  extracted) gives the main text of every page; its metadata readers the
  title, the author and the site name, htmldate the day (`extract_meta`);
- on Chinese and Japanese pages a text- and punctuation-density reading of
  the same tree (`extract_density`) finds the article where trafilatura keeps
  a whole layout table or drops half the story; that text is the base,
  merged with trafilatura's (`extract_merge`: its widgets out, the prose only
  trafilatura found in), then portal boilerplate is removed
  (`extract_boilerplate`);
- the publication time comes from the page's metadata first, then from the
  dates written under the headline, then from htmldate (`extract_dates`).

trafilatura is given a parsed tree or decoded `str`, never bytes (its own
decompression has no size cap). Paragraphs are separated by "\\n".
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import htmldate.extractors
import lxml.html
import trafilatura
from dateparser import DateDataParser
from htmldate import find_date
from lxml import etree
from trafilatura.settings import Extractor
from trafilatura.utils import load_html

from nlp.language import letters
from pipelines.extract_boilerplate import drop_repeated, is_prose, remove_boilerplate
from pipelines.extract_dates import (
    local_day,
    metadata_date,
    month_first,
    normalise,
    written_date,
)
from pipelines.extract_density import MAX_LINK_SHARE, Line, content_lines, page_lines
from pipelines.extract_merge import Text, add_missing_prose, drop_widgets
from pipelines.extract_meta import page_metadata, quick_date
from pipelines.extract_title import page_title

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    text: str
    title: str | None = None
    author: str | None = None
    published_at: str | None = None


CJK_LANGS = frozenset({"zh", "ja"})
MIN_CJK_SHARE = 0.3  # of the letters in a sample of the page: Chinese or Japanese
# Runs rather than single characters: counting a run's length makes one match
# object per word (or per CJK stretch) instead of one per letter.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_KANA = re.compile(r"[\u3040-\u30ff]+")
_LATIN = re.compile(r"[A-Za-z]+")


def extract_html(html: str, url: str | None = None, lang_hint: str | None = None) -> ExtractedPage:
    """Main text, title, author and publication time of an HTML page."""
    root = parse_html(html)
    if root is None:
        return ExtractedPage("")
    meta = page_metadata(root, url)
    looks_cjk = page_language(root, "", meta.title, lang_hint) in CJK_LANGS
    document = _trafilatura(root, url, fast=looks_cjk)
    text = getattr(document, "text", None) or ""
    title = page_title(root, meta.title, _title_tag(root), meta.sitename)
    lang = page_language(root, text, title, lang_hint)
    lines = _LazyLines(root)
    if lang in CJK_LANGS:
        text = cjk_main_text(lines.get(), text, title)
    published = published_time(root, lines, url, lang, title, lambda: quick_date(root, meta.url))
    if published is None:  # only now htmldate's slow extensive search (dateparser)
        late = _htmldate(root)
        published = normalise(late, lang) if late else None
    return ExtractedPage(_tidy(text), title, meta.author, published)


def parse_html(html: str) -> etree._Element | None:
    """The page as an lxml tree, parsed the way trafilatura parses it; pages trafilatura
    rejects as "not HTML" (a saved page wrapped in <text>, a bare fragment) are parsed
    by lxml directly."""
    if not html or not html.strip():
        return None
    root = load_html(html)
    if root is not None:
        return root
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        log.debug("unparseable HTML: %s", exc)
        return None


def _trafilatura(root: etree._Element, url: str | None, fast: bool = False) -> object | None:
    """trafilatura's main text, without comments (we never store them; pruning them
    costs less than extracting them, and scored the same or better on the 711
    evaluation pages) and without metadata (`page_metadata` reads what we keep);
    it copies the tree it is given.

    `fast` (for Chinese and Japanese pages) skips its fallback extractors,
    readability and jusText: there the density reading does their work, and the
    Chinese and Japanese eval pages scored the same without them, in 0.7 of the
    time. English pages keep them (Fundus body F1 0.955 with, 0.938 without)."""
    try:
        return trafilatura.bare_extraction(root, options=_trafilatura_options(fast))
    except Exception as exc:  # trafilatura raises odd errors on odd markup; text is optional
        log.debug("trafilatura failed on %s: %s", url, exc)
        return None


@functools.cache
def _trafilatura_options(fast: bool) -> Extractor:
    """trafilatura's settings for our calls, made once: building them reads its
    configuration anew (a tenth of a millisecond a page). One object serves every
    page: trafilatura copies it before changing it, and the page's URL, which it
    would carry, only matters for links and images, which we do not keep."""
    return Extractor(output_format="python", fast=fast, comments=False, with_metadata=False)


def page_language(
    root: etree._Element, text: str, title: str | None, lang_hint: str | None
) -> str | None:
    """'zh' or 'ja' when the page is mostly CJK (whatever the hint says), else the hint."""
    sample = f"{title or ''}\n{text[:3000]}"
    if len(sample) < 300:
        body = root.find("body")
        sample += (body if body is not None else root).text_content()[:5000]
    cjk = letters(_CJK, sample)
    if cjk and cjk >= MIN_CJK_SHARE * (cjk + letters(_LATIN, sample)):
        if lang_hint in CJK_LANGS:
            return lang_hint
        return "ja" if letters(_KANA, sample) > 0.05 * cjk else "zh"
    return lang_hint if lang_hint not in CJK_LANGS else None


# ---------------------------------------------------------------- CJK main text

MIN_DENSITY_CHARS = 50  # below this the density reading found nothing to trust


class _LazyLines:
    """The page's lines, read from the tree once and only if someone needs them."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.lines: list[Line] | None = None

    def get(self) -> list[Line]:
        if self.lines is None:
            self.lines = page_lines(self.root)
        return self.lines


def cjk_main_text(lines: list[Line], trafilatura_text: str, title: str | None = None) -> str:
    """The density text with the lead under the headline, merged with trafilatura's
    text (`extract_merge`), without repeats and portal boilerplate."""
    content = content_lines(lines)
    density = [line.text for line in lead_lines(lines, content, title) + content]
    other = [line for line in trafilatura_text.split("\n") if line.strip()]
    if sum(len(line) for line in density) < MIN_DENSITY_CHARS:
        merged = other
    else:
        kept = drop_widgets(density, Text(other), is_prose)
        merged = add_missing_prose(kept, other, is_prose)
    return "\n".join(remove_boilerplate(drop_repeated(merged)))


def lead_lines(lines: list[Line], content: list[Line], title: str | None) -> list[Line]:
    """Prose between the headline and the article's container: the standfirst or
    summary many Chinese sites print in a box of its own."""
    if not content or not title:
        return []
    start = _title_index([line.text for line in lines], title)
    first = next((i for i, line in enumerate(lines) if line is content[0]), None)
    if start is None or first is None or first <= start:
        return []
    return [
        line
        for line in lines[start + 1 : first]
        if is_prose(line.text) and not line.is_noise and line.link_share <= MAX_LINK_SHARE
    ]


# ---------------------------------------------------------------- title and date


def _title_tag(root: etree._Element) -> str | None:
    title = root.find(".//title")
    if title is None:
        return None
    return " ".join(title.text_content().split()) or None


def published_time(
    root: etree._Element,
    page: _LazyLines,
    url: str | None,
    lang: str | None,
    title: str | None,
    htmldate_day: Callable[[], str | None] = lambda: None,
) -> str | None:
    """The page's metadata first; then, on CJK pages, the date written under the
    headline before htmldate's day; on other pages a year-first date under the
    headline, or a month-first one (08.02.2024) when the page's other dates show
    that order, then htmldate, which reads 02/10/2020 well when the page does
    not say whether it is February or October. `htmldate_day` is asked only
    when needed: a UTC time near midnight, or no date in the metadata."""
    declared = metadata_date(root, lang)
    if declared:
        return local_day(declared, htmldate_day)
    lines = [line.text for line in page.get()]
    title_index = _title_index(lines, title)
    if lang in CJK_LANGS:
        written = written_date(lines, title_index, lang, url)
    else:
        us_order = month_first(lines)
        written = written_date(lines, title_index, lang, url, month_day=False, us_order=us_order)
    if written:
        return written
    day = htmldate_day()
    return normalise(day, lang) if day else None


def _squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def _title_index(lines: list[str], title: str | None) -> int | None:
    """The line that holds the headline: the first that contains the title, or that
    is at least half of it (titles often carry the site name, headlines do not)."""
    if not title:
        return None
    wanted = _squash(title)
    if not wanted:
        return None
    for index, line in enumerate(lines):
        squashed = _squash(line)
        if not squashed:
            continue
        if wanted in squashed or (squashed in wanted and 2 * len(squashed) >= len(wanted)):
            return index
    return None


def page_date(html: str, lang_hint: str | None = None) -> str | None:
    """The publication time as ISO 8601 (date only when no time is given)."""
    root = parse_html(html)
    if root is None:
        return None
    found = published_time(root, _LazyLines(root), None, lang_hint, _title_tag(root))
    return found or _htmldate(root)


# htmldate's extensive search hands each candidate string to dateparser with all
# of its ~200 locales, 40–170 ms a string that is not a date. The pages newsfacts
# reads are Chinese, English and Japanese; with those locales only it is about
# 20 times faster and finds the same dates (htmldate's own benchmark pages).
DATEPARSER_LANGUAGES = ("en", "zh", "zh-Hant", "ja")


@functools.cache
def _page_languages_parser() -> DateDataParser:
    """dateparser as htmldate configures it, limited to DATEPARSER_LANGUAGES."""
    return DateDataParser(
        languages=list(DATEPARSER_LANGUAGES),
        settings={
            "NORMALIZE": True,
            "PARSERS": ["custom-formats", "absolute-time"],
            "PREFER_DATES_FROM": "past",
            "PREFER_LOCALE_DATE_ORDER": True,
            "RETURN_AS_TIMEZONE_AWARE": False,
            "STRICT_PARSING": True,
        },
    )


@contextlib.contextmanager
def _page_languages_dateparser() -> Iterator[None]:
    """htmldate looks its dateparser up through a module function on every call;
    ours stands in for it during our own calls only (trafilatura run by itself, as
    in the extraction evaluation, keeps htmldate's)."""
    saved = htmldate.extractors.get_external_parser
    htmldate.extractors.get_external_parser = _page_languages_parser
    try:
        yield
    finally:
        htmldate.extractors.get_external_parser = saved


def _htmldate(root: etree._Element) -> str | None:
    try:
        with _page_languages_dateparser():
            return find_date(root, original_date=True, extensive_search=True) or None
    except Exception as exc:  # htmldate raises on odd markup; a date is optional
        log.debug("htmldate failed: %s", exc)
        return None


# ---------------------------------------------------------------- plain text and PDF


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


__all__ = [
    "ExtractedPage",
    "extract_html",
    "extract_pdf",
    "extract_plain",
    "page_date",
    "parse_html",
]
