"""Find the figures in a text: numbers with their kind, unit, currency, range and qualifier.

The scan runs over a *shadow* of the text (full-width forms mapped to ASCII,
one character for one), so every offset found is an offset in the original.
Steps, each linear in the text:

1. a master pattern finds number cores (Arabic, Chinese numerals, English
   words, 百分之…, …分之…, vague 数万 / tens of thousands);
2. each core grows to the right over scale words and one unit, and to the
   left over a currency sign;
3. dates, years, ordinals and digits inside names are dropped;
4. neighbours joined by a range connector become one range;
5. qualifier words before and after set `qualifier`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.figures.lexicon import Lexicon, Word, load_lexicon
from nlp.figures.numerals import (
    CN_BIG_UNITS,
    CN_DIGITS,
    CN_SMALL_UNITS,
    MAX_DIGITS,
    ascii_lower,
    parse_arabic,
    parse_chinese,
    parse_english,
    shadow,
)
from nlp.types import Figure

_CN = "零〇○一二两兩三四五六七八九十百千万萬亿億兆壹贰貳叁肆伍陆陸柒捌玖拾佰仟点點"
_CN_NUM = f"[{_CN}]+"
_ARABIC = r"[0-9]{1,3}(?:[,，][0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_EN_WORDS = (
    "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    "fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    "eighty|ninety|hundred|thousand|million|billion|trillion|dozen|half|halves|thirds?|"
    "quarters?|fourths?|fifths?|sixths?|sevenths?|eighths?|ninths?|tenths?|point"
)
_EN_FIRST = (
    "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    "fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    "eighty|ninety|hundred|thousand|million|billion|trillion|dozen|half"
)
_EN_NUMBER = (
    rf"(?:\b(?:an?|one)[\s-]+(?=(?:hundred|thousand|million|billion|trillion|dozen|half|third|"
    rf"quarter|fifth|tenth)\b))?\b(?:{_EN_FIRST})\b(?:(?:\s+|-)(?:and\s+)?(?:an?\s+)?(?:{_EN_WORDS})\b)*"
)
_EN_FRACTION = (
    r"\b(?:(?:an?|one|two|three|four|five|six|seven|eight|nine)[\s-]+"
    r"(?:half|halves|thirds?|quarters?|fourths?|fifths?|sixths?|sevenths?|eighths?|ninths?|tenths?)"
    r"|half)\b(?![\s-]+(?:a\s+)?(?:million|billion|trillion|dozen|year|hour|day|month|century))"
)
_EN_VAGUE = (
    r"\b(?:(?:tens|hundreds|thousands|dozens)\s+of\s+(?:thousands|millions|billions)"
    r"|(?:tens|hundreds|thousands|millions|billions|dozens)"
    r"|(?:several|a\s+few|a\s+handful\s+of)(?:\s+(?:hundred|thousand|million|billion))?)\b"
)
_VAGUE_CN = r"(?:十几|十幾|几十|幾十|数十|數十|数百|數百|数千|數千|[数數几幾])[十百千万萬亿億]*|上[十百千万萬亿億]+"

MASTER = re.compile(
    rf"(?P<pct>百分之(?:{_ARABIC}|{_CN_NUM}))"
    rf"|(?P<frac>(?:{_ARABIC}|{_CN_NUM})分之(?:{_ARABIC}|{_CN_NUM}))"
    rf"|(?P<half>一半|半数|半數|过半|過半|半額|半分)"
    rf"|(?P<vague_cn>{_VAGUE_CN})"
    rf"|(?P<mixed>[0-9]+(?:\.[0-9]+)?(?:[万萬亿億兆千百十][0-9]+(?:\.[0-9]+)?)+[万萬亿億兆千百]?)"
    rf"|(?P<slash>\b[0-9]{{1,3}}/[0-9]{{1,4}}\b)"
    rf"|(?P<arabic>{_ARABIC}|\.[0-9]+)"
    rf"|(?P<cn>{_CN_NUM})"
    rf"|(?P<en_vague>{_EN_VAGUE})"
    rf"|(?P<en_frac>{_EN_FRACTION})"
    rf"|(?P<en>{_EN_NUMBER})",
    re.IGNORECASE,
)

# Dates, times and phone numbers are blocked before any number is read.
_BLOCKED = re.compile(
    r"\b[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}\b"
    r"|\b[0-9]{1,2}[/.][0-9]{1,2}[/.][0-9]{2,4}\b"
    r"|\b[0-9]{4}/[0-9]{1,2}\b"
    r"|\b(?:19|20)[0-9]{2}-[0-9]{2}\b"
    r"|(?<![0-9.,])[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?![0-9])"
    r"|\b[0-9]{2,4}-[0-9]{7,8}\b"
    r"|\b[0-9]{4,6}\.(?:SH|SZ|HK|T|KS|TW|TWO|O|N)\b"
    r"|[(（][0-9]{4,6}[)）]"
)
_CHANGE_VERBS = frozenset(
    "rose risen rise rises rising climbed jumped increased increase grew grown fell fallen falls "
    "dropped declined decreased slid slipped cut raised lifted lowered boosted expanded shrank "
    "narrowed widened up down improved went moved changed surged soared plunged tumbled "
    "revised upgraded downgraded".split()
)
_RANGE_CONNECTORS = frozenset(["至", "到", "~", "-", "to", "和", "and", "と", "或"])
_STRONG_KINDS = frozenset(
    ["percent", "percentage_point", "money", "multiple", "fraction", "dimension", "duration"]
)
_ORDINAL_PREFIX = ("第", "#", "No.", "no.", "No. ", "Nr.")


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    value: float | None
    kind: str | None = None  # None: a bare number so far
    unit: str | None = None
    currency: str | None = None
    scaled: bool = False
    scale: float = 1.0
    qualifier: str | None = None
    date: bool = False
    source: str = "arabic"
    error: str | None = None

    @property
    def strong(self) -> bool:
        return self.kind in _STRONG_KINDS or self.scaled


class FigureExtractor:
    """Build once (it compiles the lexicon), call `extract` per text."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lex = lexicon or load_lexicon()
        families = sorted(self.lex.name_families, key=len, reverse=True)
        self._family_before = re.compile(
            r"(?:^|(?<=[^A-Za-z]))(?:" + "|".join(re.escape(f) for f in families) + r")[\s-]?$"
        )
        months = "|".join(self.lex.months_en)
        self._month_before = re.compile(rf"\b(?:{months})\.?,?\s*$", re.IGNORECASE)
        self._month_after = re.compile(rf"^\s*(?:{months})\b", re.IGNORECASE)

    # ------------------------------------------------------------ public

    def extract(
        self, text: str, lang: str = "zh", blocked: list[tuple[int, int]] | None = None
    ) -> list[Figure]:
        sh = shadow(text)
        low = ascii_lower(sh)
        spans = sorted([*(blocked or ()), *((m.start(), m.end()) for m in _BLOCKED.finditer(sh))])
        candidates: list[_Candidate] = []
        block_i = 0
        pos = 0
        while (match := MASTER.search(sh, pos)) is not None:
            found = _trim_cn_comma(text, match)
            pos = max(found[2], match.start() + 1)
            while block_i < len(spans) and spans[block_i][1] <= found[1]:
                block_i += 1
            if block_i < len(spans) and spans[block_i][0] < found[2]:
                pos = max(pos, spans[block_i][1])
                continue
            if candidates and found[1] < candidates[-1].end:
                continue
            candidate = self._read(text, sh, low, found, lang)
            if candidate is not None:
                candidates.append(candidate)
        merged = self._merge_ranges(sh, low, candidates)
        figures = []
        for candidate in merged:
            figure = self._finish(text, sh, low, candidate)
            if figure is not None:
                figures.append(figure)
        return figures

    # ------------------------------------------------------------ step 1+2: one number

    def _read(
        self, text: str, sh: str, low: str, found: tuple[str, int, int], lang: str
    ) -> _Candidate | None:
        group, start, end = found
        surface = sh[start:end]
        cand = _Candidate(start, end, None, source=group)
        if group == "pct":
            cand.value = _parse_any(surface[3:])
            cand.kind, cand.unit = "percent", "%"
        elif group == "frac":
            den_text, _, num_text = surface.partition("分之")
            den, num = _parse_any(den_text), _parse_any(num_text)
            if not den or num is None:
                return None
            cand.value, cand.kind = num / den, "fraction"
        elif group == "en_frac":
            cand.value, cand.kind = parse_english(surface), "fraction"
            head = low[max(0, start - 12) : start]
            if cand.value is None or re.search(
                r"(?:first|second|1st|2nd|the|latter|back)\s+$", head
            ):
                return None
            if low.startswith(
                ("quarter", "quarters"), start + len(surface) - 8
            ) and not low.startswith(" of", end):
                return None  # "in a quarter" is a period, "a quarter of" a fraction
        elif group == "half":
            cand.value, cand.kind = 0.5, "fraction"
            if surface in ("过半", "過半"):
                cand.qualifier = "more_than"
        elif group in ("vague_cn", "en_vague"):
            cand.value, cand.qualifier = _vague_scale(surface), "vague"
            if group == "en_vague":
                cand.scaled = cand.value >= 1000
            else:
                cand.scaled = cand.value >= 10
        elif group == "slash":
            num_text, _, den_text = surface.partition("/")
            num, den = float(num_text), float(den_text)
            if not den or num >= den or (den > 10 and den not in (100, 1000)):
                return None
            cand.value, cand.kind = num / den, "fraction"
        elif group in ("arabic", "mixed"):
            digits = re.sub(r"[^0-9]", "", surface)
            if len(digits) > MAX_DIGITS:
                cand.error = "number too long to read"
            else:
                cand.value = parse_chinese(surface) if group == "mixed" else parse_arabic(surface)
                if cand.value is None:
                    cand.error = "number out of range"
            if self._name_around(sh, start, end):
                return None
        elif group == "cn":
            surface = surface.rstrip("点點")
            end = start + len(surface)
            cand.end = end
            if not surface or all(ch in CN_SMALL_UNITS or ch in CN_BIG_UNITS for ch in surface):
                if surface not in ("十", "拾"):
                    return None
            cand.value = parse_chinese(surface)
            if cand.value is None:
                return None
        elif group == "en":
            cand.value = parse_english(surface)
            if cand.value is None:
                # "one hundred and three and a half": trim trailing words until it reads
                return None
            if (
                _starts_word(low, start, ("one of", "no one", "one another"))
                or low[max(0, start - 3) : start] == "no "
            ):
                return None
        if cand.kind is None or cand.kind in ("percent",):
            self._grow_right(sh, low, cand, lang)
        self._grow_left(sh, low, cand, lang)
        return cand

    def _grow_right(self, sh: str, low: str, cand: _Candidate, lang: str) -> None:
        """Scale words, 多/余, then one unit."""
        if cand.kind == "percent":
            return
        pos = cand.end
        lex = self.lex.suffixes
        money_scale_ok = False
        for _ in range(6):
            at = _skip_gap(sh, pos, cand.source)
            word = lex.longest_at(sh, low, at)
            if word is None and at != pos:
                word = lex.longest_at(sh, low, pos)
                at = pos
            if word is None:
                break
            category = word.category
            if category == "money_scale" and not (cand.currency or money_scale_ok):
                break
            if category in ("scale", "money_scale"):
                if cand.kind is not None:
                    break
                if cand.value is not None:
                    cand.value *= word.payload
                cand.scale *= word.payload
                cand.scaled = True
                pos = at + len(word.surface)
                continue
            if category == "inside_more":
                if word.surface == "+" and at != pos:
                    break
                cand.qualifier = cand.qualifier or "more_than"
                pos = at + len(word.surface)
                continue
            self._apply_unit(cand, word, sh, at, lang)
            if cand.kind is not None or cand.date:
                pos = at + len(word.surface)
            break
        cand.end = pos
        if cand.kind is None and not cand.date:
            self._count_noun(sh, low, cand, lang)

    def _apply_unit(self, cand: _Candidate, word: Word, sh: str, at: int, lang: str) -> None:
        category = word.category
        if category == "currency":
            code, _, factor = str(word.payload).partition(":")
            cand.kind, cand.currency = "money", cand.currency or code
            if factor and cand.value is not None:
                cand.value *= float(factor)
        elif category == "percent":
            cand.kind, cand.unit = "percent", "%"
        elif category == "percent_tenths":
            if cand.value is not None and cand.value <= 10 and not cand.scaled:
                cand.kind, cand.unit = "percent", "%"
                cand.value *= 10
        elif category == "percentage_point":
            cand.kind, cand.unit = "percentage_point", "pp"
        elif category == "basis_point":
            cand.kind, cand.unit = "percentage_point", "pp"
            if cand.value is not None:
                cand.value /= 100
        elif category == "multiple":
            if word.surface in ("x", "X", "×") and at != cand.end:
                return
            cand.kind, cand.unit = "multiple", "x"
        elif category == "dimension":
            cand.kind, cand.unit = "dimension", word.payload
        elif category == "duration":
            if word.surface == "年" and _is_calendar_year(cand, sh):
                cand.date = True
                return
            cand.kind, cand.unit = "duration", word.payload
        elif category == "count":
            if _is_article_one(cand, sh):
                return
            cand.kind, cand.unit = "count", word.surface
        elif category in ("date", "ordinal"):
            if category == "date" and word.surface in ("分", "秒") and cand.scaled:
                return
            cand.date = True

    def _count_noun(self, sh: str, low: str, cand: _Candidate, lang: str) -> None:
        """English (and Latin words in CJK text): the noun after the number is counted."""
        pos = cand.end
        gap = pos
        while gap < len(sh) and sh[gap] == " " and gap - pos < 2:
            gap += 1
        match = _LATIN_NOUN.match(sh, gap)
        if not match:
            return
        if gap == pos and cand.source in ("arabic", "en") and match.group()[0].isalpha():
            return  # glued letters: a name such as 910B, handled elsewhere
        noun = match.group()
        if ascii_lower(noun) == "of" and cand.source == "en_vague":
            after_of = _LATIN_NOUN.match(sh, gap + 3)
            if after_of is None or sh[gap + 2 : gap + 3] != " ":
                return
            currency = self.lex.suffixes.longest_at(sh, low, gap + 3, frozenset(["currency"]))
            if currency is not None:
                cand.kind, cand.currency = "money", currency.payload
                cand.end = gap + 3 + len(currency.surface)
                return
            noun = after_of.group()
            if ascii_lower(noun) in self.lex.en_not_nouns:
                return
            cand.kind, cand.unit = "count", noun
            return
        if ascii_lower(noun) in self.lex.en_not_nouns:
            return
        cand.kind, cand.unit = "count", noun

    def _grow_left(self, sh: str, low: str, cand: _Candidate, lang: str) -> None:
        """A currency sign or word written before the number; a minus sign."""
        pos = cand.start
        at = pos
        if at > 0 and sh[at - 1] == " ":
            at -= 1
        for probe in (pos, at):
            word = self.lex.prefixes.ending_at(sh, low, probe)
            if word is None:
                continue
            if word.category == "yen":
                code = self.lex.yen_sign.get(lang, "JPY")
                if word.surface.startswith("JP"):
                    code = "JPY"
                elif word.surface.startswith("CN"):
                    code = "CNY"
            else:
                code = word.payload
            if cand.kind not in (None, "money", "count"):
                return
            cand.kind = "money"
            cand.currency = code
            cand.unit = None
            cand.start = probe - len(word.surface)
            if cand.end < len(sh):
                self._money_tail(sh, low, cand)
            return

    def _money_tail(self, sh: str, low: str, cand: _Candidate) -> None:
        """After $/€/RMB: scale words such as bn, m, B, K and a currency word."""
        pos = cand.end
        for _ in range(3):
            at = _skip_gap(sh, pos, "arabic")
            word = self.lex.suffixes.longest_at(
                sh, low, at, frozenset(["scale", "money_scale", "currency"])
            )
            if word is None:
                break
            if word.category == "currency":
                pos = at + len(word.surface)
                break
            if cand.value is not None:
                cand.value *= word.payload
            cand.scale *= word.payload
            cand.scaled = True
            pos = at + len(word.surface)
        cand.end = pos

    # ------------------------------------------------------------ step 3: not figures

    def _name_around(self, sh: str, start: int, end: int) -> bool:
        """Digits inside a name: A100, GPT-4, Q4, 910B, 36Kr, RTX 4090."""
        before = sh[start - 1] if start else ""
        if before.isascii() and before.isalpha():
            return True
        if before == "-" and start >= 2 and sh[start - 2].isascii() and sh[start - 2].isalpha():
            return True
        if before == "." and start >= 2 and sh[start - 2].isdigit():
            return True  # 1.2.3
        return False

    def _is_name_or_date(self, sh: str, low: str, cand: _Candidate) -> bool:
        start, end = cand.start, cand.end
        head = sh[max(0, start - 24) : start]
        if head.endswith(_ORDINAL_PREFIX):
            return True
        if cand.strong:
            return False
        if self._family_before.search(head):
            return True
        if cand.value is not None and cand.value <= 31 and cand.value.is_integer():
            if self._month_before.search(head) or self._month_after.match(sh, end, end + 12):
                return True
        after = sh[end : end + 1]
        if after.isascii() and after.isalpha() and cand.source in ("arabic", "mixed"):
            return True
        if after == "-" and sh[end + 1 : end + 2].isalpha() and cand.kind is None:
            return True
        return False

    # ------------------------------------------------------------ step 4: ranges

    def _merge_ranges(self, sh: str, low: str, cands: list[_Candidate]) -> list[_Candidate]:
        out: list[_Candidate] = []
        i = 0
        while i < len(cands):
            first = cands[i]
            if i + 1 < len(cands):
                second = cands[i + 1]
                merged = self._as_range(sh, low, first, second)
                if merged is not None:
                    out.append(merged)
                    i += 2
                    continue
                if second.date and _gap_is_connector(low[first.end : second.start]):
                    first.date = True  # 4〜6月期, July 1-3
            out.append(first)
            i += 1
        return out

    def _as_range(
        self, sh: str, low: str, first: _Candidate, second: _Candidate
    ) -> _Candidate | None:
        gap = low[first.end : second.start]
        connector = gap.strip()
        if connector not in _RANGE_CONNECTORS or len(gap) > len(connector) + 2:
            return None
        if first.date or second.date or first.value is None or second.value is None:
            return None
        if first.error or second.error:
            return None
        before = low[max(0, first.start - 30) : first.start].split()
        if connector in ("and", "和", "と", "或"):
            if connector == "and" and not (before and before[-1] == "between"):
                return None
            if connector in ("和", "と", "或") and first.kind != second.kind:
                return None
            if connector != "and" and first.kind is None:
                return None
        if connector == "to" and len(before) >= 2 and before[-1] == "from":
            if before[-2] in _CHANGE_VERBS:
                return None
        if connector == "to" and before and before[-1] in _CHANGE_VERBS:
            return None
        if connector == "-" and gap != "-" and first.kind is None and second.kind is None:
            return None
        if first.kind is not None and second.kind is not None and first.kind != second.kind:
            return None
        if first.kind is not None and second.kind is None:
            return None
        low_value = first.value
        if not first.scaled and second.scale != 1.0 and first.kind is None:
            # 3至5万: the scale of the upper end applies to both
            if low_value * second.scale <= second.value:
                low_value *= second.scale
        if low_value > second.value:
            return None
        return _Range.make(first, second, low_value)

    # ------------------------------------------------------------ step 5: qualifiers, output

    def _finish(self, text: str, sh: str, low: str, cand: _Candidate) -> Figure | None:
        if cand.date:
            return None
        if isinstance(cand, _Range):
            if self._is_name_or_date(sh, low, cand.first):
                return None
        elif self._is_name_or_date(sh, low, cand):
            return None
        kind = cand.kind
        if kind is None:
            if cand.source in ("cn", "vague_cn", "en") and not cand.scaled:
                return None  # a bare Chinese numeral or number word is prose, not a figure
            if _looks_like_year(cand, sh):
                return None
            kind = "count" if cand.scaled else "number"
        if kind == "count" and _looks_like_year(cand, sh) and cand.source == "arabic":
            if cand.unit and cand.unit.isascii():
                return None
        qualifier = cand.qualifier or self._qualifier(sh, low, cand) or "exact"
        if cand.qualifier == "vague":
            qualifier = "vague"
        value = cand.value
        low_v = high_v = None
        if isinstance(cand, _Range):
            value, low_v, high_v = None, cand.low_value, cand.value
        if value is not None and kind == "fraction":
            value = round(value, 6)
        return Figure(
            text=text[cand.start : cand.end],
            start=cand.start,
            end=cand.end,
            kind=kind,
            value=_clean(value),
            low=_clean(low_v),
            high=_clean(high_v),
            unit=cand.unit if kind not in ("money", "fraction", "number") else None,
            currency=cand.currency if kind == "money" else None,
            qualifier=qualifier,
            error=cand.error,
        )

    def _qualifier(self, sh: str, low: str, cand: _Candidate) -> str | None:
        before_end = cand.start
        while before_end > 0 and sh[before_end - 1] == " ":
            before_end -= 1
        word = self.lex.qualifiers_before.ending_at(sh, low, before_end)
        if word is None:
            # 约为 / 达到约 / 超过了: one joining character between word and number
            for joiner in ("为", "為", "达", "達", "到", "了", "で", "に"):
                if before_end > 1 and sh[before_end - 1] == joiner:
                    word = self.lex.qualifiers_before.ending_at(sh, low, before_end - 1)
                    if word is not None:
                        break
        if word is not None and not _qualifier_is_part_of_word(sh, before_end, word):
            return word.category
        after = cand.end
        while after < len(sh) and sh[after] == " " and after - cand.end < 1:
            after += 1
        found = self.lex.qualifiers_after.longest_at(sh, low, after)
        if found is not None:
            return found.category
        return None


