"""Editors' corrections over HTTP: merge two actors, split an alias off, reassign a speaker.

Each test builds the actors it corrects on top of the factories' newsroom (Macron with
three statements and claim c1, Zelensky, the Kremlin), so that what moved can be told
from what did not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.services.keys import Scope, create_key
from api.storage.models import CorrectionRow
from tests.http.factories import Factory, Newsroom

pytestmark = pytest.mark.anyio

Client = AsyncTestClient[Litestar]
PROBLEM = "application/problem+json"


async def _token(session: AsyncSession, *scopes: Scope) -> str:
    _row, token = await session.run_sync(lambda s: create_key(s, "desk", list(scopes)))
    await session.commit()
    return token


@pytest.fixture
async def editor(async_session: AsyncSession) -> dict[str, str]:
    return {"Authorization": f"Bearer {await _token(async_session, Scope.EDIT)}"}


@pytest.fixture
async def reader(async_session: AsyncSession) -> dict[str, str]:
    return {"Authorization": f"Bearer {await _token(async_session, Scope.READ, Scope.INGEST)}"}


@dataclass(frozen=True)
class Witkoffs:
    """Steve Witkoff as the machine saw him: one actor, two spellings, three statements."""

    actor: int
    whitkoff: int  # mentioned as "Steve Whitkoff"
    titled: int  # as "U.S. envoy Steve Whitkoff"
    plain: int  # as "Witkoff"
    claim: int  # of the first


@pytest.fixture
async def witkoffs(newsroom: Newsroom, async_session: AsyncSession) -> Witkoffs:
    factory = Factory(async_session)
    actor = await factory.actor(
        "Steve Witkoff",
        aliases=["Steve Witkoff", "Steve Whitkoff", "U.S. envoy Steve Whitkoff", "Witkoff"],
    )
    whitkoff = await factory.said(
        "the protocols are strong", speaker=actor, mention="Steve Whitkoff"
    )
    titled = await factory.said(
        "they will deter attacks", speaker=actor, mention="U.S. envoy Steve Whitkoff"
    )
    plain = await factory.said("this carnage has to stop", speaker=actor, mention="Witkoff")
    claim = await factory.claim("the protocols are strong", actor, [whitkoff])
    await async_session.commit()
    return Witkoffs(actor.id, whitkoff.id, titled.id, plain.id, claim.id)


def names_field(problem: dict[str, Any], field: str) -> bool:
    """Whether a 400 problem names ``field``: as an error's field (our checks), or in its
    message (the body decoder's: "Object missing required field `into`")."""
    return any(
        error["field"] == field or f"`{field}`" in error["message"] for error in problem["errors"]
    )


async def _speaker(client: Client, statement_id: int) -> Any:
    return (await client.get(f"/v1/statements/{statement_id}")).json()["speaker"]


# --- keys ----------------------------------------------------------------------------------


WRITES = [
    ("POST", "/v1/actors/{macron}/merge", {"into": 1}),
    ("POST", "/v1/actors/{macron}/split", {"alias": "Macron"}),
    ("PATCH", "/v1/statements/{s1}", {"speaker_id": None}),
]


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
async def test_corrections_need_a_key_with_the_edit_scope(
    client: Client,
    newsroom: Newsroom,
    reader: dict[str, str],
    method: str,
    path: str,
    body: dict[str, Any],
) -> None:
    url = path.format(macron=newsroom.macron, s1=newsroom.s1)
    anonymous = await client.request(method, url, json=body)
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"] == PROBLEM
    assert anonymous.headers["www-authenticate"].startswith("Bearer")

    refused = await client.request(method, url, json=body, headers=reader)
    assert refused.status_code == 403
    assert refused.headers["content-type"] == PROBLEM
    assert "'edit' scope" in refused.json()["detail"]
    # Nothing was corrected.
    assert (await client.get(f"/v1/actors/{newsroom.macron}")).json()["statement_count"] == 3


# --- merge ---------------------------------------------------------------------------------


async def test_merge_moves_statements_aliases_and_claims(
    client: Client,
    newsroom: Newsroom,
    witkoffs: Witkoffs,
    editor: dict[str, str],
    async_session: AsyncSession,
) -> None:
    factory = Factory(async_session)
    twin = await factory.actor("S. Witkoff", aliases=["S. Witkoff"], wikidata_id="Q99999")
    said = await factory.said("a lot of progress", speaker=twin, mention="S. Witkoff")
    claim = await factory.claim("a lot of progress", twin, [said])
    await factory.session.commit()

    response = await client.post(
        f"/v1/actors/{twin.id}/merge",
        json={"into": witkoffs.actor, "note": "the same envoy"},
        headers=editor,
    )

    assert response.status_code == 200
    merged = response.json()
    assert merged["id"] == witkoffs.actor
    assert merged["name"] == "Steve Witkoff"
    assert "S. Witkoff" in merged["aliases"]
    assert merged["wikidata_id"] == "Q99999"  # the remaining actor had none
    assert merged["statement_count"] == 4
    assert (await _speaker(client, said.id))["id"] == witkoffs.actor
    claim_body = (await client.get(f"/v1/claims/{claim.id}")).json()["claim"]
    assert claim_body["speaker"]["id"] == witkoffs.actor
    assert (await client.get("/v1/actors", params={"q": "S. Witkoff"})).json()["items"][0][
        "id"
    ] == witkoffs.actor


async def test_a_merged_actor_redirects_to_the_one_it_became(
    client: Client, newsroom: Newsroom, witkoffs: Witkoffs, editor: dict[str, str]
) -> None:
    await client.post(
        f"/v1/actors/{witkoffs.actor}/merge", json={"into": newsroom.macron}, headers=editor
    )

    actor = await client.get(f"/v1/actors/{witkoffs.actor}", follow_redirects=False)
    assert actor.status_code == 308
    assert actor.headers["location"] == f"/v1/actors/{newsroom.macron}"
    statements = await client.get(
        f"/v1/actors/{witkoffs.actor}/statements?kind=direct&limit=2", follow_redirects=False
    )
    assert statements.status_code == 308
    assert statements.headers["location"] == (
        f"/v1/actors/{newsroom.macron}/statements?kind=direct&limit=2"
    )
    followed = await client.get(f"/v1/actors/{witkoffs.actor}")
    assert followed.status_code == 200
    assert followed.json()["id"] == newsroom.macron

    # A write naming the merged actor is told where it went, and is not followed there.
    again = await client.post(
        f"/v1/actors/{witkoffs.actor}/merge", json={"into": newsroom.zelensky}, headers=editor
    )
    assert again.status_code == 404
    assert again.headers["content-type"] == PROBLEM
    assert again.json()["detail"] == (
        f"actor {witkoffs.actor} was merged into actor {newsroom.macron}"
    )
    into_merged = await client.post(
        f"/v1/actors/{newsroom.zelensky}/merge", json={"into": witkoffs.actor}, headers=editor
    )
    assert into_merged.status_code == 400
    assert into_merged.json()["errors"] == [
        {
            "field": "into",
            "message": f"actor {witkoffs.actor} was merged into actor {newsroom.macron}",
        }
    ]


async def test_merges_are_recorded_by_actor_keys(
    client: Client,
    newsroom: Newsroom,
    witkoffs: Witkoffs,
    editor: dict[str, str],
    async_session: AsyncSession,
) -> None:
    await client.post(
        f"/v1/actors/{newsroom.kremlin}/merge",
        json={"into": newsroom.zelensky, "note": "test"},
        headers=editor,
    )

    rows = (await async_session.scalars(select(CorrectionRow))).all()
    assert [(r.kind, r.actor_key, r.target_key, r.target_name, r.note) for r in rows] == [
        (
            "merge_actors",
            "government:kremlin",
            "person:volodymyr zelensky",
            "Volodymyr Zelensky",
            "test",
        )
    ]
    assert rows[0].actor_id == newsroom.kremlin
    assert rows[0].api_key_id is not None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"into": "SELF"}, "into"),  # into itself
        ({"into": 987654}, "into"),  # no such actor
        ({}, "into"),  # missing
        ({"into": 0}, "into"),  # not an id
        ({"into": "three"}, "into"),
        ({"into": "OTHER", "because": "same"}, "because"),  # unknown field
        ({"into": "OTHER", "note": "x" * 2001}, "note"),
    ],
)
async def test_bad_merges_are_400_naming_the_field(
    client: Client, newsroom: Newsroom, editor: dict[str, str], body: dict[str, Any], field: str
) -> None:
    ids = {"SELF": newsroom.macron, "OTHER": newsroom.zelensky}
    sent = {
        key: ids.get(value, value) if isinstance(value, str) else value
        for key, value in body.items()
    }

    response = await client.post(f"/v1/actors/{newsroom.macron}/merge", json=sent, headers=editor)

    assert response.status_code == 400
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == "https://statements.dev/problems/invalid-request"
    assert names_field(problem, field), problem
    assert (await client.get(f"/v1/actors/{newsroom.macron}")).status_code == 200


