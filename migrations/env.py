"""Alembic environment: one set of migrations for SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection

from api.services.search_index import include_name
from api.storage.engine import make_engine
from api.storage.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    assert url is not None
    engine = make_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection: Connection) -> None:
    # SQLite rebuilds a table to alter it (batch mode): dropping the old copy with foreign
    # keys enforced would cascade into every referencing row. The pragma only takes
    # effect outside a transaction, so it is set before the migration transaction begins
    # and the references are checked once the rebuilt tables are in place.
    # A connection handed in by the caller is in the caller's transaction: leave it be.
    # The pragma goes straight to the driver: through SQLAlchemy it would open a
    # transaction first (api/storage/engine.py emits BEGIN), where it is ignored.
    sqlite = connection.dialect.name == "sqlite" and not connection.in_transaction()
    if sqlite:
        _sqlite_pragma(connection, "PRAGMA foreign_keys=OFF")
    try:
        _migrate(connection)
    finally:
        if sqlite:
            _sqlite_pragma(connection, "PRAGMA foreign_keys=ON")
    if sqlite:
        problems = _sqlite_pragma(connection, "PRAGMA foreign_key_check")
        if problems:
            raise RuntimeError(f"foreign key violations after migrating: {problems[:5]}")


def _sqlite_pragma(connection: Connection, pragma: str) -> list[Any]:
    driver = connection.connection.driver_connection
    assert driver is not None
    return list(driver.execute(pragma).fetchall())


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
        render_as_batch=True,
        compare_type=True,
        # The full-text index (FTS5 tables, the tsvector column and its index) is not
        # modelled by the ORM: keep it out of autogenerate and the drift comparison.
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
