"""Ranked full-text search: /v1/statements?q=, sort, snippets, cursors, and the index.

Every test runs on SQLite (FTS5) and PostgreSQL (tsvector), through the migrations'
triggers: rows are written with the ORM only, never into the index directly.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.storage.models import ActorRow, StatementRow
from tests.http.factories import Factory, Newsroom

pytestmark = pytest.mark.anyio

Client = AsyncTestClient[Litestar]
LINK = re.compile(r'^<(?P<url>[^>]+)>; rel="next"$')
MARKED = re.compile(r"<mark>(.*?)</mark>")


def ids(body: dict[str, Any]) -> list[int]:
    return [item["id"] for item in body["items"]]


async def search(client: Client, path: str = "/v1/statements", **params: Any) -> dict[str, Any]:
    response = await client.get(path, params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def found(client: Client, q: str, **params: Any) -> list[int]:
    return ids(await search(client, q=q, **params))


def assert_problem(response: Any, field: str) -> None:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400
    assert [error["field"] for error in problem["errors"]] == [field]


@dataclass(frozen=True)
class Desk:
    """Statements written for search: each test reads the ones it names."""

    zelensky: int
    focused: int  # "ceasefire" three times in a short text
    passing: int  # "ceasefire" once in a long text
    phrase: int  # "... stand by Ukraine ..."
    scattered: int  # the words stand, by, Ukraine, not as that phrase
    ukrainian: int
    ukulele: int
    by_zelensky: int  # spoken by Zelensky; his name is not in the text
    by_diplomat: int  # no actor; the mention "a senior diplomat"
    tariffs: int  # HTML-special characters
    long: int  # a hit in the middle of a long text


LONG_TEXT = (
    " ".join(f"alpha{i}" for i in range(30))
    + " the harbour reopened "
    + " ".join(f"omega{i}" for i in range(30))
)


@pytest.fixture
async def desk(async_session: AsyncSession) -> Desk:
    factory = Factory(async_session)
    zelensky = await factory.actor("Volodymyr Zelensky")
    day = dt.date(2026, 2, 1)
    focused = await factory.said("Ceasefire, ceasefire: the ceasefire must hold.", date=day)
    passing = await factory.said(
        "The talks covered trade, energy, the border and, briefly, a ceasefire, among "
        "many other things discussed over two long days.",
        date=day,
    )
    phrase = await factory.said("Europe will stand by Ukraine whatever happens.", date=day)
    scattered = await factory.said(
        "Ukraine will stand firm, said a man standing by the door.", date=day
    )
    ukrainian = await factory.said("Ukrainian officials declined to comment.", date=day)
    ukulele = await factory.said("The ukulele band played on.", date=day)
    by_zelensky = await factory.said(
        "Security guarantees come first.", speaker=zelensky, mention="Zelensky", date=day
    )
    by_diplomat = await factory.said(
        "The summit was a shrug.", mention="a senior diplomat", kind="reported", date=day
    )
    tariffs = await factory.said('Tariffs < 10% & "fair" trade are the goal.', date=day)
    long = await factory.said(LONG_TEXT, date=day)
    await async_session.commit()
    return Desk(
        zelensky=zelensky.id,
        focused=focused.id,
        passing=passing.id,
        phrase=phrase.id,
        scattered=scattered.id,
        ukrainian=ukrainian.id,
        ukulele=ukulele.id,
        by_zelensky=by_zelensky.id,
        by_diplomat=by_diplomat.id,
        tariffs=tariffs.id,
        long=long.id,
    )


# --- matching and ranking -------------------------------------------------------------


async def test_ranking_puts_the_better_match_first(client: Client, desk: Desk) -> None:
    body = await search(client, q="ceasefire")
    assert ids(body) == [desk.focused, desk.passing]


async def test_relevance_is_the_default_order_with_q(client: Client, desk: Desk) -> None:
    assert await found(client, "ceasefire") == await found(client, "ceasefire", sort="relevance")
    assert await found(client, "ceasefire", sort="id") == [desk.focused, desk.passing]
    assert sorted(await found(client, "ceasefire", sort="id")) == await found(
        client, "ceasefire", sort="id"
    )


async def test_words_match_in_any_order_a_phrase_only_as_written(
    client: Client, desk: Desk
) -> None:
    assert set(await found(client, "stand by ukraine")) == {desk.phrase, desk.scattered}
    assert await found(client, '"stand by ukraine"') == [desk.phrase]
    # An unbalanced quote's phrase runs to the end.
    assert await found(client, '"stand by ukraine') == [desk.phrase]
    assert await found(client, '"ukraine stand"') == []


async def test_words_are_whole_words_unless_a_prefix(client: Client, desk: Desk) -> None:
    assert await found(client, "ukrain") == []
    assert set(await found(client, "ukrain*")) == {
        desk.phrase,
        desk.scattered,
        desk.ukrainian,
    }
    assert set(await found(client, "uk*")) == {
        desk.phrase,
        desk.scattered,
        desk.ukrainian,
        desk.ukulele,
    }
    # A prefix combines with words and phrases: every term must match.
    assert await found(client, "officials ukrain*") == [desk.ukrainian]
    assert await found(client, '"stand by" ukrain*') == [desk.phrase]


async def test_search_is_case_and_accent_insensitive_on_words(client: Client, desk: Desk) -> None:
    assert await found(client, "CEASEFIRE", sort="id") == [desk.focused, desk.passing]
    assert await found(client, "UkRaInIaN") == [desk.ukrainian]


async def test_speaker_name_and_mention_are_searched(client: Client, desk: Desk) -> None:
    assert await found(client, "zelensky") == [desk.by_zelensky]
    assert await found(client, "volodymyr") == [desk.by_zelensky]
    assert await found(client, "volodymyr guarantees") == [desk.by_zelensky]
    # Without a canonical actor, the mention as the article wrote it.
    assert await found(client, "senior diplomat") == [desk.by_diplomat]


async def test_quoted_words_are_searched(client: Client, newsroom: Newsroom) -> None:
    # "a diplomatic shrug" is only in s5's quotes, not in its text.
    assert await found(client, "diplomatic shrug") == [newsroom.s5]


async def test_punctuation_and_operators_are_only_words(client: Client, desk: Desk) -> None:
    # "-" and "_" join words into a phrase; operators are plain words.
    assert await found(client, "stand-by-ukraine") == [desk.phrase]
    assert await found(client, "stand_by_ukraine") == [desk.phrase]
    assert await found(client, "ceasefire OR ukulele") == []
    # NEAR is the word "near" here, which no statement has; the parentheses are nothing.
    assert await found(client, "NEAR(ceasefire hold)") == []
    assert await found(client, "(ceasefire hold)") == [desk.focused]
    assert await found(client, "ceasefire -hold", sort="id") == [desk.focused]
    assert await found(client, "10%") == [desk.tariffs]


# --- snippets -------------------------------------------------------------------------


async def test_snippets_mark_the_hits(client: Client, desk: Desk) -> None:
    [item] = (await search(client, q="ukulele"))["items"]
    assert item["snippet"] == "The <mark>ukulele</mark> band played on."

    [item] = (await search(client, q='"stand by ukraine"'))["items"]
    assert item["snippet"] == "Europe will <mark>stand by Ukraine</mark> whatever happens."

    items = (await search(client, q="ukrain*"))["items"]
    [item] = [item for item in items if item["id"] == desk.ukrainian]
    assert MARKED.findall(item["snippet"]) == ["Ukrainian"]


async def test_snippets_are_html_escaped(client: Client, desk: Desk) -> None:
    [item] = (await search(client, q="tariffs"))["items"]
    assert item["snippet"] == '<mark>Tariffs</mark> &lt; 10% &amp; "fair" trade are the goal.'
    assert item["text"] == 'Tariffs < 10% & "fair" trade are the goal.'


async def test_snippet_of_a_long_text_is_cut_around_the_hit(client: Client, desk: Desk) -> None:
    [item] = (await search(client, q="harbour"))["items"]
    snippet = item["snippet"]
    assert MARKED.findall(snippet) == ["harbour"]
    assert snippet.startswith("…")
    assert snippet.endswith("…")
    assert len(snippet) < len(LONG_TEXT)
    assert snippet.strip("…").replace("<mark>", "").replace("</mark>", "") in LONG_TEXT


async def test_snippet_without_a_hit_in_the_text(client: Client, desk: Desk) -> None:
    """Only the speaker matched: the text's start, unmarked."""
    [item] = (await search(client, q="zelensky"))["items"]
    assert item["snippet"] == "Security guarantees come first."


