"""The real server on loopback, over a seeded SQLite database, for out-of-process clients.

``seeded_database`` migrates a fresh SQLite file and inserts the small known world of
``tests.http.factories.build_newsroom`` through the ORM. ``LiveServer`` runs
``uvicorn --factory api.http.app:app_from_env`` on 127.0.0.1 on a port the OS picks
(read back from uvicorn's startup line), with rate limiting off so a fuzzer is not
answered 429, and stops it at the end. Its log is kept in a file for failure messages.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import TracebackType

from api.storage import migrate
from api.storage.engine import async_session_factory, make_async_engine
from tests.http.factories import Factory, Newsroom, build_newsroom

ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT = 30.0
_LISTENING = re.compile(r"Uvicorn running on http://127\.0\.0\.1:(\d+)")
# Loopback only: never through a proxy the environment may name.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


async def _seed(url: str) -> Newsroom:
    engine = make_async_engine(url)
    try:
        async with async_session_factory(engine)() as session:
            world = await build_newsroom(Factory(session))
            await session.commit()
            return world
    finally:
        await engine.dispose()


def seeded_database(directory: Path) -> tuple[str, Newsroom]:
    """A migrated SQLite database in ``directory`` holding the factories' newsroom."""
    url = f"sqlite:///{directory / 'statements.db'}"
    migrate.upgrade(url)
    return url, asyncio.run(_seed(url))


class LiveServer:
    """``with LiveServer(url, log_path) as server:`` serves the app at ``server.base_url``."""

    def __init__(self, database_url: str, log_path: Path) -> None:
        self.database_url = database_url
        self.log_path = log_path
        self.base_url = ""
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> LiveServer:
        env = {
            **os.environ,
            "STATEMENTS_DATABASE_URL": self.database_url,
            "STATEMENTS_LOG_LEVEL": "warning",
            "STATEMENTS_RATE_LIMIT_PER_MINUTE": "0",
            "STATEMENTS_CORS_ORIGINS": "",
        }
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "api.http.app:app_from_env",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--log-level",
            "info",
            "--no-access-log",
        ]
        with self.log_path.open("wb") as log:
            self._process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        try:
            self.base_url = f"http://127.0.0.1:{self._wait_for_port()}"
            self._wait_until_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def _wait_for_port(self) -> int:
        assert self._process is not None
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if match := _LISTENING.search(self.log()):
                return int(match.group(1))
            if self._process.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError(f"the server did not start:\n{self.log()}")

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            try:
                with _DIRECT.open(f"{self.base_url}/health", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.05)

    def stop(self) -> None:
        if self._process is None or self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=10)
