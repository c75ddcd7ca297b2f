"""Keyset windows over ascending ids: the services' side of cursor pagination.

Services read ``limit + 1`` rows after ``after_id``; the extra row only tells whether
another page exists. How a position is encoded for clients (the opaque cursor) is the
HTTP layer's business.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute

ItemT = TypeVar("ItemT")
RowT = TypeVar("RowT")


@dataclass(frozen=True, slots=True)
class Window:
    """Read at most ``limit`` rows whose id is greater than ``after_id`` (all when None)."""

    limit: int
    after_id: int | None = None


@dataclass(frozen=True, slots=True)
class Slice(Generic[ItemT]):
    """One page of converted items and where the next page starts."""

    items: list[ItemT]
    has_more: bool
    # The id of the last item, when there is a next page: the keyset to continue after.
    next_after_id: int | None


def in_window(
    query: Select[Any], id_column: InstrumentedAttribute[int], window: Window
) -> Select[Any]:
    """Restrict ``query`` to the window, ordered by id, with one look-ahead row."""
    if window.after_id is not None:
        query = query.where(id_column > window.after_id)
    return query.order_by(id_column).limit(window.limit + 1)


def split_window(rows: Sequence[RowT], window: Window) -> tuple[list[RowT], bool]:
    """Drop the look-ahead row; say whether it was there."""
    return list(rows[: window.limit]), len(rows) > window.limit


def make_slice(items: list[ItemT], has_more: bool, last_id: int | None) -> Slice[ItemT]:
    return Slice(items=items, has_more=has_more, next_after_id=last_id if has_more else None)
