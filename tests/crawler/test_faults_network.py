"""Rows N1–N16 of ../shared/spec/reliability.md: a misbehaving site, crawled for real.

One crawl (in a subprocess, against a server on 127.0.0.1) covers every page
fault; each row has its own test over the resulting database. robots.txt
failures (N15) need a host of their own and get their own crawls.
"""

from __future__ import annotations

import pytest

from tests.crawler.conftest import crawl, rows, write_sources
from tests.crawler.faultserver import (
    FaultSite,
    article,
    bomb,
    drip,
    flaky,
    hang_after_headers,
    html,
    huge,
    no_response,
    pdf_as_html,
    png_as_html,
    raw,
    redirect,
    reset_mid_body,
    send,
    serve,
    too_many_requests,
)  # fmt: skip

SETTINGS = ["-s", "DOWNLOAD_TIMEOUT=3", "-s", "RETRY_TIMES=2", "-s", "AUTOTHROTTLE_ENABLED=false",
            "-s", "DOWNLOAD_DELAY=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16"]  # fmt: skip
GOOD = article("Nvidia margin holds", "Nvidia gross margin was 75.1% in the second quarter.")
ZH = article("英伟达毛利率", "英伟达第二财季毛利率为75.1%，营收为300.4亿美元，同比增长122%。" * 3)

N13_URLS = ["/n/n13-story.html?utm_source=feed", "/n/n13-story.html?from=wx&utm_medium=social",
            "/print/n/n13-story.html"]  # fmt: skip


def build_site() -> FaultSite:
    site = FaultSite()
    r = site.routes
    r["/n/good-1.html"] = html(GOOD)
    r["/n/n1-flaky.html"] = flaky(
        site, "n1", 2, article("Flaky", "AMD revenue rose 9% to $5.8 billion.")
    )
    r["/n/n2-always500.html"] = html("broken", 500)
    r["/n/n2-429.html"] = too_many_requests(
        site, "n2", 2, article("Busy", "TSMC revenue rose 45% in July.")
    )
    r["/n/n3-hang.html"] = hang_after_headers
    r["/n/n3-silent.html"] = no_response
    r["/n/n4-drip.html"] = drip
    r["/n/n5-reset.html"] = reset_mid_body
    r["/n/n6-loop-a.html"] = redirect("/n/n6-loop-b.html")
    r["/n/n6-loop-b.html"] = redirect("/n/n6-loop-a.html")
    r["/n/n7-huge.html"] = huge
    for encoding in ("gzip", "br", "deflate"):
        r[f"/n/n8-{encoding}.html"] = bomb(encoding)
    r["/n/n9-gbk.html"] = raw(
        ZH.replace("utf-8", "utf-8").encode("gbk"), "text/html; charset=utf-8"
    )
    r["/n/n10-gb18030.html"] = raw(
        ZH.replace('<meta charset="utf-8">', "").encode("gb18030"), "text/html"
    )
    r["/n/n11-nul.html"] = raw(
        GOOD.replace("Analysts expect", "Analysts\x00 expect").encode(), "text/html; charset=utf-8"
    )
    r["/n/n12-pdf.html"] = pdf_as_html
    r["/n/n12-png.html"] = png_as_html
    for url in N13_URLS:
        r[url] = html(
            article("One story, three addresses", "Samsung HBM share reached 42% this year.")
        )
    r["/n/n14-open.html"] = html(article("Open", "Intel cut 15% of its workforce."))
    r["/private/n/n14-secret.html"] = html(article("Secret", "Should never be fetched."))
    r["/n/n16-empty.html"] = lambda h: send(h, 200, b"")
    r["/n/n16-malformed.html"] = html("<html><body><div><p><<<>>> <tr>")
    links = "".join(
        f'<a href="{path}">{path}</a>\n'
        for path in r
        if path.startswith(("/n/", "/print/", "/private/"))
    )
    r["/index.html"] = html(f"<html><body>{links}</body></html>")
    return site


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    folder = tmp_path_factory.mktemp("faults")
    site = build_site()
    with serve(site):
        sources = write_sources(
            folder / "sources.toml",
            f'''
[[source]]
name = "faults"
lang = "en"
listings = [{{ url = "{site.base}/index.html", article_pattern = "/n/n|/n/good" }}]
''',
        )
        db = folder / "faults.db"
        result, rss = crawl(db, "faults", "--sources", str(sources), *SETTINGS)
    return site, db, result, rss


