"""A scratch database for one benchmark run, dropped afterwards.

A SQLite file in a temporary folder, or a PostgreSQL database created on the local
server (``STATEMENTS_BENCH_POSTGRES_URL``, default the ``postgres`` database as root).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import make_url

from api.storage.engine import make_engine

POSTGRES_ADMIN_URL = os.environ.get(
    "STATEMENTS_BENCH_POSTGRES_URL", "postgresql://root@127.0.0.1:5432/postgres"
)


@contextmanager
def scratch_database(backend: str, name: str) -> Iterator[str]:
    """The URL of an empty database named ``name`` (PostgreSQL) or a fresh SQLite file."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/{name}.db"
        return
    admin = make_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
