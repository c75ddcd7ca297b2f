"""Parsing ahead in a thread (api/pipeline/parse_ahead.py): the same items in the same
order, errors where they happened, never more than ``depth`` ahead, and a thread that
stops when the caller leaves."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from api.pipeline.parse_ahead import parsed_ahead


def test_items_come_in_order_from_another_thread() -> None:
    threads: set[str] = set()

    def produce() -> Iterator[int]:
        for n in range(100):
            threads.add(threading.current_thread().name)
            yield n

    assert list(parsed_ahead(produce(), depth=8)) == list(range(100))
    assert threads == {"parse-ahead"}


def test_an_error_is_raised_where_its_item_would_have_come() -> None:
    def produce() -> Iterator[int]:
        yield 1
        yield 2
        raise RuntimeError("model broke")

    seen: list[int] = []
    with pytest.raises(RuntimeError, match="model broke"):
        for item in parsed_ahead(produce(), depth=4):
            seen.append(item)
    assert seen == [1, 2]


def test_the_producer_stays_at_most_depth_items_ahead() -> None:
    produced: list[int] = []
    ahead: list[int] = []

    def produce() -> Iterator[int]:
        for n in range(50):
            produced.append(n)
            yield n

    for taken, _ in enumerate(parsed_ahead(produce(), depth=3), start=1):
        # Queued items, plus the one the producer holds while it waits for room.
        ahead.append(len(produced) - taken)
    assert max(ahead) <= 3 + 1


def test_leaving_early_stops_the_producer_before_returning() -> None:
    produced: list[int] = []

    def produce() -> Iterator[int]:
        for n in range(10_000):
            produced.append(n)
            yield n

    items = parsed_ahead(produce(), depth=2)
    assert next(items) == 0
    items.close()
    stopped_at = len(produced)
    assert not any(t.name == "parse-ahead" for t in threading.enumerate())
    assert len(produced) == stopped_at < 10  # nothing more after close returned


def test_a_depth_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="depth"):
        next(parsed_ahead(iter([1]), depth=0))
