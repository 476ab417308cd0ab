"""How long does each extractor take on a hostile megabyte? (fault matrix row I10)

    python bench/hostile_bench.py [--size 1000000]

Each pattern (`((((`, `1,1,1,…`, whitespace) is run, one megabyte of it, through
main-text extraction (wrapped in an article page, and as a bare page) and
through every analysis stage in Chinese and in English, one core, CPU seconds.
The target is under 1 s for each; tests/faults/test_fuzz.py checks that the
growth is linear, this script reports the absolute time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from nlp import Analysis, Analyzer  # noqa: E402
from pipelines.extract_text import extract_html  # noqa: E402

PATTERNS = {"((((": "(", "1,1,1,": "1,", "whitespace": " \n\t"}
TARGET = 1.0


def hostile(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def stage_seconds(analyzer: Analyzer, text: str, lang: str) -> dict[str, float]:
    """CPU seconds of each analysis stage on `text`, one after the other."""
    analysis = Analysis(text=text, lang_hint=lang, doc_date="2024-08-30")
    spent = {}
    for name, step in analyzer.pipeline.steps:
        started = time.process_time()
        step(analysis)
        spent[name] = time.process_time() - started
    return spent


def extraction_seconds(text: str) -> dict[str, float]:
    page = (
        f"<html><head><title>t</title></head><body><article><p>{text}</p></article></body></html>"
    )
    spent = {}
    for name, html in (("main text, in an article", page), ("main text, bare page", text)):
        started = time.process_time()
        extract_html(html, "https://example.com/2024/08/30/a.html", "zh")
        spent[name] = time.process_time() - started
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="characters per input")
    args = parser.parse_args()
    analyzer = Analyzer()
    analyzer.analyze("英伟达毛利率为75.1%。黄仁勋表示：“需求强劲。”", lang="zh")  # lazy loads
    analyzer.analyze('Nvidia\'s margin was 75.1%. "Demand is strong," Huang said.', lang="en")
    rows: list[tuple[str, str, float]] = []
    for label, unit in PATTERNS.items():
        text = hostile(unit, args.size)
        rows += [(label, name, s) for name, s in extraction_seconds(text).items()]
        for lang in ("zh", "en"):
            spent = stage_seconds(analyzer, text, lang)
            rows += [(label, f"{name} ({lang})", s) for name, s in spent.items()]
    print(f"{args.size:,} characters of each pattern, CPU seconds, one core:")
    for label, name, seconds in rows:
        flag = "" if seconds < TARGET else "   over the 1 s target"
        print(f"  {label:<11} {name:<26} {seconds:7.3f}{flag}")
    slowest = max(rows, key=lambda row: row[2])
    print(f"slowest: {slowest[1]} on {slowest[0]}, {slowest[2]:.2f} s")


if __name__ == "__main__":
    main()
