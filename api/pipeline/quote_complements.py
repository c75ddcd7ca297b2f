"""What a reporting verb reports when its parse gives no clause: a quote in the same
sentence (before or after the attribution), or the words after a colon."""

from __future__ import annotations

from spacy.tokens import Span, Token

from api.pipeline.cues import is_cue
from api.pipeline.lexicon import Lexicon
from api.pipeline.quotes import QuoteSpan

_GAP = 8
_QUOTE_GAP = 4  # characters between a quote and the attribution after it: ", "


def adjacent_quote_tokens(
    cue: Token, quotes: list[QuoteSpan], excluded: set[int], lexicon: Lexicon
) -> list[int]:
    """A quote in the cue's sentence that the parse did not link: '“...,” Witkoff said.'."""
    sentence = cue.sent
    nearest: QuoteSpan | None = None
    for quote in quotes:
        if quote.outer_start >= sentence.end_char or (
            quote.outer_end < sentence.start_char and not _just_before(cue, quote, sentence)
        ):
            continue
        if _governed_by_another_cue(cue, quote, lexicon):
            continue  # "added a dimension, noting that “...”": the quote is noting's
        if nearest is None or abs(quote.outer_start - cue.idx) < abs(nearest.outer_start - cue.idx):
            nearest = quote
    if nearest is None:
        return []
    span = cue.doc.char_span(nearest.inner_start, nearest.inner_end, alignment_mode="expand")
    return [] if span is None else [t.i for t in span if t.i not in excluded]


def quote_before_tokens(cue: Token, quotes: list[QuoteSpan], speaker: set[int]) -> list[int]:
    """'“We will,” he said, “make compromises.”': the quote that ends right where the
    attribution begins (nothing but a comma between) is the cue's content."""
    quote = _quote_just_before(cue, quotes, speaker)
    if quote is None:
        return []
    span = cue.doc.char_span(quote.inner_start, quote.inner_end, alignment_mode="expand")
    return [] if span is None else [t.i for t in span if t.i not in speaker]


def _quote_just_before(cue: Token, quotes: list[QuoteSpan], speaker: set[int]) -> QuoteSpan | None:
    doc = cue.doc
    group = speaker | {cue.i} | {c.i for c in cue.children if c.dep_ in {"aux", "neg", "advmod"}}
    if any(i not in group for i in range(min(group), max(group) + 1)):
        return None  # not an attribution of its own: "..., referring to the resorts"
    first = doc[min(speaker | {cue.i})]
    while (
        first.i > 0
        and doc[first.i - 1].dep_ in {"aux", "neg", "advmod"}
        and (doc[first.i - 1].head == cue)
    ):
        first = doc[first.i - 1]
    near = [q for q in quotes if first.idx - _QUOTE_GAP <= q.outer_end <= first.idx]
    for quote in near:
        # The characters from the end of the quoted words to the attribution, read off
        # the few tokens there (Doc.text would rebuild the whole text on every call).
        i = first.i
        while i > 0 and doc[i - 1].idx >= quote.inner_end - 1:
            i -= 1
        words = doc[i : first.i].text_with_ws
        tail = words[quote.inner_end - doc[i].idx :] if i < first.i else ""
        if tail[quote.outer_end - quote.inner_end :].strip(" ,"):
            continue
        # The quote's sentence goes on into the attribution: “A,” or “A?” / “A!” before
        # a lower-case word; “A.” He said ... starts a new sentence.
        last = words[quote.inner_end - 1 - doc[i].idx : quote.inner_end - doc[i].idx]
        if "," in tail[: quote.outer_end - quote.inner_end + 1] or (
            last in {"?", "!"} and not first.is_sent_start
        ):
            return quote
    return None


def _just_before(cue: Token, quote: QuoteSpan, sentence: Span) -> bool:
    """'“... panic mode,” said Leslie Wimes': the parser may start a sentence at the
    cue, right after the quote it reports, with nothing but a comma between."""
    if sentence.start_char - quote.outer_end > _GAP:
        return False
    doc = cue.doc
    i = sentence.start - 1
    while i >= 0 and doc[i].idx >= quote.outer_end:
        if doc[i].text.strip(" ,"):
            return False
        i -= 1
    return True


def _governed_by_another_cue(cue: Token, quote: QuoteSpan, lexicon: Lexicon) -> bool:
    span = cue.doc.char_span(quote.inner_start, quote.inner_end, alignment_mode="expand")
    if span is None:
        return False
    # Only a cue between the quote and this one takes it: in "a woman asked for a photo
    # and Clinton said, “...”" the quote hangs on "said", itself under "asked".
    for ancestor in span.root.ancestors:
        if ancestor == cue:
            return False
        if is_cue(ancestor, lexicon):
            return True
    return False


def after_colon_tokens(cue: Token, quotes: list[QuoteSpan]) -> list[int]:
    """ "Caddell continued:" followed by the words, often in the next paragraph."""
    doc = cue.doc
    colon = next((t for t in doc[cue.i + 1 : min(cue.i + 6, len(doc))] if t.text == ":"), None)
    if colon is None or any(t.pos_ in {"VERB", "AUX"} for t in doc[cue.i + 1 : colon.i]):
        return []
    rest = doc.text[colon.idx + 1 :]
    offset = colon.idx + 1 + len(rest) - len(rest.lstrip())
    following = next((q for q in quotes if q.outer_start == offset), None)
    if following is not None:
        start, end = following.inner_start, following.inner_end
    else:
        line_end = doc.text.find("\n", offset)
        start, end = offset, len(doc.text) if line_end == -1 else line_end
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len([t for t in span if t.is_alpha]) < 3:
        return []
    return [t.i for t in span]
