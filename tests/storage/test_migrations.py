"""The Alembic migrations build exactly the models' schema on both engines, and undo it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from api.services.search_index import include_name
from api.storage import migrate
from api.storage.engine import make_engine
from api.storage.models import Base
from tests.conftest import empty_database_url

# The hook migrations/env.py gives Alembic: the full-text index is not modelled.
COMPARE_OPTIONS = {"include_name": include_name}


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with empty_database_url(request.param, tmp_path, "statements_migration_check") as url:
        yield url


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        names = set(inspect(engine).get_table_names()) - {"alembic_version"}
        return {name for name in names if include_name(name, "table", {})}
    finally:
        engine.dispose()


def test_upgrade_matches_models_then_downgrade_empties(empty_database: str) -> None:
    migrate.upgrade(empty_database)
    assert _tables(empty_database) == set(Base.metadata.tables)

    engine = make_engine(empty_database)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts=COMPARE_OPTIONS)
        drift = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert drift == [], f"models and migrations disagree: {drift}"

    migrate.downgrade(empty_database)
    assert _tables(empty_database) == set()

    migrate.upgrade(empty_database)  # and back up again: downgrade left nothing behind
    assert _tables(empty_database) == set(Base.metadata.tables)


def test_drift_check_notices_a_model_change(empty_database: str) -> None:
    """The comparison above can fail: a column the migrations lack is reported."""
    from sqlalchemy import Column, MetaData, String, Table

    migrate.upgrade(empty_database)
    changed = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(changed)
    Table("statements", changed, Column("extra_note", String(10)), extend_existing=True)
    engine = make_engine(empty_database)
    with engine.connect() as conn:
        drift = compare_metadata(MigrationContext.configure(conn, opts=COMPARE_OPTIONS), changed)
    engine.dispose()
    assert any(op[0] == "add_column" and op[3].name == "extra_note" for op in drift)
