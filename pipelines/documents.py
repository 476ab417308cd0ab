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
from dataclasses import dataclass, replace

from sqlite_utils import Database

from db.connection import write_transaction
from db.frontier import near_duplicate, save_fingerprint
from db.ids import sha256_text, stable_id
from db.store import DocumentRow, Extraction, SaveOutcome, add_url_alias, save_document
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


@dataclass(frozen=True)
class PageRef:
    """Where a page came from and what is known about it before analysis."""

    url: str
    canonical_url: str
    source: str
    fetched_at: str
    lang_hint: str | None = None
    published_hint: str | None = None
    aliases: tuple[str, ...] = ()

    @property
    def document_id(self) -> str:
        return stable_id(self.canonical_url)


@dataclass(frozen=True)
class Prepared:
    """A page analysed and turned into rows, ready to write (picklable, for worker processes)."""

    ref: PageRef
    row: DocumentRow
    extraction: Extraction
    fingerprint: int


def prepare_page(page: PageText, ref: PageRef, analyzer: Analyzer) -> Prepared:
    """Run the NLP stages over `page` and build its rows; touches no database."""
    published = page.published_at or ref.published_hint
    doc_id = ref.document_id
    analysis = analyzer.analyze(page.text, lang=ref.lang_hint, doc_id=doc_id, doc_date=published)
    segmenter = analyzer.pipeline.resources.segmenter if analysis.lang in ("zh", "ja") else None
    extraction = build_extraction(analysis, doc_id, page.title, segmenter)
    row = DocumentRow(
        id=doc_id, url=ref.url, canonical_url=ref.canonical_url, source=ref.source, lang=analysis.lang,
        title=page.title, author=page.author, published_at=published, fetched_at=ref.fetched_at,
        text=page.text, content_sha256=sha256_text(page.text), extractor_version=EXTRACTOR_VERSION,
        replacement_share=page.replacement_share,
    )  # fmt: skip
    return Prepared(ref, row, extraction, simhash(page.text))


def store_if_unchanged(db: Database, page_text: str, ref: PageRef,
                       also: Callable[[str], None] | None = None) -> Stored | None:  # fmt: skip
    """When this text is stored already (same hash, same extractor version): record the
    URLs, run `also` and return the outcome, all in one transaction; else None."""
    with write_transaction(db):
        if not is_unchanged(db, ref.canonical_url, sha256_text(page_text), EXTRACTOR_VERSION):
            return None
        doc_id = db.execute(
            "SELECT id FROM documents WHERE canonical_url = ?", [ref.canonical_url]
        ).fetchone()[0]
        save_document_aliases(db, doc_id, [ref.url, *ref.aliases])
        if also:
            also(doc_id)
        return Stored("unchanged", doc_id)


def write_prepared(db: Database, prepared: Prepared, also: Callable[[str], None] | None = None,
                   force: bool = False) -> Stored:  # fmt: skip
    """Write a prepared document, its extraction, fingerprint and `also(document_id)` in one transaction."""
    row, extraction = prepared.row, prepared.extraction
    with write_transaction(db):
        duplicate_of = (
            near_duplicate(db, row.id, prepared.fingerprint) if len(row.text) >= 200 else None
        )
        if duplicate_of:
            row = replace(row, duplicate_of=duplicate_of)
        outcome = save_document(db, row, extraction, aliases=prepared.ref.aliases, force=force)
        save_fingerprint(db, row.id, prepared.fingerprint)
        if also:
            also(row.id)
    return Stored(outcome, row.id, len(extraction.figures), len(extraction.claims),
                  len(extraction.quotes), duplicate_of)  # fmt: skip


def store_page(
    db: Database,
    page: PageText,
    analyzer: Analyzer,
    ref: PageRef,
    also: Callable[[str], None] | None = None,
    force: bool = False,
) -> Stored:
    """Analyse `page` and store it; `also(document_id)` runs inside the same transaction.
    Unchanged text (same hash, same extractor version) is not analysed again unless `force`."""
    if not force and (stored := store_if_unchanged(db, page.text, ref, also)) is not None:
        return stored
    return write_prepared(db, prepare_page(page, ref, analyzer), also, force)


def save_document_aliases(db: Database, document_id: str, urls: Sequence[str]) -> None:
    for url in dict.fromkeys(urls):
        add_url_alias(db, url, document_id)
