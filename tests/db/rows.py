"""Rows for database tests: a document with figures and claims, as the pipeline stores them."""

from __future__ import annotations

from db.store import ClaimRow, DocumentRow, Extraction, FigureRow


def document(n: int, published_at: str | None, words: str, claims: int = 2,
             sha: str = "") -> tuple[DocumentRow, Extraction]:  # fmt: skip
    """Document `n` with `claims` claims whose sentences are `words` + their index."""
    doc = DocumentRow(
        id=f"d{n}", url=f"https://example.com/{n}", canonical_url=f"https://example.com/{n}",
        source=None, lang="en", title=f"Title {n}", author=None, published_at=published_at,
        fetched_at="2024-09-01T00:00:00+00:00", text=words, content_sha256=sha or f"sha{n}",
        extractor_version="test",
    )  # fmt: skip
    figures = [
        FigureRow(id=f"d{n}f{i}", start=10 * i, end=10 * i + 3, text="71%", kind="percent",
                  value=71.0, low=None, high=None, unit="%", currency=None, qualifier="exact")
        for i in range(claims)
    ]  # fmt: skip
    rows = [
        ClaimRow(id=f"d{n}c{i}", figure_id=f"d{n}f{i}", subject="NVIDIA", entity_id="NVIDIA",
                 metric="gross_margin", direction=None, period=None, source=None,
                 sentence=f"{words} {i}", sentence_start=10 * i, sentence_end=10 * i + 9)
        for i in range(claims)
    ]  # fmt: skip
    return doc, Extraction(
        figures=figures,
        claims=rows,
        search_title=doc.title or "",
        search_body=" ".join(f"{words} {i}" for i in range(claims)),
    )