class _Range(_Candidate):
    """Two candidates read as one range; `value` holds the upper end."""

    __slots__ = ("first", "low_value")
    first: _Candidate
    low_value: float

    @staticmethod
    def make(first: _Candidate, second: _Candidate, low_value: float) -> _Range:
        rng = _Range(
            start=first.start,
            end=second.end,
            value=second.value,
            kind=second.kind,
            unit=second.unit,
            currency=second.currency or first.currency,
            scaled=second.scaled or first.scaled,
            qualifier=first.qualifier or second.qualifier,
            source=second.source,
        )
        rng.first = first
        rng.low_value = low_value
        if rng.kind is None and first.kind is not None:
            rng.kind, rng.unit = first.kind, first.unit
        return rng


# ---------------------------------------------------------------- helpers

_LATIN_NOUN = re.compile(r"[A-Za-z][A-Za-z0-9\-]*(?:'s)?")


def _trim_cn_comma(text: str, match: re.Match[str]) -> tuple[str, int, int]:
    """A Chinese comma separates thousands only between full-width digits (３，０００)."""
    group, start, end = match.lastgroup or "", match.start(), match.end()
    if group == "arabic" and "，" in text[start:end]:
        cut = text.index("，", start, end)
        if not ("０" <= text[cut - 1] <= "９"):
            end = cut
    return group, start, end


