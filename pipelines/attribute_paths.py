"""trafilatura's attribute XPaths answered in one Python pass over the page.

libxml2 spends about three microseconds an element on an expression such as
`//*[self::div or …][@class='byline' or re:test(@class, 'author|…')]`: each
`@name` test builds a node set, and each `re:test` calls back into Python.
Most elements carry no attribute value any of the expressions could accept, and
one regular expression per attribute name says so: only the few elements that
pass it are tested term by term.

`AttributePaths` reads expressions of the shape trafilatura writes (a union of
`//name` and `//*[self::a or self::b][term or term …]`, the terms `@a='v'`,
`contains(@a, 'v')`, `re:test(@a, 'pattern')` and `child='v'`) and answers
each with the elements it selects, in document order, as lxml would.
`AttributePaths.parse` returns None for any other shape, so a caller can keep
using the XPath itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

_NAME = r"[A-Za-z_][\w.-]*"
_LITERAL = r"'([^']*)'"
_TERMS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"@({_NAME})\s*=\s*{_LITERAL}"), "equals"),
    (re.compile(rf"contains\(\s*@({_NAME})\s*,\s*{_LITERAL}\s*\)"), "contains"),
    (re.compile(rf"re:test\(\s*@({_NAME})\s*,\s*{_LITERAL}\s*\)"), "search"),
    (re.compile(rf"({_NAME})\s*=\s*{_LITERAL}"), "child"),
]
_OR = r"\s+or\s+"
_SELF = re.compile(rf"self::({_NAME})")
_STRING_VALUE = etree.XPath("string()")


@dataclass(frozen=True)
class Term:
    """One test of a predicate: `kind` is equals, contains, search or child."""

    kind: str
    name: str  # the attribute's name, or the child element's for "child"
    value: str

    def holds(self, element: etree._Element) -> bool:
        if self.kind == "child":
            return any(
                child.tag == self.name and _STRING_VALUE(child) == self.value for child in element
            )
        found = element.get(self.name)
        if found is None:
            return False
        if self.kind == "equals":
            return found == self.value
        if self.kind == "contains":
            return self.value in found
        return re.search(self.value, found) is not None

    def may_hold(self) -> str:
        """A regular expression that every value this term accepts matches."""
        return self.value if self.kind == "search" else re.escape(self.value)


@dataclass(frozen=True)
class Step:
    """`//tag` (no terms) or `//*[self::…][term or …]` (tags None: any element)."""

    tags: frozenset[str] | None
    terms: tuple[Term, ...]

    def selects(self, element: etree._Element) -> bool:
        if self.tags is not None and element.tag not in self.tags:
            return False
        return not self.terms or any(term.holds(element) for term in self.terms)


@dataclass(frozen=True)
class AttributePaths:
    """Several expressions answered by one pass: `select(root)[i]` is what
    expression i selects in `root`'s document."""

    paths: tuple[tuple[Step, ...], ...]
    tags: frozenset[str]  # selected by name alone (`//name`)
    children: frozenset[str]  # named by a `child='v'` term
    screens: dict[str, re.Pattern[str]]  # attribute name: what its terms may accept

    @classmethod
    def parse(cls, expressions: Sequence[str]) -> AttributePaths | None:
        paths = []
        for expression in expressions:
            read = [_step(part) for part in _outside_quotes(r"\|", expression)]
            steps = [step for step in read if step is not None]
            if len(steps) < len(read):
                return None
            paths.append(tuple(steps))
        every = [step for path in paths for step in path]
        terms = [term for step in every for term in step.terms]
        screens = _screens([term for term in terms if term.kind != "child"])
        if screens is None:
            return None
        return cls(
            tuple(paths),
            frozenset(tag for step in every if not step.terms for tag in step.tags or ()),
            frozenset(term.name for term in terms if term.kind == "child"),
            screens,
        )

    def select(self, root: etree._Element) -> list[list[etree._Element]]:
        chosen: list[list[etree._Element]] = [[] for _ in self.paths]
        for element in self._maybe(root.getroottree()):
            for path, found in zip(self.paths, chosen, strict=True):
                if any(step.selects(element) for step in path):
                    found.append(element)
        return chosen

    def _maybe(self, tree: etree._ElementTree) -> list[etree._Element]:
        """The elements, in document order, that any step could select: a superset
        found with one regular-expression search per attribute present."""
        parents = {child.getparent() for name in self.children for child in tree.iter(name)}
        screens, tags = self.screens, self.tags
        maybe = []
        for element in tree.iter(etree.Element):
            if element.tag in tags or (parents and element in parents):
                maybe.append(element)
                continue
            for name, value in element.items():
                screen = screens.get(name)
                if screen is not None and screen.search(value):
                    maybe.append(element)
                    break
        return maybe


def _screens(terms: list[Term]) -> dict[str, re.Pattern[str]] | None:
    """Per attribute name, one expression matching every value its terms accept;
    None when a pattern does not compile or accepts "" (XPath tests a missing
    attribute as "": such a term would select every element)."""
    screens: dict[str, re.Pattern[str]] = {}
    try:
        if any(term.kind == "search" and re.search(term.value, "") for term in terms):
            return None
        for name in sorted({term.name for term in terms}):
            alternatives = (f"(?:{term.may_hold()})" for term in terms if term.name == name)
            screens[name] = re.compile("|".join(alternatives))
    except re.error:
        return None
    return screens


def _outside_quotes(separator: str, text: str) -> list[str]:
    """`text` split at `separator` wherever it is not inside a '…' literal."""
    return re.split(rf"{separator}(?=(?:[^']*'[^']*')*[^']*$)", text)


def _step(text: str) -> Step | None:
    text = text.strip()
    if re.fullmatch(rf"//{_NAME}", text):
        return Step(frozenset({text[2:]}), ())
    shape = re.fullmatch(r"//\*\s*(?:\[([^\[\]']*)\]\s*)?\[(.*)\]", text, re.DOTALL)
    if shape is None:
        return None
    tags = None
    if shape[1] is not None:
        names = [_SELF.fullmatch(part) for part in _outside_quotes(_OR, shape[1].strip())]
        if not all(names):
            return None
        tags = frozenset(name[1] for name in names if name)
    terms = [_term(part) for part in _outside_quotes(_OR, shape[2].strip())]
    if any(term is None for term in terms):
        return None
    return Step(tags, tuple(term for term in terms if term is not None))


def _term(text: str) -> Term | None:
    for pattern, kind in _TERMS:
        found = pattern.fullmatch(text)
        if found:
            return Term(kind, found[1], found[2])
    return None
