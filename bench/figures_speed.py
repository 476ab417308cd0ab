"""How fast is figure extraction alone? MB/s of mixed Chinese, English and Japanese news text.

The text is the golden sentences (tests/golden/figures_*.jsonl) and the
articles of samples/sites with their HTML stripped by a regex: industry news,
dense with figures. The extractor runs on the whole text in one call, the
way the `figures` stage sees a long article; the best of several rounds of
CPU time is reported, so that other processes on the machine matter less.

    .venv/bin/python bench/figures_speed.py [--rounds 7] [--profile]

The target is 2 MB/s per core (UTF-8 bytes of input per CPU second).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from nlp.figures.extract import FigureExtractor  # noqa: E402

_DROPPED_BLOCKS = re.compile(r"(?is)<(script|style|noscript|template)\b.*?</\1\s*>")
_TAG = re.compile(r"<[^>]*>")
_ENTITY = re.compile(r"&(?:nbsp|amp|lt|gt|quot|#\d+|#x[0-9a-f]+);", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n\s*\n+")


def corpus() -> str:
    """The golden sentences, then the sample articles as plain text."""
    parts = []
    for lang in ("zh", "en", "ja"):
        path = REPO / "tests" / "golden" / f"figures_{lang}.jsonl"
        parts += [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines() if line]
    for page in sorted((REPO / "samples" / "sites").rglob("*.htm*")):
        parts.append(strip_html(page.read_text("utf-8", errors="replace")))
    return "\n".join(parts)


def strip_html(html: str) -> str:
    text = _DROPPED_BLOCKS.sub(" ", html)
    text = _TAG.sub(" ", text)
    text = _ENTITY.sub(" ", text)
    return _BLANK_LINES.sub("\n", text)


def measure(text: str, rounds: int) -> tuple[float, int]:
    """Best CPU seconds of `rounds` runs over `text`, and the figures found."""
    extractor = FigureExtractor()
    figures = extractor.extract(text, "zh")  # warm up: lexicon, patterns
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        extractor.extract(text, "zh")
        best = min(best, time.process_time() - start)
    return best, len(figures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="print the top functions (cProfile)")
    args = parser.parse_args()
    text = corpus()
    size = len(text.encode("utf-8"))
    if args.profile:
        extractor = FigureExtractor()
        profiler = cProfile.Profile()
        profiler.runcall(extractor.extract, text, "zh")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(20)
    seconds, count = measure(text, args.rounds)
    print(f"text: {len(text):,} characters, {size / 1e6:.2f} MB UTF-8, {count:,} figures")
    print(f"figure extraction: {size / 1e6 / seconds:.2f} MB/s per core (best of {args.rounds})")


if __name__ == "__main__":
    main()
