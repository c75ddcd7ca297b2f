"""Attributions without a reporting verb subject: "according to X", headline colons
and quotes signed with a dash."""

from __future__ import annotations

import re

import msgspec
from spacy.tokens import Doc, Span, Token

from api.pipeline.candidates import inside_any, make_candidate, speaker_outside, trim
from api.pipeline.cues import cue_extent
from api.pipeline.lexicon import Lexicon
from api.pipeline.quotes import QuoteSpan
from api.pipeline.speakers import describe_speaker, mention_tokens
from api.pipeline.types import SpeakerGuess, StatementCandidate

ACCORDING_CONFIDENCE = 0.85
AGENT_CONFIDENCE = 0.8
HEADLINE_CONFIDENCE = 0.7
SIGNATURE_CONFIDENCE = 0.8
_NAME_LABELS = {"PERSON", "ORG", "NORP", "GPE"}
_SPEAKING_KINDS = {"person", "name", "media", "organisation", "government"}
# "Poll: Sanders leads ..." / "Voters: ...": a headline may give a document or a group.
_HEADLINE_KINDS = _SPEAKING_KINDS | {"document", "group"}
# "“...” ― Julie A. Diaz" on the rest of the quote's line, or on a line of its own
# after it ("- Sanders."): an epigraph's signature, or a fact-check's.
_SIGNATURE = re.compile(
    r"(?:[ \t\u00a0]*[―—–]|[ \t\u00a0]*\n\s*[―—–-])"
    r"[ \t\u00a0]*(?P<speaker>[^\n]{2,80}?)[. \t\u00a0]*(?:\n|$)"
)
_HEADLINE = re.compile(r"^(?P<speaker>[^:\n]{2,80}): (?P<content>[^\n]{15,})$", re.MULTILINE)


def source_phrases(doc: Doc, lexicon: Lexicon) -> list[tuple[Token, Token]]:
    """(marker, source head) for "according to X" and "as reported by X"."""
    found: list[tuple[Token, Token]] = []
    for token in doc:
        for head, prep in lexicon.according_preps:
            if token.lower_ == head:
                for child in token.children:
                    if child.lower_ == prep:
                        found.extend((token, g) for g in child.children if g.dep_ == "pobj")
        passive = token.lemma_.lower() in lexicon.passive_verbs and token.tag_ == "VBN"
        if passive and any(c.lower_ == "as" for c in token.children):
            for agent in (c for c in token.children if c.dep_ == "agent"):
                found.extend((token, g) for g in agent.children if g.dep_ == "pobj")
    return found


def according_statements(
    doc: Doc,
    quotes: list[QuoteSpan],
    lexicon: Lexicon,
    found: list[StatementCandidate],
    stances: list[StatementCandidate] | None = None,
) -> list[StatementCandidate]:
    """Add "according to X" statements; a nested attribution keeps its speaker, X is credited.

    ``stances`` are statements whose content is only an object or an infinitive ("to
    support a force"): inside X's content they are what X reports, not words of their
    own, and are dropped (as ``extract._outside_reported_words`` does for verbs).
    """
    result = list(found)
    reported = stances or []
    for marker, source in source_phrases(doc, lexicon):
        source_ids = mention_tokens(source)
        speaker = doc[source_ids[0] : source_ids[-1] + 1]
        clause = marker.head if marker.head != marker else marker
        # The content is the clause on one side of the source phrase only: a source
        # phrase at the end ("..., according to a declaration signed by A, B and C")
        # can have parts the parser hung elsewhere.
        phrase_start = min(marker.left_edge.i, marker.i)
        content = _rest_of_sentence(marker, phrase_start)
        if content is None:
            content = _longer_side(clause, phrase_start, marker.right_edge.i)
        bounds = trim(doc, content)
        if bounds is None:
            continue
        start, end = bounds
        guess = describe_speaker(speaker, lexicon)
        credited = _credited_names(speaker, lexicon)
        inside = [c for c in result if c.cue_start is not None and start <= c.cue_start < end]
        nested = [c for c in inside if c not in reported]
        result = [c for c in result if c in nested or c not in inside]
        if nested and guess is not None and guess.kind == "media":
            result = [_with_credit(c, credited) if c in nested else c for c in result]
            continue
        result.append(
            make_candidate(
                start,
                end,
                quotes,
                cue=_marker_extent(marker),
                speaker=speaker,
                guess=guess,
                confidence=ACCORDING_CONFIDENCE,
                kind="according_to",
                credited=credited,
            )
        )
    return result