async def test_no_snippet_without_a_search(client: Client, desk: Desk) -> None:
    body = await search(client)
    assert body["items"]
    assert all(item["snippet"] is None for item in body["items"])
    single = (await client.get(f"/v1/statements/{desk.focused}")).json()
    assert single["snippet"] is None


# --- filters, sort, other endpoints ---------------------------------------------------


async def test_filters_combine_with_q(client: Client, newsroom: Newsroom) -> None:
    stand_by = {newsroom.s1, newsroom.s6, newsroom.s3}
    assert set(await found(client, "ukraine", speaker=newsroom.macron)) == stand_by
    assert await found(client, "ukraine", kind="partial") == [newsroom.s3]
    assert await found(client, "ukraine", since="2026-01-08", sort="id") == [
        newsroom.s6,
        newsroom.s4,
    ]
    assert await found(client, "ukraine", until="2026-01-06") == [newsroom.s1]
    assert set(await found(client, "ukraine", source=newsroom.afp)) == {newsroom.s4, newsroom.s3}
    assert await found(client, "ukraine", article=newsroom.a_mid) == [newsroom.s3]
    assert await found(client, "kremlin", speaker=newsroom.macron) == []


async def test_sort_by_date_newest_first_then_id(client: Client, newsroom: Newsroom) -> None:
    assert await found(client, "ukraine", sort="date") == [
        newsroom.s6,
        newsroom.s4,
        newsroom.s3,
        newsroom.s1,
    ]
    # Without q as well; undated statements come last.
    body = await search(client, sort="date")
    assert ids(body) == [
        newsroom.s6,
        newsroom.s4,
        newsroom.s3,
        newsroom.s1,
        newsroom.s2,
        newsroom.s5,
    ]


