"""Statement candidates -> speakers resolved within their article.

Bare surnames take the full name the article gives the person ("Macron" -> "Emmanuel
Macron", with the role written beside the full name: "French President"). Pronouns take
the most recent speaker of a fitting kind, not the nearest name: in "Standing alongside
Jared Kushner, he cautioned", "he" is the previous speaker, never Kushner. "The
publication" takes the most recently credited outlet. Below the confidence threshold a
statement keeps no speaker rather than a wrong one.
"""

from __future__ import annotations

import msgspec
from rapidfuzz import fuzz
from spacy.tokens import Doc, Token

from api.pipeline.dates import StatementDate
from api.pipeline.lexicon import load_lexicon, name_key
from api.pipeline.pronouns import Gendered, PronounStrategy, nearest_name
from api.pipeline.speakers import mention_tokens, name_start, role_before
from api.pipeline.types import StatementCandidate
from api.services.names import strip_possessive

SPEAKER_THRESHOLD = 0.5
PRONOUN_FACTOR = 0.85
SURNAME_FACTOR = 0.95
UNTYPED_FACTOR = 0.6
_PERSON_PRONOUNS = {"he", "she", "him", "her"}
_THING_KINDS = {"document", "organisation", "government", "media"}
# A misspelt surname reaches a person the same article names in full when this close
# (rapidfuzz ratio, 0-100) and long enough for the ratio to mean something.
SURNAME_SIMILARITY = 85.0
MIN_FUZZY_SURNAME = 4
# "The document", "the text": the article's document spoken of before, not a new one.
_DOCUMENT_ANAPHORA = {"document", "text", "statement", "paper", "language"}
_DEFINITE = {"the", "this", "that"}


class ResolvedSpeaker(msgspec.Struct, frozen=True, kw_only=True):
    kind: str  # a schemas.ActorKind value
    name: str
    role: str | None = None
    # False when the kind is a guess for a name of no known type (see _resolve_one): the
    # actor lookup may then find the name under another kind.
    typed: bool = True


class ResolvedStatement(msgspec.Struct, frozen=True, kw_only=True):
    candidate: StatementCandidate
    speaker: ResolvedSpeaker | None
    confidence: float
    credited: tuple[str, ...]
    # When the text says when it was said ("on Tuesday"); set by api/pipeline/dates.py.
    date: StatementDate | None = None


class PersonMention(msgspec.Struct, frozen=True):
    start: int
    name: str
    role: str | None


def person_mentions(doc: Doc) -> list[PersonMention]:
    """Full-name mentions of people, with the role written before the name."""
    found: list[PersonMention] = []
    lexicon = load_lexicon()
    for entity in doc.ents:
        if entity.label_ != "PERSON":
            continue
        start = name_start(entity, lexicon)
        if start is None or entity.end - start < 2:
            continue
        tokens = mention_tokens(entity.root)
        role = role_before(doc, min(tokens[0], start), start)
        if role is None and entity.root.dep_ == "conj":
            role = _shared_plural_role(entity.root.head)
        name = strip_possessive(doc[start : entity.end].text)
        found.append(PersonMention(entity.start_char, name, role))
    return found


def _shared_plural_role(head: Token) -> str | None:
    """ "U.S. envoys Steve Witkoff and Jared Kushner": Kushner is a U.S. envoy too."""
    tokens = mention_tokens(head)
    name_start = next(
        (t.i for t in head.doc[tokens[0] : head.i + 1] if t.ent_type_ == "PERSON"), None
    )
    if name_start is None or name_start == tokens[0]:
        return None
    if head.doc[name_start - 1].tag_ not in {"NNS", "NNPS"}:
        return None
    return role_before(head.doc, tokens[0], name_start)


def full_name_for(surname: str, position: int, people: list[PersonMention]) -> PersonMention | None:
    """The latest full mention before ``position`` ending in ``surname``, else the first after.

    A surname no full mention ends in takes the one person of the article whose surname
    is close to it (a misspelling), when there is exactly one.
    """
    key = name_key(surname)
    matching = [p for p in people if name_key(p.name).split()[-1] == key]
    if not matching and len(key) >= MIN_FUZZY_SURNAME:
        close = {
            name_key(p.name)
            for p in people
            if fuzz.ratio(name_key(p.name).split()[-1], key) >= SURNAME_SIMILARITY
        }
        if len(close) == 1:
            matching = [p for p in people if name_key(p.name) in close]
    before = [p for p in matching if p.start < position]
    if before:
        return before[-1]
    return matching[0] if matching else None


