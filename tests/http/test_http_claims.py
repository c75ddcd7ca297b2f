"""/v1/claims: lists, details and provenance (order, first, credits, word diffs)."""

from __future__ import annotations

import datetime as dt

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from api.services.diff import word_diff
from api.storage.models import ArticleRow
from schemas import DiffOp, WordDiff
from tests.http.factories import CANONICAL_STAND_BY, Factory, Newsroom

pytestmark = pytest.mark.anyio

Client = AsyncTestClient[Litestar]


def source(newsroom: Newsroom, name: str) -> dict[str, object]:
    ids = {
        "The Guardian": newsroom.guardian,
        "Le Monde": newsroom.lemonde,
        "Reuters": newsroom.reuters,
        "AFP": newsroom.afp,
    }
    kind = "agency" if name in {"Reuters", "AFP"} else "outlet"
    return {"id": ids[name], "name": name, "kind": kind}


def macron(newsroom: Newsroom) -> dict[str, object]:
    return {"id": newsroom.macron, "name": "Emmanuel Macron", "kind": "person"}


async def test_list_claims(client: Client, newsroom: Newsroom) -> None:
    body = (await client.get("/v1/claims")).json()

    assert body == {
        "items": [
            {
                "id": newsroom.c1,
                "text": CANONICAL_STAND_BY,
                "speaker": macron(newsroom),
                "statement_count": 3,
                "outlets": [source(newsroom, "Le Monde"), source(newsroom, "The Guardian")],
                "first_published_date": "2026-01-06",
            },
            {
                "id": newsroom.c2,
                "text": "Foreign troops in Ukraine would be a legitimate target.",
                "speaker": {"id": newsroom.kremlin, "name": "Kremlin", "kind": "government"},
                "statement_count": 1,
                "outlets": [source(newsroom, "The Guardian")],
                "first_published_date": "2026-01-08",
            },
        ],
        "has_more": False,
        "next_cursor": None,
    }


async def test_get_claim_with_statements_in_publication_order(
    client: Client, newsroom: Newsroom
) -> None:
    body = (await client.get(f"/v1/claims/{newsroom.c1}")).json()

    assert body["claim"]["id"] == newsroom.c1
    assert body["claim"]["statement_count"] == 3
    assert [s["id"] for s in body["statements"]] == [newsroom.s1, newsroom.s3, newsroom.s6]
    assert {s["claim_id"] for s in body["statements"]} == {newsroom.c1}
    # Full Statement objects, same as /v1/statements/{id}.
    single = (await client.get(f"/v1/statements/{newsroom.s3}")).json()
    assert body["statements"][1] == single


async def test_provenance(client: Client, newsroom: Newsroom) -> None:
    response = await client.get(f"/v1/claims/{newsroom.c1}/provenance")

    assert response.status_code == 200
    body = response.json()
    appearances = body["appearances"]
    # Publication order (01-06, 01-07, 01-08), not id order (s1, s6, s3).
    assert [a["statement_id"] for a in appearances] == [newsroom.s1, newsroom.s3, newsroom.s6]
    assert [a["published_date"] for a in appearances] == ["2026-01-06", "2026-01-07", "2026-01-08"]
    assert body["first"] == appearances[0]
    assert body["claim"]["id"] == newsroom.c1
    # Credited sources in the order they first appear: Reuters (s1), then AFP (s3).
    assert body["upstream"] == [source(newsroom, "Reuters"), source(newsroom, "AFP")]

    first, middle, last = appearances
    assert first == {
        "statement_id": newsroom.s1,
        "article": {
            "id": newsroom.a1,
            "title": "Allies pledge long-term support",
            "url": first["article"]["url"],
            "published_date": "2026-01-06",
            "source": source(newsroom, "The Guardian"),
        },
        "outlet": source(newsroom, "The Guardian"),
        "published_date": "2026-01-06",
        "text": CANONICAL_STAND_BY,
        "content": {"start": 40, "end": 89, "text": CANONICAL_STAND_BY},
        "speaker": macron(newsroom),
        "credited": [source(newsroom, "Reuters")],
        "diff": [{"op": "equal", "text": CANONICAL_STAND_BY}],
        # Macron, via Reuters, in The Guardian (tests/http/test_http_provenance.py has more).
        "chain": [
            {
                "hop": 0,
                "role": "speaker",
                "name": "Emmanuel Macron",
                "actor": macron(newsroom),
                "source": None,
            },
            {
                "hop": 1,
                "role": "credited",
                "name": "Reuters",
                "actor": None,
                "source": source(newsroom, "Reuters"),
            },
            {
                "hop": 2,
                "role": "outlet",
                "name": "The Guardian",
                "actor": None,
                "source": source(newsroom, "The Guardian"),
            },
        ],
        "copy_of": None,
        "kind": "statement",
    }
    assert middle["outlet"] == source(newsroom, "Le Monde")
    assert middle["credited"] == [source(newsroom, "AFP"), source(newsroom, "Reuters")]
    assert last["credited"] == []
    assert last["text"] == "We will stand by Ukraine, for as long as it takes"
    assert last["diff"] == [
        {"op": "equal", "text": "We will stand by"},
        {"op": "delete", "text": "Ukraine"},
        {"op": "insert", "text": "Ukraine,"},
        {"op": "equal", "text": "for as long as it"},
        {"op": "delete", "text": "takes."},
        {"op": "insert", "text": "takes"},
    ]


