"""spaCy parsing the next articles while the current one is being stored.

The batch job parses (``nlp.pipe``) and stores (one transaction per article) in turn.
Storing spends part of its time without Python's interpreter lock: waiting for
PostgreSQL's answers, for SQLite's disk, and, with two ingest processes on one SQLite
file, for the other process's write turn (api/storage/write_turns.py). A thread that
parses ahead uses that time; when both want the interpreter they take turns, which costs
next to nothing (benchmarks/ingest_speed.py measures the whole job).

Only the parsing thread runs the pipeline, and only the caller's thread touches the
database session: Docs pass from one to the other complete.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Iterable
from typing import Generic, TypeVar

Item = TypeVar("Item")

_POLL_SECONDS = 0.1  # how often a blocked producer looks whether the consumer left


class _Ended:
    """What the producer sends last: nothing more, or the exception it stopped on."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


class _Producer(Generic[Item]):
    def __init__(self, items: Iterable[Item], depth: int) -> None:
        self.queue: queue.Queue[Item | _Ended] = queue.Queue(maxsize=depth)
        self.leaving = threading.Event()
        self.items = items
        self.thread = threading.Thread(target=self._run, name="parse-ahead", daemon=True)

    def _run(self) -> None:
        try:
            for item in self.items:
                if not self._put(item):
                    return
        except BaseException as exc:  # handed to the consumer, which raises it
            self._put(_Ended(exc))
            return
        self._put(_Ended())

    def _put(self, item: Item | _Ended) -> bool:
        """Wait for room; False when the consumer left meanwhile."""
        while not self.leaving.is_set():
            try:
                self.queue.put(item, timeout=_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False


def parsed_ahead(items: Iterable[Item], depth: int) -> Generator[Item, None, None]:
    """``items`` in order, produced by a thread at most ``depth`` ahead of the caller.

    An exception the producer meets is raised here, where its item would have come.
    Leaving early (``close``, an exception in the caller's loop) stops the producer and
    waits for the item in hand, so the pipeline is never run by two threads at once.
    """
    if depth < 1:
        raise ValueError("depth must be at least 1")
    producer = _Producer(items, depth)
    producer.thread.start()
    try:
        while True:
            item = producer.queue.get()
            if isinstance(item, _Ended):
                if item.error is not None:
                    raise item.error
                return
            yield item
    finally:
        producer.leaving.set()
        producer.thread.join()
