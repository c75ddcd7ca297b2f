"""Provenance documents (migration 0014): encoded once, served as stored, never stale.

Every check compares each claim's stored bytes with what the tables render *now*
(``ClaimService.provenance``), so a document that outlived a change shows up as a
difference, whichever change it was. The newsroom (tests/http/factories.py): claim c1 is
Macron's pledge in s1 (a1, The Guardian, via Reuters), s3 (a_mid, Le Monde) and s6
(a_late, The Guardian); c2 is the Kremlin's s4.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from api.services import ClaimService
from api.services.provenance_documents import encode_provenance, read_provenance
from api.settings import Settings
from api.storage.models import (
    ArticleRow,
    ClaimMentionRow,
    ClaimRelationRow,
    ClaimRow,
    ClaimStatementRow,
    NarrationSentenceRow,
    ProvenanceDocumentRow,
    StatementCreditRow,
    StatementRow,
)
from tests.http.factories import Factory, Newsroom
from tests.http.newsroom_changes import (
    drop_a_credit,
    move_to_another_claim,
    rename_agency,
    rename_outlet,
    rename_speaker,
    retitle_article,
)

pytestmark = pytest.mark.anyio
Client = AsyncTestClient[Litestar]


@pytest.fixture
def settings() -> Settings:
    # No response cache: every request here must reach the documents or the tables.
    return Settings(cache_refresh_seconds=0, response_cache_mb=0)


async def stored(session: AsyncSession) -> dict[int, bytes | None]:
    session.expire_all()
    claim_ids = (await session.scalars(select(ClaimRow.id).order_by(ClaimRow.id))).all()
    return {claim_id: await read_provenance(session, claim_id) for claim_id in claim_ids}


async def assert_documents_current(session: AsyncSession) -> dict[int, bytes | None]:
    documents = await stored(session)
    for claim_id, body in documents.items():
        assert body is not None, f"claim {claim_id} has no provenance document"
        now = encode_provenance(await ClaimService(session).provenance(claim_id))
        assert body == now, f"claim {claim_id}'s document is stale"
    return documents


async def test_every_claim_gets_its_document_when_written(
    client: Client, async_session: AsyncSession, newsroom: Newsroom
) -> None:
    documents = await assert_documents_current(async_session)
    assert set(documents) == {newsroom.c1, newsroom.c2}
    for claim_id, body in documents.items():
        response = await client.get(f"/v1/claims/{claim_id}/provenance")
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        assert response.content == body
        assert response.headers["etag"]


async def test_a_claim_without_document_is_rendered_from_the_tables(
    client: Client, db_connection: AsyncConnection, newsroom: Newsroom
) -> None:
    served = (await client.get(f"/v1/claims/{newsroom.c1}/provenance")).content
    # Below the ORM, as a hand-run fix or an upgrade without `statements migrate` would.
    await db_connection.exec_driver_sql("UPDATE provenance_documents SET body = NULL")
    response = await client.get(f"/v1/claims/{newsroom.c1}/provenance")
    assert response.status_code == 200
    assert response.content == served
    assert (await client.get("/v1/claims/999999999/provenance")).status_code == 404


Change = Callable[[AsyncSession, Newsroom], Awaitable[object]]


async def redate_article(session: AsyncSession, world: Newsroom) -> None:
    # Le Monde's article now comes first: the order of appearances changes.
    await session.execute(
        update(ArticleRow)
        .where(ArticleRow.id == world.a_mid)
        .values(published_date=dt.date(2026, 1, 1))
    )


async def reword_statement(session: AsyncSession, world: Newsroom) -> None:
    await session.execute(
        update(StatementRow).where(StatementRow.id == world.s6).values(text="stand by Kyiv")
    )


async def reword_claim(session: AsyncSession, world: Newsroom) -> None:
    await session.execute(
        update(ClaimRow).where(ClaimRow.id == world.c1).values(text="France stands by Ukraine")
    )


async def credit_an_agency(session: AsyncSession, world: Newsroom) -> None:
    session.add(StatementCreditRow(statement_id=world.s6, source_id=world.afp))


async def leave_the_claim(session: AsyncSession, world: Newsroom) -> None:
    await session.execute(
        delete(ClaimStatementRow).where(ClaimStatementRow.statement_id == world.s3)
    )


async def delete_a_statement(session: AsyncSession, world: Newsroom) -> None:
    await session.execute(delete(StatementRow).where(StatementRow.id == world.s6))


async def add_a_copy(session: AsyncSession, world: Newsroom) -> None:
    factory = Factory(session)
    original = await session.get(ArticleRow, world.a_mid)
    assert original is not None
    await factory.copy_of(original, source=await factory.source("Kyiv Wire"), similarity=0.93)


async def add_a_relation(session: AsyncSession, world: Newsroom) -> None:
    factory = Factory(session)
    evidence = "The pledge to stand by Ukraine did not appear in the final communique."
    later = await factory.article(f"Leaders met. {evidence}", published=dt.date(2026, 1, 9))
    start = later.text.index(evidence)
    session.add(
        ClaimRelationRow(
            kind="dropped",
            claim_id=world.c1,
            statement_id=world.s1,
            later_article_id=later.id,
            evidence_start=start,
            evidence_end=start + len(evidence),
            confidence=0.8,
            detail="reported dropped",
        )
    )


async def add_narration(session: AsyncSession, world: Newsroom) -> None:
    factory = Factory(session)
    sentence_text = "France will stand by Ukraine, the presidency confirmed."
    article = await factory.article(
        f"Paris. {sentence_text}",
        source=await factory.source("Kyiv Wire"),
        published=dt.date(2026, 1, 5),
    )
    sentence = NarrationSentenceRow(
        article_id=article.id, start_offset=7, end_offset=7 + len(sentence_text),
        text=sentence_text,
    )  # fmt: skip
    session.add(sentence)
    await session.flush()
    session.add(ClaimMentionRow(sentence_id=sentence.id, statement_id=world.s1, score=0.9))


@pytest.mark.parametrize(
    "change",
    [
        rename_speaker,
        retitle_article,
        redate_article,
        rename_outlet,
        rename_agency,
        reword_statement,
        reword_claim,
        credit_an_agency,
        drop_a_credit,
        leave_the_claim,
        move_to_another_claim,
        delete_a_statement,
        add_a_copy,
        add_a_relation,
        add_narration,
    ],
)
async def test_a_change_renders_the_provenances_it_touches_again(
    client: Client, async_session: AsyncSession, newsroom: Newsroom, change: Change
) -> None:
    before = await assert_documents_current(async_session)
    await change(async_session, newsroom)
    await async_session.commit()
    after = await assert_documents_current(async_session)
    assert before[newsroom.c1] != after[newsroom.c1]  # a change c1's provenance shows
    for claim_id, body in after.items():
        response = await client.get(f"/v1/claims/{claim_id}/provenance")
        assert response.content == body


async def test_a_copy_of_a_copy_renders_the_claim_again(
    async_session: AsyncSession, newsroom: Newsroom
) -> None:
    factory = Factory(async_session)
    original = await async_session.get(ArticleRow, newsroom.a_mid)
    assert original is not None
    copy = await factory.copy_of(original, source=await factory.source("Kyiv Wire"), similarity=0.9)
    await async_session.commit()
    before = await assert_documents_current(async_session)
    await factory.copy_of(copy, source=await factory.source("Odesa Daily"), similarity=0.9)
    await async_session.commit()
    after = await assert_documents_current(async_session)
    assert before[newsroom.c1] != after[newsroom.c1]


async def test_a_write_that_is_rolled_back_leaves_the_documents_as_they_were(
    async_session: AsyncSession, newsroom: Newsroom
) -> None:
    before = await assert_documents_current(async_session)
    await rename_speaker(async_session, newsroom)
    await async_session.rollback()
    assert await assert_documents_current(async_session) == before


async def test_a_deleted_claim_takes_its_document_with_it(
    client: Client, async_session: AsyncSession, newsroom: Newsroom
) -> None:
    await async_session.execute(delete(ClaimRow).where(ClaimRow.id == newsroom.c2))
    await async_session.commit()
    left = await async_session.scalar(
        select(ProvenanceDocumentRow.claim_id).where(ProvenanceDocumentRow.claim_id == newsroom.c2)
    )
    assert left is None
    assert (await client.get(f"/v1/claims/{newsroom.c2}/provenance")).status_code == 404