def _longer_side(clause: Token, phrase_start: int, phrase_end: int) -> list[int]:
    """ "Now, according to the poll, some voters are swinging": of the clause around a
    source phrase, the side with more words carries what is reported (a content is one
    span, and the source may not sit inside it), as with an inserted "he said"."""
    doc = clause.doc
    before = [t.i for t in clause.subtree if t.i < phrase_start]
    after = [t.i for t in clause.subtree if t.i > phrase_end]

    def words(ids: list[int]) -> int:
        return sum(not (doc[i].is_punct or doc[i].is_space) for i in ids)

    return before if words(before) >= words(after) else after


def _rest_of_sentence(marker: Token, phrase_start: int) -> list[int] | None:
    """A source phrase that opens or closes its sentence reports all the rest of it:
    in "A rose, B fell and C held, according to the survey" the parser hangs the phrase
    on "held" alone."""
    sentence = marker.sent
    doc = marker.doc
    phrase_end = marker.right_edge.i

    def words(start: int, end: int) -> bool:
        return any(not (t.is_punct or t.is_space) for t in doc[start:end])

    before, after = words(sentence.start, phrase_start), words(phrase_end + 1, sentence.end)
    if before and not after:
        return list(range(sentence.start, phrase_start))
    if after and not before:
        return list(range(phrase_end + 1, sentence.end))
    return None


def _marker_extent(marker: Token) -> tuple[int, int]:
    """ "according to", or the passive "reported by": the words that introduce the source."""
    doc = marker.doc
    following = doc[marker.i + 1] if marker.i + 1 < len(doc) else None
    if following is not None and following.head == marker and following.dep_ in {"prep", "agent"}:
        return marker.idx, following.idx + len(following.text)
    return marker.idx, marker.idx + len(marker.text)


def _credited_names(speaker: Span, lexicon: Lexicon) -> tuple[str, ...]:
    """Media named by the source phrase, including "... published by Suspilne"."""
    names: list[str] = []
    media = lexicon.media_name(speaker.text)
    if media is not None:
        names.append(media)
    for token in speaker.root.subtree:
        if token.dep_ == "pobj" and token.head.dep_ == "agent":
            relay = lexicon.media_name(token.text) or lexicon.media_name(
                token.doc[token.left_edge.i : token.i + 1].text
            )
            if relay is not None:
                names.append(relay)
    return tuple(dict.fromkeys(names))


def _with_credit(candidate: StatementCandidate, credited: tuple[str, ...]) -> StatementCandidate:
    merged = tuple(dict.fromkeys((*candidate.credited, *credited)))
    return msgspec.structs.replace(candidate, credited=merged)


# Where a passive cue with a by-agent stands when the agent is its speaker: the main
# verb ("Clinton was endorsed by the paper"), an adverbial ("Asked by a reporter whether
# ..., he said") or a relative clause ("..., which was denounced by Trump"). A participle
# after a noun ("a group backed by donors") more often describes than reports.
_AGENT_DEPS = {"ROOT", "advcl", "relcl", "pcomp"}


