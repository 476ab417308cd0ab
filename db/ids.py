"""Stable ids made from content, so that storing the same thing twice is an upsert."""

from __future__ import annotations

import hashlib


def stable_id(*parts: object, length: int = 16) -> str:
    """A short hex digest of the parts (joined with an unlikely separator)."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()[:length]


ID_LENGTH = 16
DOCUMENT_PREFIX = 6  # characters of the document's id that lead each of its rows' ids


def child_id(document_id: str, digest: str) -> str:
    """The id of a mention, figure, claim or quote of a document: the first characters of
    the document's id, then those of the row's own digest. A document's rows then sit
    side by side in each primary-key index, so storing one touches a few index pages
    rather than one page per row (migration m005 gave stored rows these ids)."""
    return document_id[:DOCUMENT_PREFIX] + digest[: ID_LENGTH - DOCUMENT_PREFIX]


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