async def test_provenance_breaks_date_ties_by_article_and_puts_undated_last(
    client: Client, newsroom: Newsroom, async_session: AsyncSession
) -> None:
    factory = Factory(async_session)
    undated = await factory.article("Undated: We will stand by Ukraine.")
    same_day = await factory.article("Same day: stand by Ukraine.", published=dt.date(2026, 1, 6))
    late_statement = await factory.statement(undated, "We will stand by Ukraine.")
    tie_statement = await factory.statement(same_day, "stand by Ukraine.")
    await factory.attach(newsroom.c1, [late_statement, tie_statement])
    await async_session.commit()

    body = (await client.get(f"/v1/claims/{newsroom.c1}/provenance")).json()

    assert [a["statement_id"] for a in body["appearances"]] == [
        newsroom.s1,
        tie_statement.id,  # same date as s1, later article
        newsroom.s3,
        newsroom.s6,
        late_statement.id,  # no publication date: last
    ]
    assert body["first"]["statement_id"] == newsroom.s1


async def test_claim_without_outlet_or_date(
    client: Client, newsroom: Newsroom, async_session: AsyncSession
) -> None:
    factory = Factory(async_session)
    article: ArticleRow = await factory.article("Nobody knows who said it first.")
    statement = await factory.statement(article, "Nobody knows who said it first.", kind="reported")
    claim = await factory.claim("Nobody knows who said it first.", None, [statement])
    await async_session.commit()

    listed = (await client.get(f"/v1/claims/{claim.id}")).json()["claim"]
    assert listed["outlets"] == []
    assert listed["first_published_date"] is None
    assert listed["speaker"] is None

    provenance = (await client.get(f"/v1/claims/{claim.id}/provenance")).json()
    assert provenance["first"]["outlet"] is None
    assert provenance["upstream"] == []


@pytest.mark.parametrize("suffix", ["", "/provenance"])
async def test_unknown_claim_is_404(client: Client, newsroom: Newsroom, suffix: str) -> None:
    response = await client.get(f"/v1/claims/424242{suffix}")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "https://statements.dev/problems/not-found",
        "title": "Not Found",
        "status": 404,
        "detail": "claim 424242 does not exist",
        "instance": f"/v1/claims/424242{suffix}",
        "request_id": response.headers["x-request-id"],
    }


def test_word_diff_reports_replacements_as_delete_then_insert() -> None:
    assert word_diff("the cat sat", "the  dog sat\n") == [
        WordDiff(op=DiffOp.EQUAL, text="the"),
        WordDiff(op=DiffOp.DELETE, text="cat"),
        WordDiff(op=DiffOp.INSERT, text="dog"),
        WordDiff(op=DiffOp.EQUAL, text="sat"),
    ]
    assert word_diff("a b", "a b c") == [
        WordDiff(op=DiffOp.EQUAL, text="a b"),
        WordDiff(op=DiffOp.INSERT, text="c"),
    ]
    assert word_diff("", "") == []
