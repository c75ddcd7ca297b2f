"""Engines and sessions for the one configured database URL (SQLite or PostgreSQL).

The ingestion job and the CLI use a synchronous engine; the HTTP layer uses an async
engine on the same database. Both are derived from the one URL the operator sets.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.ext.asyncio import AsyncSession as AsyncSession
from sqlalchemy.orm import Session, sessionmaker

from api.storage.write_turns import writer_turns

SUPPORTED_BACKENDS = ("sqlite", "postgresql")


class UnsupportedDatabaseError(ValueError):
    pass


def _parse(url: str) -> URL:
    try:
        parsed = make_url(url)
    except Exception as exc:  # SQLAlchemy raises ArgumentError with a terse message
        raise UnsupportedDatabaseError(f"not a database URL: {url!r}") from exc
    if parsed.get_backend_name() not in SUPPORTED_BACKENDS:
        raise UnsupportedDatabaseError(
            f"unsupported database {parsed.get_backend_name()!r}: use sqlite:/// or postgresql://"
        )
    return parsed


def is_sqlite(url: str) -> bool:
    return _parse(url).get_backend_name() == "sqlite"


def sync_url(url: str) -> URL:
    parsed = _parse(url)
    if parsed.get_backend_name() == "postgresql":
        return parsed.set(drivername="postgresql+psycopg")
    return parsed.set(drivername="sqlite")


def async_url(url: str) -> URL:
    parsed = _parse(url)
    if parsed.get_backend_name() == "postgresql":
        return parsed.set(drivername="postgresql+psycopg")
    return parsed.set(drivername="sqlite+aiosqlite")


# The API's SQLite connections read a file the kernel already caches: each keeps a small
# page cache of its own (SQLite's default is 2 MB) for the B-tree pages every lookup
# crosses. Measured at 1M statements under load, 256 KB per connection served as many
# reads a second and kept 6 MB less of the API process resident (docs/benchmarks.md).
READER_CACHE_KIB = 256


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT; SQLAlchemy emits BEGIN itself
    # (see _begin_sqlite), which gives real nested transactions per article.
    dbapi_connection.isolation_level = None
    # Foreign keys are off by default in SQLite; WAL lets the API read while a job writes.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _begin_sqlite(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


def _begin_sqlite_immediate(connection: Any) -> None:
    # The synchronous engine is the writers' (ingest, worker, CLI): their transactions read
    # and then write. Under WAL, a deferred transaction whose snapshot went stale cannot
    # upgrade to a write lock and fails at once ("database is locked") instead of waiting;
    # taking the write lock at BEGIN makes concurrent writers queue on busy_timeout.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _configure_sqlite_reader(dbapi_connection: Any, record: Any) -> None:
    _configure_sqlite(dbapi_connection, record)
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA cache_size=-{READER_CACHE_KIB}")
    cursor.close()


def _listen_sqlite(engine: Engine, *, writer: bool) -> None:
    event.listen(engine, "connect", _configure_sqlite if writer else _configure_sqlite_reader)
    turns = writer_turns(engine.url.database) if writer else None
    if turns is None:
        event.listen(engine, "begin", _begin_sqlite_immediate if writer else _begin_sqlite)
        return

    # Writers of the file queue for their turn before BEGIN IMMEDIATE (see write_turns).
    def begin_in_turn(connection: Any) -> None:
        connection.info[_TURN] = turns.take()
        try:
            _begin_sqlite_immediate(connection)
        except BaseException:
            end_turn(connection)  # no transaction began: no commit or rollback will end it
            raise

    def end_turn(connection: Any) -> None:
        if connection.info.pop(_TURN, False):
            turns.give_back()

    event.listen(engine, "begin", begin_in_turn)
    event.listen(engine, "commit", end_turn)
    event.listen(engine, "rollback", end_turn)


_TURN = "statements.writer_turn"  # in Connection.info: this connection holds the turn


def make_engine(url: str, **kwargs: Any) -> Engine:
    target = sync_url(url)
    engine = create_engine(target, **kwargs)
    if target.get_backend_name() == "sqlite":
        _listen_sqlite(engine, writer=True)
    return engine


def make_async_engine(url: str, **kwargs: Any) -> AsyncEngine:
    target = async_url(url)
    engine = create_async_engine(target, **kwargs)
    if target.get_backend_name() == "sqlite":
        _listen_sqlite(engine.sync_engine, writer=False)
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def async_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
