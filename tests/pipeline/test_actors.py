"""Matching mentions to actors: keys, titles, possessives, misspellings with context,
curated aliases, and the editors' corrections the pipeline replays."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.language import Language
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.pipeline.actors import find_actor, speaker_actor
from api.pipeline.corrections import Corrections, Mention, Rule
from api.pipeline.lexicon import load_lexicon
from api.pipeline.nlp import load_pipeline
from api.pipeline.resolve import PersonMention, ResolvedSpeaker, full_name_for, resolve_speakers
from api.pipeline.speakers import document_name
from api.services.names import actor_key, mention_matches, name_key
from api.storage.models import ActorAliasRow, ActorRow

NO_CORRECTIONS = Corrections([])

Attribute = Callable[..., ActorRow | None]


@pytest.fixture
def attribute(db_session: Session) -> Attribute:
    """The actor the pipeline attributes a speaker to (created when new)."""

    def run(
        name: str,
        kind: str = "person",
        role: str | None = None,
        *,
        typed: bool = True,
        mention: str | None = None,
        corrections: Corrections = NO_CORRECTIONS,
    ) -> ActorRow | None:
        speaker = ResolvedSpeaker(kind=kind, name=name, role=role, typed=typed)
        where = Mention(text=mention or name, article_hash="0" * 64, content_start=0, content_end=1)
        actor, _role = speaker_actor(db_session, speaker, corrections, where)
        return actor

    return run


def _people(session: Session) -> int:
    return session.scalar(select(func.count()).where(ActorRow.kind == "person")) or 0


# --- keys and mentions -------------------------------------------------------------------


def test_name_keys_fold_case_accents_dots_and_spacing() -> None:
    assert name_key("  Volodymyr  ZELENSKYY ") == "volodymyr zelenskyy"
    assert name_key("Élysée") == name_key("Elysee") == "elysee"
    assert name_key("U.S.") == name_key("US") == "us"
    assert actor_key("person", "Emmanuel Macron") == "person:emmanuel macron"


@pytest.mark.parametrize(
    ("mention", "alias", "expected"),
    [
        ("Steve Whitkoff", "steve whitkoff", True),
        ("U.S. envoy Steve Whitkoff", "steve whitkoff", True),  # a title before it
        ("Steve Whitkoff’s", "steve whitkoff", True),  # possessive
        ("a draft document from the coalition", "draft document", True),
        ("Steve Witkoff", "steve whitkoff", False),  # another spelling is another name
        ("Whitkoffs", "whitkoff", False),  # whole words only
        (None, "whitkoff", False),
    ],
)
def test_which_mentions_name_an_alias(mention: str | None, alias: str, expected: bool) -> None:
    assert mention_matches(mention, alias) is expected


@pytest.mark.parametrize(
    ("written", "role"),
    [
        ("Germany's Chancellor", "German Chancellor"),
        ("Britain’s Prime Minister", "British Prime Minister"),
        ("UK's Prime Minister", "UK Prime Minister"),
        ("the United States' envoy", "U.S. envoy"),
        ("Kremlin's spokesman", "Kremlin spokesman"),  # no adjective: the possessor, plain
        ("U.S. envoy", "U.S. envoy"),
        ("Mr", None),  # a form of address is no role
        ("Sir", None),
    ],
)
def test_roles_read_possessives_as_adjectives_and_drop_honorifics(
    written: str, role: str | None
) -> None:
    assert load_lexicon().clean_role(written) == role


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("draft document", "draft"),
        ("Draft language", "Draft"),
        ("draft text", "draft"),
        ("declaration of intent", "declaration of intent"),
        ("coalition leaders' statement", "coalition leaders' statement"),
    ],
)
def test_a_generic_document_head_names_the_document_before_it(name: str, canonical: str) -> None:
    assert document_name(name, load_lexicon()) == canonical


# --- within an article ---------------------------------------------------------------------


WITKOFF = PersonMention(10, "Steve Witkoff", "U.S. envoy")
KUSHNER = PersonMention(40, "Jared Kushner", "U.S. envoy")


def test_a_surname_the_article_misspells_reaches_the_full_name_it_gave() -> None:
    assert full_name_for("Whitkoff", 100, [WITKOFF, KUSHNER]) == WITKOFF
    assert full_name_for("Witkoff", 100, [WITKOFF, KUSHNER]) == WITKOFF
    assert full_name_for("Kushnir", 100, [WITKOFF, KUSHNER]) == KUSHNER


def test_no_fuzzy_match_when_it_is_ambiguous_or_far() -> None:
    twins = [WITKOFF, PersonMention(60, "Anna Whitkof", None)]
    assert full_name_for("Whitkoff", 100, twins) is None  # two close surnames: neither
    assert full_name_for("Walkoff", 100, [WITKOFF]) is None  # not close enough
    assert full_name_for("Wit", 100, [PersonMention(1, "Ann Wiz", None)]) is None  # too short


# --- against the stored actors -------------------------------------------------------------


def test_titles_and_the_role_are_aliases_of_one_actor(
    db_session: Session, attribute: Attribute
) -> None:
    first = attribute("Emmanuel Macron", role="French President")
    again = attribute("Emmanuel Macron", role="President")

    assert first is not None and again is first
    aliases = {alias.alias for alias in first.aliases}
    assert aliases == {
        "Emmanuel Macron",
        "French President Emmanuel Macron",
        "President Emmanuel Macron",
    }


def test_a_misspelt_surname_with_the_same_first_name_is_the_same_person(
    db_session: Session, attribute: Attribute
) -> None:
    witkoff = attribute("Steve Witkoff", role="U.S. envoy")
    assert attribute("Steve Whitkoff") is witkoff
    assert attribute("Whitkoff", role="special envoy") is witkoff  # close, and an envoy
    assert _people(db_session) == 1


def test_fuzzy_similarity_alone_never_merges_two_people(
    db_session: Session, attribute: Attribute
) -> None:
    witkoff = attribute("Steve Witkoff", role="U.S. envoy")
    others = [
        attribute("Stephen Whitkoff"),  # another first name
        attribute("Whitkoff"),  # a lone surname, close, and nothing else to go on
        attribute("Whitkoff", role="President"),  # a role Witkoff was never given
    ]
    assert all(other is not witkoff for other in others)


def test_a_lone_surname_reaches_the_only_person_of_that_surname(
    db_session: Session, attribute: Attribute
) -> None:
    merz = attribute("Friedrich Merz", role="German Chancellor")
    assert attribute("Merz", role="Chancellor") is merz
    # An untyped name (the machine guesses an organisation) that is a known surname.
    assert attribute("Merz", kind="organisation", typed=False) is merz
    assert attribute("Merz", kind="organisation") is not merz  # a typed organisation is one


def test_a_full_name_takes_over_a_lone_surname_seen_first(
    db_session: Session, attribute: Attribute
) -> None:
    lone = attribute("Trump", role="President")
    full = attribute("Donald Trump", role="U.S. President")

    assert full is lone
    assert (full.key, full.name) == ("person:donald trump", "Donald Trump")
    assert {alias.alias for alias in full.aliases} >= {"Trump", "Donald Trump"}


def test_a_curated_alias_reaches_its_actor(db_session: Session, attribute: Attribute) -> None:
    curated = ActorRow(key="person:volodymyr zelensky", name="Volodymyr Zelensky", kind="person")
    curated.aliases = [ActorAliasRow(alias=a, key=name_key(a)) for a in ("Zelenskyy", "Zelenskiy")]
    db_session.add(curated)
    db_session.flush()

    assert attribute("Volodymyr Zelenskyy") is curated
    assert attribute("Zelenskiy", kind="organisation", typed=False) is curated
    speaker = ResolvedSpeaker(kind="person", name="Zelenskyy")
    assert find_actor(db_session, speaker) is curated


# --- corrections replayed -------------------------------------------------------------------


def _decide(
    rules: list[Rule], key: str | None, mention: str | None = None, start: int = 0
) -> str | None:
    where = Mention(text=mention, article_hash="h", content_start=start, content_end=start + 1)
    return Corrections(rules).decide(key, where).key


def test_merges_replay_in_order_and_follow_chains() -> None:
    a_to_b = Rule(kind="merge_actors", actor_key="person:a", target_key="person:b")
    b_to_c = Rule(kind="merge_actors", actor_key="person:b", target_key="person:c")
    assert _decide([a_to_b, b_to_c], "person:a") == "person:c"
    assert _decide([b_to_c, a_to_b], "person:a") == "person:b"  # merged after b had gone
    assert _decide([a_to_b], "person:z") == "person:z"
    assert _decide([a_to_b], None) is None


def test_a_split_moves_only_the_mentions_naming_the_alias() -> None:
    split = Rule(
        kind="split_alias",
        actor_key="person:steve witkoff",
        alias_key="steve whitkoff",
        target_key="person:steve whitkoff",
    )
    assert _decide([split], "person:steve witkoff", "U.S. envoy Steve Whitkoff") == (
        "person:steve whitkoff"
    )
    assert _decide([split], "person:steve witkoff", "Witkoff") == "person:steve witkoff"
    assert _decide([split], "person:jared kushner", "Steve Whitkoff") == "person:jared kushner"


def test_a_reassignment_names_one_statement_and_drops_its_role() -> None:
    to_france = Rule(
        kind="reassign_speaker",
        target_key="government:france",
        article_hash="h",
        content_start=5,
        content_end=6,
    )
    corrections = Corrections([to_france])
    here = corrections.decide(
        None, Mention(text=None, article_hash="h", content_start=5, content_end=6)
    )
    assert (here.key, here.reassigned, here.keep_role) == ("government:france", True, False)
    elsewhere = corrections.decide(
        "person:x", Mention(text=None, article_hash="h", content_start=6, content_end=7)
    )
    assert (elsewhere.key, elsewhere.corrected) == ("person:x", False)


def test_the_pipeline_applies_a_merge_to_a_new_mention(
    db_session: Session, attribute: Attribute
) -> None:
    macron = attribute("Emmanuel Macron")
    merge = Rule(
        kind="merge_actors",
        actor_key="person:e macron",
        target_key="person:emmanuel macron",
        target_name="Emmanuel Macron",
    )

    actor = attribute("E. Macron", corrections=Corrections([merge]))

    assert actor is macron
    assert db_session.scalar(select(ActorRow).where(ActorRow.key == "person:e macron")) is None
    assert "E. Macron" in {alias.alias for alias in macron.aliases}


def test_a_split_alias_is_never_given_back(db_session: Session, attribute: Attribute) -> None:
    witkoff = attribute("Steve Witkoff")
    split = Rule(
        kind="split_alias",
        actor_key="person:steve witkoff",
        alias_key="steve whitkoff",
        target_key="person:steve whitkoff",
        target_name="Steve Whitkoff",
        alias="Steve Whitkoff",
    )
    corrections = Corrections([split])

    whitkoff = attribute("Steve Whitkoff", role="U.S. envoy", corrections=corrections)

    assert whitkoff is not None and whitkoff is not witkoff
    assert whitkoff.name == "Steve Whitkoff"
    assert {a.alias for a in whitkoff.aliases} == {"Steve Whitkoff", "U.S. envoy Steve Whitkoff"}
    assert {a.alias for a in witkoff.aliases} == {"Steve Witkoff"}


# --- through spaCy -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


@pytest.mark.nlp
@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("Envoy Witkoff said the plan was fine.", "Witkoff", "Envoy"),  # title in the entity
        ("Mr Macron said the plan was fine.", "Macron", None),
        ("Sir Keir Starmer said the plan was fine.", "Keir Starmer", None),
        (
            "Germany's Chancellor Friedrich Merz said efforts proceed.",
            "Friedrich Merz",
            "German Chancellor",
        ),
        (
            "Britain's Prime Minister Keir Starmer said the plan was fine.",
            "Keir Starmer",
            "British Prime Minister",
        ),
        (
            "U.S. special envoy Steve Witkoff said progress was made. Whitkoff added that more "
            "was needed.",
            "Steve Witkoff",
            "U.S. special envoy",
        ),
    ],
)
def test_mentions_as_outlets_write_them(
    nlp: Language, text: str, name: str, role: str | None
) -> None:
    doc = nlp(text)
    resolved = resolve_speakers(doc, doc._.statements)

    assert resolved
    for statement in resolved:
        assert statement.speaker is not None
        assert (statement.speaker.kind, statement.speaker.name) == ("person", name)
        assert statement.speaker.role == role


@pytest.mark.nlp
def test_the_document_and_the_text_are_the_document_spoken_of_before(nlp: Language) -> None:
    doc = nlp(
        "The draft says the United States would lead the monitoring. The document describes a "
        "permanent system to verify a ceasefire. The text further states that Washington "
        "would commit to support the force."
    )
    speakers = [s.speaker for s in resolve_speakers(doc, doc._.statements)]

    assert len(speakers) == 3
    assert {(s.kind, s.name) for s in speakers if s is not None} == {("document", "draft")}
