"""The source list: which sites to crawl, how to find their articles, and when.

A source list is TOML with one `[[source]]` table per site:

    [[source]]
    name = "36kr"                      # unique; stored on every document
    lang = "zh"                        # zh | en | ja
    feeds = ["https://36kr.com/feed"]  # RSS or Atom
    sitemaps = []                      # (news) sitemaps or sitemap indexes
    listings = [{ url = "https://36kr.com/information/AI/", article_pattern = "/p/\\\\d+" }]
    allowed_domains = ["36kr.com"]     # default: the hosts of the URLs above
    schedule = "*/30 * * * *"          # cron, used by `newsfacts schedule`
    settings = { DOWNLOAD_DELAY = 2 }  # Scrapy settings for this source only

`load_sources` reads the shipped list and then user files (a user entry with
the same name replaces the shipped one); every problem is reported with the
file, the entry and the field, all at once.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from croniter import croniter

LANGS = ("zh", "en", "ja")
_SETTING_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
_KNOWN_KEYS = {"name", "lang", "feeds", "sitemaps", "listings", "allowed_domains", "schedule",
               "settings", "enabled", "notes"}  # fmt: skip
SHIPPED = "sources.toml"


class SourceError(ValueError):
    """The source list is wrong; `problems` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Listing:
    url: str
    article_pattern: str


@dataclass(frozen=True)
class Source:
    name: str
    lang: str | None = None
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    listings: tuple[Listing, ...] = ()
    urls: tuple[str, ...] = ()  # ad hoc pages (a listing or an article), same-site links followed
    allowed_domains: tuple[str, ...] = ()
    schedule: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    enabled: bool = True
    origin: str = ""

    def seed_urls(self) -> list[str]:
        return [*self.feeds, *self.sitemaps, *(lst.url for lst in self.listings), *self.urls]

    def domains(self) -> tuple[str, ...]:
        if self.allowed_domains:
            return self.allowed_domains
        hosts = {urlsplit(u).hostname or "" for u in self.seed_urls()}
        return tuple(sorted(h for h in hosts if h))


def load_sources(user_files: Iterable[str | Path] = (), base: str | None = None,
                 shipped: bool = True) -> dict[str, Source]:  # fmt: skip
    """Shipped sources plus user files; `base` replaces `{base}` in every URL."""
    problems: list[str] = []
    sources: dict[str, Source] = {}
    texts: list[tuple[str, str]] = []
    if shipped:
        texts.append(
            (f"crawler/{SHIPPED}", resources.files("crawler").joinpath(SHIPPED).read_text("utf-8"))
        )
    for path in user_files:
        try:
            texts.append((str(path), Path(path).read_text("utf-8")))
        except OSError as exc:
            problems.append(f"{path}: cannot read: {exc.strerror}")
        except UnicodeDecodeError as exc:
            problems.append(f"{path}: not UTF-8 ({exc.reason})")
    for where, text in texts:
        for source in parse_sources(text, where, problems, base):
            sources[source.name] = source
    if problems:
        raise SourceError(problems)
    return sources


def parse_sources(
    text: str, where: str, problems: list[str], base: str | None = None
) -> list[Source]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problems.append(f"{where}: not valid TOML: {exc}")
        return []
    unknown_top = sorted(set(data) - {"source"})
    if unknown_top:
        problems.append(
            f"{where}: unknown top-level key(s) {', '.join(unknown_top)}; use [[source]] tables"
        )
    entries = data.get("source", [])
    if not isinstance(entries, list):
        problems.append(f"{where}: 'source' must be an array of tables ([[source]])")
        return []
    out: list[Source] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        label = f"{where}: source #{index}"
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            label += f" ({entry['name']!r})"
        before = len(problems)
        source = _parse_entry(entry, label, problems, base)
        if source is None or len(problems) > before:
            continue
        if source.name in seen:
            problems.append(f"{label}: name {source.name!r} is used twice in this file")
            continue
        seen.add(source.name)
        out.append(source)
    return out


