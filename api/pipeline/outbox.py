"""Webhook notices as an outbox: written with the statements they announce, sent after.

A notice row is added in the same transaction as the article, so a notice exists exactly
when its statements do: a crash before the commit loses both, a receiver that is down
loses nothing. ``deliver_due`` sends what is due (api/pipeline/webhooks.py signs and
retries within one round); a notice still undelivered is scheduled again with growing
delays until ``max_rounds`` rounds have failed, or failed at once when the receiver
rejects it (a 4xx other than 408/429).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import httpx
import msgspec
import structlog
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.pipeline.webhooks import Notice, deliver, encode_notice
from api.storage.models import ArticleRow, StatementRow, WebhookDeliveryRow, utcnow

log = structlog.get_logger("statements.webhooks")

STATEMENTS_CREATED = "statements.created"
# Rounds are spaced 1, 2, 4, ... minutes apart, capped at an hour.
FIRST_RETRY = dt.timedelta(minutes=1)
LONGEST_RETRY = dt.timedelta(hours=1)
DUE_BATCH = 100


@dataclass(frozen=True, kw_only=True)
class WebhookConfig:
    urls: tuple[str, ...]
    secret: str | None = None
    max_rounds: int = 8
    attempts_per_round: int = 3


class DeliveryCounts(msgspec.Struct, kw_only=True):
    delivered: int = 0
    retrying: int = 0
    failed: int = 0


def queue_notices(
    session: Session,
    config: WebhookConfig,
    article: ArticleRow,
    statements: list[StatementRow],
) -> None:
    """Add one notice per configured URL for the statements just stored; no commit."""
    if not config.urls or not statements:
        return
    notice = Notice(
        id=uuid.uuid4().hex,
        type=STATEMENTS_CREATED,
        created_at=dt.datetime.now(dt.UTC),
        data={
            "article": {
                "id": article.id,
                "url": article.url,
                "title": article.title,
                "outlet": article.source.name if article.source else None,
                "version": article.version,
                "published_date": (
                    article.published_date.isoformat() if article.published_date else None
                ),
                "href": f"/v1/articles/{article.id}",
            },
            "statement_count": len(statements),
            "statement_ids": [statement.id for statement in statements],
            "statements_href": f"/v1/statements?article={article.id}",
        },
    )
    body = encode_notice(notice)
    session.add_all(
        WebhookDeliveryRow(event_id=notice.id, event_type=notice.type, url=url, body=body)
        for url in config.urls
    )


def retry_delay(rounds: int) -> dt.timedelta:
    delay: dt.timedelta = FIRST_RETRY * (2 ** max(rounds - 1, 0))
    return min(delay, LONGEST_RETRY)


def deliver_due(
    session: Session,
    config: WebhookConfig,
    client: httpx.Client,
    *,
    now: dt.datetime | None = None,
) -> DeliveryCounts:
    """Send every notice that is due; commits after each one so progress is never lost."""
    counts = DeliveryCounts()
    moment = now or utcnow()
    # In batches: a notice sent (or rescheduled) is no longer due, so each batch is new.
    while due := session.scalars(
        select(WebhookDeliveryRow)
        .where(
            WebhookDeliveryRow.status == "pending",
            WebhookDeliveryRow.next_attempt_at <= moment,
        )
        .order_by(WebhookDeliveryRow.id)
        .limit(DUE_BATCH)
    ).all():
        for row in due:
            _send(session, config, client, row, moment, counts)
    return counts


def _send(
    session: Session,
    config: WebhookConfig,
    client: httpx.Client,
    row: WebhookDeliveryRow,
    moment: dt.datetime,
    counts: DeliveryCounts,
) -> None:
    result = deliver(
        client,
        row.url,
        row.body,
        secret=config.secret,
        event_id=row.event_id,
        event_type=row.event_type,
        max_attempts=config.attempts_per_round,
    )
    row.attempts += result.attempts
    row.last_status_code = result.status_code
    row.last_error = result.error
    rounds = -(-row.attempts // config.attempts_per_round)  # rounds tried so far
    if result.delivered:
        row.status, row.delivered_at = "delivered", utcnow()
        counts.delivered += 1
    elif not result.retryable or rounds >= config.max_rounds:
        row.status = "failed"
        counts.failed += 1
        log.warning("webhook.failed", url=row.url, event_id=row.event_id, error=result.error)
    else:
        row.next_attempt_at = moment + retry_delay(rounds)
        counts.retrying += 1
        log.info("webhook.retrying", url=row.url, event_id=row.event_id, error=result.error)
    session.commit()
