"""Near-duplicate fingerprints: a 64-bit SimHash over shingles of three units.

Syndicated copies of one story (common in Chinese media) differ in a header,
a byline or an ad paragraph; their SimHashes then differ in a few bits, while
different stories differ in many more. A unit is a word in alphabetic scripts
and a single character otherwise, so Chinese and Japanese need no
segmentation. (Character trigrams of English are mostly pieces of "the",
"and" and "ing": two unrelated English stories on one topic came out 7 bits
apart and were linked as copies. Fingerprints stored before that change are
of trigrams; `newsfacts reextract --all` makes them afresh from the raw pages.)
"""

from __future__ import annotations

import re
from collections import Counter
from hashlib import blake2b

import numpy as np

# A run of letters or digits of an alphabetic script, or any other visible character.
_UNIT = re.compile(r"[0-9a-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]+|\S")


def simhash(text: str) -> int:
    units = _UNIT.findall(text.lower())
    if len(units) < 3:
        return 0
    grams = Counter(map("\x1f".join, zip(units, units[1:], units[2:], strict=False)))
    digests = b"".join(
        [blake2b(g.encode("utf-8", "surrogatepass"), digest_size=8).digest() for g in grams]
    )
    bits = np.unpackbits(np.frombuffer(digests, dtype=np.uint8)).reshape(len(grams), 64)
    counts = np.fromiter(grams.values(), dtype=np.int64, count=len(grams))
    weights = counts @ (bits.astype(np.int64) * 2 - 1)
    value = 0
    for bit in np.flatnonzero(weights > 0):
        value |= 1 << (63 - int(bit))
    return value


def distance(a: int, b: int) -> int:
    return bin(a ^ b).count("1")
