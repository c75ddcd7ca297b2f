"""Relations between claims (api/pipeline/relations.py and relation_text.py): what each
rule finds, what it leaves alone, and that the answer does not depend on which article
arrives first. Rows are built directly; the seed corpus end to end is in
test_seed_provenance.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from collections.abc import Sequence

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.pipeline.relation_text import change_reports, compare, features, stem, words
from api.pipeline.relations import record_relations
from api.storage.models import (
    ActorRow,
    ArticleRow,
    ClaimRelationRow,
    ClaimRow,
    ClaimStatementRow,
    StatementRow,
)

JAN = {day: dt.date(2026, 1, day) for day in range(5, 10)}
_SERIAL = itertools.count(1)

DRAFT_TEXT = (
    "The draft says Washington would commit to defend the European force if it is attacked "
    "by Russia."
)
DRAFT_COMMITMENT = (
    "Washington would commit to defend the European force if it is attacked by Russia"
)
DROP_SENTENCE = (
    "Language in an earlier draft committing Washington to defend the European force "
    "against a Russian attack did not appear in the final communique."
)
REPORT_TEXT = f"Leaders signed the declaration on Tuesday. {DROP_SENTENCE} Talks go on."


class World:
    """Articles, speakers, statements and claims, as the pipeline stores them."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def actor(self, name: str, kind: str = "person") -> ActorRow:
        row = ActorRow(key=f"{kind}:{name.casefold()}", name=name, kind=kind)
        self.session.add(row)
        self.session.flush()
        return row

    def article(
        self,
        text: str,
        published: dt.date | None,
        *,
        url: str | None = None,
        previous: ArticleRow | None = None,
        duplicate_of: ArticleRow | None = None,
    ) -> ArticleRow:
        row = ArticleRow(
            url=url or f"https://news.example/relations/{next(_SERIAL)}",
            version=previous.version + 1 if previous else 1,
            previous_version_id=previous.id if previous else None,
            duplicate_of_id=duplicate_of.id if duplicate_of else None,
            published_date=published,
            text=text,
            content_hash=hashlib.sha256(f"{text}{next(_SERIAL)}".encode()).hexdigest(),
        )
        self.session.add(row)
        self.session.flush()
        return row

    def statement(
        self,
        article: ArticleRow,
        text: str,
        speaker: ActorRow | None,
        *,
        mention: str | None = None,
        claim: ClaimRow | None = None,
    ) -> StatementRow:
        start = article.text.index(text)
        row = StatementRow(
            article_id=article.id,
            speaker_id=speaker.id if speaker else None,
            kind="reported",
            text=text,
            content_start=start,
            content_end=start + len(text),
            speaker_text=mention,
            confidence=0.9,
            statement_date=article.published_date,
        )
        self.session.add(row)
        self.session.flush()
        if claim is None:
            claim = ClaimRow(text=text, speaker_id=row.speaker_id)
            self.session.add(claim)
            self.session.flush()
        self.session.add(ClaimStatementRow(claim_id=claim.id, statement_id=row.id))
        self.session.flush()
        return row

    def relate(self, article: ArticleRow, statements: Sequence[StatementRow] = ()) -> None:
        record_relations(self.session, article, list(statements))

    def relations(self) -> list[ClaimRelationRow]:
        return list(self.session.scalars(select(ClaimRelationRow).order_by(ClaimRelationRow.id)))

    def claim_of(self, statement: StatementRow) -> int:
        claim_id = self.session.scalar(
            select(ClaimStatementRow.claim_id).where(ClaimStatementRow.statement_id == statement.id)
        )
        assert claim_id is not None
        return claim_id


@pytest.fixture
def world(db_session: Session) -> World:
    return World(db_session)


def draft_article(world: World, published: dt.date = JAN[6]) -> StatementRow:
    article = world.article(DRAFT_TEXT, published)
    draft = world.actor("draft", "document")
    statement = world.statement(article, DRAFT_COMMITMENT, draft, mention="The draft")
    world.relate(article, [statement])
    return statement


# --- Rule 1: a later text reports that a draft's wording was dropped or softened.


