"""Webhook notices through the outbox: queued with the statements, sent after the run.

api/pipeline/outbox.py writes one ``webhook_deliveries`` row per article with statements
and per URL, in the article's own transaction; ``ingest_paths`` then delivers what is due.
A receiver that is down leaves the row pending for a later round; one that rejects the
notice fails it at once; an article that fails to store leaves no notice behind.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from pytest_httpx import HTTPXMock
from sqlalchemy import select
from sqlalchemy.orm import Session

import api.pipeline.ingest_article as ingest_article_module
import api.pipeline.outbox as outbox_module
from api.pipeline.outbox import (
    FIRST_RETRY,
    STATEMENTS_CREATED,
    DeliveryCounts,
    WebhookConfig,
    deliver_due,
)
from api.pipeline.run import RunReport, ingest_paths
from api.pipeline.webhooks import (
    EVENT_ID_HEADER,
    EVENT_TYPE_HEADER,
    SIGNATURE_HEADER,
    new_client,
    verify,
)
from api.storage.models import ArticleRow, StatementRow, WebhookDeliveryRow, utcnow

pytestmark = pytest.mark.nlp

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
HOOK = "https://hooks.example.test/statements"
SECRET = "s3cret"
SUMMIT_URL = "https://example.org/world/paris-summit"
DRAFT_URL = "https://example.org/world/draft-guarantees"
WEATHER_URL = "https://example.org/local/river-levels"
# An article with nothing anyone said in it: stored, but nothing to announce.
QUIET_TEXT = """\
River levels fall across the valley after a wet week

