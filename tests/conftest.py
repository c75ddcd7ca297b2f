"""Test databases: built by the Alembic migrations, each test rolled back.

Every database test runs on SQLite and on PostgreSQL. PostgreSQL is taken from
``STATEMENTS_TEST_POSTGRES_URL`` (default: the local ``test`` database), in a schema
private to the test session; when it is unreachable the PostgreSQL cases are skipped
locally and fail under ``CI=true``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from api.storage import migrate
from api.storage.engine import make_engine

POSTGRES_URL = os.environ.get(
    "STATEMENTS_TEST_POSTGRES_URL", "postgresql://root@127.0.0.1:5432/test"
)
BACKENDS = ["sqlite", "postgresql"]


def postgres_available(url: str = POSTGRES_URL) -> bool:
    engine = make_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return True
    except Exception:
        return False
    finally:
        engine.dispose()


def require_postgres() -> None:
    if not postgres_available():
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required under CI and is unreachable at {POSTGRES_URL}")
        pytest.skip("PostgreSQL is not reachable")


# Each test session works in a schema of its own, so that two sessions (a developer's
# and CI's, or two helpers') can share one PostgreSQL database without colliding.
RUN_SCHEMA = f"statements_run_{os.getpid()}"


def scratch_name(prefix: str) -> str:
    """A database or schema name private to this test session."""
    return f"{prefix}_{os.getpid()}"


@contextmanager
def empty_database_url(backend: str, folder: Path, name: str) -> Iterator[str]:
    """A database of its own, empty and dropped afterwards: a SQLite file in ``folder``,
    or a PostgreSQL database named ``name`` plus this session's suffix."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / (name + '.db')}"
        return
    require_postgres()
    database = scratch_name(name)
    admin = make_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {database}"))
    try:
        yield make_url(POSTGRES_URL).set(database=database).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
        admin.dispose()


def run_schema_url(url: str, schema: str) -> str:
    with_path = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    return with_path.render_as_string(hide_password=False)


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """An empty database migrated to head, once per backend per test session."""
    if request.param == "postgresql":
        require_postgres()
        admin = make_engine(POSTGRES_URL)
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {RUN_SCHEMA} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {RUN_SCHEMA}"))
        url = run_schema_url(POSTGRES_URL, RUN_SCHEMA)
        migrate.upgrade(url)
        try:
            yield url
        finally:
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA IF EXISTS {RUN_SCHEMA} CASCADE"))
            admin.dispose()
        return
    path: Path = tmp_path_factory.mktemp("db") / "statements.db"
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def db_session(engine: Engine) -> Iterator[Session]:
    """A session inside an outer transaction that is rolled back after the test.

    Code under test may commit: with ``create_savepoint`` its commits only release
    savepoints, so nothing outlives the test.
    """
    with engine.connect() as connection:
        outer = connection.begin()
        session = Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        try:
            yield session
        finally:
            session.close()
            outer.rollback()
