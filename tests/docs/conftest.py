"""Docs tests: the real server for a real browser."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.contract.live import LiveServer, seeded_database


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    directory = tmp_path_factory.mktemp("docs-live")
    database_url, _ = seeded_database(directory)
    with LiveServer(database_url, directory / "server.log") as server:
        yield server
