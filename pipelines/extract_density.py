"""Main content of a CJK page by text, punctuation and link density (the CETD / GNE family).

Chinese portals of every era wrap the article in layout tables and seas of
link lists; trafilatura's element rules, tuned on Western markup, then keep
the whole page or only part of it. Here the page is read once as lines (one
per block element), each line scored by what prose has and menus lack:
full-width sentence punctuation, length, few link characters. A line's score
goes to the element that holds it and, less and less, to the elements above
(Readability's scheme), each container's total is discounted by its link
density, and the best container — with any sibling nearly as good — is the
article. Its lines are returned without the link lists and captions inside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

# Subtrees with no visible text.
INVISIBLE_TAGS = frozenset(
    "script style noscript template textarea select option button iframe svg canvas head "
    "title meta link object embed map area input rt rp".split()
)
# Subtrees with visible text that is never the article's.
NOISE_TAGS = frozenset("nav footer aside figcaption label".split())
# class / id words of containers that hold no article text (comments, related links, share bars).
NOISE_NAMES = frozenset(
    "comment comments comment-list commentlist reply replies related relate recommend "
    "recommended share sharing social breadcrumb breadcrumbs crumb sidebar side-bar "
    "footer nav navbar menu advert advertisement ads ad-box banner copyright "
    "hot-news hotnews rank ranking tags tag-list pagination pager caption".split()
)
# Elements that start a new line of text.
BLOCK_TAGS = frozenset(
    "p div br li ul ol dl dd dt h1 h2 h3 h4 h5 h6 tr td th table tbody thead tfoot section "
    "article header blockquote pre center form hr main figure figcaption address".split()
)
# Blocks that are one paragraph: their score goes to the container above them.
PARAGRAPH_TAGS = frozenset("p h1 h2 h3 h4 h5 h6 li dd dt pre blockquote figcaption address".split())
# Sentence punctuation of Chinese and Japanese prose (full-width).
PROSE_PUNCTUATION = "，。！？；：、“”"  # sentence marks; brackets and 《》 mark titles in lists too
_PUNCTUATION = re.compile(f"[{PROSE_PUNCTUATION}]")

MIN_LINE_CHARS = 10  # shorter lines neither make nor break a container
MAX_LINK_SHARE = 0.5  # a line with more of its text in links is navigation
ANCESTOR_SHARES = (1.0, 1 / 2, 1 / 6, 1 / 9, 1 / 12)  # Readability's dividers, by level
SIBLING_SHARE = 0.2  # a sibling scoring this share of the best joins it


@dataclass(slots=True)
class Line:
    """The text of one block, the element it sits in, and how much of it is links
    or sits in navigation, captions and comment boxes."""

    owner: etree._Element
    text: str = ""
    chars: int = 0
    link_chars: int = 0
    noise_chars: int = 0
    punctuation: int = 0

    @property
    def link_share(self) -> float:
        return self.link_chars / self.chars if self.chars else 0.0

    @property
    def is_noise(self) -> bool:
        return 2 * self.noise_chars > self.chars

    @property
    def score(self) -> float:
        """What the line says for its container: 0 for short lines, link lists and
        noise, else 1 + its sentence punctuation + up to 3 for its length."""
        if self.chars < MIN_LINE_CHARS or self.link_share > MAX_LINK_SHARE or self.is_noise:
            return 0.0
        return 1.0 + self.punctuation + min(self.chars / 100, 3.0)


def _visible_length(text: str) -> int:
    return len("".join(text.split()))


def is_invisible(element: etree._Element) -> bool:
    """Comments, scripts, styles, form controls: nothing a reader sees as text."""
    tag = element.tag
    return not isinstance(tag, str) or tag.lower() in INVISIBLE_TAGS


def is_noise(element: etree._Element) -> bool:
    """Navigation, captions, comment boxes, related-link lists: by tag or class/id words."""
    if element.tag.lower() in NOISE_TAGS:
        return True
    names = f"{element.get('class') or ''} {element.get('id') or ''}"
    if not names.strip():
        return False
    return any(word in NOISE_NAMES for word in names.lower().replace("_", "-").split())


# ---------------------------------------------------------------- reading the lines


@dataclass
class _LineReader:
    """Collects text into lines, a new line at every block boundary."""

    lines: list[Line] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    current: Line | None = None

    def add(self, text: str, owner: etree._Element, in_link: bool, in_noise: bool) -> None:
        length = _visible_length(text)
        if self.current is None:
            if not length:
                return
            self.current = Line(owner)
        self.parts.append(text)
        self.current.chars += length
        self.current.punctuation += len(_PUNCTUATION.findall(text))
        if in_link:
            self.current.link_chars += length
        if in_noise:
            self.current.noise_chars += length

    def flush(self) -> None:
        if self.current is not None:
            self.current.text = " ".join("".join(self.parts).split())
            self.lines.append(self.current)
        self.current = None
        self.parts.clear()


def page_lines(root: etree._Element) -> list[Line]:
    """Every line of visible text under `root`, in document order."""
    reader = _LineReader()
    for text, owner, in_link, in_noise in _events(root):
        if text is None:
            reader.flush()
        else:
            reader.add(text, owner, in_link, in_noise)
    reader.flush()
    return reader.lines


_Event = tuple[str | None, etree._Element, bool, bool]


def _events(root: etree._Element) -> Iterator[_Event]:
    """(text, owner, in_link, in_noise) in document order, and (None, …) at every block
    boundary; `owner` is the innermost block element around the text. No recursion:
    deep trees of unclosed tags are common."""
    stack = [(root, root, False, False, False)]
    while stack:
        node, owner, linked, noisy, closing = stack.pop()
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        block = tag in BLOCK_TAGS
        if closing:
            if block:
                yield (None, owner, False, False)
            if node is not root and node.tail:
                yield (node.tail, owner, linked, noisy)
            continue
        if node is not root and is_invisible(node):
            if node.tail:
                yield (node.tail, owner, linked, noisy)
            continue
        inner_owner = node if block else owner
        inner_link = linked or tag == "a"
        inner_noise = noisy or is_noise(node)
        if block:
            yield (None, owner, False, False)
        if node.text:
            yield (node.text, inner_owner, inner_link, inner_noise)
        stack.append((node, owner, linked, noisy, True))
        for child in reversed(node):
            stack.append((child, inner_owner, inner_link, inner_noise, False))


# ---------------------------------------------------------------- choosing the container


def _scored_containers(lines: list[Line]) -> dict[etree._Element, float]:
    """Each line's score spread over its container and the elements above it."""
    scores: dict[etree._Element, float] = {}
    for line in lines:
        score = line.score
        if not score:
            continue
        container = line.owner
        if isinstance(container.tag, str) and container.tag.lower() in PARAGRAPH_TAGS:
            container = container.getparent()
        for share in ANCESTOR_SHARES:
            if container is None:
                break
            scores[container] = scores.get(container, 0.0) + score * share
            container = container.getparent()
    return scores


