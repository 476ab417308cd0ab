"""Bytes to text: sniff what a file or page really is, then decode it honestly.

Chinese sites often label GBK as UTF-8 or say nothing at all, and w3lib-style
decoding then fills the text with U+FFFD silently. Here a declared charset is
trusted only when the bytes decode cleanly under it; otherwise UTF-8, then
the legacy encodings charset-normalizer finds (GB18030 for anything GBK-like,
as it is a superset). The share of U+FFFD left is returned, to be stored.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]{2,30})""", re.I
)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]{0,100}encoding\s*=\s*["']([A-Za-z0-9_\-]{2,30})""", re.I)
_PROMOTE = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs",
            "shift_jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "windows-31j": "cp932",
            "euc-cn": "gb18030", "ascii": "utf-8", "us-ascii": "utf-8", "iso-8859-1": "cp1252",
            "latin-1": "cp1252"}  # fmt: skip
_MAGIC: list[tuple[bytes, str]] = [
    (b"%PDF-", "pdf"),
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF8", "image"),
    (b"RIFF", "binary"),
    (b"PK\x03\x04", "zip"),
    (b"\x1f\x8b", "gzip"),
    (b"\x7fELF", "binary"),
    (b"MZ", "binary"),
    (b"\x00\x00\x01\x00", "image"),
]


class DecodeError(ValueError):
    """The bytes are not text we can read (binary, empty, or no encoding fits)."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    replacement_share: float  # share of U+FFFD characters in the text


def sniff(data: bytes) -> str:
    """'pdf', 'image', 'zip', 'gzip', 'binary', 'html' or 'text' from the first bytes."""
    head = data[:16]
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    sample = data[:4096]
    if sample.count(b"\x00") > len(sample) // 10 and not _utf16_bom(sample):
        return "binary"
    lowered = sample.lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body", b"<meta")):
        return "html"
    if b"<html" in lowered or b"<body" in lowered or b"<p>" in lowered or b"<div" in lowered:
        return "html"
    return "text"


def _utf16_bom(sample: bytes) -> bool:
    return sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def charset_of(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, if any."""
    if not content_type or "charset=" not in content_type.lower():
        return None
    return content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'") or None


def decode(data: bytes, declared: str | None = None) -> Decoded:
    """Decode `data`; `declared` is the charset a header gave, if any."""
    if not data.strip():
        raise DecodeError("empty")
    if data.startswith(codecs.BOM_UTF8):
        return _finish(data[3:].decode("utf-8", errors="replace"), "utf-8")
    if _utf16_bom(data):
        return _finish(data.decode("utf-16", errors="replace"), "utf-16")
    candidates: list[str] = []
    for name in (declared, _declared_in(data)):
        if name:
            candidates.append(_normalise(name))
    candidates.append("utf-8")
    for encoding in dict.fromkeys(candidates):
        try:
            return _finish(data.decode(encoding), encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    best: tuple[float, str, str] | None = None
    for encoding in _LEGACY:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = plausibility(text)
        if encoding == "cp1252" and _ascii_letter_share(text) < 0.4:
            score = 0.0  # any byte soup decodes as cp1252; real Western text is mostly ASCII
        if best is None or score > best[0]:
            best = (score, encoding, text)
    guess = from_bytes(data[:200_000]).best()
    if guess is not None and guess.encoding and (best is None or best[0] < 0.9):
        encoding = _normalise(guess.encoding)
        try:
            text = data.decode(encoding, errors="replace")
            score = plausibility(text)
            if best is None or score > best[0]:
                best = (score, encoding, text)
        except LookupError:
            pass
    if best is not None and best[0] >= 0.85:
        return _finish(best[2], best[1])
    raise DecodeError("not UTF-8 and no legacy encoding fits (is it a binary file?)")


def _declared_in(data: bytes) -> str | None:
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii", "ignore") if match else None


def _normalise(name: str) -> str:
    name = name.strip().lower()
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return name
    return _PROMOTE.get(name, name)


# Legacy encodings tried, in order, when the bytes are not UTF-8 and no
# declared charset fits: each strict decoding is scored and the best wins.
_LEGACY = ("gb18030", "big5hkscs", "cp932", "cp1252")


def _common_chars() -> frozenset[str]:
    """Characters a real page is mostly made of: the first level of GB2312
    (3,755 common simplified hanzi), Big5's frequent hanzi, JIS level-1 kanji,
    kana, CJK and full-width punctuation, printable ASCII and Latin-1 letters."""
    chars: set[str] = set(chr(c) for c in range(0x20, 0x7F)) | set("\t\n\r")
    chars |= {chr(c) for c in range(0xC0, 0x100)} | {chr(c) for c in range(0x3000, 0x3100)}
    chars |= {chr(c) for c in range(0xFF01, 0xFF5F)} | set("“”‘’…—–·•€£¥")
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            chars.add(bytes([lead, trail]).decode("gb2312", "ignore"))
    for lead in range(0xA4, 0xC7):
        for trail in list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)):
            chars.add(bytes([lead, trail]).decode("big5", "ignore"))
    for lead in range(0x88, 0x99):
        for trail in range(0x40, 0xFD):
            chars.add(bytes([lead, trail]).decode("cp932", "ignore"))
    chars.discard("")
    return frozenset(chars)


_COMMON = _common_chars()


def _ascii_letter_share(text: str) -> float:
    sample = text[:20_000]
    return sum(1 for ch in sample if ch.isascii() and (ch.isalpha() or ch == " ")) / max(
        1, len(sample)
    )


def plausibility(text: str) -> float:
    """Share of the text made of common characters (1.0 for clean prose)."""
    sample = text[:20_000]
    if not sample:
        return 0.0
    return sum(1 for ch in sample if ch in _COMMON) / len(sample)


def _finish(text: str, encoding: str) -> Decoded:
    text = text.replace("\x00", "")
    if not text.strip():
        raise DecodeError("empty")
    share = text.count("\ufffd") / max(1, len(text))
    return Decoded(text, encoding, round(share, 6))
