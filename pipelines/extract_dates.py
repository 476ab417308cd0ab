"""Publication time of a page: the page's own metadata, then the dates written on it.

Order, best evidence first:

1. `<meta>` tags, itemprop and JSON-LD that name the *publication* time (never
   the modification time). They keep the time and the zone, which htmldate
   drops; a UTC time that htmldate places on the local day before or after
   gives way to that day (`local_day`).
2. A date written under the headline, in the Chinese and Japanese forms
   htmldate does not read: 2024年8月1日 10:43, 2024/8/30 10:43:12,
   2024年08月29日 18時02分, 2024.08.29, 2024-08-29 08:15, and 8月29日 18:02 with
   the year taken from the URL or from another full date on the page. On
   other pages only year-first dates, and the US order (08.02.2024 is August
   2) when the page's other dates show it (`month_first`).
3. htmldate's answer with its quick heuristics (the caller passes a function that
   reads it: it is asked for only when one of the above needs it).

Everything works on the parsed lxml tree or on short lines of its text; no
regular expression runs over the whole document.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, timedelta

from lxml import etree

# meta name / property / itemprop values that carry the publication time, best first.
PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "datepublished",
    "article:published",
    "og:pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "publish_time",
    "published_time",
    "publication_date",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "citation_publication_date",
    "weibo:article:create_at",
    "firstpublishedtime",
    "datecreated",
    "dcterms.created",
    "dc.date",
    "date",
)
_META_RANK = {name: rank for rank, name in enumerate(PUBLISHED_META)}
# JSON-LD keys, best first.
JSONLD_KEYS = ("datePublished", "dateCreated")
ZONE_BY_LANG = {"zh": "+08:00", "ja": "+09:00"}
EARLIEST_YEAR = 1990
MAX_DATE_CHARS = 60  # a date written in an element's text is short
NEAR_TITLE_LINES = 12  # the byline sits within this many lines after the headline

_ISO = re.compile(
    r"((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?"
)
_TIME = r"(?:\s*(\d{1,2})\s*[:：時时点]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}))?)?"
# 2024年8月1日, 2024/8/30, 2024.08.29, 2024-08-29, each with an optional time.
_YMD = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?"
    r"|[/.\-](\d{1,2})[/.\-](\d{1,2}))(?!\d)" + _TIME
)
# 8月1日 10:43, with no year.
_MD = re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]" + _TIME)
# 08.29.2024, 8/29/2024 (US order).
_US = re.compile(r"(?<!\d)(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)\d{2})(?!\d)" + _TIME)
# A year in the URL, followed by a month or by no digit: /2024/08/29/, /202408/, a20240829.
_URL_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:[/\-_]?(?:0[1-9]|1[0-2])|(?!\d))")


def metadata_date(root: etree._Element, lang: str | None = None) -> str | None:
    """The publication time the page declares in <meta>, itemprop or JSON-LD: the
    best-ranked one, written with the page's own zone when another tag gives the
    same moment in it (many sites put UTC in one tag and local time in another)."""
    found: list[tuple[int, str]] = []
    for element in root.iter("meta", "time", "span", "div", "abbr"):
        key = _meta_key(element)
        if key is None:
            continue
        value = element.get("content") or element.get("datetime")
        if value is None and element.tag != "meta":
            value = (element.text or "")[:MAX_DATE_CHARS]
        iso = normalise(value or "", lang)
        if iso:
            found.append((_META_RANK[key], iso))
    from_json = jsonld_date(root, lang)
    if from_json:
        found.append((_META_RANK["datepublished"], from_json))
    if not found:
        return None
    best = min(found)[1]
    return _in_local_zone(best, [iso for _, iso in found])


def _in_local_zone(best: str, candidates: list[str]) -> str:
    moment = to_datetime(best)
    if moment is None or moment.utcoffset() != timedelta(0):
        return best
    for iso in candidates:
        other = to_datetime(iso)
        if other is not None and other.utcoffset() and abs(other - moment) < timedelta(minutes=2):
            return iso
    return best


def to_datetime(iso: str) -> datetime | None:
    """An aware datetime from our ISO strings with a time and a zone, else None."""
    if "T" not in iso or not (iso.endswith("Z") or "+" in iso[10:] or "-" in iso[10:]):
        return None
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        return None


# A UTC time this early or late may fall on the day before or after where it was
# published; htmldate reads the local day from the page and then decides.
EARLY_UTC_HOUR = 8
LATE_UTC_HOUR = 16


def local_day(declared: str, htmldate_day: Callable[[], str | None]) -> str:
    """`declared`, unless it is a UTC time in the small hours (or late evening) and
    htmldate read the day before (or after) on the page: US sites publish at
    local evening, which is tomorrow in UTC. Then the local day, without time.
    `htmldate_day` is asked only for such a time (its quick search costs a
    quarter of a millisecond)."""
    moment = to_datetime(declared)
    if moment is None or moment.utcoffset() != timedelta(0):
        return declared
    if EARLY_UTC_HOUR <= moment.hour < LATE_UTC_HOUR:
        return declared  # the UTC day is the local day almost everywhere news is
    day = htmldate_day()
    try:
        seen = date.fromisoformat(day[:10]) if day else None
    except ValueError:
        return declared
    if moment.hour < EARLY_UTC_HOUR and seen == moment.date() - timedelta(days=1):
        return seen.isoformat()
    if moment.hour >= LATE_UTC_HOUR and seen == moment.date() + timedelta(days=1):
        return seen.isoformat()
    return declared


def _meta_key(element: etree._Element) -> str | None:
    for attribute in ("property", "name", "itemprop"):
        key = (element.get(attribute) or "").strip().lower()
        if key in _META_RANK:
            return key
    if element.tag == "time" and element.get("pubdate") is not None:
        return "pubdate"
    return None


def jsonld_date(root: etree._Element, lang: str | None = None) -> str | None:
    """datePublished (else dateCreated) of the JSON-LD objects, articles first."""
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        for key in JSONLD_KEYS:
            for value in _jsonld_values(data, key):
                iso = normalise(value, lang)
                if iso:
                    return iso
    return None


def _jsonld_values(data: object, key: str, depth: int = 0) -> Iterator[str]:
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            yield from _jsonld_values(item, key, depth + 1)
    elif isinstance(data, dict):
        value = data.get(key)
        if isinstance(value, str):
            yield value
        for nested in ("@graph", "mainEntity", "mainEntityOfPage"):
            if nested in data:
                yield from _jsonld_values(data[nested], key, depth + 1)


# ---------------------------------------------------------------- written dates


def normalise(raw: str, lang: str | None = None) -> str | None:
    """ISO 8601 from an ISO-like or CJK date string: the date, and the time with its
    zone when given (the page's usual zone for zh and ja when a time has none)."""
    raw = raw.strip()
    match = _ISO.search(raw)
    if match:
        year, month, day, hour, minute, second, zone = match.groups()
        if zone:
            zone = "+00:00" if zone == "Z" else f"{zone[:3]}:{zone[-2:]}"
        else:
            zone = ZONE_BY_LANG.get(lang or "")
        return _compose(year, month, day, hour, minute, second, zone)
    written = _YMD.search(raw)
    if written:
        return _from_ymd(written, lang)
    return None


def _compose(
    year: str | int,
    month: str | int,
    day: str | int,
    hour: str | None = None,
    minute: str | None = None,
    second: str | None = None,
    zone: str | None = None,
) -> str | None:
    try:
        value = date(int(year), int(month), int(day))
    except ValueError:
        return None
    if value.year < EARLIEST_YEAR:
        return None
    iso = value.isoformat()
    if hour is None or minute is None or int(hour) > 23 or int(minute) > 59:
        return iso
    seconds = int(second) if second and int(second) < 60 else 0
    return f"{iso}T{int(hour):02d}:{int(minute):02d}:{seconds:02d}{zone or ''}"


def _from_ymd(match: re.Match[str], lang: str | None) -> str | None:
    year, month_cjk, day_cjk, month_num, day_num, hour, minute, second = match.groups()
    month, day = month_cjk or month_num, day_cjk or day_num
    return _compose(year, month, day, hour, minute, second, ZONE_BY_LANG.get(lang or ""))


def dates_in_line(
    line: str, lang: str | None, year_hint: int | None = None, us_order: bool = False
) -> list[str]:
    """The dates written in one line of text, in the order they appear, as ISO 8601.

    Year-first forms always; 8月29日 only with a `year_hint`; the US order
    (08.29.2024) only when asked for."""
    found: list[tuple[int, str]] = []
    for match in _YMD.finditer(line):
        iso = _from_ymd(match, lang)
        if iso:
            found.append((match.start(), iso))
    if year_hint is not None:
        zone = ZONE_BY_LANG.get(lang or "")
        for match in _MD.finditer(line):
            month, day, hour, minute, second = match.groups()
            iso = _compose(year_hint, month, day, hour, minute, second, zone)
            if iso:
                found.append((match.start(), iso))
    if us_order:
        for match in _US.finditer(line):
            month, day, year, hour, minute, second = match.groups()
            iso = _compose(year, month, day, hour, minute, second)
            if iso:
                found.append((match.start(), iso))
    return [iso for _, iso in sorted(found)]


def month_first(lines: Iterable[str]) -> bool:
    """Whether the page writes its dates month first: some date like 08.29.2024
    or 8/29/2024 cannot be read day first, and none is the other way round. Only
    then is 08.02.2024 August 2 (htmldate reads it as 8 February)."""
    months_first = days_first = 0
    for line in lines:
        for match in _US.finditer(line):
            first, second = int(match.group(1)), int(match.group(2))
            months_first += second > 12 >= first
            days_first += first > 12 >= second
    return months_first > 0 and days_first == 0


def url_year(url: str | None) -> int | None:
    """The year in an article URL (/2024/08/29/, /202408/, a20240829), if plausible."""
    if not url:
        return None
    path = url.split("://", 1)[-1].partition("/")[2]
    match = _URL_YEAR.search(path)
    return int(match.group(1)) if match else None


def written_date(
    lines: list[str],
    title_index: int | None,
    lang: str | None,
    url: str | None = None,
    *,
    month_day: bool = True,
    us_order: bool = False,
) -> str | None:
    """The first date written in the lines under the headline, else None.

    Without a headline to anchor on, the first lines of the page are read
    instead: dates further down are mostly lists of other articles. A date
    without a year (8月29日) takes the year of the URL or of the first full
    date on the page."""
    year_hint = (url_year(url) or _first_full_year(lines, lang)) if month_day else None
    start = title_index if title_index is not None else 0
    for line in lines[start : start + NEAR_TITLE_LINES]:
        found = dates_in_line(line, lang, year_hint, us_order)
        if found:
            return found[0]
    return None


def _first_full_year(lines: Iterable[str], lang: str | None) -> int | None:
    for line in lines:
        found = dates_in_line(line, lang)
        if found:
            return int(found[0][:4])
    return None
