"""`run_ingest`: local files and folders into the database, one transaction per file.

A file that cannot be read, is binary or empty, or whose encoding cannot be
told is reported by name and skipped; the others are stored; nothing stored
before is touched. Unchanged files (same content, same extractor version)
cost a hash and no analysis.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from db.connection import connect
from db.errors import DatabaseError
from db.ids import sha256_text, stable_id
from db.store import DocumentRow, ensure_source, finish_run, now_iso, save_document, start_run
from db.store import unchanged as is_unchanged
from nlp import EXTRACTOR_VERSION, Analyzer
from pipelines.decode import DecodeError, decode, sniff
from pipelines.errors import NewsfactsError
from pipelines.extract_text import ExtractedPage, extract_html, extract_pdf, extract_plain
from pipelines.records import build_extraction
from pipelines.registry_sync import sync_registry

log = logging.getLogger(__name__)

SUFFIXES = (".html", ".htm", ".txt", ".md", ".pdf")
MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class IngestOptions:
    db_path: str
    source: str = "local"
    lang: str | None = None
    entity_files: tuple[str, ...] = ()


@dataclass
class IngestReport:
    files: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    reanalysed: int = 0
    figures: int = 0
    claims: int = 0
    quotes: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def counts(self) -> dict[str, int]:
        return {
            "files": self.files, "new": self.new, "changed": self.changed,
            "unchanged": self.unchanged, "reanalysed": self.reanalysed, "failed": len(self.failures),
            "figures": self.figures, "claims": self.claims, "quotes": self.quotes,
        }  # fmt: skip


class SkipFile(Exception):
    """This one file cannot be ingested; the message says why."""


def collect_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files to ingest (folders recursed, sorted) and the paths refused up front."""
    files: list[Path] = []
    refused: list[tuple[str, str]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
            )
            if not found:
                refused.append((str(path), f"no {'/'.join(SUFFIXES)} files in this folder"))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        elif not path.exists():
            refused.append((str(path), "no such file or folder"))
        else:
            refused.append((str(path), "not a regular file"))
    return list(dict.fromkeys(files)), refused


def read_file(path: Path, lang_hint: str | None = None) -> tuple[ExtractedPage, float]:
    """Main text of one local file and its share of U+FFFD, or SkipFile."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SkipFile(f"too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})")
        data = path.read_bytes()
    except OSError as exc:
        raise SkipFile(f"cannot read: {exc.strerror or exc}") from exc
    if not data.strip():
        raise SkipFile("empty file")
    kind = sniff(data)
    if kind == "pdf":
        try:
            page = extract_pdf(data)
        except Exception as exc:  # pypdf raises many kinds on broken files
            raise SkipFile(f"unreadable PDF: {exc}") from exc
        share = 0.0
    elif kind in ("image", "zip", "gzip", "binary"):
        raise SkipFile(f"binary file ({kind}), not text")
    else:
        try:
            decoded = decode(data)
        except DecodeError as exc:
            raise SkipFile(f"cannot decode: {exc}") from exc
        share = decoded.replacement_share
        if share > 0.05:
            raise SkipFile(f"not valid text in any known encoding ({share:.0%} unreadable)")
        is_html = path.suffix.lower() in (".html", ".htm") or kind == "html"
        page = (
            extract_html(decoded.text, path.resolve().as_uri(), lang_hint)
            if is_html
            else extract_plain(decoded.text)
        )
    if not page.text.strip():
        raise SkipFile("no main text found")
    return page, share


def iter_ingest(
    files: list[Path],
    options: IngestOptions,
    analyzer: Analyzer,
    report: IngestReport,
) -> Iterator[Path]:
    """Ingest `files` one by one, yielding each after it is done (for progress)."""
    db = connect(options.db_path)
    try:
        ensure_source(db, options.source, "local")
        for path in files:
            report.files += 1
            try:
                _ingest_one(db, path, options, analyzer, report)
            except SkipFile as exc:
                report.failures.append((str(path), str(exc)))
            except DatabaseError as exc:
                report.failures.append((str(path), f"not stored: {exc}"))
            yield path
    finally:
        db.close()


def _ingest_one(
    db, path: Path, options: IngestOptions, analyzer: Analyzer, report: IngestReport
) -> None:  # type: ignore[no-untyped-def]
    url = path.resolve().as_uri()
    page, share = read_file(path, options.lang)
    content_hash = sha256_text(page.text)
    if is_unchanged(db, url, content_hash, EXTRACTOR_VERSION):
        report.unchanged += 1
        return
    doc_id = stable_id(url)
    analysis = analyzer.analyze(
        page.text, lang=options.lang, doc_id=doc_id, doc_date=page.published_at
    )
    segmenter = analyzer.pipeline.resources.segmenter if analysis.lang in ("zh", "ja") else None
    extraction = build_extraction(analysis, doc_id, page.title, segmenter)
    row = DocumentRow(
        id=doc_id, url=url, canonical_url=url, source=options.source, lang=analysis.lang,
        title=page.title, author=page.author, published_at=page.published_at,
        fetched_at=now_iso(), text=page.text, content_sha256=content_hash,
        extractor_version=EXTRACTOR_VERSION, replacement_share=share,
    )  # fmt: skip
    outcome = save_document(db, row, extraction)
    setattr(report, outcome, getattr(report, outcome) + 1)
    report.figures += len(extraction.figures)
    report.claims += len(extraction.claims)
    report.quotes += len(extraction.quotes)


def run_ingest(
    paths: Iterable[str | Path],
    options: IngestOptions,
    analyzer: Analyzer | None = None,
    on_progress: Callable[[int, int, Path], None] | None = None,
) -> IngestReport:
    """Ingest files and folders; never raises for a bad file, only for a bad database."""
    files, refused = collect_files(paths)
    report = IngestReport()
    report.failures.extend(refused)
    db = connect(options.db_path)
    run_id = start_run(db, "ingest", options.source)
    analyzer = analyzer or Analyzer(entity_files=options.entity_files)
    sync_registry(db, analyzer)
    status = "failed"
    try:
        for done, path in enumerate(iter_ingest(files, options, analyzer, report), start=1):
            if on_progress:
                on_progress(done, len(files), path)
        status = "ok" if report.ok else "partial"
    finally:
        finish_run(db, run_id, status, report.counts(),
                   [f"{p}: {m}" for p, m in report.failures])  # fmt: skip
        db.close()
    if not files and refused and all(m == "no such file or folder" for _, m in refused):
        log.debug("nothing to ingest")
    return report


def ensure_paths_given(paths: tuple[str, ...]) -> None:
    if not paths:
        raise NewsfactsError("give at least one file or folder to ingest")
