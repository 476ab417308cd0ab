"""Who is speaking: a speaker phrase tidied to the name as written, and who it is.

The words around a quote name a speaker with much else: an organisation, a
title, a time (英伟达首席财务官Colette Kress在电话会上, Samsung memory executive
vice president Park Ji-hoon, 東京エレクトロンの河合利樹社長). The speaker is the
name as written (Colette Kress, Park Ji-hoon, 河合利樹); with no name, the whole
role phrase (一位国产GPU公司高管, an executive at a Chinese cloud provider, ある
業界関係者), which then marks an unnamed source (`anonymous`). A pronoun (she
added, 他表示) stands for the last speaker named. The canonical name comes from
the registry, or from a person the document named in full (Su -> Lisa Su).
Word lists live in nlp/data/quotes.toml.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from nlp.aliases import AliasRegistry
from nlp.lexicon import alternation
from nlp.types import Entity

_EDGE = " \u3000,，、:：;；\"“”「」『』'‘’()（）"
_NAME_TAIL_EN = re.compile(r"(?:\b[A-Z][\w'’.-]*(?:\s+|$)){1,4}$")
_PARENTHESES = re.compile(r"[（(][^（）()]{0,40}[）)]")


@dataclass(frozen=True, slots=True)
class Speaker:
    text: str
    canonical: str | None
    anonymous: bool


class SpeakerWords:
    """The compiled lists of nlp/data/quotes.toml [speakers]."""

    def __init__(self, raw: dict) -> None:
        words = raw["speakers"]

        def listed(key: str) -> list[str]:
            return list(words.get(key, []))

        self.titles = {
            "zh": re.compile(alternation(listed("titles_zh"))),
            "en": re.compile(rf"\b(?:{alternation(listed('titles_en'))})\b", re.I),
            "ja": re.compile(rf"(?:{alternation(listed('titles_ja'))})$"),
        }
        self.lead = {
            "zh": re.compile(rf"^(?:{alternation(listed('lead_zh'))})"),
            "en": re.compile(rf"^(?:{alternation(listed('lead_en'))})\s+", re.I),
            "ja": re.compile(rf"^(?:{alternation(listed('lead_ja'))})[、，,]?"),
        }
        self.cut_zh = re.compile(alternation(listed("cut_zh")))
        self.stop_en = re.compile(alternation(listed("stop_en")))
        self.roles = {
            "zh": re.compile(rf"(?:{alternation(listed('roles_zh'))})$"),
            "en": re.compile(rf"\b(?:{alternation(listed('roles_en'))})\b", re.I),
            "ja": re.compile(rf"(?:{alternation(listed('roles_ja'))})$"),
        }
        self.indefinite = {
            "zh": re.compile(rf"^(?:{alternation(listed('indefinite_zh'))})"),
            "en": re.compile(rf"^(?:{alternation(listed('indefinite_en'))})", re.I),
            "ja": re.compile(rf"^(?:{alternation(listed('indefinite_ja'))})"),
        }
        self.pronouns = {lang: frozenset(listed(f"pronouns_{lang}")) for lang in ("zh", "en", "ja")}


@cache
def load_quote_words() -> dict:
    return tomllib.loads(resources.files("nlp").joinpath("data/quotes.toml").read_text("utf-8"))


class SpeakerResolver:
    def __init__(self, registry: AliasRegistry) -> None:
        self.registry = registry
        self.words = SpeakerWords(load_quote_words())
        self._registered: dict[str, str | None] = {}  # speaker -> registry name (a cache)

    # -------------------------------------------------------------- tidying

    def tidy(self, phrase: str, lang: str) -> str:
        """The speaker as written, from the words that name them before or after a quote."""
        lang = lang if lang in ("zh", "en", "ja") else "zh"
        phrase = _PARENTHESES.sub("", phrase).strip(_EDGE)
        if lang == "en":
            return self._tidy_en(phrase)
        if lang == "ja":
            return self._tidy_ja(phrase)
        return self._tidy_zh(phrase)

    def _tidy_zh(self, phrase: str) -> str:
        words = self.words
        phrase = re.split(r"[，,。；;：:]", phrase)[-1].strip(_EDGE)
        while True:
            trimmed = words.lead["zh"].sub("", phrase, count=1).strip(_EDGE)
            if trimmed == phrase or len(trimmed) < 2:
                break
            phrase = trimmed
        cut = words.cut_zh.search(phrase, 1)
        if cut and (cut.start() >= 2 or phrase[: cut.start()] in words.pronouns["zh"]):
            phrase = phrase[: cut.start()]  # 黄仁勋在电话会上 -> 黄仁勋, 他还 -> 他
        titles = list(words.titles["zh"].finditer(phrase))
        if titles:
            name = phrase[titles[-1].end() :].strip(_EDGE)
            if len(name) >= 2 and not words.roles["zh"].search(name):
                return name
        return phrase.strip(_EDGE)

    def _tidy_en(self, phrase: str) -> str:
        words = self.words
        stop = words.stop_en.search(phrase)
        if stop and stop.start() > 0:
            phrase = phrase[: stop.start()]
        phrase = words.lead["en"].sub("", phrase.strip(_EDGE)).strip(_EDGE)
        if words.indefinite["en"].match(phrase):
            return phrase  # an unnamed source: keep the whole role phrase
        tail = _NAME_TAIL_EN.search(phrase)
        if tail:
            name = tail.group().strip()
            titles = list(words.titles["en"].finditer(name))
            if titles:
                name = name[titles[-1].end() :].strip()
            if name:
                return name
        return phrase

    def _tidy_ja(self, phrase: str) -> str:
        words = self.words
        phrase = re.split(r"[、，,。]", phrase)[-1].strip(_EDGE)
        phrase = words.lead["ja"].sub("", phrase).strip(_EDGE)
        title = words.titles["ja"].search(phrase)
        if title and title.start() >= 2:
            name = phrase[: title.start()].strip(_EDGE)
            name = name.rsplit("の", 1)[-1] if "の" in name else name
            if len(name) >= 2:
                return name
        return phrase

    # -------------------------------------------------------------- identity

    def is_pronoun(self, phrase: str, lang: str) -> bool:
        return phrase.strip().lower() in self.words.pronouns.get(lang, frozenset())

    def identify(self, text: str, lang: str, people: PeopleIndex) -> Speaker:
        """Canonical name and anonymity of a tidied speaker `text`."""
        canonical = self._canonical(text, people)
        anonymous = canonical is None and self._unnamed(text, lang)
        return Speaker(text, canonical, anonymous)

    def _canonical(self, text: str, people: PeopleIndex) -> str | None:
        if text not in self._registered:
            if len(self._registered) >= 8192:
                self._registered.clear()
            self._registered[text] = self._registered_name(text)
        # else a family or given name of someone the document named in full (Su -> Lisa Su)
        return self._registered[text] or people.get(text)

    def _registered_name(self, text: str) -> str | None:
        direct = self.registry.canonical(text)
        if direct:
            record = self.registry.record(direct)
            if record is not None and record.label in ("PERSON", "ORG"):
                return direct
        for match in self.registry.find(text):
            if match.record.label == "PERSON" and len(match.text) >= len(text) - 1:
                return match.record.canonical
        return None

    def _unnamed(self, text: str, lang: str) -> bool:
        words = self.words
        lang = lang if lang in ("zh", "en", "ja") else "zh"
        if words.indefinite[lang].match(text):
            return True
        if lang == "en":
            return bool(words.roles["en"].search(text)) and not _NAME_TAIL_EN.search(text)
        return bool(words.roles[lang].search(text))


class PeopleIndex:
    """The people a document has named so far, by full name and by the last part of it.

    Fed in document order (`up_to`), so that a surname finds the person named
    before the quote (Lisa Su … Su said); one dictionary look-up per speaker.
    """

    def __init__(self, registry: AliasRegistry, people: Sequence[Entity]) -> None:
        self.registry = registry
        self._people = [p for p in people if p.canonical]
        self._next = 0
        self._by_name: dict[str, str] = {}

    def up_to(self, position: int) -> None:
        while self._next < len(self._people) and self._people[self._next].start < position:
            person = self._people[self._next]
            self._next += 1
            canonical = person.canonical or person.text
            record = self.registry.record(canonical)
            for name in (*(record.names if record else (canonical,)), person.text):
                for part in _name_parts(name):
                    self._by_name[part] = canonical

    def get(self, name: str) -> str | None:
        return self._by_name.get(name) if len(name) >= 2 else None


def _name_parts(name: str) -> set[str]:
    """A full name and its last part (Lisa Su -> Su, ジェンスン・フアン -> フアン, 山姆·奥特曼 -> 奥特曼)."""
    parts = {name}
    for separator in (" ", "・", "·", "•"):
        if separator in name:
            parts.add(name.rsplit(separator, 1)[-1])
    return {p for p in parts if len(p) >= 2}
