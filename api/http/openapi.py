"""The committed OpenAPI document (openapi/openapi.json), generated from the code.

A drift test compares the committed file with ``generate_spec()``; regenerate it with
``statements openapi`` after changing handlers or ``schemas``.
"""

from __future__ import annotations

import json
from pathlib import Path

from api.http.app import create_app
from api.settings import Settings

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"


def generate_spec() -> bytes:
    """OpenAPI 3.1 as Litestar generates it, serialised deterministically.

    Default Settings, not the environment: the page-size bounds in the spec must not
    depend on who generated it.
    """
    schema = create_app(Settings()).openapi_schema.to_schema()
    text = json.dumps(schema, sort_keys=True, indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def write_spec(path: Path = SPEC_PATH) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(generate_spec())
