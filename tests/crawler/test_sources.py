"""The source list: the shipped one is valid; mistakes are reported with file, entry and field."""

from __future__ import annotations

import pytest

from crawler.sources import SourceError, load_sources
from tests.conftest import run_cli


def test_shipped_list_has_real_chinese_and_english_sources():
    sources = load_sources()
    assert len(sources) >= 8
    langs = {s.lang for s in sources.values()}
    assert {"zh", "en"} <= langs
    for source in sources.values():
        assert source.schedule and source.seed_urls()
        assert all(url.startswith("https://") for url in source.seed_urls())


BAD = """
[[source]]
name = "ok-one"
feeds = ["https://example.com/rss"]

[[source]]
name = "broken"
lang = "fr"
feeds = ["htp://example.com/rss"]
listings = [{ url = "https://example.com/", article_pattern = "([unclosed" }]
schedule = "every five minutes"
settings = { download_delay = 2 }
colour = "blue"

[[source]]
name = "empty"
"""


def test_every_problem_is_reported_with_its_place(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(BAD)
    with pytest.raises(SourceError) as caught:
        load_sources([path])
    problems = "\n".join(caught.value.problems)
    assert f"{path}: source #2 ('broken'): 'lang' must be one of zh, en, ja (got 'fr')" in problems
    assert "feeds[0] 'htp://example.com/rss' is not an http(s) URL" in problems
    assert "article_pattern '([unclosed' is not a valid regular expression" in problems
    assert "'schedule' 'every five minutes' is not a valid cron expression" in problems
    assert "settings key 'download_delay' is not a Scrapy setting name" in problems
    assert "unknown key 'colour'" in problems
    assert "source #3 ('empty'): give at least one of 'feeds', 'sitemaps' or 'listings'" in problems
    assert "ok-one" not in problems


def test_user_file_overrides_a_shipped_source(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(
        '[[source]]\nname = "36kr"\nlang = "zh"\nfeeds = ["https://mirror.example/36kr.xml"]\n'
    )
    sources = load_sources([path])
    assert sources["36kr"].feeds == ("https://mirror.example/36kr.xml",)
    assert "reuters-tech" in sources


def test_check_command(tmp_path):
    good = run_cli("sources", "check")
    assert good.returncode == 0 and "ok:" in good.stdout
    path = tmp_path / "bad.toml"
    path.write_text(BAD)
    bad = run_cli("sources", "check", str(path))
    assert bad.returncode == 2 and "'lang' must be one of" in bad.stderr
    broken = tmp_path / "broken.toml"
    broken.write_text("[[source]\nname=")
    result = run_cli("sources", "check", str(broken))
    assert result.returncode == 2 and "not valid TOML" in result.stderr


def test_list_command():
    result = run_cli("sources", "list")
    assert result.returncode == 0
    names = [line.split("\t")[0] for line in result.stdout.splitlines()]
    assert "36kr" in names and "reuters-tech" in names
