"""AttributePaths selects what lxml's XPath selects, and declines shapes it cannot read."""

from __future__ import annotations

import random

import lxml.html
import pytest
from lxml import etree
from trafilatura.xpaths import AUTHOR_XPATHS

from pipelines.attribute_paths import AttributePaths
from pipelines.extract_text import parse_html
from tests.conftest import SHARED

REGEXP = {"re": "http://exslt.org/regular-expressions"}
EXPRESSIONS = [
    "//*[self::div or self::span][@class='byline' or contains(@itemprop, 'author')]|//author",
    "//*[re:test(@id, '^hd|zuozhe') or re:test(@class, '[Aa]uthor|writer')]",
    "//*[self::p][rel='me' or @data-testid='Card']",
    "//*[@title='x or y' or contains(@title, 'a|b')]",
]


def xpath_answer(expressions: list[str], root: etree._Element) -> list[list[etree._Element]]:
    return [etree.XPath(expression, namespaces=REGEXP)(root) for expression in expressions]


def random_page(rng: random.Random) -> etree._Element:
    """A page of nested elements whose tags, attributes and texts are drawn from
    near misses and hits of the expressions above."""
    tags = ["div", "span", "p", "a", "author", "section", "rel", "h3"]
    values = {
        "class": ["byline", "Byline", "byline x", "author", "mAuthor", "writer", "", "nav"],
        "id": ["hd", "xhd", "zuozhe", "author", ""],
        "itemprop": ["author", "author name", "name", ""],
        "data-testid": ["Card", "card", ""],
        "title": ["x or y", "a|b", "xa|b", "x"],
    }
    root = etree.Element("html")
    open_elements = [root]
    for _ in range(rng.randrange(5, 60)):
        element = etree.SubElement(rng.choice(open_elements), rng.choice(tags))
        for name in rng.sample(list(values), rng.randrange(0, 3)):
            element.set(name, rng.choice(values[name]))
        element.text = rng.choice(["me", "m", "", "Jane Roe"])
        if rng.random() < 0.2:
            element.append(etree.Comment("note"))
        open_elements.append(element)
    return root


def test_same_elements_as_xpath_on_random_pages() -> None:
    paths = AttributePaths.parse(EXPRESSIONS)
    assert paths is not None
    rng = random.Random(7)
    selected = 0
    for _ in range(400):
        root = random_page(rng)
        ours = paths.select(root)
        assert ours == xpath_answer(EXPRESSIONS, root)
        selected += sum(len(found) for found in ours)
    assert selected > 1000  # the pages do hit the expressions


def test_a_term_about_a_child_reads_its_whole_text() -> None:
    root = lxml.html.document_fromstring(
        "<div><p>a<rel>m<b>e</b></rel></p><p><rel>me </rel></p></div>"
    )
    paths = AttributePaths.parse(["//*[self::p][rel='me']"])
    assert paths is not None
    assert paths.select(root) == xpath_answer(["//*[self::p][rel='me']"], root)
    assert len(paths.select(root)[0]) == 1


@pytest.mark.parametrize(
    "expression",
    [
        "//div[@class='x']",  # a named step with a predicate
        "//*[starts-with(@class, 'a')]",  # a function it does not know
        "//*[@class='a' and @id='b']",
        "//*[re:test(@class, 'a*')]",  # matches "", so XPath would select everywhere
        "//*[re:test(@class, '(')]",  # not a regular expression
        ".//*[@class='a']",
    ],
)
def test_declines_what_it_cannot_read(expression: str) -> None:
    assert AttributePaths.parse(["//*[@class='a']", expression]) is None


def test_trafilatura_author_expressions_are_read() -> None:
    assert AttributePaths.parse([expression.path for expression in AUTHOR_XPATHS]) is not None


@pytest.mark.skipif(not (SHARED / "eval").is_dir(), reason="../shared/eval is not here")
def test_same_author_candidates_as_trafilatura_on_every_eval_page() -> None:
    from pipelines.evaluation.extraction import load_pages

    paths = AttributePaths.parse([expression.path for expression in AUTHOR_XPATHS])
    assert paths is not None
    roots = [parse_html(page.html) for page in load_pages(SHARED)]
    found = 0
    for root in roots:
        if root is None:
            continue
        ours = paths.select(root)
        assert ours == [expression(root) for expression in AUTHOR_XPATHS]
        found += sum(1 for elements in ours if elements)
    assert found > 300