async def test_merging_an_unknown_actor_is_404(
    client: Client, newsroom: Newsroom, editor: dict[str, str]
) -> None:
    response = await client.post(
        "/v1/actors/987654/merge", json={"into": newsroom.macron}, headers=editor
    )

    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["detail"] == "actor 987654 does not exist"


# --- split ---------------------------------------------------------------------------------


async def test_split_moves_the_statements_naming_the_alias_to_a_new_actor(
    client: Client,
    newsroom: Newsroom,
    witkoffs: Witkoffs,
    editor: dict[str, str],
    async_session: AsyncSession,
) -> None:
    response = await client.post(
        f"/v1/actors/{witkoffs.actor}/split", json={"alias": "steve WHITKOFF"}, headers=editor
    )

    assert response.status_code == 201
    created = response.json()
    assert response.headers["location"] == f"/v1/actors/{created['id']}"
    assert (created["name"], created["kind"]) == ("Steve Whitkoff", "person")
    assert created["aliases"] == ["Steve Whitkoff", "U.S. envoy Steve Whitkoff"]
    assert created["statement_count"] == 2
    assert (await _speaker(client, witkoffs.whitkoff))["id"] == created["id"]
    assert (await _speaker(client, witkoffs.titled))["id"] == created["id"]
    assert (await _speaker(client, witkoffs.plain))["id"] == witkoffs.actor  # "Witkoff" stays
    claim = (await client.get(f"/v1/claims/{witkoffs.claim}")).json()["claim"]
    assert claim["speaker"]["id"] == created["id"]
    left = (await client.get(f"/v1/actors/{witkoffs.actor}")).json()
    assert left["aliases"] == ["Steve Witkoff", "Witkoff"]

    row = (await async_session.scalars(select(CorrectionRow))).one()
    assert (row.kind, row.actor_key, row.alias_key, row.target_key, row.alias) == (
        "split_alias",
        "person:steve witkoff",
        "steve whitkoff",
        "person:steve whitkoff",
        "Steve Whitkoff",
    )


