"""spaCy pipeline components, registered the way spaCy packages register theirs."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from api.pipeline.extract import extract_statements
from api.pipeline.lexicon import load_lexicon

if not Doc.has_extension("statements"):
    Doc.set_extension("statements", default=None)


class ParagraphBoundaries:
    """Every line break starts a sentence: headlines and list items carry no full stop."""

    def __call__(self, doc: Doc) -> Doc:
        for token in doc[1:]:
            previous = doc[token.i - 1]
            if ("\n" in previous.text_with_ws and not token.is_space) or (
                previous.is_space and "\n" in previous.text
            ):
                token.is_sent_start = True
        return doc


class StatementExtractor:
    """Sets ``doc._.statements`` to the statement candidates of the Doc."""

    def __init__(self) -> None:
        self.lexicon = load_lexicon()

    def __call__(self, doc: Doc) -> Doc:
        doc._.statements = extract_statements(doc, self.lexicon)
        return doc


@Language.factory("paragraph_boundaries")
def make_paragraph_boundaries(nlp: Language, name: str) -> ParagraphBoundaries:
    return ParagraphBoundaries()


@Language.factory("statement_extractor", requires=["token.dep", "token.lemma", "doc.ents"])
def make_statement_extractor(nlp: Language, name: str) -> StatementExtractor:
    return StatementExtractor()
