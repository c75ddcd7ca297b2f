"""Webhook delivery: every HTTP interaction mocked by pytest-httpx (no real network)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from pytest_httpx import HTTPXMock

from api.pipeline.webhooks import (
    EVENT_ID_HEADER,
    EVENT_TYPE_HEADER,
    MAX_RETRY_AFTER_SECONDS,
    SIGNATURE_HEADER,
    USER_AGENT,
    DeliveryResult,
    Notice,
    deliver,
    encode_notice,
    new_client,
    sign,
    signature_header,
    verify,
)

URL = "https://hooks.test/statements"
SECRET = "whsec_test"
NOW = 1_767_780_000  # 2026-01-07T10:00:00Z
BODY = b'{"id":"evt1","type":"statements.created","data":{"article_id":7}}'


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


class Clock:
    """Starts at NOW and moves on a minute per reading, so each attempt has its own time."""

    def __init__(self) -> None:
        self.readings: list[int] = []

    def __call__(self) -> float:
        self.readings.append(NOW + 60 * len(self.readings))
        return float(self.readings[-1])


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with new_client() as client:
        yield client


def send(
    client: httpx.Client, sleeps: Sleeps, clock: Clock, *, secret: str | None = SECRET
) -> DeliveryResult:
    return deliver(
        client,
        URL,
        BODY,
        secret=secret,
        event_id="evt1",
        event_type="statements.created",
        sleep=sleeps,
        clock=clock,
    )


def failed(attempts: int, status: int | None, error: str, *, retryable: bool) -> DeliveryResult:
    return DeliveryResult(
        delivered=False, attempts=attempts, status_code=status, error=error, retryable=retryable
    )


def test_success_first_try_sends_headers_and_a_verifiable_signature(
    httpx_mock: HTTPXMock, client: httpx.Client, sleeps: Sleeps, clock: Clock
) -> None:
    httpx_mock.add_response(url=URL, method="POST", status_code=204)
    result = send(client, sleeps, clock)
    assert result == DeliveryResult(
        delivered=True, attempts=1, status_code=204, error=None, retryable=False
    )
    assert sleeps == []
    request = httpx_mock.get_request()
    assert request is not None
    assert request.content == BODY
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("statements-webhooks/")
    assert request.headers[EVENT_ID_HEADER] == "evt1"
    assert request.headers[EVENT_TYPE_HEADER] == "statements.created"
    header = request.headers[SIGNATURE_HEADER]
    assert header == f"t={NOW},v1={sign(SECRET, NOW, BODY)}"
    assert verify(SECRET, header, request.content, now=NOW)


def test_without_a_secret_no_signature_is_sent(
    httpx_mock: HTTPXMock, client: httpx.Client, sleeps: Sleeps, clock: Clock
) -> None:
    httpx_mock.add_response(url=URL)
    assert send(client, sleeps, clock, secret=None).delivered
    request = httpx_mock.get_request()
    assert request is not None
    assert SIGNATURE_HEADER not in request.headers
    assert request.headers[EVENT_ID_HEADER] == "evt1"


def test_server_error_then_success_backs_off_and_signs_each_attempt_afresh(
    httpx_mock: HTTPXMock, client: httpx.Client, sleeps: Sleeps, clock: Clock
) -> None:
    httpx_mock.add_response(url=URL, status_code=500)
    httpx_mock.add_response(url=URL, status_code=200)
    result = send(client, sleeps, clock)
    assert result == DeliveryResult(
        delivered=True, attempts=2, status_code=200, error=None, retryable=False
    )
    assert sleeps == [0.5]
    first, second = (r.headers[SIGNATURE_HEADER] for r in httpx_mock.get_requests())
    assert first.startswith(f"t={NOW},") and second.startswith(f"t={NOW + 60},")
    assert verify(SECRET, second, BODY, now=NOW + 60)


def test_backoff_doubles_between_attempts(
    httpx_mock: HTTPXMock, client: httpx.Client, sleeps: Sleeps
) -> None:
    httpx_mock.add_response(url=URL, status_code=502)
    httpx_mock.add_response(url=URL, status_code=408)
    httpx_mock.add_response(url=URL, status_code=504)
    httpx_mock.add_response(url=URL, status_code=200)
    result = deliver(
        client, URL, BODY, secret=None, event_id="e", event_type="t",
        max_attempts=4, backoff=1.0, sleep=sleeps,
    )  # fmt: skip
    assert result.delivered and result.attempts == 4
    assert sleeps == [1.0, 2.0, 4.0]


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_honoured(
    httpx_mock: HTTPXMock, client: httpx.Client, sleeps: Sleeps, clock: Clock, status: int
) -> None:
    httpx_mock.add_response(url=URL, status_code=status, headers={"Retry-After": "2"})
    httpx_mock.add_response(url=URL)
    assert send(client, sleeps, clock).attempts == 2
    assert sleeps == [2.0]


def test_retry_after_is_capped(
    httpx_mock: HTTPXMock, client: httpx.Client, sleeps: Sleeps, clock: Clock
) -> None:
    httpx_mock.add_response(url=URL, status_code=429, headers={"Retry-After": "86400"})
    httpx_mock.add_response(url=URL)
    assert send(client, sleeps, clock).delivered
    assert sleeps == [MAX_RETRY_AFTER_SECONDS]


@pytest.mark.parametrize(
    ("status", "retry_after"),
    [(429, "Wed, 07 Jan 2026 10:05:00 GMT"), (429, "-1"), (500, "30")],
    ids=["http-date", "negative", "not-429-or-503"],
)
def test_other_retry_after_values_fall_back_to_backoff(
    httpx_mock: HTTPXMock,
    client: httpx.Client,
    sleeps: Sleeps,
    clock: Clock,
    status: int,
    retry_after: str,
) -> None:
    httpx_mock.add_response(url=URL, status_code=status, headers={"Retry-After": retry_after})
    httpx_mock.add_response(url=URL)
    assert send(client, sleeps, clock).delivered
    assert sleeps == [0.5]


def test_timeout_then_success(
    httpx_mock: HTTPXMock, client: httpx.Client, sleeps: Sleeps, clock: Clock
) -> None:
    httpx_mock.add_exception(httpx.ReadTimeout("timed out"), url=URL)
    httpx_mock.add_response(url=URL)
    result = send(client, sleeps, clock)
    assert result == DeliveryResult(
        delivered=True, attempts=2, status_code=200, error=None, retryable=False
    )
    assert sleeps == [0.5]


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ConnectError("refused"),
        httpx.ConnectTimeout("slow"),
        httpx.WriteTimeout("slow"),
        httpx.ReadError("reset"),
        httpx.RemoteProtocolError("closed"),
        httpx.ProxyError("bad gateway"),
    ],
    ids=lambda exc: type(exc).__name__,
)
def test_transient_transport_errors_are_retried(
    httpx_mock: HTTPXMock, client: httpx.Client, sleeps: Sleeps, clock: Clock, exc: Exception
) -> None:
    httpx_mock.add_exception(exc, url=URL)
    httpx_mock.add_response(url=URL)
    assert send(client, sleeps, clock).attempts == 2
    assert sleeps == [0.5]


def test_every_attempt_failing_reports_the_last_failure(
    httpx_mock: HTTPXMock, client: httpx.Client, sleeps: Sleeps, clock: Clock
) -> None:
    httpx_mock.add_response(url=URL, status_code=503, is_reusable=True)
    assert send(client, sleeps, clock) == failed(
        3, 503, "HTTP 503 Service Unavailable", retryable=True
    )
    assert len(httpx_mock.get_requests()) == 3
    assert sleeps == [0.5, 1.0]


def test_last_failure_named_even_when_it_differs_from_earlier_ones(
    httpx_mock: HTTPXMock, client: httpx.Client, sleeps: Sleeps, clock: Clock
) -> None:
    httpx_mock.add_response(url=URL, status_code=500)
    httpx_mock.add_exception(httpx.ReadTimeout("timed out"), url=URL)
    httpx_mock.add_exception(httpx.ConnectError("[Errno 111] Connection\nrefused"), url=URL)
    assert send(client, sleeps, clock) == failed(
        3, None, "connection failed: [Errno 111] Connection refused", retryable=True
    )


def test_timeout_message_names_the_configured_timeout(
    httpx_mock: HTTPXMock, sleeps: Sleeps, clock: Clock
) -> None:
    httpx_mock.add_exception(httpx.ReadTimeout("timed out"), url=URL, is_reusable=True)
    with new_client(httpx.Timeout(7.5, connect=2.0)) as client:
        result = send(client, sleeps, clock)
    assert result == failed(3, None, "read timeout after 7.5s", retryable=True)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 413, 422])
def test_client_errors_are_not_retried(
    httpx_mock: HTTPXMock, client: httpx.Client, sleeps: Sleeps, clock: Clock, status: int
) -> None:
    httpx_mock.add_response(url=URL, status_code=status)
    result = send(client, sleeps, clock)
    assert (result.delivered, result.attempts, result.retryable) == (False, 1, False)
    assert result.status_code == status
    assert result.error is not None and result.error.startswith(f"HTTP {status} ")
    assert sleeps == []


def test_transport_errors_that_will_recur_are_not_retried(
    httpx_mock: HTTPXMock, client: httpx.Client, sleeps: Sleeps, clock: Clock
) -> None:
    httpx_mock.add_exception(httpx.UnsupportedProtocol("Request URL has no scheme"), url=URL)
    assert send(client, sleeps, clock) == failed(
        1, None, "UnsupportedProtocol: Request URL has no scheme", retryable=False
    )


@pytest.mark.parametrize("follow", [False, True], ids=["plain-client", "following-client"])
def test_redirects_are_reported_not_followed(
    httpx_mock: HTTPXMock, sleeps: Sleeps, clock: Clock, follow: bool
) -> None:
    # Registering the target makes a followed redirect succeed, so following would show.
    elsewhere = "https://elsewhere.test/hook"
    httpx_mock.add_response(url=URL, status_code=308, headers={"Location": elsewhere})
    httpx_mock.add_response(url=elsewhere, is_optional=True)
    with httpx.Client(follow_redirects=follow) as client:
        result = send(client, sleeps, clock)
    assert result == failed(
        1,
        308,
        f"HTTP 308 Permanent Redirect: redirects are not followed (Location: {elsewhere}); "
        "fix the URL",
        retryable=False,
    )
    assert [str(r.url) for r in httpx_mock.get_requests()] == [URL]


def test_max_attempts_must_be_positive(client: httpx.Client) -> None:
    with pytest.raises(ValueError, match="max_attempts"):
        deliver(client, URL, BODY, secret=None, event_id="e", event_type="t", max_attempts=0)


def test_verify_accepts_a_signature_within_tolerance_either_way() -> None:
    assert verify(SECRET, signature_header(SECRET, NOW, BODY), BODY, now=NOW + 300)
    assert verify(SECRET, signature_header(SECRET, NOW, BODY), BODY, now=NOW - 300)


def test_verify_rejects_a_tampered_body() -> None:
    header = signature_header(SECRET, NOW, BODY)
    assert not verify(SECRET, header, BODY.replace(b"7", b"8"), now=NOW)


def test_verify_rejects_a_wrong_secret() -> None:
    assert not verify("whsec_other", signature_header(SECRET, NOW, BODY), BODY, now=NOW)


@pytest.mark.parametrize("now", [NOW + 301, NOW - 301], ids=["stale", "future"])
def test_verify_rejects_timestamps_beyond_tolerance(now: int) -> None:
    assert not verify(SECRET, signature_header(SECRET, NOW, BODY), BODY, now=now)


def test_verify_rejects_a_replayed_signature_on_a_new_timestamp() -> None:
    # The timestamp is signed: moving it forward to dodge the tolerance breaks the signature.
    replayed = f"t={NOW + 3600},v1={sign(SECRET, NOW, BODY)}"
    assert not verify(SECRET, replayed, BODY, now=NOW + 3600)


def test_verify_accepts_any_matching_v1_during_secret_rotation() -> None:
    header = f"t={NOW},v1={sign('whsec_old', NOW, BODY)},v1={sign(SECRET, NOW, BODY)}"
    assert verify(SECRET, header, BODY, now=NOW)
    assert verify("whsec_old", header, BODY, now=NOW)
    assert not verify("whsec_third", header, BODY, now=NOW)


GOOD = sign(SECRET, NOW, BODY)


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "garbage",
        GOOD,
        f"v1={GOOD}",
        f"t={NOW}",
        f"t={NOW},v1=",
        f"t=soon,v1={GOOD}",
        f"t=-{NOW},v1={GOOD}",
        f"t={NOW},t={NOW},v1={GOOD}",
        f"t={NOW},v1={GOOD.upper()}",
        f"t={NOW},v1={GOOD[:-1]}é",
        f"t={NOW},v1={GOOD},junk",
        f"t=١٢٣,v1={GOOD}",
    ],
)
def test_verify_rejects_malformed_headers_without_raising(header: str | None) -> None:
    assert not verify(SECRET, header, BODY, now=NOW)


def test_verify_with_an_empty_secret_is_false_and_signing_with_one_is_refused() -> None:
    assert not verify("", f"t={NOW},v1={GOOD}", BODY, now=NOW)
    with pytest.raises(ValueError, match="empty"):
        sign("", NOW, BODY)


def test_notice_encodes_to_json_with_a_utc_time_and_a_fresh_id() -> None:
    created = datetime(2026, 1, 7, 10, 0, tzinfo=UTC)
    notice = Notice(type="statements.created", created_at=created, data={"article_id": 7})
    decoded = json.loads(encode_notice(notice))
    assert decoded == {
        "type": "statements.created",
        "data": {"article_id": 7},
        "id": notice.id,
        "created_at": "2026-01-07T10:00:00Z",
    }
    assert len(notice.id) == 32 and notice.id != Notice(type="t", data={}).id
    assert Notice(type="t", data={}, id="given").id == "given"
    assert Notice(type="t", data={}).created_at.utcoffset() is not None


def test_notice_refuses_a_naive_time() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        Notice(type="t", data={}, created_at=datetime(2026, 1, 7, 10, 0))


def test_an_empty_secret_is_refused_before_anything_is_sent(client: httpx.Client) -> None:
    # An empty secret is a misconfiguration: a signature made with it would protect nothing.
    with pytest.raises(ValueError, match="empty"):
        deliver(client, URL, BODY, secret="", event_id="e", event_type="t")
