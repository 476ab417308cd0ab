"""Numbers as written: Arabic, full-width, Chinese numerals and English words.

Parsers take the surface of one number and return its value (a float) or
None when the surface is not a well-formed number. They never raise on text.
Finding where a number starts and ends is the scanner's job
(`nlp.figures.scan`); these functions only read a surface already cut out.
"""

from __future__ import annotations

import math
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
_FULLWIDTH_CHARS = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(FULLWIDTH)) + "]")
_ASCII_LOWER = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")

MAX_DIGITS = 30  # longer digit runs are kept as text with an error
# A float holds integers exactly up to 2**53 (16 digits); an integer part longer
# than 15 digits would be stored rounded, so it is kept as text with an error too.
MAX_INTEGER_DIGITS = 15


def shadow(text: str) -> str:
    """The text with full-width forms mapped to ASCII, same length as `text`."""
    if _FULLWIDTH_CHARS.search(text) is None:
        return text
    return _FULLWIDTH_CHARS.sub(lambda m: chr(FULLWIDTH[ord(m.group())]), text)


def ascii_lower(text: str) -> str:
    """Lowercase A-Z only, so that the length never changes.

    (On UTF-8 bytes: no byte of a multi-byte character is below 0x80, and a byte
    table is some fifteen times faster than `str.translate` with a dict.)"""
    if text.isascii():
        return text.lower()
    data = text.encode("utf-8", "surrogatepass").translate(_ASCII_LOWER)
    return data.decode("utf-8", "surrogatepass")