def test_a_report_that_a_draft_commitment_was_dropped_relates_the_draft_statement(
    world: World,
) -> None:
    draft = draft_article(world)
    assert world.relations() == []

    report = world.article(REPORT_TEXT, JAN[7])
    world.relate(report)

    (relation,) = world.relations()
    assert relation.kind == "dropped"
    assert (relation.statement_id, relation.claim_id) == (draft.id, world.claim_of(draft))
    assert relation.later_article_id == report.id
    # No statement was extracted from the report: the sentence itself is the evidence.
    assert (relation.later_statement_id, relation.later_claim_id) == (None, None)
    assert relation.evidence_start is not None and relation.evidence_end is not None
    assert report.text[relation.evidence_start : relation.evidence_end] == DROP_SENTENCE
    assert 0.5 < relation.confidence <= 0.95
    assert relation.detail is not None and "did not appear" in relation.detail


def test_the_report_may_arrive_before_the_draft(world: World) -> None:
    report = world.article(REPORT_TEXT, JAN[7])
    world.relate(report)
    assert world.relations() == []

    draft = draft_article(world)

    (relation,) = world.relations()
    assert (relation.kind, relation.statement_id, relation.later_article_id) == (
        "dropped",
        draft.id,
        report.id,
    )
    assert report.text[relation.evidence_start or 0 : relation.evidence_end] == DROP_SENTENCE


def test_the_statement_reporting_the_omission_is_the_later_statement(world: World) -> None:
    draft = draft_article(world)
    report = world.article(REPORT_TEXT, JAN[7])
    agency = world.actor("Reuters", "media")
    reporting = world.statement(report, DROP_SENTENCE.removesuffix("."), agency)
    world.relate(report, [reporting])

    (relation,) = world.relations()
    assert relation.statement_id == draft.id
    assert relation.later_statement_id == reporting.id
    assert relation.later_claim_id == world.claim_of(reporting)


def test_a_report_published_before_the_draft_is_not_about_it(world: World) -> None:
    world.relate(world.article(REPORT_TEXT, JAN[5]))
    draft_article(world, JAN[6])
    assert world.relations() == []


def test_softened_from_an_earlier_draft(world: World) -> None:
    draft = draft_article(world)
    text = (
        "The US role was watered down from the earlier draft, which committed Washington "
        "to defend the European force against an attack by Russia."
    )
    world.relate(world.article(text, JAN[8]))

    (relation,) = world.relations()
    assert (relation.kind, relation.statement_id) == ("softened", draft.id)


@pytest.mark.parametrize(
    "text",
    [
        # Dropped, but not said of a draft: nothing to measure against.
        "Language committing Washington to defend the European force against a Russian "
        "attack did not appear in the final communique.",
        # Of a draft, but about something else.
        "A clause in the earlier draft on grain exports through the Black Sea was removed.",
        # Of a draft, on topic, but reporting no change.
        "The earlier draft committed Washington to defend the European force if attacked.",
    ],
)
def test_reports_that_do_not_describe_the_draft_statement_relate_nothing(
    world: World, text: str
) -> None:
    draft_article(world)
    world.relate(world.article(text, JAN[7]))
    assert world.relations() == []


def test_only_draft_statements_can_be_what_a_report_says_was_dropped(world: World) -> None:
    article = world.article(DRAFT_TEXT, JAN[6])
    person = world.actor("Emmanuel Macron")
    world.relate(article, [world.statement(article, DRAFT_COMMITMENT, person)])
    world.relate(world.article(REPORT_TEXT, JAN[7]))
    assert world.relations() == []


# --- Rule 2: the same speaker later, or a final text after a draft, says it more weakly.


def test_the_same_speaker_softening_a_claim(world: World) -> None:
    macron = world.actor("Emmanuel Macron")
    first = world.article("France will send several thousand troops to Ukraine.", JAN[6])
    strong = world.statement(first, "France will send several thousand troops to Ukraine", macron)
    world.relate(first, [strong])
    later = world.article("France could send several thousand troops to Ukraine.", JAN[8])
    weak = world.statement(later, "France could send several thousand troops to Ukraine", macron)
    world.relate(later, [weak])

    (relation,) = world.relations()
    assert relation.kind == "softened"
    assert (relation.statement_id, relation.claim_id) == (strong.id, world.claim_of(strong))
    assert (relation.later_statement_id, relation.later_claim_id) == (
        weak.id,
        world.claim_of(weak),
    )
    assert relation.later_article_id == later.id
    assert relation.detail == "will -> could"


