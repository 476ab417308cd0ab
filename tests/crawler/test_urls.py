"""Canonical URLs: tracking parameters, mobile and print variants fold into one key."""

from __future__ import annotations

import pytest

from crawler.urls import canonical_url, choose_canonical, same_site

KEY = "https://36kr.com/p/2926374015871"


@pytest.mark.parametrize(
    "url",
    [
        "https://36kr.com/p/2926374015871",
        "https://www.36kr.com/p/2926374015871",
        "https://m.36kr.com/p/2926374015871",
        "https://36kr.com/p/2926374015871?utm_source=weibo&utm_medium=social",
        "https://36kr.com/p/2926374015871?from=timeline&isappinstalled=0",
        "https://36kr.com/p/2926374015871#comments",
        "https://36kr.com/print/p/2926374015871",
        "https://36kr.com/p/2926374015871/amp",
        "HTTPS://36KR.COM/p/2926374015871",
    ],
)
def test_variants_share_one_key(url):
    assert canonical_url(url) == canonical_url(KEY)


def test_meaningful_parameters_are_kept_and_sorted():
    assert canonical_url("https://x.com/a?id=5&page=2&utm_source=x") == canonical_url(
        "https://x.com/a?page=2&id=5"
    )
    assert canonical_url("https://x.com/a?id=5") != canonical_url("https://x.com/a?id=6")


def test_declared_canonical_is_used_only_on_the_same_site():
    assert choose_canonical(
        "https://m.ithome.com/html/1.htm", "https://www.ithome.com/0/1.htm"
    ) == canonical_url("https://www.ithome.com/0/1.htm")
    assert choose_canonical("https://a.com/x", "https://evil.com/x") == canonical_url(
        "https://a.com/x"
    )
    assert same_site("https://www.a.com/1", "https://m.a.com/2")
