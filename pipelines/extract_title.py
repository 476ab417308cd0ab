"""The headline of a page: the visible <h1> when the metadata agrees with it.

trafilatura takes og:title / <meta> first. That is often the social-media
headline or carries the site name ("… | The Japan Times", "…_光明网"), while
readers (and every gold set we have) take the headline printed on the page.
So the <h1> wins when the metadata title or <title> starts with it (the rest
being a site name after a separator) or, failing that, ends with it after a
separator ("NEWS WEB EASY|…"), or when it is the page's only <h1> and is not
the site's name; otherwise the metadata title, without a trailing site name.
When the metadata title is the <h1> without its kicker or subtitle, the
metadata title wins.
"""

from __future__ import annotations

import re
import unicodedata

from lxml import etree

MAX_TITLE_CHARS = 300
MIN_HEADLINE_CHARS = 4
# What separates a headline from the site name in a <title>.
SEPARATORS = ("|", "-", "–", "—", "_", "·", "::", "»", ":", "/", "｜", "－", "—")
_SEPARATOR_AFTER = re.compile(r"\s*(?:\||-|–|—|_|·|::|»|｜|－)")


_DASHES = str.maketrans("–—－", "---")


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).translate(_DASHES).split()).casefold()


def visible_text(element: etree._Element) -> str:
    """The element's text without ruby readings, scripts and styles."""
    return _collapse("".join(str(part) for part in _VISIBLE_TEXT(element)))


_VISIBLE_TEXT = etree.XPath(
    ".//text()[not(ancestor::rt) and not(ancestor::rp) "
    "and not(ancestor::script) and not(ancestor::style)]"
)


_SPACES = re.compile(r"[^\S\u3000]+")


def _collapse(text: str) -> str:
    """Runs of whitespace as one space, but the ideographic space Japanese headlines
    use between phrases kept as it is."""
    return _SPACES.sub(" ", text).strip()


def headlines(root: etree._Element) -> list[str]:
    """The non-empty <h1> texts of the page, in order."""
    found = []
    for element in root.iter("h1"):
        text = visible_text(element)
        if MIN_HEADLINE_CHARS <= len(text) <= MAX_TITLE_CHARS:
            found.append(text)
    return found


def _starts_title(headline: str, title: str) -> bool:
    """`title` is `headline`, or `headline` followed by a separator and more."""
    head, full = _normal(headline), _normal(title)
    if not full.startswith(head):
        return False
    return len(full) == len(head) or bool(_SEPARATOR_AFTER.match(full, len(head)))


def _ends_title(headline: str, title: str) -> bool:
    """`title` is a site name, a separator and `headline` ("NEWS WEB EASY|…")."""
    head, full = _normal(headline), _normal(title)
    if len(full) <= len(head) or not full.endswith(head):
        return False
    return full[: -len(head)].rstrip().endswith(SEPARATORS)


def _inside_headline(title: str, headline: str) -> bool:
    """The <h1> is the title plus a kicker or a subtitle printed in the same element."""
    short, long = _normal(title), _normal(headline)
    return len(short) >= MIN_HEADLINE_CHARS and short != long and short in long


def _is_site_name(headline: str, site_name: str | None) -> bool:
    """The only <h1> is the site's logo ("WordPress.com", "Four Years Remaining")."""
    return bool(site_name) and _normal(headline) == _normal(site_name or "")


def page_title(
    root: etree._Element, meta_title: str | None, title_tag: str | None, site_name: str | None
) -> str | None:
    """The page's headline (see the module docstring)."""
    titles = [t for t in (meta_title, title_tag) if t]
    found = headlines(root)
    if meta_title and any(_inside_headline(meta_title, headline) for headline in found):
        return strip_site_name(meta_title, site_name)
    for headline in found:
        if any(_starts_title(headline, title) for title in titles):
            return headline
    for headline in found:
        if any(_ends_title(headline, title) for title in titles) and not _is_site_name(
            headline, site_name
        ):
            return headline
    if len(set(found)) == 1 and not _is_site_name(found[0], site_name):
        return found[0]
    if meta_title:
        return strip_site_name(meta_title, site_name)
    return strip_site_name(title_tag, site_name) if title_tag else None


def strip_site_name(title: str, site_name: str | None) -> str:
    """`title` without a trailing separator and `site_name`."""
    title = _collapse(title)
    if not site_name:
        return title
    name = " ".join(site_name.split())
    if not name or not title.endswith(name) or len(title) <= len(name):
        return title
    head = title[: -len(name)].rstrip()
    for separator in SEPARATORS:
        if head.endswith(separator):
            stripped = head[: -len(separator)].rstrip()
            return stripped or title
    return title
