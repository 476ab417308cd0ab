"""What the spider hands to the item pipelines: a fetched page, not yet analysed."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PageItem:
    url: str  # as requested
    final_url: str  # after redirects
    canonical_url: str  # the frontier key (crawler.urls.canonical_url of url)
    source: str
    lang: str | None
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    fetched_at: str = ""
    published_hint: str | None = None  # from the feed or sitemap that listed it
    not_modified: bool = False  # a 304 answer to a conditional GET
    aliases: tuple[str, ...] = ()  # other URLs seen for this page (redirects)