def same_length_lower(text: str) -> str:
    """`str.lower` (fast) unless it would change the length (İ -> i̇), then A-Z only."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else ascii_lower(text)


def finite(value: float | None) -> float | None:
    """None for NaN and infinities: a value a figure can carry."""
    if value is None or math.isnan(value) or math.isinf(value):
        return None
    return value


# ---------------------------------------------------------------- Arabic

_ARABIC_NUMBER = re.compile(
    r"(?P<sign>-?)(?P<mantissa>[0-9]*\.?[0-9]+)"
    r"(?:[eE](?P<exp>[+-]?[0-9]+)|\^(?P<power>-{0,2}\+?[0-9]+)|[x×]10\^(?P<times>[+-]?[0-9]+))?"
)


def parse_arabic(surface: str) -> float | None:
    """'3,000' / '3，000' / '12.5' / '1 234' / '.5' / '2e5' / '1.1^23' -> float.

    None when the digits are too many to be a quantity (MAX_DIGITS) or the
    surface is not one number.
    """
    if surface.isascii() and surface.replace(".", "", 1).isdigit() and surface[-1] != ".":
        exact = len(surface.partition(".")[0].lstrip("0")) <= MAX_INTEGER_DIGITS
        return float(surface) if exact and len(surface) <= MAX_DIGITS else None  # common case
    digits = surface.replace(",", "").replace("，", "").replace(" ", "")
    if len(digits) > MAX_DIGITS + 6:
        return None
    match = _ARABIC_NUMBER.fullmatch(digits)
    if match is None or len(match["mantissa"].replace(".", "")) > MAX_DIGITS:
        return None
    if len(match["mantissa"].partition(".")[0].lstrip("0")) > MAX_INTEGER_DIGITS:
        return None
    value = float(match["mantissa"])
    try:
        if match["exp"] is not None or match["times"] is not None:
            value *= 10.0 ** int(match["exp"] or match["times"])
        elif match["power"] is not None:
            # 2^-1, 1.1^+23; a doubled minus (-1.1^--23) cancels out
            exponent = int(match["power"].replace("--", "").replace("+", ""))
            value = value**exponent
    except (OverflowError, ZeroDivisionError):
        return None
    return finite(-value if match["sign"] else value)


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
CN_POINT = frozenset("点點")
CN_NEGATIVE = frozenset("负負-")
# Characters that stand inside a numeral for "some" or "more" (十几万, 一千多万,
# 五百余万): they do not change the value read, only the qualifier.
CN_VAGUE_MARKS = frozenset("几幾多余餘")
CN_NUMERAL_CHARS = "".join([*CN_DIGITS, *CN_SMALL_UNITS, *CN_BIG_UNITS, *CN_POINT])
# 两 counts (两千) but is never a digit of a digit-by-digit number (二〇二四).
_NOT_SPELLED_DIGITS = frozenset("两兩俩倆仨")

_ARABIC_RUN = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_BIG_ORDER = (("兆", 10**12), ("亿億", 10**8), ("万萬", 10**4))


def parse_chinese(surface: str) -> float | None:
    """Chinese numerals, possibly mixed with Arabic digits.

    三千 -> 3000, 两百 -> 200, 一千二百亿 -> 1.2e11, 十一 -> 11, 二〇二四 -> 2024,
    三点五亿 -> 3.5e8, 1.2万 -> 12000, 3万5千 -> 35000, 一千二 -> 1200,
    负三十二 -> -32, 十 余 万 -> 100000, 五分之一 -> 0.2, 三百五又三分之一 -> 350.33….
    """
    s = "".join(ch for ch in surface if ch not in " ,，" and ch not in CN_VAGUE_MARKS)
    if not s:
        return None
    sign = 1.0
    if s[0] in CN_NEGATIVE:
        sign, s = -1.0, s[1:]
    try:
        value = _parse_cn_mixed_fraction(s)
    except (ValueError, KeyError, IndexError, OverflowError, ZeroDivisionError):
        return None
    return None if value is None else finite(sign * value)


def _parse_cn_mixed_fraction(s: str) -> float | None:
    """三百五又三分之一: a whole number, 又, a fraction; or either alone."""
    whole_text, joined, frac_text = s.partition("又")
    if joined:
        whole = _parse_cn_integer_or_decimal(whole_text)
        frac = _parse_cn_fraction(frac_text)
        return None if whole is None or frac is None else whole + frac
    if "分之" in s:
        return _parse_cn_fraction(s)
    return _parse_cn_integer_or_decimal(s)


def _parse_cn_fraction(s: str) -> float | None:
    """N分之M -> M/N; either side may be negative (负３分之负一百五十七)."""
    den_text, joined, num_text = s.partition("分之")
    if not joined or not den_text or not num_text:
        return None
    den = parse_chinese(den_text)
    num = parse_chinese(num_text)
    if den is None or num is None or den == 0:
        return None
    return num / den


def _parse_cn_integer_or_decimal(s: str) -> float | None:
    if not s:
        return None
    for unit_chars, unit in _BIG_ORDER:
        idx = max(s.rfind(unit_chars[0]), s.rfind(unit_chars[-1]))
        if idx < 0:
            continue
        left, right = s[:idx], s[idx + 1 :]
        left_value = _parse_cn_integer_or_decimal(left) if left else 1.0
        right_value = _parse_cn_after_big_unit(right, unit)
        if left_value is None or right_value is None:
            return None
        return left_value * unit + right_value
    return _parse_cn_section(s)


def _parse_cn_after_big_unit(right: str, unit: int) -> float | None:
    """What follows 万/亿/兆: 三万五 -> a lone digit counts in tenths of the unit."""
    if not right:
        return 0.0
    if len(right) == 1 and right in CN_DIGITS and CN_DIGITS[right]:
        return CN_DIGITS[right] * unit / 10
    if right[0] in CN_POINT:
        return _parse_cn_section(right)
    return _parse_cn_integer_or_decimal(right.lstrip("零〇"))


def _parse_cn_section(s: str) -> float | None:
    """A number below 10,000 (or a decimal) in Chinese numerals or Arabic digits."""
    if not s:
        return 0.0
    point = next((i for i, ch in enumerate(s) if ch in CN_POINT), -1)
    if point >= 0:
        whole = _parse_cn_section(s[:point]) if point else 0.0
        frac = _spelled_digits(s[point + 1 :])
        return None if whole is None or frac is None else whole + float("0." + frac)
    spelled = _spelled_digits(s)
    if spelled is not None:
        return float(spelled)
    return _parse_cn_units(s)


def _spelled_digits(s: str) -> str | None:
    """二〇二四 -> '2024', 五五 -> '55': digits one by one, no units; else None."""
    if not s or any(ch in _NOT_SPELLED_DIGITS for ch in s):
        return None if len(s) != 1 else (str(CN_DIGITS[s]) if s in CN_DIGITS else None)
    out = []
    for ch in s:
        if ch in CN_DIGITS:
            out.append(str(CN_DIGITS[ch]))
        elif ch.isdigit() and ch.isascii():
            out.append(ch)
        else:
            return None
    return "".join(out)


def _parse_cn_units(s: str) -> float | None:
    """两千三百五 -> 2350, 一千零十二 -> 1012, 百三 -> 130; units must fall (五十千 is None)."""
    total = 0.0
    number: float | None = None
    last_unit = 10**4
    after_zero = False
    tail_allowed = False
    i = 0
    while i < len(s):
        ch = s[i]
        if ch.isascii() and ch.isdigit():
            match = _ARABIC_RUN.match(s, i)
            if match is None:
                return None
            number = float(match.group())
            i = match.end()
            continue
        if ch in CN_DIGITS:
            if CN_DIGITS[ch] == 0:
                number, after_zero = None, True
            elif number is not None:
                return None  # 两两: two digits without a unit between them
            else:
                number = float(CN_DIGITS[ch])
                tail_allowed = not after_zero and i > 0 and s[i - 1] in CN_SMALL_UNITS
        elif ch in CN_SMALL_UNITS:
            unit = CN_SMALL_UNITS[ch]
            if unit >= last_unit:
                return None
            total += (number if number is not None else 1.0) * unit
            number, last_unit, after_zero = None, unit, False
        else:
            return None
        i += 1
    if number is not None:
        # 一千二 -> 1200: a digit right after 百/千 counts in tenths of that unit
        if tail_allowed and last_unit >= 100 and i == len(s):
            return total + number * last_unit / 10
        total += number
    return total


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


# ---------------------------------------------------------------- English

EN_UNITS = {
    "zero": 0, "nil": 0, "nought": 0, "naught": 0, "one": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
EN_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
EN_SCALES = {
    "hundred": 100, "thousand": 1000, "lakh": 10**5, "lakhs": 10**5, "million": 10**6,
    "crore": 10**7, "crores": 10**7, "billion": 10**9, "trillion": 10**12,
}  # fmt: skip
EN_DOZEN = {"dozen": 12, "dozens": 12, "dz": 12, "dzs": 12, "doz": 12, "dozs": 12}
# Ordinals as denominators: "two thirds", "a hundredth", "three twenty-firsts".
EN_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
    "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90, "hundredth": 100,
    "thousandth": 1000, "millionth": 10**6, "billionth": 10**9, "trillionth": 10**12,
    "half": 2, "quarter": 4,
}  # fmt: skip
EN_DENOMINATORS = {
    **EN_ORDINALS,
    **{word + "s": value for word, value in EN_ORDINALS.items() if word not in ("half",)},
    "halves": 2,
}
EN_NEGATIVE = frozenset(["minus", "negative"])
EN_NUMBER_WORDS = {**EN_UNITS, **EN_TENS, **EN_SCALES, **EN_DOZEN}

_EN_SPLIT = re.compile(r"\s*-\s*|\s+")
_EN_DIGITS = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def english_words(surface: str) -> list[str]:
    """Lower-case words of an English number, hyphens and runs of spaces as breaks."""
    return [w for w in _EN_SPLIT.split(ascii_lower(surface).strip()) if w]


def parse_english(surface: str) -> float | None:
    """'twenty-one' -> 21, 'one hundred and three' -> 103, 'a third' -> 0.333…,
    'two thirds' -> 0.666…, 'three point five' -> 3.5, '1.5 million' -> 1.5e6,
    'half a dozen' -> 6, 'minus five' -> -5, 'one and a half' -> 1.5."""
    return parse_english_words(english_words(surface))


def parse_english_words(words: list[str]) -> float | None:
    if not words:
        return None
    sign = 1.0
    if words[0] in EN_NEGATIVE:
        sign, words = -1.0, words[1:]
    value = _parse_en_decimal(words) if "point" in words else _parse_en_with_fractions(words)
    return None if value is None else finite(sign * value)


def _parse_en_decimal(words: list[str]) -> float | None:
    """'two hundred point zero three' -> 200.03: after 'point', words are digits."""
    idx = words.index("point")
    whole = _parse_en_integer(words[:idx]) if idx else 0.0
    digits = _join_tens_units(words[idx + 1 :])
    if whole is None or not digits or not digits.isdigit():
        return None
    return whole + float("0." + digits)


def _join_tens_units(words: list[str]) -> str:
    """Digits after 'point': 'seventy one' -> '71', 'zero three' -> '03', 'eleven' -> '11'."""
    out = ""
    pending_tens = False
    for word in words:
        if word in EN_TENS:
            out += str(EN_TENS[word])
            pending_tens = True
        elif word in EN_UNITS:
            if pending_tens and EN_UNITS[word] < 10:
                out = out[:-1] + str(EN_UNITS[word])
            else:
                out += str(EN_UNITS[word])
            pending_tens = False
        else:
            out += word
            pending_tens = False
    return out


def _parse_en_with_fractions(words: list[str]) -> float | None:
    """Whole numbers, fractions, and fractions of a scale ('half a dozen',
    'two thirds of a million', 'quarter million', 'one billion and a half million')."""
    scaled = _parse_en_fraction_of_scale(words)
    if scaled is not None:
        return scaled
    if words[-1] in EN_DENOMINATORS:
        return _parse_en_fraction(words)
    return _parse_en_integer(words)


def _parse_en_fraction_of_scale(words: list[str]) -> float | None:
    cut = len(words)
    while cut > 0 and (words[cut - 1] in EN_SCALES or words[cut - 1] in EN_DOZEN):
        cut -= 1
    if cut == len(words) or cut == 0:
        return None
    head, scale_words = words[:cut], words[cut:]
    if head[-1] in ("of", "a", "an") and len(head) > 1:
        head = head[:-2] if head[-2] == "of" else head[:-1]  # "two thirds of a million"
    if not head or head[-1] not in EN_DENOMINATORS:
        return None
    scale = _parse_en_integer(scale_words)
    if scale is None:
        return None
    if "and" in head:
        # "one billion and a half million": the fraction belongs to the last scale only
        idx = len(head) - 1 - head[::-1].index("and")
        whole = _parse_en_integer(head[:idx])
        part = _parse_en_fraction(head[idx + 1 :])
        if whole is not None and part is not None and _trailing_scale(head[:idx]) > scale:
            return whole + part * scale
    if head in (["half"], ["quarter"]):
        return scale / EN_DENOMINATORS[head[0]]  # "half million", "quarter million"
    frac = _parse_en_fraction(head)
    return None if frac is None else frac * scale


def _trailing_scale(words: list[str]) -> float:
    """'one million' -> 1e6: the scale a following 'and a half' is a half of."""
    if words and words[-1] in EN_SCALES and EN_SCALES[words[-1]] >= 1000:
        return float(EN_SCALES[words[-1]])
    return 1.0


def _parse_en_fraction(words: list[str]) -> float | None:
    """Numerator words then a denominator word ('thirds', 'twenty-firsts', 'half').

    A tens word right before the ordinal joins it when other words precede
    ('three twenty-firsts' = 3/21, but 'twenty fifths' = 20/5). After 'and', a
    single small numerator makes a mixed number ('one hundred and three
    quarters' = 100.75, 'one million and a half' = 1.5 million), while a whole
    number reads as the numerator ('one hundred and thirty fifths' = 130/5).
    """
    denominator = float(EN_DENOMINATORS[words[-1]])
    head = words[:-1]
    if not head:
        return 1 / denominator if words[-1] == "half" else None
    if words[-1] in _NOT_DENOMINATORS_ALONE and not (head[-1] in EN_TENS and len(head) >= 2):
        return None  # "a first class seat", "a second time"
    if len(head) >= 2 and head[-1] in EN_TENS and head[-2] not in ("and", "a", "an"):
        denominator += EN_TENS[head[-1]]
        head = head[:-1]
    elif len(head) == 2 and head[-1] in EN_TENS and head[0] in ("a", "an"):
        denominator += EN_TENS[head[-1]]
        head = head[:-1]
    if len(head) >= 2 and head[-2] == "and" and _small_numerator(head[-1]):
        return _mixed_number(head[:-2], _numerator_value(head[-1]), denominator)
    if head in (["a"], ["an"]):
        return 1 / denominator
    numerator = _parse_en_integer(head)
    if numerator is not None:
        if numerator > 1 and _singular(words[-1]) and denominator > 2:
            return None  # "two millionth" is two, then an ordinal
        return numerator / denominator
    if "and" in head:
        idx = len(head) - 1 - head[::-1].index("and")
        part = _parse_en_integer(head[idx + 1 :])
        if part is not None:
            return _mixed_number(head[:idx], part, denominator)
    return _split_numerator(head, denominator)


def _mixed_number(
    whole_words: list[str], numerator: float | None, denominator: float
) -> float | None:
    whole = _parse_en_integer(whole_words)
    if whole is None or numerator is None:
        return None
    return whole + numerator / denominator * _trailing_scale(whole_words)


def _singular(word: str) -> bool:
    return not word.endswith("s") and word not in ("half",)


_NOT_DENOMINATORS_ALONE = frozenset(["first", "firsts", "second", "seconds"])


def _split_numerator(head: list[str], denominator: float) -> float | None:
    """'one one hundred fifth' = 1/105: the numerator is the first number, the rest
    of the words count toward the denominator."""
    for cut in range(len(head) - 1, 0, -1):
        numerator = _parse_en_integer(head[:cut])
        rest = _parse_en_integer([w for w in head[cut:] if w != "and"])
        if numerator is not None and rest is not None:
            return numerator / (rest + denominator)
    return None


def _small_numerator(word: str) -> bool:
    return word in ("a", "an") or (word in EN_UNITS and EN_UNITS[word] < 10)


def _numerator_value(word: str) -> float | None:
    if word in ("a", "an"):
        return 1.0
    return float(EN_UNITS[word]) if word in EN_UNITS else None


def _parse_en_integer(words: list[str]) -> float | None:
    """'one hundred and three' -> 103, 'twenty-one trillion three hundred', '3 hundred
    and 21', '322 hundred'. None when the words are not one well-formed number
    ('one one', 'three nought four')."""
    total = 0.0
    current = 0.0
    small = 0.0  # the part of `current` after its hundreds: 'three hundred and two dozens'
    last_scale = 0.0  # the scale word read last
    group_scale = float("inf")  # the scale of the last group added to `total`
    last = ""  # kind of the last word: "", "unit", "teen", "tens", "hundred", "scale", "digits"
    seen = False
    for word in words:
        if word == "and":
            if not seen:
                return None
            continue
        if word in ("a", "an"):
            if seen:
                return None
            current, last = 1.0, "article"
            continue
        kind, value = _en_word(word)
        if kind is None or not _en_follows(last, kind, current, value):
            return None
        if kind in ("unit", "teen", "tens", "digits"):
            current += value
            small += value
        elif kind == "dozen":
            current = current - small + small * 12 if small else (current or 1.0) * 12
            small = 0.0
        elif kind == "hundred":
            if current >= 100:
                return None  # "3 hundred and 2 hundred" is two numbers
            current, small = (current or 1.0) * 100, 0.0
        elif last == "scale" and value > last_scale:
            total *= value  # "three lakh crore", "a thousand million": scales multiply
            last_scale = group_scale = value
        else:  # scale
            if value >= group_scale:
                return None  # "1.5 million and 2 million" is two numbers
            total += (current or 1.0) * value
            current, small, last_scale, group_scale = 0.0, 0.0, value, value
        last, seen = kind, True
    if not seen:
        return None
    return total + current


def _en_word(word: str) -> tuple[str | None, float]:
    if word in EN_UNITS:
        value = EN_UNITS[word]
        return ("unit" if value < 10 else "teen"), float(value)
    if word in EN_TENS:
        return "tens", float(EN_TENS[word])
    if word == "hundred":
        return "hundred", 100.0
    if word in EN_SCALES:
        return "scale", float(EN_SCALES[word])
    if word in EN_DOZEN:
        return "dozen", 12.0
    if _EN_DIGITS.fullmatch(word):
        return "digits", float(word)
    return None, 0.0


# Which kind of word may follow which: 'twenty one' yes, 'one one' and
# 'ten twenty' no; scales after anything numeric.
_EN_FOLLOWS = {
    "": {"unit", "teen", "tens", "digits", "hundred", "scale", "dozen"},
    "article": {"hundred", "scale", "dozen"},
    "unit": {"hundred", "scale", "dozen"},
    "teen": {"hundred", "scale", "dozen"},
    "tens": {"unit", "hundred", "scale", "dozen"},
    "digits": {"hundred", "scale", "dozen"},
    "hundred": {"unit", "teen", "tens", "digits", "scale", "dozen"},
    "scale": {"unit", "teen", "tens", "digits", "hundred", "scale", "dozen"},
    "dozen": set(),
}


def _en_follows(last: str, kind: str, current: float, value: float) -> bool:
    if kind not in _EN_FOLLOWS.get(last, set()):
        return False
    if last == "tens" and kind == "unit" and current % 10:
        return False
    return True
