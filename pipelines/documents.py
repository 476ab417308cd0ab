"""Where crawling and ingesting meet: bytes become a `PageText`, a `PageText` becomes
a stored document with everything found in it.

`page_from_bytes` sniffs what the bytes are (PDF, image, HTML, text), decodes
them honestly and extracts the main text. `store_page` runs the NLP stages
and writes the document, its extraction, its fingerprint and whatever else
the caller adds (raw page, frontier mark) in one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from db.connection import write_transaction
from db.frontier import near_duplicate, save_fingerprint
from db.ids import sha256_text, stable_id
from db.store import DocumentRow, SaveOutcome, add_url_alias, save_document
from db.store import unchanged as is_unchanged
from nlp import EXTRACTOR_VERSION, Analyzer
from pipelines.decode import DecodeError, decode, sniff
from pipelines.dedupe import simhash
from pipelines.extract_text import extract_html, extract_pdf, extract_plain
from pipelines.records import build_extraction

MAX_REPLACEMENT_SHARE = 0.05


class SkipPage(Exception):
    """These bytes cannot become a document; the message says why (and names no path)."""


@dataclass(frozen=True)
class PageText:
    text: str
    title: str | None
    author: str | None
    published_at: str | None
    replacement_share: float = 0.0
    encoding: str | None = None
    kind: str = "html"
    canonical_link: str | None = None  # <link rel="canonical"> of an HTML page


@dataclass(frozen=True)
class Stored:
    outcome: SaveOutcome
    document_id: str
    figures: int = 0
    claims: int = 0
    quotes: int = 0
    duplicate_of: str | None = None


def page_from_bytes(data: bytes, *, url: str | None, content_type: str | None = None,
                    charset: str | None = None, lang_hint: str | None = None,
                    as_html: bool | None = None) -> PageText:  # fmt: skip
    """Main text and metadata of a page or file, or SkipPage."""
    if not data.strip():
        raise SkipPage("empty file")
    kind = sniff(data)
    if kind == "pdf":
        try:
            extracted = extract_pdf(data)
        except Exception as exc:  # pypdf raises many kinds on broken files
            raise SkipPage(f"unreadable PDF: {exc}") from exc
        return _checked(PageText(extracted.text, extracted.title, None, None, 0.0, None, "pdf"))
    if kind in ("image", "zip", "gzip", "binary"):
        served = f" served as {content_type}" if content_type else ""
        raise SkipPage(f"binary file ({kind}){served}, not text")
    try:
        decoded = decode(data, charset)
    except DecodeError as exc:
        raise SkipPage(f"cannot decode: {exc}") from exc
    if decoded.replacement_share > MAX_REPLACEMENT_SHARE:
        raise SkipPage(
            f"not valid text in any known encoding ({decoded.replacement_share:.0%} unreadable)"
        )
    html = as_html if as_html is not None else (kind == "html" or "html" in (content_type or ""))
    extracted = extract_html(decoded.text, url, lang_hint) if html else extract_plain(decoded.text)
    page = PageText(
        extracted.text, extracted.title, extracted.author, extracted.published_at,
        decoded.replacement_share, decoded.encoding, "html" if html else "text",
        canonical_link(decoded.text) if html else None,
    )  # fmt: skip
    return _checked(page)


_CANONICAL = re.compile(r"""<link\b[^>]*\brel\s*=\s*["']?canonical["']?[^>]*>""", re.I)
_HREF = re.compile(r"""\bhref\s*=\s*["']([^"'<>\s]+)["']""", re.I)


def canonical_link(html: str) -> str | None:
    tag = _CANONICAL.search(html, 0, 200_000)
    if not tag:
        return None
    href = _HREF.search(tag.group())
    return href.group(1) if href else None


MIN_WORD_CHARACTERS = 20
_WORD_CHAR = re.compile(r"\w")


def _checked(page: PageText) -> PageText:
    """A page whose main text has almost no letters, digits or CJK is not an article."""
    found = len(_WORD_CHAR.findall(page.text, 0, 10_000))
    if found < MIN_WORD_CHARACTERS:
        raise SkipPage(f"no main text found ({found} word characters)")
    return page


def store_page(
    db: Database,
    page: PageText,
    analyzer: Analyzer,
    *,
    url: str,
    canonical_url: str,
    source: str,
    fetched_at: str,
    lang_hint: str | None = None,
    aliases: Sequence[str] = (),
    published_hint: str | None = None,
    also: Callable[[str], None] | None = None,
    force: bool = False,
) -> Stored:
    """Analyse `page` and store it; `also(document_id)` runs inside the same transaction.
    Unchanged text (same hash, same extractor version) is not analysed again unless `force`."""
    content_hash = sha256_text(page.text)
    doc_id = stable_id(canonical_url)
    with write_transaction(db):
        if not force and is_unchanged(db, canonical_url, content_hash, EXTRACTOR_VERSION):
            existing = db.execute(
                "SELECT id FROM documents WHERE canonical_url = ?", [canonical_url]
            ).fetchone()
            doc_id = existing[0]
            save_document_aliases(db, doc_id, [url, *aliases])
            if also:
                also(doc_id)
            return Stored("unchanged", doc_id)
    published = page.published_at or published_hint
    analysis = analyzer.analyze(page.text, lang=lang_hint, doc_id=doc_id, doc_date=published)
    segmenter = analyzer.pipeline.resources.segmenter if analysis.lang in ("zh", "ja") else None
    extraction = build_extraction(analysis, doc_id, page.title, segmenter)
    fingerprint = simhash(page.text)
    with write_transaction(db):
        duplicate_of = near_duplicate(db, doc_id, fingerprint) if len(page.text) >= 200 else None
        row = DocumentRow(
            id=doc_id, url=url, canonical_url=canonical_url, source=source, lang=analysis.lang,
            title=page.title, author=page.author, published_at=published, fetched_at=fetched_at,
            text=page.text, content_sha256=content_hash, extractor_version=EXTRACTOR_VERSION,
            replacement_share=page.replacement_share, duplicate_of=duplicate_of,
        )  # fmt: skip
        outcome = save_document(db, row, extraction, aliases=aliases, force=force)
        save_fingerprint(db, doc_id, fingerprint)
        if also:
            also(doc_id)
    return Stored(outcome, doc_id, len(extraction.figures), len(extraction.claims),
                  len(extraction.quotes), duplicate_of)  # fmt: skip


def save_document_aliases(db: Database, document_id: str, urls: Sequence[str]) -> None:
    for url in dict.fromkeys(urls):
        add_url_alias(db, url, document_id)