def subject_people(doc: Doc, candidates: list[StatementCandidate]) -> list[PersonMention]:
    """People who are the subject of a clause outside any reported content.

    They are what a later "he" or "she" most likely refers to ("Zelensky welcomed the
    outcome. ... he said"), while names inside reported words or prepositional phrases
    ("Standing alongside Jared Kushner, he ...") are not.
    """
    reported = [(c.content_start, c.content_end) for c in candidates]
    found: list[PersonMention] = []
    for entity in doc.ents:
        if entity.label_ != "PERSON" or entity.root.dep_ not in {"nsubj", "nsubjpass"}:
            continue
        if any(start <= entity.start_char < end for start, end in reported):
            continue
        found.append(PersonMention(entity.start_char, strip_possessive(entity.text), None))
    return found


def resolve_speakers(
    doc: Doc,
    candidates: list[StatementCandidate],
    *,
    pronouns: PronounStrategy = PronounStrategy.SALIENCE,
) -> list[ResolvedStatement]:
    """``pronouns`` picks how "he said" finds its actor (see api/pipeline/pronouns.py)."""
    people = person_mentions(doc)
    subjects = subject_people(doc, candidates)
    ordered = sorted(candidates, key=_position)
    text = doc.text  # built anew from the tokens on every access: once, not per statement
    resolved: list[ResolvedStatement] = []
    for candidate in ordered:
        speaker, confidence = _resolve_one(candidate, people, subjects, resolved, text)
        if candidate.speaker is not None and candidate.speaker.kind == "pronoun":
            if pronouns is PronounStrategy.NONE:
                speaker, confidence = None, 0.0
            elif pronouns is PronounStrategy.NEAREST_NAME:
                speaker, confidence = _nearest_name(doc, candidate, people)
        if confidence < SPEAKER_THRESHOLD:
            speaker = None
        resolved.append(
            ResolvedStatement(
                candidate=candidate,
                speaker=speaker,
                confidence=round(confidence, 3),
                credited=candidate.credited,
            )
        )
    return sorted(resolved, key=lambda r: (r.candidate.content_start, r.candidate.content_end))


def _position(candidate: StatementCandidate) -> int:
    return (
        candidate.speaker_start if candidate.speaker_start is not None else candidate.content_start
    )


def _resolve_one(
    candidate: StatementCandidate,
    people: list[PersonMention],
    subjects: list[PersonMention],
    earlier: list[ResolvedStatement],
    text: str,
) -> tuple[ResolvedSpeaker | None, float]:
    guess, confidence = candidate.speaker, candidate.confidence
    if guess is None or guess.kind is None:
        return None, min(confidence, SPEAKER_THRESHOLD / 2)
    position = _position(candidate)
    if guess.kind == "person":
        role = guess.role
        name = guess.name
        if len(name.split()) == 1:
            full = full_name_for(name, position, people)
            if full is None:
                return ResolvedSpeaker(kind="person", name=name, role=role), confidence * 0.7
            name, role, confidence = full.name, role or full.role, confidence * SURNAME_FACTOR
        elif role is None:
            role = next((p.role for p in reversed(people) if p.name == name and p.role), None)
        return ResolvedSpeaker(kind="person", name=name, role=role), confidence
    if guess.kind == "pronoun":
        if guess.name in _PERSON_PRONOUNS:
            fits = Gendered(text, people, guess.name)
            subject = _latest_subject(subjects, people, position, earlier, fits)
            if subject is not None:
                return subject, confidence * PRONOUN_FACTOR
        wanted = (
            {"person"}
            if guess.name in _PERSON_PRONOUNS
            else (_THING_KINDS if guess.name == "it" else set())
        )
        if guess.name in _PERSON_PRONOUNS:
            previous = _latest(earlier, wanted, Gendered(text, people, guess.name))
        else:
            previous = _latest(earlier, wanted)
        if previous is None or previous.speaker is None:
            return None, 0.0
        return previous.speaker, min(confidence, previous.confidence) * PRONOUN_FACTOR
    if guess.kind == "name":
        full = full_name_for(guess.name, position, people) if " " not in guess.name else None
        if full is not None:
            return ResolvedSpeaker(kind="person", name=full.name, role=full.role), confidence
        # An untyped name that no person in the article carries: probably an
        # organisation, but not sure enough to publish as one.
        speaker = ResolvedSpeaker(kind="organisation", name=guess.name, typed=False)
        return speaker, confidence * UNTYPED_FACTOR
    if guess.kind == "media_anaphora":
        outlet = _latest_credit(earlier)
        if outlet is None:
            return None, 0.0
        return ResolvedSpeaker(kind="media", name=outlet), confidence * PRONOUN_FACTOR
    if guess.kind == "document" and _is_document_anaphora(candidate, guess.name, text):
        previous = _latest(earlier, {"document"})
        if previous is not None and previous.speaker is not None:
            return previous.speaker, confidence
    return ResolvedSpeaker(kind=guess.kind, name=guess.name, role=guess.role), confidence


