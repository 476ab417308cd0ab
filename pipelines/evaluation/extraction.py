"""Main text, title and date of our `extract_html` next to plain trafilatura, on the same pages.

The pages and their gold come from ../shared/eval (see its INDEX.md, sections 2
and 3). Every page is decoded once with `pipelines.decode.decode` and both
systems get the very same `str`:

- "ours": `pipelines.extract_text.extract_html(html, url, lang_hint)`;
- "trafilatura": `trafilatura.bare_extraction(html, url=url, with_metadata=True)`,
  default options otherwise (metadata is off by default and we need the
  title and date); its body is the document's `text` (comments excluded).

What is computed, per page, then averaged per set, language and system:

- Body (sets with a full gold text): the ScrapingHub article-extraction-
  benchmark metric. Shingles are 4-grams; TP, FP and FN count shingles by
  multiplicity and are divided by their sum, so every page weighs the same;
  precision and recall are averaged over pages (1.0 when both texts have no
  shingle, 0.0 when only one side is empty) and F1 is computed from the two
  means. For English and other spaced languages a token is a `\\w+` run, as in
  the benchmark. For Chinese and Japanese pages `\\w+` glues a whole unspaced
  sentence into one token, so the tokens are single characters instead: every
  character matched by `\\w` (hanzi, kana, letters, digits), with whitespace
  and punctuation dropped as `\\w+` drops them for English, then character
  4-grams over that sequence.
- Snippets (mce_trafilatura): trafilatura's own metric. Text and snippets are
  whitespace-normalised; a `with` snippet found is a TP (missed: FN), a
  `without` snippet found is an FP (absent: TN); P, R and F1 over all snippets
  of the group.
- Title (where a gold title exists): NFKC, case-folded, whitespace-collapsed
  titles are equal, or their character-level F1 (bags of non-space
  characters) is at least 0.9, or the gold is the prediction followed by a
  title separator and a site name ("标题_探索者_光明网" for "标题": the
  readability fixtures keep the whole <title>).
- Date (where a gold day exists): the same calendar day. When gold and
  prediction both carry a time and a zone, the prediction is first moved to
  the gold's zone; otherwise the written days are compared.
- Time: wall-clock seconds of each system's call per page (decoding excluded),
  each call on emptied per-content caches, after an untimed warm-up, the two
  systems taking turns to go first.

Which pages: zh_cwced all (the even half kept here), zh_fixtures all,
mce_scrapinghub, mce_trafilatura, mce_fundus and date_htmldate in Chinese,
English and Japanese only (the language by the set's manifest, or for
mce_scrapinghub by `guess_lang` on the gold text). A page `decode` cannot
read is decoded leniently (`_decode_leniently`).
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import lxml.html
import trafilatura

from pipelines.decode import DecodeError, decode, plausibility
from pipelines.errors import NewsfactsError
from pipelines.extract_text import extract_html

SETS = (
    "zh_cwced",
    "mce_scrapinghub",
    "mce_trafilatura",
    "mce_fundus",
    "zh_fixtures",
    "date_htmldate",
)
LANGS = ("zh", "en", "ja")
SYSTEMS = ("ours", "trafilatura")
CJK_LANGS = frozenset({"zh", "ja"})
SHINGLE_N = 4
TITLE_MIN_F1 = 0.9


# ---------------------------------------------------------------- pages


@dataclass(frozen=True, slots=True)
class Page:
    """One page to extract and whatever gold the set gives for it."""

    set_name: str
    page_id: str
    lang: str
    html: str
    url: str | None = None
    body: str | None = None
    snippets_with: tuple[str, ...] = ()
    snippets_without: tuple[str, ...] = ()
    title: str | None = None
    date: str | None = None


def eval_folder(shared: Path) -> Path:
    """`shared`/eval, or a NewsfactsError naming the folder that is missing."""
    folder = Path(shared) / "eval"
    if not folder.is_dir():
        raise NewsfactsError(
            f"the shared evaluation folder {folder} does not exist "
            "(pass --shared PATH to the folder that holds eval/)"
        )
    return folder


def load_pages(shared: Path, set_names: Sequence[str] = SETS) -> list[Page]:
    """The pages of the given sets, in a stable order (by set, then id)."""
    folder = eval_folder(shared)
    pages: list[Page] = []
    for name in set_names:
        if not (folder / name).is_dir():
            raise NewsfactsError(f"the evaluation set {folder / name} does not exist")
        pages.extend(_LOADERS[name](folder / name))
    return pages


def _read_html(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    try:
        return decode(data).text
    except DecodeError:
        return _decode_leniently(data)


def _decode_leniently(data: bytes) -> str:
    """`decode` gives up on a GBK page with a few broken bytes (two zh_cwced pages):
    the most plausible of a lenient GB18030, UTF-8 or Big5 decoding then."""
    candidates = [data.decode(name, errors="replace") for name in ("gb18030", "utf-8", "big5hkscs")]
    return max(candidates, key=plausibility)


def _text(value: object) -> str | None:
    """A gold field as text, None when it is missing, empty or not text (NaN dates)."""
    return value.strip() or None if isinstance(value, str) else None


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _load_zh_cwced(folder: Path) -> list[Page]:
    """Chinese pages with hand-made content and date gold (no title gold)."""
    pages = []
    for row in sorted(_read_jsonl(folder / "gold_flat.jsonl"), key=lambda r: r["id"]):
        pages.append(
            Page("zh_cwced", row["id"], "zh", _read_html(folder / row["html_path"]),
                 body=row["content"], date=_text(row.get("date")))
        )  # fmt: skip
    return pages


def _load_mce_scrapinghub(folder: Path) -> list[Page]:
    """Pages with a human full-text gold; the few non-English ones are left out."""
    gold = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(gold):
        lang = guess_lang(gold[page_id]["articleBody"])
        if lang not in LANGS:
            continue
        html = _read_html(folder / "html" / f"{page_id}.html.gz")
        pages.append(
            Page("mce_scrapinghub", page_id, lang, html, url=gold[page_id].get("url"),
                 body=gold[page_id]["articleBody"])
        )  # fmt: skip
    return pages


def _load_mce_trafilatura(folder: Path) -> list[Page]:
    """English, Chinese and Japanese pages with with/without snippets, title and date."""
    gold = json.loads((folder / "evaldata.json").read_text(encoding="utf-8"))
    pages = []
    for row in sorted(_read_jsonl(folder / "manifest.jsonl"), key=lambda r: r["file"]):
        if row["lang"] not in LANGS:
            continue
        item = gold[row["url"]]
        pages.append(
            Page("mce_trafilatura", row["file"], row["lang"], _read_html(folder / row["html_path"]),
                 url=row["url"], snippets_with=tuple(s for s in item.get("with") or () if s),
                 snippets_without=tuple(s for s in item.get("without") or () if s),
                 title=_text(item.get("title")), date=_text(item.get("date")))
        )  # fmt: skip
    return pages


def _load_mce_fundus(folder: Path) -> list[Page]:
    """News pages with the per-site parsers' title, date and body (silver gold)."""
    pages = []
    for row in sorted(_read_jsonl(folder / "gold_flat.jsonl"), key=lambda r: r["html_path"]):
        if row["lang"] not in LANGS:
            continue
        pages.append(
            Page("mce_fundus", row["html_path"], row["lang"], _read_html(folder / row["html_path"]),
                 url=row.get("url"), body=row.get("body_text") or None,
                 title=_text(row.get("title")), date=_text(row.get("publishing_date")))
        )  # fmt: skip
    return pages


