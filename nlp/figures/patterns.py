"""The compiled patterns that find number cores, and the character sets they use.

Every pattern here is safe on adversarial input: loops that could split the
same characters two ways are atomic (`(?>…)`) or possessive (`*+`, `++`), and
each pattern starts with a lookahead on one character class, so that the
engine rejects most positions of a text after one test.
"""

from __future__ import annotations

import re

from nlp.figures.lexicon import Lexicon, alternation
from nlp.figures.numerals import EN_DENOMINATORS, EN_NUMBER_WORDS, EN_ORDINALS

# ---------------------------------------------------------------- characters

CN_DIGIT = "零〇○一二两兩俩倆三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖"
CN_UNIT = "十拾百佰千仟万萬亿億兆"
# Inside a numeral: "some" or "more" before a unit (十几万, 一千多万, 五百余万).
CN_MARK = "几幾多余餘"
# 两 is never a digit after the decimal point: 两百点两 is 200 and 2.
_CN_DECIMAL = CN_DIGIT.replace("两", "").replace("兩", "").replace("俩", "").replace("倆", "")
VULGAR_FRACTIONS = "½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞"
# Characters a core written with digits or Chinese numerals can start with.
_FIRST_CHARS = f"0-9{CN_DIGIT}{CN_UNIT}{VULGAR_FRACTIONS}半过過数數几幾上负負对對仟佰"

# ---------------------------------------------------------------- numerals

_ARABIC = (
    r"(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])"  # 1,234,567
    r"|[0-9]{1,2}(?:,[0-9]{2})+,[0-9]{3}(?![0-9])"  # 12,34,567 (Indian grouping)
    r"|[0-9]{1,3}(?:，[0-9]{3})+(?![0-9])"  # ３，０００ (checked to be full-width later)
    r"|[0-9]{1,3}(?: [0-9]{3}(?![0-9]))+"  # 1 234 567
    r"|[0-9]+)(?:\.[0-9]+)?"
    r"|(?<![.])\.[0-9]+"  # .5
)
_EXPONENT = r"(?:[eE][+-]?[0-9]+(?![A-Za-z])|\^-{0,2}\+?[0-9]+|[x×]10\^[+-]?[0-9]+)"
_ATOM = (
    rf"(?:[{CN_DIGIT}]|[{CN_UNIT}]|(?:{_ARABIC}){_EXPONENT}?"
    rf"|[{CN_MARK}](?=\s?[{CN_UNIT}])|[点點](?=\s?[{_CN_DECIMAL}0-9]))"
)
# Spaces inside a numeral only next to a unit or a decimal point (一百 五 十 二,
# 7 万5 千): "一 二" stays two numbers.
_GAP = (
    rf"(?:(?<=[{CN_UNIT}{CN_MARK}点點])[ ]{{1,2}}(?=[{CN_DIGIT}0-9{CN_UNIT}{CN_MARK}])"
    rf"|[ ]{{1,2}}(?=[{CN_UNIT}点點{CN_MARK}])|)"
)
# A minus sign stands after a space, a bracket or a word such as 为 — never
# glued to a word (京ICP备13043210号-5, A-1).
_MINUS = r"(?<![^\s(（\[:：=,，、为為是约約达達至到])-"
# One number written with digits, Chinese numerals or both (3万5千, 1.2万).
NUMERAL = rf"(?>(?:[负負]|{_MINUS})?{_ATOM}(?:{_GAP}{_ATOM})*+)"
# 22,24,26,31 and 192.168.1.2: lists and addresses, read apart from numbers.
_LIST = r"[0-9]++(?:,[0-9]++){2,}+(?:\.[0-9]++)?|[0-9]++(?:\.[0-9]++){2,}+"
_SLASH = (
    rf"(?<![0-9/.])(?:-?[0-9]++\s{{1,2}}(?=-?[0-9]{{1,4}}/))?-?[0-9]{{1,4}}/[0-9]{{1,4}}(?![0-9/])"
    rf"|(?:[0-9]++\s?)?[{VULGAR_FRACTIONS}]"
)
_FRACTION_TAIL = (
    rf"\s?(?:又\s?{NUMERAL}\s?)?分\s{{0,2}}之\s{{0,2}}{NUMERAL}"  # 三分之一, 三百五又三分之一
    r"|(?<=[0-9])分の[0-9]+"  # 3分の1
)


