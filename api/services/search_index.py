"""The full-text index's database objects, which the ORM does not model.

Migration ``0003_statement_search`` creates them, and triggers keep them in step with
``statements`` (and the speaker's name in ``actors``) on every write:

- SQLite: the FTS5 virtual table ``statements_fts`` (rowid = statement id; columns
  ``text``, ``quotes``, ``speaker``) and the shadow tables FTS5 keeps beside it
  (``statements_fts_data``, ``_idx``, ``_content``, ``_docsize``, ``_config``).
- PostgreSQL: the ``tsvector`` column ``statements.search_vector`` and its GIN index
  ``ix_statements_search_vector``.

Triggers and SQL functions are invisible to Alembic's comparison; tables, columns and
indexes are not, so ``include_name`` (used by ``migrations/env.py`` and by the
models/migrations drift test) leaves these out of autogenerate and of the comparison.
"""

from __future__ import annotations

from collections.abc import Mapping

FTS_TABLE = "statements_fts"
VECTOR_TABLE = "statements"
VECTOR_COLUMN = "search_vector"
VECTOR_INDEX = "ix_statements_search_vector"


def is_search_index_object(
    name: str | None, type_: str, parent_names: Mapping[str, str | None]
) -> bool:
    """Whether a reflected database object belongs to the full-text index."""
    if name is None:
        return False
    if type_ == "table":
        return name == FTS_TABLE or name.startswith(f"{FTS_TABLE}_")
    if type_ == "column":
        return name == VECTOR_COLUMN and parent_names.get("table_name") == VECTOR_TABLE
    if type_ == "index":
        return name == VECTOR_INDEX
    return False


def include_name(name: str | None, type_: str, parent_names: Mapping[str, str | None]) -> bool:
    """Alembic's ``include_name`` hook: everything but the full-text index's objects."""
    return not is_search_index_object(name, type_, parent_names)
