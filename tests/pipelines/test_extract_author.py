"""Our author reading gives trafilatura's answer without copying or changing the page."""

from __future__ import annotations

import lxml.html
import pytest
from trafilatura.metadata import extract_author as trafilatura_author

from pipelines.extract_author import extract_author
from pipelines.extract_text import parse_html
from tests.conftest import SHARED

PAGES = {
    "byline with a date inside": (
        "<div class='byline'>By Jane Roe<time>Aug 1, 2024</time>, in Taipei</div>",
        "Jane Roe",
    ),
    "author in a sidebar, then one in the article": (
        "<div class='sidebar'><span class='author'>Sidebar Writer</span></div>"
        "<article><span class='author'>Li Wei</span><p>Text.</p></article>",
        "Li Wei",
    ),
    "author only among the comments": (
        "<div id='comments'><a rel='author'>Commenter Name</a></div><p>Story.</p>",
        None,
    ),
    "author name in a figure caption, then in the byline": (
        "<figure><span class='author-name'>Photo Credit</span></figure>"
        "<p class='author'>Zhang San</p>",
        "Zhang San",
    ),
    "Chinese editor line": ("<div class='bianji'>责任编辑：王五</div>", "王五"),
    "too long to be a name": (f"<span class='author'>{'word ' * 40}</span>", None),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_same_author_as_trafilatura_and_the_page_is_untouched(name: str) -> None:
    body, expected = PAGES[name]
    root = lxml.html.document_fromstring(f"<html><body>{body}</body></html>")
    before = lxml.html.tostring(root)
    ours = extract_author(root)
    assert lxml.html.tostring(root) == before
    assert ours == trafilatura_author(root)
    if expected is None:
        assert ours is None
    else:
        assert ours is not None and expected in ours
        assert "Sidebar" not in ours and "2024" not in ours and "Photo" not in ours


@pytest.mark.skipif(not (SHARED / "eval").is_dir(), reason="../shared/eval is not here")
def test_same_author_as_trafilatura_on_every_eval_page() -> None:
    from pipelines.evaluation.extraction import load_pages

    roots = [parse_html(page.html) for page in load_pages(SHARED)]
    roots = [root for root in roots if root is not None]
    found = [extract_author(root) for root in roots]
    assert found == [trafilatura_author(root) for root in roots]
    assert sum(1 for author in found if author) > 100  # the test reads real bylines
