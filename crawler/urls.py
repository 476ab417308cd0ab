"""Canonical URLs: one article, one key, however it was linked.

Tracking parameters (utm_*, spm, from, share…) go, `m.`/`wap.`/`www.` host
prefixes go, print and AMP variants fold into the article, fragments go, and
the query is sorted. The page's own <link rel="canonical"> is preferred when
it points to the same site (see `choose_canonical`).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

TRACKING_PARAMS = re.compile(
    r"^(?:utm_\w+|spm|scm|from|source|src|ref|ref_src|share|share_token|shareid|fbclid|gclid|"
    r"mc_cid|mc_eid|igshid|cmpid|ncid|taid|ito|at_medium|at_campaign|yclid|_ga|wt_mc|"
    r"tt_from|tt_medium|utm|isappinstalled|timestamp|wfr|wxshare_count|sharer_shareid|print|"
    r"output|amp|outputType)$",
    re.I,
)
_HOST_PREFIX = re.compile(r"^(?:www\d?|m|wap|mobile|amp|3g)\.", re.I)
_PRINT_PATH = re.compile(r"(?:/print|/amp|/printable)(?=/|$)|[_-]print(?=\.html?$)", re.I)


def canonical_url(url: str) -> str:
    """The key an article is stored under (scheme and host lower-case, no tracking).

    Links come from pages: a string that is no URL we can read (a port out of
    range, a broken IPv6 host, text that is not valid Unicode) is its own key,
    stripped, instead of an exception that would stop the crawl of the page."""
    try:
        return _canonical(url)
    except ValueError:  # UnicodeError included
        return url.strip()


def _canonical(url: str) -> str:
    parts = urlsplit(url.strip())
    scheme = (parts.scheme or "http").lower()
    host = (parts.hostname or "").lower()
    host = _HOST_PREFIX.sub("", host)
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = _PRINT_PATH.sub("", parts.path) or "/"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not TRACKING_PARAMS.match(k)
    ]
    rebuilt = urlunsplit((scheme, host, path, urlencode(sorted(query)), ""))
    return canonicalize_url(rebuilt, keep_fragments=False)


def same_site(a: str, b: str) -> bool:
    """Same registered host once www./m. prefixes are ignored (ports must match)."""
    return site_of(a) == site_of(b)


def site_of(url: str) -> str:
    """Host and port without www./m.; "" for a URL that cannot be read."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    host = _HOST_PREFIX.sub("", (parts.hostname or "").lower())
    return f"{host}:{port}" if port else host


def choose_canonical(fetched_url: str, declared: str | None) -> str:
    """The page's declared canonical URL when it stays on the same site, else ours."""
    if (
        declared
        and declared.startswith(("http://", "https://"))
        and same_site(fetched_url, declared)
    ):
        return canonical_url(declared)
    return canonical_url(fetched_url)
