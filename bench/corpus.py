"""Build a benchmark corpus: N realistic zh / en / ja article pages, written to a folder.

The templates are the 36 hand-written sample pages (samples/sites/), so pages
have real site boilerplate, figures, quotes and traps. Each generated page is
one template with most of its article paragraphs swapped for paragraphs of
other templates in the same language, its numbers redrawn, its names swapped
for others of the same language, and a unique title. So no two pages are
alike, nor near-copies of each other: the content hash, the near-duplicate
check and the full-text index all see distinct documents, as they would in a
real crawl. Deterministic for a given seed.

    python bench/corpus.py OUT_DIR N [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SITES = REPO / "samples" / "sites"
NAMES = {
    "zh": [
        "英伟达",
        "华为",
        "台积电",
        "寒武纪",
        "摩尔线程",
        "阿里巴巴",
        "百度",
        "腾讯",
        "小米",
        "海光信息",
        "中芯国际",
        "联想",
    ],
    "en": [
        "Nvidia",
        "AMD",
        "Intel",
        "TSMC",
        "Samsung",
        "Micron",
        "Broadcom",
        "Qualcomm",
        "Arm",
        "Marvell",
        "Oracle",
        "Dell",
    ],
    "ja": [
        "エヌビディア",
        "ソフトバンク",
        "東京エレクトロン",
        "キオクシア",
        "ルネサス",
        "富士通",
        "ソニー",
        "アドバンテスト",
    ],
}
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
# Dates and times on the templates stay as written: redrawn, they become
# 2024年7月34日 or 25:61, which no date rule reads, and every such page would
# send the extractor to its slowest fallback (a cost real pages do not have).
_DATE = (
    r"\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?"
    r"|\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
    r"|\d{1,2}\s*(?::|時)\s*\d{1,2}(?:\s*分)?(?::\d{2})?"
    rf"|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}"
)
_NUMBER = re.compile(
    rf"(?P<date>{_DATE})"
    r"|(?<![A-Za-z0-9])(?P<whole>\d{1,3}(?:[,，]\d{3})+|\d+)(?P<frac>\.\d+)?(?![A-Za-z0-9])"
)
_YEARS = re.compile(r"^(19|20)\d\d$")
_PARAGRAPH = re.compile(r"(<p\b[^>]*>)(.*?)</p>", re.S)
_TAG = re.compile(r"<[^>]+>")
SWAP_SHARE = 0.9  # of a page's article paragraphs, replaced by others'


def _language(html: str) -> str:
    """zh, en or ja, by the share of kana and of Han characters in the page."""
    kana = len(re.findall(r"[\u3040-\u30ff]", html))
    han = len(re.findall(r"[\u4e00-\u9fff]", html))
    return "ja" if kana > 100 else ("zh" if han > 300 else "en")


def templates() -> list[tuple[str, str]]:
    """(lang, html) of every sample article page."""
    found = []
    for path in sorted(SITES.rglob("*.htm*")):
        if path.name == "index.html" and path.parent.parent == SITES:
            continue
        html = path.read_text("utf-8")
        found.append((_language(html), html))
    return found


def _is_article_paragraph(inner: str) -> bool:
    """Long enough to be article text rather than a byline, caption or footer line."""
    text = _TAG.sub("", inner).strip()
    return len(text) >= 60 or (len(text) >= 30 and re.search(r"[\u3040-\u9fff]", text) is not None)


def paragraphs(pool: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Article paragraphs (inner HTML) of the templates, by language."""
    found: dict[str, list[str]] = {}
    for lang, html in pool:
        body = html.partition("<body")[2]
        found.setdefault(lang, []).extend(
            inner for _, inner in _PARAGRAPH.findall(body) if _is_article_paragraph(inner)
        )
    return found


def variant(
    lang: str, html: str, index: int, rng: random.Random, mix: dict[str, list[str]] | None = None
) -> str:
    def renumber(match: re.Match[str]) -> str:
        whole, frac = match.group("whole"), match.group("frac") or ""
        if match.group("date") or _YEARS.match(whole) or len(whole) > 8:
            return match.group()
        digits = whole.replace(",", "").replace("，", "")
        drawn = str(max(1, int(int(digits) * rng.uniform(0.5, 1.5))))
        if "," in whole:
            drawn = f"{int(drawn):,}"
        return drawn + (("." + str(rng.randint(0, 9))) if frac else "")

    def swap(match: re.Match[str]) -> str:
        opening, inner = match.group(1), match.group(2)
        if mix and _is_article_paragraph(inner) and rng.random() < SWAP_SHARE:
            inner = rng.choice(mix[lang])
        return f"{opening}{inner}</p>"

    head, sep, rest = html.partition("<body")
    rest = _PARAGRAPH.sub(swap, rest)
    rest = _NUMBER.sub(renumber, rest)
    names = NAMES[lang]
    for name in names:
        if name in rest and rng.random() < 0.5:
            rest = rest.replace(name, rng.choice(names))
    rest = rest.replace("</h1>", f" #{index}</h1>", 1)
    head = re.sub(
        r"<title>(.*?)</title>",
        lambda m: f"<title>{m.group(1)} #{index}</title>",
        head,
        count=1,
        flags=re.S,
    )
    return head + sep + rest


def build(out: Path, count: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    pool = templates()
    mix = paragraphs(pool)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(count):
        lang, html = pool[i % len(pool)]
        path = out / f"{i // 1000:04d}" / f"a{i:07d}.{lang}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(variant(lang, html, i, rng, mix), encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    paths = build(args.out, args.count, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} pages, {size / 1e6:.1f} MB, to {args.out}")


if __name__ == "__main__":
    main()