def _link_density(lines: list[Line]) -> dict[etree._Element, float]:
    """Share of link characters in every element that holds text."""
    chars: dict[etree._Element, int] = {}
    links: dict[etree._Element, int] = {}
    for line in lines:
        element: etree._Element | None = line.owner
        while element is not None:
            chars[element] = chars.get(element, 0) + line.chars
            links[element] = links.get(element, 0) + line.link_chars
            element = element.getparent()
    return {element: links[element] / total for element, total in chars.items() if total}


def content_elements(lines: list[Line]) -> list[etree._Element]:
    """The article's container and the siblings that score nearly as well, in order."""
    scores = _scored_containers(lines)
    if not scores:
        return []
    density = _link_density(lines)
    final = {el: score * (1 - density.get(el, 0.0)) for el, score in scores.items()}
    best = max(final, key=final.__getitem__)
    parent = best.getparent()
    if parent is None:
        return [best]
    threshold = max(10.0, SIBLING_SHARE * final[best])
    return [el for el in parent if el is best or final.get(el, 0.0) >= threshold]


def _inside(element: etree._Element, chosen: set[etree._Element]) -> bool:
    node: etree._Element | None = element
    while node is not None:
        if node in chosen:
            return True
        node = node.getparent()
    return False


def content_lines(lines: list[Line]) -> list[Line]:
    """The lines of the article: those of the best containers, without link lists,
    navigation and captions."""
    chosen = set(content_elements(lines))
    return [
        line
        for line in lines
        if line.link_share <= MAX_LINK_SHARE and not line.is_noise and _inside(line.owner, chosen)
    ]


def density_text(root: etree._Element) -> str:
    """The main text by density alone, a line per paragraph."""
    return "\n".join(line.text for line in content_lines(page_lines(root)))