def _load_zh_fixtures(folder: Path) -> list[Page]:
    """Readability.js and newspaper4k Chinese fixtures (library outputs, not human gold)."""
    pages = []
    for case in sorted(p for p in (folder / "readability").iterdir() if p.is_dir()):
        meta = json.loads((case / "expected-metadata.json").read_text(encoding="utf-8"))
        body = html_to_text((case / "expected.html").read_text(encoding="utf-8"))
        pages.append(
            Page("zh_fixtures", f"readability/{case.name}", "zh", _read_html(case / "source.html"),
                 body=body, title=_text(meta.get("title")), date=_text(meta.get("publishedTime")))
        )  # fmt: skip
    base = folder / "newspaper4k"
    for html_path in sorted((base / "html").glob("*.html")):
        meta_path = base / "metadata" / f"{html_path.stem}.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        body = (base / "txt" / f"{html_path.stem}.txt").read_text(encoding="utf-8")
        pages.append(
            Page("zh_fixtures", f"newspaper4k/{html_path.stem}", "zh", _read_html(html_path),
                 url=meta.get("url"), body=body, title=_text(meta.get("title")),
                 date=_text(meta.get("publish_date")))
        )  # fmt: skip
    return pages


def _load_date_htmldate(folder: Path) -> list[Page]:
    """Publication-date gold only; pages in our three languages."""
    pages = []
    for row in sorted(_read_jsonl(folder / "manifest.jsonl"), key=lambda r: (r["set"], r["file"])):
        lang = row.get("lang_guess_from_page_text")
        if lang not in LANGS:
            continue
        pages.append(
            Page("date_htmldate", f"{row['set']}/{row['file']}", lang,
                 _read_html(folder / row["html_path"]), url=row["url"], date=_text(row["date"]))
        )  # fmt: skip
    return pages


