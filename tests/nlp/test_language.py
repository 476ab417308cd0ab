"""Language by script: kana settle Japanese, Han Chinese, Latin English; product names do not."""

from __future__ import annotations

import pytest

from nlp.language import detect_language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("英伟达第二财季营收为300亿美元。", "zh"),
        ("輝達第二季營收為300億美元。", "zh"),
        ("エヌビディアの売上高は300億ドルだった。", "ja"),
        ("東京エレクトロンの河合社長は決算説明会で語った。", "ja"),
        ("Nvidia reported revenue of $30 billion.", "en"),
        # Chinese full of English model names stays Chinese
        ("英伟达H100、H200、B200和GB200 NVL72的出货量", "zh"),
        # English with one Chinese name stays English
        ("Huawei (华为) shipped 200,000 Ascend 910B chips in the first half of the year.", "en"),
        ("", "en"),
    ],
)
def test_detect_language(text, lang):
    assert detect_language(text) == lang


def test_the_caller_can_fix_the_language(analyzer):
    assert analyzer.analyze("Nvidia", lang="ja").lang == "ja"
