"""Errors the read services raise; the HTTP layer maps them to problem documents."""

from __future__ import annotations


class NotFoundError(LookupError):
    """The requested resource does not exist (or no longer does)."""

    def __init__(self, resource: str, resource_id: int) -> None:
        self.resource = resource
        self.resource_id = resource_id
        super().__init__(f"{resource} {resource_id} does not exist")
