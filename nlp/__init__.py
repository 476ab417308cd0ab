"""Text in, facts out: language, sentences, entities, figures, claims and quotes.

    >>> from nlp import Analyzer
    >>> result = Analyzer().analyze("英伟达第二财季毛利率为75.1%。")
    >>> result.lang, result.claims[0].subject, result.claims[0].metric
    ('zh', 'NVIDIA', 'gross_margin')

`Analyzer` builds the stage pipeline once (the alias registry, the jieba
tokenizer) and is then cheap per document.
"""

from __future__ import annotations

from collections.abc import Sequence

from nlp.errors import NlpError
from nlp.stages import Pipeline, Resources, build_pipeline
from nlp.types import Analysis, Claim, Entity, Figure, Quote, Sentence

DEFAULT_STAGES: tuple[str, ...] = (
    "language",
    "sentences",
    "segmentation",
    "entities",
    "figures",
    "claims",
    "quotes",
)

# The default order with the optional spaCy English NER after the rule-based entities
# (slow: a few thousand words a second; see nlp/spacy_ner.py).
SPACY_STAGES: tuple[str, ...] = (
    "language",
    "sentences",
    "segmentation",
    "entities",
    "entities_spacy",
    "figures",
    "claims",
    "quotes",
)

# Bump when a change to any stage changes what it finds: stored documents
# record the version that analysed them, and `reextract` re-runs older ones.
EXTRACTOR_VERSION = "3"


class Analyzer:
    def __init__(
        self, stages: Sequence[str] = DEFAULT_STAGES, entity_files: Sequence[str] = ()
    ) -> None:
        self.pipeline: Pipeline = build_pipeline(stages, Resources(tuple(entity_files)))

    def analyze(
        self,
        text: str,
        *,
        lang: str | None = None,
        doc_id: str = "",
        doc_date: str | None = None,
    ) -> Analysis:
        """Run every stage over `text`; `lang` fixes the language instead of detecting it."""
        analysis = Analysis(text=text, doc_id=doc_id, lang_hint=lang, doc_date=doc_date)
        return self.pipeline(analysis)


__all__ = [
    "DEFAULT_STAGES",
    "EXTRACTOR_VERSION",
    "SPACY_STAGES",
    "Analysis",
    "Analyzer",
    "Claim",
    "Entity",
    "Figure",
    "NlpError",
    "Quote",
    "Sentence",
]
