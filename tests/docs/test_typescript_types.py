"""``openapi/statements.d.ts`` is what openapi-typescript makes of the committed spec.

Frontends import the committed types; after ``statements openapi`` regenerate them with
``npm ci --prefix openapi && npm run types --prefix openapi`` and commit both files.
The tools are the ones pinned in ``openapi/package-lock.json``: without them (no Node,
or ``npm ci`` not run) these tests skip locally and fail under ``CI=true``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

OPENAPI_DIR = Path(__file__).resolve().parents[2] / "openapi"
TYPES = OPENAPI_DIR / "statements.d.ts"
BIN = OPENAPI_DIR / "node_modules" / ".bin"
TIMEOUT = 120


def tool(name: str) -> str:
    path = BIN / name
    if shutil.which("node") is None or not path.exists():
        reason = f"{path} is not installed: run `npm ci --prefix openapi` (needs Node and npm)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return str(path)


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=OPENAPI_DIR, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )


def test_committed_types_match_the_committed_spec(tmp_path: Path) -> None:
    generated = tmp_path / "statements.d.ts"
    result = run(tool("openapi-typescript"), "openapi.json", "--output", str(generated))
    assert result.returncode == 0, result.stdout + result.stderr
    assert TYPES.exists(), f"{TYPES} is missing: run `npm run types --prefix openapi`"
    assert TYPES.read_bytes() == generated.read_bytes(), (
        f"{TYPES} is out of date with openapi/openapi.json: "
        "run `npm run types --prefix openapi` and commit it"
    )


def test_committed_types_compile() -> None:
    result = run(tool("tsc"), "--noEmit", "--strict", TYPES.name)
    assert result.returncode == 0, result.stdout + result.stderr