async def test_actor_statements_use_the_same_search(client: Client, newsroom: Newsroom) -> None:
    path = f"/v1/actors/{newsroom.macron}/statements"
    body = await search(client, path, q="ukraine")
    assert set(ids(body)) == {newsroom.s1, newsroom.s6, newsroom.s3}
    assert all("<mark>Ukraine</mark>" in item["snippet"] for item in body["items"])
    assert ids(await search(client, path, q="ukraine", sort="date")) == [
        newsroom.s6,
        newsroom.s3,
        newsroom.s1,
    ]
    assert ids(await search(client, path, q="kremlin")) == []
    assert_problem(await client.get(path, params={"q": "%"}), "q")
    assert_problem(await client.get(path, params={"sort": "relevance"}), "sort")


async def test_exports_take_q_in_id_order_with_snippets(client: Client, newsroom: Newsroom) -> None:
    response = await client.get("/v1/statements/export.ndjson", params={"q": "stand by"})
    assert response.status_code == 200
    lines = [msgspec.json.decode(line) for line in response.content.splitlines()]
    assert [line["id"] for line in lines] == [newsroom.s1, newsroom.s6, newsroom.s3]
    assert all("<mark>" in line["snippet"] for line in lines)

    csv_response = await client.get("/v1/statements/export.csv", params={"q": "kremlin"})
    assert csv_response.status_code == 200
    assert len(csv_response.text.splitlines()) == 2  # the header and s4

    assert_problem(await client.get("/v1/statements/export.csv", params={"q": "***"}), "q")
    assert_problem(await client.get("/v1/statements/export.ndjson", params={"q": "()"}), "q")


async def test_q_without_words_is_a_400_and_blank_q_is_no_search(
    client: Client, newsroom: Newsroom
) -> None:
    for q in ["%", "*", '"', "()", "🙂", "-- ' \" *", "\x00"]:
        if q == "\x00":  # control characters are removed: nothing is left
            assert await found(client, q, sort="id") == newsroom.statements_in_id_order
            continue
        assert_problem(await client.get("/v1/statements", params={"q": q}), "q")
    assert await found(client, "   ", sort="id") == newsroom.statements_in_id_order
    assert await found(client, "") == newsroom.statements_in_id_order


async def test_too_many_words_is_a_400(client: Client, newsroom: Newsroom) -> None:
    assert_problem(await client.get("/v1/statements", params={"q": "a " * 33}), "q")
    assert (await client.get("/v1/statements", params={"q": "a " * 32})).status_code == 200


async def test_relevance_needs_q_and_sort_is_validated(client: Client, newsroom: Newsroom) -> None:
    assert_problem(await client.get("/v1/statements", params={"sort": "relevance"}), "sort")
    assert_problem(await client.get("/v1/statements", params={"sort": "best"}), "sort")
    assert_problem(await client.get("/v1/statements", params={"q": "x", "sort": "rank"}), "sort")


