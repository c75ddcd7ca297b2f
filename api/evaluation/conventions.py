"""PolNeAR's span conventions, applied to our statements before they are scored.

The product stores what was said, who said it and the reporting verb in its own
boundaries; PolNeAR's annotators drew theirs differently (the complementiser and the
quote marks in the content, the whole noun phrase in the source, the adverbs and time
phrases in the cue). Only boundaries move here: no statement is added or dropped.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from api.evaluation.spans import CharSpan, overlaps
from api.pipeline.types import StatementCandidate

_OPENING = "“\"‘'"
_CLOSING = "”\"’'"


def polnear_content(text: str, candidate: StatementCandidate) -> tuple[int, int]:
    """Our content span in PolNeAR's annotation convention.

    The product stores what was said without the complementiser and, for direct quotes,
    without the marks (the quoted words are kept verbatim in ``quotes``). PolNeAR's
    annotators include both: "that X", and “X,” with its marks and the comma inside.
    Only the boundaries move; no statement is added or dropped.
    """
    start, end = candidate.content_start, candidate.content_end
    # A tokenised text has a space inside the marks; the NYT archive doubles them ('').
    opening = len(text[:start]) - len(text[:start].rstrip(" "))
    if start - opening > 0 and text[start - opening - 1] in _OPENING:
        start -= opening + 1
        while start > 0 and text[start - 1] in _OPENING:
            start -= 1
        closing = end
        while closing < len(text) and text[closing] in ",.!? ":
            closing += 1
        if closing < len(text) and text[closing] in _CLOSING:
            end = closing + 1
            while end < len(text) and text[end] in _CLOSING:
                end += 1
    elif text[max(0, start - 5) : start] == "that ":
        start -= 5
    return start, end


def polnear_source(doc: Doc, mention: CharSpan, content: CharSpan) -> CharSpan:
    """The speaker mention widened to the whole noun phrase, as PolNeAR marks sources.

    The product keeps the name ("Douglas Holtz-Eakin"); PolNeAR's source also takes the
    appositive and relative clause that describe the speaker ("..., an economist who
    served as director of the Congressional Budget Office").
    """
    span = doc.char_span(mention[0], mention[1], alignment_mode="expand")
    if span is None:
        return mention
    tokens = [t for t in span.root.subtree if not t.is_space]
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    if not tokens:
        return mention
    tokens = _closed(doc, tokens)
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    start, end = min(start, mention[0]), max(end, mention[1])
    if start < content[1] and content[0] < end:
        return mention  # the phrase would run into the content: keep the mention
    return start, end


def _closed(doc: Doc, tokens: list[Token]) -> list[Token]:
    """PolNeAR's source keeps the marks that close it: the ")" of "Sen. Lindsey Graham
    (R-S.C.)" and the comma that ends an appositive ("Quina Jones, 25, said")."""
    following = doc[tokens[-1].i + 1] if tokens[-1].i + 1 < len(doc) else None
    texts = [t.text for t in tokens]
    if following is not None and following.text == ")" and texts.count("(") > texts.count(")"):
        tokens = [*tokens, following]
        following = doc[following.i + 1] if following.i + 1 < len(doc) else None
    if following is not None and following.text == "," and "," in texts:
        tokens = [*tokens, following]
    return tokens


# Modifiers PolNeAR's cue takes in: "also said", "later told",
# "said again", "continued:". (Time phrases after the verb are in as often as not.)
_CUE_LEFT = {"advmod", "aux", "neg", "auxpass"}
_CUE_RIGHT = {"advmod"}


def polnear_cue(doc: Doc, cue: CharSpan, content: CharSpan, speaker: CharSpan | None) -> CharSpan:
    """The cue widened over the verb's adjacent adverbs, time phrases and a colon."""
    span = doc.char_span(cue[0], cue[1], alignment_mode="expand")
    if span is None:
        return cue
    verb = span.root
    taken = [content] + ([speaker] if speaker is not None else [])

    def free(start: int, end: int) -> bool:
        return not any(overlaps((start, end), other) for other in taken)

    first, last = span[0], span[-1]
    while first.i > 0:
        before = doc[first.i - 1]
        if before.head != verb or before.dep_ not in _CUE_LEFT:
            break
        if not free(before.idx, first.idx):
            break
        first = before
    while last.i + 1 < len(doc):
        after = doc[last.i + 1]
        if after.text == ":":
            end = after
        elif after.head == verb and after.dep_ in _CUE_RIGHT and not _is_that(after):
            end = after.right_edge
        else:
            break
        if not free(after.idx, end.idx + len(end.text)):
            break
        last = end
    return first.idx, last.idx + len(last.text)


def _is_that(token: Token) -> bool:
    return token.lower_ == "that"