def test_the_earlier_statement_may_arrive_last(world: World) -> None:
    macron = world.actor("Emmanuel Macron")
    later = world.article("France could send several thousand troops to Ukraine.", JAN[8])
    weak = world.statement(later, "France could send several thousand troops to Ukraine", macron)
    world.relate(later, [weak])
    first = world.article("France will send several thousand troops to Ukraine.", JAN[6])
    strong = world.statement(first, "France will send several thousand troops to Ukraine", macron)
    world.relate(first, [strong])

    (relation,) = world.relations()
    assert (relation.kind, relation.statement_id, relation.later_statement_id) == (
        "softened",
        strong.id,
        weak.id,
    )


def test_the_same_speaker_contradicting_a_claim(world: World) -> None:
    kremlin = world.actor("Russia", "government")
    first = world.article("Moscow will accept European monitors in Donbas.", JAN[6])
    yes = world.statement(first, "Moscow will accept European monitors in Donbas", kremlin)
    world.relate(first, [yes])
    later = world.article("Moscow will not accept European monitors in Donbas.", JAN[7])
    no = world.statement(later, "Moscow will not accept European monitors in Donbas", kremlin)
    world.relate(later, [no])

    (relation,) = world.relations()
    assert (relation.kind, relation.statement_id, relation.later_statement_id) == (
        "contradicted",
        yes.id,
        no.id,
    )


@pytest.mark.parametrize(
    ("kind", "first_day", "later_day"),
    [
        ("person", 6, 6),  # the same day: which came first is unknown
        ("group", 6, 8),  # "officials" are not one speaker
    ],
)
def test_no_order_or_no_single_speaker_no_relation(
    world: World, kind: str, first_day: int, later_day: int
) -> None:
    speaker = world.actor("officials" if kind == "group" else "Emmanuel Macron", kind)
    first = world.article("France will send several thousand troops to Ukraine.", JAN[first_day])
    world.relate(
        first, [world.statement(first, "France will send several thousand troops", speaker)]
    )
    later = world.article("France could send several thousand troops to Ukraine.", JAN[later_day])
    world.relate(
        later, [world.statement(later, "France could send several thousand troops", speaker)]
    )
    assert world.relations() == []


def test_a_final_declaration_softening_a_draft(world: World) -> None:
    draft_doc = world.actor("draft", "document")
    declaration = world.actor("declaration", "document")
    first = world.article(
        "The draft says the United States will guarantee the security of the European force.",
        JAN[6],
    )
    guarantee = world.statement(
        first,
        "the United States will guarantee the security of the European force",
        draft_doc,
        mention="The draft",
    )
    world.relate(first, [guarantee])
    final = world.article(
        "The declaration says Washington will support the security of the European force.",
        JAN[7],
    )
    support = world.statement(
        final,
        "Washington will support the security of the European force",
        declaration,
        mention="The declaration",
    )
    world.relate(final, [support])

    (relation,) = world.relations()
    assert (relation.kind, relation.statement_id, relation.later_statement_id) == (
        "softened",
        guarantee.id,
        support.id,
    )
    assert relation.detail == "guarantee -> support"


def test_two_drafts_are_never_compared(world: World) -> None:
    draft_doc = world.actor("draft", "document")
    for day, verb in ((6, "will"), (7, "could")):
        article = world.article(f"The draft says France {verb} send troops to Kyiv soon.", JAN[day])
        statement = world.statement(
            article, f"France {verb} send troops to Kyiv soon", draft_doc, mention="The draft"
        )
        world.relate(article, [statement])
    assert world.relations() == []


# --- Rule 3: a new version of an article that no longer carries a statement.