def frontier(db, path: str) -> dict:
    found = [
        r
        for r in rows(db, "SELECT * FROM frontier")
        if r["url"].endswith(path) or r["fetch_url"].endswith(path)
    ]
    assert found, f"no frontier row for {path}"
    return found[0]


def documents_for(db, path: str) -> list[dict]:
    return rows(db, "SELECT d.* FROM documents d JOIN document_urls u ON u.document_id = d.id "
                    "WHERE u.url LIKE ?", "%" + path + "%")  # fmt: skip


def test_crawl_finishes_and_reports_failures(faulty):
    _site, db, result, _ = faulty
    assert result.returncode == 1, result.stderr  # some pages failed
    assert "failed" in result.stderr
    assert documents_for(db, "/n/good-1.html"), "the crawl went on past the faults"
    run = rows(db, "SELECT * FROM runs WHERE command = 'crawl'")[0]
    assert run["status"] == "partial" and run["finished_at"]


def test_N1_500_twice_then_200_is_retried_and_stored_once(faulty):
    site, db, _, _ = faulty
    assert site.count("/n/n1-flaky.html") == 3
    assert len(documents_for(db, "/n/n1-flaky.html")) == 1
    assert frontier(db, "/n/n1-flaky.html")["state"] == "done"


def test_N2_500_forever_gives_a_failed_row_after_bounded_retries(faulty):
    site, db, _, _ = faulty
    assert site.count("/n/n2-always500.html") == 3  # one try + RETRY_TIMES=2
    row = frontier(db, "/n/n2-always500.html")
    assert row["state"] == "failed" and row["http_status"] == 500
    assert not documents_for(db, "/n/n2-always500.html")


def test_N2_429_retry_after_is_honoured(faulty):
    site, db, _, _ = faulty
    first, second = site.times("/n/n2-429.html")[:2]
    assert second - first >= 1.9
    assert len(documents_for(db, "/n/n2-429.html")) == 1


@pytest.mark.parametrize("path", ["/n/n3-hang.html", "/n/n3-silent.html"])
def test_N3_no_response_times_out_is_retried_then_fails(faulty, path):
    site, db, _, _ = faulty
    assert site.count(path) == 3
    row = frontier(db, path)
    assert row["state"] == "failed" and "Timeout" in row["error"]
    assert not documents_for(db, path)


def test_N4_slow_drip_is_aborted_without_a_partial_row(faulty):
    _site, db, _, _ = faulty
    row = frontier(db, "/n/n4-drip.html")
    assert row["state"] == "failed"
    assert not documents_for(db, "/n/n4-drip.html")
    assert not rows(db, "SELECT * FROM raw_pages WHERE url LIKE '%n4-drip%'")


def test_N5_reset_mid_body_is_retried_and_never_stored(faulty):
    site, db, _, _ = faulty
    assert site.count("/n/n5-reset.html") >= 2
    assert frontier(db, "/n/n5-reset.html")["state"] == "failed"
    assert not documents_for(db, "/n/n5-reset.html")


def test_N6_redirect_loop_stops_and_is_recorded(faulty):
    site, db, _, _ = faulty
    # both legs are listed; each chain stops after REDIRECT_MAX_TIMES=5 redirects
    assert site.count("/n/n6-loop-a.html") + site.count("/n/n6-loop-b.html") <= 12
    row = frontier(db, "/n/n6-loop-a.html")
    assert row["state"] == "failed" and "redirect" in row["error"]


def test_N7_a_40MB_page_is_refused(faulty):
    _site, db, _, _rss = faulty
    row = frontier(db, "/n/n7-huge.html")
    assert row["state"] == "failed" and "size" in row["error"]
    assert not documents_for(db, "/n/n7-huge.html")


@pytest.mark.parametrize("encoding", ["gzip", "br", "deflate"])
def test_N8_decompression_bombs_are_aborted_and_memory_stays_low(faulty, encoding):
    _site, db, _, rss = faulty
    path = f"/n/n8-{encoding}.html"
    assert frontier(db, path)["state"] == "failed"
    assert not documents_for(db, path)
    assert rss < 900, f"peak RSS {rss:.0f} MB: a 200 MB bomb was inflated"