# --- pagination -----------------------------------------------------------------------


@pytest.fixture
async def harbour(async_session: AsyncSession) -> list[int]:
    """Fourteen matches for "harbour" with many equal and some distinct scores."""
    factory = Factory(async_session)
    rows = []
    for i in range(14):
        repeats = "harbour " * (1 + i % 3)
        date = dt.date(2026, 3, 1 + i % 4) if i % 5 else None
        rows.append(await factory.said(f"The {repeats}stays shut, note {i}.", date=date))
    await async_session.commit()
    return [row.id for row in rows]


async def walk(client: Client, url: str) -> tuple[list[int], int]:
    seen: list[int] = []
    pages = 0
    next_url: str | None = url
    while next_url is not None:
        response = await client.get(next_url)
        assert response.status_code == 200, response.text
        body = response.json()
        seen += ids(body)
        pages += 1
        if body["has_more"]:
            match = LINK.match(response.headers["link"])
            assert match is not None
            assert body["next_cursor"] in match["url"]
            next_url = match["url"]
        else:
            assert body["next_cursor"] is None
            assert "link" not in response.headers
            next_url = None
    return seen, pages


@pytest.mark.parametrize("sort", ["relevance", "date", "id"])
async def test_pages_walk_the_sorted_results_without_duplicates_or_gaps(
    client: Client, harbour: list[int], sort: str
) -> None:
    everything = await found(client, "harbour", sort=sort)
    assert sorted(everything) == sorted(harbour)

    seen, pages = await walk(client, f"/v1/statements?q=harbour&sort={sort}&limit=3")

    assert seen == everything  # same order, nothing twice, nothing missing
    assert pages == 5


async def test_relevance_pages_follow_the_score(client: Client, harbour: list[int]) -> None:
    everything = await found(client, "harbour")
    # Texts with the word three times first, then twice, then once; ties in id order.
    by_repeats = sorted(harbour, key=lambda i: (-(1 + harbour.index(i) % 3), i))
    assert everything == by_repeats


async def test_date_pages_without_q(client: Client, harbour: list[int]) -> None:
    seen, _ = await walk(client, "/v1/statements?sort=date&limit=4")
    assert seen == await found(client, "", sort="date")
    assert sorted(seen) == sorted(harbour)


def _forged(payload: object) -> str:
    return base64.urlsafe_b64encode(msgspec.msgpack.encode(payload)).rstrip(b"=").decode()


async def test_cursors_only_continue_their_own_order_and_search(
    client: Client, harbour: list[int]
) -> None:
    first = await client.get("/v1/statements", params={"q": "harbour", "limit": 2})
    relevance_cursor = first.json()["next_cursor"]
    dated = await client.get("/v1/statements", params={"sort": "date", "limit": 2})
    date_cursor = dated.json()["next_cursor"]
    plain = await client.get("/v1/statements", params={"limit": 2})
    id_cursor = plain.json()["next_cursor"]

    ok = await client.get(
        "/v1/statements", params={"q": "harbour", "limit": 2, "cursor": relevance_cursor}
    )
    assert ok.status_code == 200

    two = await client.get(
        "/v1/statements?q=harbour&sort=date&cursor=" + f"{date_cursor}&cursor={relevance_cursor}"
    )
    assert_problem(two, "cursor")

    for params in [
        {"q": "shut", "cursor": relevance_cursor},  # another search
        {"q": "harbour", "sort": "date", "cursor": relevance_cursor},
        {"cursor": relevance_cursor},  # id order
        {"q": "harbour", "cursor": date_cursor},
        {"cursor": date_cursor},
        {"q": "harbour", "cursor": id_cursor},
        {"sort": "date", "cursor": id_cursor},
    ]:
        assert_problem(await client.get("/v1/statements", params=params), "cursor")