def _parse_any(surface: str) -> float | None:
    if surface and surface[0].isdigit():
        return parse_arabic(surface)
    return parse_chinese(surface)


def _vague_scale(surface: str) -> float:
    """数万 -> 10000, 几百 -> 100, tens of thousands -> 10000, several -> 1."""
    s = ascii_lower(surface)
    value = 1.0
    for ch in s:
        if ch in CN_SMALL_UNITS:
            value *= CN_SMALL_UNITS[ch]
        elif ch in CN_BIG_UNITS:
            value *= CN_BIG_UNITS[ch]
    for word, factor in (
        ("tens", 10),
        ("hundred", 100),
        ("thousand", 1000),
        ("million", 10**6),
        ("billion", 10**9),
        ("dozens", 12),
    ):
        value *= factor ** s.count(word)
    return value


def _skip_gap(sh: str, pos: int, source: str) -> int:
    """Allow one space (or a hyphen for English) between a number and its unit."""
    if pos < len(sh) and sh[pos] == " ":
        return pos + 1
    if pos < len(sh) and sh[pos] == "-" and source in ("arabic", "en") and pos + 1 < len(sh):
        if sh[pos + 1].isalpha():
            return pos + 1
    return pos


def _is_calendar_year(cand: _Candidate, sh: str) -> bool:
    value = cand.value
    if value is None:
        return False
    if cand.source == "cn" and all(ch in CN_DIGITS for ch in sh[cand.start : cand.end]):
        return len(sh[cand.start : cand.end]) >= 2
    if value.is_integer() and 1900 <= value <= 2100:
        return True
    # 24年3月期: a short year followed by a month
    return bool(re.match(r"年\s?[0-9一二三四五六七八九十]{1,2}\s?月", sh[cand.end : cand.end + 6]))


