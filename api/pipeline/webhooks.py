"""Webhook notices: signing, verification and one delivery with retries, over HTTP only.

When new statements land, a JSON notice is POSTed to each configured URL. The database
outbox (written with the article, delivered after commit, retried later) lives elsewhere;
this module knows nothing of it and never raises on HTTP problems: ``deliver`` returns a
``DeliveryResult`` saying whether to try again later.

Signatures follow Stripe's pattern so receivers recognise it: the header
``Statements-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>`` signs ``b"<t>." + body``
with the shared secret. Timestamping the signed text lets receivers refuse replays
(``verify`` allows ``DEFAULT_TOLERANCE_SECONDS`` of skew either way).

Redirects are never followed: a redirected POST may turn into a GET, or carry the signed
notice to a host nobody configured. A 3xx is reported as a failure that is not retryable:
the webhook URL needs fixing, and retrying the same URL cannot succeed.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

import httpx
import msgspec

SIGNATURE_HEADER = "Statements-Signature"
EVENT_ID_HEADER = "Statements-Event-Id"
EVENT_TYPE_HEADER = "Statements-Event"
DEFAULT_TOLERANCE_SECONDS = 300
MAX_RETRY_AFTER_SECONDS = 60.0  # a receiver asking for longer is left to the outbox's schedule
DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
# Retrying these may help: the receiver timed out, is rate limiting, or is broken for now.
RETRY_STATUSES = frozenset({408, 429})
RETRY_AFTER_STATUSES = frozenset({429, 503})
# Failures on the way there or back; anything else (a bad URL scheme, a request httpx itself
# refuses to send) will fail the same way every time.
_RETRYABLE_ERRORS = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
    httpx.ProxyError,
)
_DIGITS = re.compile(r"[0-9]+")


def _version() -> str:
    try:
        return metadata.version("statements")
    except metadata.PackageNotFoundError:
        return "0"


USER_AGENT = f"statements-webhooks/{_version()}"


class Notice(msgspec.Struct, frozen=True, kw_only=True):
    """What is POSTed. ``id`` stays the same across retries so receivers can deduplicate."""

    type: str  # e.g. "statements.created"
    data: dict[str, Any]
    id: str = msgspec.field(default_factory=lambda: uuid.uuid4().hex)
    created_at: datetime = msgspec.field(default_factory=lambda: datetime.now(UTC))

    def __post_init__(self) -> None:
        # A naive time would reach receivers without an offset, so its meaning would depend
        # on where the ingestion job happened to run.
        if self.created_at.utcoffset() is None:
            raise ValueError("Notice.created_at must be timezone-aware (UTC)")


class DeliveryResult(msgspec.Struct, frozen=True, kw_only=True):
    delivered: bool
    attempts: int
    status_code: int | None  # of the last attempt; None when no response came back
    error: str | None  # one line describing the last failure
    retryable: bool  # whether a later delivery of the same notice could succeed


def encode_notice(notice: Notice) -> bytes:
    """The JSON body; store these bytes in the outbox so every retry signs the same body."""
    return msgspec.json.encode(notice)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """Hex HMAC-SHA256 of ``b"<timestamp>." + body``; an empty secret is refused."""
    if not secret:
        raise ValueError("a webhook secret must not be empty")
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={sign(secret, timestamp, body)}"


def verify(
    secret: str,
    header: str | None,
    body: bytes,
    *,
    now: int | None = None,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
) -> bool:
    """Whether ``header`` signs ``body`` with ``secret`` within ``tolerance`` s of ``now``.

    Never raises: a missing or malformed header is simply not valid. Several ``v1`` values
    are accepted (any may match) so a sender can sign with an old and a new secret while
    a secret is being rotated.
    """
    if not secret or not header:
        return False
    timestamps: list[str] = []
    candidates: list[str] = []
    for part in header.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            return False
        if key == "t":
            timestamps.append(value)
        elif key == "v1":
            candidates.append(value)
    if len(timestamps) != 1 or not _DIGITS.fullmatch(timestamps[0]):
        return False
    timestamp = int(timestamps[0])
    current = int(time.time()) if now is None else now
    if abs(current - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body).encode()
    # compare_digest on bytes (any candidate, even non-ASCII, compares without raising) and
    # on every candidate, so the time taken says nothing about where a forgery differs.
    matches = [hmac.compare_digest(expected, candidate.encode()) for candidate in candidates]
    return any(matches)


def new_client(timeout: httpx.Timeout = DEFAULT_TIMEOUT) -> httpx.Client:
    """A client suited to ``deliver``: bounded timeouts, no redirects followed."""
    return httpx.Client(timeout=timeout, follow_redirects=False)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _timeout_error(client: httpx.Client, exc: httpx.TimeoutException) -> str:
    kinds: dict[type[httpx.TimeoutException], tuple[str, float | None]] = {
        httpx.ConnectTimeout: ("connect", client.timeout.connect),
        httpx.ReadTimeout: ("read", client.timeout.read),
        httpx.WriteTimeout: ("write", client.timeout.write),
        httpx.PoolTimeout: ("pool", client.timeout.pool),
    }
    kind, seconds = kinds.get(type(exc), ("request", None))
    return f"{kind} timeout" + (f" after {seconds:g}s" if seconds is not None else "")


def _retry_after(response: httpx.Response) -> float | None:
    # Only the delay-seconds form: a receiver's HTTP-date depends on its clock agreeing with
    # ours, and the exponential backoff is a fine fallback.
    value = response.headers.get("Retry-After", "").strip()
    if response.status_code not in RETRY_AFTER_STATUSES or not _DIGITS.fullmatch(value):
        return None
    return min(float(value), MAX_RETRY_AFTER_SECONDS)


def _attempt(
    client: httpx.Client, url: str, body: bytes, headers: dict[str, str], attempts: int
) -> tuple[DeliveryResult, float | None]:
    """One POST: its result, and how long the receiver asked us to wait (if it did)."""
    status_code: int | None = None
    retry_after: float | None = None
    try:
        # Streamed and closed unread: the receiver's reply body is of no use to us, and not
        # reading it means a large or badly encoded one cannot fail a delivery.
        with client.stream(
            "POST", url, content=body, headers=headers, follow_redirects=False
        ) as response:
            status_code = response.status_code
            if 200 <= status_code < 300:
                ok = DeliveryResult(
                    delivered=True,
                    attempts=attempts,
                    status_code=status_code,
                    error=None,
                    retryable=False,
                )
                return ok, None
            error = f"HTTP {status_code} {response.reason_phrase}".strip()
            if 300 <= status_code < 400:
                location = response.headers.get("Location", "none")
                error += f": redirects are not followed (Location: {location}); fix the URL"
            retryable = status_code in RETRY_STATUSES or status_code >= 500
            retry_after = _retry_after(response)
    except httpx.TimeoutException as exc:
        error, retryable = _timeout_error(client, exc), True
    except httpx.ConnectError as exc:
        error, retryable = f"connection failed: {_one_line(exc)}", True
    except _RETRYABLE_ERRORS as exc:
        error, retryable = f"{type(exc).__name__}: {_one_line(exc)}", True
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        error, retryable = f"{type(exc).__name__}: {_one_line(exc)}", False
    failed = DeliveryResult(
        delivered=False,
        attempts=attempts,
        status_code=status_code,
        error=error,
        retryable=retryable,
    )
    return failed, retry_after


def deliver(
    client: httpx.Client,
    url: str,
    body: bytes,
    *,
    secret: str | None,
    event_id: str,
    event_type: str,
    max_attempts: int = 3,
    backoff: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
) -> DeliveryResult:
    """POST ``body`` to ``url`` up to ``max_attempts`` times; never raises on HTTP problems.

    Waits ``backoff * 2**n`` seconds after the n-th failed attempt (from 0), or what a 429
    or 503 asks for in a numeric Retry-After, capped at ``MAX_RETRY_AFTER_SECONDS``. Each
    attempt is signed afresh (when ``secret`` is set) so that a retry after a long wait is
    not refused as stale. An empty ``secret`` (a configuration error) raises ValueError.
    """
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        EVENT_ID_HEADER: event_id,
        EVENT_TYPE_HEADER: event_type,
    }
    for attempt in range(1, max_attempts + 1):
        if secret is not None:
            headers[SIGNATURE_HEADER] = signature_header(secret, int(clock()), body)
        result, retry_after = _attempt(client, url, body, headers, attempt)
        if result.delivered or not result.retryable or attempt == max_attempts:
            return result
        sleep(backoff * 2 ** (attempt - 1) if retry_after is None else retry_after)
    raise AssertionError("unreachable")  # pragma: no cover