@pytest.mark.parametrize(
    "payload",
    [
        [1, 5, "relevance", "nan", b"12345678"],
        [1, 5, "relevance", float("nan"), b"12345678"],
        [1, 5, "relevance", 3, b"12345678"],
        [1, 5, "date", 1.5, b""],
        [1, 5, "date", 10**9, b""],
        [1, 5, "date", True, b""],
        [1, 5, "date", -1, b""],
        [1, 5, "date"],
        [1, 5, "random", 1, b""],
        [1, 5, "date", 1, b"", "extra"],
    ],
)
async def test_forged_sorted_cursors_are_400(
    client: Client, newsroom: Newsroom, payload: list[Any]
) -> None:
    for params in [{"q": "ukraine"}, {"sort": "date"}, {"q": "ukraine", "sort": "date"}]:
        response = await client.get("/v1/statements", params={**params, "cursor": _forged(payload)})
        assert_problem(response, "cursor")


# --- the index follows writes ---------------------------------------------------------


async def test_index_follows_inserts_updates_and_deletes(
    client: Client, async_session: AsyncSession
) -> None:
    factory = Factory(async_session)
    row = await factory.said("The lighthouse keeper resigned.")
    await async_session.commit()
    assert await found(client, "lighthouse") == [row.id]

    await async_session.execute(
        update(StatementRow).where(StatementRow.id == row.id).values(text="The ferry sank.")
    )
    await async_session.commit()
    assert await found(client, "lighthouse") == []
    assert await found(client, "ferry") == [row.id]

    await async_session.execute(
        update(StatementRow)
        .where(StatementRow.id == row.id)
        .values(quotes=[{"start": 0, "end": 3, "text": "moonlit harbour"}])
    )
    await async_session.commit()
    assert await found(client, "moonlit") == [row.id]

    await async_session.execute(delete(StatementRow).where(StatementRow.id == row.id))
    await async_session.commit()
    assert await found(client, "ferry") == []
    assert await found(client, "moonlit") == []


async def test_index_follows_the_speaker(client: Client, async_session: AsyncSession) -> None:
    factory = Factory(async_session)
    actor = await factory.actor("Ada Quill")
    other = await factory.actor("Bram Fennick")
    row = await factory.said("Rates will stay put.", speaker=actor)
    await async_session.commit()
    assert await found(client, "quill") == [row.id]

    # The actor renamed: the index has the new name only.
    await async_session.execute(
        update(ActorRow).where(ActorRow.id == actor.id).values(name="Ada Quillon")
    )
    await async_session.commit()
    assert await found(client, "quill") == []
    assert await found(client, "quillon") == [row.id]

    # Another speaker.
    await async_session.execute(
        update(StatementRow).where(StatementRow.id == row.id).values(speaker_id=other.id)
    )
    await async_session.commit()
    assert await found(client, "quillon") == []
    assert await found(client, "fennick") == [row.id]

    # The speaker deleted: the foreign key clears speaker_id, the index follows.
    await async_session.execute(delete(ActorRow).where(ActorRow.id == other.id))
    await async_session.commit()
    assert await found(client, "fennick") == []
    assert await found(client, "rates") == [row.id]


# --- any text at all ------------------------------------------------------------------

NASTY = [
    '"',
    '""',
    '"""',
    "NEAR(",
    "NEAR(a b, 2)",
    "*",
    "**",
    "a*b*",
    ")",
    "(",
    "((a)",
    "' OR 1=1 --",
    "'; DROP TABLE statements; --",
    "a AND",
    "AND",
    "OR NOT",
    "a OR b NOT c",
    "-a",
    "a:b",
    "text:ukraine",
    "speaker:macron",
    "rank",
    "a <-> b",
    "a & b | !c",
    "a:*",
    "\\",
    "\\'",
    "%_",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\u200b\u200d",
    "\ue000mark\ue001",
    "🙂",
    "🏳️‍🌈 flag",
    "ukrain🙂e",
    "x" * 200,
    "word " * 40,
    "x" * 10_000,
    "Ünïcödé ΣΊΣΥΦΟΣ 日本語",
]


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(q=st.one_of(st.text(max_size=250), st.sampled_from(NASTY)))
async def test_any_q_is_results_or_a_400_never_a_500(
    client: Client, newsroom: Newsroom, q: str
) -> None:
    for params in [{"q": q}, {"q": q, "sort": "date"}]:
        response = await client.get("/v1/statements", params=params)
        assert response.status_code in (200, 400), (q, response.status_code, response.text)
        if response.status_code == 400:
            assert response.headers["content-type"] == "application/problem+json"
            assert [error["field"] for error in response.json()["errors"]] == ["q"]
        else:
            for item in response.json()["items"]:
                assert item["snippet"] is None or isinstance(item["snippet"], str)
