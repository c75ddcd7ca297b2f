"""Attributions carried by a reporting verb: subject = speaker, complement = content."""

from __future__ import annotations

from spacy.tokens import Token

from api.pipeline.candidates import expand_to_quotes, make_candidate, trim
from api.pipeline.lexicon import Lexicon
from api.pipeline.quotes import QuoteSpan
from api.pipeline.speakers import describe_speaker, mention_tokens
from api.pipeline.types import StatementCandidate

PARTICIPLE_DEPS = {"advcl", "xcomp", "conj", "ccomp"}
NAMED_SPEAKER_CONFIDENCE = 0.9


def is_cue(token: Token, lexicon: Lexicon) -> bool:
    lemma = token.lemma_.lower()
    if token.pos_ not in {"VERB", "AUX"}:
        return False
    if lemma in lexicon.phrasal:
        return any(c.lemma_.lower() in lexicon.phrasal[lemma] for c in token.children)
    if lemma not in lexicon.cue_verbs:
        return False
    # Passives ("it was reported", "as reported by AFP") carry no speaker subject.
    return not any(c.dep_ in {"auxpass", "agent", "nsubjpass"} for c in token.children)


def subject_of(verb: Token, lexicon: Lexicon) -> Token | None:
    """The cue's subject, inherited through coordination and participles ("..., saying")."""
    current = verb
    for _ in range(6):
        if _misattached_coordination(current, lexicon):
            # "Starmer said the talks made progress but cautioned that ...": the parser
            # hangs "cautioned" on "made"; its subject is the outer cue's, not "the talks".
            current = current.head.head
            continue
        for child in current.children:
            if child.dep_ == "nsubj":
                if child.tag_ in {"WP", "WDT"} and current.dep_ == "relcl":
                    return current.head
                return child
        participle = current.tag_ in {"VBG", "VBN"} and current.dep_ in PARTICIPLE_DEPS
        if current.dep_ == "conj" or participle:
            current = current.head
            continue
        return None
    return None


def _misattached_coordination(token: Token, lexicon: Lexicon) -> bool:
    if token.dep_ != "conj" or not is_cue(token, lexicon):
        return False
    head = token.head
    if any(c.dep_ == "nsubj" for c in token.children) or is_cue(head, lexicon):
        return False
    return head.dep_ == "ccomp" and is_cue(head.head, lexicon)


def verb_statement(
    cue: Token, quotes: list[QuoteSpan], lexicon: Lexicon
) -> StatementCandidate | None:
    subject = subject_of(cue, lexicon)
    if subject is None:
        return None
    speaker_ids = mention_tokens(subject)
    content = content_tokens(cue, lexicon, set(speaker_ids))
    if not content:
        content = adjacent_quote_tokens(cue, quotes, set(speaker_ids), lexicon)
    if not content:
        content = after_colon_tokens(cue, quotes)
    bounds = trim(cue.doc, content) if content else None
    if bounds is None:
        return None
    start, end = expand_to_quotes(*bounds, quotes)
    if not _says_something(cue, start, end, quotes):
        return None
    speaker = cue.doc[speaker_ids[0] : speaker_ids[-1] + 1]
    if start < speaker.end_char and speaker.start_char < end:
        return None  # the subject sits inside its own content: a misparse
    return make_candidate(
        start,
        end,
        quotes,
        cue=cue_extent(cue),
        speaker=speaker,
        guess=describe_speaker(speaker, lexicon),
        confidence=NAMED_SPEAKER_CONFIDENCE,
    )


def content_tokens(cue: Token, lexicon: Lexicon, excluded: set[int]) -> list[int]:
    excluded = excluded | {cue.i}
    lemma = cue.lemma_.lower()
    if lemma in lexicon.phrasal:
        # "makes clear that ...": the complement word is part of the cue, not the content.
        excluded = excluded | {
            c.i for c in cue.children if c.lemma_.lower() in lexicon.phrasal[lemma]
        }
    for child in cue.children:
        if child.dep_ in {"ccomp", "parataxis"} and child.i not in excluded:
            return _without_coordinated_cues(child, cue, lexicon, excluded)
    complementiser = _complementiser_after(cue)
    if complementiser is not None:
        # "arguing that allies had ...", "said after the summit that ...": the parser lost
        # the clause, but the complementiser still marks where the content starts.
        end = max(cue.right_edge.i, cue.sent.end - 1)
        return [i for i in range(complementiser.i + 1, end + 1) if i not in excluded]
    if lemma not in lexicon.object_verbs:
        return []
    tokens: list[int] = []
    for child in cue.children:
        if child.i < cue.i:
            continue
        if child.dep_ in {"dobj", "acomp", "oprd"} or (
            child.dep_ == "prep" and child.lower_ == "as"
        ):
            tokens.extend(t.i for t in child.subtree if t.i not in excluded)
    return tokens