def _looks_like_year(cand: _Candidate, sh: str) -> bool:
    surface = sh[cand.start : cand.end]
    return (
        cand.value is not None
        and cand.value.is_integer()
        and 1900 <= cand.value <= 2100
        and re.fullmatch(r"[0-9]{4}", surface.split(" ")[0]) is not None
        and not cand.scaled
    )


def _is_article_one(cand: _Candidate, sh: str) -> bool:
    """一家公司 / 一位分析师: 一 before a classifier is an article, not a count."""
    return cand.source == "cn" and sh[cand.start : cand.end] == "一" and not cand.scaled


def _starts_word(low: str, start: int, phrases: tuple[str, ...]) -> bool:
    return any(low.startswith(p, start) for p in phrases)


def _gap_is_connector(gap: str) -> bool:
    return gap.strip() in _RANGE_CONNECTORS and len(gap) <= 3


def _qualifier_is_part_of_word(sh: str, end: int, word: Word) -> bool:
    """最近 (recently) and 附近 (nearby) end in 近 but are not 'about'."""
    start = end - len(word.surface)
    if start <= 0 or word.latin:
        return False
    return sh[start - 1 : end] in _NOT_QUALIFIERS


_NOT_QUALIFIERS = frozenset(
    ["最近", "附近", "临近", "臨近", "靠近", "贴近", "貼近", "亲近", "通过", "经过"]
)


def _clean(number: float | None) -> float | None:
    """No NaN or infinity; 300.4 * 1e8 is 30040000000, not 30039999999.999996."""
    if number is None:
        return None
    if number != number or number in (float("inf"), float("-inf")):
        return None
    return float(f"{number:.12g}")


_DEFAULT: FigureExtractor | None = None


def extract_figures(
    text: str, lang: str = "zh", blocked: list[tuple[int, int]] | None = None
) -> list[Figure]:
    """The figures of `text` (see the module docstring); `blocked` spans are skipped."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = FigureExtractor()
    return _DEFAULT.extract(text, lang, blocked)
