"""The framework ceiling: a bare Litestar app returning a ~300-byte msgspec Struct.

Served by the same server and settings as the product in benchmarks/api_load.py, so
every product figure can be given as a ratio to what Litestar itself can do here.
"""

from __future__ import annotations

import msgspec
from litestar import Litestar, get


class Greeting(msgspec.Struct, frozen=True):
    id: int
    speaker: str
    text: str
    outlet: str
    published_date: str
    kind: str
    confidence: float
    tags: list[str]


GREETING = Greeting(
    id=1,
    speaker="Emmanuel Macron",
    text="France and the United Kingdom will lead a coalition to guarantee Ukraine's security "
    "once a ceasefire is agreed, with troops on the ground.",
    outlet="Ground News",
    published_date="2026-01-07",
    kind="direct",
    confidence=0.93,
    tags=["summit", "ukraine", "paris"],
)


@get("/hello", sync_to_thread=False)
def hello() -> Greeting:
    return GREETING


app = Litestar(route_handlers=[hello], openapi_config=None)
