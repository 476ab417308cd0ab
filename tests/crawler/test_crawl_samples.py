"""The real spider over the bundled sample sites, served on 127.0.0.1: feeds, sitemaps, listings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.localsite import serve_folder
from tests.conftest import GOLDEN, SAMPLES, run_cli
from tests.crawler.conftest import crawl, rows

FAST = ["-s", "AUTOTHROTTLE_ENABLED=false", "-s", "DOWNLOAD_DELAY=0"]


def gold_paths() -> set[str]:
    paths = set()
    for lang in ("zh", "en", "ja"):
        for line in (GOLDEN / f"sample_corpus_{lang}.jsonl").read_text("utf-8").splitlines():
            paths.add(json.loads(line)["path"])
    return paths


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("samples")
    db = folder / "samples.db"
    with serve_folder(SAMPLES) as base:
        sources = folder / "sources.toml"
        sources.write_text(
            (SAMPLES.parent / "sources.toml").read_text("utf-8").replace("{base}", base)
        )
        first, _ = crawl(db, "--all", "--sources", str(sources), *FAST)
        second, _ = crawl(db, "--all", "--sources", str(sources), *FAST)
    return base, db, first, second


def test_every_sample_article_is_stored_once(crawled):
    base, db, first, _ = crawled
    assert first.returncode == 0, first.stderr
    docs = rows(db, "SELECT * FROM documents")
    stored = {d["url"].removeprefix(base + "/") for d in docs}
    assert stored == gold_paths()
    assert {d["lang"] for d in docs} == {"zh", "en", "ja"}
    assert all(d["title"] and d["published_at"] and len(d["text"]) > 300 for d in docs)
    assert all(d["source"] for d in docs)
    assert len(rows(db, "SELECT * FROM raw_pages")) == len(docs)
    assert {r["state"] for r in rows(db, "SELECT state FROM frontier")} == {"done"}


def test_each_source_gets_a_run_record(crawled):
    _, db, _, _ = crawled
    runs = rows(db, "SELECT * FROM runs WHERE command = 'crawl' ORDER BY id")
    assert len(runs) == 24  # 12 sources, two crawls
    first = runs[:12]
    assert all(r["status"] == "ok" and r["finished_at"] for r in first)
    assert sum(json.loads(r["counts"])["new"] for r in first) == len(gold_paths())


def test_recrawl_of_unchanged_sites_stores_nothing_new(crawled):
    _, db, _, second = crawled
    assert second.returncode == 0, second.stderr
    runs = rows(db, "SELECT * FROM runs WHERE command = 'crawl' ORDER BY id")[12:]
    counts = [json.loads(r["counts"]) for r in runs]
    assert sum(c.get("new", 0) + c.get("changed", 0) for c in counts) == 0
    # listings are asked again with If-Modified-Since and answered 304
    assert sum(c.get("not_modified", 0) for c in counts) >= 3
    assert len(rows(db, "SELECT * FROM documents")) == len(gold_paths())


def test_claims_from_crawled_pages_are_queryable(crawled):
    _, db, _, _ = crawled
    result = run_cli("query", "--db", str(db), "--entity", "輝達", "--format", "json")
    found = json.loads(result.stdout)
    assert {r["lang"] for r in found} >= {"zh", "en"}


def test_since_skips_older_feed_and_sitemap_entries(tmp_path):
    db = tmp_path / "since.db"
    with serve_folder(SAMPLES) as base:
        sources = tmp_path / "sources.toml"
        sources.write_text(
            (SAMPLES.parent / "sources.toml").read_text("utf-8").replace("{base}", base)
        )
        result, _ = crawl(
            db, "36kr", "reuters-tech", "--since", "2030-01-01", "--sources", str(sources), *FAST
        )
    assert result.returncode == 0, result.stderr
    assert rows(db, "SELECT count(*) AS n FROM documents")[0]["n"] == 0


def test_reextract_redoes_documents_from_stored_pages(crawled, tmp_path):
    _, db, _, _ = crawled
    copy = tmp_path / "copy.db"
    copy.write_bytes(Path(db).read_bytes())
    before = rows(copy, "SELECT count(*) AS n FROM claims")[0]["n"]
    result = run_cli("reextract", "--all", "--source", "36kr", "--db", str(copy))
    assert result.returncode == 0, result.stderr
    assert "3 documents" in result.stderr
    assert rows(copy, "SELECT count(*) AS n FROM claims")[0]["n"] == before
    run = rows(copy, "SELECT * FROM runs WHERE command = 'reextract'")[0]
    assert run["status"] == "ok"


def test_adhoc_feed_and_url(tmp_path):
    db = tmp_path / "adhoc.db"
    with serve_folder(SAMPLES) as base:
        feed, _ = crawl(db, "--feed", f"{base}/36kr/feed.xml", "--lang", "zh", *FAST)
        listing, _ = crawl(db, "--url", f"{base}/eetimes/index.html", *FAST)
    assert feed.returncode == 0 and listing.returncode == 0, feed.stderr + listing.stderr
    docs = rows(db, "SELECT url, source, lang FROM documents")
    assert len([d for d in docs if "/36kr/p/" in d["url"]]) == 3
    assert len([d for d in docs if "/eetimes/" in d["url"]]) == 3
    assert {d["source"] for d in docs} == {"adhoc-127.0.0.1"}


def test_unknown_source_is_named(tmp_path):
    result = run_cli("crawl", "nosuchsite", "--db", str(tmp_path / "x.db"))
    assert result.returncode == 2 and "nosuchsite" in result.stderr and "36kr" in result.stderr