async def test_split_into_an_existing_actor_is_200(
    client: Client, newsroom: Newsroom, witkoffs: Witkoffs, editor: dict[str, str]
) -> None:
    response = await client.post(
        f"/v1/actors/{witkoffs.actor}/split",
        json={"alias": "Steve Whitkoff", "into": newsroom.zelensky},
        headers=editor,
    )

    assert response.status_code == 200
    assert "location" not in response.headers
    body = response.json()
    assert body["id"] == newsroom.zelensky
    assert "U.S. envoy Steve Whitkoff" in body["aliases"]
    assert body["statement_count"] == 3


async def test_split_with_a_name_and_kind(
    client: Client, newsroom: Newsroom, witkoffs: Witkoffs, editor: dict[str, str]
) -> None:
    response = await client.post(
        f"/v1/actors/{witkoffs.actor}/split",
        json={"alias": "Steve Whitkoff", "name": "Whitkoff Group", "kind": "organisation"},
        headers=editor,
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["kind"]) == ("Whitkoff Group", "organisation")
    assert "Steve Whitkoff" in body["aliases"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"alias": "Jared Kushner"}, "alias"),  # not one of its aliases
        ({"alias": "Steve Witkoff"}, "alias"),  # its own name
        ({"alias": "Steve Whitkoff", "into": "SELF"}, "into"),
        ({"alias": "Steve Whitkoff", "into": 987654}, "into"),
        ({"alias": "Steve Whitkoff", "into": "OTHER", "name": "X"}, "into"),
        ({"alias": "Steve Whitkoff", "name": "Steve Witkoff"}, "name"),  # the actor itself
        ({"alias": ""}, "alias"),
        ({"alias": "Steve Whitkoff", "kind": "alien"}, "kind"),
        ({"name": "X"}, "alias"),
    ],
)
async def test_bad_splits_are_400_naming_the_field(
    client: Client,
    newsroom: Newsroom,
    witkoffs: Witkoffs,
    editor: dict[str, str],
    body: dict[str, Any],
    field: str,
) -> None:
    ids = {"SELF": witkoffs.actor, "OTHER": newsroom.zelensky}
    sent = {
        key: ids.get(value, value) if isinstance(value, str) else value
        for key, value in body.items()
    }

    response = await client.post(f"/v1/actors/{witkoffs.actor}/split", json=sent, headers=editor)

    assert response.status_code == 400
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert names_field(problem, field), problem
    assert (await _speaker(client, witkoffs.whitkoff))["id"] == witkoffs.actor


async def test_splitting_off_an_unknown_actor_is_404(
    client: Client, newsroom: Newsroom, editor: dict[str, str]
) -> None:
    response = await client.post("/v1/actors/987654/split", json={"alias": "X"}, headers=editor)

    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM


