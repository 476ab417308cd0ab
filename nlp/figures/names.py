"""Numbers that are no figures: dates, times, codes, addresses, and digits in
names (A100, GPT-4, RTX 4090, 36Kr), ordinals (第三, No. 5), identifiers
(股票代码688256), clock times (下午3点) and days of a month (July 31).

Dates, codes and addresses are fenced off by one pattern before any number is
read; the rest is decided per candidate from the words around it.
"""

from __future__ import annotations

import re

from nlp.figures.candidate import Candidate
from nlp.figures.lexicon import Lexicon, Word, alternation
from nlp.figures.scan import Page

# Dates, times, phone numbers and security codes. Each branch that starts with
# digits sits behind one guard: no digit before, a separator soon after.
_DATES_AND_CODES = re.compile(
    # one guard for every branch that starts with digits: a separator soon after
    r"(?<![0-9])(?=[0-9]{1,6}[-/.:点點时時])(?:"
    r"[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}(?![0-9])"  # 2024-06-30
    r"|(?<![./])[0-9]{1,2}[/.][0-9]{1,2}[/.][0-9]{2,4}(?![0-9])"  # 6/30/2024
    r"|[0-9]{4}/[0-9]{1,2}(?![0-9/])"  # 2024/06
    r"|(?:19|20)[0-9]{2}-[0-9]{2}(?![0-9%])"  # 2024-06
    r"|(?<![.,])[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?![0-9])"  # 10:30
    r"|[0-9]{2,4}-[0-9]{3,4}-[0-9]{4}(?![0-9])"  # 400-820-1234
    r"|[0-9]{2,4}-[0-9]{7,8}(?![0-9])"  # 010-12345678
    r"|[0-9]{4,6}\.(?:SH|SZ|HK|T|KS|TW|TWO|O|N)(?![A-Za-z])"  # 688256.SH
    r"|[0-9]{1,2}[点點时時][0-9]{1,2}分"  # 3点30分
    r")"
    r"|\+[0-9]{1,3}[ -]?[0-9]{2,4}[ -][0-9]{3,4}[ -][0-9]{3,4}(?![0-9])"  # +1 408-555-0199
    r"|[(（][0-9]{4,6}[)）]"  # (9984)
)
# Numbers inside web addresses (search?q=30%25) are no figures.
# Numbers inside web addresses (search?q=30%25) are no figures.
_URL = re.compile(r"(?=[hHwW])(?:https?://|www\.)[!-~]+")
_ID_JOINERS = frozenset(" 为為是:：")