def _parse_entry(entry: Any, label: str, problems: list[str], base: str | None) -> Source | None:
    if not isinstance(entry, dict):
        problems.append(f"{label}: must be a table")
        return None
    for key in sorted(set(entry) - _KNOWN_KEYS):
        problems.append(
            f"{label}: unknown key {key!r}; known keys: {', '.join(sorted(_KNOWN_KEYS))}"
        )
    name = entry.get("name")
    if not isinstance(name, str) or not re.fullmatch(
        r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", name or ""
    ):
        problems.append(f"{label}: 'name' must be letters, digits, '.', '_' or '-' (got {name!r})")
        return None
    lang = entry.get("lang")
    if lang is not None and lang not in LANGS:
        problems.append(f"{label}: 'lang' must be one of {', '.join(LANGS)} (got {lang!r})")

    def url_list(key: str) -> tuple[str, ...]:
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(f"{label}: '{key}' must be a list of URLs")
            return ()
        urls = tuple(_with_base(v, base) for v in value)
        for i, url in enumerate(urls):
            if not _is_http(url):
                problems.append(f"{label}: {key}[{i}] {url!r} is not an http(s) URL")
        return urls

    feeds, sitemaps = url_list("feeds"), url_list("sitemaps")
    listings: list[Listing] = []
    raw_listings = entry.get("listings", [])
    if not isinstance(raw_listings, list):
        problems.append(
            f"{label}: 'listings' must be a list of {{ url = ..., article_pattern = ... }}"
        )
        raw_listings = []
    for i, item in enumerate(raw_listings):
        where = f"{label}: listings[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("url"), str):
            problems.append(f"{where} needs a 'url'")
            continue
        url = _with_base(item["url"], base)
        pattern = item.get("article_pattern", "")
        if not _is_http(url):
            problems.append(f"{where}: {url!r} is not an http(s) URL")
        if not isinstance(pattern, str) or not pattern:
            problems.append(
                f"{where}: 'article_pattern' (a regular expression for article links) is required"
            )
            continue
        try:
            re.compile(pattern)
        except re.error as exc:
            problems.append(
                f"{where}: article_pattern {pattern!r} is not a valid regular expression: {exc}"
            )
            continue
        listings.append(Listing(url, pattern))
    if not (feeds or sitemaps or listings):
        problems.append(f"{label}: give at least one of 'feeds', 'sitemaps' or 'listings'")
    domains = entry.get("allowed_domains", [])
    if not isinstance(domains, list) or not all(isinstance(d, str) and d for d in domains):
        problems.append(f"{label}: 'allowed_domains' must be a list of host names")
        domains = []
    schedule = entry.get("schedule")
    if schedule is not None and (not isinstance(schedule, str) or not croniter.is_valid(schedule)):
        problems.append(
            f"{label}: 'schedule' {schedule!r} is not a valid cron expression (e.g. '*/30 * * * *')"
        )
    settings = entry.get("settings", {})
    if not isinstance(settings, dict):
        problems.append(f"{label}: 'settings' must be a table of Scrapy settings")
        settings = {}
    for key in settings:
        if not _SETTING_NAME.match(key):
            problems.append(
                f"{label}: settings key {key!r} is not a Scrapy setting name (UPPER_CASE)"
            )
    enabled = entry.get("enabled", True)
    if not isinstance(enabled, bool):
        problems.append(f"{label}: 'enabled' must be true or false")
    return Source(
        name=name, lang=lang, feeds=feeds, sitemaps=sitemaps, listings=tuple(listings),
        allowed_domains=tuple(domains), schedule=schedule, settings=dict(settings),
        enabled=bool(enabled), origin=label,
    )  # fmt: skip


def _with_base(url: str, base: str | None) -> str:
    return url.replace("{base}", base.rstrip("/")) if base else url


def _is_http(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def adhoc_source(*, feed: str | None = None, sitemap: str | None = None, url: str | None = None,
                 lang: str | None = None) -> Source:  # fmt: skip
    """A source for `newsfacts crawl --feed/--sitemap/--url`, named after the host."""
    given = feed or sitemap or url or ""
    if not _is_http(given):
        raise SourceError([f"{given!r} is not an http(s) URL"])
    host = urlsplit(given).hostname or "adhoc"
    return Source(
        name=f"adhoc-{host}", lang=lang, feeds=(feed,) if feed else (),
        sitemaps=(sitemap,) if sitemap else (), urls=(url,) if url else (), origin="command line",
    )  # fmt: skip
