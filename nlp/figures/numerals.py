"""Numbers as written: Arabic, full-width, Chinese numerals and English words.

Parsers take the surface of one number and return its value (a float) or
None when the surface is not a number. They never raise on text.
"""

from __future__ import annotations

import re

# Full-width ASCII -> ASCII, ideographic space -> space: one character for
# one, so offsets in the mapped text are offsets in the original.
FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F) if code != 0xFF0C}
FULLWIDTH[0x3000] = 0x20
# The full-width comma stays: in Chinese prose it is a clause break, and only
# between full-width digits (３，０００) a thousands separator.
# Other characters that read as ASCII in numbers, also one for one.
FULLWIDTH.update(
    {
        ord("．"): ord("."),
        ord("〜"): ord("~"),
        ord("～"): ord("~"),
        ord("–"): ord("-"),
        ord("—"): ord("-"),
        ord("−"): ord("-"),
        ord("\u00a0"): ord(" "),
        ord("\u2009"): ord(" "),
        ord("\u202f"): ord(" "),
    }
)
_ASCII_LOWER = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}

MAX_DIGITS = 30  # longer digit runs are kept as text with an error


def shadow(text: str) -> str:
    """The text with full-width forms mapped to ASCII, same length as `text`."""
    return text.translate(FULLWIDTH)


def ascii_lower(text: str) -> str:
    """Lowercase A-Z only, so that the length never changes."""
    return text.translate(_ASCII_LOWER)


# ---------------------------------------------------------------- Arabic

_THOUSANDS = re.compile(r"[,，]")


def parse_arabic(surface: str) -> float | None:
    """'3,000' / '3，000' / '12.5' / '1 234' -> float; None if too long."""
    digits = _THOUSANDS.sub("", surface).replace(" ", "")
    if len(digits.replace(".", "")) > MAX_DIGITS:
        return None
    try:
        value = float(digits)
    except ValueError:
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return value


# ---------------------------------------------------------------- Chinese

CN_DIGITS = {
    "零": 0, "〇": 0, "○": 0, "０": 0, "洞": 0,
    "一": 1, "壹": 1, "幺": 1,
    "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2, "俩": 2, "倆": 2,
    "三": 3, "叁": 3, "參": 3, "仨": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}  # fmt: skip
CN_SMALL_UNITS = {"十": 10, "拾": 10, "什": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "兆": 10**12}
CN_POINT = {"点", "點"}
CN_NUMERAL_CHARS = "".join([*CN_DIGITS, *CN_SMALL_UNITS, *CN_BIG_UNITS, *CN_POINT])

_ARABIC_IN_CN = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def parse_chinese(surface: str) -> float | None:
    """Chinese numerals, possibly mixed with Arabic digits.

    三千 -> 3000, 两百 -> 200, 一千二百亿 -> 1.2e11, 十一 -> 11, 二〇二四 -> 2024,
    三点五亿 -> 3.5e8, 1.2万 -> 12000, 3万5千 -> 35000, 一千二 -> 1200.
    """
    s = surface.replace(",", "").replace("，", "").replace(" ", "")
    if not s:
        return None
    if all(ch in CN_DIGITS for ch in s):
        if len(s) == 1:
            return float(CN_DIGITS[s])
        # 二〇二四: digit by digit
        return float("".join(str(CN_DIGITS[ch]) for ch in s))
    try:
        return _parse_cn_big(s)
    except (ValueError, KeyError, IndexError, OverflowError):
        return None


def _parse_cn_big(s: str) -> float | None:
    for unit_chars, unit in (("兆", 10**12), ("亿億", 10**8), ("万萬", 10**4)):
        idx = max(s.rfind(ch) for ch in unit_chars)
        if idx < 0:
            continue
        left, right = s[:idx], s[idx + 1 :]
        left_value = _parse_cn_big(left) if left else 1.0
        if left_value is None:
            return None
        right_value: float | None = 0.0
        if right:
            # 三万五 -> 35000: a lone digit after a big unit counts in its tenth
            if len(right) == 1 and right in CN_DIGITS:
                right_value = CN_DIGITS[right] * unit / 10
            else:
                right_value = _parse_cn_big(right.lstrip("零〇"))
        if right_value is None:
            return None
        return left_value * unit + right_value
    return _parse_cn_section(s)


