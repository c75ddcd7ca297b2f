"""Keyset windows: the services' side of cursor pagination.

Services read ``limit + 1`` rows after a position; the extra row only tells whether
another page exists. Most listings are in ascending id order and a position is the last
id. Sorted statement listings (by relevance or date) continue after a (sort key, id)
pair: ``after_key`` is the sort key of the row ``after_id`` names. How a position is
encoded for clients (the opaque cursor) is the HTTP layer's business.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute

ItemT = TypeVar("ItemT")
RowT = TypeVar("RowT")

# A relevance score (float, lower is better), a date's proleptic ordinal (int), or
# None: an undated statement in date order.
SortKey = float | int | None


@dataclass(frozen=True, slots=True)
class Window:
    """Read at most ``limit`` rows after ``after_id`` (from the start when None).

    In a sorted listing, ``after_key`` is the sort key of the row ``after_id``; None is
    a valid key there (an undated statement), so it only means something with an id.
    """

    limit: int
    after_id: int | None = None
    after_key: SortKey = None


@dataclass(frozen=True, slots=True)
class Slice(Generic[ItemT]):
    """One page of converted items and where the next page starts."""

    items: list[ItemT]
    has_more: bool
    # The id of the last item, when there is a next page: the keyset to continue after.
    next_after_id: int | None
    # In a sorted listing, the last item's sort key (meaningful with next_after_id).
    next_key: SortKey = None


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


def make_slice(
    items: list[ItemT], has_more: bool, last_id: int | None, last_key: SortKey = None
) -> Slice[ItemT]:
    if not has_more:
        return Slice(items=items, has_more=False, next_after_id=None)
    return Slice(items=items, has_more=True, next_after_id=last_id, next_key=last_key)
