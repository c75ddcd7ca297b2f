"""The SQL a session sends, for tests that count queries or look at their form."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.orm import Session


class Sent:
    """One statement as the driver got it: its text, and whether it was an executemany."""

    def __init__(self, statement: str, executemany: bool) -> None:
        self.statement = statement
        self.executemany = executemany

    def is_select(self) -> bool:
        return self.statement.lstrip().upper().startswith("SELECT")


@contextmanager
def sent_sql(session: Session) -> Iterator[list[Sent]]:
    """Every statement the session's engine sends while the block runs."""
    seen: list[Sent] = []

    def note(_conn, _cursor, statement, _params, _context, executemany) -> None:  # type: ignore[no-untyped-def]
        seen.append(Sent(statement, executemany))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)
