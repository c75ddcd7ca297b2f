"""Writers of one SQLite file take turns (api/storage/write_turns.py): the synchronous
engine holds the turn from BEGIN to commit or rollback, and another process sees it."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from api.storage import write_turns
from api.storage.engine import make_engine
from api.storage.write_turns import WriterTurns, writer_turns

# Another process asks for the turn without waiting: "held" or "free".
PROBE = """
import fcntl, os, sys
descriptor = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
try:
    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    print("free")
except BlockingIOError:
    print("held")
"""


def seen_from_another_process(lock_file: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", PROBE, lock_file], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_a_write_transaction_holds_the_turn_until_it_ends(tmp_path: Path) -> None:
    database = tmp_path / "turns.db"
    engine = make_engine(f"sqlite:///{database}")
    lock_file = f"{database}-writers"
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (n INTEGER)"))
            assert seen_from_another_process(lock_file) == "held"
        assert seen_from_another_process(lock_file) == "free"  # committed

        with pytest.raises(RuntimeError), engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (1)"))
            assert seen_from_another_process(lock_file) == "held"
            raise RuntimeError("rolled back")
        assert seen_from_another_process(lock_file) == "free"

        with engine.connect() as conn:  # a transaction begun and closed without a word
            conn.execute(text("SELECT count(*) FROM t"))
            assert seen_from_another_process(lock_file) == "held"
        assert seen_from_another_process(lock_file) == "free"
    finally:
        engine.dispose()


def test_a_second_process_waits_for_the_turn_then_takes_it(tmp_path: Path) -> None:
    lock_file = str(tmp_path / "queue.db-writers")
    turns = WriterTurns(lock_file)
    assert turns.take()
    waiter = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from api.storage.write_turns import WriterTurns; "
            "turns = WriterTurns(sys.argv[1]); print('asking', flush=True); "
            "t = time.monotonic(); had = turns.take(); "
            "print(had, round(time.monotonic() - t, 3))",
            lock_file,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert waiter.stdout is not None and waiter.stdout.readline().strip() == "asking"
    time.sleep(0.5)
    assert waiter.poll() is None  # still queueing
    turns.give_back()
    out, _ = waiter.communicate(timeout=30)
    had, waited = out.split()
    assert had == "True"
    assert 0.4 < float(waited) < 5  # it waited for the turn, and had it once given back


def test_a_turn_not_had_in_time_is_gone_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lock_file = str(tmp_path / "slow.db-writers")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time; d = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); "
            "fcntl.flock(d, fcntl.LOCK_EX); print('ready', flush=True); time.sleep(30)",
            lock_file,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        monkeypatch.setattr(write_turns, "TURN_TIMEOUT_SECONDS", 0.2)
        started = time.monotonic()
        assert WriterTurns(lock_file).take() is False
        assert 0.2 <= time.monotonic() - started < 5
    finally:
        holder.kill()
        holder.communicate()


def test_a_begin_that_fails_gives_the_turn_back(tmp_path: Path) -> None:
    database = tmp_path / "busy.db"
    engine = make_engine(f"sqlite:///{database}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
    outsider = sqlite3.connect(database, isolation_level=None)
    try:
        with engine.connect() as conn:
            # On the driver's connection: no BEGIN, so no turn, is taken for it.
            conn.connection.dbapi_connection.execute("PRAGMA busy_timeout=100")  # type: ignore[union-attr]
            # Another writer outside the turns (a shell, the API) holds SQLite's lock.
            outsider.execute("BEGIN IMMEDIATE")
            with pytest.raises(OperationalError):
                conn.execute(text("INSERT INTO t VALUES (1)"))
            assert seen_from_another_process(f"{database}-writers") == "free"
    finally:
        outsider.close()
        engine.dispose()


def test_in_memory_databases_have_no_turns() -> None:
    assert writer_turns(None) is None
    assert writer_turns(":memory:") is None
    engine = make_engine("sqlite://")
    try:
        with engine.begin() as conn:
            conn.execute(text("SELECT 1"))
    finally:
        engine.dispose()


def test_threads_of_one_process_never_wait_for_each_other(tmp_path: Path) -> None:
    turns = writer_turns(str(tmp_path / "threads.db"))
    assert turns is not None
    assert turns.take()
    other: list[bool] = []
    thread = threading.Thread(target=lambda: other.append(turns.take()))
    thread.start()
    thread.join(timeout=5)
    assert other == [True]  # flock belongs to the open file: the process holds the turn
    turns.give_back()
