"""Crawl cost against its floors: a local site of N realistic pages on 127.0.0.1.

    python bench/crawl_bench.py --pages 10000 [--workers 0]

Measured in one run, on the same pages:

- network floor: a bare Scrapy spider that reads the sitemap and fetches every
  page, keeping nothing;
- ingest: `newsfacts ingest` of the same pages from disk (no network);
- crawl: `newsfacts crawl` of the site (fetch, frontier, raw pages, analysis);
- re-crawl: the same crawl again on the unchanged site (the sitemap's lastmod
  says nothing changed, so pages are not asked again).

The crawl machinery's own overhead is crawl / ingest; the target is ≤ 1.3×,
and the incremental re-crawl ≤ 5 % of the first crawl.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.corpus import build  # noqa: E402
from pipelines.localsite import serve_folder, write_sitemap  # noqa: E402

BARE_SPIDER = """
import sys, scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.utils.sitemap import Sitemap

class Bare(scrapy.Spider):
    name = "bare"
    start_urls = [sys.argv[1]]
    def parse(self, response):
        for entry in Sitemap(response.body):
            yield scrapy.Request(entry["loc"], callback=self.page)
    def page(self, response):
        pass

process = CrawlerProcess({"LOG_LEVEL": "ERROR", "ROBOTSTXT_OBEY": False, "CONCURRENT_REQUESTS": 16,
                          "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "TELNETCONSOLE_ENABLED": False})
process.crawl(Bare)
process.start()
"""
FAST = [
    "-s",
    "AUTOTHROTTLE_ENABLED=false",
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=16",
]


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command[:6])} … failed:\n{result.stderr[-2000:]}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    base_dir = args.keep or Path(tempfile.mkdtemp(prefix="nf-crawl-"))
    site = base_dir / f"site{args.pages}"
    if not site.exists():
        build(site, args.pages)
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    write_sitemap(site, pages, lastmod="2024-08-30T00:00:00+00:00")
    count = len(pages)
    env = {**os.environ, "NEWSFACTS_WORKERS": str(args.workers)}
    python = [sys.executable, "-m", "pipelines", "--quiet"]
    print(f"{count} pages; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")
    with serve_folder(site) as base:
        sources = base_dir / "sources.toml"
        sources.write_text(
            f'[[source]]\nname = "bench"\nsitemaps = ["{base}/sitemap.xml"]\n', encoding="utf-8"
        )
        bare = timed([sys.executable, "-c", BARE_SPIDER, f"{base}/sitemap.xml"], env)
        ingest_db, crawl_db = base_dir / "ingest.db", base_dir / "crawl.db"
        for stale in (ingest_db, crawl_db):  # a kept folder's databases from an earlier run
            for path in (stale, *(stale.with_name(stale.name + s) for s in ("-wal", "-shm"))):
                path.unlink(missing_ok=True)
        ingest = timed([*python, "ingest", str(site), "--db", str(ingest_db)], env)
        crawl_command = [*python, "crawl", "bench", "--sources", str(sources), "--sources-only",
                         "--db", str(crawl_db), *FAST]  # fmt: skip
        crawl = timed(crawl_command, env)
        again = timed(crawl_command, env)  # the unchanged site again
    print(f"  bare Scrapy fetch (network floor) {bare:8.1f} s  {count / bare:7.1f} pages/s")
    print(f"  newsfacts ingest from disk        {ingest:8.1f} s  {count / ingest:7.1f} pages/s")
    print(
        f"  newsfacts crawl                   {crawl:8.1f} s  {count / crawl:7.1f} pages/s  = {crawl / ingest:.2f} x ingest"
    )
    print(
        f"  re-crawl, site unchanged          {again:8.1f} s  = {again / crawl:.1%} of the first crawl"
    )


if __name__ == "__main__":
    main()
