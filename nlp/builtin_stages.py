"""The stages newsfacts ships, registered by name (see nlp.stages)."""

from __future__ import annotations

from nlp.claims import ClaimFinder
from nlp.entities import find_entities
from nlp.figures.extract import FigureExtractor
from nlp.language import detect_language
from nlp.quotes import QuoteFinder
from nlp.sentences import split_sentences
from nlp.stages import Resources, StageFn, stage
from nlp.types import Analysis


@stage("language", sets=["lang"])
def language(resources: Resources) -> StageFn:
    """zh / en / ja by script, unless the caller fixed the language."""

    def run(doc: Analysis) -> None:
        doc.lang = doc.lang_hint or detect_language(doc.text)

    return run


@stage("sentences", requires=["lang"], sets=["sentences"])
def sentences(resources: Resources) -> StageFn:
    """Sentence spans with offsets."""

    def run(doc: Analysis) -> None:
        doc.sentences = split_sentences(doc.text)

    return run


@stage("segmentation", requires=["lang"], sets=["tokens"])
def segmentation(resources: Resources) -> StageFn:
    """jieba words with POS tags for Chinese text (other languages need none)."""

    def run(doc: Analysis) -> None:
        doc.tokens = resources.segmenter.tokens(doc.text) if doc.lang == "zh" else []

    return run


@stage("entities", requires=["lang", "tokens"], sets=["entities"])
def entities(resources: Resources) -> StageFn:
    """Registry aliases, product names and jieba proper nouns."""
    registry = resources.registry

    def run(doc: Analysis) -> None:
        doc.entities = find_entities(doc.text, registry, doc.tokens or None, doc.lang)

    return run


@stage("entities_spacy", requires=["lang", "entities"], sets=["entities"])
def entities_spacy(resources: Resources) -> StageFn:
    """Optional: English names from en_core_web_sm in the gaps the rules leave (slow)."""
    from nlp.spacy_ner import add_spacy_entities, load_model

    load_model()  # fail at build time, with the install hint, if the model is missing
    registry = resources.registry

    def run(doc: Analysis) -> None:
        if doc.lang == "en":
            doc.entities = add_spacy_entities(doc.text, doc.entities, registry)

    return run


@stage("figures", requires=["lang", "entities"], sets=["figures"])
def figures(resources: Resources) -> StageFn:
    """Numbers with kind, unit, currency, range and qualifier; names are skipped."""
    extractor = FigureExtractor()

    def run(doc: Analysis) -> None:
        blocked = [(e.start, e.end) for e in doc.entities if any(c.isdigit() for c in e.text)]
        doc.figures = extractor.extract(doc.text, doc.lang, blocked)

    return run


@stage("claims", requires=["sentences", "entities", "figures"], sets=["claims"])
def claims(resources: Resources) -> StageFn:
    """Figures said of an entity, with metric, period, source and direction."""
    finder = ClaimFinder(resources.registry)

    def run(doc: Analysis) -> None:
        doc.claims = finder.find(
            doc.text, doc.lang, doc.sentences, doc.entities, doc.figures, doc.doc_date
        )

    return run


@stage("quotes", requires=["lang", "entities"], sets=["quotes"])
def quotes(resources: Resources) -> StageFn:
    """Direct speech with its speaker."""
    finder = QuoteFinder(resources.registry)

    def run(doc: Analysis) -> None:
        doc.quotes = finder.find(doc.text, doc.lang, doc.entities)

    return run
