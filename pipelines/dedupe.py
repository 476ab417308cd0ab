"""Near-duplicate fingerprints: a 64-bit SimHash over character trigrams.

Syndicated copies of one story (common in Chinese media) differ in a header,
a byline or an ad paragraph; their SimHashes then differ in a few bits, while
different stories differ in about half. Character trigrams work for Chinese
and Japanese without segmentation and for English alike.
"""

from __future__ import annotations

import re
from collections import Counter
from hashlib import blake2b

import numpy as np

_SPACE = re.compile(r"\s+")


def simhash(text: str) -> int:
    normalised = _SPACE.sub(" ", text.lower()).strip()
    if len(normalised) < 3:
        return 0
    grams = Counter(normalised[i : i + 3] for i in range(len(normalised) - 2))
    digests = b"".join(
        blake2b(g.encode("utf-8", "surrogatepass"), digest_size=8).digest() for g in grams
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