def test_N9_gbk_body_labelled_utf8_is_decoded(faulty):
    _, db, _, _ = faulty
    doc = documents_for(db, "/n/n9-gbk.html")[0]
    assert "英伟达第二财季毛利率为75.1%" in doc["text"] and doc["replacement_share"] == 0


def test_N10_gb18030_without_any_charset_is_decoded(faulty):
    _, db, _, _ = faulty
    doc = documents_for(db, "/n/n10-gb18030.html")[0]
    assert "营收为300.4亿美元" in doc["text"] and "\ufffd" not in doc["text"]


def test_N11_nul_bytes_are_dropped_and_the_text_after_them_kept(faulty):
    _, db, _, _ = faulty
    doc = documents_for(db, "/n/n11-nul.html")[0]
    assert "\x00" not in doc["text"] and "expect demand to stay strong" in doc["text"]


def test_N12_pdf_served_as_html_goes_to_the_pdf_reader(faulty):
    _, db, _, _ = faulty
    doc = documents_for(db, "/n/n12-pdf.html")[0]
    assert "gross margin was 75.1 percent" in doc["text"]
    claims = rows(db, "SELECT * FROM claims WHERE document_id = ?", doc["id"])
    assert any(c["metric"] == "gross_margin" for c in claims)


def test_N12_image_served_as_html_is_rejected(faulty):
    _, db, _, _ = faulty
    row = frontier(db, "/n/n12-png.html")
    assert row["state"] == "failed" and "binary" in row["error"]
    assert not documents_for(db, "/n/n12-png.html")


def test_N13_one_article_at_three_urls_is_one_document_with_three_aliases(faulty):
    site, db, _, _ = faulty
    docs = {d["id"] for url in N13_URLS for d in documents_for(db, url)}
    assert len(docs) == 1
    aliases = {
        r["url"]
        for r in rows(db, "SELECT url FROM document_urls WHERE document_id = ?", docs.pop())
    }
    assert {site.base + u for u in N13_URLS} <= aliases
    assert sum(site.count(u) for u in N13_URLS) == 1  # fetched once


def test_N14_robots_disallowed_path_is_never_requested(faulty):
    site, db, _, _ = faulty
    assert site.count("/private/n/n14-secret.html") == 0
    assert frontier(db, "/private/n/n14-secret.html")["state"] == "forbidden"
    assert documents_for(db, "/n/n14-open.html")


@pytest.mark.parametrize("path", ["/n/n16-empty.html", "/n/n16-malformed.html"])
def test_N16_empty_or_malformed_html_is_a_failure_row_and_the_crawl_goes_on(faulty, path):
    _, db, _, _ = faulty
    row = frontier(db, path)
    assert row["state"] == "failed" and row["error"]
    assert not documents_for(db, path)


def robots_host(robots) -> FaultSite:
    site = FaultSite(robots=robots)
    site.routes["/index.html"] = html('<a href="/n/n15-a.html">a</a><a href="/n/n15-b.html">b</a>')
    site.routes["/n/n15-a.html"] = html(GOOD)
    return site


@pytest.mark.parametrize(
    "robots",
    [lambda h: send(h, 503, b"down"), lambda h: __import__("time").sleep(10)],
    ids=["503", "timeout"],
)
def test_N15_unreadable_robots_txt_defers_the_host(tmp_path, robots):
    site = robots_host(robots)
    with serve(site):
        sources = write_sources(
            tmp_path / "s.toml",
            f'''
[[source]]
name = "robots"
listings = [{{ url = "{site.base}/index.html", article_pattern = "/n/" }}]
''',
        )
        result, _ = crawl(tmp_path / "r.db", "robots", "--sources", str(sources), *SETTINGS)
    assert {h.path for h in site.hits} == {"/robots.txt"}, [h.path for h in site.hits]
    assert result.returncode == 1 and "deferred" in result.stderr
    assert rows(tmp_path / "r.db", "SELECT count(*) AS n FROM documents")[0]["n"] == 0
