"""Pages per second of `extract_html` next to bare trafilatura, on the same decoded pages.

    .venv/bin/python bench/extraction_speed.py                  # the sets in ../shared/eval
    .venv/bin/python bench/extraction_speed.py --set zh_cwced --repeat 3
    .venv/bin/python bench/extraction_speed.py --samples        # samples/sites only

Both read each page as if it were the first: the per-content caches of htmldate
and trafilatura are emptied before every call, and the once-per-process costs
(imports, dateparser's locale tables) are paid before any clock runs. The two
systems read each page in turn, and take turns going first, so that neither
finds the other's freshly allocated memory more often, and a busy machine
slows both alike. Bare
trafilatura is `bare_extraction(html, url=url, with_metadata=True)`.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipelines.decode import decode  # noqa: E402
from pipelines.evaluation import DEFAULT_SHARED  # noqa: E402
from pipelines.evaluation.extraction import (  # noqa: E402
    RUNNERS,
    SETS,
    SYSTEMS,
    Page,
    load_pages,
    turns,
    warm_up,
)

SAMPLES = REPO / "samples" / "sites"


def sample_pages() -> list[Page]:
    """The 36 article pages of the bundled sample sites (those in tests/golden)."""
    pages = []
    for lang in ("zh", "en", "ja"):
        golden = REPO / "tests" / "golden" / f"sample_corpus_{lang}.jsonl"
        for line in golden.read_text(encoding="utf-8").splitlines():
            if line.strip():
                path = json.loads(line)["path"]
                html = decode((SAMPLES / path).read_bytes()).text
                pages.append(Page("samples", path, lang, html))
    return pages


def measure(pages: list[Page], repeat: int) -> dict[str, float]:
    """Seconds each system spent on all pages, `repeat` times over."""
    warm_up(pages[0])
    spent = dict.fromkeys(SYSTEMS, 0.0)
    for _ in range(repeat):
        for index, page in enumerate(pages):
            for system in turns(SYSTEMS, index):
                spent[system] += RUNNERS[system](page).seconds
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--set", dest="sets", action="append", choices=SETS)
    parser.add_argument("--samples", action="store_true", help="read samples/sites instead")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # trafilatura logs every page it discards

    pages = sample_pages() if args.samples else load_pages(args.shared, args.sets or SETS)
    if not pages:
        sys.exit("no pages to read")
    spent = measure(pages, args.repeat)
    count = len(pages) * args.repeat
    for system in SYSTEMS:
        rate = count / spent[system] if spent[system] else 0.0
        print(f"{system:12} {rate:7.1f} pages/s  {1000 * spent[system] / count:7.1f} ms/page")
    print(
        f"ours / trafilatura time: {spent['ours'] / spent['trafilatura']:.2f}x over {count} pages"
    )


if __name__ == "__main__":
    main()