_LOADERS: dict[str, Callable[[Path], list[Page]]] = {
    "zh_cwced": _load_zh_cwced,
    "mce_scrapinghub": _load_mce_scrapinghub,
    "mce_trafilatura": _load_mce_trafilatura,
    "mce_fundus": _load_mce_fundus,
    "zh_fixtures": _load_zh_fixtures,
    "date_htmldate": _load_date_htmldate,
}

_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"\w+")
_ENGLISH_WORDS = frozenset("the a an of and to in is that for on with as was by it said".split())


def guess_lang(text: str) -> str:
    """'ja', 'ko', 'zh', 'en' or 'other' from a gold text (kana, hangul, hanzi, then
    the share of English function words)."""
    sample = text[:5000]
    if len(_KANA.findall(sample)) > 20:
        return "ja"
    if len(_HANGUL.findall(sample)) > 20:
        return "ko"
    if len(_HAN.findall(sample)) > 0.2 * len(sample):
        return "zh"
    words = [w.lower() for w in _WORD.findall(sample)]
    common = sum(1 for w in words if w in _ENGLISH_WORDS)
    return "en" if words and common / len(words) > 0.12 else "other"


_BLOCK_TAGS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote")


def html_to_text(html: str) -> str:
    """Visible text of an HTML fragment, a line per block (for the readability gold)."""
    root = lxml.html.fromstring(html)
    for element in root.iter(*_BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")
    return root.text_content()


# ---------------------------------------------------------------- systems


@dataclass(frozen=True, slots=True)
class Output:
    text: str
    title: str | None
    date: str | None
    seconds: float


# Caches keyed by page content (a date string, a line of text) inside htmldate and
# trafilatura: the second system to read a page would find them warm.
PAGE_CACHES = (
    ("htmldate.extractors", "try_date_expr"),
    ("htmldate.validators", "_parse_and_validate"),
    ("htmldate.validators", "is_valid_format"),
    ("htmldate.validators", "filter_ymd_candidate"),
    ("trafilatura.utils", "line_processing"),
    ("trafilatura.utils", "trim"),
    ("trafilatura.utils", "return_printables_and_spaces"),
)


def forget_page_caches() -> None:
    """Empty the per-content caches so that each system pays for a page as if it
    were the first to see it (as in a crawl, where every page is new)."""
    for module_name, name in PAGE_CACHES:
        module = sys.modules.get(module_name)
        cached = getattr(module, name, None)
        if cached is not None and hasattr(cached, "cache_clear"):
            cached.cache_clear()


def warm_up(page: Page, systems: Sequence[str] = SYSTEMS) -> None:
    """Pay the once-per-process costs before any clock runs: imports, lazy tables, and
    dateparser's tables for every locale, which htmldate's extensive search builds
    (about 7 s) the first time it meets a date string no locale can parse."""
    from htmldate.extractors import external_date_parser

    external_date_parser("发布时间 2021年3月4日", "%Y-%m-%d")
    for system in systems:
        RUNNERS[system](page)


def run_ours(page: Page) -> Output:
    forget_page_caches()
    start = time.perf_counter()
    extracted = extract_html(page.html, page.url, page.lang)
    seconds = time.perf_counter() - start
    return Output(extracted.text, extracted.title, extracted.published_at, seconds)


def run_trafilatura(page: Page) -> Output:
    forget_page_caches()
    start = time.perf_counter()
    document = trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True)
    seconds = time.perf_counter() - start
    if document is None:
        return Output("", None, None, seconds)
    return Output(
        getattr(document, "text", None) or "",
        getattr(document, "title", None),
        getattr(document, "date", None),
        seconds,
    )


