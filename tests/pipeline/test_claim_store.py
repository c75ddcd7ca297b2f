"""Claims in the database: the key index, joining across articles, the canonical wording."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.pipeline.claim_store import assign_claim, known_claims
from api.pipeline.claims import claim_keys
from api.storage.models import (
    ActorRow,
    ArticleRow,
    ClaimKeyRow,
    ClaimRow,
    ClaimStatementRow,
    StatementRow,
)

_hashes = itertools.count()


def store(
    session: Session,
    published: dt.date,
    *statements: tuple[str, str, ActorRow | None, list[str]],
) -> list[ClaimRow]:
    """One article's statements, (kind, text, speaker, quotes), stored as store.py does."""
    article = ArticleRow(text="-", content_hash=f"claims-{next(_hashes)}", published_date=published)
    session.add(article)
    session.flush()
    known = known_claims(session, article.id)
    claims = []
    for kind, text, speaker, quotes in statements:
        row = StatementRow(
            article_id=article.id,
            speaker=speaker,
            kind=kind,
            text=text,
            content_start=0,
            content_end=len(text),
            quotes=[{"start": 0, "end": len(q), "text": q} for q in quotes],
            confidence=0.9,
        )
        session.add(row)
        session.flush()
        claims.append(assign_claim(session, row, known))
    session.flush()
    return claims


def person(session: Session, name: str) -> ActorRow:
    actor = ActorRow(key=f"person:{name.lower()}-{next(_hashes)}", name=name, kind="person")
    session.add(actor)
    session.flush()
    return actor


JAN_6, JAN_7 = dt.date(2026, 1, 6), dt.date(2026, 1, 7)


def test_a_statement_joins_a_matching_claim_of_another_article(db_session: Session) -> None:
    macron = person(db_session, "Emmanuel Macron")
    (first,) = store(
        db_session,
        JAN_6,
        ("partial", "France could send “several thousand” troops", macron, ["several thousand"]),
    )
    (second,) = store(
        db_session,
        JAN_7,
        ("partial", "“several thousand” French troops could deploy", macron, ["several thousand"]),
    )
    assert second.id == first.id
    assert first.speaker_id == macron.id


def test_statements_of_one_article_do_not_join_each_other(db_session: Session) -> None:
    merz = person(db_session, "Friedrich Merz")
    text = "German forces could help monitor a ceasefire from a neighbouring country"
    one, two = store(db_session, JAN_7, ("reported", text, merz, []), ("reported", text, merz, []))
    assert one.id != two.id


def test_different_people_saying_the_same_words_are_two_claims(db_session: Session) -> None:
    text = "compromises would be needed on the land question"
    (witkoff,) = store(db_session, JAN_6, ("reported", text, person(db_session, "Witkoff"), []))
    (merz,) = store(db_session, JAN_7, ("reported", text, person(db_session, "Merz"), []))
    assert witkoff.id != merz.id


def test_every_statement_is_indexed_under_its_keys(db_session: Session) -> None:
    text = "the United States would lead the ceasefire monitoring mechanism"
    store(db_session, JAN_6, ("reported", text, None, []))
    statement_id = db_session.scalar(select(StatementRow.id).where(StatementRow.text == text))
    stored = set(
        db_session.scalars(select(ClaimKeyRow.key).where(ClaimKeyRow.statement_id == statement_id))
    )
    assert stored == claim_keys(text)
    assert len(stored) > 3


def test_the_canonical_wording_is_the_most_complete_direct_quote(db_session: Session) -> None:
    trump = person(db_session, "Donald Trump")
    quote = "Not paying taxes makes me smart"
    (claim,) = store(db_session, JAN_6, ("reported", "paying no taxes makes me smart", None, []))
    assert claim.text == "paying no taxes makes me smart"
    store(db_session, JAN_7, ("direct", quote, trump, [quote]))
    db_session.refresh(claim)
    assert claim.text == quote  # a direct quote is a better wording than a paraphrase
    assert claim.speaker_id == trump.id
    partial = "not paying taxes “makes me smart”"
    store(db_session, JAN_7, ("partial", partial, trump, ["makes me smart"]))
    db_session.refresh(claim)
    assert claim.text == quote  # a shorter quote does not replace it
    members = select(func.count()).where(ClaimStatementRow.claim_id == claim.id)
    count = db_session.scalar(members.select_from(ClaimStatementRow))
    assert count == 3


def test_among_paraphrases_the_earliest_published_wording_wins(db_session: Session) -> None:
    later_text = "the allies would deploy a multinational force after a ceasefire in Ukraine"
    earlier_text = "a multinational force of the allies would deploy after the Ukraine ceasefire"
    (claim,) = store(db_session, JAN_7, ("reported", later_text, None, []))
    (same,) = store(db_session, JAN_6, ("reported", earlier_text, None, []))
    assert same.id == claim.id
    assert claim.text == earlier_text