_PREP_PHRASE_DEPS = {
    "prep",
    "pobj",
    "det",
    "amod",
    "compound",
    "nummod",
    "punct",
    "advmod",
    "npadvmod",
}


def _complementiser_after(cue: Token) -> Token | None:
    """A "that" right after the cue, or after a short prepositional phrase."""
    doc = cue.doc
    for i in range(cue.i + 1, min(cue.i + 8, cue.sent.end)):
        token = doc[i]
        if token.lower_ == "that":
            return token
        if token.dep_ not in _PREP_PHRASE_DEPS:
            return None
    return None


def _without_coordinated_cues(
    clause: Token, cue: Token, lexicon: Lexicon, excluded: set[int]
) -> list[int]:
    """ "said the talks made progress but cautioned that ...": the second cue is its own."""
    dropped: set[int] = set()
    for token in clause.subtree:
        if (
            token is not clause
            and is_cue(token, lexicon)
            and subject_of(token, lexicon) == subject_of(cue, lexicon)
        ):
            dropped.update(t.i for t in token.subtree)
            dropped.update(t.i for t in token.children if t.dep_ == "cc")
            dropped.update(c.i for c in token.head.children if c.dep_ == "cc" and c.i < token.i)
    return [t.i for t in clause.subtree if t.i not in excluded and t.i not in dropped]


def adjacent_quote_tokens(
    cue: Token, quotes: list[QuoteSpan], excluded: set[int], lexicon: Lexicon
) -> list[int]:
    """A quote in the cue's sentence that the parse did not link: '“...,” Witkoff said.'."""
    sentence = cue.sent
    nearest: QuoteSpan | None = None
    for quote in quotes:
        if quote.outer_end < sentence.start_char or quote.outer_start >= sentence.end_char:
            continue
        if _governed_by_another_cue(cue, quote, lexicon):
            continue  # "added a dimension, noting that “...”": the quote is noting's
        if nearest is None or abs(quote.outer_start - cue.idx) < abs(nearest.outer_start - cue.idx):
            nearest = quote
    if nearest is None:
        return []
    span = cue.doc.char_span(nearest.inner_start, nearest.inner_end, alignment_mode="expand")
    return [] if span is None else [t.i for t in span if t.i not in excluded]


def _governed_by_another_cue(cue: Token, quote: QuoteSpan, lexicon: Lexicon) -> bool:
    span = cue.doc.char_span(quote.inner_start, quote.inner_end, alignment_mode="expand")
    if span is None:
        return False
    return any(
        ancestor is not cue and is_cue(ancestor, lexicon) for ancestor in span.root.ancestors
    )


def _says_something(cue: Token, start: int, end: int, quotes: list[QuoteSpan]) -> bool:
    """A content is a clause or a quote: "welcomed the outcome" reports no words."""
    if any(start <= q.inner_start and q.inner_end <= end for q in quotes):
        return True
    span = cue.doc.char_span(start, end, alignment_mode="expand")
    return span is not None and any(t.pos_ in {"VERB", "AUX"} for t in span)


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


def cue_extent(cue: Token) -> tuple[int, int]:
    """The cue with its auxiliaries, negation and particle: "did not say", "called for".

    Negation changes what the statement reports, so it belongs to the cue's text.
    """
    doc = cue.doc
    start = cue.i
    while (
        start > 0
        and doc[start - 1].dep_ in {"aux", "neg", "auxpass"}
        and (doc[start - 1].head == cue)
    ):
        start -= 1
    end = cue.i
    if end + 1 < len(doc) and doc[end + 1].dep_ == "prt" and doc[end + 1].head == cue:
        end += 1
    return doc[start].idx, doc[end].idx + len(doc[end].text)
