"""What stands around a number core: scale words, one unit, a currency sign.

`Units.grow` takes a core from the scanner and reads, to its right, scale
words (万, 亿, million, bn), 多/余, then one unit (a currency, %, 成, 个百分点,
倍, times, a dimension, a duration, a classifier) and what may follow it
(一吨半, 七成六, 5 feet 2 inches, 3 dollars 50 cents); to its left, a
currency sign or word ($, US$, ¥ by language, 人民币). A number with no unit
in English text counts the noun after it (`nlp.figures.nouns`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from nlp.figures.candidate import Candidate
from nlp.figures.lexicon import Lexicon, Word
from nlp.figures.nouns import CountedNouns
from nlp.figures.numerals import CN_DIGITS, parse_chinese, parse_english
from nlp.figures.scan import Page

UnitReader = Callable[[Page, Candidate, Word, int], bool]


class Units:
    """Grows candidates over the words around them; built once per lexicon."""

    def __init__(self, lexicon: Lexicon, numbers_mode: bool = False) -> None:
        self.lex = lexicon
        self.numbers_mode = numbers_mode
        self.nouns = CountedNouns(lexicon)
        self._unit_readers: dict[str, UnitReader] = {
            "currency": self._money,
            "pounds": self._pounds,
            "percent_tenths": self._tenths,
            "multiple": self._multiple,
            "dimension_symbol": self._symbol,
            "duration": self._duration,
            "count": self._count,
            "date": self._date,
            "ordinal": self._date,
        }

    def grow(self, page: Page, cand: Candidate, floor: int) -> None:
        """`floor`: where the previous figure ends; no sign before it is ours."""
        if cand.kind is None or (cand.kind == "fraction" and cand.source != "half"):
            self._grow_right(page, cand)
        elif cand.source == "per_unit":
            self._grow_scales(page, cand)
        self._grow_left(page, cand, floor)
        if cand.kind == "money":
            self._cents(page, cand)
        if cand.kind is None and not cand.date:
            self.nouns.count(page, cand)

    def _grow_right(self, page: Page, cand: Candidate) -> None:
        """Scale words, 多/余, then one unit (and what may follow the unit)."""
        pos = cand.end
        for _ in range(6):
            word, at = self._suffix_at(page, cand, pos)
            if word is None:
                break
            end = at + len(word.surface)
            if word.category in _SCALES:
                if cand.kind is not None or (cand.source == "cjk" and not word.surface.isascii()):
                    break  # 五十千: a Chinese unit the numeral itself refused
                cand.scale_by(word.payload)
                pos = cand.num_end = end
                continue
            if word.category == "inside_more":
                if word.surface == "+" and at != pos:
                    break
                cand.qualifier = cand.qualifier or "more_than"
                pos = end
                continue
            if cand.kind == "fraction" and word.category not in _FRACTION_UNITS:
                break
            if self._apply_unit(page, cand, word, at):
                pos = self._after_unit(page, cand, end)
            break
        cand.end = pos
        if cand.kind is None:
            self._bracketed_unit(page, cand)

    def _bracketed_unit(self, page: Page, cand: Candidate) -> None:
        """20 (kg), 20 [kg]: a unit symbol written in brackets after the number."""
        sh = page.sh
        opener = sh[cand.end + 1 : cand.end + 2]
        if sh[cand.end : cand.end + 1] != " " or opener not in _BRACKETS:
            return
        at = cand.end + 2
        word = self.lex.suffixes[page.lang].longest_at(sh, page.low, at, _DIMENSION)
        if word is None:
            return
        close = at + len(word.surface)
        if sh[close : close + 1] == _BRACKETS[opener]:
            cand.kind, cand.unit = "dimension", word.payload
            cand.end = close + 1

    def _grow_scales(self, page: Page, cand: Candidate) -> None:
        """百分之15k: scale words only."""
        word, at = self._suffix_at(page, cand, cand.end)
        if word is not None and word.category in _SCALES and word.surface.isascii():
            cand.scale_by(word.payload)
            cand.end = cand.num_end = at + len(word.surface)

    def _suffix_at(self, page: Page, cand: Candidate, pos: int) -> tuple[Word | None, int]:
        """The word written right after `pos` (one space, or a hyphen in 6.7-inch, may
        stand between); a money-only scale (m, B, K) only where money is meant."""
        sh = page.sh
        following = sh[pos : pos + 1]
        if following == " ":
            return self._suffix_word(page, cand, pos + 1), pos + 1
        if (
            following == "-"
            and sh[pos + 1 : pos + 2].isalpha()
            and cand.source in ("arabic", "english")
        ):
            word = self._suffix_word(page, cand, pos + 1)
            if word is not None:
                return word, pos + 1
        return self._suffix_word(page, cand, pos), pos

    def _suffix_word(self, page: Page, cand: Candidate, at: int) -> Word | None:
        table = self.lex.suffixes[page.lang]
        word = table.longest_at(page.sh, page.low, at)
        if word is not None and word.category == "money_scale":
            if not self._money_scale_ok(page, cand, at + len(word.surface)):
                word = table.longest_at(page.sh, page.low, at, _NOT_MONEY_SCALE)
        return word

    def _money_scale_ok(self, page: Page, cand: Candidate, end: int) -> bool:
        """$5m, €2b, 75 USD million: money; "5m" alone is five metres."""
        if cand.currency is not None or self._prefix_before(page, cand) is not None:
            return True
        if self.numbers_mode:
            return page.sh[end - 1 : end] not in ("m", "t")
        at = end + 1 if page.sh[end : end + 1] == " " else end
        word = self.lex.suffixes[page.lang].longest_at(page.sh, page.low, at, _CURRENCY)
        return word is not None

    def _apply_unit(self, page: Page, cand: Candidate, word: Word, at: int) -> bool:
        """Set kind and unit from the word after the number; False if it does not fit."""
        special = self._unit_readers.get(word.category)
        if special is not None:
            return special(page, cand, word, at)
        kind, unit, factor = _SIMPLE_UNITS[word.category]
        cand.kind, cand.unit = kind, unit if unit != "=" else word.payload
        if factor != 1 and cand.value is not None:
            cand.value *= factor
        return True

    def _pounds(self, page: Page, cand: Candidate, word: Word, at: int) -> bool:
        """361 million pounds is money; a plain 25 pounds is a weight."""
        if cand.scaled or cand.currency:
            cand.kind, cand.currency = "money", self.lex.pounds_code
        else:
            cand.kind, cand.unit = "dimension", self.lex.pounds_weight
        return True

    def _count(self, page: Page, cand: Candidate, word: Word, at: int) -> bool:
        """三千名, 10万片; 五十打 counts dozens; 一家 and 一位 are articles, no count."""
        article = _one_as_article(page, cand)
        multiplier = self.lex.count_multipliers.get(word.surface)
        if multiplier and cand.number is not None:
            cand.number *= multiplier
            cand.num_end = at + len(word.surface)
        if article:
            return False
        cand.kind, cand.unit = "count", word.surface
        return True

    def _date(self, page: Page, cand: Candidate, word: Word, at: int) -> bool:
        """6月, 2024年度, 10时, 4th, 1990s, 10 a.m.: a date, a time or a rank."""
        if word.category == "ordinal" and at != cand.end:
            return False  # "5 s" is not "5s"
        cand.date = True
        return True

    def _money(self, page: Page, cand: Candidate, word: Word, at: int) -> bool:
        if _sign_of_next(page, word, at):
            return False
        code, _, factor = str(word.payload).partition(":")
        cand.kind = "money"
        cand.currency = code
        cand.generic_currency = word.surface in _GENERIC_CURRENCY
        if factor and cand.value is not None:
            cand.value *= float(factor)
        return True

    def _tenths(self, page: Page, cand: Candidate, word: Word, at: int) -> bool:
        """N成 / N割 = N×10 %; N折 likewise, but 75折 / 三八折 are already 75 % / 38 %."""
        value = cand.value
        if value is None or cand.scaled or value <= 0:
            return False
        written = page.sh[cand.num_start : cand.num_end].replace(" ", "")
        if value <= 10 and not (word.surface == "折" and value == 10):
            percent = value * 10
        elif word.surface == "折" and value < 100 and value.is_integer() and len(written) == 2:
            percent = value
        else:
            return False
        cand.kind, cand.unit, cand.value = "percent", "%", percent
        return True

    def _multiple(self, page: Page, cand: Candidate, word: Word, at: int) -> bool:
        """1.2倍, 3 times, 10x (the x glued to the number and standing alone)."""
        if word.surface in ("x", "X", "×"):
            after = page.sh[at + 1 : at + 2]
            if at != cand.end or (after.isascii() and after.isalnum()):
                return False
        cand.kind, cand.unit = "multiple", "x"
        return True

    def _symbol(self, page: Page, cand: Candidate, word: Word, at: int) -> bool:
        """m: millions before a counted noun (5m users), else metres; t: tonnes."""
        end = at + len(word.surface)
        noun = self.nouns.noun_at(page, end) if word.surface == "m" else None
        if noun is not None and noun.group().endswith("s"):
            cand.scale_by(1e6)
            cand.num_end = end
            return False
        cand.kind, cand.unit = "dimension", word.payload
        return True

    def _duration(self, page: Page, cand: Candidate, word: Word, at: int) -> bool:
        """年 after a calendar year and 日 after a day of the month are dates."""
        if word.surface == "年" and _is_calendar_year(page, cand):
            cand.date = True
            return True
        if word.surface == "日" and (cand.value is None or cand.value <= 31):
            cand.date = True
            return True
        if _one_as_article(page, cand) and page.sh[cand.start - 1 : cand.start] in _DETERMINERS:
            return False  # 关键的一年, 这一年, 每一天: "a year", not one year
        cand.kind, cand.unit = "duration", word.payload
        return True

    def _after_unit(self, page: Page, cand: Candidate, pos: int) -> int:
        """一吨半 / 三成半: half a unit more; 5 feet 2 inches: inches in feet;
        75 USD million: a scale after the currency."""
        sh = page.sh
        if cand.unit == "ft" and cand.value is not None:
            inches = _INCHES_AFTER_FEET.match(page.low, pos)
            if inches is not None:
                cand.value += float(inches["n"]) / 12
                return inches.end()
        if (
            sh[pos : pos + 1] == "半"
            and cand.value is not None
            and cand.kind in ("dimension", "percent")
        ):
            cand.value += 5 if cand.kind == "percent" else 0.5
            return pos + 1
        tenth = _DIGIT_AFTER_TENTHS.match(sh, pos) if sh[pos - 1 : pos] in "成割" else None
        if tenth is not None and cand.value is not None and cand.kind == "percent":
            cand.value += float(CN_DIGITS.get(tenth["d"], tenth["d"]))  # 七成六 = 76 %
            return tenth.end()
        if cand.kind == "money":
            word, at = self._suffix_at(page, cand, pos)
            if word is not None and word.category in _SCALES and not cand.scaled:
                cand.scale_by(word.payload)
                return at + len(word.surface)
        return pos

    def _prefix_before(
        self, page: Page, cand: Candidate, floor: int = 0
    ) -> tuple[Word, int] | None:
        """The currency sign or word ending right before the number (one space may
        stand between), with where it starts; never before `floor`."""
        sh, low = page.sh, page.low
        probe = cand.start
        for _ in range(2):
            word = self.lex.prefixes.ending_at(sh, low, probe)
            if word is not None and probe - len(word.surface) >= floor:
                return word, probe - len(word.surface)
            if probe == 0 or sh[probe - 1] != " ":
                break
            probe -= 1
        return None

    def _grow_left(self, page: Page, cand: Candidate, floor: int) -> None:
        """A currency sign or word written before the number ($, US$, ¥, 人民币)."""
        if cand.kind not in (None, "money", "count"):
            return
        found = self._prefix_before(page, cand, floor)
        if found is None:
            self._currency_before_qualifier(page, cand)
            return
        word, start = found
        code = self._prefix_currency(page, word)
        if cand.kind == "money" and cand.currency and not cand.generic_currency:
            code = cand.currency  # 美元100亿美元: the written suffix decides
        cand.kind, cand.currency, cand.unit = "money", code, None
        if word.surface.isascii() or not word.surface[-1].isalpha():
            cand.start = start  # signs and codes ($, NT$, RMB) are part of the surface;
        else:  # currency words (人民币50亿元, 新台幣6,735億元) stand outside it
            cand.lead = start
        self._money_tail(page, cand)

    def _currency_before_qualifier(self, page: Page, cand: Candidate) -> None:
        """换算新台币近百万元: a currency named before the qualifier says what 元 is."""
        if cand.kind != "money" or not cand.generic_currency:
            return
        qualifier = self.lex.qualifiers_before.ending_at(page.sh, page.low, cand.start)
        if qualifier is None:
            return
        at = cand.start - len(qualifier.surface)
        word = self.lex.prefixes.ending_at(page.sh, page.low, at)
        if word is not None and word.category == "currency":
            cand.currency = str(word.payload)

    def _prefix_currency(self, page: Page, word: Word) -> str:
        if word.category != "yen":
            return str(word.payload)
        return self.lex.yen_marked.get(word.surface) or self.lex.yen_by_lang[page.lang]

    def _money_tail(self, page: Page, cand: Candidate) -> None:
        """After $/€/RMB: scale words (bn, m, B, K) and a currency word."""
        pos = cand.end
        for _ in range(3):
            word, at = self._suffix_at(page, cand, pos)
            if word is None or word.category not in (*_SCALES, "currency"):
                break
            if word.category == "currency":
                if not _sign_of_next(page, word, at):
                    pos = at + len(word.surface)
                break
            cand.scale_by(word.payload)
            pos = cand.num_end = at + len(word.surface)
        cand.end = pos

    def _cents(self, page: Page, cand: Candidate) -> None:
        """3 dollars 50 cents, thirteen dollars and forty-five, 五元三毛, 两美元又三美分:
        a smaller amount written after a whole one belongs to it."""
        if cand.scaled or cand.value is None or not float(cand.value).is_integer():
            return
        for _ in range(2):  # 50元6角三分: dimes, then cents
            match = _CENTS.match(page.low, cand.end)
            amount = None if match is None else _small_amount(match["amount"])
            if match is None or amount is None:
                return
            subunit = match["subunit"]
            if subunit is not None:
                share = self.lex.subunits.get(subunit.strip())
            elif page.lang == "en":
                share = 0.01  # "15 dollars 50": cents
            else:
                return
            if share is None:
                return
            cand.value += amount * share
            cand.end = match.end()


_FRACTION_UNITS = frozenset(["currency", "dimension", "dimension_symbol", "duration", "pounds"])
_SCALES = frozenset(["scale", "money_scale"])
_GENERIC_CURRENCY = frozenset(["元", "$", "dollars", "dollar", "ドル"])
_NOT_MONEY_SCALE = frozenset(
    ["scale", "currency", "pounds", "percent", "percent_tenths", "percentage_point",
     "basis_point", "multiple", "score", "dimension", "dimension_symbol", "duration", "count",
     "date", "ordinal", "inside_more"]
)  # fmt: skip
_CURRENCY = frozenset(["currency"])
_DIMENSION = frozenset(["dimension", "dimension_symbol"])
_DIGIT_AFTER_TENTHS = re.compile(
    r"[ ]?(?P<d>[一二三四五六七八九])(?![0-9一二三四五六七八九十百千万亿个個家名位人台款部套件次年月日天%])"
)
_BRACKETS = {"(": ")", "[": "]", "{": "}", "<": ">"}
_INCHES_AFTER_FEET = re.compile(
    r"(?:[ ]and)?[ ](?P<n>[0-9]{1,2}(?:\.[0-9]+)?)[ ]?(?:inches|inch|in)\b"
)
_SIMPLE_UNITS: dict[str, tuple[str, str | None, float]] = {
    "percent": ("percent", "%", 1.0),
    "percentage_point": ("percentage_point", "pp", 1.0),
    "basis_point": ("percentage_point", "pp", 0.01),
    "score": ("number", None, 1.0),
    "dimension": ("dimension", "=", 1.0),
}
_EN_TO_99 = (
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[ -](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
)
_CENTS = re.compile(
    rf"(?:[ ]and[ ]|[ ]|又|零)?(?P<amount>[0-9]{{1,2}}(?![0-9]|[.,][0-9])|{_EN_TO_99}|[一二两三四五六七八九十]{{1,3}})"
    r"(?:(?P<subunit>[ ]?(?:cents?|美分|角|毛|分(?![钟鐘])))|(?![ ]?[a-z0-9一-龥%]))"
)


def _small_amount(text: str) -> float | None:
    if text.isdigit():
        return float(text)
    if text.isascii():
        return parse_english(text)
    return parse_chinese(text)


def _one_as_article(page: Page, cand: Candidate) -> bool:
    return cand.source == "cjk" and page.sh[cand.num_start : cand.num_end] == "一"


_DETERMINERS = frozenset("的这這那每同该該")


def _sign_of_next(page: Page, word: Word, at: int) -> bool:
    """ "10 $ 30": a currency sign right before a number belongs to that number."""
    end = at + len(word.surface)
    return not word.surface[-1].isalpha() and _DIGIT_NEXT.match(page.sh, end, end + 2) is not None


_DIGIT_NEXT = re.compile(r" ?[0-9]")


def _is_calendar_year(page: Page, cand: Candidate) -> bool:
    """2024年, 二〇二四年, 24年3月期: a year of the calendar, not three years."""
    value = cand.value
    if value is None:
        return False
    surface = page.sh[cand.num_start : cand.num_end]
    if (
        cand.source == "cjk"
        and len(surface) >= 2
        and all(ch in "零〇○一二三四五六七八九" for ch in surface)
    ):
        return True
    if value.is_integer() and 1900 <= value <= 2100:
        return True
    return _YEAR_THEN_MONTH.match(page.sh, cand.end, cand.end + 6) is not None


_YEAR_THEN_MONTH = re.compile(r"年\s?[0-9一二三四五六七八九十]{1,2}\s?月")