# --- reassign ------------------------------------------------------------------------------


async def test_reassigning_a_speaker_drops_the_previous_role(
    client: Client, newsroom: Newsroom, editor: dict[str, str], async_session: AsyncSession
) -> None:
    before = (await client.get(f"/v1/statements/{newsroom.s1}")).json()
    assert (before["speaker"]["id"], before["speaker_role"]) == (
        newsroom.macron,
        "French President",
    )

    response = await client.patch(
        f"/v1/statements/{newsroom.s1}", json={"speaker_id": newsroom.zelensky}, headers=editor
    )

    assert response.status_code == 200
    body = response.json()
    assert body["speaker"] == {
        "id": newsroom.zelensky,
        "name": "Volodymyr Zelensky",
        "kind": "person",
    }
    assert body["speaker_role"] is None
    assert body["speaker_mention"] == before["speaker_mention"]  # the text is the text
    # Zelensky's words are not Macron's claim: s1 leaves it at once, with its wording.
    claim = (await client.get(f"/v1/claims/{newsroom.c1}")).json()["claim"]
    assert (claim["speaker"]["id"], claim["statement_count"]) == (newsroom.macron, 2)
    assert body["claim_id"] != newsroom.c1
    own = (await client.get(f"/v1/claims/{body['claim_id']}")).json()["claim"]
    assert (own["speaker"]["id"], own["text"]) == (newsroom.zelensky, before["text"])

    row = (await async_session.scalars(select(CorrectionRow))).one()
    article = (await client.get(f"/v1/articles/{before['article']['id']}")).json()
    assert (row.kind, row.actor_key, row.target_key) == (
        "reassign_speaker",
        "person:emmanuel macron",
        "person:volodymyr zelensky",
    )
    assert (row.article_hash, row.content_start, row.content_end) == (
        article["content_hash"],
        before["content"]["start"],
        before["content"]["end"],
    )


async def test_a_statement_can_be_left_without_a_speaker(
    client: Client, newsroom: Newsroom, editor: dict[str, str]
) -> None:
    response = await client.patch(
        f"/v1/statements/{newsroom.s2}", json={"speaker_id": None}, headers=editor
    )

    assert response.status_code == 200
    assert response.json()["speaker"] is None
    zelensky = (await client.get(f"/v1/actors/{newsroom.zelensky}")).json()
    assert zelensky["statement_count"] == 0


@pytest.mark.parametrize(
    "body",
    [{}, {"speaker_id": 987654}, {"speaker_id": 0}, {"speaker_id": "x"}, {"speaker": 1}],
)
async def test_bad_reassignments_are_400(
    client: Client, newsroom: Newsroom, editor: dict[str, str], body: dict[str, Any]
) -> None:
    response = await client.patch(f"/v1/statements/{newsroom.s1}", json=body, headers=editor)

    assert response.status_code == 400
    assert response.headers["content-type"] == PROBLEM
    assert (await _speaker(client, newsroom.s1))["id"] == newsroom.macron


async def test_reassigning_an_unknown_statement_is_404(
    client: Client, newsroom: Newsroom, editor: dict[str, str]
) -> None:
    response = await client.patch(
        "/v1/statements/987654", json={"speaker_id": newsroom.macron}, headers=editor
    )

    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["detail"] == "statement 987654 does not exist"


async def test_a_statement_allows_get_and_patch(client: Client, newsroom: Newsroom) -> None:
    response = await client.options(f"/v1/statements/{newsroom.s1}")

    assert response.status_code == 204
    assert response.headers["allow"] == "GET, OPTIONS, PATCH"
    refused = await client.delete(f"/v1/statements/{newsroom.s1}")
    assert refused.status_code == 405
    assert set(refused.headers["allow"].split(", ")) == {"GET", "OPTIONS", "PATCH"}


async def test_actor_lookup_by_alias_after_a_split(
    client: Client, newsroom: Newsroom, witkoffs: Witkoffs, editor: dict[str, str]
) -> None:
    await client.post(
        f"/v1/actors/{witkoffs.actor}/split", json={"alias": "Steve Whitkoff"}, headers=editor
    )

    found = (await client.get("/v1/actors", params={"q": "whitkoff"})).json()["items"]
    names = {actor["name"] for actor in found}
    assert names == {"Steve Whitkoff"}
    remaining = await client.get("/v1/actors", params={"q": "witkoff"})
    assert {actor["name"] for actor in remaining.json()["items"]} == {"Steve Witkoff"}
    assert (await client.get(f"/v1/actors/{witkoffs.actor}")).json()["statement_count"] == 1
