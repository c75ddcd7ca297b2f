"""The running app keeps its own contract: schemathesis finds no server error and no
response that its OpenAPI document does not describe.

The server runs on loopback over a SQLite database seeded with the factories' newsroom
(``tests.contract.live``); schemathesis reads the spec the server serves, generates valid
and invalid requests for every operation and checks every response (see
``tests.contract.fuzz.CHECKS``). Runs in well under two minutes.

Known violations are listed below with their cause, and only while they reproduce: one
that stops reproducing fails ``test_known_violations_still_reproduce`` so the entry is
deleted with the fix.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.contract.fuzz import Failure, Run, run_schemathesis, schemathesis_command
from tests.contract.live import LiveServer, seeded_database

# name -> (operations, pattern of the failure message, the bug)
KNOWN_VIOLATIONS: dict[str, tuple[set[str], re.Pattern[str], str]] = {}


def known_violation(failure: Failure) -> str | None:
    for name, (operations, pattern, _) in KNOWN_VIOLATIONS.items():
        if (
            failure.check == "response_schema_conformance"
            and failure.operation in operations
            and pattern.search(failure.message)
        ):
            return name
    return None


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    if schemathesis_command() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("schemathesis is required under CI: install the dev requirements")
        pytest.skip("schemathesis is not installed (pip install schemathesis)")
    directory: Path = tmp_path_factory.mktemp("contract")
    database_url, _ = seeded_database(directory)
    with LiveServer(database_url, directory / "server.log") as server:
        result = run_schemathesis(server.base_url, directory)
        server_log = server.log()
    if result.errors:
        pytest.fail(f"schemathesis errored: {result.errors}\n{result.output}\n{server_log}")
    yield result


def test_every_operation_was_exercised(run: Run) -> None:
    assert run.operations_tested == run.operations_selected >= 14, run.output
    assert run.cases >= 500, run.output


def test_no_server_error_and_no_spec_violation(run: Run) -> None:
    unexpected = [failure for failure in run.failures if known_violation(failure) is None]
    assert not unexpected, (
        f"{len(unexpected)} kinds of failure in {run.cases} cases:\n\n"
        + "\n\n".join(failure.describe() for failure in unexpected)
    )


def test_known_violations_still_reproduce(run: Run) -> None:
    seen = {known_violation(failure) for failure in run.failures}
    fixed = sorted(set(KNOWN_VIOLATIONS) - seen)
    assert not fixed, f"no longer found: delete {fixed} from KNOWN_VIOLATIONS"