def _parse_cn_section(s: str) -> float | None:
    """A number below 10,000 (or a decimal) in Chinese numerals or Arabic digits."""
    if not s:
        return 0.0
    for point in CN_POINT:
        if point in s:
            whole, _, frac = s.partition(point)
            whole_value = _parse_cn_section(whole) if whole else 0.0
            if whole_value is None or not frac:
                return None
            frac_digits = "".join(str(CN_DIGITS[ch]) if ch in CN_DIGITS else ch for ch in frac)
            if not frac_digits.isdigit():
                return None
            return whole_value + float("0." + frac_digits)
    total = 0.0
    number: float | None = None
    last_unit = 0
    i = 0
    while i < len(s):
        ch = s[i]
        if ch.isdigit() or ch == ".":
            match = _ARABIC_IN_CN.match(s, i)
            if not match:
                return None
            number = float(match.group())
            i = match.end()
            continue
        if ch in CN_DIGITS:
            number = float(CN_DIGITS[ch])
        elif ch in CN_SMALL_UNITS:
            unit = CN_SMALL_UNITS[ch]
            total += (number if number is not None else 1.0) * unit
            number = None
            last_unit = unit
        else:
            return None
        i += 1
    if number is not None:
        # 一千二 -> 1200: a trailing digit right after a unit counts in its tenth
        if last_unit >= 100 and s[-2:-1] in CN_SMALL_UNITS and s[-1] in CN_DIGITS:
            total += number * last_unit / 10
        else:
            total += number
    return total


# ---------------------------------------------------------------- English

EN_UNITS = {
    "zero": 0, "nil": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}  # fmt: skip
EN_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
EN_SCALES = {
    "hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12,
}  # fmt: skip
EN_FRACTIONS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
    "fourth": 4, "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6,
    "seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9,
    "tenth": 10, "tenths": 10,
}  # fmt: skip
EN_NUMBER_WORDS = {**EN_UNITS, **EN_TENS, **EN_SCALES, "dozen": 12, "dozens": 12}

_EN_SPLIT = re.compile(r"[\s\-]+")


def parse_english(surface: str) -> float | None:
    """'twenty-one' -> 21, 'one hundred and three' -> 103, 'a third' -> 0.333…,
    'two thirds' -> 0.666…, 'three point five' -> 3.5, '1.5 million' -> 1.5e6."""
    words = [w for w in _EN_SPLIT.split(ascii_lower(surface).strip()) if w and w != "and"]
    if not words:
        return None
    if "point" in words:
        idx = words.index("point")
        whole = _parse_en_integer(words[:idx]) if idx else 0.0
        digits = [EN_UNITS.get(w) for w in words[idx + 1 :]]
        if whole is None or not digits or any(d is None or d > 9 for d in digits):
            return None
        return whole + float("0." + "".join(str(d) for d in digits))
    # numerator + fraction word: "a third", "two thirds", "one and a half"
    if words[-1] in EN_FRACTIONS:
        denominator = EN_FRACTIONS[words[-1]]
        head = words[:-1]
        if head and head[-1] in ("a", "an", "one"):
            numerator, head = 1.0, head[:-1]
        elif head and head[-1] in EN_UNITS:
            numerator, head = float(EN_UNITS[head[-1]]), head[:-1]
        elif not head and words[-1] in ("half",):
            numerator = 1.0
        else:
            return None
        whole = _parse_en_integer(head) if head else 0.0
        if whole is None:
            return None
        return whole + numerator / denominator
    return _parse_en_integer(words)


def _parse_en_integer(words: list[str]) -> float | None:
    total = 0.0
    current = 0.0
    seen = False
    for word in words:
        if word in ("a", "an"):
            current = current or 1.0
            continue
        if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", word):
            current += float(word)
        elif word in EN_UNITS:
            current += EN_UNITS[word]
        elif word in EN_TENS:
            current += EN_TENS[word]
        elif word in ("dozen", "dozens"):
            current = (current or 1.0) * 12
        elif word == "hundred":
            current = (current or 1.0) * 100
        elif word in EN_SCALES:
            total += (current or 1.0) * EN_SCALES[word]
            current = 0.0
        else:
            return None
        seen = True
    return total + current if seen else None


def to_chinese(value: int) -> str:
    """Write a non-negative integer in Chinese numerals (the inverse of
    parse_chinese, used by the property tests): 1200 -> 一千二百."""
    if value == 0:
        return "零"
    digits = "零一二三四五六七八九"
    out = []
    for big_value, big_name in ((10**12, "兆"), (10**8, "亿"), (10**4, "万")):
        if value >= big_value:
            out.append(to_chinese(value // big_value) + big_name)
            value %= big_value
            if 0 < value < big_value // 10:
                out.append("零")
    if value:
        section = []
        zero_pending = False
        for unit_value, unit_name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            digit = value // unit_value
            value %= unit_value
            if digit:
                if zero_pending:
                    section.append("零")
                    zero_pending = False
                section.append(digits[digit] + unit_name)
            elif section:
                zero_pending = True
        out.append("".join(section))
    text = "".join(out)
    return text[1:] if text.startswith("一十") else text