RUNNERS: dict[str, Callable[[Page], Output]] = {"ours": run_ours, "trafilatura": run_trafilatura}


# ---------------------------------------------------------------- metrics


@dataclass(frozen=True, slots=True)
class Shingles:
    """TP, FP and FN of one page, normalised to sum to 1 (all zero for two empty texts)."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        if self.tp == self.fp == 0:
            return 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        if self.tp == self.fn == 0:
            return 0.0
        return self.tp / (self.tp + self.fn)


_CJK_CHAR = re.compile(r"\w")


def tokens(text: str, lang: str) -> list[str]:
    """`\\w+` runs, or single `\\w` characters for Chinese and Japanese."""
    pattern = _CJK_CHAR if lang in CJK_LANGS else _WORD
    return pattern.findall(text or "")


def shingles(text: str, lang: str, n: int = SHINGLE_N) -> Counter[tuple[str, ...]]:
    found = tokens(text, lang)
    return Counter(tuple(found[i : i + n]) for i in range(max(1, len(found) - n + 1)) if found)


def body_shingles(predicted: str, gold: str, lang: str) -> Shingles:
    """The benchmark's per-page TP/FP/FN over shingles, normalised per page."""
    pred, true = shingles(predicted, lang), shingles(gold, lang)
    tp = float(sum((pred & true).values()))
    fp = float(sum((pred - true).values()))
    fn = float(sum((true - pred).values()))
    total = tp + fp + fn
    if total == 0:
        return Shingles(0.0, 0.0, 0.0)
    return Shingles(tp / total, fp / total, fn / total)


@dataclass(frozen=True, slots=True)
class Snippets:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0

    def __add__(self, other: Snippets) -> Snippets:
        return Snippets(
            self.tp + other.tp, self.fn + other.fn, self.fp + other.fp, self.tn + other.tn
        )


def _squash(text: str) -> str:
    return " ".join(text.split())


def snippet_counts(predicted: str, with_: Iterable[str], without: Iterable[str]) -> Snippets:
    """trafilatura's evaluation: whitespace-normalised substring search per snippet."""
    text = _squash(predicted)
    found_with = [_squash(s) in text for s in with_]
    found_without = [_squash(s) in text for s in without]
    return Snippets(
        tp=sum(found_with),
        fn=len(found_with) - sum(found_with),
        fp=sum(found_without),
        tn=len(found_without) - sum(found_without),
    )


