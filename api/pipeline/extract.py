"""spaCy Doc -> statement candidates: the extraction stage as one typed function."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from api.pipeline.attributions import (
    according_statements,
    agent_statements,
    headline_statements,
    signed_quotes,
)
from api.pipeline.candidates import (
    dedupe,
    expand_to_quotes,
    inside_any,
    make_candidate,
    speaker_outside,
    trim,
)
from api.pipeline.complements import clause_tokens, cue_particles
from api.pipeline.continuations import leftover_quotes
from api.pipeline.cues import (
    antecedent,
    cue_extent,
    is_cue,
    subject_of,
    subject_outside_quotes,
)
from api.pipeline.lexicon import Lexicon
from api.pipeline.noun_cues import noun_statements
from api.pipeline.predicates import predicate_tokens
from api.pipeline.quote_complements import (
    adjacent_quote_tokens,
    after_colon_tokens,
    quote_before_tokens,
)
from api.pipeline.quotes import QuoteSpan, find_quotes, is_heading_quote
from api.pipeline.speakers import describe_speaker, mention_tokens
from api.pipeline.types import StatementCandidate

NAMED_SPEAKER_CONFIDENCE = 0.9


def extract_statements(doc: Doc, lexicon: Lexicon) -> list[StatementCandidate]:
    """Every statement in a parsed Doc (needs heads, deps, lemmas, POS and entities)."""
    text = doc.text
    quotes = [q for q in find_quotes(text) if not is_heading_quote(text, q)]
    found: list[tuple[StatementCandidate, bool]] = []
    for token in doc:
        if is_cue(token, lexicon) and not inside_any(token.idx, quotes):
            statement = verb_statement(token, quotes, lexicon)
            if statement is not None:
                found.append(statement)
    candidates = _outside_reported_words(found)
    candidates.extend(noun_statements(doc, quotes, lexicon))
    stances = [c for c, predicate in found if predicate]
    candidates = according_statements(doc, quotes, lexicon, candidates, stances)
    candidates.extend(agent_statements(doc, quotes, lexicon))
    candidates.extend(headline_statements(doc, quotes, lexicon))
    candidates.extend(signed_quotes(doc, quotes, lexicon))
    candidates.extend(leftover_quotes(doc, quotes, candidates))
    return dedupe(candidates)


def _outside_reported_words(
    found: list[tuple[StatementCandidate, bool]],
) -> list[StatementCandidate]:
    """Drop an intention or stance reported inside another statement's content: in "the
    draft says Washington intends to help", the draft speaks; Washington said nothing.
    A nested clause ("officials said allies welcomed that ...") is kept."""
    outer = [c for c, predicate in found if not predicate]
    return [
        candidate
        for candidate, predicate in found
        if not predicate
        or not any(o.content_start <= (candidate.cue_start or 0) < o.content_end for o in outer)
    ]


def verb_statement(
    cue: Token, quotes: list[QuoteSpan], lexicon: Lexicon
) -> tuple[StatementCandidate, bool] | None:
    """The statement a reporting verb carries (its subject says its content), and
    whether that content is only an infinitive or a bare noun phrase."""
    subject = subject_of(cue, lexicon)
    if (subject is not None and inside_any(subject.idx, quotes)) or (
        subject is None and _right_after_quote(cue, quotes)
    ):
        # '“...,” said Robin Maynard, half joking': the parser lost the inverted subject.
        subject = subject_outside_quotes(cue, quotes)
    if subject is None:
        subject = _name_before(cue)
    if subject is None:
        return None
    # The mention is the words in this text, "who" included (PolNeAR marks it so); what
    # it names is read off the antecedent of a relative pronoun.
    named = antecedent(subject)
    speaker_ids = mention_tokens(subject) if named == subject else [subject.i]
    content = _after_relative_pronoun(cue.doc, clause_tokens(cue, lexicon, set(speaker_ids)))
    predicate = not content
    if predicate:
        content = predicate_tokens(cue, lexicon, set(speaker_ids))
        # "welcomed X as evidence that ...": an object verb's content holds a clause.
        predicate = bool(content) and lexicon.lemma(cue) not in lexicon.object_verbs
    # '“We will,” he said, “make compromises.”': the quote that ends where the
    # attribution begins is its content when the verb has no other, or only the quote
    # after it; that one continues the same words (see continuations.py).
    before = quote_before_tokens(cue, quotes, set(speaker_ids))
    if before and (not content or _all_quoted(cue.doc, content, quotes)):
        content, predicate = before, False
    if not content:
        content = adjacent_quote_tokens(cue, quotes, set(speaker_ids), lexicon)
    if not content:
        content = after_colon_tokens(cue, quotes)
    bounds = trim(cue.doc, content) if content else None
    if bounds is None:
        return None
    start, end = expand_to_quotes(*bounds, quotes)
    if not _says_something(cue, start, end, quotes, lexicon):
        return None
    speaker = speaker_outside(cue.doc, speaker_ids, start, end)
    if speaker is None:
        return None
    candidate = make_candidate(
        start,
        end,
        quotes,
        cue=cue_extent(cue, cue_particles(cue, lexicon), lexicon),
        speaker=speaker,
        guess=describe_speaker(_mention(named), lexicon),
        confidence=NAMED_SPEAKER_CONFIDENCE,
    )
    return candidate, predicate


def _after_relative_pronoun(doc: Doc, content: list[int]) -> list[int]:
    """ "ballots, which he said were evenly split": the relative pronoun opening the
    clause stands before the speaker; what was said is the rest, after the cue."""
    ids = sorted(content)
    if len(ids) > 1 and doc[ids[0]].tag_ in {"WDT", "WP"} and ids[1] - ids[0] > 1:
        return ids[1:]
    return content


def _right_after_quote(cue: Token, quotes: list[QuoteSpan]) -> bool:
    """The cue follows a quote, with at most a name between: '“...,” said X' and
    '“Go back,” Trump barked' (the parser may take the name for a compound)."""
    doc = cue.doc
    if cue.i == 0:
        return False
    previous = doc[cue.i - 1]
    if previous.text == ",":
        previous = doc[previous.i - 1] if previous.i > 0 else previous
    end = previous.idx + len(previous.text)
    if any(q.outer_end == end for q in quotes):
        return True
    i = cue.i - 1
    while i >= 0 and doc[i].pos_ == "PROPN" and doc[i].head.i > i:
        i -= 1
    if i == cue.i - 1 or i < 0:
        return False
    end = doc[i].idx + len(doc[i].text)
    return any(q.outer_end == end for q in quotes)


def _name_before(cue: Token) -> Token | None:
    """ "In a statement to the Observer, her adviser, Jake Sullivan, said: ...": the parser
    may hang the speaker elsewhere and leave the main verb without a subject; the name
    that ends right before it is the speaker."""
    if cue.dep_ != "ROOT" or cue.i < 1:
        return None
    before = cue.doc[cue.i - 1]
    if before.text == "," and before.i > 0:
        before = cue.doc[before.i - 1]
    if before.pos_ not in {"PROPN", "PRON"} or before.ent_type_ in {"DATE", "TIME"}:
        return None
    return before


def _all_quoted(doc: Doc, ids: list[int], quotes: list[QuoteSpan]) -> bool:
    words = [doc[i] for i in ids if not doc[i].is_punct and not doc[i].is_space]
    return bool(words) and all(inside_any(t.idx, quotes) for t in words)


def _mention(head: Token) -> Span:
    ids = mention_tokens(head)
    return head.doc[ids[0] : ids[-1] + 1]


def _says_something(
    cue: Token, start: int, end: int, quotes: list[QuoteSpan], lexicon: Lexicon
) -> bool:
    """A content is a clause or a quote: "welcomed the outcome" reports no words. Verbs
    whose object is what they report ("cited the figures") are the exception, and so is
    the object of the preposition the lexicon gives a verb ("warned against cuts")."""
    lemma = lexicon.lemma(cue)
    if lemma in lexicon.nominal_verbs:
        return True
    preps = lexicon.prepositional.get(lemma, frozenset())
    if any(c.dep_ == "prep" and c.i > cue.i and c.lower_ in preps for c in cue.children):
        return True
    if any(start <= q.inner_start and q.inner_end <= end for q in quotes):
        return True
    span = cue.doc.char_span(start, end, alignment_mode="expand")
    return span is not None and any(t.pos_ in {"VERB", "AUX"} for t in span)
