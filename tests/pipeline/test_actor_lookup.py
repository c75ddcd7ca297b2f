"""The actor lookup kept while one article is stored: the same answers as looking up every
statement's speaker afresh, with fewer queries."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.pipeline.actors import ActorLookup, speaker_actor
from api.pipeline.corrections import Corrections, Mention
from api.pipeline.resolve import ResolvedSpeaker
from api.storage.models import ActorRow
from tests.sent_sql import sent_sql

NO_CORRECTIONS = Corrections([])
WHERE = Mention(text=None, article_hash="0" * 64, content_start=0, content_end=1)

# Speakers as an article names them: repeats, a lone surname the full name later renames,
# a titled name that adds an alias, an untyped name and a misspelling.
SPEAKERS = [
    ResolvedSpeaker(kind="person", name="Trump"),
    ResolvedSpeaker(kind="person", name="Trump"),
    ResolvedSpeaker(kind="person", name="Donald Trump", role="President"),
    ResolvedSpeaker(kind="person", name="Trump"),
    ResolvedSpeaker(kind="person", name="Steve Witkoff", role="envoy"),
    ResolvedSpeaker(kind="person", name="Steve Whitkoff"),
    ResolvedSpeaker(kind="person", name="Witkoff", role="envoy", typed=False),
    ResolvedSpeaker(kind="organisation", name="Kremlin"),
    ResolvedSpeaker(kind="organisation", name="Kremlin"),
    ResolvedSpeaker(kind="person", name="Donald Trump", role="President"),
]


def _attribute(session: Session, lookup: ActorLookup | None) -> list[tuple[str | None, str | None]]:
    found = []
    for speaker in SPEAKERS:
        actor, role = speaker_actor(session, speaker, NO_CORRECTIONS, WHERE, lookup)
        found.append((actor.key if actor else None, role))
    return found


def test_a_shared_lookup_answers_as_fresh_lookups_do(db_session: Session) -> None:
    fresh = _attribute(db_session, None)
    fresh_actors = sorted((a.key, sorted(x.key for x in a.aliases)) for a in _actors(db_session))
    db_session.rollback()

    shared = _attribute(db_session, ActorLookup())
    shared_actors = sorted((a.key, sorted(x.key for x in a.aliases)) for a in _actors(db_session))

    assert shared == fresh
    assert shared_actors == fresh_actors
    # The lone surname's actor was renamed by the full name; later "Trump"s still reach it,
    # and the misspelling and the untyped surname reach Witkoff.
    assert [key for key, _role in fresh] == [
        "person:trump",
        "person:trump",
        "person:donald trump",
        "person:donald trump",
        "person:steve witkoff",
        "person:steve witkoff",
        "person:steve witkoff",
        "organisation:kremlin",
        "organisation:kremlin",
        "person:donald trump",
    ]


def test_a_repeated_speaker_is_looked_up_once(db_session: Session) -> None:
    lookup = ActorLookup()
    kremlin = ResolvedSpeaker(kind="organisation", name="Kremlin")
    speaker_actor(db_session, kremlin, NO_CORRECTIONS, WHERE, lookup)  # created
    speaker_actor(db_session, kremlin, NO_CORRECTIONS, WHERE, lookup)  # found, then kept
    with sent_sql(db_session) as sent:
        for _ in range(5):
            actor, _role = speaker_actor(db_session, kremlin, NO_CORRECTIONS, WHERE, lookup)
            assert actor is not None and actor.key == "organisation:kremlin"
    assert not [s for s in sent if s.is_select()]


def _actors(session: Session) -> list[ActorRow]:
    session.flush()
    return list(session.scalars(select(ActorRow)).all())


# Speakers of a later article, against actors stored before it: a known full name, its
# lone surname, a titled alias, a misspelt surname with an agreeing role, an untyped name,
# a new person whose surname renames nobody, and a new organisation.
KNOWN = [
    ResolvedSpeaker(kind="person", name="Volodymyr Zelensky", role="President"),
    ResolvedSpeaker(kind="person", name="Trump"),
    ResolvedSpeaker(kind="organisation", name="Kremlin"),
]
LATER = [
    ResolvedSpeaker(kind="person", name="Zelenskiy", role="President"),
    ResolvedSpeaker(kind="person", name="Donald Trump"),
    ResolvedSpeaker(kind="person", name="Trump"),
    ResolvedSpeaker(kind="person", name="Kremlin", typed=False),
    ResolvedSpeaker(kind="person", name="Zelensky"),
    ResolvedSpeaker(kind="person", name="Ursula von der Leyen", role="Commission President"),
    ResolvedSpeaker(kind="person", name="von der Leyen"),
    ResolvedSpeaker(kind="organisation", name="NATO"),
    ResolvedSpeaker(kind="person", name="Volodymyr Zelensky"),
]


def _store_known(session: Session) -> None:
    for speaker in KNOWN:
        speaker_actor(session, speaker, NO_CORRECTIONS, WHERE, None)
    session.commit()


def _attribute_later(
    session: Session, lookup: ActorLookup | None
) -> list[tuple[str | None, str | None]]:
    if lookup is not None:
        lookup.prefetch(session, LATER)
    found = []
    for speaker in LATER:
        actor, role = speaker_actor(session, speaker, NO_CORRECTIONS, WHERE, lookup)
        found.append((actor.key if actor else None, role))
    return found


def test_a_prefetched_lookup_answers_as_fresh_lookups_do(db_session: Session) -> None:
    _store_known(db_session)
    fresh = _attribute_later(db_session, None)
    fresh_actors = sorted((a.key, sorted(x.key for x in a.aliases)) for a in _actors(db_session))
    db_session.rollback()

    prefetched = _attribute_later(db_session, ActorLookup())
    prefetched_actors = sorted(
        (a.key, sorted(x.key for x in a.aliases)) for a in _actors(db_session)
    )

    assert prefetched == fresh
    assert prefetched_actors == fresh_actors
    assert [key for key, _role in fresh][:5] == [
        "person:volodymyr zelensky",  # a close surname, and the role agrees
        "person:donald trump",  # the lone surname renamed by the full name
        "person:donald trump",
        "organisation:kremlin",  # an untyped name is anyone's alias
        "person:volodymyr zelensky",
    ]


def _selects_for(session: Session, article: list[ResolvedSpeaker]) -> list[str]:
    lookup = ActorLookup()
    with sent_sql(session) as sent:
        lookup.prefetch(session, article)
        for speaker in article:
            actor, _role = speaker_actor(session, speaker, NO_CORRECTIONS, WHERE, lookup)
            assert actor is not None
    return [s.statement for s in sent if s.is_select()]


def test_known_speakers_of_an_article_cost_a_few_queries_in_all(db_session: Session) -> None:
    _store_known(db_session)
    # A lone "Zelensky" is no key and no alias: it is compared with every person.
    article = [*KNOWN, ResolvedSpeaker(kind="person", name="Zelensky")]
    few = _selects_for(db_session, article)
    db_session.rollback()  # the lone surname became an alias: forget it
    many = _selects_for(db_session, article * 4)
    # Actors by key and by alias, each with their aliases, and the persons' names once:
    # nothing per speaker.
    assert len(few) == len(many) <= 5, many
