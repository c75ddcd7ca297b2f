"""``statements serve`` for real: each server, one and two workers, on loopback.

The recommended production setup (granian, see docs/benchmarks.md) and the alternative
(uvicorn) must both start, answer reads from the database they were given, serve a
second read from the response cache, and stop cleanly on SIGTERM.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx
import pytest

from api.cli.commands import WORKERS_KILL_SECONDS
from api.pipeline.run import ingest_paths
from api.storage import migrate
from api.storage.engine import make_engine, session_factory

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def seeded_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('serve') / 'serve.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        with session_factory(engine)() as session:
            ingest_paths(session, [SEEDS / "001_b16eecb884c7e125.txt"], progress=False)
    finally:
        engine.dispose()
    return url


@contextmanager
def serving(url: str, server: str, workers: int) -> Iterator[str]:
    port = free_port()
    command = [sys.executable, "-m", "api.cli", "serve", "--server", server]
    command += ["--port", str(port), "--workers", str(workers)]
    env = {**os.environ, "STATEMENTS_DATABASE_URL": url, "STATEMENTS_LOG_LEVEL": "warning"}
    process = subprocess.Popen(command, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, "the server exited before answering"
            assert time.monotonic() < deadline, "the server did not answer within 60 s"
            time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0


@pytest.mark.parametrize(("server", "workers"), [("granian", 1), ("granian", 2), ("uvicorn", 2)])
def test_serve_answers_reads_and_stops_on_sigterm(
    seeded_url: str, server: str, workers: int
) -> None:
    with serving(seeded_url, server, workers) as base:
        listed = httpx.get(f"{base}/v1/statements", timeout=10)
        assert listed.status_code == 200
        items = listed.json()["items"]
        assert items, "the seed article's statements are served"
        first = httpx.get(f"{base}/v1/statements/{items[0]['id']}", timeout=10)
        again = httpx.get(f"{base}/v1/statements/{items[0]['id']}", timeout=10)
        assert first.status_code == again.status_code == 200
        assert first.json() == again.json() == items[0] | {"snippet": None}
        assert first.headers["etag"] == again.headers["etag"]
        assert first.headers["x-request-id"] != again.headers["x-request-id"]


def test_a_granian_worker_that_will_not_stop_is_killed(seeded_url: str) -> None:
    port = free_port()
    command = [sys.executable, "-m", "api.cli", "serve", "--server", "granian"]
    command += ["--port", str(port), "--workers", "2"]
    env = {**os.environ, "STATEMENTS_DATABASE_URL": seeded_url, "STATEMENTS_LOG_LEVEL": "warning"}
    process = subprocess.Popen(command, env=env)
    children: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while len(children) < 2:  # both workers forked
            assert process.poll() is None and time.monotonic() < deadline
            listed = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text()
            children = [int(pid) for pid in listed.split()]
            time.sleep(0.2)
        stuck = children[0]
        os.kill(stuck, signal.SIGSTOP)  # it can neither stop gracefully nor answer
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=WORKERS_KILL_SECONDS + 20) == 0
        assert not Path(f"/proc/{stuck}").exists() or "Z" in _state(stuck)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for child in children:  # a worker left behind, stopped, would never exit
            with suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)


def _state(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