def agent_statements(
    doc: Doc, quotes: list[QuoteSpan], lexicon: Lexicon
) -> list[StatementCandidate]:
    """A passive reporting verb whose by-agent is the speaker: "was asked by the host
    whether ..." (the clause is what was said), "Clinton was endorsed by the paper" (the
    passive subject is what the agent's stance is about). "As reported by X" is a
    source phrase (``source_phrases``), not one of these."""
    found: list[StatementCandidate] = []
    for verb in doc:
        if verb.tag_ != "VBN" or verb.dep_ not in _AGENT_DEPS:
            continue
        lemma = lexicon.lemma(verb)
        if lemma not in lexicon.cue_verbs or any(c.lower_ == "as" for c in verb.children):
            continue
        if lemma in lexicon.predicative:
            continue  # "is seen by many as": the predicative is checked on active verbs only
        agents = [g for c in verb.children if c.dep_ == "agent" for g in c.children]
        agent = next((g for g in agents if g.dep_ == "pobj"), None)
        if agent is None or inside_any(agent.idx, quotes) or inside_any(verb.idx, quotes):
            continue
        clauses = [c for c in verb.children if c.dep_ in {"ccomp", "xcomp"} and c.i > agent.i]
        subjects = [c for c in verb.children if c.dep_ == "nsubjpass"]
        if clauses:
            content = [t.i for c in clauses for t in c.subtree]
        elif subjects:
            content = [t.i for t in subjects[0].subtree]
        else:
            continue
        bounds = trim(doc, content)
        if bounds is None:
            continue
        speaker_ids = mention_tokens(agent)
        start, end = bounds
        speaker = speaker_outside(doc, speaker_ids, start, end)
        if speaker is None:
            continue
        found.append(
            make_candidate(
                start,
                end,
                quotes,
                cue=cue_extent(verb, set(), lexicon),
                speaker=speaker,
                guess=describe_speaker(speaker, lexicon),
                confidence=AGENT_CONFIDENCE,
            )
        )
    return found


def headline_statements(
    doc: Doc, quotes: list[QuoteSpan], lexicon: Lexicon
) -> list[StatementCandidate]:
    """ "French President Emmanuel Macron: The supervision ..." on a line of its own."""
    found: list[StatementCandidate] = []
    text = doc.text
    for match in _HEADLINE.finditer(text):
        speaker = doc.char_span(match.start("speaker"), match.end("speaker"))
        if speaker is None or len(speaker) > 8 or any(t.pos_ in {"VERB", "AUX"} for t in speaker):
            continue
        if any(t.like_num or t.ent_type_ in {"DATE", "TIME"} for t in speaker):
            continue  # "January 7, 2026: ..." is a dateline, not a speaker
        guess = describe_speaker(speaker, lexicon) or _named_in_article(speaker)
        if guess is None or guess.kind not in _HEADLINE_KINDS:
            continue
        start, end = match.start("content"), match.end("content")
        while end > start and text[end - 1] in ".":
            end -= 1
        colon = match.end("speaker")
        kind = "according_to" if guess.kind == "media" else None
        credited = (guess.name,) if guess.kind == "media" else ()
        found.append(
            make_candidate(
                start,
                end,
                quotes,
                cue=(colon, colon + 1),
                speaker=speaker,
                guess=guess,
                confidence=HEADLINE_CONFIDENCE,
                kind=kind,
                credited=credited,
            )
        )
    return found


def _named_in_article(speaker: Span) -> SpeakerGuess | None:
    """ "Sanders: ..." in a title-case headline, which the tagger may read as a common
    noun: a name if the article names someone or something with that word."""
    words = [t for t in speaker if not t.is_punct]
    if not words or len(words) > 3 or not all(t.text[:1].isupper() for t in words):
        return None
    last = words[-1].text
    for entity in speaker.doc.ents:
        later = entity.start >= speaker.end and entity.label_ in _NAME_LABELS
        if later and any(t.text == last for t in entity):
            return SpeakerGuess(kind="name", name=speaker.text.strip())
    return None


def signed_quotes(doc: Doc, quotes: list[QuoteSpan], lexicon: Lexicon) -> list[StatementCandidate]:
    """ "“We will win.” ― Ana Ruiz": a quote signed with a dash and a name."""
    found: list[StatementCandidate] = []
    text = doc.text  # built anew from the tokens on every access: once, not per quote
    for quote in quotes:
        match = _SIGNATURE.match(text, quote.outer_end)
        if match is None:
            continue
        speaker = doc.char_span(match.start("speaker"), match.end("speaker"))
        if speaker is None or len(speaker) > 8 or any(t.pos_ in {"VERB", "AUX"} for t in speaker):
            continue
        guess = describe_speaker(speaker, lexicon)
        if guess is None or guess.kind not in _SPEAKING_KINDS:
            continue
        dash = match.start("speaker") - 1
        while text[dash] not in "―—–-":
            dash -= 1
        found.append(
            make_candidate(
                quote.inner_start,
                quote.inner_end,
                quotes,
                cue=(dash, dash + 1),
                speaker=speaker,
                guess=guess,
                confidence=SIGNATURE_CONFIDENCE,
                kind="direct",
            )
        )
    return found