def _normal_title(title: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", title).casefold().split())


def _char_f1(a: str, b: str) -> float:
    left, right = Counter(a.replace(" ", "")), Counter(b.replace(" ", ""))
    common = sum((left & right).values())
    if not common:
        return 0.0
    return 2 * common / (sum(left.values()) + sum(right.values()))


_SITE_SUFFIX = re.compile(r"\s*(?:[-_|–—·:]|::)\s*\S")


def title_matches(predicted: str | None, gold: str) -> bool:
    """Same title after normalisation, close enough by characters, or the gold with a
    site name after a separator that the prediction rightly dropped."""
    if not predicted:
        return False
    pred, true = _normal_title(predicted), _normal_title(gold)
    if pred == true or _char_f1(pred, true) >= TITLE_MIN_F1:
        return True
    return true.startswith(pred) and bool(_SITE_SUFFIX.match(true, len(pred)))


_DATE = re.compile(
    r"((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?"
)


def parse_moment(raw: str | None) -> tuple[date, datetime | None] | None:
    """The day of a date string, and the aware moment when it has a time and a zone."""
    if not raw:
        return None
    match = _DATE.search(raw.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        day_value = date(int(year), int(month), int(day))
    except ValueError:
        return None
    if hour is None or zone is None:
        return day_value, None
    if zone == "Z":
        tz = UTC
    else:
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        tz = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    try:
        moment = datetime(*day_value.timetuple()[:3], int(hour), int(minute), int(second or 0),
                          tzinfo=tz)  # fmt: skip
    except ValueError:
        return day_value, None
    return day_value, moment


def same_day(predicted: str | None, gold: str) -> bool:
    true, pred = parse_moment(gold), parse_moment(predicted)
    if true is None or pred is None:
        return False
    if true[1] is not None and pred[1] is not None:
        return pred[1].astimezone(true[1].tzinfo).date() == true[0]
    return pred[0] == true[0]


def has_gold_day(raw: str | None) -> bool:
    return parse_moment(raw) is not None


# ---------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class PageResult:
    page: Page
    system: str
    output: Output
    body: Shingles | None
    snippets: Snippets | None
    title_ok: bool | None
    date_ok: bool | None

    @property
    def text_score(self) -> float | None:
        """The page's body F1, or the share of its snippets judged right."""
        if self.body is not None:
            return _f1(self.body.precision, self.body.recall)
        if self.snippets is not None:
            s = self.snippets
            total = s.tp + s.fn + s.fp + s.tn
            return (s.tp + s.tn) / total if total else None
        return None


def score_page(page: Page, system: str, output: Output) -> PageResult:
    body = body_shingles(output.text, page.body, page.lang) if page.body else None
    snippets = None
    if page.snippets_with or page.snippets_without:
        snippets = snippet_counts(output.text, page.snippets_with, page.snippets_without)
    title_ok = title_matches(output.title, page.title) if page.title else None
    date_ok = same_day(output.date, page.date) if page.date and has_gold_day(page.date) else None
    return PageResult(page, system, output, body, snippets, title_ok, date_ok)


@dataclass(frozen=True, slots=True)
class Rate:
    hits: int = 0
    total: int = 0

    @property
    def share(self) -> float:
        return self.hits / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class Summary:
    """One system's scores on one set and language."""

    set_name: str
    lang: str
    system: str
    pages: int
    body_pages: int
    body_precision: float
    body_recall: float
    snippets: Snippets
    titles: Rate
    dates: Rate
    seconds_per_page: float

    @property
    def body_f1(self) -> float:
        return _f1(self.body_precision, self.body_recall)

    @property
    def snippet_precision(self) -> float:
        s = self.snippets
        return s.tp / (s.tp + s.fp) if s.tp + s.fp else 0.0

    @property
    def snippet_recall(self) -> float:
        s = self.snippets
        return s.tp / (s.tp + s.fn) if s.tp + s.fn else 0.0

    @property
    def snippet_f1(self) -> float:
        return _f1(self.snippet_precision, self.snippet_recall)

    @property
    def has_snippets(self) -> bool:
        s = self.snippets
        return s.tp + s.fn + s.fp + s.tn > 0

    @property
    def f1(self) -> float | None:
        """The set's main-text F1: the body metric, or the snippet metric where only
        snippets are gold; None for date-only sets."""
        if self.body_pages:
            return self.body_f1
        if self.has_snippets:
            return self.snippet_f1
        return None


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def summarise(results: Sequence[PageResult]) -> Summary:
    first = results[0]
    bodies = [r.body for r in results if r.body is not None]
    snippets = sum((r.snippets for r in results if r.snippets is not None), Snippets())
    titles = [r.title_ok for r in results if r.title_ok is not None]
    dates = [r.date_ok for r in results if r.date_ok is not None]
    return Summary(
        set_name=first.page.set_name,
        lang=first.page.lang,
        system=first.system,
        pages=len(results),
        body_pages=len(bodies),
        body_precision=statistics.fmean(b.precision for b in bodies) if bodies else 0.0,
        body_recall=statistics.fmean(b.recall for b in bodies) if bodies else 0.0,
        snippets=snippets,
        titles=Rate(sum(titles), len(titles)),
        dates=Rate(sum(dates), len(dates)),
        seconds_per_page=statistics.fmean(r.output.seconds for r in results),
    )


@dataclass(frozen=True)
class ExtractionEvaluation:
    results: tuple[PageResult, ...]
    summaries: tuple[Summary, ...] = field(default=())

    def summary(self, set_name: str, lang: str, system: str) -> Summary | None:
        for found in self.summaries:
            if (found.set_name, found.lang, found.system) == (set_name, lang, system):
                return found
        return None

    def groups(self) -> list[tuple[str, str]]:
        """The (set, language) pairs present, in SETS and LANGS order."""
        present = {(s.set_name, s.lang) for s in self.summaries}
        return [(name, lang) for name in SETS for lang in LANGS if (name, lang) in present]

    def seconds_per_page(self, system: str) -> float:
        timed = [r.output.seconds for r in self.results if r.system == system]
        return statistics.fmean(timed) if timed else 0.0

    def page_count(self) -> int:
        return len({(r.page.set_name, r.page.page_id) for r in self.results})

    def worst_pages(self, count: int) -> list[Gap]:
        """The pages where our text score trails trafilatura's most."""
        scores: dict[tuple[str, str], dict[str, float]] = {}
        for result in self.results:
            score = result.text_score
            if score is not None:
                key = (result.page.set_name, result.page.page_id)
                scores.setdefault(key, {})[result.system] = score
        gaps = [
            Gap(set_name, page_id, found["ours"], found["trafilatura"])
            for (set_name, page_id), found in scores.items()
            if "ours" in found and "trafilatura" in found
        ]
        return sorted(gaps, key=lambda gap: gap.ours - gap.trafilatura)[:count]


@dataclass(frozen=True, slots=True)
class Gap:
    set_name: str
    page_id: str
    ours: float
    trafilatura: float


def turns(systems: Sequence[str], index: int) -> Sequence[str]:
    """The systems in order on even pages, in reverse order on odd ones."""
    return systems if index % 2 == 0 else tuple(reversed(systems))


def evaluate_pages(pages: Iterable[Page], systems: Sequence[str] = SYSTEMS) -> ExtractionEvaluation:
    """Run every system on every page, each on cold per-page caches, after a warm-up
    that neither is timed for. They take turns going first (`turns`): whoever reads
    a page second finds the memory it needs already allocated."""
    pages = list(pages)
    results: list[PageResult] = []
    if pages:
        warm_up(pages[0], systems)
    for index, page in enumerate(pages):
        for system in turns(systems, index):
            results.append(score_page(page, system, RUNNERS[system](page)))
    grouped: dict[tuple[str, str, str], list[PageResult]] = {}
    for result in results:
        key = (result.page.set_name, result.page.lang, result.system)
        grouped.setdefault(key, []).append(result)
    summaries = tuple(summarise(group) for group in grouped.values())
    return ExtractionEvaluation(tuple(results), summaries)


def evaluate_extraction(
    shared: Path, set_names: Sequence[str] = SETS, systems: Sequence[str] = SYSTEMS
) -> ExtractionEvaluation:
    """Load the sets from `shared`/eval and score every system on them."""
    return evaluate_pages(load_pages(shared, set_names), systems)