def test_a_new_version_that_drops_a_statement(world: World) -> None:
    minister = world.actor("Jean-Noël Barrot")
    kept_text = "the coalition is ready to deploy"
    dropped_text = "Paris will pay for the hubs"
    v1 = world.article(
        f"The minister said {kept_text}. He said {dropped_text}.", JAN[6], url="https://x.example/a"
    )
    kept = world.statement(v1, kept_text, minister)
    dropped = world.statement(v1, dropped_text, minister)
    world.relate(v1, [kept, dropped])
    v2 = world.article(
        f"The minister said {kept_text}.", JAN[6], url="https://x.example/a", previous=v1
    )
    again = world.statement(
        v2, kept_text, minister, claim=world.session.get(ClaimRow, world.claim_of(kept))
    )
    world.relate(v2, [again])

    (relation,) = world.relations()
    assert (relation.kind, relation.statement_id, relation.later_article_id) == (
        "dropped",
        dropped.id,
        v2.id,
    )
    assert relation.later_statement_id is None
    assert relation.detail == "not in version 2 of the article"


def test_a_new_version_still_carrying_the_words_drops_nothing(world: World) -> None:
    minister = world.actor("Jean-Noël Barrot")
    text = "Paris will pay for the hubs"
    v1 = world.article(f"He said {text}.", JAN[6], url="https://x.example/b")
    world.relate(v1, [world.statement(v1, text, minister)])
    # The extractor found nothing in the new version, but the words are still there.
    v2 = world.article(
        f"Late on Tuesday he said {text}.", JAN[6], url="https://x.example/b", previous=v1
    )
    world.relate(v2, [])
    assert world.relations() == []


def test_a_copy_has_no_relations_of_its_own(world: World) -> None:
    draft_article(world)
    original = world.article(REPORT_TEXT, JAN[7])
    world.relate(original)
    copy = world.article(REPORT_TEXT + " (AFP)", JAN[7], duplicate_of=original)
    world.relate(copy)
    assert [r.later_article_id for r in world.relations()] == [original.id]


# --- The text rules on their own.


def test_change_reports_name_the_change_and_the_sentence() -> None:
    text = f"Intro sentence. {DROP_SENTENCE} The earlier draft text was softened, aides said."
    reports = change_reports(text)
    assert [(r.kind, r.cue) for r in reports] == [
        ("dropped", "did not appear"),
        ("softened", "softened"),
    ]
    assert text[reports[0].sentence.start : reports[0].sentence.end] == DROP_SENTENCE
    assert {"commit", "defend", "forc", "attack"} <= reports[0].stems
    # The words that describe the change are not what changed.
    assert not {"draft", "appear", "communiqu", "final"} & reports[0].stems


def test_words_fold_government_names_but_not_the_pronoun_us() -> None:
    assert words("The U.S. told us") == ["the", "gov:united states", "told", "us"]
    assert words("Washington and the United States")[0] == words("the US")[1]
    assert {stem(w) for w in ("commit", "committing", "commitment")} == {"commit"}
    assert stem("forces") == stem("force")


@pytest.mark.parametrize(
    ("earlier", "later", "expected"),
    [
        ("France will send 5,000 troops to Ukraine", "France could send 5,000 troops to Ukraine",
         ("softened", "will -> could")),
        ("The US will guarantee the security of the force",
         "The US will support the security of the force", ("softened", "guarantee -> support")),
        ("Russia will accept the monitors in Donbas", "Russia will not accept the monitors in "
         "Donbas", ("contradicted", "affirmed -> negated")),
        # Emphasis, not negation; the same strength: nothing.
        ("These are not just words about the monitors", "These are words about the monitors",
         None),
        # Different numbers are a different fact.
        ("France will send 5,000 troops to Ukraine", "France could send 3,000 troops to Ukraine",
         None),
        # Another topic.
        ("France will send troops to Ukraine", "Germany could pay for air defence in Poland",
         None),
    ],
)  # fmt: skip
def test_compare(earlier: str, later: str, expected: tuple[str, str] | None) -> None:
    found = compare(features(earlier), features(later))
    assert (None if found is None else (found.kind, found.detail)) == expected