def cjk_pattern(lexicon: Lexicon) -> re.Pattern[str]:
    """Every number core written with digits or Chinese numerals, one named group
    per reader. A fraction is a numeral with a tail (三分之一), so the two share
    one branch and the numeral is matched once."""
    per_unit = sorted(lexicon.per_unit, key=len, reverse=True)
    spaced = "|".join(r"\s?".join(map(re.escape, word)) for word in per_unit)  # 百 分 之
    not_after_numeral = rf"(?<![0-9{CN_DIGIT}{CN_UNIT}])"  # 一百分之五 is a fraction
    vague = (
        rf"(?:{alternation(lexicon.vague_cjk)})[{CN_UNIT}]*+"
        rf"|(?<![{''.join(lexicon.shang_not_after)}])上[十百千万萬亿億]++"  # not 拾 (上拾取)
    )
    halves = alternation([*lexicon.halves, *lexicon.half_percent])
    half = rf"{halves}|(?<=打)(?:{alternation(lexicon.half_percent_after_da)})"
    return re.compile(
        rf"(?=[{_FIRST_CHARS}.\-])(?=[{_FIRST_CHARS}]|[.-][0-9]|-\.[0-9])(?:"
        rf"(?P<list>(?<![0-9.,])(?:{_LIST})(?![0-9]))"
        rf"|(?P<per_unit>{not_after_numeral}(?:{spaced})\s{{0,2}}{NUMERAL})"
        rf"|(?P<half>{half})"
        rf"|(?P<vague>{vague})"
        rf"|(?P<slash>{_SLASH})"
        rf"|(?P<numeral>{NUMERAL})(?P<fraction>{_FRACTION_TAIL})?"
        r")"
    )


# ---------------------------------------------------------------- English

_EN_FIRST = {*EN_NUMBER_WORDS, "half", "quarter", "quarters"} - {"dz", "dzs", "doz", "dozs"}
_EN_NEXT = {*EN_NUMBER_WORDS, *EN_DENOMINATORS, *EN_ORDINALS, "point", "of"}
_EN_WORD_FIRST = f"(?:{alternation(_EN_FIRST)})"
_EN_WORD_NEXT = f"(?:{alternation(_EN_NEXT)})"
_SEP = r"(?:[ ]*-[ ]*|[ ]+)"
_NEGATIVE = r"(?<!plus or )(?:minus|negative)[ ]+"  # but "plus or minus 2%" is no sign
_EN_NUMBER = (
    rf"{_NEGATIVE}[0-9]++(?:\.[0-9]++)?(?![0-9a-z])"  # minus 5
    rf"|(?:{_NEGATIVE})?"
    rf"(?:an?[ ]+{_EN_WORD_NEXT}"  # a third, a hundred
    rf"|(?:[0-9]++(?:\.[0-9]++)?[ ]+(?={_EN_WORD_FIRST}(?![a-z])))?{_EN_WORD_FIRST})(?![a-z])"
    rf"(?:{_SEP}(?:and[ ]+)?(?:an?[ ]+)?(?:{_EN_WORD_NEXT}|[0-9]+(?:\.[0-9]+)?)(?![a-z0-9]))*+"
)


def english_pattern(lexicon: Lexicon) -> re.Pattern[str]:
    """Over the lower-cased text: a run of number words (with digits where words
    say the scale: "3 hundred and 21"), or a vague amount (tens of thousands,
    hundreds, several hundred, a few)."""
    plurals = alternation(lexicon.vague_plurals)
    some = alternation(lexicon.vague_some)
    vague = (
        rf"(?:{plurals})(?:[ ]+of[ ]+(?:thousands|millions|billions))?"
        rf"|(?:{some})(?:[ ]+(?:hundred|thousand|million|billion))?"
    )
    return re.compile(
        r"(?=[abcdefhlmnoqstz0-9])(?<![a-z0-9.,])"
        rf"(?:(?P<en_vague>{vague})(?![a-z])|(?P<english>{_EN_NUMBER}))"
    )
