"""Writers of one SQLite file take turns through an OS lock, not through SQLite's retries.

Why: SQLite lets one writer in at a time, and a writer that finds the file locked
sleeps and tries again (``busy_timeout``), sleeping longer each time: 1, 2, 5, 10 ... up
to 100 ms. Two ingestion processes on one file spend about a third of each article in
its write transaction, so they meet often, and each meeting cost the waiter up to a
whole sleep after the lock was already free. A lock file held with ``flock`` hands the
turn over within a fraction of a millisecond of the holder letting go.

api/storage/engine.py takes the turn just before a writer's ``BEGIN IMMEDIATE`` and
gives it back as the transaction commits or rolls back (the next writer may then meet
the commit's last milliseconds, which SQLite's first, shortest retries cover). Every
transaction of the synchronous engine (ingestion, workers, the CLI) takes it, so none
of them starves behind the others. The turn only orders those writers: SQLite's own
locking still guards the file against every other one (the API's, a shell), and a
turn not had within ``TURN_TIMEOUT_SECONDS`` is gone without, leaving the wait to
SQLite as before. Connections of one process share the turn (``flock`` belongs to the
open file), so nothing here can make a process wait for itself.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time

TURN_TIMEOUT_SECONDS = 10.0  # as long as SQLite's busy_timeout (api/storage/engine.py)
_POLL_SECONDS = 0.0005


class WriterTurns:
    """The turn of one database file's writers, for this process."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._descriptor: int | None = None
        self._opened_by = 0  # the pid that opened the descriptor
        self._guard = threading.Lock()

    def take(self) -> bool:
        """Wait for the turn; False when it was not had in time (go ahead regardless)."""
        descriptor = self._open()
        deadline = time.monotonic() + TURN_TIMEOUT_SECONDS
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(_POLL_SECONDS)

    def give_back(self) -> None:
        if self._descriptor is not None and self._opened_by == os.getpid():
            fcntl.flock(self._descriptor, fcntl.LOCK_UN)

    def _open(self) -> int:
        # Kept open for the process's life: an open and a close per transaction would
        # cost two more system calls each. It is not the database file: closing any
        # descriptor of that would drop the POSIX locks SQLite holds on it. A forked
        # child opens its own, or it would share the parent's turn instead of queueing.
        with self._guard:
            if self._descriptor is None or self._opened_by != os.getpid():
                self._descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
                self._opened_by = os.getpid()
            return self._descriptor


_turns: dict[str, WriterTurns] = {}
_turns_guard = threading.Lock()


def writer_turns(database: str | None) -> WriterTurns | None:
    """The turns of a SQLite database file (one object per file in a process); None for
    an in-memory database, which has one connection and nobody to queue behind."""
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    path = f"{os.path.abspath(database)}-writers"
    with _turns_guard:
        return _turns.setdefault(path, WriterTurns(path))
