"""What a reporting verb reports: its content tokens, found on the dependency parse.

In order of trust: a clausal complement ("said [that] X"), a complementiser the parser
lost, a predicate of objects and infinitives ("urged supporters to vote", "called for
a repeal"), a quote in the same sentence, and words after a colon.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from api.pipeline.cues import is_cue, subject_of
from api.pipeline.lexicon import Lexicon
from api.pipeline.quotes import QuoteSpan

# Objects a verb's content is made of: "described the talks as a success", "called
# Trump's claim 'false'". Datives ("told reporters") name the audience, not the words.
_OBJECT_DEPS = {"dobj", "oprd", "acomp"}
_GAP = 8
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


def clause_tokens(cue: Token, lexicon: Lexicon, excluded: set[int]) -> list[int]:
    """The clause a cue reports: its complement, or the clause it is inserted in."""
    excluded = excluded | {cue.i} | cue_particles(cue, lexicon)
    for child in cue.children:
        if child.dep_ in {"ccomp", "parataxis"} and child.i not in excluded:
            return _without_coordinated_cues(child, cue, lexicon, excluded)
    complementiser = _complementiser_after(cue)
    if complementiser is not None:
        # "arguing that allies had ...", "said after the summit that ...": the parser lost
        # the clause, but the complementiser still marks where the content starts.
        end = max(cue.right_edge.i, cue.sent.end - 1)
        return [i for i in range(complementiser.i + 1, end + 1) if i not in excluded]
    if cue.dep_ == "parataxis" and cue.head.pos_ in {"VERB", "AUX"}:
        return _host_clause(cue, excluded)
    return []


def _host_clause(cue: Token, excluded: set[int]) -> list[int]:
    """ "The talks, he said, were useful": an inserted cue reports the clause around it."""
    own = {t.i for t in cue.subtree}
    host = [t.i for t in cue.head.subtree if t.i not in own and t.i not in excluded]
    # A content is one span, and the speaker may not sit inside it: of the clause's
    # two sides, the longer one carries most of what was said.
    before = [i for i in host if i < cue.left_edge.i]
    after = [i for i in host if i > cue.right_edge.i]
    return before if len(before) >= len(after) else after


def cue_particles(cue: Token, lexicon: Lexicon) -> set[int]:
    """Words that belong to the cue rather than to its content: the complement of a
    phrasal cue ("makes clear"), and a preposition right after it ("called for")."""
    lemma = cue.lemma_.lower()
    found = {c.i for c in cue.children if c.lemma_.lower() in lexicon.phrasal.get(lemma, ())}
    after = cue.doc[cue.i + 1] if cue.i + 1 < len(cue.doc) else None
    if (
        after is not None
        and after.head == cue
        and after.dep_ in {"prep", "prt"}
        and after.lower_ in lexicon.prepositional.get(lemma, ())
    ):
        found.add(after.i)
    return found


def predicate_tokens(cue: Token, lexicon: Lexicon, excluded: set[int]) -> list[int]:
    """Objects and infinitives after the cue: "urged supporters to monitor polls".

    An infinitive is content for verbs of intention and demand ("vowed to punish", not
    "continued to push"); a bare noun phrase only for verbs whose object is what they
    report ("cited the release of prisoners"), never for "signaled openness".
    """
    excluded = excluded | {cue.i} | cue_particles(cue, lexicon)
    lemma = cue.lemma_.lower()
    preps = lexicon.prepositional.get(lemma, frozenset())
    tokens: list[int] = []
    clause = False
    for child in cue.children:
        if child.i < cue.i or (child.i in excluded and child.lower_ not in preps):
            continue
        part = False
        if child.dep_ == "xcomp" and child.pos_ in {"VERB", "AUX"}:
            if lemma not in lexicon.infinitive_verbs:
                continue
            part = clause = True
        elif child.dep_ in _OBJECT_DEPS or (child.dep_ == "prep" and child.lower_ == "as"):
            part = True
        elif child.dep_ == "prep" and child.lower_ in preps:
            part = True
            clause = clause or any(g.dep_ == "pcomp" for g in child.children)
        if part:
            tokens.extend(t.i for t in child.subtree if t.i not in excluded)
    if not clause and lemma not in lexicon.object_verbs | lexicon.nominal_verbs:
        return []
    return tokens


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
            token != clause
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
    return any(ancestor != cue and is_cue(ancestor, lexicon) for ancestor in span.root.ancestors)


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