The river dropped by almost a metre overnight as the rain eased across the valley.
Two roads near the old mill were closed on Monday morning and reopened in the afternoon.
The ferry between the north and south banks is running to its normal timetable again.
Farmers along the lower fields are moving their cattle back to the summer pastures.
The weather for the coming week is expected to stay dry with light winds from the west.
"""


def seed_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


OUTLET = "Example News"
SUMMIT = {"url": SUMMIT_URL, "outlet": OUTLET, "text": seed_text("003_fb0bc581b9d15f48.txt")}
DRAFT = {"url": DRAFT_URL, "outlet": OUTLET, "text": seed_text("001_b16eecb884c7e125.txt")}
QUIET = {"url": WEATHER_URL, "outlet": OUTLET, "text": QUIET_TEXT}


def ingest_records(
    session: Session,
    tmp_path: Path,
    records: list[dict[str, Any]],
    webhooks: WebhookConfig | None,
) -> RunReport:
    path = tmp_path / "articles.ndjson"
    path.write_text(
        "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records),
        encoding="utf-8",
    )
    return ingest_paths(session, [path], progress=False, webhooks=webhooks)


def article_at(session: Session, url: str) -> ArticleRow:
    return session.scalars(select(ArticleRow).where(ArticleRow.url == url)).one()


def statement_ids(session: Session, article_id: int) -> list[int]:
    return list(
        session.scalars(
            select(StatementRow.id)
            .where(StatementRow.article_id == article_id)
            .order_by(StatementRow.id)
        )
    )


def deliveries(session: Session) -> list[WebhookDeliveryRow]:
    session.expire_all()  # read what was committed, not what the session remembers
    return list(session.scalars(select(WebhookDeliveryRow).order_by(WebhookDeliveryRow.id)))


def test_each_article_with_statements_is_announced_once_and_signed(
    db_session: Session, tmp_path: Path, httpx_mock: HTTPXMock
) -> None:
    # Exactly two notices are expected: one per article with statements.
    httpx_mock.add_response(url=HOOK, method="POST", status_code=204)
    httpx_mock.add_response(url=HOOK, method="POST", status_code=204)
    config = WebhookConfig(urls=(HOOK,), secret=SECRET)

    report = ingest_records(db_session, tmp_path, [SUMMIT, QUIET, DRAFT], config)

    assert (report.ingested, report.failed) == (3, 0)
    quiet = article_at(db_session, WEATHER_URL)
    assert statement_ids(db_session, quiet.id) == []
    expected = {}
    for url in (SUMMIT_URL, DRAFT_URL):
        article = article_at(db_session, url)
        expected[article.id] = (article, statement_ids(db_session, article.id))
        assert expected[article.id][1]
    assert report.statements == sum(len(ids) for _, ids in expected.values())

    requests = httpx_mock.get_requests()
    assert len(requests) == 2
    announced: dict[int, dict[str, Any]] = {}
    for request in requests:
        assert request.method == "POST"
        assert str(request.url) == HOOK
        assert request.headers["Content-Type"] == "application/json"
        signature = request.headers[SIGNATURE_HEADER]
        assert verify(SECRET, signature, request.content)
        assert not verify("another secret", signature, request.content)
        assert not verify(SECRET, signature, request.content + b" ")
        body = json.loads(request.content)
        assert body["type"] == STATEMENTS_CREATED
        assert request.headers[EVENT_TYPE_HEADER] == STATEMENTS_CREATED
        assert request.headers[EVENT_ID_HEADER] == body["id"]
        dt.datetime.fromisoformat(body["created_at"])
        announced[body["data"]["article"]["id"]] = body["data"]
    assert set(announced) == set(expected)
    for article_id, data in announced.items():
        article, ids = expected[article_id]
        assert data["statement_ids"] == ids
        assert data["statement_count"] == len(ids)
        assert data["article"]["url"] == article.url
        assert data["article"]["version"] == 1
        assert data["article"]["outlet"] == OUTLET
        assert data["article"]["href"] == f"/v1/articles/{article_id}"

    rows = deliveries(db_session)
    assert len(rows) == 2
    assert {row.event_id for row in rows} == {r.headers[EVENT_ID_HEADER] for r in requests}
    assert {bytes(row.body) for row in rows} == {r.content for r in requests}
    for row in rows:
        assert (row.status, row.attempts, row.last_status_code, row.url) == (
            "delivered",
            1,
            204,
            HOOK,
        )
        assert row.delivered_at is not None and row.last_error is None
        assert row.event_type == STATEMENTS_CREATED


def test_a_receiver_that_is_down_is_tried_again_in_later_rounds(
    db_session: Session, tmp_path: Path, httpx_mock: HTTPXMock
) -> None:
    config = WebhookConfig(urls=(HOOK,), secret=SECRET, attempts_per_round=2)
    # "Retry-After: 0" keeps the retries within a round from sleeping.
    for _ in range(2):
        httpx_mock.add_response(url=HOOK, status_code=503, headers={"Retry-After": "0"})
    before = utcnow()

    report = ingest_records(db_session, tmp_path, [SUMMIT], config)

    assert (report.ingested, report.failed) == (1, 0)
    (row,) = deliveries(db_session)
    assert (row.status, row.attempts, row.last_status_code) == ("pending", 2, 503)
    assert row.last_error is not None and "503" in row.last_error
    assert row.delivered_at is None
    first_retry = row.next_attempt_at
    assert first_retry >= before + FIRST_RETRY
    assert first_retry > utcnow()

    with new_client() as client:
        # Not due yet: nothing is sent (no response is registered for it).
        assert deliver_due(db_session, config, client) == DeliveryCounts()
        # Due, and still down: the next round waits twice as long.
        for _ in range(2):
            httpx_mock.add_response(url=HOOK, status_code=503, headers={"Retry-After": "0"})
        second_round = first_retry + dt.timedelta(seconds=1)
        counts = deliver_due(db_session, config, client, now=second_round)
        assert counts == DeliveryCounts(retrying=1)
        (row,) = deliveries(db_session)
        assert (row.status, row.attempts) == ("pending", 4)
        assert row.next_attempt_at == second_round + 2 * FIRST_RETRY
        # Back up: the notice goes out.
        httpx_mock.add_response(url=HOOK, status_code=200)
        later = row.next_attempt_at + dt.timedelta(seconds=1)
        assert deliver_due(db_session, config, client, now=later) == DeliveryCounts(delivered=1)

    (row,) = deliveries(db_session)
    assert (row.status, row.attempts, row.last_status_code, row.last_error) == (
        "delivered",
        5,
        200,
        None,
    )
    assert row.delivered_at is not None
    requests = httpx_mock.get_requests()
    assert len(requests) == 5
    # Every attempt carries the same event and body, each signed.
    assert {r.headers[EVENT_ID_HEADER] for r in requests} == {row.event_id}
    assert {r.content for r in requests} == {bytes(row.body)}
    assert all(verify(SECRET, r.headers[SIGNATURE_HEADER], r.content) for r in requests)
    body = json.loads(requests[-1].content)
    article = article_at(db_session, SUMMIT_URL)
    assert body["data"]["article"]["id"] == article.id
    assert body["data"]["statement_ids"] == statement_ids(db_session, article.id)


def test_a_receiver_that_rejects_the_notice_fails_it_at_once(
    db_session: Session, tmp_path: Path, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(url=HOOK, status_code=400)
    config = WebhookConfig(urls=(HOOK,), secret=SECRET)  # 3 attempts per round, 8 rounds

    report = ingest_records(db_session, tmp_path, [SUMMIT], config)

    assert (report.ingested, report.failed) == (1, 0)  # the article itself is fine
    (row,) = deliveries(db_session)
    assert (row.status, row.attempts, row.last_status_code) == ("failed", 1, 400)
    assert row.last_error is not None and row.last_error.startswith("HTTP 400")
    assert row.delivered_at is None
    assert len(httpx_mock.get_requests()) == 1
    # A failed notice is not due again, however late it is.
    with new_client() as client:
        far_later = utcnow() + dt.timedelta(days=30)
        assert deliver_due(db_session, config, client, now=far_later) == DeliveryCounts()
    assert len(httpx_mock.get_requests()) == 1


def test_an_article_that_fails_to_store_leaves_no_notice(
    db_session: Session, tmp_path: Path, httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_queue = ingest_article_module.queue_notices

    def queue_then_crash(session: Session, config, article, statements):  # type: ignore[no-untyped-def]
        real_queue(session, config, article, statements)
        session.flush()  # the notice is written inside the article's transaction...
        if article.url == SUMMIT_URL:
            raise RuntimeError("disk full")  # ...which then fails

    monkeypatch.setattr(ingest_article_module, "queue_notices", queue_then_crash)
    httpx_mock.add_response(url=HOOK, status_code=204)  # for the other article only
    config = WebhookConfig(urls=(HOOK,), secret=SECRET)

    report = ingest_records(db_session, tmp_path, [SUMMIT, DRAFT], config)

    assert (report.ingested, report.failed) == (1, 1)
    assert "disk full" in report.errors[0].reason
    assert db_session.scalars(select(ArticleRow).where(ArticleRow.url == SUMMIT_URL)).all() == []
    draft = article_at(db_session, DRAFT_URL)
    (row,) = deliveries(db_session)
    assert row.status == "delivered"
    body = json.loads(row.body)
    assert body["data"]["article"]["id"] == draft.id
    assert body["data"]["statement_ids"] == statement_ids(db_session, draft.id)
    (request,) = httpx_mock.get_requests()
    assert request.content == bytes(row.body)


@pytest.mark.parametrize(
    "webhooks",
    [None, WebhookConfig(urls=(), secret=SECRET)],
    ids=["no-config", "no-urls"],
)
def test_without_webhook_urls_nothing_is_queued_or_sent(
    db_session: Session, tmp_path: Path, httpx_mock: HTTPXMock, webhooks: WebhookConfig | None
) -> None:
    report = ingest_records(db_session, tmp_path, [SUMMIT], webhooks)

    assert (report.ingested, report.failed) == (1, 0)
    assert report.statements > 0
    assert deliveries(db_session) == []
    assert httpx_mock.get_requests() == []


def test_a_run_sends_every_notice_it_queued(
    db_session: Session, tmp_path: Path, httpx_mock: HTTPXMock
) -> None:
    count = outbox_module.DUE_BATCH + 1
    # Briefs too short to be anyone's near-duplicate, one quote each.
    records = [
        {
            "url": f"https://example.org/briefs/{number}",
            "text": f'"The bridge number {number} will reopen," Mayor Jane Holt said.',
        }
        for number in range(count)
    ]
    httpx_mock.add_response(url=HOOK, status_code=204, is_reusable=True)
    config = WebhookConfig(urls=(HOOK,), secret=SECRET)

    report = ingest_records(db_session, tmp_path, records, config)

    assert (report.ingested, report.duplicates, report.failed) == (count, 0, 0)
    assert report.statements == count
    rows = deliveries(db_session)
    assert len(rows) == count
    assert [row.status for row in rows].count("pending") == 0
    assert len(httpx_mock.get_requests()) == count