def _nearest_name(
    doc: Doc, candidate: StatementCandidate, people: list[PersonMention]
) -> tuple[ResolvedSpeaker | None, float]:
    guess = candidate.speaker
    assert guess is not None
    entity = nearest_name(doc, _position(candidate), guess.name)
    if entity is None:
        return None, 0.0
    confidence = candidate.confidence * PRONOUN_FACTOR
    name = strip_possessive(entity.text)
    if entity.label_ != "PERSON":
        kind = "government" if entity.label_ == "GPE" else "organisation"
        return ResolvedSpeaker(kind=kind, name=name), confidence
    full = full_name_for(name.split()[-1], entity.start_char, people)
    if full is not None and name_key(full.name).endswith(name_key(name)):
        return ResolvedSpeaker(kind="person", name=full.name, role=full.role), confidence
    return ResolvedSpeaker(kind="person", name=name), confidence


def _is_document_anaphora(candidate: StatementCandidate, name: str, text: str) -> bool:
    """ "The document describes", "the text states": a definite generic document noun."""
    if name_key(name) not in _DOCUMENT_ANAPHORA or candidate.speaker_start is None:
        return False
    mention = text[candidate.speaker_start : candidate.speaker_end].split()
    return len(mention) == 2 and mention[0].casefold() in _DEFINITE


def _latest_subject(
    subjects: list[PersonMention],
    people: list[PersonMention],
    position: int,
    earlier: list[ResolvedStatement],
    fits: Gendered,
) -> ResolvedSpeaker | None:
    """A person subject more recent than the last person speaker, if there is one."""
    before = [s for s in subjects if s.start < position and fits(s.name)]
    if not before:
        return None
    subject = before[-1]
    last_speaker = _latest(earlier, {"person"}, fits)
    if last_speaker is not None and _position(last_speaker.candidate) >= subject.start:
        return None  # the last speaker is at least as recent: it wins
    full = full_name_for(subject.name.split()[-1], subject.start, people)
    if full is not None and name_key(full.name).endswith(name_key(subject.name)):
        return ResolvedSpeaker(kind="person", name=full.name, role=full.role)
    return ResolvedSpeaker(kind="person", name=subject.name)


def _latest(
    earlier: list[ResolvedStatement], kinds: set[str], fits: Gendered | None = None
) -> ResolvedStatement | None:
    for statement in reversed(earlier):
        speaker = statement.speaker
        if (
            speaker is not None
            and speaker.kind in kinds
            and (fits is None or fits(speaker.name, speaker.role))
        ):
            return statement
    return None


def _latest_credit(earlier: list[ResolvedStatement]) -> str | None:
    for statement in reversed(earlier):
        if statement.credited:
            return statement.credited[-1]
        if statement.speaker is not None and statement.speaker.kind == "media":
            return statement.speaker.name
    return None
