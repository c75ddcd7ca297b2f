"""An article whose transaction lost a race to another ingest process is stored again."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from api.pipeline import run


class FakeSession:
    def __init__(self) -> None:
        self.rollbacks = 0

    def rollback(self) -> None:
        self.rollbacks += 1


class Driver(Exception):
    def __init__(self, sqlstate: str | None) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def failing(*errors: Exception) -> Any:
    remaining = list(errors)

    def attempt(*_args: object) -> str:
        if remaining:
            raise remaining.pop(0)
        return "stored"

    return attempt


def operational(sqlstate: str | None) -> OperationalError:
    return OperationalError("INSERT ...", {}, Driver(sqlstate))


@pytest.mark.parametrize(
    "error",
    [
        operational("40P01"),  # deadlock_detected
        operational("40001"),  # serialization_failure
        IntegrityError("INSERT ...", {}, Driver("23505")),
    ],
)
def test_a_lost_race_is_tried_again(monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    session = FakeSession()
    monkeypatch.setattr(run, "_store_attempt", failing(error, error))
    assert run._store_one(session, None, None, 1, None) == "stored"  # type: ignore[arg-type]
    assert session.rollbacks == 2


def test_other_database_errors_fail_the_article_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    session = FakeSession()
    monkeypatch.setattr(run, "_store_attempt", failing(operational("53100")))  # disk full
    with pytest.raises(OperationalError):
        run._store_one(session, None, None, 1, None)  # type: ignore[arg-type]
    assert session.rollbacks == 1


def test_three_lost_races_fail_the_article(monkeypatch: pytest.MonkeyPatch) -> None:
    session = FakeSession()
    deadlock = operational("40P01")
    monkeypatch.setattr(run, "_store_attempt", failing(deadlock, deadlock, deadlock))
    with pytest.raises(OperationalError):
        run._store_one(session, None, None, 1, None)  # type: ignore[arg-type]
    assert session.rollbacks == 3
