"""What a reporting verb reports: its content tokens, found on the dependency parse.

In order of trust: a clausal complement ("said [that] X"), a complementiser the parser
lost, a predicate of objects and infinitives ("urged supporters to vote", "called for
a repeal"; see predicates.py), a quote in the same sentence, and words after a colon.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from api.pipeline.cues import has_modal, is_cue, subject_of
from api.pipeline.lexicon import Lexicon
from api.pipeline.quotes import QuoteSpan

_GAP = 8
_REASON_MARKS = {"because", "although", "though", "since", "unless", "if"}
_QUOTE_GAP = 4  # characters between a quote and the attribution after it: ", "
_OBJECT_DEPS = {"dobj", "dative"}
_NOUN_DEPS = {"poss", "case"}
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
    # A clause holding the speaker is not what they said: '“...,” said Robin Maynard,
    # half joking' parses "joking" as a clause with Maynard for subject.
    clauses = [
        c
        for c in cue.children
        if c.dep_ in {"ccomp", "parataxis"} and not any(t.i in excluded for t in c.subtree)
    ]
    if clauses:
        # "Gray ticked through the code: “Civility was assumed,” he said": of two clauses
        # hung on the cue, the nearer one is what it reports.
        nearest = min(
            clauses, key=lambda c: min(abs(c.left_edge.i - cue.i), abs(c.right_edge.i - cue.i))
        )
        tokens = _without_coordinated_cues(nearest, cue, lexicon, excluded)
        # "hope the technology developed there can aid ...": the parser split one clause
        # in two complements on the same side of the cue; together they are the content.
        for other in clauses:
            same_side = (other.i > cue.i) == (nearest.i > cue.i)
            split = other != nearest and other.dep_ == "ccomp" and same_side
            if split and not is_cue(other, lexicon):
                tokens = [*tokens, *_without_coordinated_cues(other, cue, lexicon, excluded)]
        return _with_coordinated_clauses(cue, tokens, lexicon, excluded)
    complementiser = _complementiser_after(cue)
    if complementiser is not None:
        # "arguing that allies had ...", "said after the summit that ...": the parser lost
        # the clause, but the complementiser still marks where the content starts.
        end = max(cue.right_edge.i, cue.sent.end - 1)
        return [i for i in range(complementiser.i + 1, end + 1) if i not in excluded]
    if cue.dep_ == "parataxis" and cue.head.pos_ in {"VERB", "AUX"}:
        return _host_clause(cue, excluded)
    return []


def _with_coordinated_clauses(
    cue: Token, tokens: list[int], lexicon: Lexicon, excluded: set[int]
) -> list[int]:
    """ "said the group is neutral, and its members would vote": a conjunct the parser
    hung on the cue after its clause goes on with what was said, unless it is another
    reporting verb ("... and cited the figures", a statement of its own). So does a
    reason or condition ("..., because voters are angry")."""
    if not tokens or min(tokens) < cue.i:
        return tokens
    last = max(tokens)
    for child in cue.children:
        if child.i <= last:
            continue
        conjunct = child.dep_ == "conj" and child.pos_ in {"VERB", "AUX"}
        reason = child.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in _REASON_MARKS for c in child.children
        )
        if not (conjunct or reason):
            continue
        subtree = [t.i for t in child.subtree]
        # "said she hoped to win and then would continue to campaign": a modal conjunct
        # goes on with what was said even when its verb could report.
        reports = is_cue(child, lexicon) and not has_modal(child)
        if reports or any(i in excluded for i in subtree):
            break
        conjunctions = [c.i for c in cue.children if c.dep_ == "cc" and last < c.i < child.i]
        tokens = [*tokens, *conjunctions, *subtree]
        last = max(tokens)
    return tokens


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
    phrasal cue ("makes clear"), a preposition right after it ("called for", "spoke
    highly of", "called for the law to be repealed"), with the adverbs before that
    preposition, and the object of a light verb up to the word that opens the content
    ("expressed concern about", "issued a statement saying")."""
    lemma = lexicon.lemma(cue)
    doc = cue.doc
    found = {c.i for c in cue.children if c.lemma_.lower() in lexicon.phrasal.get(lemma, ())}
    adverbs: list[int] = []
    i = cue.i + 1
    while i < len(doc) and doc[i].head == cue and doc[i].dep_ == "advmod":
        adverbs.append(i)
        i += 1
    after = doc[i] if i < len(doc) else None
    if after is not None and after.lower_ in lexicon.prepositional.get(lemma, ()):
        # "called for the wage to be raised": the parser may make "for" the clause's mark.
        opens_clause = after.dep_ == "mark" and after.head.head == cue
        if (after.head == cue and after.dep_ in {"prep", "prt"}) or opens_clause:
            found.update([*adverbs, after.i])
    elif not adverbs:
        found.update(_light_object(cue, lexicon))
    if adverbs and adverbs[-1] + 1 in found:
        found.update(adverbs)
    return found


def _light_object(cue: Token, lexicon: Lexicon) -> set[int]:
    """ "expressed concern about the plan", "offered his thoughts on", "issued a
    statement saying": the object of a light verb and the preposition (or reporting
    participle) after it are the cue; what follows is the content."""
    light = lexicon.light_verbs.get(lexicon.lemma(cue))
    if light is None:
        return set()
    doc = cue.doc
    for noun in cue.children:
        if noun.dep_ != "dobj" or noun.i <= cue.i or noun.left_edge.i != cue.i + 1:
            continue
        # "expressed their support for": a possessed object stays in the content.
        if any(
            t.dep_ in {"punct", "cc", "conj", "relcl", "acl", "poss"}
            for t in doc[cue.i + 1 : noun.i]
        ):
            return set()
        following = doc[noun.i + 1] if noun.i + 1 < len(doc) else None
        if following is None or following.head != noun:
            return set()
        opens = (following.dep_ == "prep" and following.lower_ in light) or (
            following.dep_ == "acl" and following.tag_ == "VBG" and is_cue(following, lexicon)
        )
        if opens:
            return set(range(cue.i + 1, following.i + 1))
    return set()


def _complementiser_after(cue: Token) -> Token | None:
    """A "that" right after the cue, or after a short prepositional phrase or the cue's
    object."""
    doc = cue.doc
    past_object = False
    for i in range(cue.i + 1, min(cue.i + 8, cue.sent.end)):
        token = doc[i]
        if token.lower_ == "that":
            # "told a meeting of leaders that ...": after an object, only a "that" the
            # parser marked as a complementiser (not "told a story that moved them").
            return token if token.dep_ == "mark" or not past_object else None
        if token.dep_ in _OBJECT_DEPS and token.head == cue:
            past_object = True
        elif token.dep_ not in _PREP_PHRASE_DEPS and token.dep_ not in _NOUN_DEPS:
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
