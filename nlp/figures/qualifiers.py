"""The qualifier of a figure, from the words around it: about (约, 左右, 程度,
roughly), at_least (至少, 以上, at least), at_most (最多, 最高, up to), more_than
(超过, 逾, over), less_than (不到, 未満, under).

A qualifier word stands right before the number (约3000台, about 30%), joined
by one character (约为, 超过了, 至少有), or right after it (30%左右, 5万台以上,
3兆円を超えた). In Chinese it may also stand before the verb whose object the
figure is: 约占全球产能的四分之一, 最多可容纳8台.
"""

from __future__ import annotations

import re

from nlp.figures.candidate import Candidate, Cue
from nlp.figures.lexicon import Lexicon, Word, alternation
from nlp.figures.scan import Page

_CLAUSE_BREAK = '，。；、,;:：!?！？()（）「」“”"\n'


class QualifierReader:
    """Reads the qualifier words around figures; built once per lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        self._reach = self._reach_pattern(lexicon)

    def read(self, page: Page, cand: Candidate) -> Cue | None:
        """The qualifier word before or after the figure, if any; before a currency
        word that stands outside the surface (突破新台幣25兆元) too."""
        cue = self._before(page, cand.start)
        if cue is None and cand.lead >= 0:
            cue = self._before(page, cand.lead)
        if cue is not None and cand.kind == "duration":
            word = page.low[cue.start : cue.end]
            if word in self.lex.span_words:
                cue = None  # "over five years" is a span of time, not a bound
        if cue is None:
            cue = self._after(page, cand.end)
        return cue

    def _before(self, page: Page, start: int) -> Cue | None:
        sh = page.sh
        end = start
        while end > 0 and sh[end - 1] == " " and start - end < 2:
            end -= 1
        word = self._word_before(page, end)
        if word is None and end > 1 and sh[end - 1] in self.lex.joiners:
            # 约为 / 超过了 / 至少有: one joining character between word and number
            word = self._word_before(page, end - 1)
            if word is not None:
                end -= 1
        if word is not None:
            return Cue(word.category, end - len(word.surface), end)
        if page.lang in ("zh", "ja") and start > 0:
            return self._reached(page, start)
        return None

    def _word_before(self, page: Page, end: int) -> Word | None:
        word = self.lex.qualifiers_before.ending_at(page.sh, page.low, end)
        if word is None or self._inside_other_word(page.sh, end - len(word.surface), end):
            return None
        return word

    def _inside_other_word(self, sh: str, start: int, end: int) -> bool:
        """最近 (recently) and 附近 (nearby) end in 近 but are not 'about'."""
        surface = sh[start:end]
        for word in self.lex.not_qualifiers:
            offset = word.find(surface)
            while offset >= 0:
                if sh.startswith(word, start - offset):
                    return True
                offset = word.find(surface, offset + 1)
        return False

    def _reached(self, page: Page, start: int) -> Cue | None:
        """约占全球产能的四分之一: a qualifier before the verb whose object the figure is."""
        lo = max(0, start - 16)
        match = self._reach.search(page.sh, lo, start)
        if match is None:
            return None
        q_start, q_end = match.span("q")
        if self._inside_other_word(page.sh, q_start, q_end):
            return None
        word = self.lex.qualifiers_before.ending_at(page.sh, page.low, q_end)
        return None if word is None else Cue(word.category, q_start, q_end)

    @staticmethod
    def _reach_pattern(lexicon: Lexicon) -> re.Pattern[str]:
        cjk = [
            w.surface
            for group in ("about", "at_least", "at_most", "more_than", "less_than")
            for w in lexicon.qualifiers_before.words(group)
            if not w.surface.isascii()
        ]
        words = alternation(cjk)
        verbs = alternation(lexicon.zh_verbs)
        breaks = re.escape(_CLAUSE_BREAK)
        # A0-like names may stand between (约为英伟达A100的80%), other digits not.
        gap = rf"(?>[A-Za-z][A-Za-z0-9\-]*+|[^0-9A-Za-z{breaks}])*+"
        firsts = re.escape("".join(sorted({w[0] for w in cjk})))
        return re.compile(rf"(?=[{firsts}])(?P<q>{words})(?:{verbs}){gap}$")

    def _after(self, page: Page, end: int) -> Cue | None:
        at = end + 1 if page.sh[end : end + 1] == " " else end
        word = self.lex.qualifiers_after.longest_at(page.sh, page.low, at)
        if word is None:
            return None
        return Cue(word.category, at, at + len(word.surface))
