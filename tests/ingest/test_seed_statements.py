"""The seed corpus end to end: what a reader of the five articles finds in them.

Expected speakers and quotes below were written from the articles themselves.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.pipeline.run import RunReport
from api.storage.models import (
    ActorRow,
    ArticleRow,
    ClaimStatementRow,
    SourceRow,
    StatementCreditRow,
    StatementRow,
)

pytestmark = pytest.mark.nlp


def _statement(session: Session, starts_with: str) -> StatementRow:
    rows = session.scalars(
        select(StatementRow).where(StatementRow.text.startswith(starts_with))
    ).all()
    assert rows, f"no statement starts with {starts_with!r}"
    return rows[0]


def _speaker(session: Session, starts_with: str) -> str | None:
    statement = _statement(session, starts_with)
    return statement.speaker.name if statement.speaker else None


def test_every_seed_is_ingested(ingested: RunReport, db_session: Session) -> None:
    assert (ingested.ingested, ingested.unchanged, ingested.failed) == (5, 0, 0)
    assert db_session.scalar(select(func.count()).select_from(ArticleRow)) == 5
    assert ingested.statements == db_session.scalar(select(func.count()).select_from(StatementRow))
    assert ingested.statements >= 40


@pytest.mark.parametrize(
    ("quote", "speaker", "kind"),
    [
        ("This carnage has to stop", "Steve Witkoff", "direct"),
        ("These are not just words. There is concrete content", "Volodymyr Zelensky", "direct"),
        ("For all Russia’s words, Putin is not showing", "Keir Starmer", "direct"),
        ("This only hardens our resolve.", "Keir Starmer", "direct"),
        ("We will certainly have to make compromises", "Friedrich Merz", "direct"),
        ("“land options” would be the most", "Steve Witkoff", "partial"),
        ("France could contribute “several thousand” troops", "Emmanuel Macron", "partial"),
        ("Türkiye is willing to take responsibility", "Emmanuel Macron", "direct"),
        ("a deal depends on Moscow’s choices", "Keir Starmer", "reported"),
        ("German forces could help monitor a ceasefire", "Friedrich Merz", "reported"),
        ("These security protocols are designed", "Steve Witkoff", "direct"),
        (
            "The supervision of a ceasefire in Ukraine will be done under U.S. leadership",
            "Emmanuel Macron",
            "reported",
        ),
        ("a deal was 90% ready", "Ukraine", "reported"),
        ("diplomatic efforts proceed 'under difficult conditions'", "Friedrich Merz", "partial"),
        ("this would likely involve drones", "Officials", "reported"),
        ("peace would depend on Moscow’s willingness to compromise", "Keir Starmer", "reported"),
    ],
)
def test_seed_speakers(
    ingested: RunReport, db_session: Session, quote: str, speaker: str, kind: str
) -> None:
    statement = _statement(db_session, quote)
    assert statement.speaker is not None, f"{quote!r} has no speaker"
    assert statement.speaker.name == speaker
    assert statement.kind == kind


def test_speaker_is_the_subject_not_the_nearest_name(
    ingested: RunReport, db_session: Session
) -> None:
    # "Standing alongside Jared Kushner, he cautioned that “land options” ..."
    assert _speaker(db_session, "“land options”") != "Jared Kushner"


def test_misspelt_surname_reaches_the_same_person(ingested: RunReport, db_session: Session) -> None:
    witkoffs = db_session.scalars(select(ActorRow).where(ActorRow.name.contains("itkoff"))).all()
    assert [a.name for a in witkoffs] == ["Steve Witkoff"]
    aliases = {alias.alias for alias in witkoffs[0].aliases}
    assert "Steve Whitkoff" in aliases or "Whitkoff" in aliases


def test_roles_are_kept_with_the_statement(ingested: RunReport, db_session: Session) -> None:
    assert _statement(db_session, "This carnage has to stop").speaker_role == "U.S. envoy"
    assert _statement(db_session, "the talks made").speaker_role == "UK Prime Minister"
    # "U.S. envoys Steve Whitkoff and Jared Kushner": each is a U.S. envoy.
    assert _statement(db_session, "if the Ukrainians conclude").speaker_role == "U.S. envoy"
    assert _statement(db_session, "These security protocols").speaker_role == "U.S. envoy"


def test_section_headings_are_not_statements(ingested: RunReport, db_session: Session) -> None:
    for heading in ("Robust Security Guarantees", "Critical Issue", "Hardens Our Resolve"):
        count = db_session.scalar(select(func.count()).where(StatementRow.text == heading))
        assert count == 0, heading


def test_credited_upstream_sources(ingested: RunReport, db_session: Session) -> None:
    def credits(starts_with: str) -> set[str]:
        statement = _statement(db_session, starts_with)
        return {credit.source.name for credit in statement.credits}

    assert "AFP" in credits("the United States would oversee the ceasefire monitoring")
    assert "Suspilne" in credits("The United States is prepared to play a key role")
    assert "The Moscow Times" in credits("Washington agrees to lead")
    assert "Reuters" in credits("the pledge came at a summit")
    kinds = {
        name: kind for name, kind in db_session.execute(select(SourceRow.name, SourceRow.kind))
    }
    assert kinds["AFP"] == "agency"
    assert kinds["Clash Report"] == "outlet"


def test_the_publication_is_the_outlet_credited_before(
    ingested: RunReport, db_session: Session
) -> None:
    statement = _statement(db_session, "unlike previous coalition meetings")
    assert statement.speaker is not None
    assert (statement.speaker.name, statement.speaker.kind) == ("Reuters", "media")


def test_offsets_point_at_the_stored_text(ingested: RunReport, db_session: Session) -> None:
    for statement in db_session.scalars(select(StatementRow)):
        text = statement.article.text
        assert text[statement.content_start : statement.content_end] == statement.text
        for quote in statement.quotes:
            assert text[quote["start"] : quote["end"]] == quote["text"]
        if statement.cue_start is not None:
            assert text[statement.cue_start : statement.cue_end] == statement.cue_text
        if statement.speaker_start is not None:
            assert text[statement.speaker_start : statement.speaker_end] == statement.speaker_text
        if statement.date_inferred:
            assert statement.statement_date == statement.article.published_date
        else:  # dated by the text: an expression of the article, on or before publication
            assert statement.date_text and statement.date_text in text
            assert statement.statement_date <= statement.article.published_date
        assert 0.0 <= statement.confidence <= 1.0
        if statement.speaker_id is None:
            continue
        assert statement.confidence >= 0.5  # below the threshold a statement keeps no speaker


def test_two_outlets_quoting_macron_share_a_claim(ingested: RunReport, db_session: Session) -> None:
    quotes = db_session.scalars(
        select(StatementRow).where(StatementRow.text.contains("several thousand"))
    ).all()
    assert len({s.article_id for s in quotes}) == 2
    claims = {
        db_session.scalar(
            select(ClaimStatementRow.claim_id).where(ClaimStatementRow.statement_id == s.id)
        )
        for s in quotes
    }
    assert len(claims) == 1


def test_every_statement_has_exactly_one_claim(ingested: RunReport, db_session: Session) -> None:
    statements = db_session.scalar(select(func.count()).select_from(StatementRow))
    links = db_session.scalar(select(func.count()).select_from(ClaimStatementRow))
    assert statements == links
    assert db_session.scalar(select(func.count()).select_from(StatementCreditRow)) >= 4


def test_a_statement_dated_in_the_text_keeps_that_date(
    ingested: RunReport, db_session: Session
) -> None:
    """Ground News, published on 7 January, reports what was said "On January 6, 2026"."""
    statement = _statement(db_session, "the United States would lead ceasefire monitoring")
    assert statement.article.published_date == dt.date(2026, 1, 7)
    assert (statement.statement_date, statement.date_inferred) == (dt.date(2026, 1, 6), False)
    assert statement.date_text == "On January 6, 2026"
