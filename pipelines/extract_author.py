"""A page's author as trafilatura's `extract_author` reads it, without copying the page.

trafilatura copies the whole tree, deletes from the copy what may not hold an
author (comments, sidebars, dates, figures: `AUTHOR_DISCARD_XPATHS`), then
takes the first element its author XPaths find with a plausible text. The
copy and the deletion cost half of its millisecond a page. The same answer
comes from the page as it is: run the author XPaths on it, pass over an
element that is itself, or sits inside, something the deletion would remove,
and read an element's text from a pruned copy of that element alone when
something inside it would be removed (trafilatura's own pruning, so the text
joins around the gap as it would). When trafilatura's discard expressions no
longer have the shape this relies on, its own `extract_author` runs instead.
"""

from __future__ import annotations

from copy import deepcopy

from lxml import etree
from trafilatura import metadata
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.json_metadata import normalize_authors
from trafilatura.utils import trim
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

from pipelines.attribute_paths import AttributePaths

MAX_AUTHOR_CHARS = 120  # trafilatura's length limit for an author
REGEXP_NS = "http://exslt.org/regular-expressions"


def _axis_paths(path: str) -> tuple[str, str] | None:
    """`path` asked of one element: (itself or an ancestor matches, a descendant
    matches), for the two shapes trafilatura writes: `.//*[…]` and `//a|//b`."""
    path = path.strip()
    if path.startswith(".//*[") and path.count(".//") == 1:
        return "ancestor-or-self::*" + path[4:], path
    steps = path.split("|")
    if all(step.startswith("//") and step[2:].isidentifier() for step in steps):
        return (
            "|".join(f"ancestor-or-self::{step[2:]}" for step in steps),
            "|".join(f".//{step[2:]}" for step in steps),
        )
    return None


def _compile(paths: list[str]) -> etree.XPath:
    return etree.XPath("|".join(paths), namespaces={"re": REGEXP_NS})


_AXES = [_axis_paths(x.path) for x in AUTHOR_DISCARD_XPATHS]
if all(axes is not None for axes in _AXES):
    _DISCARDED = _compile([axes[0] for axes in _AXES if axes])
    _HOLDS_DISCARDED = _compile([axes[1] for axes in _AXES if axes])
else:  # pragma: no cover - a trafilatura release with other discard expressions
    _DISCARDED = _HOLDS_DISCARDED = None

# The author XPaths in one pass over the page (0.65 -> 0.27 ms a page), or as
# XPaths when a trafilatura release writes them in another shape.
_AUTHOR_PATHS = AttributePaths.parse([expression.path for expression in AUTHOR_XPATHS])


def _candidates(tree: etree._Element) -> list[list[etree._Element]]:
    if _AUTHOR_PATHS is None:  # pragma: no cover
        return [expression(tree) for expression in AUTHOR_XPATHS]
    return _AUTHOR_PATHS.select(tree)


def extract_author(tree: etree._Element) -> str | None:
    """The author trafilatura's `extract_author` finds on `tree`; `tree` is not changed."""
    if _DISCARDED is None or _HOLDS_DISCARDED is None:  # pragma: no cover
        return metadata.extract_author(tree)
    for candidates in _candidates(tree):
        for element in candidates:
            if _DISCARDED(element):
                continue  # the pruned page has no such element
            if _HOLDS_DISCARDED(element):
                element = prune_unwanted_nodes(deepcopy(element), AUTHOR_DISCARD_XPATHS)
            content = trim(" ".join(element.itertext()))
            if content and 2 < len(content) < MAX_AUTHOR_CHARS:
                return normalize_authors(None, content)
    return None