class Fences:
    """Spans no figure may touch (dates, codes, entity names), walked left to
    right with the cores."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self._spans = sorted(spans)
        self._i = 0

    def stops(self, start: int, end: int) -> bool:
        spans = self._spans
        while self._i < len(spans) and spans[self._i][1] <= start:
            self._i += 1
        return self._i < len(spans) and spans[self._i][0] < end


class NameRules:
    """The rules that tell a number in a name, a date or a code; built once per lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        glued = alternation(lexicon.names_glued)
        # One pass for every fence: dates, codes, addresses, names that begin
        # with digits. A digit only starts one when no digit stands before it.
        self._fences = re.compile(
            r"(?=[0-9(（+hw])(?:(?<![0-9])(?=[0-9])|(?=[(（+][0-9]|https?:|www\.))(?:"
            rf"{_DATES_AND_CODES.pattern}|{_URL.pattern}"
            rf"|(?<![0-9A-Za-z])(?:{glued})(?![A-Za-z0-9]))"
        )
        # Last characters of identifier words: 代码 为 688256 is only looked for after 码.
        self._id_ends = frozenset(w.surface[-1] for w in lexicon.marks_before.words("id"))
        # For each numeral character, the listed words holding it and where.
        self._words_at: dict[str, list[tuple[int, str]]] = {}
        for word in lexicon.cjk_words:
            for offset, char in enumerate(word):
                self._words_at.setdefault(char, []).append((offset, word))

    # ------------------------------------------------------------ fences

    def fences(
        self, page: Page, blocked: list[tuple[int, int]] | None, keep_dates: bool = False
    ) -> Fences:
        hard = list(blocked or ())
        for match in self._fences.finditer(page.sh):
            if not keep_dates or _URL.match(match.group()):
                hard.append(match.span())
        return Fences(hard)

    def inside_word(self, page: Page, start: int) -> bool:
        """统一, 四川, 一些: the numeral at `start` is part of a word listed as no number."""
        sh = page.sh
        for offset, word in self._words_at.get(sh[start : start + 1], ()):
            if offset <= start and sh.startswith(word, start - offset):
                return True
        return False

    # ------------------------------------------------------------ not figures

    def glued_to_letters(self, page: Page, cand: Candidate) -> bool:
        """Digits touching Latin letters are part of a word: A100, 910B, 4th, 180ml."""
        sh = page.sh
        before = sh[cand.start - 1] if cand.start else ""
        if before.isascii() and before.isalpha():
            return True
        if cand.end != cand.num_end:
            return False  # a unit was read: 72颗Blackwell, 5,000mAh
        after = sh[cand.end : cand.end + 1]
        return cand.source == "arabic" and after.isascii() and after.isalpha()

    def is_name_or_date(self, page: Page, cand: Candidate) -> bool:
        """Digits in names (GPT-4, RTX 4090, 36Kr), ordinals (第三, No. 5), codes
        (股票代码688256, 06869), clock times (下午3点) and days (July 31)."""
        sh, low = page.sh, page.low
        start, end = cand.start, cand.end
        if self.glued_to_letters(page, cand):
            return True
        digits = cand.num_start
        if digits >= 2 and sh[digits - 1] == "-" and _word_with_letters_before(sh, digits - 1):
            return True  # GPT-4, SCP-173, scp2-173
        mark = self.lex.marks_before.ending_at(sh, low, start)
        if mark is None and start > 0 and sh[start - 1] in _ID_JOINERS:
            mark = self._id_before(page, start)
        strong = cand.strong and cand.kind != "duration"
        if mark is not None and (mark.category != "time" or not strong):
            return True  # 第三, 股票代码688256, 下午3点
        if strong:
            return False
        if self._family_before(page, start):
            return True
        if self.lex.names_after.longest_at(sh, low, _skip_space(sh, cand.num_end)) is not None:
            return True
        if cand.source == "arabic" and _leading_zero(sh[cand.num_start : cand.num_end]):
            return True  # 06869: a code, not a quantity
        if cand.value is not None and cand.value <= 31 and cand.value.is_integer():
            if self._month_around(page, start, cand.num_end):
                return True  # July 31, 31 July
        after = sh[end : end + 1]
        return after == "-" and sh[end + 1 : end + 2].isalpha() and cand.kind is None

    def _family_before(self, page: Page, start: int) -> bool:
        """RTX 4090, RTX4090, GPT-4, Ryzen AI 300, Core Ultra 7: a product family
        right before the number, maybe with one short capitalised word between."""
        sh, low = page.sh, page.low
        at = start - 1 if sh[start - 1 : start] in (" ", "-") else start
        families = self.lex.name_families
        if families.ending_at(sh, low, at) is not None:
            return True
        word_end = at
        while at > 0 and sh[at - 1].isascii() and sh[at - 1].isalpha() and word_end - at < 6:
            at -= 1
        if word_end - at < 1 or not sh[at].isupper() or sh[at - 1 : at] != " ":
            return False
        return families.ending_at(sh, low, at - 1) is not None

    def _month_around(self, page: Page, start: int, end: int) -> bool:
        """A month name right before (July 31, Jul. 31) or after (31 July, 31st of May)."""
        sh, low = page.sh, page.low
        before = start
        while before > 0 and sh[before - 1] in " .," and start - before < 3:
            before -= 1
        if self.lex.months_en.ending_at(sh, low, before) is not None:
            return True
        after = end + 1 if sh[end : end + 1] == " " else end
        if low.startswith("of ", after):
            after += 3
        return self.lex.months_en.longest_at(sh, low, after) is not None

    def _id_before(self, page: Page, start: int) -> Word | None:
        """股票代码为688256, ticker: 9984: an identifier word, then 为 / 是 / a colon."""
        sh = page.sh
        at = start
        while at > 0 and sh[at - 1] in _ID_JOINERS:
            at -= 1
        if sh[at - 1 : at] not in self._id_ends:
            return None
        word = self.lex.marks_before.ending_at(sh, page.low, at)
        return word if word is not None and word.category == "id" else None


def _word_with_letters_before(sh: str, end: int) -> bool:
    """Whether the letters-and-digits word ending at `end` is a name: it begins
    with a Latin letter (GPT-4, SCP-173, scp2-173; but 5k-20k is a range)."""
    pos = end
    while pos > 0 and sh[pos - 1].isascii() and sh[pos - 1].isalnum() and end - pos < 24:
        pos -= 1
    return pos < end and sh[pos].isalpha()


def _skip_space(sh: str, pos: int) -> int:
    return pos + 1 if sh[pos : pos + 1] == " " else pos


def _leading_zero(digits: str) -> bool:
    return len(digits) >= 2 and digits[0] == "0" and digits[1].isdigit()
